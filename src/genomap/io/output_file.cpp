#include "genomap/io/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "genomap/core/cleanup_registry.hpp"
#include "genomap/core/error.hpp"

namespace genomap {

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  temp_path_ = path_ + ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (!file_) throw Error(path_, 0, std::string("cannot write file: ") + std::strerror(errno));
  cleanup::register_temporary_file(temp_path_);
  buffer_.resize(1 << 20);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

OutputFile::~OutputFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_path_.c_str());
  cleanup::forget_temporary_file(temp_path_);
}

void OutputFile::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw Error(path_, 0, std::string("write failed: ") + std::strerror(errno));
}

namespace {

// Flushes a stream's buffer; throws Error naming `path` when the data did not reach the file (a full disk,
// EFBIG past `ulimit -f`).
void flush_or_throw(std::FILE* file, const std::string& path) {
  errno = 0;
  if (std::fflush(file) != 0 || std::ferror(file))
    throw Error(path, 0, std::string("write failed: ") + (errno ? std::strerror(errno) : "I/O error"));
}

}  // namespace

void OutputFile::commit() {
  if (committed_) return;
  flush_or_throw(file_, path_);
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed) throw Error(path_, 0, std::string("write failed: ") + std::strerror(errno));
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw Error(path_, 0, std::string("cannot rename into place: ") + std::strerror(errno));
  committed_ = true;
  cleanup::forget_temporary_file(temp_path_);
}

OutputFile& OutputSet::open(const std::string& suffix) { return open_path(prefix_ + suffix); }

OutputFile& OutputSet::open_path(const std::string& path) {
  files_.push_back(std::make_unique<OutputFile>(path));
  return *files_.back();
}

void OutputSet::commit_all() {
  // Every file is written in full before any is renamed: a failure leaves the earlier outputs as they were.
  for (auto& f : files_)
    if (f->stream()) flush_or_throw(f->stream(), f->path());
  for (auto& f : files_) f->commit();
}

OutputFile* OutputSet::find(const std::string& path) {
  for (auto& f : files_)
    if (f->path() == path) return f.get();
  return nullptr;
}

std::vector<std::string> OutputSet::paths() const {
  std::vector<std::string> out;
  for (const auto& f : files_) out.push_back(f->path());
  return out;
}

}  // namespace genomap
