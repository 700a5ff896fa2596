// Single-copy all-reduce inside a node, over Linux cross-memory attach (process_vm_readv /
// process_vm_writev: the kernel copies straight between two processes' private memory).
//
// The buffer is cut into one contiguous part per rank (cache-line boundaries); rank j owns
// part j. The ranks meet at the call gate, each publishing the addresses of its input and
// output. Then every rank walks its own part in chunks: it reads the chunk of every peer's
// input into a staging buffer of its own (one copy, by the kernel), reduces all inputs in
// rank order (its own read in place) straight into its output, finalises it (avg), and
// writes that chunk of its output, still in cache, into every peer's output (one copy, by
// the kernel). At
// the end it publishes the call's sequence number (release) and waits until every peer has
// published it (acquire): its output is then complete, and no peer reads its input any
// more, so the buffers go back to the caller.
//
// Against the staged pipeline (shm_collectives.cc) the data crosses between processes
// without going through a shared segment: every byte is copied once fewer, no cache lines
// travel between cores through the shared slots, and each rank only waits once per call.
// In place, a peer's input chunk is read before the result overwrites it, and only the
// part's owner touches that part of any buffer. Results are bitwise identical on all ranks:
// each part is reduced once, in rank order, and copied.
//
// Cross-memory attach needs the right to trace the peer (same user, and Yama's ptrace
// scope allowing it, or CAP_SYS_PTRACE); init() tries a read from every peer and every rank
// learns whether all of them succeeded.
#include "transport/shm/shm_single_copy.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>


namespace hoop {

namespace {

// What init() reads from every peer: proves the right to read, and that the address is right.
const uint64_t kProbeWord = 0x686f6f70434d4121ull;

Status copyFailure(const char* call, int peer, ssize_t done, size_t wanted) {
  return Status(hoopSystemError, format("%s with node rank %d moved %zd of %zu bytes: %s", call, peer, done, wanted,
                                        done < 0 ? strerror(errno) : "short copy"));
}

Status readFrom(pid_t pid, int peer, void* local, const void* remote, size_t bytes) {
  iovec mine{local, bytes};
  iovec theirs{const_cast<void*>(remote), bytes};
  const ssize_t done = process_vm_readv(pid, &mine, 1, &theirs, 1, 0);
  if (done == static_cast<ssize_t>(bytes)) return Status::ok();
  return copyFailure("process_vm_readv", peer, done, bytes);
}

Status writeTo(pid_t pid, int peer, void* remote, const void* local, size_t bytes) {
  iovec mine{const_cast<void*>(local), bytes};
  iovec theirs{remote, bytes};
  const ssize_t done = process_vm_writev(pid, &mine, 1, &theirs, 1, 0);
  if (done == static_cast<ssize_t>(bytes)) return Status::ok();
  return copyFailure("process_vm_writev", peer, done, bytes);
}

}  // namespace

Status ShmSingleCopy::init(MPI_Comm nodeComm, size_t chunkBytes, bool* usable) {
  *usable = false;
  MPI_Comm_rank(nodeComm, &me_);
  MPI_Comm_size(nodeComm, &size_);
  chunkBytes_ = std::max<size_t>(64, chunkBytes / 64 * 64);
  struct Identity {
    long long pid;
    unsigned long long probe;
  };
  const Identity mine{static_cast<long long>(getpid()), reinterpret_cast<uintptr_t>(&kProbeWord)};
  std::vector<Identity> all(static_cast<size_t>(size_));
  int rc = MPI_Allgather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, nodeComm);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Allgather on the node failed with code %d", rc));
  pids_.clear();
  int readable = 1;
  for (int s = 0; s < size_; ++s) {
    const Identity& peer = all[static_cast<size_t>(s)];
    pids_.push_back(static_cast<pid_t>(peer.pid));
    uint64_t word = 0;
    if (s != me_ && (!readFrom(pids_.back(), s, &word, reinterpret_cast<const void*>(peer.probe), sizeof word).isOk() ||
                     word != kProbeWord)) {
      readable = 0;
    }
  }
  rc = MPI_Allreduce(MPI_IN_PLACE, &readable, 1, MPI_INT, MPI_MIN, nodeComm);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Allreduce on the node failed with code %d", rc));
  if (!readable) return Status::ok();
  if (!staging_.reserve(static_cast<size_t>(size_) * chunkBytes_)) {
    return Status(hoopSystemError, format("cannot allocate %zu bytes of staging memory", size_ * chunkBytes_));
  }
  HOOP_RETURN_IF_ERROR(window_.create(nodeComm, sizeof(SharedCounter)));
  *usable = true;
  return Status::ok();
}

Range ShmSingleCopy::part(size_t count, int j, size_t elemSize) const {
  return partRange(count, static_cast<size_t>(size_), static_cast<size_t>(j), cacheLineElements(elemSize));
}

Status ShmSingleCopy::allReduce(const void* send, void* recv, size_t count, const ReduceSpec& spec,
                                const ShmCallGate& gate, uint64_t sequence, Waiter& waiter) {
  const size_t elemSize = spec.elemSize;
  const Range mine = part(count, me_, elemSize);
  const size_t chunk = std::max<size_t>(1, chunkBytes_ / elemSize);
  peers_.resize(static_cast<size_t>(size_));  // allocates on the first call only
  for (int s = 0; s < size_; ++s) memcpy(&peers_[static_cast<size_t>(s)], gate.payload(s), sizeof(ShmBufferAddresses));
  const char* input = static_cast<const char*>(send);
  char* output = static_cast<char*>(recv);
  for (size_t done = 0; done < mine.count; done += chunk) {
    const size_t n = std::min(chunk, mine.count - done);
    const size_t offset = (mine.offset + done) * elemSize;
    const size_t bytes = n * elemSize;
    auto staged = [&](int s) { return staging_.data() + static_cast<size_t>(s) * chunkBytes_; };
    auto source = [&](int s) -> const char* { return s == me_ ? input + offset : staged(s); };
    for (int s = 0; s < size_; ++s) {
      if (s == me_) continue;
      const char* theirs = static_cast<const char*>(peers_[static_cast<size_t>(s)].send) + offset;
      HOOP_RETURN_IF_ERROR(readFrom(pids_[static_cast<size_t>(s)], s, staged(s), theirs, bytes));
    }
    // In place, a rank after the first two would overwrite its input before reading it: its
    // own (unused) staging chunk takes the result then.
    const bool overwritesInput = input == output && me_ >= 2;
    char* result = overwritesInput ? staged(me_) : output + offset;
    spec.reduce(result, source(0), source(1), n);
    for (int s = 2; s < size_; ++s) spec.reduce(result, result, source(s), n);
    if (spec.divide != nullptr) spec.divide(result, n, spec.nranks);
    if (overwritesInput) memcpy(output + offset, result, bytes);
    for (int s = 0; s < size_; ++s) {
      if (s == me_) continue;
      char* theirs = static_cast<char*>(peers_[static_cast<size_t>(s)].recv) + offset;
      HOOP_RETURN_IF_ERROR(writeTo(pids_[static_cast<size_t>(s)], s, theirs, result, bytes));
    }
  }
  SharedCounter* delivered = reinterpret_cast<SharedCounter*>(window_.segment(me_));
  delivered->value.store(sequence, std::memory_order_release);
  for (int s = 0; s < size_; ++s) {
    if (s == me_) continue;
    const auto* theirs = reinterpret_cast<const SharedCounter*>(window_.segment(s));
    HOOP_RETURN_IF_ERROR(waitAtLeast(theirs->value, sequence, waiter, "the node's ranks to deliver their parts"));
  }
  return Status::ok();
}

}  // namespace hoop
