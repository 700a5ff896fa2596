/*
 * hoop::Trainer: data-parallel training on a hoop communicator, for C++ trainers.
 *
 * Every rank holds a full copy of the model and computes gradients on its share of the
 * global batch; the trainer makes every rank's parameters follow the same trajectory as one
 * process training on the whole batch. Two paradigms sit behind one interface, chosen by
 * TrainerOptions::mode:
 *
 *  - AllReduce: gradients are averaged with the ring all-reduce, in fusion buckets that start
 *    while backward is still running (as PyTorch DDP and Horovod do); then every rank applies
 *    the same optimizer step locally.
 *  - ParameterServer: gradient buckets are sharded over serverCount server ranks, spread
 *    evenly over the ranks (server s is rank s * nranks / serverCount; they also train),
 *    each bucket to the server with the fewest bytes so far; every step each rank pushes
 *    each bucket's gradients to its server, the server averages them, applies the
 *    optimizer to its shard, and every rank pulls the updated parameters back (synchronous).
 *  - None: no communication; each rank trains on its own (the baseline of benchmarks).
 *    A communicator of one rank without compression steps this way in every mode: the
 *    result is the same, without packing or collectives.
 *
 * Use:
 *   std::unique_ptr<hoop::Trainer> trainer;
 *   hoop::Trainer::create(comm, options, &trainer);
 *   trainer->addParameter(w, dw, n, hoopFloat32);          // once per tensor, forward order
 *   trainer->broadcastParameters();                         // rank 0's initial values
 *   for each step: forward; backward, calling trainer->markReady(i) as gradient i is final;
 *                  trainer->step();                         // parameters updated everywhere
 *
 * Buckets: the gradients are grouped in reverse registration order (the order backward
 * produces them) into buckets of at most bucketBytes, the first one at most firstBucketBytes
 * so that communication starts early; a tensor larger than the cap gets a bucket of its own.
 * A bucket starts its collective as soon as all its gradients are marked ready and all
 * earlier buckets have started, so every rank issues the same collectives in the same order.
 *
 * Gradients and parameters are float32 or float64 (one datatype per tensor). With
 * compression, float32 gradients travel as float16 or bfloat16 (averaged in float, rounded
 * to 16 bits on the wire), halving the bytes; float64 tensors are never compressed.
 *
 * All methods return a hoopResult_t; on failure hoopGetLastError(comm) says why. A trainer is
 * used by one thread. It issues asynchronous collectives, so an MPI communicator needs
 * MPI_THREAD_MULTIPLE (see hoop.h). The parameter and gradient memory stays the caller's and
 * must outlive the trainer. The memory is host memory: create() refuses a device
 * communicator with hoopInvalidUsage.
 */
#ifndef HOOP_TRAINER_H_
#define HOOP_TRAINER_H_

#include <stddef.h>

#include <memory>

#include "hoop/hoop.h"

namespace hoop {

enum class SyncMode { AllReduce, ParameterServer, None };

enum class WireCompression { None, Float16, Bfloat16 };

struct TrainerOptions {
  SyncMode mode = SyncMode::AllReduce;
  size_t bucketBytes = size_t{25} << 20;      // cap of every bucket but the first
  size_t firstBucketBytes = size_t{1} << 20;  // cap of the first bucket (the last layers)
  WireCompression compression = WireCompression::None;
  int serverCount = 1;  // parameter-server mode: shards on ranks s * nranks / serverCount
  // The optimizer: SGD with momentum, v = momentum * v + g; p -= learningRate * v.
  double learningRate = 0.01;
  double momentum = 0.0;
};

// Where the time of the last step went, and what this rank moved.
struct StepTimings {
  double stepSeconds = 0;         // from the end of the previous step() to the end of this one
  double computeSeconds = 0;      // the rest of the step: forward, backward, packing gradients
  double exposedCommSeconds = 0;  // inside synchronize(): waiting for communication, unpacking
  double updateSeconds = 0;       // the optimizer step on this rank (servers only, in PS mode)
  double commSeconds = 0;         // the step's collectives, busy time on the communication thread
  size_t bytesSent = 0;           // payload this rank sent in the step's collectives
  size_t bytesReceived = 0;       // and received
};

class HOOP_EXPORT Trainer {
 public:
  // Makes a trainer over `comm` (which must outlive it) with `options`.
  static hoopResult_t create(hoopComm_t comm, const TrainerOptions& options, std::unique_ptr<Trainer>* trainer);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Registers one tensor: `count` elements of `datatype` (hoopFloat32 or hoopFloat64) of
  // parameters and of their gradients, in forward order; *index (may be NULL) receives its
  // index for markReady. Only before the first markReady, step or broadcastParameters.
  hoopResult_t addParameter(void* parameters, void* gradients, size_t count, hoopDataType_t datatype,
                            int* index = nullptr);

  // Copies rank 0's parameters to every rank (collective), so all start equal.
  hoopResult_t broadcastParameters();

  // Gradient `index` is final for this step: its bucket starts communicating when complete.
  hoopResult_t markReady(int index);

  // Finishes the step's gradient exchange (tensors not marked ready are marked now).
  // AllReduce: the averaged gradients are in place. ParameterServer: the servers applied the
  // optimizer and the updated parameters are in place. None: nothing to do.
  hoopResult_t synchronize();

  // synchronize(), then the optimizer step where it runs locally (AllReduce and None). After
  // it every rank holds the updated parameters, in every mode.
  hoopResult_t step();

  // Timings and traffic of the last completed step().
  const StepTimings& lastStep() const;

 private:
  struct Impl;
  explicit Trainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoop

#endif /* HOOP_TRAINER_H_ */
