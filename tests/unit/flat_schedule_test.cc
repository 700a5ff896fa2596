// The parameter server's flat reduce and flat broadcast, run for 1..7 simulated ranks and
// every root by the in-process executor (which checks the schedule contract): exact
// results for every datatype and op, in place and out of place.
#include <gtest/gtest.h>

#include <string.h>

#include <vector>

#include "algorithms/flat_broadcast.h"
#include "algorithms/flat_reduce.h"
#include "exact_data.h"
#include "transport/inproc/inproc_executor.h"

namespace hoop {
namespace {

void runFlatReduce(int nranks, int root, size_t count, hoopDataType_t datatype, hoopRedOp_t op, bool inPlace) {
  const size_t bytes = count * dataTypeSize(datatype);
  std::vector<std::vector<char>> inputs(nranks, std::vector<char>(bytes + 1));
  std::vector<std::vector<char>> outputs(nranks, std::vector<char>(bytes + 1, 0x5a));
  std::vector<Schedule> schedules(nranks);
  std::vector<const Schedule*> pointers;
  std::vector<Buffers> buffers;
  for (int r = 0; r < nranks; ++r) {
    testing::fillExactInput(inputs[r].data(), datatype, op, r, count);
    buildFlatReduce(r, nranks, root, count, schedules[r]);
    pointers.push_back(&schedules[r]);
    buffers.push_back(Buffers{inputs[r].data(), inPlace ? inputs[r].data() : outputs[r].data()});
  }
  const ReduceSpec spec{dataTypeSize(datatype), reduceFunction(datatype, op),
                        op == hoopAvg ? divideFunction(datatype) : nullptr, nranks};
  const Status status = runInProcess(pointers, buffers, spec);
  ASSERT_TRUE(status.isOk()) << status.message();
  std::vector<char> expected(bytes + 1);  // never empty: memcmp must not see NULL
  testing::fillExpected(expected.data(), datatype, op, nranks, count);
  ASSERT_EQ(0, memcmp(expected.data(), buffers[root].output, bytes))
      << nranks << " ranks, root " << root << ", count " << count << ", " << testing::datatypeName(datatype) << " "
      << testing::opName(op) << (inPlace ? " in place" : " out of place");
  if (!inPlace && nranks > 1) {
    const int other = (root + 1) % nranks;
    EXPECT_EQ(std::vector<char>(bytes + 1, 0x5a), outputs[other]) << "a non-root output was written";
  }
}

TEST(FlatReduce, ExactForEveryDatatypeOpAndRoot) {
  for (int nranks = 1; nranks <= 7; ++nranks) {
    for (int root = 0; root < nranks; ++root) {
      for (int d = 0; d < hoopNumTypes; ++d) {
        for (int o = 0; o < hoopNumOps; ++o) {
          for (size_t count : {size_t{0}, size_t{1}, size_t{13}, size_t{1001}}) {
            runFlatReduce(nranks, root, count, static_cast<hoopDataType_t>(d), static_cast<hoopRedOp_t>(o),
                          (count + static_cast<size_t>(root)) % 2 == 0);
          }
        }
      }
    }
  }
}

TEST(FlatBroadcast, EveryRankGetsTheRootsBytes) {
  for (int nranks = 1; nranks <= 7; ++nranks) {
    for (int root = 0; root < nranks; ++root) {
      for (size_t count : {size_t{0}, size_t{1}, size_t{4097}}) {
        for (bool inPlace : {false, true}) {
          std::vector<std::vector<uint16_t>> inputs(nranks, std::vector<uint16_t>(count));
          std::vector<std::vector<uint16_t>> outputs(nranks, std::vector<uint16_t>(count, 0));
          std::vector<Schedule> schedules(nranks);
          std::vector<const Schedule*> pointers;
          std::vector<Buffers> buffers;
          for (int r = 0; r < nranks; ++r) {
            for (size_t i = 0; i < count; ++i) inputs[r][i] = static_cast<uint16_t>(r * 1000 + i);
            buildFlatBroadcast(r, nranks, root, count, schedules[r]);
            pointers.push_back(&schedules[r]);
            buffers.push_back(Buffers{inputs[r].data(), inPlace ? inputs[r].data() : outputs[r].data()});
          }
          const Status status = runInProcess(pointers, buffers, ReduceSpec{2, nullptr, nullptr, nranks});
          ASSERT_TRUE(status.isOk()) << status.message();
          const std::vector<uint16_t> expected = inputs[root];
          for (int r = 0; r < nranks; ++r) {
            const std::vector<uint16_t>& out = inPlace ? inputs[r] : outputs[r];
            ASSERT_EQ(expected, out) << nranks << " ranks, root " << root << ", rank " << r << ", count " << count;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace hoop
