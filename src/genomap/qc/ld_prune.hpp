// LD pruning as plink2's --indep-pairwise: in a window sliding along each chromosome, any pair of variants
// whose unphased genotype r^2 exceeds the threshold loses the variant with the lower minor allele frequency,
// until no such pair is left. Only founders are used (both parental IDs "0"), as plink2 does.
//
// r^2 follows plink2 (2.00a3, plink2_ld.cc, IndepPairwise): genotypes coded -1/0/+1 (hom. ALT, het, hom. REF)
// and correlated over the samples called in *both* variants (pairwise-complete, no imputation). On X, males
// count once and other founders twice; on Y only male founders count. A variant with no variance among the
// window's founders is pruned on loading. Windows restart at each chromosome; a chromosome with a single
// variant is left alone; chromosome 0 variants are in neither output.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct PruneOptions {
  std::size_t window_variants = 50;  // window in variants (when window_kb is false)
  bool window_kb = false;
  std::uint32_t window_bp = 0;  // window in base pairs (when window_kb is true; step must then be 1)
  std::size_t step = 5;         // variants the window shifts by
  double r2_threshold = 0.2;    // prune pairs with r^2 strictly above this
};

// Parses plink2's --indep-pairwise arguments: "WINDOW[kb] [STEP] R2" or "WINDOW kb [STEP] R2". Throws Error
// naming the bad argument.
PruneOptions parse_indep_pairwise(const std::vector<std::string>& args);

enum class PruneStatus : std::uint8_t { Kept, Removed, Skipped };  // Skipped: chromosome 0, in neither list

struct PruneResult {
  std::vector<PruneStatus> status;  // one per variant_idx of the dataset
  std::size_t kept_ct = 0, removed_ct = 0, skipped_ct = 0;
  std::size_t founder_ct = 0;
};

// Runs the pruning. Throws Error when fewer than two founders are selected or variant IDs are not unique
// (prune lists are ID lists), as plink2 does.
PruneResult indep_pairwise(const Dataset& data, const PruneOptions& options, const Context& ctx);

// --- The r^2 kernel, exposed for tests ---

// One variant over a group of samples as three bit planes, 64 samples per word, bits past the group size
// zero: called (not missing), homozygous, and homozygous for allele 2 (REF, coded +1).
struct LdBitPlanes {
  const std::uint64_t* called;
  const std::uint64_t* hom;
  const std::uint64_t* plus;
};

// Words of one bit plane for `sample_ct` samples.
inline std::size_t ld_plane_words(std::size_t sample_ct) { return (sample_ct + 63) / 64; }

// Splits a compact packed row (32 genotypes per word, .bed codes) into the three planes.
void split_ld_planes(const std::uint64_t* row, std::size_t sample_ct, std::uint64_t* called,
                     std::uint64_t* hom, std::uint64_t* plus);

// Sums over the samples called in both variants, genotypes coded -1/0/+1: count, sums, sums of squares and
// the cross product.
struct LdPairSums {
  std::int64_t n = 0;
  std::int64_t sum1 = 0, sum2 = 0;
  std::int64_t ssq1 = 0, ssq2 = 0;
  std::int64_t dot = 0;
};

// Route: Dense counts with popcounts over every word; Sparse starts from each variant's totals and drops the
// samples the other variant misses (fast when missing calls are rare); Auto picks as the pruner does.
enum class LdRoute { Auto, Dense, Sparse };
LdPairSums ld_pair_sums(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t sample_ct,
                        LdRoute route = LdRoute::Auto);

// Chooses the AVX2 kernels (the default where the CPU has them) or the portable ones; returns whether AVX2 is
// now in use. For tests and benchmarks; call it before pruning starts, not during.
bool set_ld_kernel_simd(bool enabled);

// True when r^2 > threshold, compared as plink2 does without dividing: cov^2 > threshold * var1 * var2
// (with all three scaled by n). A pair with no common variance is never above the threshold.
bool ld_r2_exceeds(const LdPairSums& s, double threshold);
// r^2 itself (NaN when a variance is zero), for reports and tests.
double ld_r2(const LdPairSums& s);

}  // namespace genomap
