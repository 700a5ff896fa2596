#include "core/tuner.h"

#include "base/status.h"
#include "core/cost_model.h"

namespace hoop {

namespace {

const double kSegmentCandidates[] = {kCalibrationSegmentBytes, 4 * kCalibrationSegmentBytes, 16 * kCalibrationSegmentBytes,
                                      64 * kCalibrationSegmentBytes};

std::string sizeText(size_t bytes) {
  if (bytes >= (size_t{1} << 30) && bytes % (size_t{1} << 30) == 0) return format("%zuG", bytes >> 30);
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return format("%zuM", bytes >> 20);
  if (bytes >= (size_t{1} << 10) && bytes % (size_t{1} << 10) == 0) return format("%zuK", bytes >> 10);
  return format("%zu", bytes);
}

size_t classStart(int size) { return size == 0 ? 0 : size_t{1} << (size - 1); }

}  // namespace

void Tuner::init(const char* transport, int nranks, const AlgorithmOverrides& overrides,
                 const std::vector<TuningEntry>& tuning) {
  overrides_ = overrides;
  std::vector<TuningEntry> builtIn;
  parseTuning(builtInTuning(), "built-in tuning", &builtIn);
  for (int c = 0; c < kCollectiveCount; ++c) {
    const Collective collective = static_cast<Collective>(c);
    for (int size = 0; size < kSizeClasses; ++size) {
      const double bytes = static_cast<double>(classStart(size));
      double bestSeconds = -1;
      for (int a = 0; a < kAlgorithmCount; ++a) {
        const Algorithm algorithm = static_cast<Algorithm>(a);
        segments_[c][size][a] = 0;
        if (!algorithmSupports(collective, algorithm)) continue;
        const CostParams params = lookupCostParams(tuning, builtIn, transport, collective, algorithm, nranks, bytes);
        double seconds = predictSeconds(params, costTerms(collective, algorithm, nranks, bytes, 0));
        if (isPipelined(collective, algorithm)) {
          for (double segment : kSegmentCandidates) {
            const double candidate = predictSeconds(params, costTerms(collective, algorithm, nranks, bytes, segment));
            if (segments_[c][size][a] == 0 || candidate < seconds) {
              seconds = candidate;
              segments_[c][size][a] = static_cast<size_t>(segment);
            }
          }
        }
        if (bestSeconds < 0 || seconds < bestSeconds) {
          bestSeconds = seconds;
          best_[c][size] = AlgorithmChoice{algorithm, segments_[c][size][a]};
        }
      }
    }
  }
}

std::string Tuner::describe() const {
  std::string text;
  for (int c = 0; c < kCollectiveCount; ++c) {
    text += format("%s%s:", c == 0 ? "" : "\n", collectiveName(static_cast<Collective>(c)));
    int start = 0;
    for (int size = 1; size <= kSizeClasses; ++size) {
      const bool end = size == kSizeClasses;
      if (!end && best_[c][size].algorithm == best_[c][start].algorithm &&
          best_[c][size].segmentBytes == best_[c][start].segmentBytes) {
        continue;
      }
      const AlgorithmChoice& choice = best_[c][start];
      text += format(" [%s, %s) %s", sizeText(classStart(start)).c_str(), end ? "inf" : sizeText(classStart(size)).c_str(),
                     algorithmName(choice.algorithm));
      if (choice.segmentBytes != 0) text += format("/%s", sizeText(choice.segmentBytes).c_str());
      start = size;
    }
  }
  return text;
}

}  // namespace hoop
