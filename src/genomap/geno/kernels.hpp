// Kernels over compact packed rows (see SampleView::compact_row): 32 genotypes per 64-bit word, 2 bits each,
// 00 hom. allele 1, 01 missing, 10 het, 11 hom. allele 2; bits past `sample_ct` are zero.
#pragma once
#include <cstddef>
#include <cstdint>

namespace genomap {

struct GenotypeCounts {
  std::uint32_t hom1 = 0;     // homozygous allele 1 (A1 / ALT)
  std::uint32_t het = 0;
  std::uint32_t hom2 = 0;     // homozygous allele 2 (A2 / REF)
  std::uint32_t missing = 0;
  std::uint32_t called() const { return hom1 + het + hom2; }
  // Count of allele 1 among called genotypes (2 * hom1 + het).
  std::uint32_t allele1_count() const { return 2 * hom1 + het; }
};

inline constexpr std::uint64_t kLowBits = 0x5555555555555555ULL;

// Genotype counts of one row, by popcount over words.
GenotypeCounts count_genotypes(const std::uint64_t* row, std::size_t sample_ct);

// Genotype counts of the samples whose 2-bit slot has its low bit set in `mask` (`mask_ct` of them), over
// `words` words; count_genotypes is this with every slot of the first sample_ct selected.
GenotypeCounts count_genotypes_masked(const std::uint64_t* row, const std::uint64_t* mask, std::size_t words,
                                      std::size_t mask_ct);

// Allele-1 dosage (2 hom1, 1 het, 0 hom2) of each sample; `missing_value` where missing (e.g. NaN).
void decode_allele1_dosage(const std::uint64_t* row, std::size_t sample_ct, double missing_value, double* out);
void decode_allele1_dosage(const std::uint64_t* row, std::size_t sample_ct, float missing_value, float* out);

// Bits 0, 2, 4, ..., 62 of x gathered into bits 0..31 (e.g. one bit per sample from a packed word's low or
// high bits).
inline std::uint32_t gather_even_bits(std::uint64_t x) {
  x &= 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<std::uint32_t>(x);
}

// The 2-bit code of one sample.
inline unsigned genotype_code(const std::uint64_t* row, std::size_t sample_idx) {
  return static_cast<unsigned>((row[sample_idx >> 5] >> (2 * (sample_idx & 31))) & 3u);
}

}  // namespace genomap
