#include "trainer/sgd.h"

namespace hoop {

namespace {

template <typename T>
void update(T* parameters, const T* gradients, T* velocity, size_t count, T learningRate, T momentum) {
  if (momentum == T(0)) {
    for (size_t i = 0; i < count; ++i) parameters[i] -= learningRate * gradients[i];
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    velocity[i] = momentum * velocity[i] + gradients[i];
    parameters[i] -= learningRate * velocity[i];
  }
}

}  // namespace

void sgdUpdate(void* parameters, const void* gradients, void* velocity, size_t count, hoopDataType_t datatype,
               double learningRate, double momentum) {
  if (datatype == hoopFloat64) {
    update(static_cast<double*>(parameters), static_cast<const double*>(gradients), static_cast<double*>(velocity),
           count, learningRate, momentum);
  } else {
    update(static_cast<float*>(parameters), static_cast<const float*>(gradients), static_cast<float*>(velocity), count,
           static_cast<float>(learningRate), static_cast<float>(momentum));
  }
}

}  // namespace hoop
