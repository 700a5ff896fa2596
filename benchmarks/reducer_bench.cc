// Throughput of the CPU reducer kernels: dst = a op b over buffers of 256 KiB (cache
// resident) and 16 MiB (memory bound) each. Bytes are counted as read + written, 3 x buffer
// size for a reduction and 2 x for the memcpy reference of the same buffer size.
//
//   reduce/<type>/<op>/<bytes>        the kernel reduceFunction picks (best ISA level)
//   reduce_isa/<level>/<type>/sum/<bytes>  every ISA level this CPU has, for a few types
//   memcpy/<bytes>                    the reference
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <string.h>

#include <random>
#include <string>

#include "reduce/cpu_reducer.h"
#include "reduce/cpu_reducer_isa.h"
#include "reduce/reduce_ops.h"

namespace {

using namespace hoop;

const size_t kSizes[] = {256 << 10, 16 << 20};
const char* const kTypeNames[] = {"int8",    "uint8",   "int32",   "uint32",  "int64",
                                  "uint64",  "float16", "float32", "float64", "bfloat16"};
const char* const kOpNames[] = {"sum", "prod", "max", "min", "avg"};
const char* const kIsaNames[] = {"baseline", "avx2", "avx512"};

struct Buffer {
  explicit Buffer(size_t bytes) : p(static_cast<char*>(aligned_alloc(64, bytes))) {}
  ~Buffer() { free(p); }
  char* p;
};

// Finite, normal values of every type (no NaN or subnormal slow paths): small integers,
// or floats in [1, 2) stored in the type.
void fill(char* p, size_t bytes, hoopDataType_t t, uint64_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(1.0f, 2.0f);
  const size_t size = dataTypeSize(t);
  for (size_t off = 0; off + size <= bytes; off += size) {
    const float f = dist(rng);
    switch (t) {
      case hoopFloat16: { const uint16_t h = floatToHalf(f); memcpy(p + off, &h, 2); break; }
      case hoopBfloat16: { const uint16_t h = floatToBfloat16(f); memcpy(p + off, &h, 2); break; }
      case hoopFloat32: memcpy(p + off, &f, 4); break;
      case hoopFloat64: { const double d = f; memcpy(p + off, &d, 8); break; }
      default: { const uint64_t v = rng() % 100; memcpy(p + off, &v, size); break; }
    }
  }
}

void runReduce(benchmark::State& state, ReduceFn fn, hoopDataType_t t, size_t bytes) {
  const size_t count = bytes / dataTypeSize(t);
  Buffer a(bytes), b(bytes), d(bytes);
  fill(a.p, bytes, t, 1);
  fill(b.p, bytes, t, 2);
  memset(d.p, 0, bytes);
  for (auto _ : state) {
    fn(d.p, a.p, b.p, count);
    benchmark::DoNotOptimize(d.p);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 3 * count *
                          dataTypeSize(t));
}

void runMemcpy(benchmark::State& state, size_t bytes) {
  Buffer a(bytes), d(bytes);
  memset(a.p, 1, bytes);
  memset(d.p, 0, bytes);
  for (auto _ : state) {
    memcpy(d.p, a.p, bytes);
    benchmark::DoNotOptimize(d.p);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 2 * bytes);
}

int registerAll() {
  for (size_t bytes : kSizes) {
    const std::string sz = std::to_string(bytes);
    benchmark::RegisterBenchmark(("memcpy/" + sz).c_str(), runMemcpy, bytes);
    for (int t = 0; t < hoopNumTypes; ++t) {
      for (int op = 0; op < hoopNumOps; ++op) {
        if (op != hoopSum && t != hoopFloat32) continue;  // all ops for float32 only
        const hoopDataType_t dt = static_cast<hoopDataType_t>(t);
        benchmark::RegisterBenchmark(
            ("reduce/" + std::string(kTypeNames[t]) + "/" + kOpNames[op] + "/" + sz).c_str(),
            runReduce, reduceFunction(dt, static_cast<hoopRedOp_t>(op)), dt, bytes);
      }
    }
    for (int isa = 0; isa <= cpuIsa(); ++isa) {
      for (hoopDataType_t dt : {hoopInt8, hoopFloat32, hoopFloat16, hoopBfloat16}) {
        benchmark::RegisterBenchmark(("reduce_isa/" + std::string(kIsaNames[isa]) + "/" +
                                      kTypeNames[dt] + "/sum/" + sz).c_str(),
                                     runReduce,
                                     reduceFunctionForIsa(dt, hoopSum, static_cast<CpuIsa>(isa)),
                                     dt, bytes);
      }
    }
  }
  return 0;
}

const int registered = registerAll();

}  // namespace
