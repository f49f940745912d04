// The one error type of genomap. Every failure the user can cause (bad input, impossible parameters) is an
// Error carrying the file and, where there is one, the line; the front end prints it as one line and exits 1.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace genomap {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  // Formats "FILE: message" (line 0) or "FILE:LINE: message".
  Error(const std::string& file, std::size_t line, const std::string& message);

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_ = 0;
};

}  // namespace genomap
