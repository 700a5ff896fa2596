// Direct shared-memory collectives inside a node.
//
// The buffer is cut into `parts` contiguous parts (cache-line boundaries); rank j of the node
// owns part j. A collective is a pipeline of steps; step k handles the k-th chunk of every
// part. Each rank's segment of the node's shared window holds `depth` staging slots (one
// chunk per part) and `depth` result slots (one chunk), used round-robin by step number.
//
//   stage      each rank copies its input chunk of every part it does not own into its
//              staging slot, then publishes `staged` = step + 1 (release);
//   reduce     the owner of part j waits for every rank's `staged` (acquire), reduces its
//              chunk straight out of all staging slots, in rank order 0, 1, ..., n-1, with its
//              own input read in place, into its result slot; finalises it (avg) in the
//              all-reduce; writes it into its own output and publishes `reduced`;
//   copy out   every rank copies the other owners' result slots into its output and
//              publishes `copied`.
//
// Staging step k+1 overlaps the reduction of step k. A slot is reused `depth` steps later,
// after the ranks that read it have said so: staging slots after every owner's `reduced`,
// result slots after every rank's `copied`. The step counter runs on across calls and every
// rank publishes every counter at every step, so counters only grow and never need a reset.
// Data crosses DRAM about once each way: the input is read once, the output written once;
// the slots are small enough to stay in cache between producer and consumer.
//
// The order of reduction is fixed by the node size alone, and every rank's output holds the
// owner's bits, so results are bitwise identical on all ranks and from call to call.
// Reduce-scatter stops after the reduction (without finalising: the hierarchical all-reduce
// finalises after the inter-node step); all-gather publishes the owners' output chunks.
//
// Every all-reduce starts at the node's call gate (shm_call_gate.h). All-reduces of at most
// smallBytes take a latency path through it: each rank's input rides in its gate slot
// beside the signature, and once the gate opens every rank reduces all ranks' inputs
// itself, in rank order, so all get the same bits.
#include "transport/shm/shm_collectives.h"

#include <string.h>

#include <algorithm>

#include "reduce/streaming_copy.h"

namespace hoop {

namespace {

enum CounterIndex { kStaged = 0, kReduced = 1, kCopied = 2, kCounters = 3 };

void writeOutput(char* dst, const char* src, size_t bytes, bool stream) {
  if (stream) {
    streamingCopy(dst, src, bytes);
  } else {
    memcpy(dst, src, bytes);
  }
}

}  // namespace

Status ShmCollectives::init(MPI_Comm nodeComm, int parts, ShmCallGate* gate) {
  gate_ = gate;
  if (config_.singleCopy) {
    auto single = std::make_unique<ShmSingleCopy>();
    bool usable = false;
    HOOP_RETURN_IF_ERROR(single->init(nodeComm, config_.singleCopyChunkBytes, &usable));
    if (usable) singleCopy_ = std::move(single);
  }
  MPI_Comm_rank(nodeComm, &me_);
  MPI_Comm_size(nodeComm, &size_);
  parts_ = std::max(1, std::min(parts, size_));
  config_.chunkBytes = std::max<size_t>(64, roundUpToCacheLine(config_.chunkBytes));
  config_.smallBytes = roundUpToCacheLine(config_.smallBytes);
  config_.depth = std::max(2, config_.depth);
  const size_t depth = static_cast<size_t>(config_.depth);
  const size_t bytes = kCounters * sizeof(SharedCounter) + depth * static_cast<size_t>(parts_) * config_.chunkBytes + depth * config_.chunkBytes;
  return window_.create(nodeComm, bytes);
}

SharedCounter* ShmCollectives::counter(int rank, int which) const {
  return reinterpret_cast<SharedCounter*>(window_.segment(rank)) + which;
}

char* ShmCollectives::stagingSlot(int rank, uint64_t step, int j) const {
  const size_t slot = static_cast<size_t>(step % static_cast<uint64_t>(config_.depth));
  return window_.segment(rank) + kCounters * sizeof(SharedCounter) +
         (slot * static_cast<size_t>(parts_) + static_cast<size_t>(j)) * config_.chunkBytes;
}

char* ShmCollectives::resultSlot(int rank, uint64_t step) const {
  const size_t slot = static_cast<size_t>(step % static_cast<uint64_t>(config_.depth));
  return stagingSlot(rank, 0, 0) + static_cast<size_t>(config_.depth) * static_cast<size_t>(parts_) * config_.chunkBytes +
         slot * config_.chunkBytes;
}

Range ShmCollectives::part(size_t count, int j, size_t elemSize) const {
  return partRange(count, static_cast<size_t>(parts_), static_cast<size_t>(j), cacheLineElements(elemSize));
}

ShmCollectives::Geometry ShmCollectives::geometryOf(size_t count, size_t elemSize) const {
  const size_t chunk = config_.chunkBytes / elemSize;
  size_t longest = 0;
  for (int j = 0; j < parts_; ++j) longest = std::max(longest, part(count, j, elemSize).count);
  return Geometry{count, elemSize, chunk, (longest + chunk - 1) / chunk, count * elemSize >= config_.streamBytes};
}

Range ShmCollectives::chunkOf(int j, size_t index, const Geometry& geometry) const {
  const Range whole = part(geometry.count, j, geometry.elemSize);
  const size_t begin = index * geometry.chunk;
  if (begin >= whole.count) return Range{whole.offset + whole.count, 0};
  return Range{whole.offset + begin, std::min(geometry.chunk, whole.count - begin)};
}

Status ShmCollectives::waitAll(int which, uint64_t target, int ranks, const char* what) {
  for (int s = 0; s < ranks; ++s) {
    if (s != me_) HOOP_RETURN_IF_ERROR(waitAtLeast(counter(s, which)->value, target, *waiter_, what));
  }
  return Status::ok();
}

Status ShmCollectives::stage(uint64_t step, size_t index, const char* input, const Geometry& geometry) {
  const uint64_t depth = static_cast<uint64_t>(config_.depth);
  if (step + 1 > depth) HOOP_RETURN_IF_ERROR(waitAll(kReduced, step + 1 - depth, parts_, "owners to free a staging slot"));
  for (int j = 0; j < parts_; ++j) {
    if (j == me_) continue;
    const Range chunk = chunkOf(j, index, geometry);
    memcpy(stagingSlot(me_, step, j), input + chunk.offset * geometry.elemSize, chunk.count * geometry.elemSize);
  }
  counter(me_, kStaged)->value.store(step + 1, std::memory_order_release);
  return Status::ok();
}

Status ShmCollectives::reduceOwnPart(uint64_t step, size_t index, const char* input, char* output,
                                     const Geometry& geometry, const ReduceSpec& spec, bool finalize) {
  const uint64_t depth = static_cast<uint64_t>(config_.depth);
  HOOP_RETURN_IF_ERROR(waitAll(kStaged, step + 1, size_, "peers to stage their data"));
  if (step + 1 > depth) HOOP_RETURN_IF_ERROR(waitAll(kCopied, step + 1 - depth, size_, "peers to free a result slot"));
  const Range chunk = chunkOf(me_, index, geometry);
  const size_t offset = chunk.offset * geometry.elemSize;
  auto source = [&](int s) -> const char* { return s == me_ ? input + offset : stagingSlot(s, step, me_); };
  char* result = resultSlot(me_, step);
  if (size_ == 1) {
    memcpy(result, source(0), chunk.count * geometry.elemSize);
  } else {
    spec.reduce(result, source(0), source(1), chunk.count);
    for (int s = 2; s < size_; ++s) spec.reduce(result, result, source(s), chunk.count);
  }
  if (finalize && spec.divide != nullptr) spec.divide(result, chunk.count, spec.nranks);
  writeOutput(output + offset, result, chunk.count * geometry.elemSize, geometry.stream);
  counter(me_, kReduced)->value.store(step + 1, std::memory_order_release);
  return Status::ok();
}

Status ShmCollectives::publishOwnPart(uint64_t step, size_t index, const char* output, const Geometry& geometry) {
  const uint64_t depth = static_cast<uint64_t>(config_.depth);
  if (step + 1 > depth) HOOP_RETURN_IF_ERROR(waitAll(kCopied, step + 1 - depth, size_, "peers to free a result slot"));
  const Range chunk = chunkOf(me_, index, geometry);
  memcpy(resultSlot(me_, step), output + chunk.offset * geometry.elemSize, chunk.count * geometry.elemSize);
  counter(me_, kReduced)->value.store(step + 1, std::memory_order_release);
  return Status::ok();
}

Status ShmCollectives::copyOut(uint64_t step, size_t index, char* output, const Geometry& geometry) {
  for (int j = 0; j < parts_; ++j) {
    if (j == me_) continue;
    HOOP_RETURN_IF_ERROR(waitAtLeast(counter(j, kReduced)->value, step + 1, *waiter_, "an owner's result"));
    const Range chunk = chunkOf(j, index, geometry);
    writeOutput(output + chunk.offset * geometry.elemSize, resultSlot(j, step), chunk.count * geometry.elemSize,
                geometry.stream);
  }
  counter(me_, kCopied)->value.store(step + 1, std::memory_order_release);
  return Status::ok();
}

Status ShmCollectives::runPipeline(Kind kind, const char* input, char* output, const Geometry& geometry,
                                   const ReduceSpec* spec) {
  const uint64_t first = nextStep_;
  nextStep_ += geometry.steps;
  const bool staging = kind != Kind::AllGather;
  if (staging && geometry.steps > 0) HOOP_RETURN_IF_ERROR(stage(first, 0, input, geometry));
  for (size_t k = 0; k < geometry.steps; ++k) {
    const uint64_t step = first + k;
    if (!staging) {
      counter(me_, kStaged)->value.store(step + 1, std::memory_order_release);
    } else if (k + 1 < geometry.steps) {
      HOOP_RETURN_IF_ERROR(stage(step + 1, k + 1, input, geometry));
    }
    if (me_ >= parts_) {
      counter(me_, kReduced)->value.store(step + 1, std::memory_order_release);
    } else if (kind == Kind::AllGather) {
      HOOP_RETURN_IF_ERROR(publishOwnPart(step, k, output, geometry));
    } else {
      HOOP_RETURN_IF_ERROR(reduceOwnPart(step, k, input, output, geometry, *spec, kind == Kind::AllReduce));
    }
    if (kind == Kind::ReduceScatter) {
      counter(me_, kCopied)->value.store(step + 1, std::memory_order_release);
    } else {
      HOOP_RETURN_IF_ERROR(copyOut(step, k, output, geometry));
    }
  }
  return Status::ok();
}

bool ShmCollectives::everyRankInPlace() const {
  for (int s = 0; s < size_; ++s) {
    ShmBufferAddresses peer;
    memcpy(&peer, gate_->payload(s), sizeof peer);
    if (peer.send != peer.recv) return false;
  }
  return true;
}

void ShmCollectives::smallAllReduce(void* recv, size_t count, const ReduceSpec& spec) {
  spec.reduce(recv, gate_->payload(0), gate_->payload(1), count);
  for (int s = 2; s < size_; ++s) spec.reduce(recv, recv, gate_->payload(s), count);
  if (spec.divide != nullptr) spec.divide(recv, count, spec.nranks);
}

Status ShmCollectives::allReduce(const void* send, void* recv, size_t count, const ReduceSpec& spec,
                                 const CallContext& call, Waiter& waiter) {
  const size_t bytes = count * spec.elemSize;
  const bool small = bytes <= config_.smallBytes;
  // Above the latency path every rank publishes its buffers' addresses at the gate, where the
  // single copy finds them.
  const bool addressed = !small && singleCopy_ != nullptr;
  waiter_ = &waiter;
  const ShmBufferAddresses addresses{send, recv};
  if (size_ > 1) {
    HOOP_RETURN_IF_ERROR(gate_->enter(call, addressed ? static_cast<const void*>(&addresses) : send,
                                      addressed ? sizeof addresses : small ? bytes : 0, waiter));
  }
  if (count == 0) return Status::ok();
  if (size_ == 1) {
    if (send != recv) memcpy(recv, send, bytes);
    if (spec.divide != nullptr) spec.divide(recv, count, spec.nranks);
    return Status::ok();
  }
  if (small) {
    smallAllReduce(recv, count, spec);
    return Status::ok();
  }
  // Outputs too large to stay in cache take the staged pipeline, whose ranks each write their
  // whole output themselves, with non-temporal stores; the peers' writes of the single copy
  // would read every output line from memory first. When every rank works in place, the
  // single copy writes lines its peers have just read, and it stays the faster path.
  if (addressed && (bytes < config_.streamBytes || everyRankInPlace())) {
    return singleCopy_->allReduce(send, recv, count, spec, *gate_, call.signature.sequence, waiter);
  }
  Geometry geometry = geometryOf(count, spec.elemSize);
  geometry.stream = geometry.stream && send != recv;  // in place, the output's lines are in cache already
  return runPipeline(Kind::AllReduce, static_cast<const char*>(send), static_cast<char*>(recv), geometry, &spec);
}

Status ShmCollectives::reduceScatter(const void* send, void* recv, size_t count, const ReduceSpec& spec,
                                     Waiter& waiter) {
  if (count == 0) return Status::ok();
  if (size_ == 1) {
    if (send != recv) memcpy(recv, send, count * spec.elemSize);
    return Status::ok();
  }
  waiter_ = &waiter;
  return runPipeline(Kind::ReduceScatter, static_cast<const char*>(send), static_cast<char*>(recv),
                     geometryOf(count, spec.elemSize), &spec);
}

Status ShmCollectives::allGather(void* recv, size_t count, size_t elemSize, Waiter& waiter) {
  if (count == 0 || size_ == 1) return Status::ok();
  waiter_ = &waiter;
  return runPipeline(Kind::AllGather, nullptr, static_cast<char*>(recv), geometryOf(count, elemSize), nullptr);
}

}  // namespace hoop
