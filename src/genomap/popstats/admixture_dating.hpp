// `genomap date`: time since admixture from the decay of weighted admixture LD with genetic distance, as
// ALDER fits it (Loh et al. 2013, Genetics 193:1233; the weighted LD of Moorjani et al. 2011, ROLLOFF).
//
// For variants x and y of the target population (n samples, allele-1 dosages g), with weights w from the
// reference populations (two references A and B: w = p_A - p_B; one reference A: w = p_A - p_target), the
// weighted LD in a bin of genetic distance d is
//   a(d) = sum over pairs (x, y) with |cM_x - cM_y| in the bin of  w_x w_y cov_target(g_x, g_y)  / #pairs,
//   cov_target(g_x, g_y) = sum_i (g_ix - mean_x)(g_iy - mean_y) / (n - 1).
// Under one pulse n generations ago, a(d) = A exp(-n d) + c with d in Morgans (Loh et al. 2013, eq. 3 and 6).
// The sum over pairs is computed per chromosome on a grid of `bin_cm`: u_i(x) = (g_ix - mean_x) w_x summed
// into cells, and the autocorrelation of each sample's cell sums at lag b, summed over samples, is the
// numerator of bin b (one FFT per pair of samples, one inverse FFT per chromosome; ALDER's algorithm). Lag 0
// (pairs in one cell, and each variant with itself) is never used. Missing genotypes contribute u = 0.
// The fit minimises the squared error over bins from `min_cm` to `max_cm` (below `min_cm` background LD of
// the references would bias it): for each rate n, A and c are a linear least-squares fit; n is found on a
// logarithmic grid and refined by golden-section search. Standard errors: the weighted delete-one-chromosome
// jackknife (Busing et al. 1999; weights = variants used per chromosome), as ALDER does.
#pragma once
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/population_labels.hpp"

namespace genomap {

struct DatingOptions {
  std::string target;
  std::vector<std::string> sources;  // two references, or one with single_reference
  bool single_reference = false;
  double uniform_map_cm_per_mb = 0;  // > 0: ignore the .bim's cM and use bp / 1e6 * rate
  double bin_cm = 0.05;
  double min_cm = 0.5;
  double max_cm = 50;
  std::string label_source;  // the population file, for error messages
};

// Smallest target the covariance is estimated from, and the smallest reference.
inline constexpr std::size_t kMinDatingTarget = 5;
inline constexpr std::size_t kMinDatingReference = 2;

struct DatingCurvePoint {
  std::size_t bin = 0;  // lag in grid cells
  double distance_cm = 0;
  double weighted_ld = 0;
  double fitted = 0;
  double pairs = 0;  // variant pairs in the bin
  bool in_fit = false;
};

struct DatingLeaveOneOut {
  int chrom = 0;
  std::size_t variant_ct = 0;
  double generations = 0;
  double amplitude = 0;
};

struct DatingResult {
  double generations = 0, generations_se = 0;
  double amplitude = 0, amplitude_se = 0, amplitude_z = 0;
  double offset = 0;           // the fitted constant c
  bool rate_at_bound = false;  // the best rate is at the edge of the searched range: no decay resolved
  std::size_t target_ct = 0, reference_ct[2] = {0, 0};
  std::size_t variant_ct = 0;  // variants used (autosomal, polymorphic weights, calls in every population)
  std::vector<DatingCurvePoint> curve;
  std::vector<DatingLeaveOneOut> chromosomes;
};

// Throws Error naming the .bim (and line) when no genetic map is present (all cM 0; pass a uniform map), when
// positions decrease within a chromosome or a chromosome is split, and naming the population file when the
// target or a reference is unknown or too small.
DatingResult date_admixture(const Dataset& data, const PopulationAssignment& populations,
                            const DatingOptions& options, const Context& ctx);

// The one-line summary (.date), the curve (.date.curve) and the leave-one-chromosome-out fits
// (.date.jackknife).
void write_dating_summary(std::FILE* out, const DatingResult& result, const DatingOptions& options);
void write_dating_curve(std::FILE* out, const DatingResult& result);
void write_dating_jackknife(std::FILE* out, const DatingResult& result);

}  // namespace genomap
