// The bit-sliced kernel behind KING-robust kinship: a block of variants is transposed from variant-major packed
// rows into sample-major bit-planes (one bit per variant: heterozygous, homozygous, homozygous allele 2, called),
// and the counts of a pair of samples are then AND + popcount over the planes of the two samples.
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

// Variants per chunk of the bit-planes: 16 words of 64 variants.
inline constexpr std::size_t kKingChunkWords = 16;
inline constexpr std::size_t kKingChunkVariants = kKingChunkWords * 64;
inline constexpr std::size_t kKingPlanes = 4;

// Sample-major bit-planes of a block of variants: for chunk c and sample s, four planes of kKingChunkWords
// words (heterozygous, homozygous, homozygous allele 2, called); missing genotypes and padding variants past the
// block are zero in all four planes. Opposite homozygotes are then hom_i & hom_j & (alt_i ^ alt_j).
class KingBitPlanes {
 public:
  // Transposes `variant_ct` compact packed rows (see SampleView::compact_row; row v starts at
  // rows + v * words_per_row) of `sample_ct` samples. Threads split the 32-sample groups.
  void load(const std::uint64_t* rows, std::size_t variant_ct, std::size_t words_per_row, std::size_t sample_ct,
            int threads);

  std::size_t chunk_ct() const { return chunk_ct_; }
  std::size_t sample_ct() const { return sample_ct_; }
  // The planes of sample s in chunk c: het[0..16), hom[16..32), hom2[32..48), called[48..64).
  const std::uint64_t* planes(std::size_t chunk, std::size_t sample) const {
    return words_.data() + (chunk * sample_stride_ + sample) * kKingPlanes * kKingChunkWords;
  }

 private:
  std::size_t chunk_ct_ = 0, sample_ct_ = 0, sample_stride_ = 0;
  std::vector<std::uint64_t> words_;
};

// The pair-loop implementations: portable C++, with the popcnt instruction, and AVX2 (four words at a time).
// All give identical counts; the best one the CPU supports is chosen at run time (no -march=native build).
enum class KingKernel { Generic, Popcnt, Avx2 };
KingKernel best_king_kernel();

// Adds to counts[(j - row_begin) * stride + i] the counts of pairs (i, j) with j in [row_begin, row_end),
// i in [col_begin, col_end) and i < j, over every chunk of `planes`.
void accumulate_king_tile(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                          std::size_t col_begin, std::size_t col_end, KingPairCounts* counts, std::size_t stride,
                          KingKernel kernel = best_king_kernel());

// Transposes a 64 x 64 bit matrix in place: bit c of word r moves to bit r of word c.
void transpose_bits_64(std::uint64_t* m);

}  // namespace genomap
