// Genomic control and multiple-testing corrections of a set of p-values, as plink2 --adjust computes them.
#pragma once
#include <cstddef>
#include <vector>

namespace genomap {

// Genomic inflation factor: median of the chi-square(1) statistics matching the p-values, divided by 0.456
// (plink2's constant). NaN p-values are skipped; NaN when none is left.
double genomic_inflation(const std::vector<double>& p_values);

struct AdjustedPValues {
  double lambda = 1.0;            // the genomic-control factor used (plink2: at least 1)
  std::vector<std::size_t> order;  // indices of the valid p-values, most significant first
  // In `order`'s order:
  std::vector<double> unadjusted, gc, bonferroni, holm, sidak_single_step, sidak_step_down, fdr_bh, fdr_by;
};

AdjustedPValues adjust_p_values(const std::vector<double>& p_values);

}  // namespace genomap
