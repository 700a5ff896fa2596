// Bruck all-gather: the latency form of all-gather, ceil(log2 n) steps for any rank count.
//
// Each rank keeps the blocks in an order rotated to start at itself: slot j of its scratch
// holds the block of rank r + j. In step k (distance d = 2^k) it sends its first
// min(d, n - d) slots to r - d and receives as many into slots d .. from r + d, whose first
// slots are exactly the blocks that follow r's by d. After the last step a local copy
// undoes the rotation into the output (two contiguous pieces). The block is copied as it
// was sent, so every rank ends with the owners' bits.
#include "algorithms/builders.h"
#include "algorithms/topology.h"

namespace hoop {

void buildBruckAllGather(const CollectiveShape& shape, Schedule& schedule) {
  const int n = shape.nranks;
  const int rank = shape.rank;
  const size_t count = shape.count;
  const size_t head = static_cast<size_t>(n - rank) * count;  // slots 0 .. n-r-1 are blocks r .. n-1
  schedule.clear();
  if (n == 1) {
    schedule.copy(inputSpan(0, count), outputSpan(0, count));
    return;
  }
  schedule.needScratch(static_cast<size_t>(n) * count);
  schedule.copy(inputSpan(0, count), scratchSpan(0, count));
  for (int distance = 1; distance < n; distance *= 2) {
    const size_t blocks = static_cast<size_t>(distance < n - distance ? distance : n - distance);
    schedule.send(wrapRank(rank - distance, n), scratchSpan(0, blocks * count));
    schedule.recv(wrapRank(rank + distance, n), scratchSpan(static_cast<size_t>(distance) * count, blocks * count));
    schedule.beginRound();
  }
  schedule.copy(scratchSpan(0, head), outputSpan(static_cast<size_t>(rank) * count, head));
  schedule.copy(scratchSpan(head, static_cast<size_t>(rank) * count), outputSpan(0, static_cast<size_t>(rank) * count));
}

}  // namespace hoop
