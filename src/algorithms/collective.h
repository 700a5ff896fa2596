// What a schedule builder is asked for: one rank's part of one collective call, and the
// names of the collectives and algorithms that the rest of the library and HOOP_ALGO use.
//
// `count` follows the public API of each collective: the elements of the whole buffer for
// all-reduce, broadcast and reduce, the elements each rank contributes for all-gather
// (sendcount) and the elements each rank receives for reduce-scatter (recvcount). The spans
// a builder may address are then:
//
//   collective      Input                Output               root
//   AllReduce       count                count                -
//   Broadcast       count (root only)    count                yes
//   Reduce          count                count (root only)    yes
//   AllGather       count                nranks * count       -
//   ReduceScatter   nranks * count       count                -
//
// plus whatever Scratch the schedule declares.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hoop {

enum class Collective : uint8_t { AllReduce, Broadcast, Reduce, AllGather, ReduceScatter };
constexpr int kCollectiveCount = 5;

enum class Algorithm : uint8_t {
  Ring,               // all five collectives (pipelined chains for broadcast and reduce)
  Tree,               // all-reduce: pipelined double binary tree
  Binomial,           // all-reduce, broadcast, reduce: binomial trees, log2(n) full-size steps
  HalvingDoubling,    // all-reduce: Rabenseifner's reduce-scatter by halving, all-gather by doubling
  RecursiveDoubling,  // all-reduce: full-buffer exchanges at doubling distances
  RecursiveHalving,   // reduce-scatter: halving exchanges, the first half of halving-doubling
  Bruck,              // all-gather: blocks at doubling distances, any rank count
};
constexpr int kAlgorithmCount = 7;

struct CollectiveShape {
  Collective collective;
  int rank;
  int nranks;
  int root;                // broadcast and reduce; 0 otherwise
  size_t count;            // see the table above
  size_t elemSize;         // bytes per element
  size_t segmentElements;  // pipeline segment of the algorithms that pipeline across rounds; 0: none
};

const char* collectiveName(Collective collective);  // "allreduce", "broadcast", ...
const char* algorithmName(Algorithm algorithm);     // "ring", "tree", ...

// Parses a name as written by the functions above; false when unknown.
bool parseCollectiveName(const char* text, size_t length, Collective* collective);
bool parseAlgorithmName(const char* text, size_t length, Algorithm* algorithm);

// Whether `algorithm` implements `collective`.
bool algorithmSupports(Collective collective, Algorithm algorithm);

}  // namespace hoop
