// train_mlp: data-parallel training of a small MLP on Fashion-MNIST with hoop::Trainer.
//
//   mpirun -np N train_mlp --mode allreduce|ps|none --epochs E --batch B [options]
//
// B is the global batch: each step, the ranks split the same B shuffled samples evenly, so
// any N gives the same trajectory as one process with batch B (up to the order of float
// sums). Every epoch prints `epoch E loss L accuracy A` (mean training loss over the epoch,
// test accuracy), then the images per second and the share of step time spent in exposed
// communication. Run with -h for the options.
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "fashion_mnist.h"
#include "hoop/hoop_mpi.h"
#include "hoop/trainer.h"
#include "mlp.h"

namespace {

struct Options {
  hoop::TrainerOptions trainer;
  int epochs = 3;
  int batch = 64;
  uint64_t seed = 1;
  int limit = 0;  // use only the first `limit` training images (0: all)
  std::string data = kFashionMnistDefaultDir;
  std::vector<int> hidden = {128};
  bool singlePrecision = false;  // float instead of double for parameters and arithmetic
};

const char* const kUsage =
    "usage: train_mlp [--mode allreduce|ps|none] [--epochs E] [--batch B] [--lr X] [--momentum X]\n"
    "                 [--seed S] [--hidden 128[,64...]] [--data DIR] [--limit N] [--servers S]\n"
    "                 [--compression none|fp16|bf16] [--bucket-mib M] [--first-bucket-kib K]\n"
    "                 [--precision double|float]\n";

bool parseHidden(const char* text, std::vector<int>* sizes) {
  sizes->clear();
  for (const char* p = text; *p != '\0';) {
    char* end = nullptr;
    const long value = strtol(p, &end, 10);
    if (end == p || value <= 0) return false;
    sizes->push_back(static_cast<int>(value));
    p = *end == ',' ? end + 1 : end;
    if (*end != ',' && *end != '\0') return false;
  }
  return !sizes->empty();
}

// Parses argv into *options; false (after printing why) on bad input.
bool parseOptions(int argc, char** argv, Options* options) {
  hoop::TrainerOptions& t = options->trainer;
  t.learningRate = 0.05;
  t.momentum = 0.9;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "-h" || flag == "--help" || i + 1 >= argc) return false;
    const char* value = argv[++i];
    if (flag == "--mode") {
      const std::string mode = value;
      if (mode != "allreduce" && mode != "ps" && mode != "none") return false;
      t.mode = mode == "allreduce" ? hoop::SyncMode::AllReduce
                                   : mode == "ps" ? hoop::SyncMode::ParameterServer : hoop::SyncMode::None;
    } else if (flag == "--compression") {
      const std::string kind = value;
      if (kind != "none" && kind != "fp16" && kind != "bf16") return false;
      t.compression = kind == "none" ? hoop::WireCompression::None
                                     : kind == "fp16" ? hoop::WireCompression::Float16 : hoop::WireCompression::Bfloat16;
    } else if (flag == "--epochs") {
      options->epochs = atoi(value);
    } else if (flag == "--batch") {
      options->batch = atoi(value);
    } else if (flag == "--lr") {
      t.learningRate = atof(value);
    } else if (flag == "--momentum") {
      t.momentum = atof(value);
    } else if (flag == "--seed") {
      options->seed = strtoull(value, nullptr, 10);
    } else if (flag == "--limit") {
      options->limit = atoi(value);
    } else if (flag == "--servers") {
      t.serverCount = atoi(value);
    } else if (flag == "--bucket-mib") {
      t.bucketBytes = static_cast<size_t>(atof(value) * (1 << 20));
    } else if (flag == "--first-bucket-kib") {
      t.firstBucketBytes = static_cast<size_t>(atof(value) * (1 << 10));
    } else if (flag == "--data") {
      options->data = value;
    } else if (flag == "--precision") {
      const std::string precision = value;
      if (precision != "double" && precision != "float") return false;
      options->singlePrecision = precision == "float";
    } else if (flag == "--hidden") {
      if (!parseHidden(value, &options->hidden)) return false;
    } else {
      return false;
    }
  }
  return options->epochs > 0 && options->batch > 0 && options->limit >= 0;
}

// A permutation of 0..count-1 that depends only on (seed, epoch): Fisher-Yates with splitmix64.
std::vector<int> shuffledOrder(int count, uint64_t seed, int epoch) {
  std::vector<int> order(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) order[static_cast<size_t>(i)] = i;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(epoch);
  for (int i = count - 1; i > 0; --i) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(z % static_cast<uint64_t>(i + 1))]);
  }
  return order;
}

// Pixels of images `indices[0..n)` as values in [0, 1].
template <typename T>
void gather(const Dataset& data, const int* indices, int n, std::vector<T>* inputs, std::vector<uint8_t>* labels) {
  inputs->resize(static_cast<size_t>(n) * data.pixels);
  labels->resize(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    const uint8_t* image = data.images.data() + static_cast<size_t>(indices[k]) * data.pixels;
    T* row = inputs->data() + static_cast<size_t>(k) * data.pixels;
    for (int p = 0; p < data.pixels; ++p) row[p] = static_cast<T>(image[p]) / T(255);
    (*labels)[static_cast<size_t>(k)] = data.labels[static_cast<size_t>(indices[k])];
  }
}

int fail(int rank, const char* what, const char* detail) {
  if (rank == 0) fprintf(stderr, "train_mlp: %s: %s\n", what, detail);
  MPI_Finalize();
  return 1;
}

// Trains and reports; returns the first failure.
template <typename T>
hoopResult_t trainAndReport(const Options& options, const Dataset& train, const Dataset& test, hoopComm_t comm, int rank,
                            int nranks) {
  std::vector<int> sizes = {train.pixels};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(10);
  Mlp<T> model(sizes, options.seed);
  std::unique_ptr<hoop::Trainer> trainer;
  const hoopDataType_t datatype = sizeof(T) == sizeof(float) ? hoopFloat32 : hoopFloat64;
  hoopResult_t result = hoop::Trainer::create(comm, options.trainer, &trainer);
  for (MlpLayer<T>& layer : model.layers()) {
    if (result == hoopSuccess) {
      result = trainer->addParameter(layer.weights.data(), layer.weightGradients.data(), layer.weights.size(), datatype);
    }
    if (result == hoopSuccess) {
      result = trainer->addParameter(layer.bias.data(), layer.biasGradients.data(), layer.bias.size(), datatype);
    }
  }
  if (result == hoopSuccess) result = trainer->broadcastParameters();

  const int local = options.batch / nranks;
  const int steps = train.count / options.batch;
  std::vector<T> inputs;
  std::vector<uint8_t> labels;
  auto ready = [&](int layer) {
    if (result == hoopSuccess) result = trainer->markReady(2 * layer);
    if (result == hoopSuccess) result = trainer->markReady(2 * layer + 1);
  };
  for (int epoch = 1; epoch <= options.epochs && result == hoopSuccess; ++epoch) {
    const std::vector<int> order = shuffledOrder(train.count, options.seed, epoch);
    double totals[3] = {0, 0, 0};  // loss sum, step seconds, exposed communication seconds
    const double start = MPI_Wtime();
    for (int s = 0; s < steps && result == hoopSuccess; ++s) {
      gather(train, order.data() + static_cast<size_t>(s) * options.batch + static_cast<size_t>(rank) * local, local,
             &inputs, &labels);
      totals[0] += model.trainBatch(inputs.data(), labels.data(), local, ready).lossSum;
      if (result == hoopSuccess) result = trainer->step();
      totals[1] += trainer->lastStep().stepSeconds;
      totals[2] += trainer->lastStep().exposedCommSeconds;
    }
    const double seconds = MPI_Wtime() - start;
    // Test accuracy: rank r scores the test images r, r + N, r + 2N, ...
    double correct = 0;
    std::vector<int> mine;
    for (int i = rank; i < test.count; i += nranks) mine.push_back(i);
    for (size_t k = 0; k < mine.size(); k += 1000) {
      const int n = static_cast<int>(std::min<size_t>(1000, mine.size() - k));
      gather(test, mine.data() + k, n, &inputs, &labels);
      correct += model.evaluate(inputs.data(), labels.data(), n).correct;
    }
    double sums[2] = {totals[0], correct};
    if (result == hoopSuccess) result = hoopAllReduce(sums, sums, 2, hoopFloat64, hoopSum, comm, nullptr);
    if (rank == 0 && result == hoopSuccess) {
      printf("epoch %d loss %.8f accuracy %.4f images/s %.0f exposed-comm %.1f%%\n", epoch,
             sums[0] / (static_cast<double>(steps) * options.batch), sums[1] / test.count,
             steps * options.batch / seconds, totals[1] > 0 ? 100.0 * totals[2] / totals[1] : 0.0);
      fflush(stdout);
    }
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  Options options;
  if (!parseOptions(argc, argv, &options)) return fail(rank, "bad arguments", kUsage);
  if (options.batch % nranks != 0) return fail(rank, "--batch", "the global batch must be a multiple of the rank count");

  Dataset train;
  Dataset test;
  std::string error;
  if (!loadFashionMnist(options.data, "train", &train, &error) || !loadFashionMnist(options.data, "t10k", &test, &error)) {
    return fail(rank, "data", error.c_str());
  }
  if (options.limit > 0 && options.limit < train.count) train.count = options.limit;

  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) return fail(rank, "hoop", hoopGetLastError(nullptr));
  const hoopResult_t result = options.singlePrecision ? trainAndReport<float>(options, train, test, comm, rank, nranks)
                                                      : trainAndReport<double>(options, train, test, comm, rank, nranks);
  if (result != hoopSuccess) fprintf(stderr, "train_mlp: rank %d: %s\n", rank, hoopGetLastError(comm));
  hoopCommDestroy(comm);
  MPI_Finalize();
  return result == hoopSuccess ? 0 : 1;
}
