#include "trainer/wire_codec.h"

#include <string.h>

#include "reduce/cpu_reducer.h"
#include "reduce/reduce_ops.h"

namespace hoop {

hoopDataType_t wireDataType(hoopDataType_t datatype, WireCompression compression) {
  if (datatype != hoopFloat32) return datatype;
  if (compression == WireCompression::Float16) return hoopFloat16;
  if (compression == WireCompression::Bfloat16) return hoopBfloat16;
  return datatype;
}

void packToWire(void* wire, hoopDataType_t wireType, const void* tensor, hoopDataType_t datatype, size_t count) {
  if (wireType == datatype) {
    memcpy(wire, tensor, count * dataTypeSize(datatype));
    return;
  }
  const float* in = static_cast<const float*>(tensor);
  uint16_t* out = static_cast<uint16_t*>(wire);
  if (wireType == hoopFloat16) {
    for (size_t i = 0; i < count; ++i) out[i] = floatToHalf(in[i]);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = floatToBfloat16(in[i]);
  }
}

void unpackFromWire(void* tensor, hoopDataType_t datatype, const void* wire, hoopDataType_t wireType, size_t count) {
  if (wireType == datatype) {
    memcpy(tensor, wire, count * dataTypeSize(datatype));
    return;
  }
  const uint16_t* in = static_cast<const uint16_t*>(wire);
  float* out = static_cast<float*>(tensor);
  if (wireType == hoopFloat16) {
    for (size_t i = 0; i < count; ++i) out[i] = halfToFloat(in[i]);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = bfloat16ToFloat(in[i]);
  }
}

}  // namespace hoop
