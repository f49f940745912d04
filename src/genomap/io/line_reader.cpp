#include "genomap/io/line_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "genomap/core/error.hpp"

namespace genomap {

struct LineReader::Impl {
  gzFile file = nullptr;
  std::vector<char> buffer = std::vector<char>(1 << 16);
};

LineReader::LineReader(const std::string& path) : path_(path), impl_(std::make_unique<Impl>()) {
  impl_->file = gzopen(path.c_str(), "rb");
  if (!impl_->file) throw Error(path, 0, std::string("cannot open file: ") + std::strerror(errno ? errno : ENOENT));
  gzbuffer(impl_->file, 1 << 18);
}

LineReader::~LineReader() {
  if (impl_ && impl_->file) gzclose(impl_->file);
}

bool LineReader::next(std::string& line) {
  line.clear();
  bool got_any = false;
  while (true) {
    char* r = gzgets(impl_->file, impl_->buffer.data(), static_cast<int>(impl_->buffer.size()));
    if (!r) {
      int err = 0;
      const char* msg = gzerror(impl_->file, &err);
      if (err != Z_OK && err != Z_STREAM_END) fail(std::string("read error: ") + msg);
      break;
    }
    got_any = true;
    std::size_t len = std::strlen(r);
    line.append(r, len);
    if (len > 0 && r[len - 1] == '\n') break;
  }
  if (!got_any) return false;
  ++line_number_;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

void LineReader::fail(const std::string& message) const { throw Error(path_, line_number_, message); }

std::string read_text_file(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw Error(path, 0, std::string("cannot open file: ") + std::strerror(errno ? errno : ENOENT));
  gzbuffer(file, 1 << 20);
  std::string text;
  std::size_t used = 0;
  text.resize(1 << 20);
  while (true) {
    if (used == text.size()) text.resize(text.size() * 2);
    const auto want = static_cast<unsigned>(std::min<std::size_t>(text.size() - used, 1u << 30));
    const int got = gzread(file, text.data() + used, want);
    if (got < 0) {
      int err = 0;
      std::string msg = gzerror(file, &err);
      gzclose(file);
      throw Error(path, 0, "read error: " + msg);
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  gzclose(file);
  text.resize(used);
  return text;
}

std::size_t split_whitespace(std::string_view line, std::string_view* fields, std::size_t max_fields) {
  std::size_t count = 0, i = 0;
  const std::size_t n = line.size();
  const char* p = line.data();
  while (true) {
    while (i < n && (p[i] == ' ' || p[i] == '\t')) ++i;
    if (i >= n) break;
    std::size_t j = i;
    while (j < n && p[j] != ' ' && p[j] != '\t') ++j;
    if (count < max_fields) fields[count] = line.substr(i, j - i);
    ++count;
    i = j;
  }
  return count;
}

std::vector<std::string_view> split_whitespace(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= n) break;
    std::size_t j = i;
    while (j < n && line[j] != ' ' && line[j] != '\t') ++j;
    out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string_view> split_on(std::string_view line, char delimiter) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = line.find(delimiter, start);
    if (pos == std::string_view::npos) {
      out.push_back(line.substr(start));
      break;
    }
    out.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
  return out;
}

bool parse_int64(std::string_view field, long long& value) {
  if (field.empty()) return false;
  const char* b = field.data();
  if (*b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, field.data() + field.size(), value);
  return ec == std::errc() && ptr == field.data() + field.size();
}

bool parse_double(std::string_view field, double& value) {
  if (field.empty()) return false;
  std::string tmp(field);  // strtod handles nan/inf/exponents uniformly
  char* end = nullptr;
  errno = 0;
  value = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && errno != ERANGE;
}

}  // namespace genomap
