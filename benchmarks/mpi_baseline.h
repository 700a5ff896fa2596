// The MPI equivalents of hoop's datatypes and ops, for timing MPI's own collectives on the
// same buffers. float16 and bfloat16 have none in MPI; hoopAvg is timed as MPI_SUM.
#pragma once

#include <mpi.h>

#include "hoop/hoop.h"

namespace hoop {
namespace bench {

// MPI_DATATYPE_NULL when MPI has no such type.
inline MPI_Datatype mpiDatatype(hoopDataType_t datatype) {
  switch (datatype) {
    case hoopInt8: return MPI_INT8_T;
    case hoopUint8: return MPI_UINT8_T;
    case hoopInt32: return MPI_INT32_T;
    case hoopUint32: return MPI_UINT32_T;
    case hoopInt64: return MPI_INT64_T;
    case hoopUint64: return MPI_UINT64_T;
    case hoopFloat32: return MPI_FLOAT;
    case hoopFloat64: return MPI_DOUBLE;
    default: return MPI_DATATYPE_NULL;
  }
}

inline bool mpiDatatypeExists(hoopDataType_t datatype) { return mpiDatatype(datatype) != MPI_DATATYPE_NULL; }

inline MPI_Op mpiOp(hoopRedOp_t op) {
  switch (op) {
    case hoopProd: return MPI_PROD;
    case hoopMax: return MPI_MAX;
    case hoopMin: return MPI_MIN;
    default: return MPI_SUM;
  }
}

}  // namespace bench
}  // namespace hoop
