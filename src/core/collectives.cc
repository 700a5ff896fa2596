#include "core/collectives.h"

#include "algorithms/builders.h"
#include "core/collective_call.h"
#include "core/log.h"
#include "reduce/cpu_reducer.h"
#include "transport/executor.h"

namespace hoop {

namespace {

bool samePlan(const CachedPlan& plan, const CollectiveArgs& args, const AlgorithmChoice& choice) {
  return plan.valid && plan.count == args.count && plan.datatype == args.datatype && plan.op == args.op &&
         plan.root == args.root && plan.choice.algorithm == choice.algorithm &&
         plan.choice.segmentBytes == choice.segmentBytes;
}

bool reduces(Collective collective) { return collective != Collective::Broadcast && collective != Collective::AllGather; }

// Builds the plan for a call whose shape differs from the cached one, into the same memory.
Status preparePlan(hoopComm* comm, const CollectiveArgs& args, const AlgorithmChoice& choice, CachedPlan& plan) {
  plan.valid = false;  // stays invalid if anything below fails or throws
  const size_t elemSize = dataTypeSize(args.datatype);
  const bool reducing = reduces(args.collective);
  plan.spec = ReduceSpec{elemSize, reducing ? reduceFunction(args.datatype, args.op) : nullptr,
                         reducing && args.op == hoopAvg ? divideFunction(args.datatype) : nullptr, comm->nranks,
                         args.datatype, reducing ? args.op : hoopNumOps};
  const size_t segmentElements = choice.segmentBytes == 0 ? 0 : (choice.segmentBytes + elemSize - 1) / elemSize;
  buildSchedule(choice.algorithm,
                CollectiveShape{args.collective, comm->rank, comm->nranks, args.root, args.count, elemSize, segmentElements},
                plan.schedule);
  const size_t scratchBytes = plan.schedule.scratchCount() * elemSize;
  if (!comm->scratch.reserve(scratchBytes)) {
    return Status(hoopSystemError, format("cannot allocate %zu bytes of scratch memory", scratchBytes));
  }
  plan.choice = choice;
  plan.count = args.count;
  plan.datatype = args.datatype;
  plan.op = args.op;
  plan.root = args.root;
  plan.valid = true;
  return Status::ok();
}

CollectiveKind kindOf(Collective collective) {
  switch (collective) {
    case Collective::AllReduce: return CollectiveKind::AllReduce;
    case Collective::Broadcast: return CollectiveKind::Broadcast;
    case Collective::Reduce: return CollectiveKind::Reduce;
    case Collective::AllGather: return CollectiveKind::AllGather;
    case Collective::ReduceScatter: return CollectiveKind::ReduceScatter;
  }
  return CollectiveKind::AllReduce;
}

bool hasRoot(Collective collective) { return collective == Collective::Broadcast || collective == Collective::Reduce; }

Status runPlanned(hoopComm* comm, const CollectiveArgs& args, const AlgorithmChoice* forced, CollectiveKind kind,
                  Traffic* traffic) {
  if (comm->device >= 0 && args.collective != Collective::AllReduce) {
    return Status(hoopInvalidUsage, format("%s is not available on device communicators yet (all-reduce is)",
                                           collectiveName(args.collective)));
  }
  const AllReduceAlgorithm route = comm->config.allReduceAlgorithm;
  if (args.collective == Collective::AllReduce && kind == CollectiveKind::AllReduce) {
    if (route == AllReduceAlgorithm::Nccl) {
      ++comm->sequence;
      return comm->executor->runNative(
          NativeAllReduce{args.sendbuff, args.recvbuff, args.count, args.datatype, args.op, args.stream});
    }
    if (forced == nullptr && comm->node != nullptr && comm->node->handlesAllReduce(route)) {
      const ReduceSpec spec{dataTypeSize(args.datatype), reduceFunction(args.datatype, args.op),
                            args.op == hoopAvg ? divideFunction(args.datatype) : nullptr, comm->nranks, args.datatype,
                            args.op};
      const CollectiveCall call{CollectiveKind::AllReduce, args.count, args.datatype, static_cast<int>(args.op), -1};
      if (traffic != nullptr) {
        comm->node->allReduceTraffic(args.count * spec.elemSize, &traffic->bytesSent, &traffic->bytesReceived);
      }
      return comm->node->allReduce(args.sendbuff, args.recvbuff, args.count, spec, beginCall(comm, call));
    }
  }
  const AlgorithmChoice choice = forced != nullptr       ? *forced
                                 : comm->device >= 0     ? AlgorithmChoice{Algorithm::Ring, 0}
                                                         : comm->tuner.choose(args.collective, collectiveBytes(args, comm->nranks));
  HOOP_TRACE(kLogTune, "rank %d: %s of %zu bytes: %s, segment %zu", comm->rank, collectiveName(args.collective),
             collectiveBytes(args, comm->nranks), algorithmName(choice.algorithm), choice.segmentBytes);
  CachedPlan& plan = comm->plans[static_cast<int>(args.collective)];
  if (!samePlan(plan, args, choice)) HOOP_RETURN_IF_ERROR(preparePlan(comm, args, choice, plan));
  if (traffic != nullptr) *traffic = scheduleTraffic(plan.schedule, plan.spec.elemSize);
  const CollectiveCall call{kind, args.count, args.datatype, reduces(args.collective) ? static_cast<int>(args.op) : -1,
                            hasRoot(args.collective) ? args.root : -1, static_cast<int>(choice.algorithm)};
  return runCollective(comm, call, plan.schedule, Buffers{args.sendbuff, args.recvbuff, comm->scratch.data(), args.stream},
                       plan.spec);
}

}  // namespace

Traffic scheduleTraffic(const Schedule& schedule, size_t elemSize) {
  Traffic traffic;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (step->kind == StepKind::Send) traffic.bytesSent += step->src.count * elemSize;
      if (step->kind == StepKind::Recv || step->kind == StepKind::RecvReduce) {
        traffic.bytesReceived += step->dst.count * elemSize;
      }
    }
  }
  return traffic;
}

size_t collectiveBytes(const CollectiveArgs& args, int nranks) {
  const size_t bytes = args.count * dataTypeSize(args.datatype);
  const bool perRank = args.collective == Collective::AllGather || args.collective == Collective::ReduceScatter;
  return perRank ? bytes * static_cast<size_t>(nranks) : bytes;
}

Status runCollectiveArgs(hoopComm* comm, const CollectiveArgs& args, const AlgorithmChoice* forced, Traffic* traffic) {
  return runPlanned(comm, args, forced, kindOf(args.collective), traffic);
}

Status barrier(hoopComm* comm, Traffic* traffic) {
  // An all-reduce of one byte: no rank can finish before every rank has contributed.
  if (comm->device >= 0) return Status(hoopInvalidUsage, "hoopBarrier is not available on device communicators yet");
  const AlgorithmChoice exchange{Algorithm::RecursiveDoubling, 0};
  const CollectiveArgs args{Collective::AllReduce, &comm->barrierByte, &comm->barrierByte, 1, hoopUint8, hoopMax, 0, nullptr};
  return runPlanned(comm, args, &exchange, CollectiveKind::Barrier, traffic);
}

}  // namespace hoop
