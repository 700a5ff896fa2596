// The trainer's initial parameter broadcast from rank 0. It runs once per training run, so
// the flat broadcast (rank 0 sends to every rank at once, core/collective_op.h) is enough;
// it goes through runBlocking, so it is ordered with any request in flight.
#include "trainer/initial_broadcast.h"

#include "core/collective_op.h"

namespace hoop {

Status broadcastFromRankZero(hoopComm* comm, void* data, size_t count, hoopDataType_t datatype) {
  const CollectiveOp op{OpKind::FlatBroadcast, data, data, count, datatype, hoopSum, 0};
  return runBlocking(comm, op);
}

}  // namespace hoop
