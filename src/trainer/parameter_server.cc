// The parameter-server paradigm's end of a step.
//
// Each bucket belongs to one server rank (bucket_plan.cc); the servers are ordinary ranks that
// also train. During backward each complete bucket was pushed to its server with a flat
// reduce (every rank sends the whole bucket to the server, which averages the arrivals in
// rank order). Here, bucket by bucket in issue order: the server waits for its push, copies
// the averaged gradients into its tensors, applies the optimizer to its shard of the
// parameters and starts a flat broadcast of the updated parameters (the pull); the other
// ranks start the same broadcast as receivers. Then every rank waits for the pulls and
// copies the parameters into its tensors. Each server receives and sends (n-1) copies of
// its shard per step, against 2(n-1)/n of the model for a rank of the ring all-reduce: the
// bottleneck this mode exists to measure. Optimizer state lives on the servers only.
#include <string.h>

#include "core/progress_engine.h"
#include "reduce/cpu_reducer.h"
#include "trainer/trainer_state.h"
#include "trainer/wire_codec.h"

namespace hoop {

namespace {

// On the server: averaged gradients into the tensors, optimizer step, parameters into the
// bucket's pull buffer.
Status updateShard(TrainerState& state, Bucket& bucket) {
  const size_t wireSize = dataTypeSize(bucket.wireType);
  const size_t elemSize = dataTypeSize(bucket.datatype);
  for (int index : bucket.tensors) {
    TensorSlot& tensor = state.tensors[static_cast<size_t>(index)];
    if (!bucket.direct) {
      unpackFromWire(tensor.gradients, tensor.datatype, bucket.wire.data() + tensor.offset * wireSize, bucket.wireType,
                     tensor.count);
    }
    HOOP_RETURN_IF_ERROR(applyUpdate(state, tensor));
    if (!bucket.direct) {
      memcpy(bucket.fusedParameters.data() + tensor.offset * elemSize, tensor.parameters, tensor.count * elemSize);
    }
  }
  return Status::ok();
}

void* pullBuffer(TrainerState& state, Bucket& bucket) {
  return bucket.direct ? state.tensors[static_cast<size_t>(bucket.tensors[0])].parameters
                       : static_cast<void*>(bucket.fusedParameters.data());
}

}  // namespace

Status finishParameterServer(TrainerState& state) {
  const int rank = state.comm->rank;
  Status first;
  for (Bucket& bucket : state.buckets) {
    Status status = finishRequest(state, bucket.push);
    if (status.isOk() && rank == bucket.server) status = updateShard(state, bucket);
    if (status.isOk()) {
      void* parameters = pullBuffer(state, bucket);
      const CollectiveOp pull{OpKind::FlatBroadcast, parameters, parameters, bucket.count, bucket.datatype,
                              hoopSum, bucket.server};
      status = state.comm->progress->submit(pull, &bucket.pull);
    }
    if (!status.isOk() && first.isOk()) first = status;
  }
  for (Bucket& bucket : state.buckets) {
    if (bucket.pull == nullptr) continue;
    const Status status = finishRequest(state, bucket.pull);
    if (!status.isOk()) {
      if (first.isOk()) first = status;
      continue;
    }
    if (bucket.direct || rank == bucket.server) continue;
    for (int index : bucket.tensors) {
      TensorSlot& tensor = state.tensors[static_cast<size_t>(index)];
      const size_t bytes = dataTypeSize(tensor.datatype);
      memcpy(tensor.parameters, bucket.fusedParameters.data() + tensor.offset * bytes, tensor.count * bytes);
    }
  }
  return first;
}

}  // namespace hoop
