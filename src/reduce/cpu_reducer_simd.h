// SIMD building blocks of the CPU reducers; included only by cpu_reducer.cc.
//
// Kernels are written once with GCC vector extensions, one register wide (xmm, ymm or zmm by
// ISA level), plus F16C intrinsics for float16. Every function here is always_inline; the
// per-level entry points that HOOP_DEFINE_CPU_KERNELS stamps out carry the target attributes.
// Each kernel finishes with the scalar reduce_ops.h definition for the tail, and the vector
// body computes bitwise the same thing. (The includer must silence -Wpsabi: vector arguments
// only cross always_inline calls, so their ABI never matters.)
#pragma once

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include <type_traits>

#include "reduce/cpu_reducer_isa.h"
#include "reduce/reduce_ops.h"

#define HOOP_SIMD_INLINE inline __attribute__((always_inline))
#define HOOP_TARGET_AVX512 "avx512f,avx512bw,avx512dq,avx512vl,f16c"
#define HOOP_TARGET_AVX2 "avx2,f16c"

namespace hoop {
namespace simd {

enum OpKind { kSum, kProd, kMax, kMin };

// N lanes of T.
template <typename T, size_t N> struct Vec {
  typedef T type __attribute__((vector_size(N * sizeof(T))));
};

// Element type for wrapping sum/prod: unsigned for integers (no signed overflow).
template <typename T> struct Wrap { typedef typename std::make_unsigned<T>::type type; };
template <> struct Wrap<float> { typedef float type; };
template <> struct Wrap<double> { typedef double type; };

// One op on vectors of T; matches OpSum/OpProd/OpMax/OpMin of reduce_ops.h lane by lane.
// `a > b ? a : b` gives vmaxps(a, b): b when either is NaN, exactly the scalar definition.
template <int K, typename T, typename V>
HOOP_SIMD_INLINE V applyOp(const V& a, const V& b) {
  typedef typename Vec<typename Wrap<T>::type, sizeof(V) / sizeof(T)>::type W;
  if constexpr (K == kSum) return (V)((W)a + (W)b);
  else if constexpr (K == kProd) return (V)((W)a * (W)b);
  else if constexpr (K == kMax) return a > b ? a : b;
  else return a < b ? a : b;
}

template <typename F> struct EvenOdd;
template <int K, typename T, typename F>
HOOP_SIMD_INLINE EvenOdd<F> applyOp(const EvenOdd<F>& a, const EvenOdd<F>& b) {
  return {applyOp<K, T>(a.even, b.even), applyOp<K, T>(a.odd, b.odd)};
}

template <int K, typename S>
HOOP_SIMD_INLINE S applyScalar(S a, S b) {
  if constexpr (K == kSum) return reduceElement<S, OpSum>(a, b);
  else if constexpr (K == kProd) return reduceElement<S, OpProd>(a, b);
  else if constexpr (K == kMax) return reduceElement<S, OpMax>(a, b);
  else return reduceElement<S, OpMin>(a, b);
}

// Register width of each level. Vectors are never wider than the registers: GCC lowers
// wider float compares and selects lane by lane.
constexpr size_t vectorBytes(int isa) {
  return isa == kCpuIsaAvx512 ? 64 : isa == kCpuIsaAvx2 ? 32 : 16;
}

// Lanes<S, Isa>: kCount stored elements of S <-> one vector V of compute type T.
// Native types: one register, computed in themselves.
template <typename S, int Isa> struct Lanes {
  static constexpr size_t kCount = vectorBytes(Isa) / sizeof(S);
  typedef S T;
  typedef typename Vec<S, kCount>::type V;
  HOOP_SIMD_INLINE static V load(const S* p) { V v; memcpy(&v, p, sizeof v); return v; }
  HOOP_SIMD_INLINE static void store(S* p, const V& v) { memcpy(p, &v, sizeof v); }
};

// bfloat16: a register of 32-bit words holds two bf16 per word. Widening the even (low)
// and odd (high) halves to float is a shift or a mask; narrowing is floatToBfloat16's integer
// rounding, lane-wise. No shuffles: even and odd elements are reduced as separate vectors.
template <typename F> struct EvenOdd {
  F even, odd;
  template <typename T>
  friend HOOP_SIMD_INLINE EvenOdd operator/(const EvenOdd& v, T d) {
    return {v.even / d, v.odd / d};
  }
};

template <int Isa> struct Lanes<bfloat16_t, Isa> {
  static constexpr size_t kCount = vectorBytes(Isa) / sizeof(bfloat16_t);
  typedef float T;
  typedef typename Vec<uint32_t, kCount / 2>::type U32;
  typedef typename Vec<float, kCount / 2>::type F;
  typedef EvenOdd<F> V;
  HOOP_SIMD_INLINE static V load(const bfloat16_t* p) {
    U32 x;
    memcpy(&x, p, sizeof x);
    return {(F)(x << 16), (F)(x & 0xffff0000u)};
  }
  // floatToBfloat16 of each lane, in the low 16 bits.
  HOOP_SIMD_INLINE static U32 round(const U32& x) {
    const U32 rounded = (x + 0x7fffu + ((x >> 16) & 1u)) >> 16;
    return (x & 0x7fffffffu) > 0x7f800000u ? (x >> 16) | 0x40u : rounded;
  }
  HOOP_SIMD_INLINE static void store(bfloat16_t* p, const V& v) {
    const U32 x = round((U32)v.even) | (round((U32)v.odd) << 16);
    memcpy(p, &x, sizeof x);
  }
};

// float16 without F16C: no vector body, the scalar tail does everything.
template <> struct Lanes<half_t, kCpuIsaBaseline> {
  static constexpr size_t kCount = 0;
  typedef float T;
  typedef float V;
};

// float16 with F16C. vcvtps2ph keeps NaN payload bits where floatToHalf gives sign|0x7e00, so
// NaN lanes are first replaced by sign|0x7fc00000 (which converts to sign|0x7e00).
template <> struct Lanes<half_t, kCpuIsaAvx512> {
  static constexpr size_t kCount = 16;
  typedef float T;
  typedef __m512 V;
  // maskz forms: the plain ones trip GCC 12's -Wmaybe-uninitialized (PR 105593).
  __attribute__((target(HOOP_TARGET_AVX512))) HOOP_SIMD_INLINE static V load(const half_t* p) {
    return _mm512_maskz_cvtph_ps(0xffff, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  __attribute__((target(HOOP_TARGET_AVX512)))
  HOOP_SIMD_INLINE static void store(half_t* p, const V& value) {
    V v = value;
    const __m512i qnan = _mm512_or_si512(
        _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(INT32_MIN)),
        _mm512_set1_epi32(0x7fc00000));
    v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), _mm512_castsi512_ps(qnan));
    const int rne = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_maskz_cvtps_ph(0xffff, v, rne));
  }
};

template <> struct Lanes<half_t, kCpuIsaAvx2> {
  static constexpr size_t kCount = 8;
  typedef float T;
  typedef __m256 V;
  __attribute__((target(HOOP_TARGET_AVX2))) HOOP_SIMD_INLINE static V load(const half_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  __attribute__((target(HOOP_TARGET_AVX2)))
  HOOP_SIMD_INLINE static void store(half_t* p, const V& value) {
    V v = value;
    const __m256 qnan = _mm256_or_ps(_mm256_and_ps(v, _mm256_set1_ps(-0.0f)),
                                     _mm256_castsi256_ps(_mm256_set1_epi32(0x7fc00000)));
    v = _mm256_blendv_ps(v, qnan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p),
                     _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
};

// Integer quotients through a floating type F: exact, because the F rounding error of
// v / n is far below the distance 1/n from v / n to the next integer (8-bit types in float,
// 32-bit types in double). Returns the number of elements done.
template <typename S, typename F, size_t N>
HOOP_SIMD_INLINE size_t divideInteger(S* p, size_t n, int nranks) {
  typedef typename Vec<S, N>::type VS;
  typedef typename Vec<F, N>::type VF;
  size_t i = 0;
  for (; i + N <= n; i += N) {
    VS v;
    memcpy(&v, p + i, sizeof v);
    v = __builtin_convertvector(__builtin_convertvector(v, VF) / static_cast<F>(nranks), VS);
    memcpy(p + i, &v, sizeof v);
  }
  return i;
}

// The kernels, stamped out once per ISA level. This is a macro rather than a shared
// always_inline template because a target attribute cannot depend on a template argument,
// and GCC refuses to inline target-specific code (the F16C intrinsics of Lanes<half_t>) into
// a baseline function even when that function is itself always inlined into a target one.
//
// reduce: dst[i] = a[i] op b[i]; two vectors per iteration, then one, then scalars. dst may
// equal a or b: every vector is loaded before the store of the same lanes.
// divide: buf[i] = divideElement(buf[i], nranks); 64-bit integers stay scalar (no exact
// SIMD division).
#define HOOP_DEFINE_CPU_KERNELS(Suffix, Isa, ...)                                           \
  template <typename S, int K>                                                             \
  __VA_ARGS__ void reduce##Suffix(void* dst, const void* a, const void* b, size_t n) {     \
    typedef ::hoop::simd::Lanes<S, Isa> L;                                                 \
    typedef typename L::T T;                                                               \
    S* d = static_cast<S*>(dst);                                                           \
    const S* x = static_cast<const S*>(a);                                                 \
    const S* y = static_cast<const S*>(b);                                                 \
    size_t i = 0;                                                                          \
    if constexpr (L::kCount > 0) {                                                         \
      constexpr size_t C = L::kCount;                                                      \
      for (; i + 2 * C <= n; i += 2 * C) {                                                 \
        const typename L::V r0 = ::hoop::simd::applyOp<K, T>(L::load(x + i), L::load(y + i)); \
        const typename L::V r1 =                                                           \
            ::hoop::simd::applyOp<K, T>(L::load(x + i + C), L::load(y + i + C));           \
        L::store(d + i, r0);                                                               \
        L::store(d + i + C, r1);                                                           \
      }                                                                                    \
      if (i + C <= n) {                                                                    \
        L::store(d + i, ::hoop::simd::applyOp<K, T>(L::load(x + i), L::load(y + i)));      \
        i += C;                                                                            \
      }                                                                                    \
    }                                                                                      \
    for (; i < n; ++i) d[i] = ::hoop::simd::applyScalar<K>(x[i], y[i]);                    \
  }                                                                                        \
  template <typename S>                                                                    \
  __VA_ARGS__ void divide##Suffix(void* buf, size_t n, int nranks) {                       \
    typedef ::hoop::simd::Lanes<S, Isa> L;                                                 \
    S* p = static_cast<S*>(buf);                                                           \
    size_t i = 0;                                                                          \
    if constexpr (sizeof(S) == 1) {                                                        \
      i = ::hoop::simd::divideInteger<S, float, 16>(p, n, nranks);                         \
    } else if constexpr (std::is_integral<S>::value && sizeof(S) == 4) {                   \
      i = ::hoop::simd::divideInteger<S, double, 8>(p, n, nranks);                         \
    } else if constexpr (!std::is_integral<S>::value && L::kCount > 0) {                   \
      const typename L::T divisor = static_cast<typename L::T>(nranks);                    \
      for (; i + L::kCount <= n; i += L::kCount) L::store(p + i, L::load(p + i) / divisor); \
    }                                                                                      \
    for (; i < n; ++i) p[i] = ::hoop::divideElement<S>(p[i], nranks);                      \
  }

}  // namespace simd
}  // namespace hoop
