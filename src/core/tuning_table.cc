#include "core/tuning_table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <fstream>
#include <sstream>

namespace hoop {

namespace {

// Used only when neither table knows the algorithm: a slow-ish network.
constexpr CostParams kGenericParams{5e-6, 0.3e-9, 0.1e-9};

// The entry of the rank count nearest `nranks` (by ratio) whose band holds `bytes` (or the
// first band, for sizes below it).
const TuningEntry* nearest(const std::vector<TuningEntry>& entries, const char* transport, Collective collective,
                           Algorithm algorithm, int nranks, double bytes) {
  const TuningEntry* closest = nullptr;
  double bestDistance = 0;
  for (const TuningEntry& entry : entries) {
    if (entry.collective != collective || entry.algorithm != algorithm || entry.transport != transport) continue;
    const double distance = fabs(log(static_cast<double>(entry.nranks) / nranks));
    if (closest == nullptr || distance < bestDistance) {
      closest = &entry;
      bestDistance = distance;
    }
  }
  if (closest == nullptr) return nullptr;
  const TuningEntry* band = nullptr;
  for (const TuningEntry& entry : entries) {
    if (entry.collective != collective || entry.algorithm != algorithm || entry.transport != transport ||
        entry.nranks != closest->nranks) {
      continue;
    }
    const bool holds = entry.fromBytes <= bytes;
    const bool bandHolds = band != nullptr && band->fromBytes <= bytes;
    if (band == nullptr || (holds && (!bandHolds || entry.fromBytes > band->fromBytes)) ||
        (!holds && !bandHolds && entry.fromBytes < band->fromBytes)) {
      band = &entry;
    }
  }
  return band;
}

}  // namespace

Status parseTuning(const std::string& text, const std::string& origin, std::vector<TuningEntry>* entries) {
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    char transport[32], collective[32], algorithm[32], rest[2];
    int nranks = 0;
    double alpha = 0, beta = 0, gamma = 0, fromBytes = 0;
    TuningEntry entry;
    const int fields = sscanf(line.c_str(), "%31s %31s %31s %d %lf %lf %lf %lf %1s", transport, collective, algorithm,
                              &nranks, &alpha, &beta, &gamma, &fromBytes, rest);
    if ((fields != 7 && fields != 8) || nranks < 1 || alpha < 0 || beta < 0 || gamma < 0 || fromBytes < 0) {
      return Status(hoopInvalidArgument, format("%s:%d: expected 'transport collective algorithm nranks alpha_us "
                                                "beta_ns_per_byte gamma_ns_per_byte [from_bytes]' with non-negative "
                                                "numbers",
                                                origin.c_str(), number));
    }
    entry.fromBytes = fromBytes;
    if (!parseCollectiveName(collective, strlen(collective), &entry.collective) ||
        !parseAlgorithmName(algorithm, strlen(algorithm), &entry.algorithm) ||
        !algorithmSupports(entry.collective, entry.algorithm)) {
      return Status(hoopInvalidArgument, format("%s:%d: unknown collective/algorithm pair '%s %s'", origin.c_str(),
                                                number, collective, algorithm));
    }
    entry.transport = transport;
    entry.nranks = nranks;
    entry.params = CostParams{alpha * 1e-6, beta * 1e-9, gamma * 1e-9};
    entries->push_back(entry);
  }
  return Status::ok();
}

Status loadTuningFile(const std::string& path, std::vector<TuningEntry>* entries) {
  std::ifstream file(path);
  if (!file) return Status(hoopInvalidArgument, format("cannot read the tuning file '%s'", path.c_str()));
  std::stringstream text;
  text << file.rdbuf();
  return parseTuning(text.str(), path, entries);
}

CostParams lookupCostParams(const std::vector<TuningEntry>& preferred, const std::vector<TuningEntry>& fallback,
                            const char* transport, Collective collective, Algorithm algorithm, int nranks, double bytes) {
  const TuningEntry* entry = nearest(preferred, transport, collective, algorithm, nranks, bytes);
  if (entry == nullptr) entry = nearest(fallback, transport, collective, algorithm, nranks, bytes);
  return entry != nullptr ? entry->params : kGenericParams;
}

}  // namespace hoop
