// Sample and variant filters shared by every analysis command (--keep/--remove, --extract/--exclude, --chr,
// --maf, --geno, --mind, --hwe). They produce a Dataset view; the genotype store is not copied.
// Order, as plink2: ID lists and --chr first, then --mind (sample call rate over the remaining variants), then
// --geno, --hwe and --maf on the remaining samples.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct FilterOptions {
  std::string keep, remove;       // sample ID files
  std::string extract, exclude;   // variant ID files
  std::string chromosomes;        // --chr list, e.g. "1-22,X"
  bool autosomes_only = false;    // --autosome
  std::optional<double> min_maf;  // --maf: drop variants with minor allele frequency below
  std::optional<double> max_variant_missing;  // --geno
  std::optional<double> max_sample_missing;   // --mind
  std::optional<double> min_hwe_p;            // --hwe
  bool hwe_midp = false;
  // Sample positions allowed by an outside rule (the registry's consent); applied with --keep/--remove.
  std::optional<std::vector<std::uint32_t>> allowed_samples;
};

// How many samples and variants each filter removed (ID lists, --chr and consent together as `selected`).
struct FilterCounts {
  std::size_t samples_selected = 0, variants_selected = 0;  // after ID lists, --chr and consent
  std::size_t mind_removed = 0;
  std::size_t geno_removed = 0, hwe_removed = 0, maf_removed = 0;
};

// Applies the filters to the whole store. Counts removed by each filter go to the log (and to `counts` when
// given). Throws Error when no samples or no variants remain.
Dataset apply_filters(std::shared_ptr<const GenotypeStore> store, const FilterOptions& options, const Context& ctx,
                      FilterCounts* counts = nullptr);

// Reads a sample ID file (plink2 style: optional header '#FID IID'/'#IID'/'FID IID', then FID IID or IID per
// line) and returns the positions of the listed samples; IDs absent from the fileset are counted in `missing_ct`.
std::vector<std::uint32_t> read_sample_id_file(const std::string& path, const SampleTable& samples,
                                               std::size_t* missing_ct = nullptr);
// Reads a variant ID file (first token of each non-empty line).
std::vector<std::string> read_variant_id_file(const std::string& path);

}  // namespace genomap
