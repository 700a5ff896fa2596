// Runs one collective for n simulated ranks with the in-process executor and compares every
// rank's output with the exact reference, in the buffer layout of the public API (NCCL's
// in-place rules included). Every buffer, scratch too, is followed by a guard zone that
// must survive; scratch starts as garbage; outputs a rank must not touch (a non-root's
// reduce output) must come back unchanged.
#pragma once

#include <string.h>

#include <string>
#include <vector>

#include "algorithms/builders.h"
#include "base/status.h"
#include "exact_data.h"
#include "transport/inproc/inproc_executor.h"

namespace hoop {
namespace testing {

struct CollectiveCase {
  Collective collective;
  Algorithm algorithm;
  int nranks;
  size_t count;  // the API's count for the collective (sendcount, recvcount, ...)
  hoopDataType_t datatype;
  hoopRedOp_t op;
  int root;
  bool inPlace;
  size_t segmentElements;
};

inline std::string describe(const CollectiveCase& c) {
  return format("%s/%s nranks %d count %zu %s %s root %d %s segment %zu", collectiveName(c.collective),
                algorithmName(c.algorithm), c.nranks, c.count, datatypeName(c.datatype), opName(c.op), c.root,
                c.inPlace ? "in place" : "out of place", c.segmentElements);
}

// Empty when the case passes; otherwise what went wrong.
inline std::string runCollectiveCase(const CollectiveCase& c) {
  constexpr size_t kGuard = 64;
  constexpr char kGuardByte = 0x3c;
  const int n = c.nranks;
  const size_t elem = typeSize(c.datatype);
  const bool reduces = c.collective != Collective::Broadcast && c.collective != Collective::AllGather;
  const hoopRedOp_t op = reduces ? c.op : hoopSum;
  const size_t full = c.collective == Collective::AllGather || c.collective == Collective::ReduceScatter
                          ? static_cast<size_t>(n) * c.count
                          : c.count;
  const size_t inCount = c.collective == Collective::AllGather ? c.count : full;
  const size_t outCount = c.collective == Collective::ReduceScatter ? c.count : full;

  std::vector<Schedule> schedules(n);
  std::vector<std::vector<char>> ins(n), outs(n), scratches(n);
  std::vector<Buffers> buffers(n);
  std::vector<const Schedule*> pointers(n);
  for (int r = 0; r < n; ++r) {
    const CollectiveShape shape{c.collective, r, n, c.root, c.count, elem, c.segmentElements};
    buildSchedule(c.algorithm, shape, schedules[r]);
    pointers[r] = &schedules[r];
    // In place, one allocation holds both buffers as the API lays them out.
    const size_t inBytes = inCount * elem;
    const size_t outBytes = outCount * elem;
    outs[r].assign((c.inPlace ? (outBytes > inBytes ? outBytes : inBytes) : outBytes) + kGuard, kGuardByte);
    ins[r].assign(inBytes + kGuard, kGuardByte);
    std::vector<char>& inHome = c.inPlace ? outs[r] : ins[r];
    size_t inOffset = 0;
    if (c.inPlace && c.collective == Collective::AllGather) inOffset = static_cast<size_t>(r) * c.count * elem;
    char* input = inHome.data() + inOffset;
    char* output = outs[r].data();
    if (c.inPlace && c.collective == Collective::ReduceScatter) output = input + static_cast<size_t>(r) * c.count * elem;
    memset(output, 0x5a, outBytes);
    const int dataRank = c.collective == Collective::Broadcast ? c.root : r;
    if (c.collective != Collective::Broadcast || r == c.root) fillExactInput(input, c.datatype, op, dataRank, inCount);
    scratches[r].assign(schedules[r].scratchCount() * elem + kGuard, kGuardByte);
    memset(scratches[r].data(), 0xa5, schedules[r].scratchCount() * elem);
    buffers[r] = Buffers{input, output, scratches[r].data()};
  }
  const ReduceSpec spec{elem, reduceFunction(c.datatype, op), op == hoopAvg ? divideFunction(c.datatype) : nullptr, n};
  const Status status = runInProcess(pointers, buffers, spec);
  if (!status.isOk()) return describe(c) + ": " + status.message();

  std::vector<char> expected(full * elem + 1);
  if (c.collective == Collective::AllGather) {
    for (int r = 0; r < n; ++r) fillExactInput(expected.data() + r * c.count * elem, c.datatype, op, r, c.count);
  } else if (c.collective == Collective::Broadcast) {
    fillExactInput(expected.data(), c.datatype, op, c.root, full);
  } else {
    fillExpected(expected.data(), c.datatype, op, n, full);
  }
  std::vector<char> untouched(outCount * elem, 0x5a);
  for (int r = 0; r < n; ++r) {
    const char* out = static_cast<const char*>(buffers[r].output);
    const char* want = expected.data();
    if (c.collective == Collective::ReduceScatter) want += static_cast<size_t>(r) * c.count * elem;
    if (c.collective == Collective::Reduce && r != c.root && !c.inPlace) want = untouched.data();
    if (c.collective == Collective::Reduce && r != c.root && c.inPlace) continue;  // its input is its output
    if (outCount > 0 && memcmp(want, out, outCount * elem) != 0) {
      return describe(c) + format(": wrong result on rank %d", r);
    }
    const std::vector<char>* all[] = {&ins[r], &outs[r], &scratches[r]};
    for (const std::vector<char>* buffer : all) {
      for (size_t i = buffer->size() - kGuard; i < buffer->size(); ++i) {
        if ((*buffer)[i] != kGuardByte) return describe(c) + format(": wrote past a buffer's end on rank %d", r);
      }
    }
  }
  return std::string();
}

}  // namespace testing
}  // namespace hoop
