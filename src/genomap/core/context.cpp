#include "genomap/core/context.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "genomap/core/error.hpp"

namespace genomap {

std::size_t physical_memory_bytes() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::size_t{4} << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page);
}

MemoryBudget::MemoryBudget(std::size_t megabytes)
    : bytes_(megabytes ? megabytes << 20 : physical_memory_bytes() / 2) {}

void MemoryBudget::require(std::size_t estimate_bytes, const std::string& what) const {
  if (estimate_bytes > bytes_)
    throw Error(fmt::format("{} needs about {} MB but the memory budget is {} MB (raise --memory)", what,
                            (estimate_bytes >> 20) + 1, bytes_ >> 20));
}

std::size_t MemoryBudget::block_variants(std::size_t bytes_per_variant, std::size_t fixed_bytes,
                                         std::size_t blocks_in_flight, std::size_t max_variants) const {
  if (bytes_per_variant == 0) return std::max<std::size_t>(1, max_variants);
  const std::size_t left = bytes_ > fixed_bytes ? bytes_ - fixed_bytes : 0;
  const std::size_t fit = left / (bytes_per_variant * std::max<std::size_t>(1, blocks_in_flight));
  return std::clamp<std::size_t>(fit, 1, std::max<std::size_t>(1, max_variants));
}

}  // namespace genomap
