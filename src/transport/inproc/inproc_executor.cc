// In-process executor: every simulated rank advances through its rounds as far as the
// messages it has been sent allow, until all are done or none can move.
//
// A rank entering a round runs its local steps and posts its sends; a posted send is a copy
// of the data placed in the FIFO of its (sender, receiver) pair. A receive takes the head of
// its pair's FIFO. A round ends when all its receives have arrived and all its sends have
// been taken by their receivers: the strictest reading of a send (as if every message were
// synchronous), so that a schedule that passes here cannot deadlock on a transport whose
// large messages wait for the receiver. Contract violations come back as hoopInternalError
// with the rank, round and step named.
#include "transport/inproc/inproc_executor.h"

#include <string.h>

#include <deque>
#include <map>
#include <utility>

namespace hoop {

namespace {

struct Message {
  int sender;
  std::vector<char> data;
};

struct RankState {
  size_t round = 0;
  bool posted = false;
  size_t unconsumedSends = 0;
  std::vector<bool> received;  // per step of the current round
};

struct ByteRange {
  const char* begin;
  const char* end;
  bool overlaps(const ByteRange& other) const { return begin < other.end && other.begin < end; }
};

ByteRange rangeOf(const Buffers& buffers, const Span& span, size_t elemSize) {
  const char* begin = spanPointer(buffers, span, elemSize);
  return ByteRange{begin, begin + span.count * elemSize};
}

Status contractError(int rank, size_t round, const char* what) {
  return Status(hoopInternalError, format("schedule contract broken on rank %d, round %zu: %s", rank, round, what));
}

// Peers in range, one send and one receive per peer, no written span overlapping another
// written or sent span.
Status checkRound(int rank, size_t round, const Step* begin, const Step* end, const Buffers& buffers,
                  size_t elemSize, int nranks) {
  std::vector<ByteRange> written;
  std::vector<ByteRange> sent;
  std::vector<int> sendPeers;
  std::vector<int> recvPeers;
  for (const Step* step = begin; step != end; ++step) {
    if (isLocalStep(*step)) continue;
    if (step->peer < 0 || step->peer >= nranks || step->peer == rank) return contractError(rank, round, "peer out of range");
    std::vector<int>& peers = step->kind == StepKind::Send ? sendPeers : recvPeers;
    for (int peer : peers) {
      if (peer == step->peer) return contractError(rank, round, "two messages in one direction with one peer");
    }
    peers.push_back(step->peer);
    if (step->kind == StepKind::Send) {
      sent.push_back(rangeOf(buffers, step->src, elemSize));
    } else {
      written.push_back(rangeOf(buffers, step->dst, elemSize));
    }
  }
  for (size_t i = 0; i < written.size(); ++i) {
    for (size_t j = 0; j < written.size(); ++j) {
      if (i != j && written[i].overlaps(written[j])) return contractError(rank, round, "two receives write the same memory");
    }
    for (const ByteRange& range : sent) {
      if (written[i].overlaps(range)) return contractError(rank, round, "a receive overwrites memory being sent");
    }
  }
  return Status::ok();
}

}  // namespace

Status runInProcess(const std::vector<const Schedule*>& schedules, const std::vector<Buffers>& buffers,
                    const ReduceSpec& spec) {
  const int nranks = static_cast<int>(schedules.size());
  std::map<std::pair<int, int>, std::deque<Message>> fifos;  // (sender, receiver)
  std::vector<RankState> states(schedules.size());
  int finished = 0;
  for (int r = 0; r < nranks; ++r) {
    if (schedules[r]->roundCount() == 0) ++finished;
  }

  while (finished < nranks) {
    bool progress = false;
    for (int r = 0; r < nranks; ++r) {
      const Schedule& schedule = *schedules[r];
      RankState& state = states[r];
      if (state.round >= schedule.roundCount()) continue;
      const Step* begin = schedule.roundBegin(state.round);
      const Step* end = schedule.roundEnd(state.round);
      if (!state.posted) {
        HOOP_RETURN_IF_ERROR(checkRound(r, state.round, begin, end, buffers[r], spec.elemSize, nranks));
        state.received.assign(static_cast<size_t>(end - begin), false);
        for (const Step* step = begin; step != end; ++step) {
          if (isLocalStep(*step)) runLocalStep(*step, buffers[r], spec);
        }
        for (const Step* step = begin; step != end; ++step) {
          if (step->kind != StepKind::Send) continue;
          const char* data = spanPointer(buffers[r], step->src, spec.elemSize);
          fifos[{r, step->peer}].push_back(Message{r, std::vector<char>(data, data + step->src.count * spec.elemSize)});
          ++state.unconsumedSends;
        }
        state.posted = true;
        progress = true;
      }
      bool allReceived = true;
      for (const Step* step = begin; step != end; ++step) {
        const size_t index = static_cast<size_t>(step - begin);
        if ((step->kind != StepKind::Recv && step->kind != StepKind::RecvReduce) || state.received[index]) continue;
        std::deque<Message>& fifo = fifos[{step->peer, r}];
        if (fifo.empty()) {
          allReceived = false;
          continue;
        }
        const Message& message = fifo.front();
        const size_t bytes = step->dst.count * spec.elemSize;
        if (message.data.size() != bytes) {
          return contractError(r, state.round, format("expected %zu bytes from rank %d, got %zu", bytes, step->peer,
                                                      message.data.size()).c_str());
        }
        char* dst = spanPointer(buffers[r], step->dst, spec.elemSize);
        if (step->kind == StepKind::Recv) {
          memcpy(dst, message.data.data(), bytes);
        } else {
          reduceInOrder(spec, step->order, dst, spanPointer(buffers[r], step->src, spec.elemSize), message.data.data(),
                        step->dst.count);
        }
        --states[message.sender].unconsumedSends;
        fifo.pop_front();
        state.received[index] = true;
        progress = true;
      }
      if (allReceived && state.unconsumedSends == 0) {
        ++state.round;
        state.posted = false;
        progress = true;
        if (state.round == schedule.roundCount()) ++finished;
      }
    }
    if (!progress) {
      std::string where;
      for (int r = 0; r < nranks; ++r) {
        if (states[r].round < schedules[r]->roundCount()) where += format(" rank %d in round %zu;", r, states[r].round);
      }
      return Status(hoopInternalError, "schedule deadlock:" + where);
    }
  }
  for (const auto& fifo : fifos) {
    if (!fifo.second.empty()) {
      return Status(hoopInternalError, format("schedule left %zu message(s) from rank %d to rank %d unreceived",
                                              fifo.second.size(), fifo.first.first, fifo.first.second));
    }
  }
  return Status::ok();
}

}  // namespace hoop
