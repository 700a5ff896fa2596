// trainer_perf: the step time of data-parallel training in each paradigm, as the rank count
// and the model grow.
//
//   mpirun -np N trainer_perf [-s 1M,4M,16M] [-l layers] [-F flops] [-n steps] [-w warmup]
//                             [-m none,allreduce,allreduce-nobuckets,ps,ps-sharded] [-c csvfile]
//
// The model is `layers` equal float32 tensors totalling each size in -s (parameters, K/M
// suffixes). A step runs a synthetic backward pass: for each layer, last first, `flops`
// floating-point operations per parameter write its gradient, then markReady; then step().
// Modes: none (no communication), allreduce (25 MiB buckets, 1 MiB first bucket),
// allreduce-nobuckets (one bucket holding the whole model, so nothing overlaps backward), ps
// (parameter server on rank 0), ps-sharded (every rank serves a share of the buckets; not run
// by default). Reported per configuration, medians over the steps: step
// time, exposed communication, the collectives' busy time, the share of that busy time
// hidden behind backward (1 - exposed / busy), and the bytes sent and received per step by
// rank 0 and by the busiest rank. The modes of one size take turns step by step (each with
// its own model), so a shared machine's drift does not favour one mode.
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "hoop/hoop_mpi.h"
#include "hoop/trainer.h"

namespace {

struct Config {
  std::vector<size_t> sizes = {size_t{1} << 20, size_t{4} << 20, size_t{16} << 20};
  std::vector<std::string> modes = {"none", "allreduce", "allreduce-nobuckets", "ps"};
  int layers = 8;
  int flops = 32;
  int steps = 8;
  int warmup = 2;
  std::string csv;
};

std::vector<std::string> splitList(const char* text) {
  std::vector<std::string> items;
  std::string item;
  for (const char* p = text;; ++p) {
    if (*p == ',' || *p == '\0') {
      if (!item.empty()) items.push_back(item);
      item.clear();
      if (*p == '\0') break;
    } else {
      item += *p;
    }
  }
  return items;
}

size_t parseCount(const std::string& text) {
  char* end = nullptr;
  const double value = strtod(text.c_str(), &end);
  const double scale = *end == 'K' ? 1024.0 : *end == 'M' ? 1048576.0 : *end == 'G' ? 1073741824.0 : 1.0;
  return static_cast<size_t>(value * scale);
}

bool parseConfig(int argc, char** argv, Config* config) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "-s") {
      config->sizes.clear();
      for (const std::string& size : splitList(value)) config->sizes.push_back(parseCount(size));
    } else if (flag == "-m") {
      config->modes = splitList(value);
    } else if (flag == "-l") {
      config->layers = atoi(value);
    } else if (flag == "-F") {
      config->flops = atoi(value);
    } else if (flag == "-n") {
      config->steps = atoi(value);
    } else if (flag == "-w") {
      config->warmup = atoi(value);
    } else if (flag == "-c") {
      config->csv = value;
    } else {
      return false;
    }
  }
  for (const std::string& mode : config->modes) {
    if (mode != "none" && mode != "allreduce" && mode != "allreduce-nobuckets" && mode != "ps" && mode != "ps-sharded") {
      return false;
    }
  }
  return argc % 2 == 1 && config->layers > 0 && config->flops >= 0 && config->steps > 0 && config->warmup >= 0;
}

hoop::TrainerOptions optionsFor(const std::string& mode, int nranks) {
  hoop::TrainerOptions options;
  options.learningRate = 1e-6;
  if (mode == "none") options.mode = hoop::SyncMode::None;
  if (mode == "ps" || mode == "ps-sharded") options.mode = hoop::SyncMode::ParameterServer;
  if (mode == "ps-sharded") options.serverCount = nranks;
  if (mode == "allreduce-nobuckets") options.bucketBytes = options.firstBucketBytes = ~size_t{0};
  return options;
}

// A stand-in for a layer's backward: `flops` operations per gradient element.
void backwardLayer(float* gradients, size_t count, int flops, int step) {
  const float a = 0.999f;
  const float b = 1e-3f * static_cast<float>(step % 7);
  for (size_t i = 0; i < count; ++i) {
    float x = static_cast<float>(i & 1023) * 1e-3f;
    for (int k = 0; k < flops; k += 2) x = x * a + b;
    gradients[i] = x;
  }
}

struct Row {
  double step, exposed, comm;
  unsigned long long sent0, received0, sentMax, receivedMax;
};

// One mode's model and trainer, and its figures so far.
struct ModeRun {
  std::string mode;
  std::vector<std::vector<float>> parameters;
  std::vector<std::vector<float>> gradients;
  std::unique_ptr<hoop::Trainer> trainer;
  std::vector<double> step, exposed, busy;
  hoop::StepTimings last;
};

void fail(hoopComm_t comm) {
  fprintf(stderr, "trainer_perf: %s\n", hoopGetLastError(comm));
  MPI_Abort(MPI_COMM_WORLD, 1);
}

void setUp(hoopComm_t comm, const Config& config, size_t perLayer, ModeRun* run) {
  run->parameters.assign(static_cast<size_t>(config.layers), std::vector<float>(perLayer, 0.5f));
  run->gradients.assign(static_cast<size_t>(config.layers), std::vector<float>(perLayer, 0.0f));
  int nranks = 1;
  hoopCommCount(comm, &nranks);
  if (hoop::Trainer::create(comm, optionsFor(run->mode, nranks), &run->trainer) != hoopSuccess) fail(comm);
  for (int l = 0; l < config.layers; ++l) {
    run->trainer->addParameter(run->parameters[l].data(), run->gradients[l].data(), perLayer, hoopFloat32);
  }
  if (run->trainer->broadcastParameters() != hoopSuccess) fail(comm);
}

// Step s of one mode: backward layer by layer, last first, then step(); recorded after warmup.
void runStep(hoopComm_t comm, const Config& config, int s, size_t perLayer, ModeRun& run) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  for (int l = config.layers - 1; l >= 0; --l) {
    backwardLayer(run.gradients[l].data(), perLayer, config.flops, s);
    run.trainer->markReady(l);
  }
  if (run.trainer->step() != hoopSuccess) fail(comm);
  const double stepSeconds = MPI_Wtime() - start;  // the trainer's own count spans the other modes' turns
  run.last = run.trainer->lastStep();
  if (s < config.warmup) return;
  // The slowest rank sets the pace: take the maximum over ranks of each figure.
  double mine[3] = {stepSeconds, run.last.exposedCommSeconds, run.last.commSeconds};
  MPI_Allreduce(MPI_IN_PLACE, mine, 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  run.step.push_back(mine[0]);
  run.exposed.push_back(mine[1]);
  run.busy.push_back(mine[2]);
}

Row summarize(const ModeRun& run) {
  unsigned long long bytes[2] = {run.last.bytesSent, run.last.bytesReceived};
  unsigned long long most[2] = {0, 0};
  MPI_Allreduce(bytes, most, 2, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
  MPI_Bcast(bytes, 2, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  return Row{hoop::bench::median(run.step), hoop::bench::median(run.exposed), hoop::bench::median(run.busy), bytes[0],
             bytes[1], most[0], most[1]};
}

// Every mode of one model size, taking turns step by step, so that the drift of a shared
// machine touches all modes alike.
std::vector<Row> measure(hoopComm_t comm, const Config& config, size_t size) {
  const size_t perLayer = size / static_cast<size_t>(config.layers);
  std::vector<ModeRun> runs(config.modes.size());
  for (size_t m = 0; m < runs.size(); ++m) {
    runs[m].mode = config.modes[m];
    setUp(comm, config, perLayer, &runs[m]);
  }
  for (int s = 0; s < config.warmup + config.steps; ++s) {
    for (ModeRun& run : runs) runStep(comm, config, s, perLayer, run);
  }
  std::vector<Row> rows;
  for (const ModeRun& run : runs) rows.push_back(summarize(run));
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  Config config;
  if (!parseConfig(argc, argv, &config)) {
    if (rank == 0) {
      fprintf(stderr, "usage: trainer_perf [-s 1M,4M,16M] [-l layers] [-F flops] [-n steps] [-w warmup]\n"
                      "                    [-m none,allreduce,allreduce-nobuckets,ps,ps-sharded] [-c csvfile]\n");
    }
    MPI_Finalize();
    return 1;
  }
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) fail(nullptr);
  FILE* csv = nullptr;
  if (rank == 0) {
    printf("# %d ranks, %d layers, %d flops per parameter in backward, median of %d steps\n", nranks, config.layers,
           config.flops, config.steps);
    printf("%-20s %10s %10s %11s %10s %7s %11s %11s %11s %11s\n", "mode", "params", "step(ms)", "exposed(ms)",
           "comm(ms)", "hidden", "sent0(MB)", "recv0(MB)", "sentmax(MB)", "recvmax(MB)");
    if (!config.csv.empty()) csv = fopen(config.csv.c_str(), "a");
  }
  for (size_t size : config.sizes) {
    const std::vector<Row> rows = measure(comm, config, size);
    for (size_t m = 0; m < rows.size(); ++m) {
      const std::string& mode = config.modes[m];
      const Row& row = rows[m];
      const double hidden = row.comm > 0 ? std::max(0.0, 1.0 - row.exposed / row.comm) : 0.0;
      if (rank != 0) continue;
      printf("%-20s %10zu %10.2f %11.2f %10.2f %6.0f%% %11.2f %11.2f %11.2f %11.2f\n", mode.c_str(), size,
             row.step * 1e3, row.exposed * 1e3, row.comm * 1e3, 100 * hidden, row.sent0 / 1e6, row.received0 / 1e6,
             row.sentMax / 1e6, row.receivedMax / 1e6);
      fflush(stdout);
      if (csv != nullptr) {
        fprintf(csv, "%d,%s,%zu,%.6f,%.6f,%.6f,%.4f,%llu,%llu,%llu,%llu\n", nranks, mode.c_str(), size, row.step,
                row.exposed, row.comm, hidden, row.sent0, row.received0, row.sentMax, row.receivedMax);
      }
    }
  }
  if (csv != nullptr) fclose(csv);
  hoopCommDestroy(comm);
  MPI_Finalize();
  return 0;
}
