// Status: a result code with a message, passed up from the layers that have no
// communicator to write a last-error into. Success carries no message and allocates nothing.
#pragma once

#include <string>
#include <utility>

#include "hoop/hoop.h"

namespace hoop {

class Status {
 public:
  Status() = default;
  Status(hoopResult_t code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  bool isOk() const { return code_ == hoopSuccess; }
  hoopResult_t code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  hoopResult_t code_ = hoopSuccess;
  std::string message_;
};

// printf-style formatting into a std::string.
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace hoop

// Returns the status from the enclosing function when it is not ok.
#define HOOP_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::hoop::Status status_ = (expr);      \
    if (!status_.isOk()) return status_;  \
  } while (0)
