#include "genomap/io/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "genomap/core/error.hpp"

namespace genomap {

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  temp_path_ = path_ + ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (!file_) throw Error(path_, 0, std::string("cannot write file: ") + std::strerror(errno));
  buffer_.resize(1 << 20);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

OutputFile::~OutputFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_path_.c_str());
}

void OutputFile::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw Error(path_, 0, std::string("write failed: ") + std::strerror(errno));
}

void OutputFile::commit() {
  if (committed_) return;
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok) throw Error(path_, 0, std::string("write failed: ") + std::strerror(errno));
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw Error(path_, 0, std::string("cannot rename into place: ") + std::strerror(errno));
  committed_ = true;
}

OutputFile& OutputSet::open(const std::string& suffix) { return open_path(prefix_ + suffix); }

OutputFile& OutputSet::open_path(const std::string& path) {
  files_.push_back(std::make_unique<OutputFile>(path));
  return *files_.back();
}

void OutputSet::commit_all() {
  for (auto& f : files_) f->commit();
}

std::vector<std::string> OutputSet::paths() const {
  std::vector<std::string> out;
  for (const auto& f : files_) out.push_back(f->path());
  return out;
}

}  // namespace genomap
