// The KING bit-plane kernel against a naive double loop over genotype codes, on random data with missing
// genotypes, sample counts that are not multiples of 4, 32 or 64, and variant counts that are not multiples
// of 64 or of the chunk size; the kinship formula against the paper's form; the degree boundaries; the greedy
// unrelated set.
#include "genomap/relate/king_kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "genomap/relate/king.hpp"
#include "genomap/relate/unrelated_set.hpp"

namespace genomap {
namespace {

// Random codes (0 hom1, 1 missing, 2 het, 3 hom2) with the given missing rate, variant-major.
std::vector<std::uint8_t> random_codes(std::size_t n, std::size_t m, double missing, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::uint8_t> codes(n * m);
  for (std::size_t v = 0; v < m; ++v) {
    const double p = 0.05 + 0.9 * u(rng);
    for (std::size_t s = 0; s < n; ++s) {
      std::uint8_t c;
      if (u(rng) < missing)
        c = 1;
      else {
        const int alleles = (u(rng) < p) + (u(rng) < p);
        c = alleles == 2 ? 3 : alleles == 1 ? 2 : 0;
      }
      codes[v * n + s] = c;
    }
  }
  return codes;
}

std::vector<std::uint64_t> pack_rows(const std::vector<std::uint8_t>& codes, std::size_t n, std::size_t m) {
  const std::size_t wpr = (n + 31) / 32;
  std::vector<std::uint64_t> rows(m * wpr, 0);
  for (std::size_t v = 0; v < m; ++v)
    for (std::size_t s = 0; s < n; ++s)
      rows[v * wpr + s / 32] |= std::uint64_t{codes[v * n + s]} << (2 * (s % 32));
  return rows;
}

KingPairCounts naive_counts(const std::vector<std::uint8_t>& codes, std::size_t n, std::size_t m,
                            std::size_t i, std::size_t j) {
  KingPairCounts c;
  for (std::size_t v = 0; v < m; ++v) {
    const int a = codes[v * n + i], b = codes[v * n + j];
    if (a == 1 || b == 1) continue;
    ++c.nsnp;
    if (a == 2 && b == 2) ++c.hethet;
    if ((a == 0 && b == 3) || (a == 3 && b == 0)) ++c.ibs0;
    if (a == 2 && b != 2) ++c.het_i_hom_j;
    if (b == 2 && a != 2) ++c.het_j_hom_i;
  }
  return c;
}

TEST(KingKernel, TransposeMatchesNaive) {
  std::mt19937_64 rng(3);
  std::uint64_t m[64], original[64];
  for (auto& w : original) w = rng();
  std::copy(original, original + 64, m);
  transpose_bits_64(m);
  for (int r = 0; r < 64; ++r)
    for (int c = 0; c < 64; ++c) ASSERT_EQ((m[c] >> r) & 1, (original[r] >> c) & 1) << r << "," << c;
}

TEST(KingKernel, PairCountsMatchNaiveDoubleLoop) {
  std::mt19937_64 rng(11);
  struct Shape {
    std::size_t n, m;
    double missing;
  };
  for (Shape shape : {Shape{2, 1, 0.0}, Shape{3, 63, 0.1}, Shape{33, 1025, 0.05}, Shape{65, 2100, 0.02},
                      Shape{97, 130, 0.3}, Shape{130, 3000, 0.0}, Shape{100, 2500, 0.01},
                      Shape{75, 1100, 0.3}, Shape{64, 4096, 0.01}}) {
    const auto codes = random_codes(shape.n, shape.m, shape.missing, rng);
    const auto rows = pack_rows(codes, shape.n, shape.m);
    std::vector<KingPairCounts> expect(shape.n * shape.n);
    for (std::size_t j = 0; j < shape.n; ++j)
      for (std::size_t i = 0; i < j; ++i)
        expect[j * shape.n + i] = naive_counts(codes, shape.n, shape.m, i, j);
    std::vector<KingKernel> kernels = {KingKernel::Generic};
    if (__builtin_cpu_supports("popcnt")) kernels.push_back(KingKernel::Popcnt);
    if (__builtin_cpu_supports("avx2"))
      kernels.push_back(KingKernel::Avx2);
    else
      std::printf("AVX2 KING kernel NOT tested: this processor lacks AVX2\n");
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq"))
      kernels.push_back(KingKernel::Avx512);
    else
      std::printf("AVX-512 KING kernel NOT tested: this processor lacks AVX-512 VPOPCNTDQ\n");
    for (KingMissingMode mode : {KingMissingMode::Dense, KingMissingMode::Sparse, KingMissingMode::Auto}) {
      for (KingKernel kernel : kernels) {
        for (std::size_t tile : {7, 32}) {
          std::vector<KingPairCounts> counts(shape.n * shape.n);
          KingSampleTotals totals;
          // The variants in two blocks (the first a whole number of chunks or not), as the driver passes
          // them.
          const std::size_t split = tile == 7 ? std::min(shape.m, kKingChunkVariants) : shape.m / 2;
          for (auto [v0, v1] : {std::pair{std::size_t{0}, split}, std::pair{split, shape.m}}) {
            KingBitPlanes planes;
            planes.load(rows.data() + v0 * ((shape.n + 31) / 32), v1 - v0, (shape.n + 31) / 32, shape.n, 2,
                        mode);
            if (mode != KingMissingMode::Auto) {
              EXPECT_EQ(planes.sparse(), mode == KingMissingMode::Sparse);
            }
            totals.add(planes);
            // Tiles of odd (or the driver's 32 x 32) shapes over the whole triangle.
            const std::size_t cols = tile == 7 ? 13 : 32;
            for (std::size_t r = 0; r < shape.n; r += tile)
              for (std::size_t c = 0; c < shape.n; c += cols)
                accumulate_king_tile(planes, r, std::min(r + tile, shape.n), c, std::min(c + cols, shape.n),
                                     counts.data() + r * shape.n, shape.n, kernel);
          }
          if (totals.het.empty()) {  // no variants
            totals.het.assign(shape.n, 0);
            totals.missing.assign(shape.n, 0);
          }
          finalize_king_counts(counts.data(), shape.n, 0, shape.n, totals, 2);
          for (std::size_t j = 0; j < shape.n; ++j)
            for (std::size_t i = 0; i < j; ++i)
              ASSERT_EQ(counts[j * shape.n + i], expect[j * shape.n + i])
                  << "kernel " << static_cast<int>(kernel) << " mode " << static_cast<int>(mode)
                  << " n=" << shape.n << " m=" << shape.m << " tile " << tile << " pair " << i << "," << j;
          // Nothing is written on or above the diagonal.
          for (std::size_t j = 0; j < shape.n; ++j)
            for (std::size_t i = j; i < shape.n; ++i) ASSERT_EQ(counts[j * shape.n + i], KingPairCounts{});
        }
      }
    }
  }
}

TEST(KingKernel, AutoModeFollowsTheMissingRate) {
  std::mt19937_64 rng(13);
  for (auto [missing, sparse] : {std::pair{0.0, true}, std::pair{0.01, true}, std::pair{0.3, false}}) {
    const auto codes = random_codes(70, 2000, missing, rng);
    const auto rows = pack_rows(codes, 70, 2000);
    KingBitPlanes planes;
    planes.load(rows.data(), 2000, 3, 70, 1);
    EXPECT_EQ(planes.sparse(), sparse) << missing;
  }
}

TEST(KingKernel, KinshipFollowsPaperFormula) {
  // Manichaikul et al. 2010 eq. 11 as written there: (N_AaAa - 2 N_AA,aa) / (2 N_Aa^(i)) + 1/2
  //   - (N_Aa^(i) + N_Aa^(j)) / (4 N_Aa^(i)), with i the sample with fewer heterozygotes.
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::uint32_t> d(0, 500);
  for (int t = 0; t < 1000; ++t) {
    KingPairCounts c{0, d(rng), d(rng), d(rng), d(rng)};
    const double het_i = c.hethet + c.het_i_hom_j, het_j = c.hethet + c.het_j_hom_i;
    const double lo = std::min(het_i, het_j);
    const double expect =
        lo == 0 ? NAN : (c.hethet - 2.0 * c.ibs0) / (2 * lo) + 0.5 - (het_i + het_j) / (4 * lo);
    if (std::isnan(expect))
      EXPECT_TRUE(std::isnan(king_kinship(c)));
    else
      EXPECT_NEAR(king_kinship(c), expect, 1e-12);
  }
  EXPECT_TRUE(std::isnan(king_kinship(KingPairCounts{10, 0, 3, 0, 0})));
  // Identical genotypes: no opposite homozygotes or discordant heterozygotes, kinship 1/2.
  EXPECT_DOUBLE_EQ(king_kinship(KingPairCounts{100, 40, 0, 0, 0}), 0.5);
}

TEST(KingKernel, DegreeBoundaries) {
  EXPECT_EQ(king_degree(0.5, 0.0), KingDegree::Duplicate);
  EXPECT_EQ(king_degree(0.3541, 0.0), KingDegree::Duplicate);
  EXPECT_EQ(king_degree(0.354, 0.0), KingDegree::ParentOffspring);
  EXPECT_EQ(king_degree(0.25, 0.0011), KingDegree::ParentOffspring);
  EXPECT_EQ(king_degree(0.25, 0.0013), KingDegree::FullSibling);
  EXPECT_EQ(king_degree(0.25, 0.01, 0.02), KingDegree::ParentOffspring);
  EXPECT_EQ(king_degree(0.177, 0.0), KingDegree::Second);
  EXPECT_EQ(king_degree(0.125, 0.0), KingDegree::Second);
  EXPECT_EQ(king_degree(0.0884, 0.0), KingDegree::Third);
  EXPECT_EQ(king_degree(0.0625, 0.0), KingDegree::Third);
  EXPECT_EQ(king_degree(0.0442, 0.0), KingDegree::Unrelated);
  EXPECT_EQ(king_degree(-0.2, 0.1), KingDegree::Unrelated);
  EXPECT_EQ(king_degree(NAN, 0.0), KingDegree::Unrelated);
  EXPECT_EQ(king_degree_number(KingDegree::FullSibling), 1);
  EXPECT_EQ(king_degree_number(KingDegree::Unrelated), -1);
  EXPECT_STREQ(king_relationship_name(KingDegree::Second), "second-degree");
}

TEST(KingUnrelatedSet, GreedyRemovesMostRelatedThenLaterSample) {
  // Trio 0-1-2 where 2 is the child of 0 and 1: the child has two relatives and goes first.
  auto removed = remove_relatives(4, {{0, 2}, {1, 2}});
  EXPECT_EQ(removed, (std::vector<bool>{false, false, true, false}));
  // A lone pair: the tie goes against the later sample.
  removed = remove_relatives(3, {{0, 2}});
  EXPECT_EQ(removed, (std::vector<bool>{false, false, true}));
  // A triangle: the later of three tied samples goes, then the later of the remaining pair.
  removed = remove_relatives(3, {{0, 1}, {0, 2}, {1, 2}});
  EXPECT_EQ(removed, (std::vector<bool>{false, true, true}));
}

TEST(KingUnrelatedSet, RandomGraphsLeaveNoRelatedPairAndAreMaximal) {
  std::mt19937_64 rng(9);
  for (int t = 0; t < 50; ++t) {
    const std::size_t n = 5 + rng() % 60;
    std::vector<RelatedPair> pairs;
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j)
        if (rng() % 20 == 0) pairs.push_back({i, j});
    const auto removed = remove_relatives(n, pairs);
    for (const auto& p : pairs) EXPECT_TRUE(removed[p.first] || removed[p.second]);
    // Maximal: every removed sample has a kept relative.
    for (std::uint32_t s = 0; s < n; ++s) {
      if (!removed[s]) continue;
      bool has_kept_relative = false;
      for (const auto& p : pairs)
        if ((p.first == s && !removed[p.second]) || (p.second == s && !removed[p.first]))
          has_kept_relative = true;
      EXPECT_TRUE(has_kept_relative) << "sample " << s << " could be added back";
    }
  }
}

}  // namespace
}  // namespace genomap
