#include "algorithms/collective.h"

#include <string.h>

#include "algorithms/builders.h"

namespace hoop {

namespace {

const char* const kCollectiveNames[kCollectiveCount] = {"allreduce", "broadcast", "reduce", "allgather",
                                                        "reducescatter"};
const char* const kAlgorithmNames[kAlgorithmCount] = {"ring",     "tree", "binomial", "halving-doubling",
                                                      "recursive-doubling", "recursive-halving", "bruck"};

typedef void (*Builder)(const CollectiveShape&, Schedule&);

// builders[collective][algorithm]; NULL where the algorithm does not implement the collective.
const Builder kBuilders[kCollectiveCount][kAlgorithmCount] = {
    {buildRingAllReduce, buildTreeAllReduce, buildBinomialAllReduce, buildHalvingDoublingAllReduce,
     buildRecursiveDoublingAllReduce, nullptr, nullptr},
    {buildRingBroadcast, nullptr, buildBinomialBroadcast, nullptr, nullptr, nullptr, nullptr},
    {buildRingReduce, nullptr, buildBinomialReduce, nullptr, nullptr, nullptr, nullptr},
    {buildRingAllGather, nullptr, nullptr, nullptr, nullptr, nullptr, buildBruckAllGather},
    {buildRingReduceScatter, nullptr, nullptr, nullptr, nullptr, buildRecursiveHalvingReduceScatter, nullptr},
};

bool matches(const char* name, const char* text, size_t length) {
  return strlen(name) == length && strncmp(name, text, length) == 0;
}

}  // namespace

const char* collectiveName(Collective collective) { return kCollectiveNames[static_cast<int>(collective)]; }

const char* algorithmName(Algorithm algorithm) { return kAlgorithmNames[static_cast<int>(algorithm)]; }

bool parseCollectiveName(const char* text, size_t length, Collective* collective) {
  for (int c = 0; c < kCollectiveCount; ++c) {
    if (matches(kCollectiveNames[c], text, length)) {
      *collective = static_cast<Collective>(c);
      return true;
    }
  }
  return false;
}

bool parseAlgorithmName(const char* text, size_t length, Algorithm* algorithm) {
  for (int a = 0; a < kAlgorithmCount; ++a) {
    if (matches(kAlgorithmNames[a], text, length)) {
      *algorithm = static_cast<Algorithm>(a);
      return true;
    }
  }
  return false;
}

bool algorithmSupports(Collective collective, Algorithm algorithm) {
  return kBuilders[static_cast<int>(collective)][static_cast<int>(algorithm)] != nullptr;
}

void buildSchedule(Algorithm algorithm, const CollectiveShape& shape, Schedule& schedule) {
  kBuilders[static_cast<int>(shape.collective)][static_cast<int>(algorithm)](shape, schedule);
}

}  // namespace hoop
