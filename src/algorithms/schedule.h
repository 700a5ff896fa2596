// A schedule: what one rank does in one collective, in a small transport-neutral vocabulary.
//
// Algorithms build schedules; transports execute them. A schedule is a sequence of rounds.
// In each round the executor first runs the round's local steps (Copy, Reduce, Finalize) in
// order, to completion, then runs all its communication steps (Send, Recv, RecvReduce)
// concurrently, and the round ends when all of them have completed. Spans are in elements of
// the collective's datatype, relative to one of three buffers: the caller's input and
// output, and a scratch buffer the communicator owns and keeps between calls (at least
// scratchCount() elements; its contents are undefined at the start of a collective).
//
// Reductions name their operand order, so that ranks which compute the same element from
// the same operands get the same bits even for an op that is not bitwise commutative
// (max/min with NaN or signed zeros): `SrcFirst` computes op(src, other), `SrcSecond`
// op(other, src), where `other` is the received data (RecvReduce) or dst's current
// contents (Reduce).
//
// Contract between the two sides (checked by the in-process executor):
//  - a Send of n elements from rank a to b in some round is matched, in order, by a Recv or
//    RecvReduce of n elements from a on rank b;
//  - in one round a rank has at most one send to and one receive from each peer;
//  - within a round, no span that is written by communication (Recv, RecvReduce dst)
//    overlaps a span that is sent or another written span. Local steps of a round may read
//    and write anything: they finish before the round's communication starts.
// Steps with zero elements are dropped when they are added, identically on both sides.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace hoop {

enum class BufferId : uint8_t { Input, Output, Scratch };

struct Span {
  BufferId buffer;
  size_t offset;  // elements
  size_t count;   // elements
};

enum class StepKind : uint8_t {
  Send,        // send src to peer
  Recv,        // receive from peer into dst
  RecvReduce,  // receive from peer, dst = reduce(src, received) in the step's operand order
  Copy,        // dst = src (skipped when they are the same memory)
  Reduce,      // dst = reduce(src, dst) in the step's operand order (local)
  Finalize,    // dst = the op's finalisation of dst (avg: divide by nranks)
};

enum class OperandOrder : uint8_t { SrcFirst, SrcSecond };

struct Step {
  StepKind kind;
  OperandOrder order;
  int peer;
  Span src;
  Span dst;
};

inline Span inputSpan(size_t offset, size_t count) { return Span{BufferId::Input, offset, count}; }
inline Span outputSpan(size_t offset, size_t count) { return Span{BufferId::Output, offset, count}; }
inline Span scratchSpan(size_t offset, size_t count) { return Span{BufferId::Scratch, offset, count}; }

class Schedule {
 public:
  // Empties the schedule, keeping its memory for the next build.
  void clear();
  // Starts a new round; does nothing while the current round has no steps. Builders call it
  // after each round's communication, so that local steps added next run at the start of
  // the following round. Empty rounds are never counted.
  void beginRound();

  void send(int peer, Span src);
  void recv(int peer, Span dst);
  void recvReduce(int peer, Span local, Span dst, OperandOrder order = OperandOrder::SrcFirst);
  void copy(Span src, Span dst);
  void reduce(Span src, Span dst, OperandOrder order = OperandOrder::SrcFirst);
  void finalize(Span dst);
  // Declares that the schedule uses scratch elements [0, count).
  void needScratch(size_t count);

  size_t roundCount() const {
    const bool trailingEmpty = !roundStarts_.empty() && roundStarts_.back() == steps_.size();
    return roundStarts_.size() - (trailingEmpty ? 1 : 0);
  }
  const Step* roundBegin(size_t round) const { return steps_.data() + roundStarts_[round]; }
  const Step* roundEnd(size_t round) const;
  size_t stepCount() const { return steps_.size(); }
  size_t scratchCount() const { return scratchCount_; }

 private:
  void add(const Step& step);

  std::vector<Step> steps_;
  std::vector<size_t> roundStarts_;
  size_t scratchCount_ = 0;
};

}  // namespace hoop
