// A cached f2 store: one genotype pass turned into per-population allele counts of every analysed variant and
// f2 of every population pair summed per jackknife block, written to a folder and read back by any
// f-statistic (fstats) or admixture model (qpadm) without touching the genotypes again. The idea is
// ADMIXTOOLS 2's extract_f2 (Maier et al. 2023, eLife 12:e85492): f-statistics of any populations follow from
// f2 per block. The folder holds
//   manifest.tsv     format version, the key (inputs with size and XXH3-128 hash, populations, blocking,
//                    filters) and the size and hash of every other file of the store
//   populations.tsv  POP N (analysed samples), in store order
//   variants.tsv     CHROM ID CM POS A1 A2 BLOCK of each kept variant, in analysis order
//   counts.bin       called, heterozygous, allele-1 and pseudohaploid-call counts per variant and
//                    population (uint32)
//   f2.bin           f2 sum and variant count per population pair and block (float64)
// A store whose key differs from the current inputs is stale; a file whose hash differs from the manifest is
// foreign or damaged: both are errors, never silently used.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/popstats/fstats.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap {

// Variant filters applied when the store is built (ADMIXTOOLS 2 extract_f2's maxmiss, minmaf, transitions /
// transversions). The defaults keep every variant, so statistics read from a store equal those computed from
// the genotypes.
struct F2StoreFilters {
  double max_missing = 1.0;         // largest share of populations without a call at a kept variant
  double min_maf = 0.0;             // smallest minor allele frequency over all analysed samples
  bool transversions_only = false;  // drop C/T and A/G variants (and any variant whose alleles are not ACGT)
};

// What a store was built from; rendered into the manifest and compared line by line.
struct F2StoreKey {
  std::vector<std::string> inputs;  // "name<TAB>bytes xxh128:hex" of each input file
  std::string sample_filters;       // the sample/variant filters of the input, as text ("" = none)
  std::string blocking;             // e.g. "0.05 Morgan" or "1000 variants"
  F2StoreFilters filters;
  // Pseudohaploid samples (ADMIXTOOLS 2 extract_f2's adjust_pseudohaploid), e.g. "no" or "first 1000
  // variants: 12 samples"; they change every allele count, so a store built otherwise is stale.
  std::string pseudohaploid = "no";
};

// The manifest key of a store of `populations` (names and sizes in store order) built as `key` says.
std::vector<std::string> f2_store_key_lines(const F2StoreKey& key, const PopulationAssignment& populations);

struct F2Store {
  std::vector<std::string> pop_names;
  std::vector<std::uint32_t> pop_sizes;
  std::vector<Variant> variants;                // kept variants, analysis order
  std::vector<std::uint32_t> block_of_variant;  // per kept variant
  std::size_t block_ct = 0;
  // Per kept variant v and population p at [v * pop_ct + p], as PopulationCounts holds them.
  std::vector<std::uint32_t> called, het, allele1, haploid;
  // f2 of pair (i < j) summed over block b, and the variants behind it, at [pair_index(i, j) * block_ct + b].
  std::vector<double> f2_block_sum, f2_block_snps;
  std::vector<std::string> key;         // manifest key lines
  std::size_t filtered_variant_ct = 0;  // variants dropped by the store filters when it was built

  std::size_t pop_ct() const { return pop_names.size(); }
  std::size_t pair_index(std::size_t i, std::size_t j) const;  // i < j
  // Observed alleles of variant v in population p (two per diploid call, one per pseudohaploid call).
  double alleles(std::size_t v, std::size_t p) const {
    const std::size_t k = v * pop_ct() + p;
    return 2.0 * called[k] - haploid[k];
  }
  // Index of a population; throws Error naming the store for an unknown name.
  std::uint32_t index_of(const std::string& name, const std::string& where) const;
  // The store as the input of compute_fstats: the same populations, variants and counts as the pass it was
  // built from (minus filtered variants).
  PopulationData population_data() const;
};

// Builds a store from one pass over `data` (populations in their final order). `block_of_variant` and
// `block_ct` are the jackknife blocks of data.variants (see assign_jackknife_blocks).
// Statistics computed in the pass that builds a store, so that a command asking for them does not make a
// second pass over the stored counts. `result` is filled only when the store is built (not when it is read);
// it equals compute_fstats over the built store's population_data() with the same requests and options.
struct StatisticsAlongside {
  std::vector<StatisticRequest> requests;
  FstatsOptions options;
  std::optional<FstatsResult> result;
};

F2Store build_f2_store(const PopulationData& data, const std::vector<std::uint32_t>& block_of_variant,
                       std::size_t block_ct, const F2StoreKey& key, const Context& ctx,
                       StatisticsAlongside* alongside = nullptr);

// Writes the store into `dir` (created if absent); every file goes to a temporary name first and the manifest
// is written last, so a half-written store has no manifest.
void write_f2_store(const F2Store& store, const std::string& dir);

// True when `dir` holds a manifest.
bool f2_store_exists(const std::string& dir);

// Reads a store, checking the format version and every file's size and hash against the manifest. With
// `expected_key` non-empty, the store's key must equal it (else Error: stale store, naming the first
// difference).
F2Store read_f2_store(const std::string& dir, const std::vector<std::string>& expected_key = {});

// The store in `dir` for these inputs: read when present (Error when it is stale or damaged), else built
// from one pass over `data` and written. `built` tells which. `describe_inputs`, when given, fills in
// key.inputs just before the key is needed: before reading, or after the pass when building, so a digest
// computed in the background during the pass (RunLog::input_description) is not computed again.
F2Store open_or_build_f2_store(const std::string& dir, const PopulationData& data,
                               const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                               F2StoreKey key, const Context& ctx, bool& built,
                               const std::function<void(F2StoreKey&)>& describe_inputs = {},
                               StatisticsAlongside* alongside = nullptr);

}  // namespace genomap
