// Instruction-set levels of the CPU reducers, exposed so that tests and benchmarks can run
// every level this CPU supports. The library itself only calls reduceFunction/divideFunction.
#pragma once

#include "reduce/cpu_reducer.h"

namespace hoop {

enum CpuIsa {
  kCpuIsaBaseline = 0,  // x86-64 baseline (SSE2): what the build targets
  kCpuIsaAvx2 = 1,      // AVX2 + F16C
  kCpuIsaAvx512 = 2,    // AVX-512 F/BW/DQ/VL + F16C
  kCpuIsaCount = 3
};

// The best level this CPU (and OS) supports; detected once. reduceFunction uses it.
CpuIsa cpuIsa();

// The kernels of one level; NULL for an unknown datatype/op or a level above cpuIsa().
ReduceFn reduceFunctionForIsa(hoopDataType_t datatype, hoopRedOp_t op, CpuIsa isa);
DivideFn divideFunctionForIsa(hoopDataType_t datatype, CpuIsa isa);

}  // namespace hoop
