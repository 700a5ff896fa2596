// Command-line options shared by the *_perf programs, in the nccl-tests tradition:
//   -b minbytes  -e maxbytes  -f factor  -n iters  -w warmup  -c check(0/1)
//   -d datatype  -o op  -t trials (the median is reported)  -m mpi baseline(0/1)
//   -r root  -A algorithm (HOOP_ALGO syntax; repeat it to time several in one run)
//   -J file (JSON results)
// Sizes accept K, M and G suffixes (powers of 1024).
#pragma once

#include <stddef.h>

#include <string>
#include <vector>

#include "hoop/hoop.h"

namespace hoop {
namespace bench {

struct Options {
  size_t minBytes = 8;
  size_t maxBytes = 64u << 20;
  size_t factor = 2;
  int iters = 1000;
  int warmup = 5;
  int trials = 3;
  bool check = true;
  bool mpiBaseline = true;
  hoopDataType_t datatype = hoopFloat32;
  hoopRedOp_t op = hoopSum;
  int root = 0;
  std::vector<std::string> algorithms;  // empty: the library's default (HOOP_ALGO or the tuner)
  std::string jsonPath;   // empty: no JSON
};

// Parses argv; on a bad option prints usage to stderr and returns false.
bool parseOptions(int argc, char** argv, Options* options);

// The number of iterations to time at `bytes`: -n for small sizes (enough calls to time a
// microsecond-scale call), fewer for large sizes so that a sweep to 256 MiB stays short,
// never fewer than 3.
int itersFor(const Options& options, size_t bytes);

}  // namespace bench
}  // namespace hoop
