#pragma once

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include <memory>

#include "algorithms/partition.h"
#include "transport/executor.h"
#include "transport/shm/shm_call_gate.h"
#include "transport/shm/shm_single_copy.h"
#include "transport/shm/shm_wait.h"
#include "transport/shm/shm_window.h"

namespace hoop {

struct ShmCollectivesConfig {
  size_t chunkBytes;  // bytes of one part handled per pipeline step
  int depth;          // pipeline steps whose slots may be in use at once (>= 2)
  size_t smallBytes;  // all-reduces up to this size take the latency path
  size_t streamBytes;  // outputs of at least this size are written with non-temporal stores
  bool singleCopy;     // all-reduce larger than smallBytes by cross-memory attach when it works
  size_t singleCopyChunkBytes;
};

// The direct shared-memory collectives of one node. The buffer is cut into `parts`
// contiguous parts; part j belongs to the node's rank j (parts <= node size), which reduces
// it straight out of every rank's staged data. See shm_collectives.cc.
class ShmCollectives {
 public:
  explicit ShmCollectives(const ShmCollectivesConfig& config) : config_(config) {}

  // Collective over nodeComm. The latency path carries its data through `gate`, whose
  // payload must hold config.smallBytes and ShmBufferAddresses.
  Status init(MPI_Comm nodeComm, int parts, ShmCallGate* gate);
  // Whether larger all-reduces take the single-copy path (shm_single_copy.h).
  bool singleCopy() const { return singleCopy_ != nullptr; }

  // recv = op over the node's send, on every rank of the node, finalised (avg divided by
  // spec.nranks). Enters the gate itself.
  Status allReduce(const void* send, void* recv, size_t count, const ReduceSpec& spec, const CallContext& call,
                   Waiter& waiter);
  // The node phases of a call that has passed the gate. The owner of each part gets
  // recv[part] = op over the node's send[part], not finalised; other ranks' recv is not
  // written.
  Status reduceScatter(const void* send, void* recv, size_t count, const ReduceSpec& spec, Waiter& waiter);
  // Every rank gets recv[part j] = recv[part j] of part j's owner.
  Status allGather(void* recv, size_t count, size_t elemSize, Waiter& waiter);

  // The elements of part j of a count-element buffer.
  Range part(size_t count, int j, size_t elemSize) const;
  int parts() const { return parts_; }
  size_t smallBytes() const { return config_.smallBytes; }
  int localRank() const { return me_; }
  int localSize() const { return size_; }

 private:
  enum class Kind { AllReduce, ReduceScatter, AllGather };
  struct Geometry {
    size_t count;
    size_t elemSize;
    size_t chunk;  // elements per part per step
    size_t steps;
    bool stream;  // write the output with non-temporal stores
  };

  Status runPipeline(Kind kind, const char* input, char* output, const Geometry& geometry, const ReduceSpec* spec);
  // After the gate of an addressed all-reduce: whether every rank's send is its recv.
  bool everyRankInPlace() const;
  void smallAllReduce(void* recv, size_t count, const ReduceSpec& spec);
  Status stage(uint64_t step, size_t index, const char* input, const Geometry& geometry);
  Status reduceOwnPart(uint64_t step, size_t index, const char* input, char* output, const Geometry& geometry,
                       const ReduceSpec& spec, bool finalize);
  Status publishOwnPart(uint64_t step, size_t index, const char* output, const Geometry& geometry);
  Status copyOut(uint64_t step, size_t index, char* output, const Geometry& geometry);
  Status waitAll(int counter, uint64_t target, int ranks, const char* what);
  Geometry geometryOf(size_t count, size_t elemSize) const;
  Range chunkOf(int j, size_t index, const Geometry& geometry) const;

  SharedCounter* counter(int rank, int which) const;
  char* stagingSlot(int rank, uint64_t step, int j) const;
  char* resultSlot(int rank, uint64_t step) const;

  ShmCollectivesConfig config_;
  ShmWindow window_;
  ShmCallGate* gate_ = nullptr;
  std::unique_ptr<ShmSingleCopy> singleCopy_;  // NULL: staged pipeline only
  Waiter* waiter_ = nullptr;  // the current call's
  int me_ = 0;
  int size_ = 1;
  int parts_ = 1;
  uint64_t nextStep_ = 0;  // pipeline steps taken so far, identical on every rank
};

}  // namespace hoop
