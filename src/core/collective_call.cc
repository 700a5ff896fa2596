#include "core/collective_call.h"

#include "core/log.h"

namespace hoop {

Status checkNotAborted(const char* function, const hoopComm* comm) {
  if (comm->aborted.load()) {
    return Status(hoopInvalidUsage,
                  format("%s: the communicator was aborted; only hoopCommDestroy is valid on it", function));
  }
  return Status::ok();
}

CallContext beginCall(hoopComm* comm, const CollectiveCall& call) {
  CallContext context;
  context.signature.sequence = ++comm->sequence;
  context.signature.count = call.count;
  context.signature.root = call.root;
  context.signature.kind = call.kind;
  context.signature.datatype = static_cast<uint8_t>(call.datatype);
  context.signature.op = call.op < 0 ? 0xff : static_cast<uint8_t>(call.op);
  context.signature.algorithm = call.algorithm < 0 ? 0xff : static_cast<uint8_t>(call.algorithm);
  context.checkSignature = comm->config.checkSignature;
  context.timeoutSeconds = comm->config.timeoutSeconds;
  context.aborted = &comm->aborted;
  HOOP_TRACE(kLogColl, "rank %d: %s #%llu count %zu", comm->rank, collectiveKindName(call.kind),
             static_cast<unsigned long long>(context.signature.sequence), call.count);
  return context;
}

Status runCollective(hoopComm* comm, const CollectiveCall& call, const Schedule& schedule, const Buffers& buffers,
                     const ReduceSpec& spec) {
  return comm->executor->run(schedule, buffers, spec, beginCall(comm, call));
}

}  // namespace hoop
