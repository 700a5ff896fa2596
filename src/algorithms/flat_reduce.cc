// Flat reduce: every rank sends its whole buffer straight to the root, which reduces the
// arrivals into its output one peer after another, in rank order (root first, then the
// others by increasing rank), and finalises the result (avg's division) at the end.
//
// This is the push of a parameter server, not a bandwidth-optimal reduce: the root receives
// (n-1) whole buffers while every other rank sends one, so the root's link and reducer are
// the bottleneck and the cost grows linearly with n. hoop keeps it for the parameter-server
// mode, whose point is to show that cost beside the ring all-reduce. One round per peer on
// the root keeps the schedule contract (one receive per peer and round, no two receives
// writing the same span in one round) and fixes the reduction order, so results never
// depend on arrival order.
#include "algorithms/flat_reduce.h"

namespace hoop {

void buildFlatReduce(int rank, int nranks, int root, size_t count, Schedule& schedule) {
  schedule.clear();
  if (rank != root) {
    schedule.beginRound();
    schedule.send(root, inputSpan(0, count));
    return;
  }
  schedule.beginRound();
  schedule.copy(inputSpan(0, count), outputSpan(0, count));
  for (int peer = 0; peer < nranks; ++peer) {
    if (peer == root) continue;
    schedule.beginRound();
    schedule.recvReduce(peer, outputSpan(0, count), outputSpan(0, count));
  }
  schedule.beginRound();
  schedule.finalize(outputSpan(0, count));
}

}  // namespace hoop
