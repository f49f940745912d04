#include "genomap/qc/missingness.hpp"

#include <bit>

#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/qc/ploidy.hpp"
#include "genomap/qc/sample_counters.hpp"

namespace genomap {

SampleMissingness compute_missingness(const Dataset& data, const Context& ctx,
                                      const VariantMissingnessSink& variant_sink) {
  const SexMasks masks = SexMasks::of(data);
  const std::size_t n = data.sample_ct();
  const std::size_t words = data.samples.words_per_row();
  std::vector<std::uint32_t> missing(words * 32, 0);
  std::size_t chr_y_ct = 0;
  std::vector<VariantMissingness> rows;
  std::vector<char> is_y;
  for_each_block(data, ctx, default_block_variants(data, ctx), "counting missing calls", [&](const GenotypeBlock& b) {
    const std::size_t vc = b.variant_ct();
    rows.resize(vc);
    is_y.resize(vc);
    for (std::size_t v = 0; v < vc; ++v) {
      is_y[v] = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code) == ChromosomePloidy::Y;
      chr_y_ct += static_cast<std::size_t>(is_y[v]);
    }
    const auto vn = static_cast<std::ptrdiff_t>(vc);
#pragma omp parallel num_threads(ctx.threads)
    {
#pragma omp for schedule(static) nowait
      for (std::ptrdiff_t i = 0; i < vn; ++i) {
        const auto v = static_cast<std::size_t>(i);
        const GenotypeCounts c = is_y[v] ? count_genotypes_masked(b.row(v), masks.male.data(), words, masks.male_ct)
                                         : count_genotypes(b.row(v), n);
        rows[v] = {c.missing, c.called() + c.missing};
      }
#pragma omp for schedule(static)
      for (std::ptrdiff_t wi = 0; wi < static_cast<std::ptrdiff_t>(words); ++wi) {
        const auto w = static_cast<std::size_t>(wi);
        const std::uint64_t male = masks.male[w];
        add_sample_flag_counts(
            vc,
            [&](std::size_t v) {
              const std::uint64_t x = b.row(v)[w];
              const std::uint64_t flags = x & ~(x >> 1) & kLowBits;  // code 01
              return is_y[v] ? flags & male : flags;
            },
            missing.data() + 32 * w);
      }
    }
    variant_sink(b.first_variant_idx(), rows);
  });
  SampleMissingness s;
  s.missing_ct.assign(missing.begin(), missing.begin() + static_cast<std::ptrdiff_t>(n));
  s.obs_ct.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.obs_ct[i] = static_cast<std::uint32_t>(data.variant_ct() - (data.sample(i).sex == 1 ? 0 : chr_y_ct));
  return s;
}

}  // namespace genomap
