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
  haploid.clear();
  haploid_allele1.clear();
}

namespace {

// Folds the code tallies of one population into the counts at k: slots 0-3 diploid samples, 4-7 pseudohaploid
// ones (when `with_haploid`), each by code 0 hom. allele 1, 2 het, 3 hom. allele 2 (.bed order).
void fold_tally(const std::uint32_t* t, bool with_haploid, PopulationCounts& out, std::size_t k) {
  out.called[k] = t[0] + t[2] + t[3];
  out.het[k] = t[2];
  out.allele1[k] = 2 * t[0] + t[2];
  if (with_haploid) {
    // A pseudohaploid sample's 0/2 code is one observed allele; a heterozygous code is not a call.
    out.haploid[k] = t[4] + t[7];
    out.haploid_allele1[k] = t[4];
    out.called[k] += t[4] + t[7];
    out.allele1[k] += t[4];
  }
}

}  // namespace

void count_block_by_population(const GenotypeBlock& block, const std::vector<std::int32_t>& pop_of_sample,
                               std::size_t pop_ct, PopulationCounts& out, int threads,
                               const std::vector<char>& pseudohaploid) {
  out.reset(block.first_variant_idx(), block.variant_ct(), pop_ct);
  const std::size_t sample_ct = block.sample_ct();
  const auto n = static_cast<std::ptrdiff_t>(block.variant_ct());
  // With pseudohaploid samples each population has 8 tally slots (see fold_tally): the slot of a sample is
  // precomputed so the inner loop stays one add.
  const bool with_haploid = !pseudohaploid.empty();
  const std::size_t slots = with_haploid ? 8 : 4;
  std::vector<std::int64_t> slot_of_sample(sample_ct, -1);
  for (std::size_t i = 0; i < sample_ct; ++i)
    if (pop_of_sample[i] >= 0)
      slot_of_sample[i] = static_cast<std::int64_t>(static_cast<std::size_t>(pop_of_sample[i]) * slots +
                                                    (with_haploid && pseudohaploid[i] ? 4 : 0));
  if (with_haploid) {
    out.haploid.assign(out.called.size(), 0);
    out.haploid_allele1.assign(out.called.size(), 0);
  }
#pragma omp parallel num_threads(threads) if (block.variant_ct() * sample_ct > 100000)
  {
    // Per-thread tallies of the codes per population, folded into the output per variant.
    std::vector<std::uint32_t> tally(pop_ct * slots);
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
          const std::int64_t slot = slot_of_sample[base + j];
          if (slot >= 0) ++tally[static_cast<std::size_t>(slot) + (word & 3u)];
        }
      }
      // .bed codes: 0 hom. allele 1, 1 missing, 2 het, 3 hom. allele 2.
      for (std::size_t p = 0; p < pop_ct; ++p) fold_tally(&tally[p * slots], with_haploid, out, out.at(v, p));
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
                                               ctx.threads, populations.pseudohaploid);
                     sink(counts);
                   });
  };
}

PopulationCountPass eigenstrat_population_pass(const EigenstratReader& reader, const std::vector<bool>& keep,
                                               const std::vector<std::int32_t>& pop_of_sample,
                                               std::size_t pop_ct, const Context& ctx,
                                               const std::vector<char>* pseudohaploid) {
  return [&reader, &keep, &pop_of_sample, pop_ct, &ctx, pseudohaploid](const PopulationCountsSink& sink) {
    constexpr std::size_t kBlock = 4096;
    // EIGENSTRAT values (copies of allele 1: 0, 1, 2; 3 missing) to the .bed codes of fold_tally.
    constexpr std::uint32_t kCode[4] = {3, 2, 0, 1};
    const bool with_haploid = pseudohaploid && !pseudohaploid->empty();
    const std::size_t slots = with_haploid ? 8 : 4;
    std::size_t total = 0;
    for (std::size_t v = 0; v < reader.variants().size(); ++v) total += keep.empty() || keep[v];
    PopulationCounts counts;
    auto start_block = [&](std::size_t first) {
      counts.reset(first, std::min(kBlock, total - first), pop_ct);
      if (with_haploid) {
        counts.haploid.assign(counts.called.size(), 0);
        counts.haploid_allele1.assign(counts.called.size(), 0);
      }
    };
    start_block(0);
    std::size_t next = 0;  // analysed variants seen
    std::size_t in_block = 0;
    std::vector<std::uint32_t> tally(pop_ct * slots);
    reader.for_each_variant(keep, [&](std::size_t, const std::uint8_t* values) {
      std::fill(tally.begin(), tally.end(), 0u);
      for (std::size_t i = 0; i < pop_of_sample.size(); ++i) {
        const std::int32_t p = pop_of_sample[i];
        if (p >= 0)
          ++tally[static_cast<std::size_t>(p) * slots + (with_haploid && (*pseudohaploid)[i] ? 4 : 0) +
                  kCode[values[i]]];
      }
      for (std::size_t p = 0; p < pop_ct; ++p)
        fold_tally(&tally[p * slots], with_haploid, counts, counts.at(in_block, p));
      ++next;
      if (++in_block == counts.variant_ct) {
        sink(counts);
        ctx.report("count genotypes by population", next, total);
        start_block(next);
        in_block = 0;
      }
    });
  };
}

std::vector<char> detect_pseudohaploid_plink(const Dataset& data, std::size_t test_variants,
                                             const Context& ctx) {
  const std::size_t sample_ct = data.sample_ct();
  std::vector<char> haploid(sample_ct, 1);
  const std::size_t ct = std::min(test_variants, data.variant_ct());
  if (ct == 0) return haploid;
  GenotypeBlock block;
  block.load(data, 0, ct, ctx.threads);
  for (std::size_t v = 0; v < ct; ++v) {
    const std::uint64_t* row = block.row(v);
    for (std::size_t i = 0; i < sample_ct; ++i)
      if (((row[i / 32] >> (2 * (i % 32))) & 3u) == 2u) haploid[i] = 0;  // .bed code 2: heterozygous
  }
  return haploid;
}

std::vector<char> detect_pseudohaploid_eigenstrat(const EigenstratReader& reader,
                                                  const std::vector<bool>& keep, std::size_t test_variants) {
  std::vector<char> haploid(reader.samples().size(), 1);
  std::vector<bool> first(reader.variants().size(), false);
  for (std::size_t v = 0, taken = 0; v < first.size() && taken < test_variants; ++v)
    if (keep.empty() || keep[v]) first[v] = true, ++taken;
  reader.for_each_variant(first, [&](std::size_t, const std::uint8_t* values) {
    for (std::size_t i = 0; i < haploid.size(); ++i)
      if (values[i] == 1) haploid[i] = 0;
  });
  return haploid;
}

}  // namespace genomap
