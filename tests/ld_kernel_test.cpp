// The LD r^2 kernel (bit planes + popcounts) against a naive loop over decoded genotypes: random rows with
// missing calls, N not a multiple of 4 or 64, and the fully-called fast paths.
#include "genomap/qc/ld_kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "genomap/core/error.hpp"
#include "genomap/qc/ld_prune.hpp"

namespace genomap {
namespace {

// A compact packed row (32 genotypes per word, .bed codes) from codes 0..3.
std::vector<std::uint64_t> pack(const std::vector<int>& codes) {
  std::vector<std::uint64_t> row((codes.size() + 31) / 32 + 1, 0);
  for (std::size_t i = 0; i < codes.size(); ++i)
    row[i / 32] |= static_cast<std::uint64_t>(codes[i]) << (2 * (i % 32));
  return row;
}

std::vector<int> random_codes(std::size_t n, double missing_rate, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int> codes(n);
  const double p = u(rng) * 0.8 + 0.1;  // allele frequency of this variant
  for (auto& c : codes) {
    if (u(rng) < missing_rate) {
      c = 1;
      continue;
    }
    const int alleles = (u(rng) < p) + (u(rng) < p);
    c = alleles == 0 ? 3 : alleles == 1 ? 2 : 0;  // 11 hom. allele 2, 10 het, 00 hom. allele 1
  }
  return codes;
}

// Copies `codes` with some genotypes replaced by the other variant's, so pairs are in LD.
std::vector<int> correlated_codes(const std::vector<int>& base, double keep, double missing_rate,
                                  std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int> fresh = random_codes(base.size(), missing_rate, rng);
  for (std::size_t i = 0; i < base.size(); ++i)
    if (u(rng) < keep && base[i] != 1 && fresh[i] != 1) fresh[i] = base[i];
  return fresh;
}

// Genotype coded as plink2 does for r^2: hom. allele 2 (REF) +1, het 0, hom. allele 1 (ALT) -1; nullopt
// missing.
bool value(int code, int& v) {
  switch (code) {
    case 0:
      v = -1;
      return true;
    case 2:
      v = 0;
      return true;
    case 3:
      v = 1;
      return true;
    default:
      return false;
  }
}

LdPairSums naive_sums(const std::vector<int>& a, const std::vector<int>& b) {
  LdPairSums s;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int x = 0, y = 0;
    if (!value(a[i], x) || !value(b[i], y)) continue;
    ++s.n;
    s.sum1 += x;
    s.sum2 += y;
    s.ssq1 += x * x;
    s.ssq2 += y * y;
    s.dot += x * y;
  }
  return s;
}

double naive_r2(const std::vector<int>& a, const std::vector<int>& b) {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int x = 0, y = 0;
    if (!value(a[i], x) || !value(b[i], y)) continue;
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double vx = sxx / n - (sx / n) * (sx / n);
  const double vy = syy / n - (sy / n) * (sy / n);
  return cov * cov / (vx * vy);
}

struct Planes {
  std::vector<std::uint64_t> called, hom, plus;
  LdBitPlanes view() const { return {called.data(), hom.data(), plus.data()}; }
};

Planes split(const std::vector<int>& codes) {
  const std::size_t w = ld_plane_words(codes.size());
  Planes p{std::vector<std::uint64_t>(w), std::vector<std::uint64_t>(w), std::vector<std::uint64_t>(w)};
  auto row = pack(codes);
  split_ld_planes(row.data(), codes.size(), p.called.data(), p.hom.data(), p.plus.data());
  return p;
}

TEST(LdKernel, PlanesMatchGenotypes) {
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 2u, 3u, 5u, 31u, 32u, 33u, 63u, 64u, 65u, 127u, 129u, 1001u}) {
    auto codes = random_codes(n, 0.2, rng);
    Planes p = split(codes);
    for (std::size_t i = 0; i < n; ++i) {
      const bool called = (p.called[i / 64] >> (i % 64)) & 1;
      const bool hom = (p.hom[i / 64] >> (i % 64)) & 1;
      const bool plus = (p.plus[i / 64] >> (i % 64)) & 1;
      EXPECT_EQ(called, codes[i] != 1) << n << " " << i;
      EXPECT_EQ(hom, codes[i] == 0 || codes[i] == 3) << n << " " << i;
      EXPECT_EQ(plus, codes[i] == 3) << n << " " << i;
    }
    // Bits past N are zero in every plane (the kernel's counts rely on it).
    const std::size_t w = p.called.size();
    if (n % 64) {
      const std::uint64_t tail = ~((std::uint64_t{1} << (n % 64)) - 1);
      EXPECT_EQ(p.called[w - 1] & tail, 0u);
      EXPECT_EQ(p.hom[w - 1] & tail, 0u);
      EXPECT_EQ(p.plus[w - 1] & tail, 0u);
    }
  }
}

TEST(LdKernel, PairSumsMatchNaiveLoopWithMissingCalls) {
  std::mt19937_64 rng(2024);
  int checked = 0;
  for (std::size_t n : {2u, 3u, 5u, 31u, 33u, 63u, 64u, 65u, 127u, 129u, 1001u, 4099u}) {
    for (int rep = 0; rep < 20; ++rep) {
      // Missing rates: both with missing calls, one fully called, both fully called (the fast paths).
      const double miss_a = rep % 4 == 0 ? 0.0 : 0.1;
      const double miss_b = rep % 4 == 1 || rep % 4 == 0 ? 0.0 : 0.15;
      auto a = random_codes(n, miss_a, rng);
      auto b = rep % 2 ? correlated_codes(a, 0.8, miss_b, rng) : random_codes(n, miss_b, rng);
      Planes pa = split(a), pb = split(b);
      const LdPairSums want = naive_sums(a, b);
      // Every route (popcounts over all words, totals minus the other's missing samples), with and without
      // the AVX2 kernels, gives the same sums.
      for (int simd = 0; simd < 2; ++simd)
        for (LdRoute route : {LdRoute::Dense, LdRoute::Sparse, LdRoute::Auto}) {
          set_ld_kernel_simd(simd == 1);
          const LdPairSums s = ld_pair_sums(pa.view(), pb.view(), n, route);
          const int r = static_cast<int>(route) + 10 * simd;
          ASSERT_EQ(s.n, want.n) << n << " rep " << rep << " route " << r;
          EXPECT_EQ(s.sum1, want.sum1) << n << " rep " << rep << " route " << r;
          EXPECT_EQ(s.sum2, want.sum2) << n << " rep " << rep << " route " << r;
          EXPECT_EQ(s.ssq1, want.ssq1) << n << " rep " << rep << " route " << r;
          EXPECT_EQ(s.ssq2, want.ssq2) << n << " rep " << rep << " route " << r;
          EXPECT_EQ(s.dot, want.dot) << n << " rep " << rep << " route " << r;
        }
      set_ld_kernel_simd(true);
      const LdPairSums got = ld_pair_sums(pa.view(), pb.view(), n);
      const double r2 = naive_r2(a, b);
      if (std::isfinite(r2)) {
        EXPECT_NEAR(ld_r2(got), r2, 1e-12) << n << " rep " << rep;
        // The division-free test agrees with r^2 away from the threshold.
        for (double t : {0.05, 0.2, 0.5, 0.9})
          if (std::fabs(r2 - t) > 1e-9) {
            EXPECT_EQ(ld_r2_exceeds(got, t), r2 > t) << n << " " << t;
          }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(LdKernel, PerfectAndAbsentCorrelation) {
  // Identical variants: r^2 = 1 and above any threshold below 1; a constant variant never exceeds.
  std::vector<int> a = {0, 2, 3, 3, 2, 0, 1, 3, 2};
  Planes pa = split(a);
  const LdPairSums same = ld_pair_sums(pa.view(), pa.view(), a.size());
  EXPECT_DOUBLE_EQ(ld_r2(same), 1.0);
  EXPECT_TRUE(ld_r2_exceeds(same, 0.99));
  std::vector<int> flat = {2, 2, 2, 2, 2, 2, 2, 2, 2};
  Planes pf = split(flat);
  const LdPairSums none = ld_pair_sums(pa.view(), pf.view(), a.size());
  EXPECT_TRUE(std::isnan(ld_r2(none)));
  EXPECT_FALSE(ld_r2_exceeds(none, 0.0));
  // Opposite coding (allele swap) gives the same r^2.
  std::vector<int> swapped;
  for (int c : a) swapped.push_back(c == 0 ? 3 : c == 3 ? 0 : c);
  Planes ps = split(swapped);
  EXPECT_DOUBLE_EQ(ld_r2(ld_pair_sums(pa.view(), ps.view(), a.size())), 1.0);
}

TEST(LdKernel, IndepPairwiseArguments) {
  PruneOptions o = parse_indep_pairwise({"50", "5", "0.2"});
  EXPECT_FALSE(o.window_kb);
  EXPECT_EQ(o.window_variants, 50u);
  EXPECT_EQ(o.step, 5u);
  EXPECT_DOUBLE_EQ(o.r2_threshold, 0.2);
  o = parse_indep_pairwise({"500kb", "0.5"});
  EXPECT_TRUE(o.window_kb);
  EXPECT_EQ(o.window_bp, 500000u);
  EXPECT_EQ(o.step, 1u);
  o = parse_indep_pairwise({"0.3", "kb", "1", "0.1"});
  EXPECT_TRUE(o.window_kb);
  EXPECT_EQ(o.window_bp, 300u);
  EXPECT_THROW(parse_indep_pairwise({"50", "5"}), Error);           // 5 is not a valid r^2 (>= 1)
  EXPECT_THROW(parse_indep_pairwise({"50", "60", "0.2"}), Error);   // step larger than window
  EXPECT_THROW(parse_indep_pairwise({"50kb", "5", "0.2"}), Error);  // kb needs step 1
  EXPECT_THROW(parse_indep_pairwise({"x", "5", "0.2"}), Error);
  EXPECT_THROW(parse_indep_pairwise({"50", "5", "1.0"}), Error);
}

}  // namespace
}  // namespace genomap
