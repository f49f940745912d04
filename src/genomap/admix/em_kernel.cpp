#include "genomap/admix/em_kernel.hpp"

#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"

namespace genomap {
namespace {

// Allele-1 counts (g) and allele-2 counts (2 - g) of the four codes of a byte; missing is 0 in both, so a
// missing genotype adds nothing anywhere.
struct CodeTables {
  alignas(32) double alt[256][4];
  alignas(32) double ref[256][4];
  CodeTables() {
    constexpr double kAlt[4] = {2.0, 0.0, 1.0, 0.0};  // codes 00, 01 (missing), 10, 11
    constexpr double kRef[4] = {0.0, 0.0, 1.0, 2.0};
    for (unsigned b = 0; b < 256; ++b)
      for (unsigned s = 0; s < 4; ++s) {
        alt[b][s] = kAlt[(b >> (2 * s)) & 3];
        ref[b][s] = kRef[(b >> (2 * s)) & 3];
      }
  }
};
const CodeTables kTables;

constexpr std::size_t kVariantChunk = 64;      // variants swept per sample tile
constexpr std::size_t kTileBytes = 96 * 1024;  // Q and S of one sample tile

std::size_t tile_groups(std::size_t k) { return std::max<std::size_t>(16, kTileBytes / (k * 64) / 16 * 16); }

inline std::size_t variant_at(const std::uint32_t* variants, std::size_t first, std::size_t t) {
  return variants ? variants[t] : first + t;
}

// Finishes the P update of variant j from T1 = sum a q and T2 = sum b q.
inline void finish_p(const double* pj, const double* t1, const double* t2, std::size_t k, double* next_pj) {
  for (std::size_t c = 0; c < k; ++c) {
    const double num = pj[c] * t1[c];
    const double den = num + (1.0 - pj[c]) * t2[c];
    next_pj[c] = den > 0 ? num / den : pj[c];
  }
}

// Portable version: one genotype at a time, the same arithmetic as the vector kernel.
double sweep_generic(const EmSweep& e, const std::uint32_t* variants, std::size_t first, std::size_t count,
                     double* next_p, double* s) {
  const AdmixGenotypes& geno = *e.genotypes;
  const std::size_t k = e.k, n = geno.sample_ct, n_pad = geno.padded_samples();
  std::vector<double> t1(k), t2(k);
  double total = 0.0;
  for (std::size_t t = 0; t < count; ++t) {
    const std::size_t j = variant_at(variants, first, t);
    const double w = e.weight ? e.weight[j] : 1.0;
    const double* pj = e.p + j * k;
    if (w == 0.0) {
      std::copy(pj, pj + k, next_p + j * k);
      continue;
    }
    std::fill(t1.begin(), t1.end(), 0.0);
    std::fill(t2.begin(), t2.end(), 0.0);
    const std::uint8_t* row = reinterpret_cast<const std::uint8_t*>(geno.row(j));
    double product = 1.0;
    int exponent = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned byte = row[i / 4];
      const double g_alt = kTables.alt[byte][i % 4], g_ref = kTables.ref[byte][i % 4];
      if (g_alt + g_ref == 0.0) continue;
      double h = 0.0;
      for (std::size_t c = 0; c < k; ++c) h += e.qt[c * n_pad + i] * pj[c];
      const double r = 1.0 - h;
      const double inv = 1.0 / (h * r);
      const double a = g_alt * r * inv, b = g_ref * h * inv;
      for (std::size_t c = 0; c < k; ++c) {
        t1[c] += a * e.qt[c * n_pad + i];
        t2[c] += b * e.qt[c * n_pad + i];
        s[c * n_pad + i] += w * b + w * (a - b) * pj[c];
      }
      if (e.log_likelihood) {
        product *= (g_alt > 0.5 ? h : r) * (g_alt > 1.5 ? h : r);
        int ex = 0;
        product = std::frexp(product, &ex);
        exponent += ex;
      }
    }
    if (e.log_likelihood) total += w * (std::log(product) + exponent * std::log(2.0));
    finish_p(pj, t1.data(), t2.data(), k, next_p + j * k);
  }
  return total;
}

// AVX2 + FMA: four samples per vector; K fixed at compile time (KT > 0) keeps the accumulators in registers.
template <int KT, bool kLogLik>
[[gnu::target("avx2,fma")]] double sweep_avx2(const EmSweep& e, const std::uint32_t* variants,
                                              std::size_t first, std::size_t count, double* next_p,
                                              double* s) {
  constexpr int kMax = KT > 0 ? KT : 64;
  const AdmixGenotypes& geno = *e.genotypes;
  const int k = KT > 0 ? KT : static_cast<int>(e.k);
  const std::size_t n_pad = geno.padded_samples(), groups = n_pad / 4;
  const std::size_t tile = tile_groups(static_cast<std::size_t>(k));
  const std::size_t partial_group = geno.sample_ct % 4 ? groups - 1 : groups;
  unsigned padding_missing = 0;
  for (std::size_t slot = geno.sample_ct % 4; slot != 0 && slot < 4; ++slot)
    padding_missing |= 1u << (2 * slot);
  alignas(32) double t1[kVariantChunk][kMax], t2[kVariantChunk][kMax];
  double ll[kVariantChunk];
  const __m256d one = _mm256_set1_pd(1.0), half = _mm256_set1_pd(0.5), one_half = _mm256_set1_pd(1.5);
  const __m256i exponent_mask = _mm256_set1_epi64x(0x7ff0000000000000LL);
  const __m256i exponent_bias = _mm256_set1_epi64x(1023);
  const __m256i one_bits = _mm256_set1_epi64x(0x3ff0000000000000LL);
  double total = 0.0;
  for (std::size_t c0 = 0; c0 < count; c0 += kVariantChunk) {
    const std::size_t chunk = std::min(kVariantChunk, count - c0);
    for (std::size_t v = 0; v < chunk; ++v) {
      std::fill(t1[v], t1[v] + k, 0.0);
      std::fill(t2[v], t2[v] + k, 0.0);
      ll[v] = 0.0;
    }
    for (std::size_t g0 = 0; g0 < groups; g0 += tile) {
      const std::size_t g1 = std::min(groups, g0 + tile);
      for (std::size_t v = 0; v < chunk; ++v) {
        const std::size_t j = variant_at(variants, first, c0 + v);
        const double w = e.weight ? e.weight[j] : 1.0;
        if (w == 0.0) continue;
        const double* pj = e.p + j * static_cast<std::size_t>(k);
        const std::uint8_t* row = reinterpret_cast<const std::uint8_t*>(geno.row(j));
        __m256d pk[kMax];
        for (int c = 0; c < k; ++c) pk[c] = _mm256_set1_pd(pj[c]);
        const __m256d wv = _mm256_set1_pd(w);
        __m256d product = one;
        __m256i exponent = _mm256_setzero_si256();
        __m256d acc1[kMax], acc2[kMax];
        for (int c = 0; c < k; ++c) acc1[c] = acc2[c] = _mm256_setzero_pd();
        for (std::size_t g = g0; g < g1;) {
          const std::size_t g_end = std::min(g1, g + 16);
          for (; g < g_end; ++g) {
            // The codes past the last sample (zero in the row) read as missing in the last, partial group.
            const unsigned byte = g == partial_group ? row[g] | padding_missing : row[g];
            const __m256d g_alt = _mm256_load_pd(kTables.alt[byte]);
            const __m256d g_ref = _mm256_load_pd(kTables.ref[byte]);
            const double* qg = e.qt + 4 * g;
            // Two independent chains shorten the latency of h.
            __m256d h = _mm256_mul_pd(_mm256_loadu_pd(qg), pk[0]);
            __m256d h2 = k > 1 ? _mm256_mul_pd(_mm256_loadu_pd(qg + n_pad), pk[1]) : _mm256_setzero_pd();
            for (int c = 2; c + 1 < k; c += 2) {
              h = _mm256_fmadd_pd(_mm256_loadu_pd(qg + c * n_pad), pk[c], h);
              h2 = _mm256_fmadd_pd(_mm256_loadu_pd(qg + (c + 1) * n_pad), pk[c + 1], h2);
            }
            if (k > 2 && k % 2 == 1) h = _mm256_fmadd_pd(_mm256_loadu_pd(qg + (k - 1) * n_pad), pk[k - 1], h);
            h = _mm256_add_pd(h, h2);
            const __m256d r = _mm256_sub_pd(one, h);
            const __m256d inv = _mm256_div_pd(one, _mm256_mul_pd(h, r));
            const __m256d a = _mm256_mul_pd(_mm256_mul_pd(g_alt, r), inv);
            const __m256d b = _mm256_mul_pd(_mm256_mul_pd(g_ref, h), inv);
            for (int c = 0; c < k; ++c) {
              const __m256d q = _mm256_loadu_pd(qg + c * n_pad);
              acc1[c] = _mm256_fmadd_pd(a, q, acc1[c]);
              acc2[c] = _mm256_fmadd_pd(b, q, acc2[c]);
            }
            const __m256d wb = _mm256_mul_pd(wv, b);
            const __m256d wd = _mm256_mul_pd(wv, _mm256_sub_pd(a, b));
            double* sg = s + 4 * g;
            for (int c = 0; c < k; ++c) {
              double* sc = sg + c * n_pad;
              _mm256_storeu_pd(sc, _mm256_fmadd_pd(wd, pk[c], _mm256_add_pd(_mm256_loadu_pd(sc), wb)));
            }
            if constexpr (kLogLik) {
              // Likelihood factor h^g (1 - h)^(2 - g), 1 for missing: u v with u = h if g >= 1 else 1 - h,
              // v = h if g = 2 else 1 - h, replaced by 1 where both counts are 0.
              const __m256d u = _mm256_blendv_pd(r, h, _mm256_cmp_pd(g_alt, half, _CMP_GT_OQ));
              const __m256d vv = _mm256_blendv_pd(r, h, _mm256_cmp_pd(g_alt, one_half, _CMP_GT_OQ));
              const __m256d missing = _mm256_cmp_pd(_mm256_add_pd(g_alt, g_ref), half, _CMP_LT_OQ);
              product = _mm256_mul_pd(product, _mm256_blendv_pd(_mm256_mul_pd(u, vv), one, missing));
            }
          }
          if constexpr (kLogLik) {
            // Every factor is at least 1e-10, so 16 of them cannot underflow; move the binary exponent out.
            const __m256i bits = _mm256_castpd_si256(product);
            exponent = _mm256_add_epi64(
                exponent, _mm256_sub_epi64(_mm256_srli_epi64(_mm256_and_si256(bits, exponent_mask), 52),
                                           exponent_bias));
            product =
                _mm256_castsi256_pd(_mm256_or_si256(_mm256_andnot_si256(exponent_mask, bits), one_bits));
          }
        }
        alignas(32) double lanes[4];
        for (int c = 0; c < k; ++c) {
          _mm256_store_pd(lanes, acc1[c]);
          t1[v][c] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
          _mm256_store_pd(lanes, acc2[c]);
          t2[v][c] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        }
        if constexpr (kLogLik) {
          alignas(32) std::int64_t ex[4];
          _mm256_store_pd(lanes, product);
          _mm256_store_si256(reinterpret_cast<__m256i*>(ex), exponent);
          double sum = 0.0;
          for (int lane = 0; lane < 4; ++lane)
            sum += std::log(lanes[lane]) + static_cast<double>(ex[lane]) * 0.69314718055994530942;
          ll[v] += sum;
        }
      }
    }
    for (std::size_t v = 0; v < chunk; ++v) {
      const std::size_t j = variant_at(variants, first, c0 + v);
      const double w = e.weight ? e.weight[j] : 1.0;
      const double* pj = e.p + j * static_cast<std::size_t>(k);
      if (w == 0.0) {
        std::copy(pj, pj + k, next_p + j * static_cast<std::size_t>(k));
        continue;
      }
      finish_p(pj, t1[v], t2[v], static_cast<std::size_t>(k), next_p + j * static_cast<std::size_t>(k));
      total += w * ll[v];
    }
  }
  return total;
}

template <bool kLogLik>
double dispatch_avx2(const EmSweep& e, const std::uint32_t* variants, std::size_t first, std::size_t count,
                     double* next_p, double* s) {
  switch (e.k) {
    case 2:
      return sweep_avx2<2, kLogLik>(e, variants, first, count, next_p, s);
    case 3:
      return sweep_avx2<3, kLogLik>(e, variants, first, count, next_p, s);
    case 4:
      return sweep_avx2<4, kLogLik>(e, variants, first, count, next_p, s);
    case 5:
      return sweep_avx2<5, kLogLik>(e, variants, first, count, next_p, s);
    case 6:
      return sweep_avx2<6, kLogLik>(e, variants, first, count, next_p, s);
    case 7:
      return sweep_avx2<7, kLogLik>(e, variants, first, count, next_p, s);
    case 8:
      return sweep_avx2<8, kLogLik>(e, variants, first, count, next_p, s);
    default:
      break;
  }
  if (e.k <= 64) return sweep_avx2<0, kLogLik>(e, variants, first, count, next_p, s);
  return sweep_generic(e, variants, first, count, next_p, s);
}

}  // namespace

AdmixGenotypes load_admix_genotypes(const Dataset& data, const Context& ctx) {
  AdmixGenotypes g;
  g.sample_ct = data.sample_ct();
  g.variant_ct = data.variant_ct();
  g.words_per_row = (g.sample_ct + 31) / 32;
  ctx.memory.require(g.words_per_row * 8 * g.variant_ct, "admixture: the packed genotypes in memory");
  std::size_t sex_chromosome_ct = 0;
  for (std::size_t v = 0; v < data.variant_ct(); ++v)
    sex_chromosome_ct += is_haploid_or_sex(chromosome_code(data.variant(v).chrom));
  if (sex_chromosome_ct > 0)
    ctx.note(
        fmt::format("admixture: {} variants on X, Y or MT used as stored (males' hemizygous calls as "
                    "homozygous), as ADMIXTURE does without --haploid; --autosome leaves them out",
                    sex_chromosome_ct));
  g.words.assign(g.words_per_row * g.variant_ct, 0);
  for_each_block(data, ctx, 4096, "admixture: loading genotypes", [&](const GenotypeBlock& b) {
    for (std::size_t v = 0; v < b.variant_ct(); ++v)
      std::copy_n(b.row(v), g.words_per_row, g.row(b.first_variant_idx() + v));
  });
  return g;
}

EmKernelKind best_em_kernel() {
  static const EmKernelKind best = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                                       ? EmKernelKind::Avx2
                                       : EmKernelKind::Generic;
  return best;
}

double em_sweep(const EmSweep& sweep, const std::uint32_t* variants, std::size_t first, std::size_t count,
                double* next_p, double* s, EmKernelKind kind) {
  if (kind == EmKernelKind::Avx2) {
    return sweep.log_likelihood ? dispatch_avx2<true>(sweep, variants, first, count, next_p, s)
                                : dispatch_avx2<false>(sweep, variants, first, count, next_p, s);
  }
  return sweep_generic(sweep, variants, first, count, next_p, s);
}

}  // namespace genomap
