#include "genomap/qc/hardy.hpp"

#include <vector>

#include "genomap/geno/block_loop.hpp"
#include "genomap/qc/hardy_exact.hpp"

namespace genomap {

void compute_hardy_weinberg(const Dataset& data, const Context& ctx, bool midp, const HardySink& sink) {
  const SexMasks masks = SexMasks::of(data);
  const std::size_t words = masks.all.size();
  std::vector<HardyResult> rows;
  for_each_block(data, ctx, default_block_variants(data, ctx), "Hardy-Weinberg tests", [&](const GenotypeBlock& b) {
    rows.assign(b.variant_ct(), HardyResult{});
    const auto n = static_cast<std::ptrdiff_t>(b.variant_ct());
    // Exact tests cost more on some variants than on others: hand them out dynamically.
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 64)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const auto v = static_cast<std::size_t>(i);
      HardyResult& r = rows[v];
      r.ploidy = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code);
      if (r.ploidy == ChromosomePloidy::Diploid) {
        r.diploid = count_genotypes(b.row(v), b.sample_ct());
        r.p = hardy_weinberg_exact_p(r.diploid.het, r.diploid.hom1, r.diploid.hom2, midp);
      } else if (r.ploidy == ChromosomePloidy::X) {
        r.diploid = count_genotypes_masked(b.row(v), masks.female.data(), words, masks.female_ct);
        r.male = count_genotypes_masked(b.row(v), masks.male.data(), words, masks.male_ct);
        r.p = hardy_weinberg_x_exact_p(r.diploid.hom1, r.diploid.het, r.diploid.hom2, r.male.hom1, r.male.hom2, midp);
      }
    }
    sink(b.first_variant_idx(), rows);
  });
}

}  // namespace genomap
