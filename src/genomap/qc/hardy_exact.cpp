#include "genomap/qc/hardy_exact.hpp"

#include <algorithm>
#include <cfloat>
#include <vector>

namespace genomap {

// The probabilities of the heterozygote counts with the observed allele counts are computed relative to the
// most likely count (set to 1) by the recurrences of Wigginton et al. 2005 (their eq. 2), stepping out in both
// directions; the p-value sums those no more likely than the observed configuration. A walk stops once its
// terms (which only shrink away from the mode) fall below 1e-20 of the observed term: the dropped mass is then
// below (number of terms) x 1e-20 of the p-value.
double hardy_weinberg_exact_p(std::uint32_t het, std::uint32_t hom1, std::uint32_t hom2, bool midp) {
  const std::uint64_t n = std::uint64_t{het} + hom1 + hom2;
  if (n == 0) return 1.0;
  const std::int64_t rare = static_cast<std::int64_t>(2 * std::uint64_t{std::min(hom1, hom2)} + het);
  const std::int64_t common = static_cast<std::int64_t>(2 * std::uint64_t{std::max(hom1, hom2)} + het);
  const std::int64_t genotypes = static_cast<std::int64_t>(n);
  // Start at the expected heterozygote count, with the parity of `rare`.
  std::int64_t mid = rare * common / (rare + common);
  if ((mid & 1) != (rare & 1)) ++mid;
  if (mid > rare) mid -= 2;
  if (mid < 0) mid = rare & 1;
  // Ratio of P(h - 2) to P(h), and of P(h + 2) to P(h).
  auto down = [&](std::int64_t h) {
    const std::int64_t rare_hom = (rare - h) / 2, common_hom = genotypes - h - rare_hom;
    return static_cast<double>(h) * static_cast<double>(h - 1) /
           (4.0 * static_cast<double>(rare_hom + 1) * static_cast<double>(common_hom + 1));
  };
  auto up = [&](std::int64_t h) {
    const std::int64_t rare_hom = (rare - h) / 2, common_hom = genotypes - h - rare_hom;
    return 4.0 * static_cast<double>(rare_hom) * static_cast<double>(common_hom) /
           (static_cast<double>(h + 2) * static_cast<double>(h + 1));
  };
  const std::int64_t observed_het = het;
  double observed = 1.0;  // relative to the starting count
  for (std::int64_t h = mid; h > observed_het; h -= 2) observed *= down(h);
  for (std::int64_t h = mid; h < observed_het; h += 2) observed *= up(h);
  // Relative tolerance so that configurations equally likely up to rounding count as ties.
  const double tie_hi = observed * (1.0 + 1e-8), tie_lo = observed * (1.0 - 1e-8);
  const double negligible = observed * 1e-20;
  double sum = 0.0, p_value = 0.0, ties = 0.0;
  auto add = [&](double p) {
    sum += p;
    if (p <= tie_hi) {
      p_value += p;
      if (p >= tie_lo) ties += p;
    }
  };
  add(1.0);
  double p = 1.0;
  for (std::int64_t h = mid; h > 1; h -= 2) {
    p *= down(h);
    if (p < negligible) break;
    add(p);
  }
  p = 1.0;
  for (std::int64_t h = mid; h <= rare - 2; h += 2) {
    p *= up(h);
    if (p < negligible) break;
    add(p);
  }
  if (midp) p_value -= 0.5 * ties;
  const double result = std::min(1.0, p_value / sum);
  return result < DBL_MIN ? 0.0 : result;  // as plink2: no subnormal p-values
}

}  // namespace genomap

#include <cmath>

namespace genomap {
namespace {

// log of the unnormalised probability of one chrX configuration.
double x_config_log_weight(double female_hom1, double female_het, double female_hom2, double male1, double male2) {
  return female_het * std::log(2.0) - std::lgamma(female_hom1 + 1) - std::lgamma(female_het + 1) -
         std::lgamma(female_hom2 + 1) - std::lgamma(male1 + 1) - std::lgamma(male2 + 1);
}

}  // namespace

double hardy_weinberg_x_exact_p(std::uint32_t female_hom1, std::uint32_t female_het, std::uint32_t female_hom2,
                                std::uint32_t male1, std::uint32_t male2, bool midp) {
  const std::int64_t females = std::int64_t{female_hom1} + female_het + female_hom2;
  const std::int64_t males = std::int64_t{male1} + male2;
  if (females + males == 0) return 1.0;
  const std::int64_t allele1 = 2 * std::int64_t{female_hom1} + female_het + male1;  // total copies of allele 1
  const double observed_log =
      x_config_log_weight(female_hom1, female_het, female_hom2, male1, male2);
  // Terms are scaled by exp(-observed_log); terms below 1e-20 of the observed one cannot move p by more than
  // (number of configurations) x 1e-20 relative and are skipped once the walk away from a mode reaches them.
  constexpr double kNegligible = 1e-20;
  const double tie_hi = 1.0 + 1e-8, tie_lo = 1.0 - 1e-8;
  double total = 0.0, p_value = 0.0, ties = 0.0;
  auto add = [&](double w) {
    total += w;
    if (w <= tie_hi) {
      p_value += w;
      if (w >= tie_lo) ties += w;
    }
  };
  const std::int64_t m_lo = std::max<std::int64_t>(0, allele1 - 2 * females);
  const std::int64_t m_hi = std::min(males, allele1);
  // Adds every term with `m1` male copies of allele 1; returns the largest (the one at the female mode).
  auto add_male_count = [&](std::int64_t m1) {
    const std::int64_t f1 = allele1 - m1;          // female copies of allele 1
    const std::int64_t f2 = 2 * females - f1;      // female copies of allele 2
    const std::int64_t max_het = std::min(f1, f2);
    // The most likely heterozygote count for these female allele counts, with the parity of f1.
    std::int64_t mode = (f1 + f2) > 0 ? f1 * f2 / (f1 + f2) : 0;
    if ((mode & 1) != (f1 & 1)) ++mode;
    if (mode > max_het) mode -= 2;
    if (mode < 0) mode = f1 & 1;
    const double mode_log = x_config_log_weight(static_cast<double>((f1 - mode) / 2), static_cast<double>(mode),
                                                static_cast<double>((f2 - mode) / 2), static_cast<double>(m1),
                                                static_cast<double>(males - m1));
    const double mode_w = std::exp(mode_log - observed_log);
    if (mode_w < kNegligible) return mode_w;  // every term of this male count is smaller still
    add(mode_w);
    // Walk down: het h -> h-2 turns two heterozygotes into one homozygote of each allele.
    double w = mode_w;
    for (std::int64_t h = mode; h >= 2; h -= 2) {
      const double hom1 = static_cast<double>((f1 - h) / 2), hom2 = static_cast<double>((f2 - h) / 2);
      w *= static_cast<double>(h) * static_cast<double>(h - 1) / (4.0 * (hom1 + 1) * (hom2 + 1));
      if (w < kNegligible) break;
      add(w);
    }
    w = mode_w;
    for (std::int64_t h = mode; h + 2 <= max_het; h += 2) {
      const double hom1 = static_cast<double>((f1 - h) / 2), hom2 = static_cast<double>((f2 - h) / 2);
      w *= 4.0 * hom1 * hom2 / (static_cast<double>(h + 2) * static_cast<double>(h + 1));
      if (w < kNegligible) break;
      add(w);
    }
    return mode_w;
  };
  // The weight of a male count (its hypergeometric marginal) is unimodal around the expected count: walk out
  // from there in both directions and stop once a whole male count is negligible.
  const double expected_m1 = static_cast<double>(allele1) * static_cast<double>(males) /
                             static_cast<double>(2 * females + males);
  const std::int64_t start = std::clamp(static_cast<std::int64_t>(expected_m1), m_lo, m_hi);
  for (std::int64_t m1 = start; m1 >= m_lo; --m1)
    if (add_male_count(m1) < kNegligible && m1 < start) break;
  for (std::int64_t m1 = start + 1; m1 <= m_hi; ++m1)
    if (add_male_count(m1) < kNegligible) break;
  if (midp) p_value -= 0.5 * ties;
  const double result = std::min(1.0, p_value / total);
  return result < DBL_MIN ? 0.0 : result;  // as plink2: no subnormal p-values
}

}  // namespace genomap
