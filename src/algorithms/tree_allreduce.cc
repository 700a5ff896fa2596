// Tree all-reduce: NCCL's double binary tree, pipelined in segments.
//
// Tree 0 is a binary tree laid over the ranks in order: a rank r > 0 whose lowest set bit
// is b has the children r - b/2 and r + b'/2 (b' the largest power of two <= b keeping the
// child below n), and rank 0 is the root with the single child 2^floor(log2(n-1)). Its
// interior ranks are odd, its leaves even. Tree 1 is tree 0 mirrored (r -> n-1-r) for even
// n and shifted by one for odd n, so that the interior ranks of one tree are leaves of the
// other. The buffer is halved; tree k carries half k.
//
// In one tree, a node of height h (leaves 0) sends its partial result of segment s to its
// parent in tree round s + h: it has by then combined its own input with the first child's
// partial (received with RecvReduce straight into its output) and the second child's
// (received into a scratch slot and combined at the start of that round), always in the
// order own, first child, second child. The root finalises segment s in round s + H (H its
// height) and starts it down the tree: a node at depth d forwards segment s to its
// children in round s + H + d, as it receives segment s + 1 from its parent. So every link
// carries one segment per round in each direction, the reduction of segment s overlaps the
// broadcast of earlier ones, and only the root of each tree computes final values.
//
// The two trees take turns: schedule round 2t + k is round t of tree k. A rank can be the
// parent of a peer in one tree and its child in the other, and turns keep its messages to
// that peer in one round to one per direction.
#include <vector>

#include "algorithms/builders.h"
#include "algorithms/partition.h"
#include "algorithms/topology.h"

namespace hoop {

namespace {

struct TreeLinks {
  int parent = -1;
  int children[2] = {-1, -1};
};

// Tree 0 over ranks 0 .. n-1.
TreeLinks inOrderTree(int rank, int n) {
  TreeLinks links;
  if (rank == 0) {
    if (n > 1) links.children[0] = powerOfTwoBelow(n - 1);
    return links;
  }
  const int low = rank & -rank;
  const int up = (rank ^ low) | (low << 1);
  links.parent = up < n ? up : rank ^ low;
  int half = low / 2;
  if (half == 0) return links;
  links.children[0] = rank - half;
  while (half > 0 && rank + half >= n) half /= 2;
  if (half > 0) links.children[1] = rank + half;
  return links;
}

// Tree `tree` (0 or 1) in real ranks.
TreeLinks treeLinks(int tree, int rank, int n) {
  if (tree == 0) return inOrderTree(rank, n);
  const bool mirror = n % 2 == 0;
  auto toTree = [&](int r) { return mirror ? n - 1 - r : wrapRank(r - 1, n); };
  auto fromTree = [&](int r) { return r < 0 ? -1 : (mirror ? n - 1 - r : wrapRank(r + 1, n)); };
  const TreeLinks in = inOrderTree(toTree(rank), n);
  TreeLinks out;
  out.parent = fromTree(in.parent);
  out.children[0] = fromTree(in.children[0]);
  out.children[1] = fromTree(in.children[1]);
  return out;
}

int height(int tree, int rank, int n) {
  const TreeLinks links = treeLinks(tree, rank, n);
  int h = 0;
  for (int child : links.children) {
    if (child >= 0) {
      const int below = height(tree, child, n) + 1;
      h = below > h ? below : h;
    }
  }
  return h;
}

int depth(int tree, int rank, int n) {
  int d = 0;
  for (int r = treeLinks(tree, rank, n).parent; r >= 0; r = treeLinks(tree, r, n).parent) ++d;
  return d;
}

// One rank's view of one tree carrying the elements [offset, offset + count).
struct TreePlan {
  TreeLinks links;
  int childHeight[2] = {0, 0};
  int ownHeight = 0;
  int rootHeight = 0;  // H
  int ownDepth = 0;
  size_t offset = 0;
  size_t count = 0;
  size_t segment = 0;
  long long segments = 0;
  size_t slots = 0;        // scratch slots for the second child's segments
  size_t scratchBase = 0;  // elements

  long long rounds() const { return segments == 0 ? 0 : segments + rootHeight + ownDepth; }

  Span segmentOf(BufferId buffer, long long index) const {
    return segmentSpan(buffer, offset, count, segment, static_cast<size_t>(index));
  }
  bool valid(long long index) const { return index >= 0 && index < segments; }
  Span slot(long long index) const {
    return scratchSpan(scratchBase + static_cast<size_t>(index) % slots * segment, segmentOf(BufferId::Output, index).count);
  }
};

TreePlan planTree(int tree, const CollectiveShape& shape, size_t offset, size_t count, size_t scratchBase) {
  TreePlan plan;
  const int n = shape.nranks;
  plan.links = treeLinks(tree, shape.rank, n);
  for (int c = 0; c < 2; ++c) {
    if (plan.links.children[c] >= 0) plan.childHeight[c] = height(tree, plan.links.children[c], n);
  }
  plan.ownHeight = height(tree, shape.rank, n);
  int root = shape.rank;
  while (treeLinks(tree, root, n).parent >= 0) root = treeLinks(tree, root, n).parent;
  plan.rootHeight = height(tree, root, n);
  plan.ownDepth = depth(tree, shape.rank, n);
  plan.offset = offset;
  plan.count = count;
  plan.segment = effectiveSegment(count, shape.segmentElements);
  plan.segments = static_cast<long long>(segmentsOf(count, plan.segment));
  plan.scratchBase = scratchBase;
  if (plan.links.children[1] >= 0) plan.slots = static_cast<size_t>(plan.ownHeight - plan.childHeight[1]);
  return plan;
}

// The steps of tree round t for one rank, in the order: local steps, then communication.
void appendTreeRound(const TreePlan& plan, long long t, Schedule& schedule) {
  const TreeLinks& links = plan.links;
  const bool root = links.parent < 0;
  const bool second = links.children[1] >= 0;
  // Reduction: finish segment t - h (second child's share), then send it up or start it down.
  const long long finished = t - plan.ownHeight;
  if (second && plan.valid(finished)) {
    schedule.reduce(plan.slot(finished), plan.segmentOf(BufferId::Output, finished), OperandOrder::SrcSecond);
  }
  const bool leaf = links.children[0] < 0;
  if (root && plan.valid(finished)) schedule.finalize(plan.segmentOf(BufferId::Output, finished));
  if (!root && plan.valid(finished)) {
    schedule.send(links.parent, plan.segmentOf(leaf ? BufferId::Input : BufferId::Output, finished));
  }
  // Broadcast: receive segment t - H - d + 1 from the parent, forward segment t - H - d.
  const long long down = t - plan.rootHeight - plan.ownDepth;
  if (!root && plan.valid(down + 1)) schedule.recv(links.parent, plan.segmentOf(BufferId::Output, down + 1));
  for (int c = 0; c < 2; ++c) {
    const int child = links.children[c];
    if (child < 0) continue;
    if (plan.valid(down)) schedule.send(child, plan.segmentOf(BufferId::Output, down));
    const long long up = t - plan.childHeight[c];
    if (!plan.valid(up)) continue;
    if (c == 0) {
      schedule.recvReduce(child, plan.segmentOf(BufferId::Input, up), plan.segmentOf(BufferId::Output, up),
                          OperandOrder::SrcFirst);
    } else {
      schedule.recv(child, plan.slot(up));
    }
  }
}

}  // namespace

void buildTreeAllReduce(const CollectiveShape& shape, Schedule& schedule) {
  const size_t count = shape.count;
  schedule.clear();
  if (shape.nranks == 1) {
    schedule.copy(inputSpan(0, count), outputSpan(0, count));
    schedule.finalize(outputSpan(0, count));
    return;
  }
  const size_t half = partBoundary(count, 2, 1, cacheLineElements(shape.elemSize));
  const TreePlan first = planTree(0, shape, 0, half, 0);
  const TreePlan second = planTree(1, shape, half, count - half, first.slots * first.segment);
  schedule.needScratch(first.slots * first.segment + second.slots * second.segment);
  const long long rounds = first.rounds() > second.rounds() ? first.rounds() : second.rounds();
  for (long long t = 0; t < rounds; ++t) {
    appendTreeRound(first, t, schedule);
    schedule.beginRound();
    appendTreeRound(second, t, schedule);
    schedule.beginRound();
  }
}

}  // namespace hoop
