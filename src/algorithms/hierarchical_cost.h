// Alpha-beta prices of the all-reduce algorithms, per level of the machine, for a tuner.
//
// A level's link costs alpha seconds per message (or per flag handshake in shared memory)
// and beta seconds per byte. The flat ring sends 2(n-1) messages of bytes/n in turn; across
// nodes its slowest link is a node's network link. The hierarchical all-reduce pays a
// reduce-scatter and an all-gather inside the node (one pipelined handshake each, (q-1)/q of
// the buffer per rank) and a ring across the m nodes in which the q parts of a node share
// that node's link, so the link carries 2(m-1)/m of the buffer in 2(m-1) steps.
#pragma once

#include <stddef.h>

namespace hoop {

struct LinkCost {
  double alpha;  // seconds per message
  double beta;   // seconds per byte
};

// Seconds for a ring all-reduce of `bytes` over `nranks` ranks whose slowest link is `link`.
double ringAllReduceCost(size_t bytes, int nranks, LinkCost link);

// Seconds for the hierarchical all-reduce of `bytes` over `nodes` nodes of `ranksPerNode`
// ranks, with `intra` the shared-memory level and `inter` a node's network link.
double hierarchicalAllReduceCost(size_t bytes, int nodes, int ranksPerNode, LinkCost intra, LinkCost inter);

}  // namespace hoop
