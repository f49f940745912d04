#include "genomap/qc/allele_frequency.hpp"

#include "genomap/geno/block_loop.hpp"

namespace genomap {

std::vector<GenotypeCounts> count_all_genotypes(const Dataset& data, const Context& ctx) {
  std::vector<GenotypeCounts> counts(data.variant_ct());
  for_each_block(data, ctx, default_block_variants(data, ctx), "counting genotypes",
                 [&](const GenotypeBlock& b) {
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
  for_each_block_in_order<std::vector<PloidyCounts>>(
      data, ctx, "counting alleles",
      [&](const GenotypeBlock& b, std::vector<PloidyCounts>& counts, int) {
        counts.resize(b.variant_ct());
        for (std::size_t v = 0; v < b.variant_ct(); ++v) {
          const auto ploidy = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code);
          counts[v] = count_by_ploidy(b.row(v), b.sample_ct(), ploidy, masks);
        }
      },
      [&](std::size_t first, std::vector<PloidyCounts>& counts) { sink(first, counts); });
}

}  // namespace genomap
