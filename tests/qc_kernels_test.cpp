// QC kernels against naive implementations: plink2 number formatting, vertical per-sample counters, masked
// genotype counts, and the exact Hardy-Weinberg tests (autosomal and chrX) against full enumeration.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "genomap/geno/kernels.hpp"
#include "genomap/io/number_format.hpp"
#include "genomap/qc/hardy_exact.hpp"
#include "genomap/qc/ploidy.hpp"
#include "genomap/qc/sample_counters.hpp"

namespace genomap {
namespace {

TEST(QcNumberFormat, DecimalTiesRoundHalfToEven) {
  EXPECT_EQ(format_g6(93.0 / 640), "0.145312");  // %.6g gives 0.145313 (the double lies above the tie)
  EXPECT_EQ(format_g6(0.1453135), "0.145314");   // tie with odd last digit rounds up
  EXPECT_EQ(format_g6(2.5), "2.5");
  EXPECT_EQ(format_g6(1234565.0), "1.23456e+06");
  EXPECT_EQ(format_g6(1234575.0), "1.23458e+06");
}

TEST(QcNumberFormat, SpecialValuesAndRanges) {
  EXPECT_EQ(format_g6(0.0), "0");
  EXPECT_EQ(format_g6(std::nan("")), "nan");
  EXPECT_EQ(format_g6(1.0), "1");
  EXPECT_EQ(format_g6(-0.25), "-0.25");
  EXPECT_EQ(format_g6(0.0001), "0.0001");
  EXPECT_EQ(format_g6(0.00001), "1e-05");
  EXPECT_EQ(format_g6(999999.4), "999999");
  EXPECT_EQ(format_g6(999999.6), "1e+06");
  EXPECT_EQ(format_g6(1e-300), "1e-300");
  EXPECT_EQ(format_g6(6.02214076e23), "6.02214e+23");
  EXPECT_EQ(format_g6(9025.0), "9025");
}

// Away from decimal ties the result is the correctly rounded %.6g.
TEST(QcNumberFormat, MatchesPrintfAwayFromTies) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  char buf[64];
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const double x = mantissa(rng) * std::pow(10.0, exponent(rng));
    const double scaled = x / std::pow(10.0, std::floor(std::log10(x))) * 1e5;
    const double frac = scaled - std::floor(scaled);
    if (std::fabs(frac - 0.5) < 1e-6) continue;
    std::snprintf(buf, sizeof buf, "%.6g", x);
    ASSERT_EQ(format_g6(x), buf) << x;
    ++checked;
  }
  EXPECT_GT(checked, 190000);
}

TEST(QcSampleCounters, MatchNaiveCounts) {
  std::mt19937_64 rng(11);
  for (std::size_t variants : {0u, 1u, 2u, 3u, 4u, 14u, 15u, 16u, 254u, 255u, 256u, 257u, 1000u, 5000u}) {
    std::vector<std::uint64_t> flags(variants);
    for (auto& f : flags) f = rng() & kLowBits;
    std::vector<std::uint32_t> counters(32, 7), expect(32, 7);
    add_sample_flag_counts(variants, [&](std::size_t v) { return flags[v]; }, counters.data());
    for (std::size_t v = 0; v < variants; ++v)
      for (int j = 0; j < 32; ++j)
        expect[static_cast<std::size_t>(j)] += static_cast<std::uint32_t>((flags[v] >> (2 * j)) & 1u);
    EXPECT_EQ(counters, expect) << variants;
  }
  // All flags set: the largest value each intermediate field reaches.
  std::vector<std::uint32_t> counters(32, 0);
  add_sample_flag_counts(100000, [](std::size_t) { return kLowBits; }, counters.data());
  for (auto c : counters) EXPECT_EQ(c, 100000u);
}

TEST(QcPloidyCounts, MaskedCountsMatchNaiveLoop) {
  std::mt19937_64 rng(5);
  for (std::size_t n : {1u, 5u, 31u, 33u, 64u, 97u, 1001u}) {
    const std::size_t words = (n + 31) / 32;
    std::vector<std::uint64_t> row(words, 0), mask(words, 0);
    std::vector<int> code(n), in(n);
    std::size_t mask_ct = 0;
    for (std::size_t i = 0; i < n; ++i) {
      code[i] = static_cast<int>(rng() % 4);
      in[i] = static_cast<int>(rng() % 3 != 0);
      row[i / 32] |= static_cast<std::uint64_t>(code[i]) << (2 * (i % 32));
      if (in[i]) {
        mask[i / 32] |= std::uint64_t{1} << (2 * (i % 32));
        ++mask_ct;
      }
    }
    const GenotypeCounts c = count_genotypes_masked(row.data(), mask.data(), words, mask_ct);
    std::uint32_t expect[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < n; ++i)
      if (in[i]) ++expect[code[i]];
    EXPECT_EQ(c.hom1, expect[0]);
    EXPECT_EQ(c.missing, expect[1]);
    EXPECT_EQ(c.het, expect[2]);
    EXPECT_EQ(c.hom2, expect[3]);
  }
}

double log_factorial(double k) { return std::lgamma(k + 1); }

// Autosomal exact test by enumerating every heterozygote count with the observed allele counts.
double naive_hwe_p(int het, int hom1, int hom2, bool midp) {
  const int n = het + hom1 + hom2, a1 = 2 * hom1 + het;
  auto log_prob = [&](int h) {
    const int x1 = (a1 - h) / 2, x2 = n - h - x1;
    return log_factorial(n) - log_factorial(x1) - log_factorial(h) - log_factorial(x2) + h * std::log(2.0) +
           log_factorial(a1) + log_factorial(2 * n - a1) - log_factorial(2 * n);
  };
  const double obs = log_prob(het);
  double p = 0, ties = 0;
  for (int h = a1 % 2; h <= std::min(a1, 2 * n - a1); h += 2) {
    const double lp = log_prob(h);
    if (lp <= obs + 1e-9) p += std::exp(lp);
    if (std::fabs(lp - obs) <= 1e-9) ties += std::exp(lp);
  }
  return std::min(1.0, midp ? p - 0.5 * ties : p);
}

// chrX exact test by enumerating every (male allele-1 count, female heterozygote count) with the observed
// total allele count.
double naive_hwe_x_p(int f11, int f12, int f22, int m1, int m2, bool midp) {
  const int nf = f11 + f12 + f22, nm = m1 + m2, a1 = 2 * f11 + f12 + m1;
  auto log_w = [&](int fa, int fh, int fb, int ma, int mb) {
    return fh * std::log(2.0) - log_factorial(fa) - log_factorial(fh) - log_factorial(fb) - log_factorial(ma) -
           log_factorial(mb);
  };
  const double obs = log_w(f11, f12, f22, m1, m2);
  double total = 0, p = 0, ties = 0;
  for (int ma = 0; ma <= std::min(nm, a1); ++ma) {
    const int fa1 = a1 - ma;
    if (fa1 > 2 * nf) continue;
    for (int h = fa1 % 2; h <= std::min(fa1, 2 * nf - fa1); h += 2) {
      const int x11 = (fa1 - h) / 2, x22 = nf - h - x11;
      const double w = std::exp(log_w(x11, h, x22, ma, nm - ma) - obs);
      total += w;
      if (w <= 1 + 1e-9) p += w;
      if (std::fabs(w - 1) <= 1e-9) ties += w;
    }
  }
  return std::min(1.0, (midp ? p - 0.5 * ties : p) / total);
}

TEST(QcHardyExact, AutosomalMatchesEnumeration) {
  std::mt19937_64 rng(9);
  for (int t = 0; t < 300; ++t) {
    const int het = static_cast<int>(rng() % 60), hom1 = static_cast<int>(rng() % 80), hom2 = static_cast<int>(rng() % 20);
    for (bool midp : {false, true}) {
      const double expect = naive_hwe_p(het, hom1, hom2, midp);
      const double got = hardy_weinberg_exact_p(static_cast<std::uint32_t>(het), static_cast<std::uint32_t>(hom1),
                                                static_cast<std::uint32_t>(hom2), midp);
      // Relative: the p-values reach far below 1e-9, where an absolute bound would accept anything. The kernel
      // and the enumeration sum the same probabilities in different orders: agreement to ~1e-13 relative.
      EXPECT_NEAR(got, expect, 1e-11 * expect) << het << " " << hom1 << " " << hom2;
    }
  }
}

TEST(QcHardyExact, ChrXMatchesEnumeration) {
  std::mt19937_64 rng(13);
  for (int t = 0; t < 200; ++t) {
    const int f11 = static_cast<int>(rng() % 40), f12 = static_cast<int>(rng() % 30), f22 = static_cast<int>(rng() % 10);
    const int m1 = static_cast<int>(rng() % 40), m2 = static_cast<int>(rng() % 15);
    for (bool midp : {false, true}) {
      const double expect = naive_hwe_x_p(f11, f12, f22, m1, m2, midp);
      const double got = hardy_weinberg_x_exact_p(static_cast<std::uint32_t>(f11), static_cast<std::uint32_t>(f12),
                                                  static_cast<std::uint32_t>(f22), static_cast<std::uint32_t>(m1),
                                                  static_cast<std::uint32_t>(m2), midp);
      EXPECT_NEAR(got, expect, 1e-9 * expect + 1e-15) << f11 << " " << f12 << " " << f22 << " " << m1 << " " << m2;
    }
  }
  EXPECT_EQ(hardy_weinberg_x_exact_p(0, 0, 0, 0, 0), 1.0);
}

}  // namespace
}  // namespace genomap
