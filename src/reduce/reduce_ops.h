// Element-wise reduction operators, shared by the CPU reducers and the CUDA kernels.
//
// This header is the single definition of what each hoopRedOp_t means for each datatype:
// integer sum and product wrap modulo 2^bits (computed on the unsigned type, so signed
// overflow is never undefined), max/min compare in the type, avg is a sum during the
// reduction followed by one division by the rank count (truncating toward zero for
// integers). float16 and bfloat16 travel as 16-bit patterns, are widened to float for the
// arithmetic and rounded back to nearest-even. Everything here is usable from host and
// device code.
#pragma once

#include <stdint.h>
#include <string.h>

#include "hoop/hoop.h"

#if defined(__CUDACC__)
#define HOOP_HD __host__ __device__ __forceinline__
#else
#define HOOP_HD inline
#endif

namespace hoop {

// 16-bit floating-point patterns; distinct types so that overloads pick the right rounding.
struct half_t { uint16_t bits; };
struct bfloat16_t { uint16_t bits; };

HOOP_HD float bitsToFloat(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

HOOP_HD uint32_t floatToBits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

// In device code the 16-bit float conversions below use the GPU's conversion instructions
// for every non-NaN value: cvt.f32.f16 is exact and cvt.rn.f16.f32 rounds to nearest even
// with subnormals and overflow to infinity, so both give the bits of the portable code
// (which keeps the integer-only path for NaN, whose payload the instructions canonicalise).
// The GPU kernel tests compare every 16-bit pattern against the host path.

// IEEE binary16 -> binary32, exact (subnormals, infinities and NaN included).
HOOP_HD float halfToFloat(uint16_t h) {
#if defined(__CUDA_ARCH__)
  if ((h & 0x7fffu) <= 0x7c00u) {
    float converted;
    asm("cvt.f32.f16 %0, %1;" : "=f"(converted) : "h"(h));
    return converted;
  }
#endif
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t mant = h & 0x3ffu;
  if (exp == 0x1fu) return bitsToFloat(sign | 0x7f800000u | (mant << 13));
  if (exp != 0) return bitsToFloat(sign | ((exp + 112u) << 23) | (mant << 13));
  // Zero or subnormal: mant * 2^-24, exact in float.
  const float magnitude = static_cast<float>(mant) * 5.9604644775390625e-8f;
  return bitsToFloat(sign | floatToBits(magnitude));
}

// binary32 -> binary16 with round-to-nearest-even; overflow gives infinity, NaN stays NaN.
HOOP_HD uint16_t floatToHalf(float f) {
  const uint32_t x = floatToBits(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t absx = x & 0x7fffffffu;
#if defined(__CUDA_ARCH__)
  if (absx <= 0x7f800000u) {
    uint16_t converted;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(converted) : "f"(f));
    return converted;
  }
#endif
  if (absx >= 0x7f800000u) {  // inf or NaN
    return static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
  }
  if (absx >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to >= 65520
  if (absx < 0x38800000u) {  // result is subnormal or zero: scale so the rounding is done by float addition
    const float magnitude = bitsToFloat(absx) + 0.5f;  // 0.5 = 2^-1 aligns bit 0 of the half mantissa
    return static_cast<uint16_t>(sign | (floatToBits(magnitude) - 0x3f000000u));
  }
  const uint32_t odd = (absx >> 13) & 1u;
  const uint32_t rounded = absx + 0xfffu + odd - (112u << 23);
  return static_cast<uint16_t>(sign | (rounded >> 13));
}

HOOP_HD float bfloat16ToFloat(uint16_t b) { return bitsToFloat(static_cast<uint32_t>(b) << 16); }

// binary32 -> bfloat16 with round-to-nearest-even; NaN stays a quiet NaN.
HOOP_HD uint16_t floatToBfloat16(float f) {
  const uint32_t x = floatToBits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);
  const uint32_t rounded = x + 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>(rounded >> 16);
}

// Arithmetic on a native type T. Integer sum/product go through the unsigned type.
template <typename T> struct Arith {
  HOOP_HD static T sum(T a, T b) { return a + b; }
  HOOP_HD static T prod(T a, T b) { return a * b; }
};
#define HOOP_WRAPPING_ARITH(T, U)                                                         \
  template <> struct Arith<T> {                                                           \
    HOOP_HD static T sum(T a, T b) { return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b))); } \
    HOOP_HD static T prod(T a, T b) { return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b))); } \
  };
HOOP_WRAPPING_ARITH(int8_t, uint32_t)
HOOP_WRAPPING_ARITH(uint8_t, uint32_t)
HOOP_WRAPPING_ARITH(int32_t, uint32_t)
HOOP_WRAPPING_ARITH(uint32_t, uint32_t)
HOOP_WRAPPING_ARITH(int64_t, uint64_t)
HOOP_WRAPPING_ARITH(uint64_t, uint64_t)
#undef HOOP_WRAPPING_ARITH

// Op functors: apply(a, b) on the native compute type.
template <typename T> struct OpSum { HOOP_HD static T apply(T a, T b) { return Arith<T>::sum(a, b); } };
template <typename T> struct OpProd { HOOP_HD static T apply(T a, T b) { return Arith<T>::prod(a, b); } };
template <typename T> struct OpMax { HOOP_HD static T apply(T a, T b) { return a > b ? a : b; } };
template <typename T> struct OpMin { HOOP_HD static T apply(T a, T b) { return a < b ? a : b; } };

// Storage <-> compute conversion. 16-bit floats compute in float; other types in themselves.
template <typename S> struct Compute {
  typedef S type;
  HOOP_HD static S load(S v) { return v; }
  HOOP_HD static S store(S v) { return v; }
};
template <> struct Compute<half_t> {
  typedef float type;
  HOOP_HD static float load(half_t v) { return halfToFloat(v.bits); }
  HOOP_HD static half_t store(float v) { half_t h; h.bits = floatToHalf(v); return h; }
};
template <> struct Compute<bfloat16_t> {
  typedef float type;
  HOOP_HD static float load(bfloat16_t v) { return bfloat16ToFloat(v.bits); }
  HOOP_HD static bfloat16_t store(float v) { bfloat16_t b; b.bits = floatToBfloat16(v); return b; }
};

// One reduction of two stored elements: store(op(load(a), load(b))).
template <typename S, template <typename> class Op>
HOOP_HD S reduceElement(S a, S b) {
  typedef Compute<S> C;
  return C::store(Op<typename C::type>::apply(C::load(a), C::load(b)));
}

// The avg finalisation: the sum divided by the rank count. Integers divide in 64 bits and
// truncate toward zero; floating types divide in their compute type.
template <typename T> struct Divide {
  HOOP_HD static T apply(T v, int n) { return static_cast<T>(v / static_cast<T>(n)); }
};
#define HOOP_INTEGER_DIVIDE(T, W)                                                           \
  template <> struct Divide<T> {                                                            \
    HOOP_HD static T apply(T v, int n) { return static_cast<T>(static_cast<W>(v) / static_cast<W>(n)); } \
  };
HOOP_INTEGER_DIVIDE(int8_t, int64_t)
HOOP_INTEGER_DIVIDE(uint8_t, uint64_t)
HOOP_INTEGER_DIVIDE(int32_t, int64_t)
HOOP_INTEGER_DIVIDE(uint32_t, uint64_t)
HOOP_INTEGER_DIVIDE(int64_t, int64_t)
HOOP_INTEGER_DIVIDE(uint64_t, uint64_t)
#undef HOOP_INTEGER_DIVIDE

template <typename S>
HOOP_HD S divideElement(S v, int n) {
  typedef Compute<S> C;
  return C::store(Divide<typename C::type>::apply(C::load(v), n));
}

}  // namespace hoop
