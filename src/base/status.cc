#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>

namespace hoop {

std::string format(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list copy;
  va_copy(copy, args);
  const int length = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string out(length > 0 ? static_cast<size_t>(length) : 0, '\0');
  if (length > 0) vsnprintf(&out[0], out.size() + 1, fmt, args);
  va_end(args);
  return out;
}

}  // namespace hoop
