// CPU reducers: vectorized element-wise kernels for every datatype x op.
//
// reduceFunction(dtype, op) returns the kernel once; the hot path then calls it per segment
// with no further dispatch. dst[i] = a[i] op b[i] for i < count; dst may be the same pointer
// as a or b (not any other overlap). hoopAvg reduces as a sum; divideFunction(dtype) gives the
// finalisation that divides by the rank count.
#pragma once

#include <stddef.h>

#include "hoop/hoop.h"

namespace hoop {

typedef void (*ReduceFn)(void* dst, const void* a, const void* b, size_t count);
typedef void (*DivideFn)(void* buf, size_t count, int nranks);

// NULL for an unknown datatype or op.
ReduceFn reduceFunction(hoopDataType_t datatype, hoopRedOp_t op);
DivideFn divideFunction(hoopDataType_t datatype);

// Bytes per element; 0 for an unknown datatype.
size_t dataTypeSize(hoopDataType_t datatype);

}  // namespace hoop
