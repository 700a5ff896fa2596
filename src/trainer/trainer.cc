// hoop::Trainer: registration, the bookkeeping of a step and its timings. The exchanges of
// the two paradigms live in allreduce_sync.cc and parameter_server.cc, the initial broadcast
// in initial_broadcast.cc.
#include "hoop/trainer.h"

#include <math.h>

#include <new>
#include <utility>

#include "core/comm_registry.h"
#include "core/progress_engine.h"
#include "reduce/cpu_reducer.h"
#include "trainer/bucket_plan.h"
#include "trainer/initial_broadcast.h"
#include "trainer/sgd.h"
#include "trainer/trainer_state.h"
#include "trainer/wire_codec.h"

namespace hoop {

struct Trainer::Impl : TrainerState {};

namespace {

// Runs `body`, recording a failure (or an exhausted heap) as the communicator's last error.
template <typename Body>
hoopResult_t guarded(hoopComm* comm, Body&& body) {
  try {
    return recordError(comm, body());
  } catch (const std::bad_alloc&) {
    return recordError(comm, Status(hoopSystemError, "hoop::Trainer: out of memory"));
  }
}

Status checkOptions(const TrainerOptions& options, int nranks) {
  if (options.mode != SyncMode::AllReduce && options.mode != SyncMode::ParameterServer && options.mode != SyncMode::None) {
    return Status(hoopInvalidArgument, format("hoop::Trainer: unknown mode %d", static_cast<int>(options.mode)));
  }
  if (options.compression != WireCompression::None && options.compression != WireCompression::Float16 &&
      options.compression != WireCompression::Bfloat16) {
    return Status(hoopInvalidArgument,
                  format("hoop::Trainer: unknown compression %d", static_cast<int>(options.compression)));
  }
  if (options.bucketBytes == 0 || options.firstBucketBytes == 0) {
    return Status(hoopInvalidArgument, format("hoop::Trainer: bucket caps must be positive (bucketBytes %zu, "
                                              "firstBucketBytes %zu)", options.bucketBytes, options.firstBucketBytes));
  }
  if (options.mode == SyncMode::ParameterServer && (options.serverCount < 1 || options.serverCount > nranks)) {
    return Status(hoopInvalidArgument, format("hoop::Trainer: serverCount %d must be in [1, %d] (the rank count)",
                                              options.serverCount, nranks));
  }
  if (!isfinite(options.learningRate) || !isfinite(options.momentum) || options.momentum < 0) {
    return Status(hoopInvalidArgument, format("hoop::Trainer: learningRate %g and momentum %g must be finite, "
                                              "momentum >= 0", options.learningRate, options.momentum));
  }
  return Status::ok();
}

void beginStepClock(TrainerState& state) {
  if (state.stepStartNs < 0) state.stepStartNs = steadyNanoseconds();
}

// Packs a ready tensor into its bucket and starts what became complete.
Status markTensorReady(TrainerState& state, TensorSlot& tensor) {
  tensor.ready = true;
  if (state.options.mode == SyncMode::None) return Status::ok();
  Bucket& bucket = state.buckets[static_cast<size_t>(tensor.bucket)];
  if (!bucket.direct) {
    packToWire(bucket.wire.data() + tensor.offset * dataTypeSize(bucket.wireType), bucket.wireType, tensor.gradients,
               tensor.datatype, tensor.count);
  }
  --bucket.pending;
  return launchReadyBuckets(state);
}

}  // namespace

Status planTrainer(TrainerState& state) {
  if (state.planned) return Status::ok();
  if (state.tensors.empty()) return Status(hoopInvalidUsage, "hoop::Trainer: no parameters registered (addParameter)");
  std::vector<TensorShape> shapes;
  for (const TensorSlot& tensor : state.tensors) shapes.push_back(TensorShape{tensor.count, tensor.datatype});
  const std::vector<BucketSpec> plan = planBuckets(shapes, state.options.firstBucketBytes, state.options.bucketBytes);
  state.buckets = std::vector<Bucket>(plan.size());
  std::vector<size_t> wireBytes;
  for (const BucketSpec& spec : plan) {
    wireBytes.push_back(spec.count * dataTypeSize(wireDataType(spec.datatype, state.options.compression)));
  }
  const std::vector<int> servers = assignServers(wireBytes, state.options.serverCount, state.comm->nranks);
  for (size_t b = 0; b < plan.size(); ++b) {
    Bucket& bucket = state.buckets[b];
    bucket.datatype = plan[b].datatype;
    bucket.wireType = wireDataType(bucket.datatype, state.options.compression);
    bucket.tensors = plan[b].tensors;
    bucket.count = plan[b].count;
    bucket.pending = bucket.tensors.size();
    bucket.direct = bucket.tensors.size() == 1 && bucket.wireType == bucket.datatype;
    bucket.server = servers[b];
    if (!bucket.direct) bucket.wire.assign(bucket.count * dataTypeSize(bucket.wireType), 0);
    if (!bucket.direct && state.options.mode == SyncMode::ParameterServer) {
      bucket.fusedParameters.assign(bucket.count * dataTypeSize(bucket.datatype), 0);
    }
    for (size_t k = 0; k < bucket.tensors.size(); ++k) {
      TensorSlot& tensor = state.tensors[static_cast<size_t>(bucket.tensors[k])];
      tensor.bucket = static_cast<int>(b);
      tensor.offset = plan[b].offsets[k];
    }
  }
  state.planned = true;
  return Status::ok();
}

Status launchReadyBuckets(TrainerState& state) {
  while (state.nextLaunch < state.buckets.size() && state.buckets[state.nextLaunch].pending == 0) {
    Bucket& bucket = state.buckets[state.nextLaunch];
    void* data = bucket.direct ? state.tensors[static_cast<size_t>(bucket.tensors[0])].gradients : bucket.wire.data();
    const OpKind kind =
        state.options.mode == SyncMode::ParameterServer ? OpKind::FlatReduce : OpKind::AllReduce;
    const CollectiveOp op{kind, data, data, bucket.count, bucket.wireType, hoopAvg, bucket.server};
    HOOP_RETURN_IF_ERROR(state.comm->progress->submit(op, &bucket.push));
    ++state.nextLaunch;
  }
  return Status::ok();
}

Status finishRequest(TrainerState& state, hoopRequest*& request) {
  ProgressEngine& engine = *state.comm->progress;
  const Status status = engine.wait(request);
  state.current.commSeconds += static_cast<double>(request->endNs - request->startNs) * 1e-9;
  state.current.bytesSent += request->traffic.bytesSent;
  state.current.bytesReceived += request->traffic.bytesReceived;
  engine.release(request);
  request = nullptr;
  return status;
}

Status applyUpdate(TrainerState& state, TensorSlot& tensor) {
  const int64_t start = steadyNanoseconds();
  const double momentum = state.options.momentum;
  if (momentum != 0 && tensor.velocity.empty()) tensor.velocity.assign(tensor.count * dataTypeSize(tensor.datatype), 0);
  sgdUpdate(tensor.parameters, tensor.gradients, tensor.velocity.data(), tensor.count, tensor.datatype,
            state.options.learningRate, momentum);
  state.current.updateSeconds += static_cast<double>(steadyNanoseconds() - start) * 1e-9;
  return Status::ok();
}

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Trainer::~Trainer() {
  // Requests still in flight use the trainer's buffers: let them finish first.
  for (Bucket& bucket : impl_->buckets) {
    if (bucket.push != nullptr) finishRequest(*impl_, bucket.push);
    if (bucket.pull != nullptr) finishRequest(*impl_, bucket.pull);
  }
}

hoopResult_t Trainer::create(hoopComm_t comm, const TrainerOptions& options, std::unique_ptr<Trainer>* trainer) {
  if (trainer == nullptr) return recordError(nullptr, Status(hoopInvalidArgument, "hoop::Trainer::create: trainer is NULL"));
  if (comm == nullptr || !isLiveComm(comm)) {
    return recordError(nullptr, Status(hoopInvalidArgument, "hoop::Trainer::create: comm is not a live communicator"));
  }
  return guarded(comm, [&] {
    if (comm->device >= 0) {
      return Status(hoopInvalidUsage, format("hoop::Trainer::create: the trainer works on host memory, and this is a "
                                             "device communicator (CUDA device %d)", comm->device));
    }
    HOOP_RETURN_IF_ERROR(checkOptions(options, comm->nranks));
    if (options.mode != SyncMode::None) {
      const Status ready = ensureProgressEngine(comm);
      if (!ready.isOk()) return Status(ready.code(), "hoop::Trainer::create: " + ready.message());
    }
    auto impl = std::make_unique<Impl>();
    impl->comm = comm;
    impl->options = options;
    // A lone rank has nothing to average or to serve: unless the wire compression rounds its
    // gradients, its step is the local one, with no packing and no collectives.
    if (comm->nranks == 1 && options.compression == WireCompression::None) impl->options.mode = SyncMode::None;
    trainer->reset(new Trainer(std::move(impl)));
    return Status::ok();
  });
}

hoopResult_t Trainer::addParameter(void* parameters, void* gradients, size_t count, hoopDataType_t datatype,
                                   int* index) {
  TrainerState& state = *impl_;
  return guarded(state.comm, [&] {
    if (state.planned) {
      return Status(hoopInvalidUsage, "hoop::Trainer::addParameter: registration is closed once the trainer has "
                                      "broadcast, marked a gradient ready or stepped");
    }
    if (datatype != hoopFloat32 && datatype != hoopFloat64) {
      return Status(hoopInvalidArgument,
                    format("hoop::Trainer::addParameter: datatype %d is not hoopFloat32 or hoopFloat64", datatype));
    }
    if (parameters == nullptr || gradients == nullptr || count == 0) {
      return Status(hoopInvalidArgument, format("hoop::Trainer::addParameter: parameters %p, gradients %p, count %zu "
                                                "(both pointers non-NULL, count > 0)", parameters, gradients, count));
    }
    if (index != nullptr) *index = static_cast<int>(state.tensors.size());
    state.tensors.push_back(TensorSlot{parameters, gradients, count, datatype, -1, 0, false, {}});
    return Status::ok();
  });
}

hoopResult_t Trainer::broadcastParameters() {
  TrainerState& state = *impl_;
  return guarded(state.comm, [&] {
    HOOP_RETURN_IF_ERROR(planTrainer(state));
    for (TensorSlot& tensor : state.tensors) {
      HOOP_RETURN_IF_ERROR(broadcastFromRankZero(state.comm, tensor.parameters, tensor.count, tensor.datatype));
    }
    state.stepStartNs = steadyNanoseconds();
    return Status::ok();
  });
}

hoopResult_t Trainer::markReady(int index) {
  TrainerState& state = *impl_;
  return guarded(state.comm, [&] {
    HOOP_RETURN_IF_ERROR(planTrainer(state));
    if (index < 0 || static_cast<size_t>(index) >= state.tensors.size()) {
      return Status(hoopInvalidArgument, format("hoop::Trainer::markReady: index %d is not a registered parameter "
                                                "(0..%zu)", index, state.tensors.size() - 1));
    }
    TensorSlot& tensor = state.tensors[static_cast<size_t>(index)];
    if (tensor.ready) {
      return Status(hoopInvalidUsage, format("hoop::Trainer::markReady: gradient %d is already ready in this step", index));
    }
    beginStepClock(state);
    return markTensorReady(state, tensor);
  });
}

hoopResult_t Trainer::synchronize() {
  TrainerState& state = *impl_;
  return guarded(state.comm, [&] {
    HOOP_RETURN_IF_ERROR(planTrainer(state));
    beginStepClock(state);
    const int64_t start = steadyNanoseconds();
    const double updateBefore = state.current.updateSeconds;
    Status status;
    for (TensorSlot& tensor : state.tensors) {
      if (!tensor.ready && status.isOk()) status = markTensorReady(state, tensor);
    }
    if (status.isOk() && state.options.mode == SyncMode::AllReduce) status = finishAllReduce(state);
    if (status.isOk() && state.options.mode == SyncMode::ParameterServer) status = finishParameterServer(state);
    for (TensorSlot& tensor : state.tensors) tensor.ready = false;
    for (Bucket& bucket : state.buckets) bucket.pending = bucket.tensors.size();
    state.nextLaunch = 0;
    const double updateInside = state.current.updateSeconds - updateBefore;
    state.current.exposedCommSeconds += static_cast<double>(steadyNanoseconds() - start) * 1e-9 - updateInside;
    return status;
  });
}

hoopResult_t Trainer::step() {
  TrainerState& state = *impl_;
  const hoopResult_t synchronized = synchronize();
  if (synchronized != hoopSuccess) return synchronized;
  return guarded(state.comm, [&] {
    if (state.options.mode != SyncMode::ParameterServer) {
      for (TensorSlot& tensor : state.tensors) HOOP_RETURN_IF_ERROR(applyUpdate(state, tensor));
    }
    const int64_t end = steadyNanoseconds();
    state.current.stepSeconds = static_cast<double>(end - state.stepStartNs) * 1e-9;
    state.current.computeSeconds =
        state.current.stepSeconds - state.current.exposedCommSeconds - state.current.updateSeconds;
    state.last = state.current;
    state.current = StepTimings{};
    state.stepStartNs = end;
    return Status::ok();
  });
}

const StepTimings& Trainer::lastStep() const { return impl_->last; }

}  // namespace hoop
