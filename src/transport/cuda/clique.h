// A single-process clique of device ranks (hoopCommInitAll) and the executor of each rank.
//
// Rank r's part of a collective reads other ranks' buffers, so nothing can be enqueued until
// every rank has called. Each rank's executor queues its call (a copy of its schedule, its
// buffers, stream and reduce spec) in the clique and gets a ticket; the thread whose call
// completes a set (the head call of every rank's queue) enqueues that collective for all
// ranks, under the clique's lock, and wakes the waiters. Outside a group the executor then
// waits for its own ticket; inside one it returns and hoopGroupEnd waits. A wait longer than
// the call's timeout (HOOP_TIMEOUT) withdraws that rank's queued calls and returns
// hoopTimeout. Calls are matched by queue position; their signatures (count, datatype, op)
// must agree, else every rank's call fails with hoopInvalidUsage and nothing is enqueued.
#pragma once

#include <stdint.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "transport/cuda/clique_launcher.h"
#include "transport/executor.h"
#include "transport/group.h"

namespace hoop {

class Clique : public GroupParticipant {
 public:
  // Rank r on devices[r].
  static Status create(const std::vector<int>& devices, std::shared_ptr<Clique>* clique);

  // Queues rank's call, enqueues every collective that all ranks have now called, and
  // returns the call's ticket; a failure to enqueue is reported by await.
  uint64_t post(int rank, const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                const CallContext& call);
  Status await(int rank, uint64_t ticket) override;

 private:
  // Calls of one rank not yet enqueued, in order; slots are reused, so a steady loop does not
  // allocate once every slot has held the largest schedule.
  struct RankQueue {
    std::vector<CliqueCall> slots;
    size_t head = 0;
    size_t tail = 0;
    uint64_t posted = 0;    // tickets handed out
    uint64_t launched = 0;  // tickets enqueued (or failed), in order
    Status failure;         // the first failure not yet returned to the rank
    double timeoutSeconds = 0;  // of the rank's latest call; 0: wait forever
    const std::atomic<bool>* aborted = nullptr;  // the rank's communicator's hoopCommAbort flag
  };

  Clique() = default;
  void launchReady();  // with mutex_ held

  std::mutex mutex_;
  std::condition_variable launchedCondition_;
  std::vector<RankQueue> queues_;
  std::vector<const CliqueCall*> ready_;
  CliqueLauncher launcher_;
};

class CliqueExecutor : public Executor {
 public:
  CliqueExecutor(std::shared_ptr<Clique> clique, int rank) : clique_(std::move(clique)), rank_(rank) {}
  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec, const CallContext& call) override;

 private:
  std::shared_ptr<Clique> clique_;
  int rank_;
};

// The number of CUDA devices this process sees; an error when there is no usable one.
Status cudaDeviceCount(int* count);

}  // namespace hoop
