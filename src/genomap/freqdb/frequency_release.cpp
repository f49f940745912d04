#include "genomap/freqdb/frequency_release.hpp"

#include <algorithm>

#include "genomap/core/error.hpp"

namespace genomap::freqdb {

std::uint32_t round_to_grid(std::uint64_t count, std::uint32_t grid) {
  if (grid == 0) throw Error("rounding grid must be at least 1");
  const std::uint64_t rounded = (count + grid / 2) / grid * grid;
  if (rounded > UINT32_MAX) throw Error("allele count too large for a release");
  return static_cast<std::uint32_t>(rounded);
}

PublishedCounts publish_counts(std::uint64_t called, std::uint64_t het, std::uint64_t alt_copies,
                               std::uint32_t grid) {
  return publish_counts(called, het, alt_copies, 0, 0, grid);
}

PublishedCounts publish_counts(std::uint64_t called, std::uint64_t het, std::uint64_t alt_copies,
                               std::uint64_t haploid_called, std::uint64_t haploid_alt, std::uint32_t grid) {
  if (het > called || alt_copies > 2 * called || alt_copies < het || (alt_copies - het) % 2 != 0 ||
      haploid_alt > haploid_called)
    throw Error("inconsistent genotype counts");
  PublishedCounts out;
  out.allele_number = round_to_grid(2 * called + haploid_called, grid);
  out.alt_count = round_to_grid(alt_copies + haploid_alt, grid);
  const std::uint32_t hom_cap = out.alt_count / 2 / grid * grid;
  out.hom_alt_count = std::min(round_to_grid((alt_copies - het) / 2, grid), hom_cap);
  return out;
}

}  // namespace genomap::freqdb
