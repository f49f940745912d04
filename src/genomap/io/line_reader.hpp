// Reads a text file (plain or gzip/bgzip-compressed) line by line, keeping the line number for error messages.
#pragma once
#include <cstddef>
#include <cstring>
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

// The whole content of a text file (plain or gzip/bgzip-compressed), read with a few large reads. Throws Error
// like LineReader. With `for_each_line`, the fast way through files of many short lines (.bim, .fam).
std::string read_text_file(const std::string& path);
// Calls fn(line, line_number) for every line of `text` without its terminator (\n or \r\n); line numbers
// count from 1 as LineReader's do. A last line without a terminator counts when it is not empty.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t line_number = 0, start = 0;
  const std::size_t n = text.size();
  while (start < n) {
    const void* nl = std::memchr(text.data() + start, '\n', n - start);
    const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : n;
    std::size_t stop = end;
    if (stop > start && text[stop - 1] == '\r') --stop;
    fn(text.substr(start, stop - start), ++line_number);
    start = end + 1;
  }
}
// Splits on runs of spaces and tabs into `fields` (at most `max_fields` are stored) and returns the number of
// fields in the line, which may exceed max_fields. No allocation.
std::size_t split_whitespace(std::string_view line, std::string_view* fields, std::size_t max_fields);

// Splits on runs of spaces and tabs. The views point into `line`.
std::vector<std::string_view> split_whitespace(std::string_view line);
// Splits on one delimiter character, keeping empty fields.
std::vector<std::string_view> split_on(std::string_view line, char delimiter);

// Strict number parsing: the whole field must be consumed. Return false on failure.
bool parse_int64(std::string_view field, long long& value);
bool parse_double(std::string_view field, double& value);

}  // namespace genomap
