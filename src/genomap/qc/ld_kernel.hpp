// The r^2 kernel of LD pruning. A variant over a group of samples is three bit planes (64 samples per word);
// the sums behind unphased r^2 over the samples called in both variants come from popcounts of their ANDs
// (AVX2 where the CPU has it, chosen at run time), or, when missing calls are rare, from each variant's
// totals minus the samples the other variant misses.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace genomap {

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

namespace ld_detail {  // used by the pruner

struct PlaneTotals {
  std::int64_t called = 0, hom = 0, plus = 0;
  bool all_called = false;
  std::int64_t sum() const { return 2 * plus - hom; }  // (+1) count minus (-1) count
};
PlaneTotals plane_totals(const LdBitPlanes& p, std::size_t words, std::size_t sample_ct);

constexpr std::uint32_t kNotListed = 0xFFFFFFFFu;  // marks a variant with too many missing calls to list

// Missing positions of a variant; when not listed, `idx` is null and `ct` is too large for the sparse route.
struct MissingList {
  const std::uint32_t* idx = nullptr;
  std::size_t ct = 0;
};
void list_missing(const std::uint64_t* called, std::size_t sample_ct, std::vector<std::uint32_t>& out);

enum class Route { Auto, Dense, Sparse };
LdPairSums pair_sums(const LdBitPlanes& a, const PlaneTotals& ta, const MissingList& ma, const LdBitPlanes& b,
                     const PlaneTotals& tb, const MissingList& mb, std::size_t words,
                     Route route = Route::Auto);

}  // namespace ld_detail
}  // namespace genomap
