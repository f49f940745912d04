// The r^2 kernel of LD pruning: genotype bit planes and popcount sums (portable and AVX2).
#include "genomap/qc/ld_kernel.hpp"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "genomap/geno/kernels.hpp"

namespace genomap {

namespace ld_detail {

[[gnu::target_clones("popcnt", "default")]] PlaneTotals plane_totals(const LdBitPlanes& p, std::size_t words,
                                                                     std::size_t sample_ct) {
  PlaneTotals t;
  for (std::size_t w = 0; w < words; ++w) {
    t.called += std::popcount(p.called[w]);
    t.hom += std::popcount(p.hom[w]);
    t.plus += std::popcount(p.plus[w]);
  }
  t.all_called = static_cast<std::size_t>(t.called) == sample_ct;
  return t;
}

// Cross product of two variants when only the genotypes matter (missing samples have hom = 0, so they drop
// out): matching homozygotes add 1, opposite homozygotes subtract 1.
[[gnu::target_clones("popcnt", "default")]] std::int64_t dot_only_scalar(const LdBitPlanes& a,
                                                                         const LdBitPlanes& b,
                                                                         std::size_t words) {
  std::int64_t both = 0, opposite = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    both += std::popcount(hh);
    opposite += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
  }
  return both - 2 * opposite;
}

// Dot product and b's sums restricted to the samples called in a (a has missing calls, b's are masked by
// them).
[[gnu::target_clones("popcnt", "default")]] void dot_and_masked_scalar(const LdBitPlanes& a,
                                                                       const LdBitPlanes& b,
                                                                       std::size_t words, std::int64_t& dot,
                                                                       std::int64_t& b_hom,
                                                                       std::int64_t& b_plus) {
  std::int64_t both = 0, opposite = 0, hom = 0, plus = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    both += std::popcount(hh);
    opposite += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
    hom += std::popcount(b.hom[w] & a.called[w]);
    plus += std::popcount(b.plus[w] & a.called[w]);
  }
  dot = both - 2 * opposite;
  b_hom = hom;
  b_plus = plus;
}

// Everything, when both variants have missing calls.
[[gnu::target_clones("popcnt", "default")]] LdPairSums full_pair_sums_scalar(const LdBitPlanes& a,
                                                                             const LdBitPlanes& b,
                                                                             std::size_t words) {
  std::int64_t n = 0, both = 0, opposite = 0, a_hom = 0, a_plus = 0, b_hom = 0, b_plus = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    n += std::popcount(a.called[w] & b.called[w]);
    both += std::popcount(hh);
    opposite += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
    a_hom += std::popcount(a.hom[w] & b.called[w]);
    a_plus += std::popcount(a.plus[w] & b.called[w]);
    b_hom += std::popcount(b.hom[w] & a.called[w]);
    b_plus += std::popcount(b.plus[w] & a.called[w]);
  }
  LdPairSums s;
  s.n = n;
  s.dot = both - 2 * opposite;
  s.ssq1 = a_hom;
  s.sum1 = 2 * a_plus - a_hom;
  s.ssq2 = b_hom;
  s.sum2 = 2 * b_plus - b_hom;
  return s;
}

// AVX2 versions: popcounts of 256-bit vectors by nibble lookup (Mula, Kurz and Lemire 2018), counted in bytes
// and widened every 31 vectors (8 bits per byte times 31 stays below 256). Chosen at run time.
namespace avx2 {

#define GENOMAP_AVX2 __attribute__((target("avx2")))

GENOMAP_AVX2 inline __m256i byte_popcount(__m256i v) {
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                       1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, low);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo), _mm256_shuffle_epi8(lut, hi));
}

GENOMAP_AVX2 inline std::int64_t horizontal_sum(__m256i v64) {
  return _mm256_extract_epi64(v64, 0) + _mm256_extract_epi64(v64, 1) + _mm256_extract_epi64(v64, 2) +
         _mm256_extract_epi64(v64, 3);
}

GENOMAP_AVX2 inline __m256i load(const std::uint64_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Counts K masked popcounts over whole vectors; `masks(w, out)` fills the K vectors for word offset w.
template <int K, typename Masks>
GENOMAP_AVX2 inline void count_vectors(std::size_t vectors, Masks masks, std::int64_t* totals) {
  const __m256i zero = _mm256_setzero_si256();
  std::size_t v = 0;
  while (v < vectors) {
    const std::size_t stop = std::min(vectors, v + 31);
    __m256i acc[K];
    for (int k = 0; k < K; ++k) acc[k] = zero;
    for (; v < stop; ++v) {
      __m256i m[K];
      masks(4 * v, m);
      for (int k = 0; k < K; ++k) acc[k] = _mm256_add_epi8(acc[k], byte_popcount(m[k]));
    }
    for (int k = 0; k < K; ++k) totals[k] += horizontal_sum(_mm256_sad_epu8(acc[k], zero));
  }
}

GENOMAP_AVX2 std::int64_t dot_only(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words) {
  std::int64_t t[2] = {0, 0};
  const std::size_t vectors = words / 4;
  count_vectors<2>(
      vectors,
      [&](std::size_t w, __m256i* m) GENOMAP_AVX2 {
        const __m256i hh = _mm256_and_si256(load(a.hom + w), load(b.hom + w));
        m[0] = hh;
        m[1] = _mm256_and_si256(hh, _mm256_xor_si256(load(a.plus + w), load(b.plus + w)));
      },
      t);
  for (std::size_t w = 4 * vectors; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    t[0] += std::popcount(hh);
    t[1] += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
  }
  return t[0] - 2 * t[1];
}

GENOMAP_AVX2 void dot_and_masked(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words,
                                 std::int64_t& dot, std::int64_t& b_hom, std::int64_t& b_plus) {
  std::int64_t t[4] = {0, 0, 0, 0};
  const std::size_t vectors = words / 4;
  count_vectors<4>(
      vectors,
      [&](std::size_t w, __m256i* m) GENOMAP_AVX2 {
        const __m256i bh = load(b.hom + w), bp = load(b.plus + w), ac = load(a.called + w);
        const __m256i hh = _mm256_and_si256(load(a.hom + w), bh);
        m[0] = hh;
        m[1] = _mm256_and_si256(hh, _mm256_xor_si256(load(a.plus + w), bp));
        m[2] = _mm256_and_si256(bh, ac);
        m[3] = _mm256_and_si256(bp, ac);
      },
      t);
  for (std::size_t w = 4 * vectors; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    t[0] += std::popcount(hh);
    t[1] += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
    t[2] += std::popcount(b.hom[w] & a.called[w]);
    t[3] += std::popcount(b.plus[w] & a.called[w]);
  }
  dot = t[0] - 2 * t[1];
  b_hom = t[2];
  b_plus = t[3];
}

GENOMAP_AVX2 LdPairSums full_pair_sums(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words) {
  std::int64_t t[7] = {0, 0, 0, 0, 0, 0, 0};
  const std::size_t vectors = words / 4;
  count_vectors<7>(
      vectors,
      [&](std::size_t w, __m256i* m) GENOMAP_AVX2 {
        const __m256i ac = load(a.called + w), ah = load(a.hom + w), ap = load(a.plus + w);
        const __m256i bc = load(b.called + w), bh = load(b.hom + w), bp = load(b.plus + w);
        const __m256i hh = _mm256_and_si256(ah, bh);
        m[0] = _mm256_and_si256(ac, bc);
        m[1] = hh;
        m[2] = _mm256_and_si256(hh, _mm256_xor_si256(ap, bp));
        m[3] = _mm256_and_si256(ah, bc);
        m[4] = _mm256_and_si256(ap, bc);
        m[5] = _mm256_and_si256(bh, ac);
        m[6] = _mm256_and_si256(bp, ac);
      },
      t);
  for (std::size_t w = 4 * vectors; w < words; ++w) {
    const std::uint64_t hh = a.hom[w] & b.hom[w];
    t[0] += std::popcount(a.called[w] & b.called[w]);
    t[1] += std::popcount(hh);
    t[2] += std::popcount(hh & (a.plus[w] ^ b.plus[w]));
    t[3] += std::popcount(a.hom[w] & b.called[w]);
    t[4] += std::popcount(a.plus[w] & b.called[w]);
    t[5] += std::popcount(b.hom[w] & a.called[w]);
    t[6] += std::popcount(b.plus[w] & a.called[w]);
  }
  LdPairSums s;
  s.n = t[0];
  s.dot = t[1] - 2 * t[2];
  s.ssq1 = t[3];
  s.sum1 = 2 * t[4] - t[3];
  s.ssq2 = t[5];
  s.sum2 = 2 * t[6] - t[5];
  return s;
}

#undef GENOMAP_AVX2
}  // namespace avx2

bool use_avx2 = __builtin_cpu_supports("avx2");

std::int64_t dot_only(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words) {
  return use_avx2 ? avx2::dot_only(a, b, words) : dot_only_scalar(a, b, words);
}
void dot_and_masked(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words, std::int64_t& dot,
                    std::int64_t& b_hom, std::int64_t& b_plus) {
  if (use_avx2)
    avx2::dot_and_masked(a, b, words, dot, b_hom, b_plus);
  else
    dot_and_masked_scalar(a, b, words, dot, b_hom, b_plus);
}
LdPairSums full_pair_sums(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t words) {
  return use_avx2 ? avx2::full_pair_sums(a, b, words) : full_pair_sums_scalar(a, b, words);
}

// Sample positions whose call is missing (0 bits of the called plane below sample_ct).
void list_missing(const std::uint64_t* called, std::size_t sample_ct, std::vector<std::uint32_t>& out) {
  out.clear();
  const std::size_t words = ld_plane_words(sample_ct);
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t x = ~called[w];
    if (w + 1 == words && sample_ct % 64) x &= (std::uint64_t{1} << (sample_ct % 64)) - 1;
    while (x) {
      out.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(x))));
      x &= x - 1;
    }
  }
}

// Removes from `sum`/`ssq`/`n` (totals of variant p over its called samples) the samples that the other
// variant misses. Cheap when missing calls are rare: a few bit tests per missing sample instead of popcounts
// over every word.
void drop_samples(const LdBitPlanes& p, const MissingList& other_missing, std::int64_t& n, std::int64_t& sum,
                  std::int64_t& ssq) {
  std::int64_t called = 0, hom = 0, plus = 0;
  for (std::size_t k = 0; k < other_missing.ct; ++k) {
    const std::uint32_t s = other_missing.idx[k];
    const unsigned shift = s & 63;
    const std::size_t w = s >> 6;
    called += static_cast<std::int64_t>((p.called[w] >> shift) & 1);
    hom += static_cast<std::int64_t>((p.hom[w] >> shift) & 1);
    plus += static_cast<std::int64_t>((p.plus[w] >> shift) & 1);
  }
  n -= called;
  ssq -= hom;
  sum -= 2 * plus - hom;  // plus implies hom: (+1) count minus (-1) count
}

// The cheapest route to the pairwise-complete sums given each variant's totals over the group.
LdPairSums pair_sums(const LdBitPlanes& a, const PlaneTotals& ta, const MissingList& ma, const LdBitPlanes& b,
                     const PlaneTotals& tb, const MissingList& mb, std::size_t words, Route route) {
  LdPairSums s;
  const bool sparse = route == Route::Sparse || (route == Route::Auto && 2 * (ma.ct + mb.ct) <= words);
  if ((ta.all_called && tb.all_called) || sparse) {
    s.dot = dot_only(a, b, words);
    std::int64_t n1 = ta.called, n2 = tb.called;
    s.sum1 = ta.sum();
    s.ssq1 = ta.hom;
    s.sum2 = tb.sum();
    s.ssq2 = tb.hom;
    drop_samples(a, mb, n1, s.sum1, s.ssq1);
    drop_samples(b, ma, n2, s.sum2, s.ssq2);
    s.n = n1;  // == n2: both are the count of samples called in both
  } else if (tb.all_called) {
    std::int64_t hom = 0, plus = 0;
    dot_and_masked(a, b, words, s.dot, hom, plus);
    s.n = ta.called;
    s.sum1 = ta.sum();
    s.ssq1 = ta.hom;
    s.ssq2 = hom;
    s.sum2 = 2 * plus - hom;
  } else if (ta.all_called) {
    std::int64_t hom = 0, plus = 0;
    dot_and_masked(b, a, words, s.dot, hom, plus);
    s.n = tb.called;
    s.sum2 = tb.sum();
    s.ssq2 = tb.hom;
    s.ssq1 = hom;
    s.sum1 = 2 * plus - hom;
  } else {
    s = full_pair_sums(a, b, words);
  }
  return s;
}

}  // namespace ld_detail

using namespace ld_detail;

bool set_ld_kernel_simd(bool enabled) {
  use_avx2 = enabled && __builtin_cpu_supports("avx2");
  return use_avx2;
}

void split_ld_planes(const std::uint64_t* row, std::size_t sample_ct, std::uint64_t* called,
                     std::uint64_t* hom, std::uint64_t* plus) {
  const std::size_t row_words = (sample_ct + 31) / 32;
  const std::size_t plane_words = ld_plane_words(sample_ct);
  for (std::size_t w = 0; w < plane_words; ++w) {
    std::uint64_t c = 0, h = 0, p = 0;
    for (std::size_t half = 0; half < 2; ++half) {
      const std::size_t rw = 2 * w + half;
      if (rw >= row_words) break;
      const std::uint64_t x = row[rw];
      const std::uint64_t lo = x & kLowBits;
      const std::uint64_t hi = (x >> 1) & kLowBits;
      const std::size_t first = rw * 32;
      const std::uint64_t valid1 =
          sample_ct - first < 32 ? (std::uint64_t{1} << (sample_ct - first)) - 1 : 0xFFFFFFFFULL;
      const unsigned shift = static_cast<unsigned>(32 * half);
      const std::uint64_t lo1 = gather_even_bits(lo), hi1 = gather_even_bits(hi);
      c |= (valid1 & ~(lo1 & ~hi1)) << shift;  // 01 is missing
      h |= (valid1 & ~(lo1 ^ hi1)) << shift;   // 00 or 11
      p |= (lo1 & hi1) << shift;               // 11: hom. allele 2 (REF)
    }
    called[w] = c;
    hom[w] = h;
    plus[w] = p;
  }
}

LdPairSums ld_pair_sums(const LdBitPlanes& a, const LdBitPlanes& b, std::size_t sample_ct, LdRoute route) {
  const std::size_t words = ld_plane_words(sample_ct);
  std::vector<std::uint32_t> miss_a, miss_b;
  list_missing(a.called, sample_ct, miss_a);
  list_missing(b.called, sample_ct, miss_b);
  const Route r = route == LdRoute::Dense    ? Route::Dense
                  : route == LdRoute::Sparse ? Route::Sparse
                                             : Route::Auto;
  return pair_sums(a, plane_totals(a, words, sample_ct), {miss_a.data(), miss_a.size()}, b,
                   plane_totals(b, words, sample_ct), {miss_b.data(), miss_b.size()}, words, r);
}

bool ld_r2_exceeds(const LdPairSums& s, double threshold) {
  // Same integer products and the same floating-point order as plink2, so ties at the threshold fall alike.
  const double cov = static_cast<double>(s.dot * s.n - s.sum1 * s.sum2);
  const double var1 = static_cast<double>(s.ssq1 * s.n - s.sum1 * s.sum1);
  const double var2 = static_cast<double>(s.ssq2 * s.n - s.sum2 * s.sum2);
  return cov * cov > threshold * var1 * var2;
}

double ld_r2(const LdPairSums& s) {
  const double cov = static_cast<double>(s.dot * s.n - s.sum1 * s.sum2);
  const double var1 = static_cast<double>(s.ssq1 * s.n - s.sum1 * s.sum1);
  const double var2 = static_cast<double>(s.ssq2 * s.n - s.sum2 * s.sum2);
  if (var1 <= 0 || var2 <= 0) return std::nan("");
  return cov * cov / (var1 * var2);
}

}  // namespace genomap
