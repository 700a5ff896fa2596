// A schedule: what one rank does in one collective, in a small transport-neutral vocabulary.
//
// Algorithms build schedules; transports execute them. A schedule is a sequence of rounds.
// In each round the executor first runs the round's local steps (Copy, Finalize) in order,
// then runs all its communication steps (Send, Recv, RecvReduce) concurrently, and the round
// ends when all of them have completed. Spans are in elements of the collective's datatype,
// relative to the caller's input or output buffer.
//
// Contract between the two sides (checked by the in-process executor):
//  - a Send of n elements from rank a to b in some round is matched, in order, by a Recv or
//    RecvReduce of n elements from a on rank b;
//  - in one round a rank has at most one send to and one receive from each peer;
//  - within a round, no span that is written (Recv, RecvReduce dst) overlaps a span that
//    is sent or another written span.
// Steps with zero elements are dropped when they are added, identically on both sides.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace hoop {

enum class BufferId : uint8_t { Input, Output };

struct Span {
  BufferId buffer;
  size_t offset;  // elements
  size_t count;   // elements
};

enum class StepKind : uint8_t {
  Send,        // send src to peer
  Recv,        // receive from peer into dst
  RecvReduce,  // receive from peer, dst = reduce(src, received)
  Copy,        // dst = src (skipped when they are the same memory)
  Finalize,    // dst = the op's finalisation of dst (avg: divide by nranks)
};

struct Step {
  StepKind kind;
  int peer;
  Span src;
  Span dst;
};

inline Span inputSpan(size_t offset, size_t count) { return Span{BufferId::Input, offset, count}; }
inline Span outputSpan(size_t offset, size_t count) { return Span{BufferId::Output, offset, count}; }

class Schedule {
 public:
  // Empties the schedule, keeping its memory for the next build.
  void clear();
  void beginRound();

  void send(int peer, Span src);
  void recv(int peer, Span dst);
  void recvReduce(int peer, Span local, Span dst);
  void copy(Span src, Span dst);
  void finalize(Span dst);

  size_t roundCount() const { return roundStarts_.size(); }
  const Step* roundBegin(size_t round) const { return steps_.data() + roundStarts_[round]; }
  const Step* roundEnd(size_t round) const;
  size_t stepCount() const { return steps_.size(); }

 private:
  void add(const Step& step);

  std::vector<Step> steps_;
  std::vector<size_t> roundStarts_;
};

}  // namespace hoop
