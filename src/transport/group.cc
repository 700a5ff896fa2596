#include "transport/group.h"

#include <vector>

namespace hoop {

namespace {

struct Ticket {
  std::shared_ptr<GroupParticipant> participant;
  int rank;
  uint64_t ticket;
};

struct GroupState {
  int depth = 0;
  std::vector<Ticket> tickets;  // kept between groups, so a steady loop allocates nothing
};

GroupState& threadGroup() {
  static thread_local GroupState state;
  return state;
}

}  // namespace

void groupStart() { ++threadGroup().depth; }

bool inGroup() { return threadGroup().depth > 0; }

void joinGroup(const std::shared_ptr<GroupParticipant>& participant, int rank, uint64_t ticket) {
  threadGroup().tickets.push_back(Ticket{participant, rank, ticket});
}

Status groupEnd() {
  GroupState& state = threadGroup();
  if (state.depth == 0) return Status(hoopInvalidUsage, "hoopGroupEnd: no matching hoopGroupStart in this thread");
  if (--state.depth > 0) return Status::ok();
  Status first;
  for (Ticket& ticket : state.tickets) {
    Status status = ticket.participant->await(ticket.rank, ticket.ticket);
    if (first.isOk() && !status.isOk()) first = std::move(status);
    ticket.participant.reset();
  }
  state.tickets.clear();
  return first;
}

}  // namespace hoop
