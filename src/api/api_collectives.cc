// Public entry points for the collectives: argument checks, then the core.
#include <new>

#include "api/argcheck.h"
#include "core/collective_call.h"
#include "core/collective_op.h"
#include "reduce/cpu_reducer.h"

using hoop::recordError;

extern "C" {

hoopResult_t hoopAllReduce(const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                           hoopRedOp_t op, hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopAllReduce";
  HOOP_API_CHECK(nullptr, hoop::checkComm(kName, comm));
  HOOP_API_CHECK(comm, hoop::checkNotAborted(kName, comm));
  HOOP_API_CHECK(comm, hoop::checkDatatype(kName, datatype));
  HOOP_API_CHECK(comm, hoop::checkOp(kName, op));
  HOOP_API_CHECK(comm, hoop::checkStream(kName, comm, stream));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "sendbuff", sendbuff, count, datatype));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "recvbuff", recvbuff, count, datatype));
  HOOP_API_CHECK(comm, hoop::checkInPlaceOrDisjoint(kName, sendbuff, recvbuff, count * hoop::dataTypeSize(datatype)));
  try {
    const hoop::CollectiveOp call{hoop::OpKind::AllReduce, sendbuff, recvbuff, count, datatype, op, 0, stream};
    return recordError(comm, hoop::runBlocking(comm, call));
  } catch (const std::bad_alloc&) {
    return recordError(comm, hoop::Status(hoopSystemError, "hoopAllReduce: out of memory"));
  }
}

}  // extern "C"
