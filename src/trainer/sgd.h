// The trainer's optimizer: SGD with momentum, in the tensor's own datatype.
#pragma once

#include <stddef.h>

#include "hoop/hoop.h"

namespace hoop {

// velocity = momentum * velocity + gradients; parameters -= learningRate * velocity, for
// float32 or float64 tensors. With momentum 0, velocity is not touched (may be NULL).
void sgdUpdate(void* parameters, const void* gradients, void* velocity, size_t count, hoopDataType_t datatype,
               double learningRate, double momentum);

}  // namespace hoop
