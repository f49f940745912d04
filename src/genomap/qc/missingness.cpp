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
  std::size_t chr_y_ct = 0;
  for (std::size_t v = 0; v < data.variant_ct(); ++v)
    chr_y_ct += chromosome_ploidy(data.variant(v).chrom_code) == ChromosomePloidy::Y;
  // Per-sample counts per thread (each thread counts whole blocks), summed at the end: integers, so the sum
  // does not depend on which thread counted which block.
  const auto threads = static_cast<std::size_t>(std::max(1, ctx.threads));
  std::vector<std::vector<std::uint32_t>> missing_of(threads);
  std::vector<std::vector<char>> is_y_of(threads);
  const auto count_block = [&](const GenotypeBlock& b, std::vector<VariantMissingness>& rows, int thread) {
    std::vector<std::uint32_t>& missing = missing_of[static_cast<std::size_t>(thread)];
    std::vector<char>& is_y = is_y_of[static_cast<std::size_t>(thread)];
    if (missing.empty()) missing.assign(words * 32, 0);
    const std::size_t vc = b.variant_ct();
    rows.resize(vc);
    is_y.resize(vc);
    for (std::size_t v = 0; v < vc; ++v) {
      is_y[v] = chromosome_ploidy(data.variant(b.first_variant_idx() + v).chrom_code) == ChromosomePloidy::Y;
      const GenotypeCounts c = is_y[v]
                                   ? count_genotypes_masked(b.row(v), masks.male.data(), words, masks.male_ct)
                                   : count_genotypes(b.row(v), n);
      rows[v] = {c.missing, c.called() + c.missing};
    }
    for_each_word_group(words, 1, [&](std::size_t first_word, std::size_t width) {
      auto flags = [&](std::size_t v, std::size_t j) {
        const std::uint64_t x = b.row(v)[first_word + j];
        const std::uint64_t f = x & ~(x >> 1) & kLowBits;  // code 01
        return is_y[v] ? f & masks.male[first_word + j] : f;
      };
      if (width == kWordGroup)
        add_sample_flag_counts_words<kWordGroup>(vc, flags, missing.data() + 32 * first_word);
      else
        add_sample_flag_counts_words<1>(vc, flags, missing.data() + 32 * first_word);
    });
  };
  for_each_block_in_order<std::vector<VariantMissingness>>(
      data, ctx, "counting missing calls", count_block,
      [&](std::size_t first, std::vector<VariantMissingness>& rows) { variant_sink(first, rows); });
  std::vector<std::uint32_t> missing(words * 32, 0);
  for (const auto& counts : missing_of)
    for (std::size_t i = 0; i < counts.size(); ++i) missing[i] += counts[i];
  SampleMissingness s;
  s.missing_ct.assign(missing.begin(), missing.begin() + static_cast<std::ptrdiff_t>(n));
  s.obs_ct.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.obs_ct[i] = static_cast<std::uint32_t>(data.variant_ct() - (data.sample(i).sex == 1 ? 0 : chr_y_ct));
  return s;
}

}  // namespace genomap
