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
#include "genomap/geno/population_labels.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/pipeline/analysis.hpp"
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

// The association study (plink2 --glm, as genomap glm) of the QC'd samples and variants: the phenotypes of
// `pheno_file`, the covariates of `covar_file` and the top `pcs` principal components of the PCA step (the
// unrelated samples' scores and the relatives' projections). Writes the .glm tables and summary, and
// PREFIX.gwas.covar: every covariate used, at full precision, so `genomap glm --covar` reproduces the run.
// Result: per phenotype its name, model, lambda and P per QC'd variant.
struct GwasInputs {
  std::string pheno_file;
  std::vector<std::string> pheno_names;
  std::string covar_file;
  std::vector<std::string> covar_names;
  std::size_t pcs = 10;
};
nlohmann::json gwas_step(const Dataset& qc, const nlohmann::json& pca_result, const GwasInputs& inputs,
                         OutputSet& outputs, const Context& ctx);

// qpAdm rotation (genomap qpadm --rotate) for every population outside `rights` as the target, over the
// other populations (f2 blocks of the QC'd data, chromosomes 1-22, as genomap qpadm reads genotypes). Writes
// PREFIX.TARGET.qpadm.rotate per target. Result: per target its best feasible models (up to `models_shown`,
// by p-value) with the weights' standard errors from a full qpAdm fit of each.
struct QpadmStepOptions {
  std::vector<std::string> rights;
  std::size_t max_sources = 2;
  std::size_t models_shown = 3;
};
nlohmann::json qpadm_step(const Dataset& qc, const PopulationAssignment& pops,
                          const QpadmStepOptions& options, OutputSet& outputs, const Context& ctx);

// The genetic map the dating and IBD steps use: the .bim's cM, or 1 cM per Mb of the bp positions when every
// autosomal variant's cM is 0 (as the bundled HapMap3 .bim has it).
struct GeneticMap {
  double uniform_cm_per_mb = 0;  // 0: the .bim's cM
  std::string description;       // ".bim" or "uniform 1 cM/Mb"
};
GeneticMap genetic_map_of(const Dataset& data);

// Which populations the dating step dates, and with which two sources: with a qpAdm step, each target whose
// best feasible model (the first shown) has two sources; without one, each population whose most negative
// admixture f3(T; A, B) of the popstats step has Z < -3, with A and B. The others, with the reason, are in
// not_dated; `skipped` says why there is nothing to date at all.
struct DatingCandidate {
  std::string target;
  std::vector<std::string> sources;
  std::string chosen_by;  // "qpadm" or "f3"
  std::string evidence;   // "qpAdm p = 0.31", "f3 Z = -25.1"
};
struct DatingPlan {
  std::string sources_from;  // "qpadm" or "f3"
  std::vector<DatingCandidate> candidates;
  nlohmann::json not_dated = nlohmann::json::array();  // [{target, reason}]
  std::string skipped;
};
DatingPlan dating_plan(const nlohmann::json* qpadm_result, const nlohmann::json& popstats_result);

// genomap date of each candidate on the QC'd data (the genetic map of genetic_map_of). Writes
// PREFIX.TARGET.date, .date.curve and .date.jackknife per dated target. A target the library cannot date
// (too few samples, too few distance bins) joins not_dated with the error's message. Result: the report's
// `dates` section (docs/report-data.md), the decay curve thinned to at most 250 points.
nlohmann::json dating_step(const Dataset& qc, const PopulationAssignment& pops, const DatingPlan& plan,
                           OutputSet& outputs, const Context& ctx);

// genomap ibd of the QC'd samples (every pair; the genetic map of genetic_map_of) and the sharing between
// the populations of `pops` by segment length. Writes .seg, .ibd and .ibd.pops. Result: the report's `ibd`
// section (per population pair the mean segments and cM per pair in each length bin; no per-pair segments),
// or `skipped` with the reason when there are too few samples or the library refuses the data.
nlohmann::json ibd_step(const Dataset& qc, const PopulationAssignment& pops, OutputSet& outputs,
                        const Context& ctx);

}  // namespace genomap
