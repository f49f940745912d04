// Packed-genotype kernels against naive loops on random data with missing genotypes and N not a multiple of 4.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "genomap/geno/kernels.hpp"
#include "genomap/geno/sample_view.hpp"

namespace genomap {
namespace {

std::vector<std::uint8_t> random_codes(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(0, 3);
  std::vector<std::uint8_t> codes(n);
  for (auto& c : codes) c = static_cast<std::uint8_t>(d(rng));
  return codes;
}

std::vector<std::uint8_t> pack_bed_row(const std::vector<std::uint8_t>& codes) {
  std::vector<std::uint8_t> row((codes.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < codes.size(); ++i) row[i / 4] |= static_cast<std::uint8_t>(codes[i] << (2 * (i % 4)));
  return row;
}

TEST(GenotypeKernels, CountsMatchNaiveLoop) {
  std::mt19937_64 rng(42);
  for (std::size_t n : {1u, 3u, 5u, 31u, 32u, 33u, 63u, 64u, 65u, 127u, 1001u}) {
    auto codes = random_codes(n, rng);
    auto row = pack_bed_row(codes);
    SampleView all = SampleView::all(n);
    std::vector<std::uint64_t> compact(all.words_per_row());
    all.compact_row(row.data(), compact.data());
    GenotypeCounts c = count_genotypes(compact.data(), n);
    std::uint32_t expect[4] = {0, 0, 0, 0};
    for (auto code : codes) ++expect[code];
    EXPECT_EQ(c.hom1, expect[0]) << n;
    EXPECT_EQ(c.missing, expect[1]) << n;
    EXPECT_EQ(c.het, expect[2]) << n;
    EXPECT_EQ(c.hom2, expect[3]) << n;
  }
}

TEST(GenotypeKernels, SubsetCompactionKeepsSelectedGenotypes) {
  std::mt19937_64 rng(7);
  const std::size_t n = 203;
  auto codes = random_codes(n, rng);
  auto row = pack_bed_row(codes);
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t i = 0; i < n; i += 3) chosen.push_back(i);
  SampleView view(n, chosen);
  std::vector<std::uint64_t> compact(view.words_per_row());
  view.compact_row(row.data(), compact.data());
  for (std::size_t k = 0; k < chosen.size(); ++k) EXPECT_EQ(genotype_code(compact.data(), k), codes[chosen[k]]);
  std::vector<double> dosage(chosen.size());
  decode_allele1_dosage(compact.data(), chosen.size(), std::nan(""), dosage.data());
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    switch (codes[chosen[k]]) {
      case 0: EXPECT_EQ(dosage[k], 2.0); break;
      case 1: EXPECT_TRUE(std::isnan(dosage[k])); break;
      case 2: EXPECT_EQ(dosage[k], 1.0); break;
      case 3: EXPECT_EQ(dosage[k], 0.0); break;
    }
  }
}

}  // namespace
}  // namespace genomap
