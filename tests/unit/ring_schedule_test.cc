// The ring all-reduce schedule, run for 1..32 simulated ranks by the in-process executor:
// exact results for every datatype and op, awkward counts, in place and out of place, and
// bitwise identical outputs on every rank.
#include <gtest/gtest.h>

#include <vector>

#include "algorithms/ring_allreduce.h"
#include "exact_data.h"
#include "transport/inproc/inproc_executor.h"

namespace hoop {
namespace {

using testing::datatypeName;
using testing::opName;

struct Case {
  int nranks;
  size_t count;
  hoopDataType_t datatype;
  hoopRedOp_t op;
  bool inPlace;
};

void runRing(const Case& c) {
  const size_t bytes = c.count * dataTypeSize(c.datatype);
  std::vector<std::vector<char>> inputs(c.nranks, std::vector<char>(bytes + 1));
  std::vector<std::vector<char>> outputs(c.nranks, std::vector<char>(bytes + 1));
  std::vector<Schedule> schedules(c.nranks);
  std::vector<const Schedule*> schedulePointers;
  std::vector<Buffers> buffers;
  for (int r = 0; r < c.nranks; ++r) {
    testing::fillExactInput(inputs[r].data(), c.datatype, c.op, r, c.count);
    buildRingAllReduce(r, c.nranks, c.count, dataTypeSize(c.datatype), schedules[r]);
    schedulePointers.push_back(&schedules[r]);
    void* out = c.inPlace ? inputs[r].data() : outputs[r].data();
    buffers.push_back(Buffers{inputs[r].data(), out});
  }
  const ReduceSpec spec{dataTypeSize(c.datatype), reduceFunction(c.datatype, c.op),
                        c.op == hoopAvg ? divideFunction(c.datatype) : nullptr, c.nranks};
  const Status status = runInProcess(schedulePointers, buffers, spec);
  ASSERT_TRUE(status.isOk()) << status.message();

  std::vector<char> expected(bytes + 1);
  testing::fillExpected(expected.data(), c.datatype, c.op, c.nranks, c.count);
  for (int r = 0; r < c.nranks; ++r) {
    const char* out = static_cast<const char*>(buffers[r].output);
    ASSERT_EQ(0, memcmp(expected.data(), out, bytes))
        << "rank " << r << " of " << c.nranks << ", count " << c.count << ", " << datatypeName(c.datatype) << " "
        << opName(c.op) << (c.inPlace ? " in place" : " out of place");
  }
}

class RingSchedule : public ::testing::TestWithParam<int> {};

TEST_P(RingSchedule, ExactForEveryDatatypeOpAndCount) {
  const int nranks = GetParam();
  const size_t counts[] = {0, 1, 2, 3, static_cast<size_t>(nranks) - 1, static_cast<size_t>(nranks) + 1, 17 * static_cast<size_t>(nranks), 1000, 4099};
  for (size_t count : counts) {
    for (int dt = 0; dt < hoopNumTypes; ++dt) {
      for (int op = 0; op < hoopNumOps; ++op) {
        for (bool inPlace : {false, true}) {
          runRing(Case{nranks, count, static_cast<hoopDataType_t>(dt), static_cast<hoopRedOp_t>(op), inPlace});
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, RingSchedule, ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 31, 32));

TEST(RingScheduleShape, TwoTimesNMinusOneCommunicationRounds) {
  Schedule schedule;
  buildRingAllReduce(2, 5, 1000, 4, schedule);
  EXPECT_EQ(schedule.roundCount(), 8u);
}

TEST(RingScheduleShape, EachRankSendsTwiceItsShareOfTheBuffer) {
  const int nranks = 4;
  const size_t count = 4096;
  Schedule schedule;
  buildRingAllReduce(1, nranks, count, 4, schedule);
  size_t sent = 0;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (step->kind == StepKind::Send) sent += step->src.count;
    }
  }
  EXPECT_EQ(sent, 2 * (nranks - 1) * count / nranks);
}

}  // namespace
}  // namespace hoop
