// What every analysis receives besides its data and options: thread count, memory budget, a log to write to,
// a progress sink and a seed. The front end fills it from --threads, --memory, --quiet and --seed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "genomap/core/run_log.hpp"

namespace genomap {

// Receives progress of long work; the front end draws it on a terminal. Library code only calls `update`.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void update(std::string_view phase, std::size_t done, std::size_t total) = 0;
  virtual void finish() = 0;
};

class MemoryBudget {
 public:
  // `megabytes` == 0 picks the default: half of physical memory.
  explicit MemoryBudget(std::size_t megabytes = 0);
  std::size_t bytes() const { return bytes_; }
  // Throws Error before any work starts when `estimate_bytes` exceeds the budget, quoting both.
  void require(std::size_t estimate_bytes, const std::string& what) const;
  // How many variants fit in one block when each needs `bytes_per_variant` and `blocks_in_flight` blocks are
  // held at once, after `fixed_bytes` are set aside; clamped to [1, max_variants].
  std::size_t block_variants(std::size_t bytes_per_variant, std::size_t fixed_bytes, std::size_t blocks_in_flight,
                             std::size_t max_variants) const;

 private:
  std::size_t bytes_;
};

struct Context {
  int threads = 1;
  MemoryBudget memory;
  RunLog* log = nullptr;
  Progress* progress = nullptr;
  std::uint64_t seed = 1;

  void note(const std::string& line) const {
    if (log) log->note(line);
  }
  void report(std::string_view phase, std::size_t done, std::size_t total) const {
    if (progress) progress->update(phase, done, total);
  }
};

// Physical memory of the machine in bytes.
std::size_t physical_memory_bytes();

}  // namespace genomap
