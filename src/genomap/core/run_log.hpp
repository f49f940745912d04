// What a run did, collected by the library and written by the front end as <out>.log: command line, version,
// inputs (size and hash), parameters, counts, messages and timings. Nothing in the library prints.
#pragma once
#include <chrono>
#include <cstdint>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace genomap {

class RunLog {
 public:
  RunLog();
  void set_command_line(std::string command_line) { command_line_ = std::move(command_line); }
  void set_parameters(std::string parameters) { parameters_ = std::move(parameters); }
  // Records an input file with its size and XXH3-128 hash of its whole content. The file must be readable now
  // (else Error); the hash is computed on a background thread while the run goes on (or, without background
  // hashing, on the calling thread when first needed) and is waited for by inputs() and render().
  void add_input(const std::string& path);
  // Whether add_input may start a thread: a run limited to one thread (--threads 1) hashes on its own thread,
  // after the analysis, when the log is written. On by default.
  void set_background_hashing(bool on) { background_hashing_ = on; }
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
    settle_inputs();
    return inputs_;
  }
  // "<bytes> xxh128:<hex>" of an input added with add_input, waiting for its hash (so a caller that needs the
  // digest does not hash the file a second time); describe_file(path) for a path that was not added.
  std::string input_description(const std::string& path) const;
  std::string render() const;

 private:
  // Fills in the inputs whose hashes are still being computed (mutex_ held).
  void settle_inputs() const;

  mutable std::mutex mutex_;
  mutable std::vector<std::pair<std::size_t, std::future<std::string>>> pending_inputs_;  // index in inputs_
  std::string command_line_;
  std::string parameters_;
  mutable std::vector<std::string> inputs_;
  std::vector<std::string> notes_;
  std::vector<std::string> timings_;
  std::vector<std::string> outputs_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_mark_;
  std::string started_at_;
  bool background_hashing_ = true;
};

// Size and XXH3-128 hex digest of a file ("<bytes> xxh128:<hex>"); throws Error if it cannot be read.
std::string describe_file(const std::string& path);

}  // namespace genomap
