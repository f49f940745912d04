#include "genomap/sim/genome_layout.hpp"

#include <algorithm>

namespace genomap {
namespace {
// GRCh37 autosome lengths in bp.
constexpr std::int64_t kAutosomeLength[22] = {
    249250621, 243199373, 198022430, 191154276, 180915260, 171115067, 159138663, 146364022,
    141213431, 135534747, 135006516, 133851895, 115169878, 107349540, 102531392, 90354753,
    81195210,  78077248,  59128983,  63025520,  48129895,  51304566};
}  // namespace

GenomeLayout::GenomeLayout(std::size_t variant_ct, std::size_t chromosome_ct) {
  length_.assign(kAutosomeLength, kAutosomeLength + chromosome_ct);
  std::int64_t total = 0;
  for (auto l : length_) total += l;
  first_.push_back(0);
  std::int64_t cumulative = 0;
  for (auto l : length_) {
    cumulative += l;
    // Below 2^64 for any M up to ~6e9 variants.
    const std::uint64_t share = static_cast<std::uint64_t>(variant_ct) * static_cast<std::uint64_t>(cumulative) /
                                static_cast<std::uint64_t>(total);
    first_.push_back(static_cast<std::size_t>(share));
  }
}

int GenomeLayout::chromosome(std::size_t variant) const {
  auto it = std::upper_bound(first_.begin(), first_.end(), variant);
  return static_cast<int>(it - first_.begin());
}

std::size_t GenomeLayout::index_in_chromosome(std::size_t variant) const {
  return variant - first_[static_cast<std::size_t>(chromosome(variant) - 1)];
}

std::int64_t GenomeLayout::position(std::size_t variant) const {
  const auto c = static_cast<std::size_t>(chromosome(variant) - 1);
  const auto count = static_cast<double>(first_[c + 1] - first_[c]);
  const auto index = static_cast<double>(variant - first_[c]);
  return 1 + static_cast<std::int64_t>((index + 0.5) * static_cast<double>(length_[c]) / count);
}

}  // namespace genomap
