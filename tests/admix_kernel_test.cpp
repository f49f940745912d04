// The fused EM kernel of `admix` against a naive double loop written straight from the model: random
// genotypes with missing calls, sample counts that are not multiples of 4 and span several sample tiles, K from
// 2 to 9 (fixed-K and run-time-K code paths), variant weights (bootstrap) and variant subsets (index lists),
// with and without the log-likelihood; both the AVX2 and the portable kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "genomap/admix/em_kernel.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/genotype_store.hpp"
#include "genomap/geno/kernels.hpp"

namespace genomap {
namespace {

struct Problem {
  AdmixGenotypes genotypes;
  std::vector<unsigned> codes;  // variant-major, 0 hom allele 1, 1 missing, 2 het, 3 hom allele 2
  std::vector<double> qt, p, weight;
  std::size_t k = 0;
};

Problem make_problem(std::size_t n, std::size_t m, std::size_t k, double missing, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Problem pr;
  pr.k = k;
  AdmixGenotypes& g = pr.genotypes;
  g.sample_ct = n;
  g.variant_ct = m;
  g.words_per_row = (n + 31) / 32;
  g.words.assign(g.words_per_row * m, 0);  // codes past the last sample stay 00, as in every compact row
  pr.codes.resize(n * m);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      constexpr unsigned kCalled[3] = {0, 2, 3};
      const unsigned code = u(rng) < missing ? 1u : kCalled[rng() % 3];
      pr.codes[j * n + i] = code;
      g.row(j)[i / 32] |= std::uint64_t{code} << (2 * (i % 32));
    }
  }
  const std::size_t n_pad = g.padded_samples();
  pr.qt.assign(k * n_pad, 1.0 / static_cast<double>(k));
  for (std::size_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (std::size_t c = 0; c < k; ++c) total += pr.qt[c * n_pad + i] = 0.01 + u(rng);
    for (std::size_t c = 0; c < k; ++c) pr.qt[c * n_pad + i] /= total;
  }
  pr.p.resize(m * k);
  for (auto& x : pr.p) x = 1e-5 + (1.0 - 2e-5) * u(rng);
  pr.weight.resize(m);
  for (auto& w : pr.weight) w = static_cast<double>(rng() % 3);  // 0, 1 or 2 copies
  return pr;
}

// The EM quantities written out genotype by genotype.
struct Naive {
  std::vector<double> next_p, s;
  double log_likelihood = 0.0;
};

Naive naive(const Problem& pr, const std::vector<std::uint32_t>& variants, bool weighted) {
  const std::size_t n = pr.genotypes.sample_ct, k = pr.k, n_pad = pr.genotypes.padded_samples();
  Naive out;
  out.next_p.assign(pr.p.size(), -1.0);
  out.s.assign(k * n_pad, 0.0);
  for (std::uint32_t j : variants) {
    const double w = weighted ? pr.weight[j] : 1.0;
    std::vector<double> t1(k, 0.0), t2(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned code = pr.codes[j * n + i];
      if (code == 1) continue;
      const double g = code == 0 ? 2.0 : (code == 2 ? 1.0 : 0.0);
      double h = 0.0;
      for (std::size_t c = 0; c < k; ++c) h += pr.qt[c * n_pad + i] * pr.p[j * k + c];
      const double a = g / h, b = (2.0 - g) / (1.0 - h);
      for (std::size_t c = 0; c < k; ++c) {
        t1[c] += a * pr.qt[c * n_pad + i];
        t2[c] += b * pr.qt[c * n_pad + i];
        out.s[c * n_pad + i] += w * (a * pr.p[j * k + c] + b * (1.0 - pr.p[j * k + c]));
      }
      out.log_likelihood += w * (g * std::log(h) + (2.0 - g) * std::log(1.0 - h));
    }
    for (std::size_t c = 0; c < k; ++c) {
      const double pj = pr.p[j * k + c];
      const double den = pj * t1[c] + (1.0 - pj) * t2[c];  // 0 when no sample is called: P stays
      out.next_p[j * k + c] = w == 0.0 || den == 0.0 ? pj : pj * t1[c] / den;
    }
  }
  return out;
}

void expect_close(double actual, double expected, double relative, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), relative * std::max(1.0, std::abs(expected))) << what;
}

std::string fmt_label(std::size_t n, std::size_t m, std::size_t k, bool weighted, bool subset, EmKernelKind kind,
                      bool with_ll) {
  return "n=" + std::to_string(n) + " m=" + std::to_string(m) + " k=" + std::to_string(k) +
         (weighted ? " weighted" : "") + (subset ? " subset" : "") +
         (kind == EmKernelKind::Avx2 ? " avx2" : " generic") + (with_ll ? " ll" : "");
}

void check(std::size_t n, std::size_t m, std::size_t k, double missing, bool weighted, bool subset) {
  const Problem pr = make_problem(n, m, k, missing, 1000 * n + 10 * k + (weighted ? 1 : 0) + (subset ? 2 : 0));
  std::vector<std::uint32_t> variants;
  for (std::uint32_t j = 0; j < m; ++j)
    if (!subset || j % 3 != 1) variants.push_back(j);
  if (subset) std::swap(variants.front(), variants.back());  // any order
  const Naive expected = naive(pr, variants, weighted);
  for (EmKernelKind kind : {EmKernelKind::Generic, EmKernelKind::Avx2}) {
    if (kind == EmKernelKind::Avx2 && best_em_kernel() != EmKernelKind::Avx2) {
      std::printf("AVX2+FMA EM kernel NOT tested: this processor lacks AVX2 or FMA\n");
      continue;
    }
    for (bool with_ll : {false, true}) {
      EmSweep sweep;
      sweep.genotypes = &pr.genotypes;
      sweep.k = k;
      sweep.qt = pr.qt.data();
      sweep.p = pr.p.data();
      sweep.weight = weighted ? pr.weight.data() : nullptr;
      sweep.log_likelihood = with_ll;
      std::vector<double> next_p(pr.p.size(), -1.0), s(k * pr.genotypes.padded_samples(), 0.0);
      const double ll = subset ? em_sweep(sweep, variants.data(), 0, variants.size(), next_p.data(), s.data(), kind)
                               : em_sweep(sweep, nullptr, 0, m, next_p.data(), s.data(), kind);
      const std::string label = fmt_label(n, m, k, weighted, subset, kind, with_ll);
      if (with_ll) expect_close(ll, expected.log_likelihood, 1e-10, label + " log-likelihood");
      else EXPECT_EQ(ll, 0.0) << label;
      for (std::size_t x = 0; x < next_p.size(); ++x) {
        if (expected.next_p[x] < 0) {
          ASSERT_EQ(next_p[x], -1.0) << label << ": P row of a variant outside the subset was written";
        } else {
          expect_close(next_p[x], expected.next_p[x], 1e-10, label + " P");
        }
      }
      for (std::size_t c = 0; c < k; ++c)
        for (std::size_t i = 0; i < n; ++i)
          expect_close(s[c * pr.genotypes.padded_samples() + i], expected.s[c * pr.genotypes.padded_samples() + i],
                       1e-10, label + " S");
    }
  }
}

TEST(AdmixKernel, SmallSampleCountsMatchNaiveLoop) {
  for (std::size_t n : {1, 3, 5, 37})
    for (std::size_t k : {2, 3, 4}) check(n, 70, k, 0.1, false, false);
}

TEST(AdmixKernel, SeveralTilesFixedAndRuntimeKMatchNaiveLoop) {
  check(1701, 90, 4, 0.05, false, false);  // two sample tiles at K = 4
  check(1501, 70, 9, 0.05, false, false);  // run-time K, three tiles
  check(650, 130, 8, 0.3, false, false);    // many variants per chunk, heavy missingness
}

TEST(AdmixKernel, WeightsAndSubsetsMatchNaiveLoop) {
  check(301, 150, 5, 0.02, true, false);
  check(301, 150, 5, 0.02, false, true);
  check(99, 200, 6, 0.02, true, true);
  check(1601, 40, 7, 0.02, true, true);
}

TEST(AdmixKernel, LoadedGenotypesEqualTheBedRows) {
  // 837 samples: the last word of every row is partly padding, which must stay zero (the compact-row rule the
  // sweep relies on when it reads the last, partial group of four as missing).
  auto store = std::make_shared<GenotypeStore>(
      GenotypeStore::open_bfile(std::string(GENOMAP_TEST_DATA) + "/human_origins_panel7/panel7"));
  const Dataset data = Dataset::whole(store);
  Context ctx;
  ctx.threads = 2;
  const AdmixGenotypes g = load_admix_genotypes(data, ctx);
  ASSERT_EQ(g.sample_ct, 837u);
  ASSERT_EQ(g.variant_ct, data.variant_ct());
  ASSERT_EQ(g.words_per_row, 27u);
  std::size_t compared = 0;
  for_each_block(data, ctx, 500, "test", [&](const GenotypeBlock& block) {
    for (std::size_t v = 0; v < block.variant_ct(); ++v) {
      const std::uint64_t* row = g.row(block.first_variant_idx() + v);
      for (std::size_t i = 0; i < 27 * 32; ++i) {
        ASSERT_EQ(genotype_code(row, i), i < 837 ? genotype_code(block.row(v), i) : 0u)
            << "variant " << v << " sample " << i;
        ++compared;
      }
    }
  });
  EXPECT_EQ(compared, 27 * 32 * data.variant_ct());
}

}  // namespace
}  // namespace genomap
