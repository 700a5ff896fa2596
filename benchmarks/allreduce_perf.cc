// allreduce_perf: see collective_bench.h for what it measures and prints, and -h for its options.
#include "collective_bench.h"

int main(int argc, char** argv) {
  return hoop::bench::runCollectiveBenchmark(argc, argv, hoop::bench::BenchCollective::AllReduce);
}
