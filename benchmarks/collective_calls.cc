#include "collective_calls.h"

#include <mpi.h>

#include <vector>

#include "exact_data.h"
#include "mpi_baseline.h"

namespace hoop {
namespace bench {

namespace {

bool perRank(BenchCollective collective) {
  return collective == BenchCollective::AllGather || collective == BenchCollective::ReduceScatter;
}

size_t elemSize(const CallShape& shape) { return testing::typeSize(shape.datatype); }

}  // namespace

const char* benchName(BenchCollective collective) {
  static const char* const names[] = {"allreduce", "broadcast", "reduce", "allgather", "reduce_scatter"};
  return names[static_cast<int>(collective)];
}

const char* mpiName(BenchCollective collective) {
  static const char* const names[] = {"MPI_Allreduce", "MPI_Bcast", "MPI_Reduce", "MPI_Allgather",
                                      "MPI_Reduce_scatter_block"};
  return names[static_cast<int>(collective)];
}

bool hasOp(BenchCollective collective) {
  return collective != BenchCollective::Broadcast && collective != BenchCollective::AllGather;
}

bool hasRoot(BenchCollective collective) {
  return collective == BenchCollective::Broadcast || collective == BenchCollective::Reduce;
}

double busFactor(BenchCollective collective, int nranks) {
  if (nranks <= 1) return 1.0;
  const double n = nranks;
  if (collective == BenchCollective::AllReduce) return 2 * (n - 1) / n;
  return perRank(collective) ? (n - 1) / n : 1.0;
}

size_t countFor(BenchCollective collective, size_t bytes, size_t elem, int nranks) {
  return perRank(collective) ? bytes / elem / static_cast<size_t>(nranks) : bytes / elem;
}

size_t inputElements(const CallShape& shape) {
  return shape.collective == BenchCollective::ReduceScatter ? shape.count * static_cast<size_t>(shape.nranks) : shape.count;
}

size_t outputElements(const CallShape& shape) {
  return shape.collective == BenchCollective::AllGather ? shape.count * static_cast<size_t>(shape.nranks) : shape.count;
}

char* inPlaceInput(const CallShape& shape, char* base) {
  if (shape.collective == BenchCollective::AllGather) return base + static_cast<size_t>(shape.rank) * shape.count * elemSize(shape);
  return base;
}

char* inPlaceOutput(const CallShape& shape, char* base) {
  if (shape.collective == BenchCollective::ReduceScatter) {
    return base + static_cast<size_t>(shape.rank) * shape.count * elemSize(shape);
  }
  return base;
}

hoopResult_t callHoop(const CallShape& shape, char* base, char* out, bool inPlace, hoopComm_t comm) {
  const char* in = inPlace ? inPlaceInput(shape, base) : base;
  char* result = inPlace ? inPlaceOutput(shape, base) : out;
  switch (shape.collective) {
    case BenchCollective::AllReduce: return hoopAllReduce(in, result, shape.count, shape.datatype, shape.op, comm, nullptr);
    case BenchCollective::Broadcast: return hoopBroadcast(in, result, shape.count, shape.datatype, shape.root, comm, nullptr);
    case BenchCollective::Reduce:
      return hoopReduce(in, result, shape.count, shape.datatype, shape.op, shape.root, comm, nullptr);
    case BenchCollective::AllGather: return hoopAllGather(in, result, shape.count, shape.datatype, comm, nullptr);
    case BenchCollective::ReduceScatter:
      return hoopReduceScatter(in, result, shape.count, shape.datatype, shape.op, comm, nullptr);
  }
  return hoopInternalError;
}

bool callMpi(const CallShape& shape, const char* in, char* out) {
  const MPI_Datatype type = mpiDatatype(shape.datatype);
  if (type == MPI_DATATYPE_NULL) return false;
  const int count = static_cast<int>(shape.count);
  const MPI_Op op = mpiOp(shape.op);
  switch (shape.collective) {
    case BenchCollective::AllReduce: MPI_Allreduce(in, out, count, type, op, MPI_COMM_WORLD); break;
    case BenchCollective::Broadcast: MPI_Bcast(out, count, type, shape.root, MPI_COMM_WORLD); break;
    case BenchCollective::Reduce: MPI_Reduce(in, out, count, type, op, shape.root, MPI_COMM_WORLD); break;
    case BenchCollective::AllGather: MPI_Allgather(in, count, type, out, count, type, MPI_COMM_WORLD); break;
    case BenchCollective::ReduceScatter: MPI_Reduce_scatter_block(in, out, count, type, op, MPI_COMM_WORLD); break;
  }
  return true;
}

void fillInput(const CallShape& shape, char* input) {
  const int dataRank = shape.collective == BenchCollective::Broadcast ? shape.root : shape.rank;
  testing::fillExactInput(input, shape.datatype, shape.op, dataRank, inputElements(shape));
}

void fillExpectedOutput(const CallShape& shape, char* expected) {
  const size_t elem = elemSize(shape);
  switch (shape.collective) {
    case BenchCollective::AllGather:
      for (int r = 0; r < shape.nranks; ++r) {
        testing::fillExactInput(expected + static_cast<size_t>(r) * shape.count * elem, shape.datatype, shape.op, r,
                                shape.count);
      }
      break;
    case BenchCollective::Broadcast: testing::fillExactInput(expected, shape.datatype, shape.op, shape.root, shape.count); break;
    case BenchCollective::ReduceScatter: {
      std::vector<char> full(inputElements(shape) * elem);
      testing::fillExpected(full.data(), shape.datatype, shape.op, shape.nranks, inputElements(shape));
      memcpy(expected, full.data() + static_cast<size_t>(shape.rank) * shape.count * elem, shape.count * elem);
      break;
    }
    default: testing::fillExpected(expected, shape.datatype, shape.op, shape.nranks, shape.count); break;
  }
}

}  // namespace bench
}  // namespace hoop
