#include "genomap/qc/hardy_exact.hpp"

#include <algorithm>
#include <vector>

namespace genomap {

// The probabilities of every heterozygote count with the observed allele counts are computed relative to the
// most likely count (set to 1) by the recurrences of Wigginton et al. 2005 (their eq. 2), stepping out in both
// directions; the p-value sums those no more likely than the observed configuration.
double hardy_weinberg_exact_p(std::uint32_t het, std::uint32_t hom1, std::uint32_t hom2, bool midp) {
  const std::uint64_t n = std::uint64_t{het} + hom1 + hom2;
  if (n == 0) return 1.0;
  const std::uint64_t rare_hom = std::min(hom1, hom2);
  const std::uint64_t common_hom = std::max(hom1, hom2);
  const std::int64_t rare = static_cast<std::int64_t>(2 * rare_hom + het);  // copies of the rarer allele
  const std::int64_t common = static_cast<std::int64_t>(2 * common_hom + het);
  const std::int64_t genotypes = static_cast<std::int64_t>(n);
  std::vector<double> prob(static_cast<std::size_t>(rare + 1), 0.0);
  // Start at the expected heterozygote count, with the parity of `rare`.
  std::int64_t mid = rare * common / (rare + common);
  if ((mid & 1) != (rare & 1)) ++mid;
  if (mid > rare) mid -= 2;
  if (mid < 0) mid = rare & 1;
  prob[static_cast<std::size_t>(mid)] = 1.0;
  double sum = 1.0;
  {
    std::int64_t cur_het = mid;
    std::int64_t cur_rare_hom = (rare - mid) / 2;
    std::int64_t cur_common_hom = genotypes - cur_het - cur_rare_hom;
    for (; cur_het > 1; cur_het -= 2) {
      const double p = prob[static_cast<std::size_t>(cur_het)] * static_cast<double>(cur_het) *
                       static_cast<double>(cur_het - 1) /
                       (4.0 * static_cast<double>(cur_rare_hom + 1) * static_cast<double>(cur_common_hom + 1));
      prob[static_cast<std::size_t>(cur_het - 2)] = p;
      sum += p;
      ++cur_rare_hom;
      ++cur_common_hom;
    }
  }
  {
    std::int64_t cur_het = mid;
    std::int64_t cur_rare_hom = (rare - mid) / 2;
    std::int64_t cur_common_hom = genotypes - cur_het - cur_rare_hom;
    for (; cur_het <= rare - 2; cur_het += 2) {
      const double p = prob[static_cast<std::size_t>(cur_het)] * 4.0 * static_cast<double>(cur_rare_hom) *
                       static_cast<double>(cur_common_hom) /
                       (static_cast<double>(cur_het + 2) * static_cast<double>(cur_het + 1));
      prob[static_cast<std::size_t>(cur_het + 2)] = p;
      sum += p;
      --cur_rare_hom;
      --cur_common_hom;
    }
  }
  const double observed = prob[het];
  double p_value = 0.0;
  // Relative tolerance so that configurations equally likely up to rounding count as ties.
  const double tie = observed * (1.0 + 1e-8);
  double ties = 0.0;
  for (std::int64_t h = rare & 1; h <= rare; h += 2) {
    const double p = prob[static_cast<std::size_t>(h)];
    if (p <= tie) {
      p_value += p;
      if (p >= observed * (1.0 - 1e-8)) ties += p;
    }
  }
  if (midp) p_value -= 0.5 * ties;
  return std::min(1.0, p_value / sum);
}

}  // namespace genomap
