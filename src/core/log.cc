#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mutex>
#include <string>

#include "core/params.h"

namespace hoop {

namespace {

struct LogSettings {
  LogLevel level = LogLevel::Warn;
  unsigned subsystems = kLogAll;
  FILE* file = stderr;
  std::string host;
};

LogLevel parseLevel(const std::string& text) {
  if (strcasecmp(text.c_str(), "TRACE") == 0) return LogLevel::Trace;
  if (strcasecmp(text.c_str(), "INFO") == 0) return LogLevel::Info;
  if (strcasecmp(text.c_str(), "NONE") == 0) return LogLevel::None;
  return LogLevel::Warn;
}

unsigned subsystemBit(const std::string& name) {
  if (strcasecmp(name.c_str(), "INIT") == 0) return kLogInit;
  if (strcasecmp(name.c_str(), "COLL") == 0) return kLogColl;
  if (strcasecmp(name.c_str(), "TRANSPORT") == 0) return kLogTransport;
  if (strcasecmp(name.c_str(), "TUNE") == 0) return kLogTune;
  if (strcasecmp(name.c_str(), "ALL") == 0) return kLogAll;
  return 0;
}

// "INIT,COLL" selects those; "^TRANSPORT" selects all but those.
unsigned parseSubsystems(const std::string& text) {
  const bool exclude = !text.empty() && text[0] == '^';
  unsigned selected = 0;
  size_t start = exclude ? 1 : 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    selected |= subsystemBit(text.substr(start, end - start));
    start = end + 1;
  }
  return exclude ? ~selected : selected;
}

// %h -> host name, %p -> process id.
std::string expandFileName(const std::string& pattern, const std::string& host) {
  std::string name;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && (pattern[i + 1] == 'h' || pattern[i + 1] == 'p')) {
      name += pattern[i + 1] == 'h' ? host : std::to_string(getpid());
      ++i;
    } else {
      name += pattern[i];
    }
  }
  return name;
}

const LogSettings& settings() {
  static const LogSettings loaded = [] {
    LogSettings s;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    s.host = host;
    s.level = parseLevel(paramValue("HOOP_DEBUG"));
    s.subsystems = parseSubsystems(paramValue("HOOP_DEBUG_SUBSYS"));
    const std::string file = paramValue("HOOP_DEBUG_FILE");
    if (!file.empty()) {
      FILE* opened = fopen(expandFileName(file, s.host).c_str(), "a");
      if (opened != nullptr) s.file = opened;
    }
    return s;
  }();
  return loaded;
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

const char* subsystemName(unsigned subsystem) {
  switch (subsystem) {
    case kLogInit: return "INIT";
    case kLogColl: return "COLL";
    case kLogTransport: return "TRANSPORT";
    case kLogTune: return "TUNE";
    default: return "ALL";
  }
}

}  // namespace

bool logEnabled(LogLevel level, unsigned subsystem) {
  const LogSettings& s = settings();
  return s.level >= level && (level == LogLevel::Warn || (s.subsystems & subsystem) != 0);
}

void logMessage(LogLevel level, unsigned subsystem, const char* fmt, ...) {
  static std::mutex mutex;
  const LogSettings& s = settings();
  char text[1024];
  va_list args;
  va_start(args, fmt);
  vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  std::lock_guard<std::mutex> lock(mutex);
  fprintf(s.file, "%s:%d hoop %s %s %s\n", s.host.c_str(), static_cast<int>(getpid()), levelName(level),
          subsystemName(subsystem), text);
  fflush(s.file);
}

}  // namespace hoop
