// The HOOP_* environment parameters: each one is registered once, in params.cc, with its
// default and a line of documentation, and read through this interface only.
#pragma once

#include <stddef.h>

#include <string>
#include <vector>

#include "base/status.h"

namespace hoop {

struct ParamInfo {
  const char* name;
  const char* defaultValue;
  const char* description;
};

// Every parameter, in documentation order.
const std::vector<ParamInfo>& allParams();

// The environment's value, or the registered default when unset or empty. The name must be
// registered (a programming error otherwise, reported as hoopInternalError by the readers).
std::string paramValue(const char* name);

// Reads a parameter as an integer in [minimum, maximum]; a clear error otherwise.
Status paramInteger(const char* name, long long minimum, long long maximum, long long* value);

// One line per parameter: name, value in force (and where it came from), default, description.
std::string describeParams();

// Reads a parameter as a non-negative number of seconds (fractions allowed).
Status paramSeconds(const char* name, double* seconds);

}  // namespace hoop
