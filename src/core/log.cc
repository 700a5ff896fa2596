#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <unistd.h>

#include <string>

#include "core/params.h"

namespace hoop {

namespace {

LogLevel parseLevel(const std::string& text) {
  if (strcasecmp(text.c_str(), "TRACE") == 0) return LogLevel::Trace;
  if (strcasecmp(text.c_str(), "INFO") == 0) return LogLevel::Info;
  if (strcasecmp(text.c_str(), "NONE") == 0) return LogLevel::None;
  return LogLevel::Warn;
}

const char* levelName(LogLevel level) {
  switch (level) {
    case LogLevel::Trace: return "TRACE";
    case LogLevel::Info: return "INFO";
    case LogLevel::Warn: return "WARN";
    case LogLevel::None: break;
  }
  return "";
}

}  // namespace

LogLevel logLevel() {
  static const LogLevel level = parseLevel(paramValue("HOOP_DEBUG"));
  return level;
}

void logMessage(LogLevel level, const char* fmt, ...) {
  char host[64] = "";
  gethostname(host, sizeof host - 1);
  char text[1024];
  va_list args;
  va_start(args, fmt);
  vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  fprintf(stderr, "%s:%d hoop %s %s\n", host, static_cast<int>(getpid()), levelName(level), text);
}

}  // namespace hoop
