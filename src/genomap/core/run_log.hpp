// What a run did, collected by the library and written by the front end as <out>.log: command line, version,
// inputs (size and hash), parameters, counts, messages and timings. Nothing in the library prints.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace genomap {

class RunLog {
 public:
  RunLog();
  void set_command_line(std::string command_line) { command_line_ = std::move(command_line); }
  void set_parameters(std::string parameters) { parameters_ = std::move(parameters); }
  // Records an input file with its size and XXH3-128 hash (hashing is skipped for files over `hash_limit`).
  void add_input(const std::string& path);
  // A free-form line ("324 samples loaded", "12 variants removed by --geno").
  void note(const std::string& line);
  // Marks the end of a named phase; its wall time since the previous mark is recorded.
  void phase_done(const std::string& name);
  // Records an output written by the run.
  void add_output(const std::string& path);

  const std::vector<std::string>& notes() const { return notes_; }
  std::string command_line() const {
    std::lock_guard lock(mutex_);
    return command_line_;
  }
  // Inputs recorded so far, as "path  <bytes> bytes xxh128:<hex>".
  std::vector<std::string> inputs() const {
    std::lock_guard lock(mutex_);
    return inputs_;
  }
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::string command_line_;
  std::string parameters_;
  std::vector<std::string> inputs_;
  std::vector<std::string> notes_;
  std::vector<std::string> timings_;
  std::vector<std::string> outputs_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_mark_;
  std::string started_at_;
};

// Size and XXH3-128 hex digest of a file ("<bytes> xxh128:<hex>"); throws Error if it cannot be read.
std::string describe_file(const std::string& path);

}  // namespace genomap
