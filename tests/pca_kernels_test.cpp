// The single-precision table decoder of the randomized PCA against a naive per-genotype loop, on random rows with
// missing genotypes, N not a multiple of 4 or 32, and monomorphic frequencies.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "genomap/pca/standardized_panel.hpp"

namespace genomap {
namespace {

TEST(PcaKernels, FloatTableDecodingMatchesNaiveLoop) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> code(0, 3);
  for (std::size_t n : {1u, 3u, 4u, 5u, 31u, 32u, 33u, 64u, 65u, 1001u}) {
    for (double p : {0.0, 0.013, 0.5, 0.77, 1.0}) {
      std::vector<std::uint8_t> codes(n);
      for (auto& c : codes) c = static_cast<std::uint8_t>(code(rng));
      std::vector<std::uint64_t> row((n + 31) / 32 + 1, 0);  // padding bits past n stay zero
      for (std::size_t i = 0; i < n; ++i) row[i / 32] |= std::uint64_t{codes[i]} << (2 * (i % 32));
      std::vector<float> out(n + 3, 99.0f);
      standardize_row_float(row.data(), n, p, out.data());
      const bool polymorphic = p > 0.0 && p < 1.0;
      const double sd = polymorphic ? std::sqrt(2.0 * p * (1.0 - p)) : 1.0;
      for (std::size_t i = 0; i < n; ++i) {
        // .bed codes: 00 hom allele 1 (dosage 2), 01 missing, 10 het, 11 hom allele 2 (dosage 0).
        const double dosage = codes[i] == 0 ? 2.0 : codes[i] == 2 ? 1.0 : 0.0;
        const double expected = (!polymorphic || codes[i] == 1) ? 0.0 : (dosage - 2.0 * p) / sd;
        EXPECT_NEAR(out[i], expected, 1e-5 * (1.0 + std::abs(expected))) << "n " << n << " p " << p << " i " << i;
      }
      for (std::size_t i = n; i < n + 3; ++i) EXPECT_EQ(out[i], 99.0f) << "wrote past sample_ct";
      // The double-precision decoder of the exact method agrees.
      std::vector<double> exact(n);
      standardize_row(row.data(), n, p, exact.data());
      for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(out[i], exact[i], 1e-5 * (1.0 + std::abs(exact[i])));
    }
  }
}

}  // namespace
}  // namespace genomap
