#include "genomap/popstats/population_counts.hpp"

#include <algorithm>

#include "genomap/geno/kernels.hpp"

namespace genomap {

void PopulationCounts::reset(std::size_t first, std::size_t variants, std::size_t pops) {
  first_variant = first;
  variant_ct = variants;
  pop_ct = pops;
  called.assign(variants * pops, 0);
  het.assign(variants * pops, 0);
  allele1.assign(variants * pops, 0);
}

void count_block_by_population(const GenotypeBlock& block, const std::vector<std::int32_t>& pop_of_sample,
                               std::size_t pop_ct, PopulationCounts& out, int threads) {
  out.reset(block.first_variant_idx(), block.variant_ct(), pop_ct);
  const std::size_t sample_ct = block.sample_ct();
  const auto n = static_cast<std::ptrdiff_t>(block.variant_ct());
#pragma omp parallel num_threads(threads) if (block.variant_ct() * sample_ct > 100000)
  {
    // Per-thread tallies of the four codes per population, folded into the output per variant.
    std::vector<std::uint32_t> tally(pop_ct * 4);
#pragma omp for schedule(static)
    for (std::ptrdiff_t iv = 0; iv < n; ++iv) {
      const auto v = static_cast<std::size_t>(iv);
      std::fill(tally.begin(), tally.end(), 0u);
      const std::uint64_t* row = block.row(v);
      for (std::size_t w = 0; w < block.words_per_row(); ++w) {
        std::uint64_t word = row[w];
        const std::size_t base = w * 32;
        const std::size_t end = std::min<std::size_t>(32, sample_ct - base);
        for (std::size_t j = 0; j < end; ++j, word >>= 2) {
          const std::int32_t p = pop_of_sample[base + j];
          if (p >= 0) ++tally[static_cast<std::size_t>(p) * 4 + (word & 3u)];
        }
      }
      for (std::size_t p = 0; p < pop_ct; ++p) {
        // .bed codes: 0 hom. allele 1, 1 missing, 2 het, 3 hom. allele 2.
        const std::uint32_t hom1 = tally[p * 4], het = tally[p * 4 + 2], hom2 = tally[p * 4 + 3];
        const std::size_t k = out.at(v, p);
        out.called[k] = hom1 + het + hom2;
        out.het[k] = het;
        out.allele1[k] = 2 * hom1 + het;
      }
    }
  }
}

PopulationCountPass plink_population_pass(const Dataset& data, const PopulationAssignment& populations,
                                          const Context& ctx) {
  return [&data, &populations, &ctx](const PopulationCountsSink& sink) {
    PopulationCounts counts;
    for_each_block(data, ctx, default_block_variants(data, ctx), "count genotypes by population",
                   [&](const GenotypeBlock& block) {
                     count_block_by_population(block, populations.pop_of_sample, populations.pop_ct(), counts,
                                               ctx.threads);
                     sink(counts);
                   });
  };
}

PopulationCountPass eigenstrat_population_pass(const EigenstratReader& reader, const std::vector<bool>& keep,
                                               const std::vector<std::int32_t>& pop_of_sample,
                                               std::size_t pop_ct, const Context& ctx) {
  return [&reader, &keep, &pop_of_sample, pop_ct, &ctx](const PopulationCountsSink& sink) {
    constexpr std::size_t kBlock = 4096;
    std::size_t total = 0;
    for (std::size_t v = 0; v < reader.variants().size(); ++v) total += keep.empty() || keep[v];
    PopulationCounts counts;
    counts.reset(0, std::min(kBlock, total), pop_ct);
    std::size_t next = 0;  // analysed variants seen
    std::size_t in_block = 0;
    std::vector<std::uint32_t> tally(pop_ct * 4);
    reader.for_each_variant(keep, [&](std::size_t, const std::uint8_t* values) {
      std::fill(tally.begin(), tally.end(), 0u);
      for (std::size_t i = 0; i < pop_of_sample.size(); ++i) {
        const std::int32_t p = pop_of_sample[i];
        if (p >= 0) ++tally[static_cast<std::size_t>(p) * 4 + values[i]];
      }
      for (std::size_t p = 0; p < pop_ct; ++p) {
        // EIGENSTRAT values: copies of allele 1 (0, 1, 2), 3 missing.
        const std::uint32_t hom2 = tally[p * 4], het = tally[p * 4 + 1], hom1 = tally[p * 4 + 2];
        const std::size_t k = counts.at(in_block, p);
        counts.called[k] = hom1 + het + hom2;
        counts.het[k] = het;
        counts.allele1[k] = 2 * hom1 + het;
      }
      ++next;
      if (++in_block == counts.variant_ct) {
        sink(counts);
        ctx.report("count genotypes by population", next, total);
        counts.reset(next, std::min(kBlock, total - next), pop_ct);
        in_block = 0;
      }
    });
  };
}

}  // namespace genomap
