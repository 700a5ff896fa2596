// Inputs whose reduction is exact in every datatype, and the expected results.
//
// Sum and avg inputs are small integers, product inputs are +-1 with a few 2s, max/min
// inputs are integers in [-100, 100]: every partial result is representable exactly (even
// in float16 and bfloat16) for up to 64 ranks, so any reduction order gives the same bits
// and the reference below is exact. Integer sums that leave the type's range wrap, as the
// library's do. Used by the unit tests, the MPI tests and the benchmarks' -c check.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hoop/hoop.h"
#include "reduce/reduce_ops.h"

namespace hoop {
namespace testing {

// Bytes per element, for code that sees only the public API.
inline size_t typeSize(hoopDataType_t datatype) {
  static const size_t sizes[] = {1, 1, 4, 4, 8, 8, 2, 4, 8, 2};
  return static_cast<int>(datatype) >= 0 && datatype < hoopNumTypes ? sizes[datatype] : 0;
}

inline bool isUnsigned(hoopDataType_t datatype) {
  return datatype == hoopUint8 || datatype == hoopUint32 || datatype == hoopUint64;
}

inline bool isFloating(hoopDataType_t datatype) {
  return datatype == hoopFloat16 || datatype == hoopBfloat16 || datatype == hoopFloat32 || datatype == hoopFloat64;
}

// The input of rank `rank` at element `index`, as an exact small number.
inline long long exactInput(hoopDataType_t datatype, hoopRedOp_t op, int rank, size_t index) {
  const unsigned long long mix = static_cast<unsigned long long>(rank) * 7919ull + index * 104729ull;
  switch (op) {
    case hoopSum:
    case hoopAvg:
      return isUnsigned(datatype) ? static_cast<long long>(mix % 7) : static_cast<long long>(mix % 7) - 3;
    case hoopProd:
      if ((static_cast<unsigned long long>(rank) + index) % 23 == 0) return 2;
      return (isUnsigned(datatype) || mix % 3 != 0) ? 1 : -1;
    default:
      return isUnsigned(datatype) ? static_cast<long long>(mix % 201) : static_cast<long long>(mix % 201) - 100;
  }
}

// Writes `value` as element `index` of a buffer of `datatype`.
inline void storeValue(void* buffer, hoopDataType_t datatype, size_t index, double value) {
  char* base = static_cast<char*>(buffer);
  switch (datatype) {
    case hoopInt8: { int8_t v = static_cast<int8_t>(static_cast<long long>(value)); memcpy(base + index, &v, 1); break; }
    case hoopUint8: { uint8_t v = static_cast<uint8_t>(static_cast<long long>(value)); memcpy(base + index, &v, 1); break; }
    case hoopInt32: { int32_t v = static_cast<int32_t>(static_cast<long long>(value)); memcpy(base + 4 * index, &v, 4); break; }
    case hoopUint32: { uint32_t v = static_cast<uint32_t>(static_cast<long long>(value)); memcpy(base + 4 * index, &v, 4); break; }
    case hoopInt64: { int64_t v = static_cast<int64_t>(value); memcpy(base + 8 * index, &v, 8); break; }
    case hoopUint64: { uint64_t v = static_cast<uint64_t>(static_cast<long long>(value)); memcpy(base + 8 * index, &v, 8); break; }
    case hoopFloat16: { uint16_t v = floatToHalf(static_cast<float>(value)); memcpy(base + 2 * index, &v, 2); break; }
    case hoopBfloat16: { uint16_t v = floatToBfloat16(static_cast<float>(value)); memcpy(base + 2 * index, &v, 2); break; }
    case hoopFloat32: { float v = static_cast<float>(value); memcpy(base + 4 * index, &v, 4); break; }
    case hoopFloat64: { memcpy(base + 8 * index, &value, 8); break; }
    default: break;
  }
}

inline void fillExactInput(void* buffer, hoopDataType_t datatype, hoopRedOp_t op, int rank, size_t count) {
  for (size_t i = 0; i < count; ++i) storeValue(buffer, datatype, i, static_cast<double>(exactInput(datatype, op, rank, i)));
}

// The sum of all ranks' inputs at `index`, wrapped to the datatype the way the library wraps.
inline long long wrappedSum(hoopDataType_t datatype, hoopRedOp_t op, int nranks, size_t index) {
  long long sum = 0;
  for (int r = 0; r < nranks; ++r) sum += exactInput(datatype, op, r, index);
  switch (datatype) {
    case hoopInt8: return static_cast<int8_t>(sum);
    case hoopUint8: return static_cast<uint8_t>(sum);
    case hoopInt32: return static_cast<int32_t>(sum);
    case hoopUint32: return static_cast<uint32_t>(sum);
    default: return sum;
  }
}

// The avg finalisation exactly as documented: integers truncate, float16/bfloat16/float32
// divide in float, float64 in double.
inline double expectedAverage(hoopDataType_t datatype, long long sum, int nranks) {
  if (!isFloating(datatype)) return static_cast<double>(sum / nranks);
  if (datatype == hoopFloat64) return static_cast<double>(sum) / nranks;
  return static_cast<double>(static_cast<float>(sum) / static_cast<float>(nranks));
}

inline double expectedValue(hoopDataType_t datatype, hoopRedOp_t op, int nranks, size_t index) {
  switch (op) {
    case hoopSum: return static_cast<double>(wrappedSum(datatype, op, nranks, index));
    case hoopAvg: return expectedAverage(datatype, wrappedSum(datatype, op, nranks, index), nranks);
    case hoopProd: {
      long long product = 1;
      for (int r = 0; r < nranks; ++r) product *= exactInput(datatype, op, r, index);
      return static_cast<double>(product);
    }
    case hoopMax:
    case hoopMin: {
      long long best = exactInput(datatype, op, 0, index);
      for (int r = 1; r < nranks; ++r) {
        const long long v = exactInput(datatype, op, r, index);
        best = op == hoopMax ? (v > best ? v : best) : (v < best ? v : best);
      }
      return static_cast<double>(best);
    }
    default: return 0;
  }
}

inline void fillExpected(void* buffer, hoopDataType_t datatype, hoopRedOp_t op, int nranks, size_t count) {
  for (size_t i = 0; i < count; ++i) storeValue(buffer, datatype, i, expectedValue(datatype, op, nranks, i));
}

inline const char* datatypeName(hoopDataType_t datatype) {
  static const char* const names[] = {"int8", "uint8", "int32", "uint32", "int64", "uint64", "float16", "float32", "float64", "bfloat16"};
  return static_cast<int>(datatype) >= 0 && datatype < hoopNumTypes ? names[datatype] : "unknown";
}

inline const char* opName(hoopRedOp_t op) {
  static const char* const names[] = {"sum", "prod", "max", "min", "avg"};
  return static_cast<int>(op) >= 0 && op < hoopNumOps ? names[op] : "unknown";
}

}  // namespace testing
}  // namespace hoop
