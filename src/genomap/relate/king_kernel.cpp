#include "genomap/relate/king_kernel.hpp"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

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
                         std::size_t sample_ct, int threads, KingMissingMode mode) {
  constexpr std::size_t W = kKingChunkWords;
  chunk_ct_ = (variant_ct + kKingChunkVariants - 1) / kKingChunkVariants;
  sample_ct_ = sample_ct;
  sample_stride_ = sample_ct;
  variant_ct_ = variant_ct;
  words_.assign(chunk_ct_ * sample_stride_ * kKingPlanes * W, 0);
  het_count_.assign(sample_ct, 0);
  missing_count_.assign(sample_ct, 0);
  const std::size_t group_ct = (sample_ct + 31) / 32;
  const auto groups = static_cast<std::ptrdiff_t>(group_ct);
#pragma omp parallel for num_threads(threads) schedule(static) if (group_ct * variant_ct > 65536)
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const auto group = static_cast<std::size_t>(g);
    const std::size_t first_sample = group * 32;
    const std::size_t group_samples = std::min<std::size_t>(32, sample_ct - first_sample);
    std::uint64_t m[64];
    for (std::size_t c = 0; c < chunk_ct_; ++c) {
      for (std::size_t k = 0; k < W; ++k) {
        const std::size_t v0 = c * kKingChunkVariants + k * 64;
        if (v0 >= variant_ct) break;  // planes stay zero: padding variants count nowhere
        for (std::size_t v = 0; v < 64; ++v) {
          // A padding variant reads as missing (code 01); the valid mask below clears its missing bit.
          m[v] = v0 + v < variant_ct ? rows[(v0 + v) * words_per_row + group] : kLowBits;
        }
        const std::uint64_t valid =
            variant_ct - v0 >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (variant_ct - v0)) - 1;
        transpose_bits_64(m);
        for (std::size_t s = 0; s < group_samples; ++s) {
          const std::uint64_t lo = m[2 * s], hi = m[2 * s + 1];
          std::uint64_t* p = words_.data() + (c * sample_stride_ + first_sample + s) * kKingPlanes * W;
          const std::uint64_t het = hi & ~lo;              // code 10
          const std::uint64_t missing = lo & ~hi & valid;  // code 01
          p[k] = het;
          p[W + k] = ~(hi ^ lo);   // codes 00 and 11
          p[2 * W + k] = hi & lo;  // code 11: homozygous allele 2
          p[3 * W + k] = missing;
          het_count_[first_sample + s] += static_cast<std::uint32_t>(std::popcount(het));
          missing_count_[first_sample + s] += static_cast<std::uint32_t>(std::popcount(missing));
        }
      }
    }
  }
  std::size_t missing_total = 0;
  for (std::uint32_t ct : missing_count_) missing_total += ct;
  sparse_ = mode == KingMissingMode::Sparse ||
            (mode == KingMissingMode::Auto &&
             static_cast<double>(missing_total) <=
                 kKingSparseMaxMissing * static_cast<double>(sample_ct) * static_cast<double>(variant_ct));
  // The sparse counters are 16 bits wide.
  if (variant_ct >= 65536) sparse_ = false;
  if (!sparse_) return;

  missing_offset_.resize(sample_ct + 1);
  missing_offset_[0] = 0;
  for (std::size_t s = 0; s < sample_ct; ++s) missing_offset_[s + 1] = missing_offset_[s] + missing_count_[s];
  missing_index_.resize(missing_total);
  const auto samples = static_cast<std::ptrdiff_t>(sample_ct);
#pragma omp parallel for num_threads(threads) schedule(static) if (missing_total > 65536)
  for (std::ptrdiff_t si = 0; si < samples; ++si) {
    const auto s = static_cast<std::size_t>(si);
    std::uint32_t* out = missing_index_.data() + missing_offset_[s];
    for (std::size_t c = 0; c < chunk_ct_; ++c) {
      const std::uint64_t* missing = planes(c, s) + 3 * W;
      for (std::size_t k = 0; k < W; ++k) {
        for (std::uint64_t bits = missing[k]; bits != 0; bits &= bits - 1)
          *out++ = static_cast<std::uint32_t>(c * kKingChunkVariants + k * 64) +
                   static_cast<std::uint32_t>(std::countr_zero(bits));
      }
    }
  }
  group_het_.resize(group_ct * variant_ct);
  group_missing_.resize(group_ct * variant_ct);
  // Samples past sample_ct in the last group belong to no pair here: masked off.
  const std::uint64_t last_mask =
      sample_ct % 32 == 0 ? ~std::uint64_t{0} : (std::uint64_t{1} << (2 * (sample_ct % 32))) - 1;
#pragma omp parallel for num_threads(threads) schedule(static) if (group_ct * variant_ct > 65536)
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const auto group = static_cast<std::size_t>(g);
    const std::uint64_t mask = group + 1 == group_ct ? last_mask : ~std::uint64_t{0};
    std::uint32_t* het = group_het_.data() + group * variant_ct;
    std::uint32_t* missing = group_missing_.data() + group * variant_ct;
    for (std::size_t v = 0; v < variant_ct; ++v) {
      const std::uint64_t w = rows[v * words_per_row + group] & mask;
      const std::uint64_t lo = w & kLowBits, hi = (w >> 1) & kLowBits;
      het[v] = gather_even_bits(hi & ~lo);
      missing[v] = gather_even_bits(lo & ~hi);
    }
  }
}

void KingSampleTotals::add(const KingBitPlanes& planes) {
  const std::size_t n = planes.sample_ct();
  if (het.size() < n) {
    het.resize(n, 0);
    missing.resize(n, 0);
  }
  for (std::size_t s = 0; s < n; ++s) {
    het[s] += planes.het_count(s);
    missing[s] += planes.missing_count(s);
  }
  variant_ct += static_cast<std::uint32_t>(planes.variant_ct());
}

void finalize_king_counts(KingPairCounts* counts, std::size_t stride, std::size_t row_begin,
                          std::size_t row_end, const KingSampleTotals& totals, int threads) {
  const auto row_ct = static_cast<std::ptrdiff_t>(row_end - row_begin);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16) if (row_ct * row_end > 65536)
  for (std::ptrdiff_t r = 0; r < row_ct; ++r) {
    const std::size_t j = row_begin + static_cast<std::size_t>(r);
    KingPairCounts* row = counts + static_cast<std::size_t>(r) * stride;
    const std::uint32_t het_j = totals.het[j], called_j = totals.variant_ct - totals.missing[j];
    for (std::size_t i = 0; i < j; ++i) {
      KingPairCounts& c = row[i];
      // Unsigned arithmetic is modulo 2^32 and every result is a count, so intermediate wrap-around is
      // harmless.
      c.het_i_hom_j = totals.het[i] - c.hethet - c.het_i_hom_j;
      c.het_j_hom_i = het_j - c.hethet - c.het_j_hom_i;
      c.nsnp = called_j - totals.missing[i] + c.nsnp;
    }
  }
}

namespace {

// The pair loop, compiled twice below: with the popcnt instruction and without. Loop order keeps one chunk of
// the tile's samples hot while every pair of the tile reads it. kFive: also the three missing-genotype terms.
template <bool kFive>
[[gnu::always_inline]] inline void king_tile_body(const KingBitPlanes& planes, std::size_t row_begin,
                                                  std::size_t row_end, std::size_t col_begin,
                                                  std::size_t col_end, KingPairCounts* counts,
                                                  std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        std::uint32_t hethet = 0, ibs0 = 0, a_ij = 0, a_ji = 0, b_ij = 0;
        for (std::size_t w = 0; w < W; ++w) {
          const std::uint64_t het_i = pi[w], hom_i = pi[W + w], alt_i = pi[2 * W + w];
          const std::uint64_t het_j = pj[w], hom_j = pj[W + w], alt_j = pj[2 * W + w];
          hethet += static_cast<std::uint32_t>(std::popcount(het_i & het_j));
          ibs0 += static_cast<std::uint32_t>(std::popcount(hom_i & hom_j & (alt_i ^ alt_j)));
          if constexpr (kFive) {
            const std::uint64_t miss_i = pi[3 * W + w], miss_j = pj[3 * W + w];
            a_ij += static_cast<std::uint32_t>(std::popcount(het_i & miss_j));
            a_ji += static_cast<std::uint32_t>(std::popcount(het_j & miss_i));
            b_ij += static_cast<std::uint32_t>(std::popcount(miss_i & miss_j));
          }
        }
        KingPairCounts& o = out[i];
        o.hethet += hethet;
        o.ibs0 += ibs0;
        if constexpr (kFive) {
          o.het_i_hom_j += a_ij;
          o.het_j_hom_i += a_ji;
          o.nsnp += b_ij;
        }
      }
    }
  }
}

// The sparse missing-genotype terms, one bit at a time (the reference for the AVX2 version).
void king_sparse_generic(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                         std::size_t col_begin, std::size_t col_end, KingPairCounts* counts,
                         std::size_t stride) {
  // Heterozygous (missing) bit of sample s at variant v.
  const auto het = [&](std::size_t s, std::uint32_t v) {
    return (planes.group_het(s / 32)[v] >> (s % 32)) & 1u;
  };
  const auto missing = [&](std::size_t s, std::uint32_t v) {
    return (planes.group_missing(s / 32)[v] >> (s % 32)) & 1u;
  };
  for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
    KingPairCounts* out = counts + (j - row_begin) * stride;
    const std::size_t i_end = std::min(col_end, j);
    for (const std::uint32_t* v = planes.missing_begin(j); v != planes.missing_end(j); ++v) {
      for (std::size_t i = col_begin; i < i_end; ++i) {
        out[i].het_i_hom_j += het(i, *v);
        out[i].nsnp += missing(i, *v);
      }
    }
  }
  for (std::size_t i = col_begin; i < col_end; ++i) {
    for (const std::uint32_t* v = planes.missing_begin(i); v != planes.missing_end(i); ++v) {
      for (std::size_t j = std::max(row_begin, i + 1); j < row_end; ++j)
        counts[(j - row_begin) * stride + i].het_j_hom_i += het(j, *v);
    }
  }
}

[[gnu::target("popcnt")]] void king_tile_popcnt(const KingBitPlanes& planes, std::size_t row_begin,
                                                std::size_t row_end, std::size_t col_begin,
                                                std::size_t col_end, KingPairCounts* counts,
                                                std::size_t stride) {
  if (planes.sparse()) {
    king_tile_body<false>(planes, row_begin, row_end, col_begin, col_end, counts, stride);
    king_sparse_generic(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  } else {
    king_tile_body<true>(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  }
}

void king_tile_generic(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                       std::size_t col_begin, std::size_t col_end, KingPairCounts* counts,
                       std::size_t stride) {
  if (planes.sparse()) {
    king_tile_body<false>(planes, row_begin, row_end, col_begin, col_end, counts, stride);
    king_sparse_generic(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  } else {
    king_tile_body<true>(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  }
}

// AVX2: four words per instruction, popcount by nibble lookup (pshufb), byte counts summed with psadbw once
// per chunk (16 words: at most 32 per byte, no overflow).
[[gnu::target("avx2,popcnt")]] inline __m256i popcount_bytes(__m256i v) {
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                       1, 2, 2, 3, 2, 3, 3, 4);
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

// Two byte-count vectors summed at once: the result's low 32 bits are the sum of a, the high 32 bits that of
// b.
[[gnu::target("avx2,popcnt")]] inline std::uint64_t sum_bytes_pair(__m256i a, __m256i b) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i sums =
      _mm256_or_si256(_mm256_sad_epu8(a, zero), _mm256_slli_epi64(_mm256_sad_epu8(b, zero), 32));
  const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_add_epi64(half, _mm_unpackhi_epi64(half, half))));
}

// Byte counts of opposite homozygotes in words [w, w + 4) of sample i's planes against sample j's.
[[gnu::target("avx2,popcnt")]] inline __m256i opposite_bytes(const std::uint64_t* pi, std::size_t w,
                                                             __m256i hom_j, __m256i alt_j) {
  constexpr std::size_t W = kKingChunkWords;
  return popcount_bytes(_mm256_and_si256(_mm256_and_si256(load(pi + W + w), hom_j),
                                         _mm256_xor_si256(load(pi + 2 * W + w), alt_j)));
}

// Sparse mode: HETHET and IBS0 only, the planes of j held in registers across the i loop.
[[gnu::target("avx2,popcnt"), gnu::noinline]] void king_tile_avx2_two(
    const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end, std::size_t col_begin,
    std::size_t col_end, KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  static_assert(W == 16);
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      const __m256i het_j0 = load(pj), het_j1 = load(pj + 4), het_j2 = load(pj + 8), het_j3 = load(pj + 12);
      const __m256i hom_j0 = load(pj + W), hom_j1 = load(pj + W + 4), hom_j2 = load(pj + W + 8),
                    hom_j3 = load(pj + W + 12);
      const __m256i alt_j0 = load(pj + 2 * W), alt_j1 = load(pj + 2 * W + 4), alt_j2 = load(pj + 2 * W + 8),
                    alt_j3 = load(pj + 2 * W + 12);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        __m256i hethet = popcount_bytes(_mm256_and_si256(load(pi), het_j0));
        hethet = _mm256_add_epi8(hethet, popcount_bytes(_mm256_and_si256(load(pi + 4), het_j1)));
        hethet = _mm256_add_epi8(hethet, popcount_bytes(_mm256_and_si256(load(pi + 8), het_j2)));
        hethet = _mm256_add_epi8(hethet, popcount_bytes(_mm256_and_si256(load(pi + 12), het_j3)));
        __m256i ibs0 = opposite_bytes(pi, 0, hom_j0, alt_j0);
        ibs0 = _mm256_add_epi8(ibs0, opposite_bytes(pi, 4, hom_j1, alt_j1));
        ibs0 = _mm256_add_epi8(ibs0, opposite_bytes(pi, 8, hom_j2, alt_j2));
        ibs0 = _mm256_add_epi8(ibs0, opposite_bytes(pi, 12, hom_j3, alt_j3));
        const std::uint64_t both = sum_bytes_pair(hethet, ibs0);
        KingPairCounts& o = out[i];
        o.hethet += static_cast<std::uint32_t>(both);
        o.ibs0 += static_cast<std::uint32_t>(both >> 32);
      }
    }
  }
}

// Dense mode: all five counts by popcount.
[[gnu::target("avx2,popcnt"), gnu::noinline]] void king_tile_avx2_five(
    const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end, std::size_t col_begin,
    std::size_t col_end, KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        __m256i hethet = _mm256_setzero_si256(), ibs0 = hethet, a_ij = hethet, a_ji = hethet, b_ij = hethet;
        for (std::size_t w = 0; w < W; w += 4) {
          const __m256i het_i = load(pi + w), hom_i = load(pi + W + w), alt_i = load(pi + 2 * W + w),
                        miss_i = load(pi + 3 * W + w);
          const __m256i het_j = load(pj + w), hom_j = load(pj + W + w), alt_j = load(pj + 2 * W + w),
                        miss_j = load(pj + 3 * W + w);
          hethet = _mm256_add_epi8(hethet, popcount_bytes(_mm256_and_si256(het_i, het_j)));
          ibs0 = _mm256_add_epi8(ibs0, popcount_bytes(_mm256_and_si256(_mm256_and_si256(hom_i, hom_j),
                                                                       _mm256_xor_si256(alt_i, alt_j))));
          a_ij = _mm256_add_epi8(a_ij, popcount_bytes(_mm256_and_si256(het_i, miss_j)));
          a_ji = _mm256_add_epi8(a_ji, popcount_bytes(_mm256_and_si256(het_j, miss_i)));
          b_ij = _mm256_add_epi8(b_ij, popcount_bytes(_mm256_and_si256(miss_i, miss_j)));
        }
        KingPairCounts& o = out[i];
        const std::uint64_t both = sum_bytes_pair(hethet, ibs0);
        o.hethet += static_cast<std::uint32_t>(both);
        o.ibs0 += static_cast<std::uint32_t>(both >> 32);
        const std::uint64_t a = sum_bytes_pair(a_ij, a_ji);
        o.het_i_hom_j += static_cast<std::uint32_t>(a);
        o.het_j_hom_i += static_cast<std::uint32_t>(a >> 32);
        o.nsnp += sum_bytes(b_ij);
      }
    }
  }
}

// Adds bit k of `bits` to 16-bit lane k of lo (k < 16) and to lane k - 16 of hi.
[[gnu::target("avx2,popcnt")]] inline void add_bits16(std::uint32_t bits, __m256i& lo, __m256i& hi) {
  const __m256i select = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
                                           16384, static_cast<short>(0x8000));
  const __m256i low = _mm256_set1_epi16(static_cast<short>(bits & 0xffffu));
  const __m256i high = _mm256_set1_epi16(static_cast<short>(bits >> 16));
  lo = _mm256_sub_epi16(lo, _mm256_cmpeq_epi16(_mm256_and_si256(low, select), select));
  hi = _mm256_sub_epi16(hi, _mm256_cmpeq_epi16(_mm256_and_si256(high, select), select));
}

// 0xff in byte k where bit k of the 32-bit word broadcast in `word` is set.
[[gnu::target("avx2,popcnt")]] inline __m256i bit_bytes(__m256i word) {
  const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2,
                                          2, 3, 3, 3, 3, 3, 3, 3, 3);
  const __m256i select = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
  return _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(word, spread), select), select);
}

[[gnu::target("avx2,popcnt")]] inline void store_counts(std::uint16_t* out, __m256i lo, __m256i hi) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), lo);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16), hi);
}

[[gnu::target("avx2,popcnt")]] inline void store_byte_counts(std::uint16_t* out, __m256i bytes) {
  store_counts(out, _mm256_cvtepu8_epi16(_mm256_castsi256_si128(bytes)),
               _mm256_cvtepu8_epi16(_mm256_extracti128_si256(bytes, 1)));
}

// Sums, over the variants [begin, end), the bits of the 32 samples of a group in `first_slab` into first[32]
// (and, where second_slab is given, those of second_slab into second[32]).
template <bool kTwo>
[[gnu::target("avx2,popcnt")]] inline void sum_group_bits(const std::uint32_t* first_slab,
                                                          const std::uint32_t* second_slab,
                                                          const std::uint32_t* begin,
                                                          const std::uint32_t* end, std::uint16_t* first,
                                                          std::uint16_t* second) {
  if (end - begin <= 255) {  // byte counters
    __m256i a = _mm256_setzero_si256(), b = a;
    for (const std::uint32_t* v = begin; v != end; ++v) {
      a = _mm256_sub_epi8(a, bit_bytes(_mm256_set1_epi32(static_cast<int>(first_slab[*v]))));
      if constexpr (kTwo)
        b = _mm256_sub_epi8(b, bit_bytes(_mm256_set1_epi32(static_cast<int>(second_slab[*v]))));
    }
    store_byte_counts(first, a);
    if constexpr (kTwo) store_byte_counts(second, b);
    return;
  }
  __m256i a_lo = _mm256_setzero_si256(), a_hi = a_lo, b_lo = a_lo, b_hi = a_lo;
  for (const std::uint32_t* v = begin; v != end; ++v) {
    add_bits16(first_slab[*v], a_lo, a_hi);
    if constexpr (kTwo) add_bits16(second_slab[*v], b_lo, b_hi);
  }
  store_counts(first, a_lo, a_hi);
  if constexpr (kTwo) store_counts(second, b_lo, b_hi);
}

// The sparse missing-genotype terms, 32 partner samples (one group) per step.
[[gnu::target("avx2,popcnt"), gnu::noinline]] void king_sparse_avx2(
    const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end, std::size_t col_begin,
    std::size_t col_end, KingPairCounts* counts, std::size_t stride) {
  std::uint16_t first[32], second[32];
  // Row sample j missing: A_ij (het_i) and B_ij (missing_i) for the columns i.
  for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
    const std::uint32_t* begin = planes.missing_begin(j);
    const std::uint32_t* end = planes.missing_end(j);
    if (begin == end) continue;
    KingPairCounts* out = counts + (j - row_begin) * stride;
    const std::size_t i_end = std::min(col_end, j);
    for (std::size_t g = col_begin / 32; g * 32 < i_end; ++g) {
      sum_group_bits<true>(planes.group_het(g), planes.group_missing(g), begin, end, first, second);
      for (std::size_t i = std::max(col_begin, g * 32); i < std::min(i_end, g * 32 + 32); ++i) {
        out[i].het_i_hom_j += first[i - g * 32];
        out[i].nsnp += second[i - g * 32];
      }
    }
  }
  // Column sample i missing: A_ji (het_j) for the rows j > i.
  for (std::size_t i = col_begin; i < col_end; ++i) {
    const std::uint32_t* begin = planes.missing_begin(i);
    const std::uint32_t* end = planes.missing_end(i);
    const std::size_t j_begin = std::max(row_begin, i + 1);
    if (begin == end || j_begin >= row_end) continue;
    for (std::size_t g = j_begin / 32; g * 32 < row_end; ++g) {
      sum_group_bits<false>(planes.group_het(g), nullptr, begin, end, first, second);
      for (std::size_t j = std::max(j_begin, g * 32); j < std::min(row_end, g * 32 + 32); ++j)
        counts[(j - row_begin) * stride + i].het_j_hom_i += first[j - g * 32];
    }
  }
}

[[gnu::target("avx2,popcnt")]] void king_tile_avx2(const KingBitPlanes& planes, std::size_t row_begin,
                                                   std::size_t row_end, std::size_t col_begin,
                                                   std::size_t col_end, KingPairCounts* counts,
                                                   std::size_t stride) {
  if (planes.sparse()) {
    // The sparse terms look up random variants of the groups' slabs: fetching the slabs into L2 sequentially
    // while the dense part runs lets the hardware stream them instead of waiting on each lookup.
    const auto prefetch = [&](const std::uint32_t* slab) {
      for (std::size_t v = 0; v < planes.variant_ct(); v += 16)
        _mm_prefetch(reinterpret_cast<const char*>(slab + v), _MM_HINT_T1);
    };
    for (std::size_t g = col_begin / 32; g * 32 < std::min(col_end, row_end); ++g) {
      prefetch(planes.group_het(g));
      prefetch(planes.group_missing(g));
    }
    for (std::size_t g = std::max(row_begin, col_begin + 1) / 32; g * 32 < row_end; ++g)
      prefetch(planes.group_het(g));
    king_tile_avx2_two(planes, row_begin, row_end, col_begin, col_end, counts, stride);
    king_sparse_avx2(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  } else {
    king_tile_avx2_five(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  }
}

// AVX-512 with the native 64-bit popcount (VPOPCNTDQ): a chunk's 16 words of a plane are two registers, each
// AND (or three-way ternary logic for opposite homozygotes) is counted per 64-bit lane, and two counts of a
// pair are packed into one register (the second shifted into the lanes' high halves, each lane below 2^32) so
// one horizontal sum serves both.
#define GENOMAP_AVX512 gnu::target("avx512f,avx512vpopcntdq,avx2,popcnt")
// GCC 12's own avx512fintrin.h trips -Wmaybe-uninitialized on _mm512_undefined_epi32 inside its intrinsics
// (GCC bug 105593), which our code never reads.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

[[GENOMAP_AVX512]] inline __m512i load512(const std::uint64_t* p) { return _mm512_loadu_si512(p); }

[[GENOMAP_AVX512]] inline std::uint64_t sum_pair512(__m512i low, __m512i high) {
  return static_cast<std::uint64_t>(
      _mm512_reduce_add_epi64(_mm512_add_epi64(low, _mm512_slli_epi64(high, 32))));
}

// Opposite homozygotes hom_i & hom_j & (alt_i ^ alt_j), counted per lane, over the 8 words at offset w.
[[GENOMAP_AVX512]] inline __m512i opposite512(const std::uint64_t* pi, std::size_t w, __m512i hom_j,
                                              __m512i alt_j) {
  constexpr std::size_t W = kKingChunkWords;
  const __m512i differ = _mm512_xor_si512(load512(pi + 2 * W + w), alt_j);
  return _mm512_popcnt_epi64(
      _mm512_ternarylogic_epi64(load512(pi + W + w), hom_j, differ, 0x80));  // a & b & c
}

// Sparse mode: HETHET and IBS0 only, the planes of j held in registers across the i loop.
[[GENOMAP_AVX512, gnu::noinline]] void king_tile_avx512_two(const KingBitPlanes& planes,
                                                            std::size_t row_begin, std::size_t row_end,
                                                            std::size_t col_begin, std::size_t col_end,
                                                            KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  static_assert(W == 16);
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      const __m512i het_j0 = load512(pj), het_j1 = load512(pj + 8);
      const __m512i hom_j0 = load512(pj + W), hom_j1 = load512(pj + W + 8);
      const __m512i alt_j0 = load512(pj + 2 * W), alt_j1 = load512(pj + 2 * W + 8);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        const __m512i hethet =
            _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(load512(pi), het_j0)),
                             _mm512_popcnt_epi64(_mm512_and_si512(load512(pi + 8), het_j1)));
        const __m512i ibs0 =
            _mm512_add_epi64(opposite512(pi, 0, hom_j0, alt_j0), opposite512(pi, 8, hom_j1, alt_j1));
        const std::uint64_t both = sum_pair512(hethet, ibs0);
        KingPairCounts& o = out[i];
        o.hethet += static_cast<std::uint32_t>(both);
        o.ibs0 += static_cast<std::uint32_t>(both >> 32);
      }
    }
  }
}

// Dense mode: all five counts by popcount.
[[GENOMAP_AVX512, gnu::noinline]] void king_tile_avx512_five(const KingBitPlanes& planes,
                                                             std::size_t row_begin, std::size_t row_end,
                                                             std::size_t col_begin, std::size_t col_end,
                                                             KingPairCounts* counts, std::size_t stride) {
  constexpr std::size_t W = kKingChunkWords;
  for (std::size_t c = 0; c < planes.chunk_ct(); ++c) {
    for (std::size_t j = std::max(row_begin, col_begin + 1); j < row_end; ++j) {
      const std::uint64_t* pj = planes.planes(c, j);
      KingPairCounts* out = counts + (j - row_begin) * stride;
      const std::size_t i_end = std::min(col_end, j);
      for (std::size_t i = col_begin; i < i_end; ++i) {
        const std::uint64_t* pi = planes.planes(c, i);
        __m512i hethet = _mm512_setzero_si512(), ibs0 = hethet, a_ij = hethet, a_ji = hethet, b_ij = hethet;
        for (std::size_t w = 0; w < W; w += 8) {
          const __m512i het_i = load512(pi + w), miss_i = load512(pi + 3 * W + w);
          const __m512i het_j = load512(pj + w), hom_j = load512(pj + W + w), alt_j = load512(pj + 2 * W + w),
                        miss_j = load512(pj + 3 * W + w);
          hethet = _mm512_add_epi64(hethet, _mm512_popcnt_epi64(_mm512_and_si512(het_i, het_j)));
          ibs0 = _mm512_add_epi64(ibs0, opposite512(pi, w, hom_j, alt_j));
          a_ij = _mm512_add_epi64(a_ij, _mm512_popcnt_epi64(_mm512_and_si512(het_i, miss_j)));
          a_ji = _mm512_add_epi64(a_ji, _mm512_popcnt_epi64(_mm512_and_si512(het_j, miss_i)));
          b_ij = _mm512_add_epi64(b_ij, _mm512_popcnt_epi64(_mm512_and_si512(miss_i, miss_j)));
        }
        KingPairCounts& o = out[i];
        const std::uint64_t both = sum_pair512(hethet, ibs0);
        o.hethet += static_cast<std::uint32_t>(both);
        o.ibs0 += static_cast<std::uint32_t>(both >> 32);
        const std::uint64_t a = sum_pair512(a_ij, a_ji);
        o.het_i_hom_j += static_cast<std::uint32_t>(a);
        o.het_j_hom_i += static_cast<std::uint32_t>(a >> 32);
        o.nsnp += static_cast<std::uint32_t>(_mm512_reduce_add_epi64(b_ij));
      }
    }
  }
}

// The sparse missing-genotype terms are few; they reuse the AVX2 code.
[[GENOMAP_AVX512]] void king_tile_avx512(const KingBitPlanes& planes, std::size_t row_begin,
                                         std::size_t row_end, std::size_t col_begin, std::size_t col_end,
                                         KingPairCounts* counts, std::size_t stride) {
  if (planes.sparse()) {
    king_tile_avx512_two(planes, row_begin, row_end, col_begin, col_end, counts, stride);
    king_sparse_avx2(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  } else {
    king_tile_avx512_five(planes, row_begin, row_end, col_begin, col_end, counts, stride);
  }
}
#pragma GCC diagnostic pop
#undef GENOMAP_AVX512

}  // namespace

KingKernel best_king_kernel() {
  static const KingKernel best =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq") ? KingKernel::Avx512
      : __builtin_cpu_supports("avx2")                                               ? KingKernel::Avx2
      : __builtin_cpu_supports("popcnt")                                             ? KingKernel::Popcnt
                                                                                     : KingKernel::Generic;
  return best;
}

void accumulate_king_tile(const KingBitPlanes& planes, std::size_t row_begin, std::size_t row_end,
                          std::size_t col_begin, std::size_t col_end, KingPairCounts* counts,
                          std::size_t stride, KingKernel kernel) {
  switch (kernel) {
    case KingKernel::Avx512:
      king_tile_avx512(planes, row_begin, row_end, col_begin, col_end, counts, stride);
      return;
    case KingKernel::Avx2:
      king_tile_avx2(planes, row_begin, row_end, col_begin, col_end, counts, stride);
      return;
    case KingKernel::Popcnt:
      king_tile_popcnt(planes, row_begin, row_end, col_begin, col_end, counts, stride);
      return;
    case KingKernel::Generic:
      break;
  }
  king_tile_generic(planes, row_begin, row_end, col_begin, col_end, counts, stride);
}

}  // namespace genomap
