// Genotype counts per population, block by block: what every population statistic (Fst, f2/f3/f4, D) reads.
// A pass over PLINK or EIGENSTRAT input yields the same PopulationCounts, so the statistics do not care
// which.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/geno/population_labels.hpp"

namespace genomap {

struct PopulationCounts {
  std::size_t first_variant = 0;  // variant_idx of the block's first variant
  std::size_t variant_ct = 0;
  std::size_t pop_ct = 0;
  // Per variant v (within the block) and population p, at [v * pop_ct + p]: called (diploid) genotypes,
  // heterozygous genotypes and copies of allele 1 among the called genotypes.
  std::vector<std::uint32_t> called, het, allele1;

  void reset(std::size_t first, std::size_t variants, std::size_t pops);
  std::size_t at(std::size_t v, std::size_t p) const { return v * pop_ct + p; }
};

using PopulationCountsSink = std::function<void(const PopulationCounts&)>;
// Runs one pass over all variants, handing the sink consecutive blocks in variant order.
using PopulationCountPass = std::function<void(const PopulationCountsSink&)>;

// What the statistics receive: the variants (in analysis order), the populations and a way to make a pass.
struct PopulationData {
  std::vector<Variant> variants;
  PopulationAssignment populations;
  PopulationCountPass pass;
};

// Counts genotypes of one block of packed rows per population (samples with pop_of_sample -1 are skipped).
void count_block_by_population(const GenotypeBlock& block, const std::vector<std::int32_t>& pop_of_sample,
                               std::size_t pop_ct, PopulationCounts& out, int threads);

// A pass over a PLINK dataset. `data` and `populations` must outlive the returned function.
PopulationCountPass plink_population_pass(const Dataset& data, const PopulationAssignment& populations,
                                          const Context& ctx);

// A pass over an EIGENSTRAT .geno, keeping the variants with keep[variant] true (all when empty);
// `pop_of_sample` is per .ind row. `reader`, `keep` and `pop_of_sample` must outlive the returned function.
PopulationCountPass eigenstrat_population_pass(const EigenstratReader& reader, const std::vector<bool>& keep,
                                               const std::vector<std::int32_t>& pop_of_sample,
                                               std::size_t pop_ct, const Context& ctx);

}  // namespace genomap
