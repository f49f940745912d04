// Outputs are written to a temporary name beside the target and renamed into place only when the whole run
// succeeded, so a failed run leaves no partial output. An OutputSet commits all of a run's files together.
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace genomap {

class OutputFile {
 public:
  explicit OutputFile(std::string path);  // opens PATH.tmp.<pid> for writing; throws Error on failure
  ~OutputFile();                          // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* stream() { return file_; }
  void write(std::string_view text);
  // Flushes, closes and renames to the final path. Throws Error on any write failure.
  void commit();
  const std::string& path() const { return path_; }
  // Where the content is until commit (readable once stream() is flushed).
  const std::string& temp_path() const { return temp_path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  bool committed_ = false;
};

// All outputs of one run. Files are created on `open` and renamed on `commit_all`; if the run throws first,
// the destructor removes every temporary file.
class OutputSet {
 public:
  explicit OutputSet(std::string prefix) : prefix_(std::move(prefix)) {}
  // Opens PREFIX + suffix (e.g. ".afreq").
  OutputFile& open(const std::string& suffix);
  // Opens an arbitrary path.
  OutputFile& open_path(const std::string& path);
  void commit_all();
  std::vector<std::string> paths() const;
  // The file opened for `path`, nullptr when none was.
  OutputFile* find(const std::string& path);
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  std::vector<std::unique_ptr<OutputFile>> files_;
};

}  // namespace genomap
