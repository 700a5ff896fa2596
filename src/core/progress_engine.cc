#include "core/progress_engine.h"

#include <chrono>
#include <new>

#include "core/log.h"

namespace hoop {

int64_t steadyNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ProgressEngine::ProgressEngine(hoopComm* comm) : comm_(comm), thread_([this] { loop(); }) {}

ProgressEngine::~ProgressEngine() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  workReady_.notify_one();
  thread_.join();
}

Status ProgressEngine::submit(const CollectiveOp& op, hoopRequest** request) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_ == nullptr) {
    pool_.push_back(std::make_unique<hoopRequest>());
    free_ = pool_.back().get();
  }
  hoopRequest* fresh = free_;
  free_ = fresh->next;
  fresh->magic = hoopRequest::kLiveMagic;
  fresh->comm = comm_;
  fresh->op = op;
  fresh->done.store(false, std::memory_order_relaxed);
  fresh->status = Status::ok();
  fresh->traffic = Traffic{};
  fresh->next = nullptr;
  if (tail_ != nullptr) {
    tail_->next = fresh;
  } else {
    head_ = fresh;
  }
  tail_ = fresh;
  ++inFlight_;
  workReady_.notify_one();
  *request = fresh;
  return Status::ok();
}

bool ProgressEngine::idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  return inFlight_ == 0;
}

Status ProgressEngine::wait(hoopRequest* request) {
  if (!isDone(request)) {
    std::unique_lock<std::mutex> lock(mutex_);
    workDone_.wait(lock, [request] { return isDone(request); });
  }
  return request->status;
}

void ProgressEngine::release(hoopRequest* request) {
  std::lock_guard<std::mutex> lock(mutex_);
  request->magic = hoopRequest::kFreeMagic;
  request->next = free_;
  free_ = request;
}

void ProgressEngine::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    workReady_.wait(lock, [this] { return head_ != nullptr || stopping_; });
    if (head_ == nullptr) return;
    hoopRequest* request = head_;
    head_ = request->next;
    if (head_ == nullptr) tail_ = nullptr;
    lock.unlock();
    execute(request);
    lock.lock();
    request->done.store(true, std::memory_order_release);
    --inFlight_;
    workDone_.notify_all();
  }
}

void ProgressEngine::execute(hoopRequest* request) {
  request->startNs = steadyNanoseconds();
  try {
    request->status = executeOp(comm_, request->op, &request->traffic);
  } catch (const std::bad_alloc&) {
    request->status = Status(hoopSystemError, "asynchronous collective: out of memory");
  }
  request->endNs = steadyNanoseconds();
}

Status ensureProgressEngine(hoopComm* comm) {
  if (comm->progress != nullptr) return Status::ok();
  if (comm->device >= 0) {
    return Status(hoopInvalidUsage, format("asynchronous requests are for host communicators; this one is on CUDA "
                                           "device %d, where hoopAllReduce already enqueues on a stream and returns",
                                           comm->device));
  }
  if (!comm->asyncBlocker.empty()) return Status(hoopInvalidUsage, comm->asyncBlocker);
  comm->progress = std::make_unique<ProgressEngine>(comm);
  HOOP_INFO(kLogInit, "rank %d: communication thread started", comm->rank);
  return Status::ok();
}

}  // namespace hoop
