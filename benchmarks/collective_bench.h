// The runner behind every *_perf program: one collective, a sweep of sizes, hoop timed out
// of place and in place, the MPI equivalent timed on the same buffers in the same run, and
// the results as nccl-tests-style columns (and JSON with -J).
//
// "size" is the bytes of the collective's whole array, as in nccl-tests: count x element for
// all-reduce, broadcast and reduce; nranks x per-rank count x element for all-gather and
// reduce-scatter. algbw = size / time; busbw = algbw x the collective's bus factor
// (all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n, broadcast and reduce 1).
#pragma once

namespace hoop {
namespace bench {

enum class BenchCollective { AllReduce, Broadcast, Reduce, AllGather, ReduceScatter };

// main() of a *_perf program.
int runCollectiveBenchmark(int argc, char** argv, BenchCollective collective);

}  // namespace bench
}  // namespace hoop
