#pragma once

#include <mpi.h>

#include <vector>

#include "base/aligned_buffer.h"
#include "transport/executor.h"

namespace hoop {

// Executes schedules between MPI processes with nonblocking point-to-point messages.
class MpiExecutor : public Executor {
 public:
  // `comm` must be hoop's private duplicate; the executor frees it.
  MpiExecutor(MPI_Comm comm, size_t segmentBytes, int pipelineDepth);
  ~MpiExecutor() override;
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;

  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec) override;

 private:
  struct PipelinedReceive {
    const Step* step;
    size_t segments;  // total segments of the step
    size_t done;      // segments reduced so far
    size_t posted;    // segments whose receive is posted
    char* staging;    // pipelineDepth_ slots of segment size
  };

  Status runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec);
  Status postSegments(const Step& step, const Buffers& buffers, const ReduceSpec& spec);
  Status postStagedReceive(PipelinedReceive& receive, const ReduceSpec& spec, int slotRequest);
  Status drainReduces(const Buffers& buffers, const ReduceSpec& spec);
  Status mpiFailure(const char* call, int code) const;

  MPI_Comm comm_;
  int rank_ = 0;
  size_t segmentBytes_;
  size_t segment_ = 0;  // segmentBytes_ rounded down to whole elements of the current call
  int pipelineDepth_;
  AlignedBuffer staging_;
  std::vector<MPI_Request> requests_;       // sends and direct receives of the round
  std::vector<PipelinedReceive> reduces_;   // RecvReduce steps of the round
  std::vector<MPI_Request> reduceHeads_;    // per RecvReduce: pipelineDepth_ slot requests
};

}  // namespace hoop
