#include "genomap/qc/heterozygosity.hpp"

#include <bit>

#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/qc/sample_counters.hpp"

namespace genomap {

HeterozygosityResult compute_heterozygosity(const Dataset& data, const Context& ctx) {
  const std::size_t n = data.sample_ct();
  const std::size_t words = data.samples.words_per_row();
  std::vector<std::uint32_t> missing(words * 32, 0), hom(words * 32, 0);
  std::vector<double> expected_missing(words * 32, 0.0);  // E(HOM) terms of variants where the sample is missing
  double expected_total = 0.0;                             // sum of 1 - 2pq over the variants used
  HeterozygosityResult result;
  std::vector<std::uint32_t> used;   // block rows of the variants used
  std::vector<double> expected;      // their 1 - 2pq
  for_each_block(data, ctx, default_block_variants(data, ctx), "counting homozygous calls", [&](const GenotypeBlock& b) {
    used.clear();
    expected.clear();
    for (std::size_t v = 0; v < b.variant_ct(); ++v) {
      const int code = data.variant(b.first_variant_idx() + v).chrom_code;
      if (!is_autosome(code) && code != kChromXY) continue;
      const GenotypeCounts c = count_genotypes(b.row(v), n);
      if (c.called() == 0 || c.hom1 == c.called() || c.hom2 == c.called()) {
        ++result.monomorphic_skipped;
        continue;
      }
      const double p = static_cast<double>(c.allele1_count()) / (2.0 * c.called());
      used.push_back(static_cast<std::uint32_t>(v));
      expected.push_back(1.0 - 2.0 * p * (1.0 - p));
      expected_total += expected.back();
    }
    result.variants_used += used.size();
    const std::size_t uc = used.size();
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (std::ptrdiff_t wi = 0; wi < static_cast<std::ptrdiff_t>(words); ++wi) {
      const auto w = static_cast<std::size_t>(wi);
      auto missing_flags = [&](std::size_t k) {
        const std::uint64_t x = b.row(used[k])[w];
        return x & ~(x >> 1) & kLowBits;  // code 01
      };
      add_sample_flag_counts(uc, missing_flags, missing.data() + 32 * w);
      add_sample_flag_counts(
          uc,
          [&](std::size_t k) {
            const std::uint64_t x = b.row(used[k])[w];
            return ~(x ^ (x >> 1)) & kLowBits;  // codes 00 and 11
          },
          hom.data() + 32 * w);
      for (std::size_t k = 0; k < uc; ++k)  // missing calls are rare: visit them one by one
        for (std::uint64_t m = missing_flags(k); m; m &= m - 1)
          expected_missing[32 * w + static_cast<std::size_t>(std::countr_zero(m)) / 2] += expected[k];
    }
  });
  result.samples.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& s = result.samples[i];
    s.observed_hom = hom[i];
    s.obs_ct = static_cast<std::uint32_t>(result.variants_used - missing[i]);
    s.expected_hom = expected_total - expected_missing[i];
  }
  return result;
}

}  // namespace genomap
