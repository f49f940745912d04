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

}  // namespace genomap
