#include "genomap/qc/allele_frequency.hpp"

#include "genomap/geno/block_loop.hpp"

namespace genomap {

std::vector<GenotypeCounts> count_all_genotypes(const Dataset& data, const Context& ctx) {
  std::vector<GenotypeCounts> counts(data.variant_ct());
  for_each_block(data, ctx, default_block_variants(data, ctx), "counting genotypes", [&](const GenotypeBlock& b) {
    const auto n = static_cast<std::ptrdiff_t>(b.variant_ct());
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i)
      counts[b.first_variant_idx() + static_cast<std::size_t>(i)] =
          count_genotypes(b.row(static_cast<std::size_t>(i)), b.sample_ct());
  });
  return counts;
}

void count_alleles_by_ploidy(const Dataset& data, const Context& ctx, const PloidyCountsSink& sink) {
  const SexMasks masks = SexMasks::of(data);
  std::vector<PloidyCounts> counts;
  for_each_block(data, ctx, default_block_variants(data, ctx), "counting alleles", [&](const GenotypeBlock& b) {
    counts.resize(b.variant_ct());
    const auto n = static_cast<std::ptrdiff_t>(b.variant_ct());
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const auto v = static_cast<std::size_t>(i);
      const auto ploidy = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code);
      counts[v] = count_by_ploidy(b.row(v), b.sample_ct(), ploidy, masks);
    }
    sink(b.first_variant_idx(), counts);
  });
}

}  // namespace genomap
