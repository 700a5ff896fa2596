// What differs between the collectives in the benchmarks: buffer sizes, the hoop call, the
// MPI call, the bus factor and the exact expected result.
#pragma once

#include <stddef.h>

#include "collective_bench.h"
#include "hoop/hoop.h"

namespace hoop {
namespace bench {

struct CallShape {
  BenchCollective collective;
  int rank;
  int nranks;
  int root;
  size_t count;  // the API's count: elements, or per-rank elements for all-gather and reduce-scatter
  hoopDataType_t datatype;
  hoopRedOp_t op;
};

const char* benchName(BenchCollective collective);      // "allreduce"
const char* mpiName(BenchCollective collective);        // "MPI_Allreduce"
bool hasOp(BenchCollective collective);
bool hasRoot(BenchCollective collective);
double busFactor(BenchCollective collective, int nranks);
// Elements per rank in the count argument for a whole array of `bytes`.
size_t countFor(BenchCollective collective, size_t bytes, size_t elemSize, int nranks);
size_t inputElements(const CallShape& shape);
size_t outputElements(const CallShape& shape);

// One call. `base` holds the input (and, in place, the output too, laid out by NCCL's
// rules); `out` is the output buffer when out of place.
hoopResult_t callHoop(const CallShape& shape, char* base, char* out, bool inPlace, hoopComm_t comm);
// The MPI equivalent, out of place; false when MPI has no such datatype.
bool callMpi(const CallShape& shape, const char* in, char* out);

// Fills this rank's input and the expected output.
void fillInput(const CallShape& shape, char* input);
void fillExpectedOutput(const CallShape& shape, char* expected);
// Where the input and output of an in-place call live inside `base`.
char* inPlaceInput(const CallShape& shape, char* base);
char* inPlaceOutput(const CallShape& shape, char* base);

}  // namespace bench
}  // namespace hoop
