// Flat broadcast: the root sends its whole buffer to every other rank at once, in one round.
//
// This is the pull of a parameter server: the root sends (n-1) whole buffers and every other
// rank receives one, so the root's link is the bottleneck. It pairs with the flat reduce in
// the parameter-server mode; a bandwidth-optimal broadcast belongs elsewhere. The root first
// copies its input to its output (nothing when in place) and sends from the output.
#include "algorithms/flat_broadcast.h"

namespace hoop {

void buildFlatBroadcast(int rank, int nranks, int root, size_t count, Schedule& schedule) {
  schedule.clear();
  schedule.beginRound();
  if (rank != root) {
    schedule.recv(root, outputSpan(0, count));
    return;
  }
  schedule.copy(inputSpan(0, count), outputSpan(0, count));
  for (int peer = 0; peer < nranks; ++peer) {
    if (peer != root) schedule.send(peer, outputSpan(0, count));
  }
}

}  // namespace hoop
