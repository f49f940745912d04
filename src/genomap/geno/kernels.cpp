#include "genomap/geno/kernels.hpp"

#include <bit>

namespace genomap {

namespace {
// Popcounts of the low bit, the high bit and both bits of each selected 2-bit slot, turned into genotype counts
// (01 missing, 10 het, 11 hom. allele 2; the rest of the `selected_ct` are hom. allele 1). Inlined into each
// run-time-selected clone below.
template <typename SlotMask>
[[gnu::always_inline]] inline GenotypeCounts tally_genotypes(const std::uint64_t* row, std::size_t words,
                                                             std::size_t selected_ct, SlotMask slot_mask) {
  std::uint64_t n_lo = 0, n_hi = 0, n_both = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t x = row[w];
    const std::uint64_t m = slot_mask(w);
    const std::uint64_t lo = x & m;
    const std::uint64_t hi = (x >> 1) & m;
    n_lo += static_cast<std::uint64_t>(std::popcount(lo));
    n_hi += static_cast<std::uint64_t>(std::popcount(hi));
    n_both += static_cast<std::uint64_t>(std::popcount(lo & hi));
  }
  GenotypeCounts c;
  c.hom2 = static_cast<std::uint32_t>(n_both);
  c.missing = static_cast<std::uint32_t>(n_lo - n_both);
  c.het = static_cast<std::uint32_t>(n_hi - n_both);
  c.hom1 = static_cast<std::uint32_t>(selected_ct - c.hom2 - c.missing - c.het);
  return c;
}
}  // namespace

// Compiled for popcnt-capable CPUs and a portable fallback; the loader picks one at run time. Bits past
// `sample_ct` are zero (hom. allele 1), so they are counted out through `selected_ct`.
[[gnu::target_clones("popcnt", "default")]] GenotypeCounts count_genotypes(const std::uint64_t* row,
                                                                           std::size_t sample_ct) {
  return tally_genotypes(row, (sample_ct + 31) / 32, sample_ct, [](std::size_t) { return kLowBits; });
}

[[gnu::target_clones("popcnt", "default")]] GenotypeCounts count_genotypes_masked(const std::uint64_t* row,
                                                                                  const std::uint64_t* mask,
                                                                                  std::size_t words,
                                                                                  std::size_t mask_ct) {
  return tally_genotypes(row, words, mask_ct, [mask](std::size_t w) { return mask[w]; });
}

namespace {
template <typename T>
void decode_dosage(const std::uint64_t* row, std::size_t sample_ct, T missing_value, T* out) {
  const T table[4] = {T(2), missing_value, T(1), T(0)};
  std::size_t i = 0;
  for (std::size_t w = 0; i < sample_ct; ++w) {
    std::uint64_t x = row[w];
    const std::size_t end = sample_ct - i < 32 ? sample_ct - i : 32;
    for (std::size_t k = 0; k < end; ++k, x >>= 2) out[i++] = table[x & 3u];
  }
}
}  // namespace

void decode_allele1_dosage(const std::uint64_t* row, std::size_t sample_ct, double missing_value, double* out) {
  decode_dosage(row, sample_ct, missing_value, out);
}
void decode_allele1_dosage(const std::uint64_t* row, std::size_t sample_ct, float missing_value, float* out) {
  decode_dosage(row, sample_ct, missing_value, out);
}

}  // namespace genomap
