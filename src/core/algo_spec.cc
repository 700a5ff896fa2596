#include "core/algo_spec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace hoop {

namespace {

std::string validAlgorithms(Collective collective, bool any) {
  std::string names = "auto";
  for (int a = 0; a < kAlgorithmCount; ++a) {
    if (any || algorithmSupports(collective, static_cast<Algorithm>(a))) {
      names += " ";
      names += algorithmName(static_cast<Algorithm>(a));
    }
  }
  return names;
}

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return std::string();
  return text.substr(begin, text.find_last_not_of(" \t") + 1 - begin);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

bool parseSize(const std::string& text, size_t* value) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;
  char* end = nullptr;
  const unsigned long long number = strtoull(text.c_str(), &end, 10);
  size_t scale = 1;
  if (*end == 'K' || *end == 'k') scale = size_t{1} << 10, ++end;
  else if (*end == 'M' || *end == 'm') scale = size_t{1} << 20, ++end;
  else if (*end == 'G' || *end == 'g') scale = size_t{1} << 30, ++end;
  if (*end == 'B' || *end == 'b') ++end;
  if (*end != '\0' || number > SIZE_MAX / scale) return false;
  *value = static_cast<size_t>(number) * scale;
  return true;
}

bool parseRange(const std::string& text, AlgorithmRule* rule) {
  if (text.compare(0, 2, ">=") == 0) return parseSize(text.substr(2), &rule->minBytes);
  if (text.compare(0, 1, "<") == 0) return parseSize(text.substr(1), &rule->maxBytes);
  const size_t dash = text.find('-');
  return dash != std::string::npos && parseSize(text.substr(0, dash), &rule->minBytes) &&
         parseSize(text.substr(dash + 1), &rule->maxBytes) && rule->minBytes < rule->maxBytes;
}

Status parseChoice(const std::string& text, bool hasCollective, Collective collective, AlgorithmOverrides* overrides) {
  AlgorithmRule rule{0, SIZE_MAX, false, Algorithm::Ring};
  const size_t at = text.find('@');
  const std::string name = text.substr(0, at);
  if (at != std::string::npos && !parseRange(text.substr(at + 1), &rule)) {
    return Status(hoopInvalidArgument, format("bad size range '%s' in '%s' (write <64K, >=1M or 64K-1M)",
                                              text.substr(at + 1).c_str(), text.c_str()));
  }
  rule.automatic = name == "auto";
  if (!rule.automatic && !parseAlgorithmName(name.data(), name.size(), &rule.algorithm)) {
    return Status(hoopInvalidArgument, format("unknown algorithm '%s' (valid: %s)", name.c_str(),
                                              validAlgorithms(collective, !hasCollective).c_str()));
  }
  bool applied = false;
  for (int c = 0; c < kCollectiveCount; ++c) {
    const Collective target = static_cast<Collective>(c);
    if (hasCollective && target != collective) continue;
    if (!rule.automatic && !algorithmSupports(target, rule.algorithm)) continue;
    overrides->rules[c].push_back(rule);
    applied = true;
  }
  if (!applied) {
    return Status(hoopInvalidArgument, format("algorithm '%s' does not implement %s (valid: %s)", name.c_str(),
                                              collectiveName(collective), validAlgorithms(collective, false).c_str()));
  }
  return Status::ok();
}

}  // namespace

Status parseAlgorithmSpec(const std::string& text, AlgorithmOverrides* overrides) {
  *overrides = AlgorithmOverrides();
  if (trim(text).empty() || trim(text) == "auto") return Status::ok();
  for (const std::string& rule : split(text, ';')) {
    if (rule.empty()) continue;
    const size_t colon = rule.find(':');
    Collective collective = Collective::AllReduce;
    const bool hasCollective = colon != std::string::npos;
    if (hasCollective) {
      const std::string name = trim(rule.substr(0, colon));
      if (!parseCollectiveName(name.data(), name.size(), &collective)) {
        return Status(hoopInvalidArgument, format("unknown collective '%s' in algorithm spec (valid: allreduce "
                                                  "broadcast reduce allgather reducescatter)", name.c_str()));
      }
    }
    for (const std::string& choice : split(hasCollective ? rule.substr(colon + 1) : rule, ',')) {
      HOOP_RETURN_IF_ERROR(parseChoice(choice, hasCollective, collective, overrides));
    }
  }
  return Status::ok();
}

}  // namespace hoop
