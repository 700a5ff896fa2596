// CPU reducers: one kernel per (instruction-set level, datatype, op).
//
// Dispatch. The library is built for baseline x86-64, so the kernels are instantiated three
// times from the same templates (cpu_reducer_simd.h): reduceBaseline (no target attribute:
// SSE2), reduceAvx2 (target "avx2,f16c") and reduceAvx512 (target "avx512f,bw,dq,vl,f16c").
// cpuIsa() asks the CPU once (__builtin_cpu_supports, which also checks that the OS saves the
// vector registers) and reduceFunction returns the kernel of that level; the hot path then
// calls a plain function pointer with no per-call or per-element dispatch.
//
// The kernels use GCC vector extensions rather than relying on the auto-vectorizer, so they
// are vectorized at -O2 too. float16 uses F16C conversions at the AVX2/AVX-512 levels and is
// scalar at baseline; bfloat16 converts with integer arithmetic at every level (vcvtneps2bf16
// flushes subnormals, so it would not match reduce_ops.h). Results are bitwise those of
// reduceElement/divideElement in reduce_ops.h, which also computes every scalar tail.
#include "reduce/cpu_reducer.h"

// Vectors are passed only between always_inline functions, so their argument ABI never matters.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "reduce/cpu_reducer_isa.h"
#include "reduce/cpu_reducer_simd.h"

namespace hoop {
namespace {

HOOP_DEFINE_CPU_KERNELS(Baseline, kCpuIsaBaseline)
HOOP_DEFINE_CPU_KERNELS(Avx2, kCpuIsaAvx2, __attribute__((target(HOOP_TARGET_AVX2))))
HOOP_DEFINE_CPU_KERNELS(Avx512, kCpuIsaAvx512, __attribute__((target(HOOP_TARGET_AVX512))))

template <int Isa, typename S, int K>
ReduceFn reduceKernel() {
  if constexpr (Isa == kCpuIsaAvx512) return &reduceAvx512<S, K>;
  else if constexpr (Isa == kCpuIsaAvx2) return &reduceAvx2<S, K>;
  else return &reduceBaseline<S, K>;
}

template <int Isa, typename S>
ReduceFn reduceForOp(int op) {
  switch (op) {
    case hoopSum:
    case hoopAvg: return reduceKernel<Isa, S, simd::kSum>();
    case hoopProd: return reduceKernel<Isa, S, simd::kProd>();
    case hoopMax: return reduceKernel<Isa, S, simd::kMax>();
    case hoopMin: return reduceKernel<Isa, S, simd::kMin>();
    default: return NULL;
  }
}

template <int Isa, typename S>
DivideFn divideKernel() {
  if constexpr (Isa == kCpuIsaAvx512) return &divideAvx512<S>;
  else if constexpr (Isa == kCpuIsaAvx2) return &divideAvx2<S>;
  else return &divideBaseline<S>;
}

// f(S()) for the storage type S of datatype; def if unknown.
template <typename R, typename F>
R withType(int datatype, R def, F f) {
  switch (datatype) {
    case hoopInt8: return f(int8_t());
    case hoopUint8: return f(uint8_t());
    case hoopInt32: return f(int32_t());
    case hoopUint32: return f(uint32_t());
    case hoopInt64: return f(int64_t());
    case hoopUint64: return f(uint64_t());
    case hoopFloat16: return f(half_t());
    case hoopFloat32: return f(float());
    case hoopFloat64: return f(double());
    case hoopBfloat16: return f(bfloat16_t());
    default: return def;
  }
}

template <int Isa>
ReduceFn reduceForIsa(int datatype, int op) {
  return withType<ReduceFn>(datatype, NULL, [op](auto s) {
    return reduceForOp<Isa, decltype(s)>(op);
  });
}

template <int Isa>
DivideFn divideForIsa(int datatype) {
  return withType<DivideFn>(datatype, NULL,
                            [](auto s) { return divideKernel<Isa, decltype(s)>(); });
}

// C callers may pass any int as an enum. Read it as an int: a C++ load of an enum value outside
// the enum's range is undefined (and -fsanitize=enum reports it).
template <typename E>
int asInt(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "enum is not int-sized");
  int v;
  memcpy(&v, &e, sizeof v);
  return v;
}

CpuIsa detectIsa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("f16c")) {
    return kCpuIsaAvx512;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c")) return kCpuIsaAvx2;
  return kCpuIsaBaseline;
}

ReduceFn reduceFor(int datatype, int op, CpuIsa isa) {
  if (isa > cpuIsa()) return NULL;
  switch (isa) {
    case kCpuIsaBaseline: return reduceForIsa<kCpuIsaBaseline>(datatype, op);
    case kCpuIsaAvx2: return reduceForIsa<kCpuIsaAvx2>(datatype, op);
    case kCpuIsaAvx512: return reduceForIsa<kCpuIsaAvx512>(datatype, op);
    default: return NULL;
  }
}

DivideFn divideFor(int datatype, CpuIsa isa) {
  if (isa > cpuIsa()) return NULL;
  switch (isa) {
    case kCpuIsaBaseline: return divideForIsa<kCpuIsaBaseline>(datatype);
    case kCpuIsaAvx2: return divideForIsa<kCpuIsaAvx2>(datatype);
    case kCpuIsaAvx512: return divideForIsa<kCpuIsaAvx512>(datatype);
    default: return NULL;
  }
}

}  // namespace

CpuIsa cpuIsa() {
  static const CpuIsa isa = detectIsa();
  return isa;
}

ReduceFn reduceFunctionForIsa(hoopDataType_t datatype, hoopRedOp_t op, CpuIsa isa) {
  return reduceFor(asInt(datatype), asInt(op), isa);
}

DivideFn divideFunctionForIsa(hoopDataType_t datatype, CpuIsa isa) {
  return divideFor(asInt(datatype), isa);
}

ReduceFn reduceFunction(hoopDataType_t datatype, hoopRedOp_t op) {
  return reduceFor(asInt(datatype), asInt(op), cpuIsa());
}

DivideFn divideFunction(hoopDataType_t datatype) { return divideFor(asInt(datatype), cpuIsa()); }

size_t dataTypeSize(hoopDataType_t datatype) {
  return withType<size_t>(asInt(datatype), 0, [](auto s) { return sizeof(s); });
}

}  // namespace hoop
