// Reads a text file (plain or gzip/bgzip-compressed) line by line, keeping the line number for error messages.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace genomap {

class LineReader {
 public:
  explicit LineReader(const std::string& path);  // throws Error if the file cannot be opened
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line without its line terminator (\n or \r\n); false at end of file.
  bool next(std::string& line);
  std::size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }
  // An Error located at the current line.
  [[noreturn]] void fail(const std::string& message) const;

 private:
  std::string path_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t line_number_ = 0;
};

// Splits on runs of spaces and tabs. The views point into `line`.
std::vector<std::string_view> split_whitespace(std::string_view line);
// Splits on one delimiter character, keeping empty fields.
std::vector<std::string_view> split_on(std::string_view line, char delimiter);

// Strict number parsing: the whole field must be consumed. Return false on failure.
bool parse_int64(std::string_view field, long long& value);
bool parse_double(std::string_view field, double& value);

}  // namespace genomap
