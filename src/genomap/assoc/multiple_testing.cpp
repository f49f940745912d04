#include "genomap/assoc/multiple_testing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "genomap/assoc/distributions.hpp"

namespace genomap {

double genomic_inflation(const std::vector<double>& p_values) {
  std::vector<double> chisq;
  for (double p : p_values)
    if (!std::isnan(p)) chisq.push_back(chisq1_from_p(p));
  if (chisq.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t half = chisq.size() / 2;
  std::nth_element(chisq.begin(), chisq.begin() + static_cast<std::ptrdiff_t>(half), chisq.end());
  double median = chisq[half];
  if (chisq.size() % 2 == 0) {
    const double below = *std::max_element(chisq.begin(), chisq.begin() + static_cast<std::ptrdiff_t>(half));
    median = 0.5 * (median + below);
  }
  return median / 0.456;
}

AdjustedPValues adjust_p_values(const std::vector<double>& p_values) {
  AdjustedPValues out;
  for (std::size_t i = 0; i < p_values.size(); ++i)
    if (!std::isnan(p_values[i])) out.order.push_back(i);
  std::stable_sort(out.order.begin(), out.order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  const std::size_t m = out.order.size();
  if (m == 0) return out;
  const double md = static_cast<double>(m);
  const double lambda = genomic_inflation(p_values);
  out.lambda = std::max(1.0, lambda);
  out.unadjusted.resize(m);
  out.gc.resize(m);
  out.bonferroni.resize(m);
  out.holm.resize(m);
  out.sidak_single_step.resize(m);
  out.sidak_step_down.resize(m);
  out.fdr_bh.resize(m);
  out.fdr_by.resize(m);
  double holm = 0, sidak_sd = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const double p = p_values[out.order[i]];
    out.unadjusted[i] = p;
    out.gc[i] = chisq1_upper_p(chisq1_from_p(p) / out.lambda);
    out.bonferroni[i] = std::min(1.0, p * md);
    holm = std::max(holm, std::min(1.0, p * (md - static_cast<double>(i))));
    out.holm[i] = holm;
    out.sidak_single_step[i] = -std::expm1(md * std::log1p(-p));
    sidak_sd = std::max(sidak_sd, -std::expm1((md - static_cast<double>(i)) * std::log1p(-p)));
    out.sidak_step_down[i] = sidak_sd;
  }
  double harmonic = 0;
  for (std::size_t j = 1; j <= m; ++j) harmonic += 1.0 / static_cast<double>(j);
  double bh = 1.0, by = 1.0;
  for (std::size_t i = m; i-- > 0;) {
    const double p = out.unadjusted[i];
    bh = std::min(bh, p * md / static_cast<double>(i + 1));
    by = std::min(by, p * md * harmonic / static_cast<double>(i + 1));
    out.fdr_bh[i] = bh;
    out.fdr_by[i] = by;
  }
  return out;
}

}  // namespace genomap
