// Public entry points for the collectives: argument checks, then the core.
#include <new>

#include "api/argcheck.h"
#include "core/collective_call.h"
#include "core/collective_op.h"
#include "reduce/cpu_reducer.h"

using hoop::CollectiveOp;
using hoop::OpKind;
using hoop::recordError;

namespace {

// Runs the call in issue order with any asynchronous requests in flight (core/collective_op.h).
hoopResult_t run(hoopComm_t comm, const char* name, const CollectiveOp& call) {
  try {
    return recordError(comm, hoop::runBlocking(comm, call));
  } catch (const std::bad_alloc&) {
    return recordError(comm, hoop::Status(hoopSystemError, hoop::format("%s: out of memory", name)));
  }
}

// Checks shared by every collective.
#define HOOP_CHECK_COMMON(name, datatype, stream)                  \
  HOOP_API_CHECK(nullptr, hoop::checkComm(name, comm));            \
  HOOP_API_CHECK(comm, hoop::checkNotAborted(name, comm));         \
  HOOP_API_CHECK(comm, hoop::checkDatatype(name, datatype));       \
  HOOP_API_CHECK(comm, hoop::checkStream(name, comm, stream))

}  // namespace

extern "C" {

hoopResult_t hoopAllReduce(const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                           hoopRedOp_t op, hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopAllReduce";
  HOOP_CHECK_COMMON(kName, datatype, stream);
  HOOP_API_CHECK(comm, hoop::checkOp(kName, op));
  HOOP_API_CHECK(comm, hoop::checkSameCountBuffers(kName, sendbuff, recvbuff, count, datatype));
  return run(comm, kName, CollectiveOp{OpKind::AllReduce, sendbuff, recvbuff, count, datatype, op, 0, stream});
}

hoopResult_t hoopBroadcast(const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype, int root,
                           hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopBroadcast";
  HOOP_CHECK_COMMON(kName, datatype, stream);
  HOOP_API_CHECK(comm, hoop::checkRoot(kName, root, comm->nranks));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "recvbuff", recvbuff, count, datatype));
  // Only the root reads sendbuff.
  if (comm->rank == root) HOOP_API_CHECK(comm, hoop::checkSameCountBuffers(kName, sendbuff, recvbuff, count, datatype));
  return run(comm, kName, CollectiveOp{OpKind::Broadcast, sendbuff, recvbuff, count, datatype, hoopSum, root, stream});
}

hoopResult_t hoopReduce(const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype, hoopRedOp_t op,
                        int root, hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopReduce";
  HOOP_CHECK_COMMON(kName, datatype, stream);
  HOOP_API_CHECK(comm, hoop::checkOp(kName, op));
  HOOP_API_CHECK(comm, hoop::checkRoot(kName, root, comm->nranks));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "sendbuff", sendbuff, count, datatype));
  // Only the root writes recvbuff.
  if (comm->rank == root) HOOP_API_CHECK(comm, hoop::checkSameCountBuffers(kName, sendbuff, recvbuff, count, datatype));
  return run(comm, kName, CollectiveOp{OpKind::Reduce, sendbuff, recvbuff, count, datatype, op, root, stream});
}

hoopResult_t hoopAllGather(const void* sendbuff, void* recvbuff, size_t sendcount, hoopDataType_t datatype,
                           hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopAllGather";
  HOOP_CHECK_COMMON(kName, datatype, stream);
  HOOP_API_CHECK(comm, hoop::checkPerRankCount(kName, sendcount, comm->nranks));
  const size_t total = sendcount * static_cast<size_t>(comm->nranks);
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "sendbuff", sendbuff, sendcount, datatype));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "recvbuff", recvbuff, total, datatype));
  const size_t elem = hoop::dataTypeSize(datatype);
  const bool inPlace = sendbuff == static_cast<const char*>(recvbuff) + static_cast<size_t>(comm->rank) * sendcount * elem;
  HOOP_API_CHECK(comm, hoop::checkInPlaceOrDisjoint(kName, sendbuff, sendcount * elem, recvbuff, total * elem, inPlace,
                                                    "sendbuff = recvbuff + rank * sendcount"));
  return run(comm, kName, CollectiveOp{OpKind::AllGather, sendbuff, recvbuff, sendcount, datatype, hoopSum, 0, stream});
}

hoopResult_t hoopReduceScatter(const void* sendbuff, void* recvbuff, size_t recvcount, hoopDataType_t datatype,
                               hoopRedOp_t op, hoopComm_t comm, hoopStream_t stream) {
  static const char* const kName = "hoopReduceScatter";
  HOOP_CHECK_COMMON(kName, datatype, stream);
  HOOP_API_CHECK(comm, hoop::checkOp(kName, op));
  HOOP_API_CHECK(comm, hoop::checkPerRankCount(kName, recvcount, comm->nranks));
  const size_t total = recvcount * static_cast<size_t>(comm->nranks);
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "sendbuff", sendbuff, total, datatype));
  HOOP_API_CHECK(comm, hoop::checkBuffer(kName, "recvbuff", recvbuff, recvcount, datatype));
  const size_t elem = hoop::dataTypeSize(datatype);
  const bool inPlace = recvbuff == static_cast<const char*>(sendbuff) + static_cast<size_t>(comm->rank) * recvcount * elem;
  HOOP_API_CHECK(comm, hoop::checkInPlaceOrDisjoint(kName, sendbuff, total * elem, recvbuff, recvcount * elem, inPlace,
                                                    "recvbuff = sendbuff + rank * recvcount"));
  return run(comm, kName, CollectiveOp{OpKind::ReduceScatter, sendbuff, recvbuff, recvcount, datatype, op, 0, stream});
}

hoopResult_t hoopBarrier(hoopComm_t comm) {
  HOOP_API_CHECK(nullptr, hoop::checkComm("hoopBarrier", comm));
  HOOP_API_CHECK(comm, hoop::checkNotAborted("hoopBarrier", comm));
  return run(comm, "hoopBarrier", CollectiveOp{OpKind::Barrier, nullptr, nullptr, 0, hoopUint8, hoopMax, 0, nullptr});
}

}  // extern "C"
