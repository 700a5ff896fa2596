// Enqueues one collective of a single-process CUDA clique: every rank's schedule, on every
// rank's stream, ordered across ranks by CUDA events.
#pragma once

#include <cuda_runtime.h>
#include <stddef.h>

#include <vector>

#include "algorithms/schedule.h"
#include "transport/executor.h"

namespace hoop {

// One rank's share of a collective, as handed to its executor.
struct CliqueCall {
  Schedule schedule;
  Buffers buffers;
  ReduceSpec spec;
  Signature signature;
};

class CliqueLauncher {
 public:
  CliqueLauncher() = default;
  ~CliqueLauncher();
  CliqueLauncher(const CliqueLauncher&) = delete;
  CliqueLauncher& operator=(const CliqueLauncher&) = delete;

  // Rank r runs on devices[r]; enables peer access between the distinct devices that allow it.
  Status init(const std::vector<int>& devices);
  // calls[r] is rank r's call. Returns once everything is enqueued (nothing waits for the GPU).
  Status launch(const std::vector<const CliqueCall*>& calls);

 private:
  // A Send step waiting for its receiver: where the data is and the event that makes it ready.
  struct Posted {
    const char* data;
    size_t bytes;
    cudaEvent_t ready;
  };
  struct RankState {
    size_t round = 0;
    bool posted = false;
    bool finished = false;
    size_t unconsumedSends = 0;
    std::vector<bool> received;           // per step of the current round
    std::vector<cudaEvent_t> consumedBy;  // receivers' events after reading this round's sends
  };
  struct RankResources {
    int device = 0;
    int maxBlocks = 1;
    std::vector<cudaEvent_t> events;  // reused from launch to launch
    size_t eventsUsed = 0;
    void* staging = nullptr;          // for reductions with a peer that cannot be read directly
    size_t stagingBytes = 0;
  };

  bool directlyReadable(int reader, int owner) const;
  Status reserveStaging(const std::vector<const CliqueCall*>& calls);
  Status nextEvent(int rank, cudaEvent_t* event);
  Status enterRound(int rank, const CliqueCall& call);
  Status receive(int rank, const CliqueCall& call, const Step& step, const Posted& message);
  Status finishRound(int rank, cudaStream_t stream);

  int nranks_ = 0;
  std::vector<RankResources> ranks_;
  std::vector<char> peerReadable_;  // [reader * nranks + owner]
  std::vector<RankState> states_;
  std::vector<std::vector<Posted>> fifos_;  // [sender * nranks + receiver], consumed from fifoHeads_
  std::vector<size_t> fifoHeads_;
};

}  // namespace hoop
