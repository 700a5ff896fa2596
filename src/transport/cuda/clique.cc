#include "transport/cuda/clique.h"

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

Status Clique::await(int rank, uint64_t ticket) {
  std::unique_lock<std::mutex> lock(mutex_);
  RankQueue& queue = queues_[rank];
  const auto isLaunched = [&] { return queue.launched >= ticket; };
  bool done = true;
  if (queue.timeoutSeconds <= 0) {
    launchedCondition_.wait(lock, isLaunched);
  } else {
    done = launchedCondition_.wait_for(lock, std::chrono::duration<double>(queue.timeoutSeconds), isLaunched);
  }
  if (!done) {
    const size_t withdrawn = queue.tail - queue.head;
    queue.posted -= withdrawn;
    queue.head = queue.tail = 0;
    return Status(hoopTimeout, format("rank %d waited %g s (HOOP_TIMEOUT) for the other ranks of its clique to make "
                                      "the same call; %zu call(s) withdrawn. A thread that drives several ranks must "
                                      "enclose their calls in hoopGroupStart/hoopGroupEnd", rank, queue.timeoutSeconds,
                                      withdrawn));
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
