// Polygenic scores as plink2 --score: per sample, the sum over scored variants of weight x dosage of the named
// allele (missing genotypes mean-imputed from the named allele's frequency among the samples, unless disabled),
// reported averaged over 2 x (scored variants) or summed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct ScoreWeights {
  std::vector<std::string> score_names;              // SCORE1, SCORE2, ... or the header's names
  std::vector<std::uint32_t> variant_idx;            // one per scored variant (dataset positions)
  std::vector<char> named_is_allele1;                // the named allele is allele 1 (ALT); else allele 2 (REF)
  std::vector<std::vector<double>> weights;          // [entry][score]
  std::vector<std::string> entry_ids;                // variant IDs of the entries (for --q-score-range)
  std::size_t unknown_variant_ct = 0;                // entries whose ID is not among the dataset's variants
  std::size_t allele_mismatch_ct = 0;                // entries whose allele is neither REF nor ALT
};

struct ScoreColumns {
  std::size_t id = 1, allele = 2;       // 1-based
  std::size_t first_score = 3, last_score = 3;
  bool header = false;                  // first line names the columns (a first line starting with # is always one)
};

// Reads a weights file. Throws Error naming file and line for a non-numeric weight, a short line or a variant
// listed twice.
ScoreWeights read_score_weights(const std::string& path, const Dataset& data, const ScoreColumns& columns);

struct ScoreOptions {
  bool mean_impute = true;
};

struct ScoreResult {
  std::size_t variant_ct = 0;
  std::vector<std::uint32_t> allele_ct;        // per sample: 2 x non-missing scored variants
  std::vector<double> named_allele_dosage_sum; // per sample, over non-missing genotypes
  std::vector<std::vector<double>> sums;       // [score][sample]
  // The denominator plink2 averages by: 2 x scored variants with mean-imputation, else the sample's allele_ct.
  double average_denominator(std::size_t sample_idx, bool mean_impute) const {
    return mean_impute ? 2.0 * static_cast<double>(variant_ct) : static_cast<double>(allele_ct[sample_idx]);
  }
};

ScoreResult compute_scores(const Dataset& data, const ScoreWeights& weights, const ScoreOptions& options,
                           const Context& ctx);

}  // namespace genomap
