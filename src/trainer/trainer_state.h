// The state behind hoop::Trainer, shared by the files that implement its paradigms:
// trainer.cc (registration, markReady, timings), allreduce_sync.cc and parameter_server.cc.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "base/status.h"
#include "core/comm.h"
#include "hoop/trainer.h"

struct hoopRequest;

namespace hoop {

struct TensorSlot {
  void* parameters;
  void* gradients;
  size_t count;
  hoopDataType_t datatype;
  int bucket = -1;
  size_t offset = 0;  // elements into the bucket
  bool ready = false;
  std::vector<char> velocity;  // momentum state, allocated on the first update that needs it
};

struct Bucket {
  hoopDataType_t datatype;  // of its tensors
  hoopDataType_t wireType;  // on the wire (compressed or not)
  std::vector<int> tensors;
  size_t count = 0;
  size_t pending = 0;       // tensors not yet ready this step
  bool direct = false;      // one uncompressed tensor: communicate its own memory, no copies
  int server = 0;           // parameter-server mode: the rank that owns this shard
  std::vector<char> wire;             // fused gradients (unless direct)
  std::vector<char> fusedParameters;  // parameter-server mode: the pulled parameters (unless direct)
  hoopRequest* push = nullptr;    // the gradient collective in flight
  hoopRequest* pull = nullptr;    // parameter-server mode: the parameter broadcast in flight
};

struct TrainerState {
  hoopComm* comm = nullptr;
  TrainerOptions options;
  std::vector<TensorSlot> tensors;
  std::vector<Bucket> buckets;
  bool planned = false;
  size_t nextLaunch = 0;  // the first bucket whose collective has not started this step
  int64_t stepStartNs = -1;
  StepTimings current;
  StepTimings last;
};

// Builds the buckets at first use (registration is closed from then on).
Status planTrainer(TrainerState& state);
// Starts, in bucket order, every bucket that is complete and whose predecessors started.
Status launchReadyBuckets(TrainerState& state);
// Waits for a request, adds its time and traffic to the step, returns it to the pool.
Status finishRequest(TrainerState& state, hoopRequest*& request);
// The paradigms' halves of synchronize(), called once every bucket has started.
Status finishAllReduce(TrainerState& state);
Status finishParameterServer(TrainerState& state);
// The optimizer step on one tensor, with its gradients in place.
Status applyUpdate(TrainerState& state, TensorSlot& tensor);

}  // namespace hoop
