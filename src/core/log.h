// Logging in the manner of NCCL_DEBUG: HOOP_DEBUG sets the level (NONE, WARN, INFO, TRACE),
// HOOP_DEBUG_SUBSYS the subsystems (INIT, COLL, TRANSPORT, TUNE, ALL; a leading ^ excludes),
// HOOP_DEBUG_FILE the destination (stderr by default; %h and %p expand to host and pid).
// Each line names the host, process and subsystem.
#pragma once

namespace hoop {

enum class LogLevel { None = 0, Warn = 1, Info = 2, Trace = 3 };

enum LogSubsystem : unsigned {
  kLogInit = 1u << 0,
  kLogColl = 1u << 1,
  kLogTransport = 1u << 2,
  kLogTune = 1u << 3,
  kLogAll = 0xffffffffu,
};

// True when messages of this level and subsystem are written; settings are read once.
bool logEnabled(LogLevel level, unsigned subsystem);

void logMessage(LogLevel level, unsigned subsystem, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

}  // namespace hoop

#define HOOP_LOG(level, subsystem, ...)                                                        \
  do {                                                                                         \
    if (::hoop::logEnabled((level), (subsystem))) ::hoop::logMessage((level), (subsystem), __VA_ARGS__); \
  } while (0)
#define HOOP_WARN(...) HOOP_LOG(::hoop::LogLevel::Warn, ::hoop::kLogAll, __VA_ARGS__)
#define HOOP_INFO(subsystem, ...) HOOP_LOG(::hoop::LogLevel::Info, (subsystem), __VA_ARGS__)
#define HOOP_TRACE(subsystem, ...) HOOP_LOG(::hoop::LogLevel::Trace, (subsystem), __VA_ARGS__)
