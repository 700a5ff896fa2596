#include "transport/call_context.h"

#include "base/status.h"

namespace hoop {

const char* collectiveKindName(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::AllReduce: return "allreduce";
    case CollectiveKind::Broadcast: return "broadcast";
    case CollectiveKind::Reduce: return "reduce";
    case CollectiveKind::AllGather: return "allgather";
    case CollectiveKind::ReduceScatter: return "reducescatter";
    case CollectiveKind::Barrier: return "barrier";
  }
  return "unknown collective";
}

bool sameCall(const Signature& a, const Signature& b) {
  return a.sequence == b.sequence && a.count == b.count && a.root == b.root && a.kind == b.kind &&
         a.datatype == b.datatype && a.op == b.op && a.algorithm == b.algorithm;
}

std::string describeMismatch(const Signature& mine, int myRank, const Signature& theirs, int theirRank) {
  std::string text = format("%s #%llu: ", collectiveKindName(mine.kind), static_cast<unsigned long long>(mine.sequence));
  auto field = [&](const char* name, long long a, long long b) {
    if (a == b) return;
    text += format("rank %d has %s=%lld, rank %d has %s=%lld; ", myRank, name, a, theirRank, name, b);
  };
  if (mine.kind != theirs.kind) {
    text += format("rank %d called %s, rank %d called %s; ", myRank, collectiveKindName(mine.kind), theirRank,
                   collectiveKindName(theirs.kind));
  }
  field("sequence", static_cast<long long>(mine.sequence), static_cast<long long>(theirs.sequence));
  field("count", static_cast<long long>(mine.count), static_cast<long long>(theirs.count));
  field("datatype", mine.datatype, theirs.datatype);
  field("op", mine.op, theirs.op);
  field("root", mine.root, theirs.root);
  field("algorithm", mine.algorithm, theirs.algorithm);
  if (text.size() >= 2 && text.compare(text.size() - 2, 2, "; ") == 0) text.resize(text.size() - 2);
  return text;
}

}  // namespace hoop
