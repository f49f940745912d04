// The bit-sliced kernel behind KING-robust kinship: a block of variants is transposed from variant-major
// packed rows into sample-major bit-planes (one bit per variant: heterozygous, homozygous, homozygous allele
// 2, called), and the counts of a pair of samples are then AND + popcount over the planes of the two samples.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace genomap {

// Counts of one pair of samples (i, j) over the variants both have called.
struct KingPairCounts {
  std::uint32_t nsnp = 0;         // variants called in both samples
  std::uint32_t hethet = 0;       // heterozygous in both
  std::uint32_t ibs0 = 0;         // opposite homozygotes (AA vs aa)
  std::uint32_t het_i_hom_j = 0;  // heterozygous in i, homozygous in j
  std::uint32_t het_j_hom_i = 0;  // heterozygous in j, homozygous in i

  KingPairCounts& operator+=(const KingPairCounts& o) {
    nsnp += o.nsnp;
    hethet += o.hethet;
    ibs0 += o.ibs0;
    het_i_hom_j += o.het_i_hom_j;
    het_j_hom_i += o.het_j_hom_i;
    return *this;
  }
  bool operator==(const KingPairCounts&) const = default;
};

// KING-robust between-family kinship (Manichaikul et al. 2010, eq. 11, with the heterozygote counts of both
// samples taken over the variants both have called, as plink2 does):
//   phi = 1/2 - (4 IBS0 + het_i_hom_j + het_j_hom_i) / (4 min(het_i, het_j)),  het_i = hethet + het_i_hom_j.
// NaN when neither sample has a heterozygous call among the shared variants.
double king_kinship(const KingPairCounts& c);

// Variants per chunk of the bit-planes: 32 words of 64 variants.
inline constexpr std::size_t kKingChunkWords = 16;
inline constexpr std::size_t kKingChunkVariants = kKingChunkWords * 64;
inline constexpr std::size_t kKingPlanes = 4;

// How the terms that involve missing genotypes are counted (the pair counts are the same either way).
//  Dense:  five AND + popcounts per pair and word: HETHET, IBS0, A_ij = #(het_i, missing_j),
//          A_ji = #(het_j, missing_i), B_ij = #(missing_i, missing_j).
//  Sparse: two popcounts per pair and word (HETHET, IBS0); A_ij, A_ji and B_ij are summed from each sample's
//          list of missing variants in the block: for a sample j missing at variant v, the bits of
//          heterozygous (and of missing) genotypes of 32 partner samples at v are added to 8- or 16-bit
//          counters at once. Its cost grows with the missing rate, so it is chosen only where few genotypes
//          are missing.
//  Auto:   Sparse when at most kKingSparseMaxMissing of the block's genotypes are missing, else Dense.
enum class KingMissingMode { Auto, Dense, Sparse };
// Measured (3,000 samples, uniform missingness, AVX2): sparse is faster up to about 12-15% missing.
inline constexpr double kKingSparseMaxMissing = 0.10;

// Sample-major bit-planes of a block of variants: for chunk c and sample s, four planes of kKingChunkWords
// words (heterozygous, homozygous, homozygous allele 2, missing); padding variants past the block are zero in
// all four planes. Opposite homozygotes are hom_i & hom_j & (alt_i ^ alt_j). With the sparse mode, also each
// sample's missing variants and the variant-major bit-rows of heterozygous and missing genotypes.
class KingBitPlanes {
 public:
  // Transposes `variant_ct` compact packed rows (see SampleView::compact_row; row v starts at
  // rows + v * words_per_row) of `sample_ct` samples. Threads split the 32-sample groups.
  void load(const std::uint64_t* rows, std::size_t variant_ct, std::size_t words_per_row,
            std::size_t sample_ct, int threads, KingMissingMode mode = KingMissingMode::Auto);

  std::size_t chunk_ct() const { return chunk_ct_; }
  std::size_t sample_ct() const { return sample_ct_; }
  std::size_t variant_ct() const { return variant_ct_; }
  bool sparse() const { return sparse_; }
  // The planes of sample s in chunk c: het[0..16), hom[16..32), hom2[32..48), missing[48..64).
  const std::uint64_t* planes(std::size_t chunk, std::size_t sample) const {
    return words_.data() + (chunk * sample_stride_ + sample) * kKingPlanes * kKingChunkWords;
  }
  // Heterozygous and missing genotypes of sample s in this block.
  std::uint32_t het_count(std::size_t sample) const { return het_count_[sample]; }
  std::uint32_t missing_count(std::size_t sample) const { return missing_count_[sample]; }

  // Sparse mode: the variants (indexes in the block) where sample s is missing.
  const std::uint32_t* missing_begin(std::size_t sample) const {
    return missing_index_.data() + missing_offset_[sample];
  }
  const std::uint32_t* missing_end(std::size_t sample) const {
    return missing_index_.data() + missing_offset_[sample + 1];
  }
  // Sparse mode: the genotypes of the samples of group g (32 samples from 32 g) at each variant v of the
  // block: bit s % 32 of word v of group_het(g) (group_missing(g)) is set when sample s is heterozygous
  // (missing). Variant-major within a group, so the variants a tile looks up lie in one 16 KiB slab.
  const std::uint32_t* group_het(std::size_t group) const { return group_het_.data() + group * variant_ct_; }
  const std::uint32_t* group_missing(std::size_t group) const {
    return group_missing_.data() + group * variant_ct_;
  }

 private:
  std::size_t chunk_ct_ = 0, sample_ct_ = 0, sample_stride_ = 0, variant_ct_ = 0;
  bool sparse_ = false;
  std::vector<std::uint64_t> words_;
  std::vector<std::uint32_t> het_count_, missing_count_;
  std::vector<std::size_t> missing_offset_;
  std::vector<std::uint32_t> missing_index_;
  std::vector<std::uint32_t> group_het_, group_missing_;
};

// The pair-loop implementations: portable C++, with the popcnt instruction, AVX2 (four words at a time,
// popcount by nibble lookup) and AVX-512 with its native popcount (VPOPCNTDQ, eight words at a time). All
// give identical counts; the best one the CPU supports is chosen at run time (no -march=native build).
enum class KingKernel { Generic, Popcnt, Avx2, Avx512 };
KingKernel best_king_kernel();

// Adds to counts[(j - row_begin) * stride + i] the block's partial counts of pairs (i, j) with j in
// [row_begin, row_end), i in [col_begin, col_end) and i < j: in the fields hethet and ibs0 their counts, in
// het_i_hom_j A_ij = #(het_i, missing_j), in het_j_hom_i A_ji = #(het_j, missing_i), in nsnp
// B_ij = #(missing_i, missing_j). finalize_king_counts turns the sums over all blocks into the pair counts.
void accumulate_king_tile(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                          std::size_t col_begin, std::size_t col_end, KingPairCounts* counts,
                          std::size_t stride, KingKernel kernel = best_king_kernel());

// Per-sample totals over all blocks of a pass, for finalize_king_counts.
struct KingSampleTotals {
  std::vector<std::uint32_t> het, missing;  // heterozygous and missing genotypes of each sample
  std::uint32_t variant_ct = 0;
  void add(const KingBitPlanes& planes);  // adds one block
};

// Turns the accumulated partial counts of pairs (i < j, j in [row_begin, row_end)) into KingPairCounts:
//   het_i_hom_j = het_i - hethet - A_ij, het_j_hom_i = het_j - hethet - A_ji,
//   nsnp = variants - missing_i - missing_j + B_ij.
void finalize_king_counts(KingPairCounts* counts, std::size_t stride, std::size_t row_begin,
                          std::size_t row_end, const KingSampleTotals& totals, int threads);

// Transposes a 64 x 64 bit matrix in place: bit c of word r moves to bit r of word c.
void transpose_bits_64(std::uint64_t* m);

}  // namespace genomap
