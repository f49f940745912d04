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
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/geno/variant_table.hpp"

namespace genomap {

struct PopulationCounts {
  std::size_t first_variant = 0;  // variant_idx of the block's first variant
  std::size_t variant_ct = 0;
  std::size_t pop_ct = 0;
  // Per variant v (within the block) and population p, at [v * pop_ct + p]: called genotypes, heterozygous
  // genotypes and copies of allele 1 among the called genotypes. `haploid` counts the called genotypes of
  // pseudohaploid samples (PopulationAssignment::pseudohaploid), each one observed allele: their 0/2 codes
  // add 0/1 to allele1, and a heterozygous code is not a call (ADMIXTOOLS 2's adjust_pseudohaploid). Empty
  // when no sample is pseudohaploid. `haploid_allele1`: the allele-1 copies among those calls (part of
  // allele1), filled with `haploid`.
  std::vector<std::uint32_t> called, het, allele1, haploid, haploid_allele1;

  void reset(std::size_t first, std::size_t variants, std::size_t pops);
  std::size_t at(std::size_t v, std::size_t p) const { return v * pop_ct + p; }
  // Observed alleles at [k]: two per diploid call, one per pseudohaploid call.
  double alleles(std::size_t k) const {
    return 2.0 * called[k] - (haploid.empty() ? 0.0 : static_cast<double>(haploid[k]));
  }
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
// `pseudohaploid` (per sample; empty = none) marks samples counted as one allele.
void count_block_by_population(const GenotypeBlock& block, const std::vector<std::int32_t>& pop_of_sample,
                               std::size_t pop_ct, PopulationCounts& out, int threads,
                               const std::vector<char>& pseudohaploid = {});

// A pass over a PLINK dataset. `data` and `populations` must outlive the returned function.
PopulationCountPass plink_population_pass(const Dataset& data, const PopulationAssignment& populations,
                                          const Context& ctx);

// A pass over an EIGENSTRAT .geno, keeping the variants with keep[variant] true (all when empty);
// `pop_of_sample` is per .ind row. `reader`, `keep` and `pop_of_sample` must outlive the returned function.
PopulationCountPass eigenstrat_population_pass(const EigenstratReader& reader, const std::vector<bool>& keep,
                                               const std::vector<std::int32_t>& pop_of_sample,
                                               std::size_t pop_ct, const Context& ctx,
                                               const std::vector<char>* pseudohaploid = nullptr);

// Samples without a heterozygous call among the first `test_variants` variants of `data` (all 0/2 codes,
// or no call): pseudohaploid, as ADMIXTOOLS 2 detects them (its default tests 1000 variants).
std::vector<char> detect_pseudohaploid_plink(const Dataset& data, std::size_t test_variants,
                                             const Context& ctx);
std::vector<char> detect_pseudohaploid_eigenstrat(const EigenstratReader& reader,
                                                  const std::vector<bool>& keep, std::size_t test_variants);

}  // namespace genomap
