#include "genomap/relate/king_kernel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <immintrin.h>

#include "genomap/geno/kernels.hpp"

namespace genomap {

double king_kinship(const KingPairCounts& c) {
  const std::uint32_t smaller_het = c.hethet + std::min(c.het_i_hom_j, c.het_j_hom_i);
  if (smaller_het == 0) return std::numeric_limits<double>::quiet_NaN();
  const double discordant = 4.0 * c.ibs0 + c.het_i_hom_j + c.het_j_hom_i;
  return 0.5 - discordant / (4.0 * smaller_het);
}

void transpose_bits_64(std::uint64_t* m) {
  // Swap the off-diagonal blocks of size 32, then 16, ..., then 1 (recursive block transpose, done in place).
  std::uint64_t mask = 0x00000000FFFFFFFFULL;
  for (unsigned width = 32; width != 0; width >>= 1, mask ^= (mask << width)) {
    for (unsigned k = 0; k < 64; k = ((k | width) + 1) & ~width) {
      const std::uint64_t t = ((m[k] >> width) ^ m[k | width]) & mask;
      m[k] ^= t << width;
      m[k | width] ^= t;
    }
  }
}

void KingBitPlanes::load(const std::uint64_t* rows, std::size_t variant_ct, std::size_t words_per_row,
                         std::size_t sample_ct, int threads) {
  chunk_ct_ = (variant_ct + kKingChunkVariants - 1) / kKingChunkVariants;
  sample_ct_ = sample_ct;
  sample_stride_ = sample_ct;
  words_.assign(chunk_ct_ * sample_stride_ * kKingPlanes * kKingChunkWords, 0);
  const auto group_ct = static_cast<std::ptrdiff_t>((sample_ct + 31) / 32);
#pragma omp parallel for num_threads(threads) schedule(static) if (group_ct * variant_ct > 65536)
  for (std::ptrdiff_t g = 0; g < group_ct; ++g) {
    const auto group = static_cast<std::size_t>(g);
    const std::size_t first_sample = group * 32;
    const std::size_t group_samples = std::min<std::size_t>(32, sample_ct - first_sample);
    std::uint64_t m[64];
    for (std::size_t c = 0; c < chunk_ct_; ++c) {
      for (std::size_t k = 0; k < kKingChunkWords; ++k) {
        const std::size_t v0 = c * kKingChunkVariants + k * 64;
        if (v0 >= variant_ct) break;  // planes stay zero: padding variants count nowhere
        for (std::size_t v = 0; v < 64; ++v) {
          // A padding variant reads as missing (code 01) so that it sets no plane bit.
          m[v] = v0 + v < variant_ct ? rows[(v0 + v) * words_per_row + group] : kLowBits;
        }
        transpose_bits_64(m);
        for (std::size_t s = 0; s < group_samples; ++s) {
          const std::uint64_t lo = m[2 * s], hi = m[2 * s + 1];
          std::uint64_t* p = words_.data() + (c * sample_stride_ + first_sample + s) * kKingPlanes * kKingChunkWords;
          const std::uint64_t het = hi & ~lo;          // code 10
          const std::uint64_t hom = ~(hi ^ lo);         // codes 00 and 11
          p[k] = het;
          p[kKingChunkWords + k] = hom;
          p[2 * kKingChunkWords + k] = hi & lo;        // code 11: homozygous allele 2
          p[3 * kKingChunkWords + k] = het | hom;      // called
        }
      }
    }
  }
}

namespace {

// The pair loop, compiled twice below: with the popcnt instruction and without. Loop order keeps one chunk of
// the tile's samples (64 words each) hot while every pair of the tile reads it.
[[gnu::always_inline]] inline void king_tile_body(const KingBitPlanes& planes, std::size_t row_begin,
                                                  std::size_t row_end, std::size_t col_begin, std::size_t col_end,
                                                  KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        std::uint32_t nsnp = 0, hethet = 0, ibs0 = 0, het_i_ct = 0, het_j_ct = 0;
        for (std::size_t w = 0; w < W; ++w) {
          const std::uint64_t het_i = pi[w], hom_i = pi[W + w], alt_i = pi[2 * W + w], called_i = pi[3 * W + w];
          const std::uint64_t het_j = pj[w], hom_j = pj[W + w], alt_j = pj[2 * W + w], called_j = pj[3 * W + w];
          hethet += static_cast<std::uint32_t>(std::popcount(het_i & het_j));
          ibs0 += static_cast<std::uint32_t>(std::popcount(hom_i & hom_j & (alt_i ^ alt_j)));
          het_i_ct += static_cast<std::uint32_t>(std::popcount(het_i & hom_j));
          het_j_ct += static_cast<std::uint32_t>(std::popcount(het_j & hom_i));
          nsnp += static_cast<std::uint32_t>(std::popcount(called_i & called_j));
        }
        KingPairCounts& o = out[i];
        o.nsnp += nsnp;
        o.hethet += hethet;
        o.ibs0 += ibs0;
        o.het_i_hom_j += het_i_ct;
        o.het_j_hom_i += het_j_ct;
      }
    }
  }
}

[[gnu::target("popcnt")]] void king_tile_popcnt(const KingBitPlanes& planes, std::size_t row_begin,
                                                std::size_t row_end, std::size_t col_begin, std::size_t col_end,
                                                KingPairCounts* counts, std::size_t stride) {
  king_tile_body(planes, row_begin, row_end, col_begin, col_end, counts, stride);
}

void king_tile_generic(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                       std::size_t col_begin, std::size_t col_end, KingPairCounts* counts, std::size_t stride) {
  king_tile_body(planes, row_begin, row_end, col_begin, col_end, counts, stride);
}

// AVX2: four words per instruction, popcount by nibble lookup (pshufb), byte counts summed with psadbw once per
// chunk (16 words: at most 32 per byte, no overflow).
[[gnu::target("avx2,popcnt")]] inline __m256i popcount_bytes(__m256i v) {
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2,
                                       3, 2, 3, 3, 4);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lut, _mm256_and_si256(v, low4)),
                         _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4)));
}

[[gnu::target("avx2,popcnt")]] inline __m256i load(const std::uint64_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

[[gnu::target("avx2,popcnt")]] inline std::uint32_t sum_bytes(__m256i bytes) {
  const __m256i sums = _mm256_sad_epu8(bytes, _mm256_setzero_si256());
  const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
  return static_cast<std::uint32_t>(_mm_cvtsi128_si64(half) + _mm_extract_epi64(half, 1));
}

[[gnu::target("avx2,popcnt")]] void king_tile_avx2(const KingBitPlanes& planes, std::size_t row_begin,
                                                   std::size_t row_end, std::size_t col_begin, std::size_t col_end,
                                                   KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        __m256i hethet = _mm256_setzero_si256(), ibs0 = hethet, het_i_ct = hethet, het_j_ct = hethet, nsnp = hethet;
        for (std::size_t w = 0; w < W; w += 4) {
          const __m256i het_i = load(pi + w), hom_i = load(pi + W + w), alt_i = load(pi + 2 * W + w);
          const __m256i het_j = load(pj + w), hom_j = load(pj + W + w), alt_j = load(pj + 2 * W + w);
          hethet = _mm256_add_epi8(hethet, popcount_bytes(_mm256_and_si256(het_i, het_j)));
          ibs0 = _mm256_add_epi8(
              ibs0, popcount_bytes(_mm256_and_si256(_mm256_and_si256(hom_i, hom_j), _mm256_xor_si256(alt_i, alt_j))));
          het_i_ct = _mm256_add_epi8(het_i_ct, popcount_bytes(_mm256_and_si256(het_i, hom_j)));
          het_j_ct = _mm256_add_epi8(het_j_ct, popcount_bytes(_mm256_and_si256(het_j, hom_i)));
          nsnp = _mm256_add_epi8(nsnp, popcount_bytes(_mm256_and_si256(load(pi + 3 * W + w), load(pj + 3 * W + w))));
        }
        KingPairCounts& o = out[i];
        o.nsnp += sum_bytes(nsnp);
        o.hethet += sum_bytes(hethet);
        o.ibs0 += sum_bytes(ibs0);
        o.het_i_hom_j += sum_bytes(het_i_ct);
        o.het_j_hom_i += sum_bytes(het_j_ct);
      }
    }
  }
}

}  // namespace

KingKernel best_king_kernel() {
  static const KingKernel best = __builtin_cpu_supports("avx2")     ? KingKernel::Avx2
                                 : __builtin_cpu_supports("popcnt") ? KingKernel::Popcnt
                                                                    : KingKernel::Generic;
  return best;
}

void accumulate_king_tile(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                          std::size_t col_begin, std::size_t col_end, KingPairCounts* counts, std::size_t stride,
                          KingKernel kernel) {
  switch (kernel) {
    case KingKernel::Avx2: king_tile_avx2(planes, row_begin, row_end, col_begin, col_end, counts, stride); return;
    case KingKernel::Popcnt: king_tile_popcnt(planes, row_begin, row_end, col_begin, col_end, counts, stride); return;
    case KingKernel::Generic: break;
  }
  king_tile_generic(planes, row_begin, row_end, col_begin, col_end, counts, stride);
}

}  // namespace genomap
