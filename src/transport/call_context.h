// What an executor knows about the collective call it is running, beyond the schedule:
// the signature every rank must agree on, the name for messages, the deadline, and the
// flag hoopCommAbort raises.
#pragma once

#include <stdint.h>

#include <atomic>
#include <string>

namespace hoop {

enum class CollectiveKind : uint8_t {
  AllReduce = 1,
  Broadcast = 2,
  Reduce = 3,
  AllGather = 4,
  ReduceScatter = 5,
  Barrier = 6,
};

const char* collectiveKindName(CollectiveKind kind);

// The arguments that must be equal on every rank, plus the call's sequence number on the
// communicator. Carried in the first message between each pair of ranks in a collective,
// so a disagreement is found without an extra round trip.
struct Signature {
  uint64_t sequence;
  uint64_t count;
  int32_t root;  // -1 when the collective has none
  CollectiveKind kind;
  uint8_t datatype;
  uint8_t op;  // 0xff when the collective has none
  uint8_t algorithm;  // the schedule's algorithm; 0xff for paths without one
};
static_assert(sizeof(Signature) == 24, "Signature travels on the wire");

bool sameCall(const Signature& a, const Signature& b);

// "allreduce #17: rank 3 has count=1000, rank 2 has count=2000" (every differing field).
std::string describeMismatch(const Signature& mine, int myRank, const Signature& theirs, int theirRank);

struct CallContext {
  Signature signature;
  bool checkSignature;               // HOOP_CHECK: off only to measure what the check costs
  double timeoutSeconds;             // 0: wait forever
  const std::atomic<bool>* aborted;  // raised by hoopCommAbort, from any thread
};

}  // namespace hoop
