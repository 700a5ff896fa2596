// Gradients between their tensors and a bucket's wire buffer: a plain copy, or float32
// narrowed to float16 / bfloat16 (round to nearest even) and widened back.
#pragma once

#include <stddef.h>

#include "hoop/trainer.h"

namespace hoop {

// The datatype a bucket of `datatype` travels in under `compression` (hoopFloat16,
// hoopBfloat16, or `datatype` itself when not compressed).
hoopDataType_t wireDataType(hoopDataType_t datatype, WireCompression compression);

// wire[0..count) = tensor[0..count), converted from `datatype` to `wireType`.
void packToWire(void* wire, hoopDataType_t wireType, const void* tensor, hoopDataType_t datatype, size_t count);
// tensor[0..count) = wire[0..count), converted back.
void unpackFromWire(void* tensor, hoopDataType_t datatype, const void* wire, hoopDataType_t wireType, size_t count);

}  // namespace hoop
