#include "genomap/qc/hardy.hpp"

#include <vector>

#include "genomap/geno/block_loop.hpp"
#include "genomap/qc/hardy_exact.hpp"

namespace genomap {

void compute_hardy_weinberg(const Dataset& data, const Context& ctx, bool midp, const HardySink& sink) {
  const SexMasks masks = SexMasks::of(data);
  const std::size_t words = masks.all.size();
  const auto test_block = [&](const GenotypeBlock& b, std::vector<HardyResult>& rows, int) {
    rows.assign(b.variant_ct(), HardyResult{});
    for (std::size_t v = 0; v < b.variant_ct(); ++v) {
      HardyResult& r = rows[v];
      r.ploidy = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code);
      if (r.ploidy == ChromosomePloidy::Diploid) {
        r.diploid = count_genotypes(b.row(v), b.sample_ct());
        r.p = hardy_weinberg_exact_p(r.diploid.het, r.diploid.hom1, r.diploid.hom2, midp);
      } else if (r.ploidy == ChromosomePloidy::X) {
        r.diploid = count_genotypes_masked(b.row(v), masks.female.data(), words, masks.female_ct);
        r.male = count_genotypes_masked(b.row(v), masks.male.data(), words, masks.male_ct);
        r.p = hardy_weinberg_x_exact_p(r.diploid.hom1, r.diploid.het, r.diploid.hom2, r.male.hom1,
                                       r.male.hom2, midp);
      }
    }
  };
  for_each_block_in_order<std::vector<HardyResult>>(
      data, ctx, "Hardy-Weinberg tests", test_block,
      [&](std::size_t first, std::vector<HardyResult>& rows) { sink(first, rows); });
}

}  // namespace genomap
