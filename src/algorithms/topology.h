// Rank arithmetic shared by the schedule builders: positions relative to a root, the fold
// that maps any rank count onto a power of two, and pipeline segments.
#pragma once

#include <stddef.h>

#include "algorithms/schedule.h"

namespace hoop {

// (value mod n) for any int value.
inline int wrapRank(int value, int nranks) { return ((value % nranks) + nranks) % nranks; }

// The largest power of two <= n (n >= 1).
inline int powerOfTwoBelow(int n) {
  int p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// Folding n ranks onto p = powerOfTwoBelow(n) virtual ranks: the first 2(n - p) ranks pair up
// as (2i, 2i+1); the even one hands its data to the odd one first and gets the result back
// last, and the odd one acts as virtual rank i. Ranks from 2(n - p) on are virtual ranks
// r - (n - p). Virtual rank v stands for the original ranks [firstRank(v), firstRank(v + 1)),
// so a virtual rank always stands for a contiguous, ordered group.
struct PowerOfTwoFold {
  explicit PowerOfTwoFold(int nranks) : n(nranks), p(powerOfTwoBelow(nranks)), extra(nranks - p) {}

  bool foldedOut(int rank) const { return rank < 2 * extra && rank % 2 == 0; }
  bool absorbsPartner(int rank) const { return rank < 2 * extra && rank % 2 == 1; }
  int virtualRank(int rank) const { return rank < 2 * extra ? rank / 2 : rank - extra; }
  int realRank(int v) const { return v < extra ? 2 * v + 1 : v + extra; }
  int firstRank(int v) const { return v < extra ? 2 * v : v + extra; }  // firstRank(p) == n

  int n;
  int p;
  int extra;
};

// The span of pipeline segment `index` of a range [offset, offset + count).
inline Span segmentSpan(BufferId buffer, size_t offset, size_t count, size_t segment, size_t index) {
  const size_t begin = index * segment;
  const size_t length = begin >= count ? 0 : (count - begin < segment ? count - begin : segment);
  return Span{buffer, offset + begin, length};
}

// Segments of at most `segment` elements covering `count` (segment 0: one segment).
inline size_t segmentsOf(size_t count, size_t segment) {
  if (count == 0) return 0;
  if (segment == 0 || segment >= count) return 1;
  return (count + segment - 1) / segment;
}

// The segment length actually used: all of `count` when segment is 0.
inline size_t effectiveSegment(size_t count, size_t segment) { return segment == 0 || segment > count ? count : segment; }

}  // namespace hoop
