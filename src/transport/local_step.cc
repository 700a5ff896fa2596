#include <string.h>

#include "transport/executor.h"

namespace hoop {

Status Executor::runNative(const NativeAllReduce&) {
  return Status(hoopInvalidUsage, "HOOP_ALGO=nccl needs a communicator created by hoopCommInitNcclMPI");
}

void runLocalStep(const Step& step, const Buffers& buffers, const ReduceSpec& spec) {
  char* dst = spanPointer(buffers, step.dst, spec.elemSize);
  if (step.kind == StepKind::Copy) {
    const char* src = spanPointer(buffers, step.src, spec.elemSize);
    if (src != dst) memcpy(dst, src, step.dst.count * spec.elemSize);
  } else if (step.kind == StepKind::Reduce) {
    reduceInOrder(spec, step.order, dst, spanPointer(buffers, step.src, spec.elemSize), dst, step.dst.count);
  } else if (spec.divide != nullptr) {
    spec.divide(dst, step.dst.count, spec.nranks);
  }
}

}  // namespace hoop
