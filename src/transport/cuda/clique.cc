#include "transport/cuda/clique.h"

#include <algorithm>
#include <chrono>

#include "transport/cuda/cuda_status.h"

namespace hoop {

Status Clique::create(const std::vector<int>& devices, std::shared_ptr<Clique>* clique) {
  std::shared_ptr<Clique> fresh(new Clique());
  fresh->queues_.resize(devices.size());
  fresh->ready_.resize(devices.size());
  HOOP_RETURN_IF_ERROR(fresh->launcher_.init(devices));
  *clique = std::move(fresh);
  return Status::ok();
}

uint64_t Clique::post(int rank, const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                      const CallContext& context) {
  std::lock_guard<std::mutex> lock(mutex_);
  RankQueue& queue = queues_[rank];
  if (queue.tail == queue.slots.size()) queue.slots.emplace_back();
  CliqueCall& call = queue.slots[queue.tail++];
  call.schedule = schedule;
  call.buffers = buffers;
  call.spec = spec;
  call.signature = context.signature;
  queue.timeoutSeconds = context.timeoutSeconds;
  queue.aborted = context.aborted;
  const uint64_t ticket = ++queue.posted;
  launchReady();
  return ticket;
}

void Clique::launchReady() {
  for (;;) {
    for (const RankQueue& queue : queues_) {
      if (queue.head == queue.tail) return;
    }
    for (size_t r = 0; r < queues_.size(); ++r) ready_[r] = &queues_[r].slots[queues_[r].head];
    Status status;
    const Signature& first = ready_[0]->signature;
    for (size_t r = 1; r < queues_.size() && status.isOk(); ++r) {
      Signature other = ready_[r]->signature;
      other.sequence = first.sequence;  // calls pair up by queue position, whatever each rank counted
      if (!sameCall(first, other)) {
        status = Status(hoopInvalidUsage, "ranks disagree: " + describeMismatch(first, 0, other, static_cast<int>(r)));
      }
    }
    if (status.isOk()) status = launcher_.launch(ready_);
    for (RankQueue& queue : queues_) {
      if (!status.isOk() && queue.failure.isOk()) queue.failure = status;
      ++queue.launched;
      if (++queue.head == queue.tail) queue.head = queue.tail = 0;
    }
    launchedCondition_.notify_all();
  }
}

// Waits until the rank's call is launched. The wait wakes at least every 100 ms to honour
// hoopCommAbort (from any thread) and ends at HOOP_TIMEOUT; either way the rank's calls
// that have not been launched are withdrawn, so the other ranks never pair with them.
Status Clique::await(int rank, uint64_t ticket) {
  using Clock = std::chrono::steady_clock;
  constexpr std::chrono::milliseconds kAbortPoll(100);
  std::unique_lock<std::mutex> lock(mutex_);
  RankQueue& queue = queues_[rank];
  const bool timed = queue.timeoutSeconds > 0;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timed ? queue.timeoutSeconds : 0));
  while (queue.launched < ticket) {
    const bool aborted = queue.aborted != nullptr && queue.aborted->load();
    if (aborted || (timed && Clock::now() >= deadline)) {
      const size_t withdrawn = queue.tail - queue.head;
      queue.posted -= withdrawn;
      queue.head = queue.tail = 0;
      if (aborted) {
        return Status(hoopInvalidUsage, format("rank %d: the communicator was aborted while it waited for the other "
                                               "ranks of its clique; %zu call(s) withdrawn", rank, withdrawn));
      }
      return Status(hoopTimeout, format("rank %d waited %g s (HOOP_TIMEOUT) for the other ranks of its clique to make "
                                        "the same call; %zu call(s) withdrawn. A thread that drives several ranks must "
                                        "enclose their calls in hoopGroupStart/hoopGroupEnd", rank, queue.timeoutSeconds,
                                        withdrawn));
    }
    launchedCondition_.wait_for(lock, timed ? std::min<Clock::duration>(kAbortPoll, deadline - Clock::now())
                                            : Clock::duration(kAbortPoll));
  }
  Status failure = std::move(queue.failure);
  queue.failure = Status();
  return failure;
}

Status CliqueExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                           const CallContext& call) {
  const uint64_t ticket = clique_->post(rank_, schedule, buffers, spec, call);
  if (inGroup()) {
    joinGroup(clique_, rank_, ticket);
    return Status::ok();
  }
  return clique_->await(rank_, ticket);
}

Status cudaDeviceCount(int* count) {
  *count = 0;
  HOOP_CUDA_RETURN_IF_ERROR(cudaGetDeviceCount(count));
  if (*count == 0) return Status(hoopUnhandledCudaError, "no CUDA device is visible to this process");
  return Status::ok();
}

}  // namespace hoop
