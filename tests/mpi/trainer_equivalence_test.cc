// Data-parallel equivalence: N ranks sharing a global batch of B samples must follow the
// trajectory of one process training on all B, in every mode. Each rank also runs that
// single-process reference itself (a Trainer in SyncMode::None fed the whole batch), so the
// test needs no second mpirun. The model is examples/train_mlp's MLP on synthetic data, with
// bucket caps small enough to give several buckets, fused and direct ones.
#include <math.h>
#include <stdint.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "hoop/trainer.h"
#include "mlp.h"
#include "mpi_fixture.h"

namespace {

constexpr int kInputs = 24;
constexpr int kClasses = 5;
constexpr int kGlobalBatch = 24;  // a multiple of 1, 2, 3 and 4 ranks
constexpr int kSteps = 6;

// Sample `index` of the synthetic set: inputs in [0, 1) with some exact zeros, and a label.
void sample(int index, float* x, uint8_t* label) {
  uint64_t state = 0x2545f4914f6cdd1dull * static_cast<uint64_t>(index + 1);
  for (int i = 0; i < kInputs; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    x[i] = (state % 4 == 0) ? 0.0f : static_cast<float>(state % 1000) / 1000.0f;
  }
  *label = static_cast<uint8_t>(state % kClasses);
}

// A model, its trainer, and the batch rows it sees each step.
struct TrainingRun {
  Mlp<float> model{{kInputs, 16, 12, kClasses}, 7};
  std::unique_ptr<hoop::Trainer> trainer;
};

hoopResult_t makeTrainer(hoopComm_t comm, const hoop::TrainerOptions& options, TrainingRun* run) {
  hoopResult_t result = hoop::Trainer::create(comm, options, &run->trainer);
  for (MlpLayer<float>& layer : run->model.layers()) {
    if (result != hoopSuccess) break;
    result = run->trainer->addParameter(layer.weights.data(), layer.weightGradients.data(), layer.weights.size(), hoopFloat32);
    if (result == hoopSuccess) {
      result = run->trainer->addParameter(layer.bias.data(), layer.biasGradients.data(), layer.bias.size(), hoopFloat32);
    }
  }
  return result;
}

// One training step on samples [first, first + count) of step `step`'s global batch.
hoopResult_t trainStep(TrainingRun& run, int step, int first, int count, bool forwardOrderReady) {
  std::vector<float> inputs(static_cast<size_t>(count) * kInputs);
  std::vector<uint8_t> labels(static_cast<size_t>(count));
  for (int k = 0; k < count; ++k) sample(step * kGlobalBatch + first + k, &inputs[k * kInputs], &labels[k]);
  hoopResult_t result = hoopSuccess;
  run.model.trainBatch(inputs.data(), labels.data(), count, [&](int layer) {
    if (forwardOrderReady || result != hoopSuccess) return;
    result = run.trainer->markReady(2 * layer);
    if (result == hoopSuccess) result = run.trainer->markReady(2 * layer + 1);
  });
  // Some ranks mark gradients ready in forward order: buckets must still start in order.
  const int tensors = 2 * static_cast<int>(run.model.layers().size());
  for (int i = 0; forwardOrderReady && i < tensors && result == hoopSuccess; ++i) result = run.trainer->markReady(i);
  return result == hoopSuccess ? run.trainer->step() : result;
}

std::vector<float> flatParameters(Mlp<float>& model) {
  std::vector<float> all;
  for (MlpLayer<float>& layer : model.layers()) {
    all.insert(all.end(), layer.weights.begin(), layer.weights.end());
    all.insert(all.end(), layer.bias.begin(), layer.bias.end());
  }
  return all;
}

struct Mode {
  const char* name;
  hoop::SyncMode mode;
  hoop::WireCompression compression;
  bool allServers;  // parameter server: every rank holds a shard (else rank 0 holds all)
  double tolerance;
};

void PrintTo(const Mode& mode, std::ostream* out) { *out << mode.name; }

class TrainerEquivalence : public MpiCommTest, public ::testing::WithParamInterface<Mode> {};

TEST_P(TrainerEquivalence, SameTrajectoryAsOneProcessWithTheWholeBatch) {
  const Mode& mode = GetParam();
  hoop::TrainerOptions options;
  options.mode = mode.mode;
  options.compression = mode.compression;
  options.serverCount = mode.allServers ? nranks : 1;
  options.firstBucketBytes = 256;
  options.bucketBytes = 1024;
  options.learningRate = 0.5;
  options.momentum = 0.9;
  TrainingRun distributed;
  ASSERT_EQ(hoopSuccess, makeTrainer(comm, options, &distributed)) << hoopGetLastError(comm);
  // Rank 0's initial parameters reach everyone, whatever the others started from.
  if (rank != 0) distributed.model.layers()[0].weights.assign(distributed.model.layers()[0].weights.size(), 3.0f);
  ASSERT_EQ(hoopSuccess, distributed.trainer->broadcastParameters()) << hoopGetLastError(comm);

  hoop::TrainerOptions alone = options;
  alone.mode = hoop::SyncMode::None;
  TrainingRun reference;
  ASSERT_EQ(hoopSuccess, makeTrainer(comm, alone, &reference)) << hoopGetLastError(comm);
  const std::vector<float> initial = flatParameters(reference.model);
  ASSERT_EQ(initial, flatParameters(distributed.model));

  const int local = kGlobalBatch / nranks;
  for (int step = 0; step < kSteps; ++step) {
    ASSERT_EQ(hoopSuccess, trainStep(distributed, step, rank * local, local, rank % 2 == 1)) << hoopGetLastError(comm);
    ASSERT_EQ(hoopSuccess, trainStep(reference, step, 0, kGlobalBatch, false)) << hoopGetLastError(comm);
  }

  const std::vector<float> got = flatParameters(distributed.model);
  const std::vector<float> want = flatParameters(reference.model);
  double largestMove = 0;
  double largestError = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    largestMove = fmax(largestMove, fabs(want[i] - initial[i]));
    largestError = fmax(largestError, fabs(got[i] - want[i]) / fmax(1.0, fabs(want[i])));
  }
  EXPECT_GT(largestMove, 0.05) << "the reference barely trained: the comparison would prove nothing";
  EXPECT_LE(largestError, mode.tolerance) << mode.name << " at " << nranks << " ranks";
  EXPECT_TRUE(sameOnAllRanks(got.data(), got.size() * sizeof(float))) << "ranks hold different parameters";
  const hoop::StepTimings& timings = distributed.trainer->lastStep();
  EXPECT_GT(timings.stepSeconds, 0.0);
  if (nranks > 1) {
    EXPECT_GT(timings.bytesSent + timings.bytesReceived, 0u);
  } else {
    EXPECT_EQ(0u, timings.bytesSent + timings.bytesReceived) << "a lone rank moves no bytes";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Modes, TrainerEquivalence,
    ::testing::Values(Mode{"allreduce", hoop::SyncMode::AllReduce, hoop::WireCompression::None, false, 1e-6},
                      Mode{"ps_one_server", hoop::SyncMode::ParameterServer, hoop::WireCompression::None, false, 1e-6},
                      Mode{"ps_all_servers", hoop::SyncMode::ParameterServer, hoop::WireCompression::None, true, 1e-6},
                      Mode{"allreduce_fp16", hoop::SyncMode::AllReduce, hoop::WireCompression::Float16, false, 2e-3},
                      Mode{"allreduce_bf16", hoop::SyncMode::AllReduce, hoop::WireCompression::Bfloat16, false, 8e-2},
                      Mode{"ps_fp16", hoop::SyncMode::ParameterServer, hoop::WireCompression::Float16, true, 2e-3}),
    [](const ::testing::TestParamInfo<Mode>& param) { return std::string(param.param.name); });

}  // namespace
