// Logging controlled by HOOP_DEBUG (NONE, WARN, INFO, TRACE), written to stderr with the
// host, process and rank of the writer, in the manner of NCCL_DEBUG.
#pragma once

namespace hoop {

enum class LogLevel { None = 0, Warn = 1, Info = 2, Trace = 3 };

// The level in force, read from HOOP_DEBUG on first use.
LogLevel logLevel();

void logMessage(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace hoop

#define HOOP_LOG(level, ...)                                                  \
  do {                                                                        \
    if (::hoop::logLevel() >= (level)) ::hoop::logMessage((level), __VA_ARGS__); \
  } while (0)
#define HOOP_WARN(...) HOOP_LOG(::hoop::LogLevel::Warn, __VA_ARGS__)
#define HOOP_INFO(...) HOOP_LOG(::hoop::LogLevel::Info, __VA_ARGS__)
#define HOOP_TRACE(...) HOOP_LOG(::hoop::LogLevel::Trace, __VA_ARGS__)
