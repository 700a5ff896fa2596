#include "bench_options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_data.h"

namespace hoop {
namespace bench {

namespace {

bool parseSize(const char* text, size_t* value) {
  char* end = nullptr;
  const double number = strtod(text, &end);
  if (end == text || number < 0) return false;
  double scale = 1;
  if (*end == 'K' || *end == 'k') scale = 1024.0, ++end;
  else if (*end == 'M' || *end == 'm') scale = 1024.0 * 1024, ++end;
  else if (*end == 'G' || *end == 'g') scale = 1024.0 * 1024 * 1024, ++end;
  if (*end == 'B' || *end == 'b') ++end;
  if (*end != '\0') return false;
  *value = static_cast<size_t>(number * scale);
  return true;
}

bool parseDatatype(const char* text, hoopDataType_t* datatype) {
  for (int d = 0; d < hoopNumTypes; ++d) {
    if (strcmp(text, testing::datatypeName(static_cast<hoopDataType_t>(d))) == 0) {
      *datatype = static_cast<hoopDataType_t>(d);
      return true;
    }
  }
  return false;
}

bool parseOp(const char* text, hoopRedOp_t* op) {
  for (int o = 0; o < hoopNumOps; ++o) {
    if (strcmp(text, testing::opName(static_cast<hoopRedOp_t>(o))) == 0) {
      *op = static_cast<hoopRedOp_t>(o);
      return true;
    }
  }
  return false;
}

void usage(const char* program) {
  fprintf(stderr,
          "usage: %s [-b minbytes] [-e maxbytes] [-f factor] [-n iters] [-w warmup] [-t trials]\n"
          "          [-c 0|1] [-m 0|1] [-d datatype] [-o op] [-r root] [-A algorithm] [-J file.json]\n"
          "  -A takes HOOP_ALGO's syntax (ring, tree, binomial, halving-doubling, recursive-doubling,\n"
          "     recursive-halving, bruck, auto, or rules per size); repeat it to time several\n"
          "     algorithms interleaved in one run; -J writes the results as JSON\n"
          "  datatypes: int8 uint8 int32 uint32 int64 uint64 float16 float32 float64 bfloat16\n"
          "  ops: sum prod max min avg; sizes take K, M, G suffixes\n",
          program);
}

}  // namespace

bool parseOptions(int argc, char** argv, Options* options) {
  int c;
  bool ok = true;
  while (ok && (c = getopt(argc, argv, "b:e:f:n:w:t:c:m:d:o:r:A:J:h")) != -1) {
    switch (c) {
      case 'b': ok = parseSize(optarg, &options->minBytes); break;
      case 'e': ok = parseSize(optarg, &options->maxBytes); break;
      case 'f': options->factor = strtoul(optarg, nullptr, 10); ok = options->factor >= 2; break;
      case 'n': options->iters = atoi(optarg); ok = options->iters > 0; break;
      case 'w': options->warmup = atoi(optarg); ok = options->warmup >= 0; break;
      case 't': options->trials = atoi(optarg); ok = options->trials > 0; break;
      case 'c': options->check = atoi(optarg) != 0; break;
      case 'm': options->mpiBaseline = atoi(optarg) != 0; break;
      case 'd': ok = parseDatatype(optarg, &options->datatype); break;
      case 'o': ok = parseOp(optarg, &options->op); break;
      case 'r': options->root = atoi(optarg); ok = options->root >= 0; break;
      case 'A': options->algorithms.push_back(optarg); break;
      case 'J': options->jsonPath = optarg; break;
      default: ok = false; break;
    }
  }
  if (!ok || options->minBytes > options->maxBytes) {
    usage(argv[0]);
    return false;
  }
  return true;
}

int itersFor(const Options& options, size_t bytes) {
  const size_t budget = size_t{512} << 20;  // about 512 MiB moved per measurement
  const size_t fit = bytes == 0 ? options.iters : budget / bytes;
  const int iters = fit < static_cast<size_t>(options.iters) ? static_cast<int>(fit) : options.iters;
  return iters < 3 ? 3 : iters;
}

}  // namespace bench
}  // namespace hoop
