// CPU reducer kernels against the scalar definitions of reduce_ops.h, bit for bit, at every
// instruction-set level this CPU supports.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <random>
#include <string>
#include <vector>

#include "reduce/cpu_reducer.h"
#include "reduce/cpu_reducer_isa.h"
#include "reduce/reduce_ops.h"

namespace hoop {
namespace {

const hoopDataType_t kTypes[] = {hoopInt8,    hoopUint8,   hoopInt32,   hoopUint32,
                                 hoopInt64,   hoopUint64,  hoopFloat16, hoopFloat32,
                                 hoopFloat64, hoopBfloat16};
const hoopRedOp_t kOps[] = {hoopSum, hoopProd, hoopMax, hoopMin, hoopAvg};
const size_t kCounts[] = {0, 1, 2, 3, 7, 15, 16, 17, 31, 63, 64, 65, 127, 1000, 4099};
const char* const kIsaNames[] = {"baseline", "avx2", "avx512"};

// Calls f(S()) with the storage type of datatype.
template <typename F>
void withType(hoopDataType_t t, F f) {
  switch (t) {
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
    default: FAIL() << "bad type " << t;
  }
}

template <typename S>
S reference(hoopRedOp_t op, S a, S b) {
  switch (op) {
    case hoopSum:
    case hoopAvg: return reduceElement<S, OpSum>(a, b);
    case hoopProd: return reduceElement<S, OpProd>(a, b);
    case hoopMax: return reduceElement<S, OpMax>(a, b);
    default: return reduceElement<S, OpMin>(a, b);
  }
}

template <typename S>
S fromBits(uint64_t bits) {
  S s;
  memcpy(&s, &bits, sizeof s);  // little-endian: the low bytes
  return s;
}

template <typename S>
std::string hex(const S& s) {
  uint64_t bits = 0;
  memcpy(&bits, &s, sizeof s);
  char buf[32];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(bits));
  return buf;
}

// Bit patterns worth testing for each storage size/kind.
template <typename S>
std::vector<S> specials() {
  std::vector<S> v;
  if constexpr (std::is_integral<S>::value) {
    for (S x : {S(0), S(1), S(2), S(-1), S(-2), S(3), S(7), S(100)}) v.push_back(x);
    v.push_back(std::numeric_limits<S>::max());
    v.push_back(std::numeric_limits<S>::min());
    v.push_back(static_cast<S>(std::numeric_limits<S>::max() - 1));
    v.push_back(static_cast<S>(std::numeric_limits<S>::min() + 1));
  } else if constexpr (std::is_floating_point<S>::value) {
    typedef std::numeric_limits<S> L;
    for (S x : {S(0), S(-0.0), S(1), S(-1), S(0.5), S(3), L::infinity(), -L::infinity(),
                L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN(), L::denorm_min(),
                -L::denorm_min(), L::min(), -L::min(), L::max(), -L::max(), L::epsilon()}) {
      v.push_back(x);
    }
    v.push_back(fromBits<S>(sizeof(S) == 4 ? 0x7fc12345u : 0x7ff0000000abcdefull));  // payloads
    v.push_back(fromBits<S>(sizeof(S) == 4 ? 0xff812345u : 0xfff8000000000123ull));
  } else {  // 16-bit floats: zeros, ones, subnormals, max, inf, NaNs (quiet, signalling, payload)
    for (uint16_t b : {0x0000, 0x8000, 0x3c00, 0xbc00, 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff,
                       0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7c01, 0xfd55, 0x7fff, 0x3f80,
                       0xbf80, 0x7f80, 0xff80, 0x7fc0, 0xffc1, 0x7f81, 0x0080, 0x007f, 0x3555}) {
      S s;
      s.bits = b;
      v.push_back(s);
    }
  }
  return v;
}

// Mostly "ordinary" values with specials and raw random bits mixed in.
template <typename S>
S randomValue(std::mt19937_64& rng) {
  const unsigned r = rng() % 16;
  if (r == 0) {
    const std::vector<S> sp = specials<S>();
    return sp[rng() % sp.size()];
  }
  if (r < 4) return fromBits<S>(rng());
  if constexpr (std::is_integral<S>::value) {
    return static_cast<S>(static_cast<int64_t>(rng() % 201) - 100);
  } else {
    const float f = std::uniform_real_distribution<float>(-100.0f, 100.0f)(rng);
    if constexpr (std::is_floating_point<S>::value) return static_cast<S>(f);
    else if constexpr (std::is_same<S, half_t>::value) return S{floatToHalf(f)};
    else return S{floatToBfloat16(f)};
  }
}

// Runs every ISA level this CPU has.
template <typename F>
void forEachIsa(F f) {
  for (int isa = 0; isa <= cpuIsa(); ++isa) {
    SCOPED_TRACE(kIsaNames[isa]);
    f(static_cast<CpuIsa>(isa));
  }
}

// Element-wise bitwise comparison, reporting the first mismatch.
template <typename S>
void expectSame(const S* want, const S* got, size_t n, const std::string& what) {
  for (size_t i = 0; i < n; ++i) {
    if (memcmp(&want[i], &got[i], sizeof(S)) != 0) {
      ADD_FAILURE() << what << ": element " << i << " of " << n << ": want " << hex(want[i])
                    << " got " << hex(got[i]);
      return;
    }
  }
}

template <typename S>
bool isNan(S s) {
  if constexpr (std::is_integral<S>::value) return false;
  else if constexpr (std::is_floating_point<S>::value) return s != s;
  else return isnan(Compute<S>::load(s));
}

// The one case reduce_ops.h leaves to the compiler: a sum or product of two NaNs is the
// first *machine* operand's NaN (x86), and GCC orders the operands of a commutative + or *
// as it likes, in the reference as much as in the kernels. Either input's (quieted) NaN is
// then right; reduceElement(x, x) is x's.
template <typename S>
bool eitherNan(hoopRedOp_t op, S a, S b, S got) {
  if (op == hoopMax || op == hoopMin || !isNan(a) || !isNan(b)) return false;
  const S qa = reference(op, a, a), qb = reference(op, b, b);
  return memcmp(&got, &qa, sizeof(S)) == 0 || memcmp(&got, &qb, sizeof(S)) == 0;
}

// Element-wise comparison of a reduction, reporting the first mismatch.
template <typename S>
void expectReduced(hoopRedOp_t op, const S* a, const S* b, const S* got, size_t n,
                   const std::string& what) {
  for (size_t i = 0; i < n; ++i) {
    const S want = reference(op, a[i], b[i]);
    if (memcmp(&want, &got[i], sizeof(S)) != 0 && !eitherNan(op, a[i], b[i], got[i])) {
      ADD_FAILURE() << what << ": element " << i << " of " << n << ": " << hex(a[i]) << " op "
                    << hex(b[i]) << ": want " << hex(want) << " got " << hex(got[i]);
      return;
    }
  }
}

// One kernel call with dst/a/b offset by the given number of elements, checked against the
// reference, plus a guard element after dst that must stay untouched.
template <typename S>
void checkReduce(ReduceFn fn, hoopRedOp_t op, const std::vector<S>& a, const std::vector<S>& b,
                 size_t offD, size_t offA, size_t offB, const std::string& what) {
  const size_t n = a.size();
  std::vector<S> abuf(n + offA), bbuf(n + offB), dbuf(n + offD + 1);
  if (n) memcpy(abuf.data() + offA, a.data(), n * sizeof(S));
  if (n) memcpy(bbuf.data() + offB, b.data(), n * sizeof(S));
  const S guard = fromBits<S>(0x5a5a5a5a5a5a5a5aull);
  dbuf[n + offD] = guard;
  fn(dbuf.data() + offD, abuf.data() + offA, bbuf.data() + offB, n);
  expectReduced(op, a.data(), b.data(), dbuf.data() + offD, n, what);
  EXPECT_EQ(0, memcmp(&dbuf[n + offD], &guard, sizeof(S))) << what << ": wrote past the end";
}

TEST(Reducer, RandomInputsAllTypesOpsCountsAlignments) {
  forEachIsa([](CpuIsa isa) {
    for (hoopDataType_t t : kTypes) {
      withType(t, [&](auto s) {
        typedef decltype(s) S;
        std::mt19937_64 rng(1234 + t);
        for (hoopRedOp_t op : kOps) {
          const ReduceFn fn = reduceFunctionForIsa(t, op, isa);
          ASSERT_NE(fn, nullptr);
          for (size_t n : kCounts) {
            std::vector<S> a(n), b(n);
            for (size_t i = 0; i < n; ++i) a[i] = randomValue<S>(rng), b[i] = randomValue<S>(rng);
            const std::string what = "type " + std::to_string(t) + " op " + std::to_string(op) +
                                     " count " + std::to_string(n);
            checkReduce(fn, op, a, b, 0, 0, 0, what + " aligned");
            checkReduce(fn, op, a, b, 1, 1, 1, what + " all offset by 1");
            checkReduce(fn, op, a, b, 1, 0, 3, what + " mixed offsets");
          }
        }
      });
    }
  });
}

// Every pair of special values, in both orders (NaN propagation depends on the order).
TEST(Reducer, SpecialValuePairs) {
  forEachIsa([](CpuIsa isa) {
    for (hoopDataType_t t : kTypes) {
      withType(t, [&](auto s) {
        typedef decltype(s) S;
        const std::vector<S> sp = specials<S>();
        std::vector<S> a, b;
        for (const S& x : sp) {
          for (const S& y : sp) a.push_back(x), b.push_back(y);
        }
        for (hoopRedOp_t op : kOps) {
          checkReduce(reduceFunctionForIsa(t, op, isa), op, a, b, 0, 0, 0,
                      "type " + std::to_string(t) + " op " + std::to_string(op));
        }
      });
    }
  });
}

// 16-bit floats: every pattern against a set of partners, covering all rounding cases.
TEST(Reducer, Exhaustive16BitFloats) {
  forEachIsa([](CpuIsa isa) {
    for (hoopDataType_t t : {hoopFloat16, hoopBfloat16}) {
      withType(t, [&](auto s) {
        typedef decltype(s) S;
        if constexpr (sizeof(S) == 2 && !std::is_integral<S>::value) {
          std::mt19937_64 rng(99);
          std::vector<S> partners = specials<S>();
          for (int i = 0; i < 24; ++i) partners.push_back(fromBits<S>(rng()));
          std::vector<S> a, b;
          for (uint32_t h = 0; h < 65536; ++h) {
            for (const S& y : partners) a.push_back(fromBits<S>(h)), b.push_back(y);
          }
          for (hoopRedOp_t op : kOps) {
            checkReduce(reduceFunctionForIsa(t, op, isa), op, a, b, 0, 0, 0,
                        "type " + std::to_string(t) + " op " + std::to_string(op));
          }
        }
      });
    }
  });
}

TEST(Reducer, DstAliasesAOrB) {
  forEachIsa([](CpuIsa isa) {
    for (hoopDataType_t t : kTypes) {
      withType(t, [&](auto s) {
        typedef decltype(s) S;
        std::mt19937_64 rng(77 + t);
        for (hoopRedOp_t op : kOps) {
          for (size_t n : {size_t(1), size_t(17), size_t(1000), size_t(4099)}) {
            std::vector<S> a(n), b(n);
            for (size_t i = 0; i < n; ++i) a[i] = randomValue<S>(rng), b[i] = randomValue<S>(rng);
            const ReduceFn fn = reduceFunctionForIsa(t, op, isa);
            std::vector<S> x = a;
            fn(x.data(), x.data(), b.data(), n);
            const std::string what = "type " + std::to_string(t) + " op " + std::to_string(op);
            expectReduced(op, a.data(), b.data(), x.data(), n, "dst == a, " + what);
            x = b;
            fn(x.data(), a.data(), x.data(), n);
            expectReduced(op, a.data(), b.data(), x.data(), n, "dst == b, " + what);
          }
        }
      });
    }
  });
}

TEST(Reducer, IntegerWraparound) {
  const int8_t a8[] = {127, -128, 100, -100, 16};
  const int8_t b8[] = {1, -1, 100, 100, 16};
  int8_t s8[5], p8[5];
  reduceFunction(hoopInt8, hoopSum)(s8, a8, b8, 5);
  reduceFunction(hoopInt8, hoopProd)(p8, a8, b8, 5);
  EXPECT_EQ(s8[0], -128);
  EXPECT_EQ(s8[1], 127);
  EXPECT_EQ(s8[2], -56);
  EXPECT_EQ(p8[2], 16);  // 10000 mod 256
  EXPECT_EQ(p8[4], 0);
  const uint64_t a64[] = {~0ull, 1ull << 63};
  const uint64_t b64[] = {2, 2};
  uint64_t s64[2], p64[2];
  reduceFunction(hoopUint64, hoopSum)(s64, a64, b64, 2);
  reduceFunction(hoopUint64, hoopProd)(p64, a64, b64, 2);
  EXPECT_EQ(s64[0], 1u);
  EXPECT_EQ(p64[0], ~0ull - 1);
  EXPECT_EQ(p64[1], 0u);
}

TEST(Reducer, Divide) {
  forEachIsa([](CpuIsa isa) {
    for (hoopDataType_t t : kTypes) {
      withType(t, [&](auto s) {
        typedef decltype(s) S;
        std::mt19937_64 rng(555 + t);
        const DivideFn fn = divideFunctionForIsa(t, isa);
        ASSERT_NE(fn, nullptr);
        for (int nranks = 1; nranks <= 7; ++nranks) {
          for (size_t n : kCounts) {
            std::vector<S> v(n + 2), want;
            const std::vector<S> sp = specials<S>();
            for (size_t i = 0; i < n + 2; ++i) {
              v[i] = i < sp.size() ? sp[i] : randomValue<S>(rng);
            }
            for (size_t i = 0; i < n; ++i) want.push_back(divideElement<S>(v[i + 1], nranks));
            const S after = v[n + 1];
            fn(&v[1], n, nranks);  // misaligned by one element
            const std::string what = "type " + std::to_string(t) + " nranks " +
                                     std::to_string(nranks) + " count " + std::to_string(n);
            expectSame(want.data(), &v[1], n, what);
            EXPECT_EQ(0, memcmp(&after, &v[n + 1], sizeof(S))) << what << ": wrote past the end";
          }
        }
      });
    }
  });
}

TEST(Reducer, DivideTruncatesTowardZero) {
  int32_t v[] = {-7, 7, -1, -6, 6, INT32_MIN, INT32_MAX, -8, 5, -5, -13, 13, 0, -3, 3, -4, 4};
  divideFunction(hoopInt32)(v, 17, 2);
  const int32_t want[] = {-3, 3, 0, -3, 3, INT32_MIN / 2, INT32_MAX / 2, -4, 2, -2, -6, 6, 0,
                          -1, 1, -2, 2};
  for (int i = 0; i < 17; ++i) EXPECT_EQ(v[i], want[i]) << i;
  int8_t w[20];
  for (int i = 0; i < 20; ++i) w[i] = static_cast<int8_t>(-100 + 11 * i);
  divideFunction(hoopInt8)(w, 20, 3);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(w[i], (-100 + 11 * i) / 3) << i;
}

TEST(Reducer, UnknownTypeOrOpGivesNull) {
  EXPECT_EQ(reduceFunction(static_cast<hoopDataType_t>(10), hoopSum), nullptr);
  EXPECT_EQ(reduceFunction(static_cast<hoopDataType_t>(-1), hoopSum), nullptr);
  EXPECT_EQ(reduceFunction(hoopFloat32, static_cast<hoopRedOp_t>(5)), nullptr);
  EXPECT_EQ(reduceFunction(hoopFloat32, static_cast<hoopRedOp_t>(-1)), nullptr);
  EXPECT_EQ(divideFunction(static_cast<hoopDataType_t>(10)), nullptr);
  EXPECT_EQ(divideFunction(static_cast<hoopDataType_t>(-1)), nullptr);
  EXPECT_EQ(dataTypeSize(static_cast<hoopDataType_t>(10)), 0u);
  EXPECT_EQ(dataTypeSize(static_cast<hoopDataType_t>(-1)), 0u);
  EXPECT_EQ(reduceFunctionForIsa(hoopFloat32, hoopSum, static_cast<CpuIsa>(kCpuIsaCount)),
            nullptr);
  for (hoopDataType_t t : kTypes) {
    for (hoopRedOp_t op : kOps) EXPECT_NE(reduceFunction(t, op), nullptr) << t << " " << op;
  }
  // avg reduces as sum
  EXPECT_EQ(reduceFunction(hoopFloat32, hoopAvg), reduceFunction(hoopFloat32, hoopSum));
}

TEST(Reducer, DataTypeSize) {
  const size_t want[] = {1, 1, 4, 4, 8, 8, 2, 4, 8, 2};
  for (int t = 0; t < hoopNumTypes; ++t) {
    EXPECT_EQ(dataTypeSize(static_cast<hoopDataType_t>(t)), want[t]) << t;
  }
}

TEST(Reducer, ReportsIsa) {
  // The build machine of this project has AVX-512; elsewhere this only prints.
  printf("cpu isa: %s\n", kIsaNames[cpuIsa()]);
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl")) {
    EXPECT_EQ(cpuIsa(), kCpuIsaAvx512);
  }
}

// The conversions themselves.
TEST(Conversions, HalfKnownValues) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.99f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);  // ties to even: rounds up to infinity
  EXPECT_EQ(floatToHalf(1e10f), 0x7c00);
  EXPECT_EQ(floatToHalf(-INFINITY), 0xfc00);
  EXPECT_EQ(floatToHalf(ldexpf(1, -24)), 0x0001);   // smallest subnormal
  EXPECT_EQ(floatToHalf(ldexpf(1, -25)), 0x0000);   // tie, to even
  EXPECT_EQ(floatToHalf(ldexpf(3, -25)), 0x0002);   // tie, to even
  EXPECT_EQ(floatToHalf(ldexpf(5, -25)), 0x0002);   // tie, to even
  EXPECT_EQ(floatToHalf(ldexpf(1.0001f, -25)), 0x0001);
  EXPECT_EQ(floatToHalf(ldexpf(1, -14)), 0x0400);   // smallest normal
  EXPECT_EQ(floatToHalf(ldexpf(1023, -24)), 0x03ff);  // largest subnormal
  EXPECT_EQ(floatToHalf(1.0f + ldexpf(1, -11)), 0x3c00);      // tie, to even
  EXPECT_EQ(floatToHalf(1.0f + ldexpf(3, -11)), 0x3c02);      // tie, to even (up)
  EXPECT_EQ(floatToHalf(NAN) & 0x7fff, 0x7e00);
  EXPECT_EQ(halfToFloat(0x0001), ldexpf(1, -24));
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_TRUE(isinf(halfToFloat(0x7c00)));
  EXPECT_TRUE(isnan(halfToFloat(0x7c01)));
}

TEST(Conversions, HalfRoundTripsExhaustively) {
  for (uint32_t h = 0; h < 65536; ++h) {
    const float f = halfToFloat(static_cast<uint16_t>(h));
    if (isnan(f)) {
      EXPECT_EQ((h >> 10) & 0x1f, 0x1fu);
      EXPECT_NE(h & 0x3ff, 0u);
      continue;
    }
    ASSERT_EQ(floatToHalf(f), h) << "h=" << h;
    ASSERT_EQ(halfToFloat(floatToHalf(f)), f) << "h=" << h;
  }
}

TEST(Conversions, Bfloat16KnownValues) {
  EXPECT_EQ(floatToBfloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBfloat16(-2.0f), 0xc000);
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x3f808000u)), 0x3f80);  // tie, to even (down)
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x3f818000u)), 0x3f82);  // tie, to even (up)
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x3f808001u)), 0x3f81);
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x7f7fffffu)), 0x7f80);  // FLT_MAX rounds to inf
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x00000001u)), 0x0000);  // subnormals kept, rounded
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x00018000u)), 0x0002);
  EXPECT_EQ(floatToBfloat16(INFINITY), 0x7f80);
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0x7f800001u)), 0x7fc0);  // sNaN -> qNaN, not inf
  EXPECT_EQ(floatToBfloat16(bitsToFloat(0xffffffffu)), 0xffff);
  EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
  for (uint32_t b = 0; b < 65536; ++b) {
    const float f = bfloat16ToFloat(static_cast<uint16_t>(b));
    if (!isnan(f)) {
      ASSERT_EQ(floatToBfloat16(f), b);
    }
  }
}

}  // namespace
}  // namespace hoop
