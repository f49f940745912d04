#include "genomap/core/error.hpp"

namespace genomap {
namespace {
std::string located(const std::string& file, std::size_t line, const std::string& message) {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}
}  // namespace

Error::Error(const std::string& message) : std::runtime_error(message) {}

Error::Error(const std::string& file, std::size_t line, const std::string& message)
    : std::runtime_error(located(file, line, message)), file_(file), line_(line) {}

}  // namespace genomap
