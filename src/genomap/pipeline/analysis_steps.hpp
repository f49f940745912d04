// The steps of `genomap analyze` (analysis.hpp), each a function from its inputs to a result document (JSON,
// stored by the step cache) plus the files it writes through an OutputSet. Sample and variant references in
// the documents are file positions (uidx) of the genotype store, so a later step rebuilds its Dataset view
// from them.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/pipeline/analysis.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/qc/filters.hpp"

namespace genomap {

// A view of `store` with the given samples and variants (file positions, ascending).
Dataset dataset_view(std::shared_ptr<const GenotypeStore> store,
                     const std::vector<std::uint32_t>& sample_uidx,
                     const std::vector<std::uint32_t>& variant_uidx);

// QC tables of `selected` (before the QC filters), then the filters. Result: kept sample_uidx/variant_uidx,
// per-sample missing rate and F of the selected samples, counts removed by each filter.
nlohmann::json qc_step(std::shared_ptr<const GenotypeStore> store, const FilterOptions& filters,
                       OutputSet& outputs, const Context& ctx);
// LD pruning (--indep-pairwise 50 5 0.2) of the QC'd data. Result: kept variant_uidx.
nlohmann::json prune_step(const Dataset& qc, OutputSet& outputs, const Context& ctx);
// KING-robust kinship of the QC'd data (all its variants but X, Y, MT), pairs >= report_min, and the maximal
// unrelated set at `cutoff`.
nlohmann::json kinship_step(const Dataset& qc, double cutoff, double report_min, OutputSet& outputs,
                            const Context& ctx);
// PCA of the unrelated samples on the pruned variants; relatives projected onto it.
nlohmann::json pca_step(const Dataset& unrelated, const Dataset& relatives, std::size_t pcs,
                        const std::string& prefix, OutputSet& outputs, const Context& ctx);
// One K of the ADMIXTURE model: `starts` fits with seeds seed, seed+1, ...; the best log-likelihood is kept
// and the others' columns are matched to it; cross-validation error of the best.
nlohmann::json admixture_step(const Dataset& data, std::size_t k, std::size_t starts, std::size_t cv_folds,
                              OutputSet& outputs, const Context& ctx);
// Fst of every pair of populations and f3 of every triple (and outgroup f3 with an outgroup).
nlohmann::json popstats_step(const Dataset& qc, const PopulationAssignment& pops, const std::string& outgroup,
                             OutputSet& outputs, const Context& ctx);

}  // namespace genomap
