// The all-reduce paradigm's end of a step: every bucket's average was started by markReady
// (or by synchronize for the stragglers); wait for them in issue order and copy the averaged
// gradients out of the fused buckets into the tensors. Buckets holding one uncompressed
// tensor were reduced in the tensor's own memory and need no copy.
#include "core/progress_engine.h"
#include "reduce/cpu_reducer.h"
#include "trainer/trainer_state.h"
#include "trainer/wire_codec.h"

namespace hoop {

Status finishAllReduce(TrainerState& state) {
  Status first;
  for (Bucket& bucket : state.buckets) {
    const Status status = finishRequest(state, bucket.push);
    if (!status.isOk()) {
      if (first.isOk()) first = status;
      continue;
    }
    if (bucket.direct) continue;
    const size_t wireSize = dataTypeSize(bucket.wireType);
    for (int index : bucket.tensors) {
      TensorSlot& tensor = state.tensors[static_cast<size_t>(index)];
      unpackFromWire(tensor.gradients, tensor.datatype, bucket.wire.data() + tensor.offset * wireSize, bucket.wireType,
                     tensor.count);
    }
  }
  return first;
}

}  // namespace hoop
