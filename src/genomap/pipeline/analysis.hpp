// `genomap analyze`: the whole population-structure analysis of one dataset as a series of library calls,
// each step writing the files its single command writes into one folder and caching its result there
// (step_cache.hpp), ending in the report's data document.
//
// Steps: input (VCF import when given one), qc (.smiss .vmiss .hardy .het, then --geno/--mind/--maf/--hwe),
// prune (.prune.in/.prune.out), kinship (.kin0 of pairs above the third-degree boundary,
// .king.cutoff.in.id/.out.id), pca (unrelated samples; relatives projected: .eigenvec .eigenval
// .eigenvec.var, .projected.eigenvec), admixture K=k for each K (.K.Q .K.P), popstats (.fst.summary, .f2,
// .fstats), gwas with --pheno (.PHENO.glm.*, .glm.summary, .gwas.covar), qpadm with right populations
// (.TARGET.qpadm.rotate), dating (.TARGET.date .date.curve .date.jackknife), ibd (.seg .ibd .ibd.pops),
// report.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/qc/filters.hpp"

namespace genomap {

struct AnalysisOptions {
  std::string bfile;  // PLINK 1 fileset prefix, or
  std::string vcf;    // a VCF/BCF imported once into the output folder
  std::string out_dir;
  std::string pop_file;
  std::string pop_column = "POP";
  std::string pop_coords;  // POP LAT LON [SOURCE...]
  std::string pop_order;   // one population per line
  FilterOptions filters;   // ID lists, --chr and the QC thresholds (defaults set by the front end)
  std::string registry, purpose;
  std::size_t k_min = 2, k_max = 6;
  std::size_t starts = 3;
  std::size_t cv_folds = 5;
  double king_cutoff = 0.0884;         // second degree (Manichaikul et al. 2010)
  double kinship_report_min = 0.0442;  // third-degree boundary: pairs kept for the report and .kin0
  std::size_t pcs = 10;
  std::string outgroup;
  // GWAS (step gwas, with a phenotype file): plink2-format --pheno/--covar tables, their columns (all when
  // empty), and how many of the PCA step's components join the covariates (PC1..PCn).
  std::string pheno_file, covar_file;
  std::vector<std::string> pheno_names, covar_names;
  std::size_t gwas_pcs = 10;
  // qpAdm (step qpadm, with right populations): every population outside the rights is a target, modelled by
  // rotation over the other populations (1..qpadm_max_sources sources; the rest of them join the rights).
  std::vector<std::string> qpadm_right;
  std::size_t qpadm_max_sources = 2;
  std::size_t qpadm_models_shown = 3;  // best feasible models per target in the report
  // Steps dating (genomap date of the admixed populations) and ibd (genomap ibd, sharing between
  // populations).
  bool dating = true, ibd = true;
  std::string command_line;  // for provenance
  // Writes report.html from the report's data document (the front end passes the report module's writer; by
  // default a plain page carrying the data element, see report_data.hpp).
  std::function<void(const nlohmann::json&, const std::string&)> write_page;
};

// Called by the pipeline as steps start and end; the front end draws them.
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void step_started(const std::string& name, std::size_t index, std::size_t step_ct) = 0;
  virtual void step_finished(const std::string& name, double seconds, bool cached) = 0;
};

struct StepRecord {
  std::string name;
  double seconds = 0;  // when cached: the time it took when it was computed
  bool cached = false;
};

struct AnalysisResult {
  std::string report_data_path, report_path;  // DIR/report-data.json, DIR/report.html
  std::vector<StepRecord> steps;
};

// Parses "2..6", "2-6" or "3" into [k_min, k_max]; throws Error for K < 2 or a reversed range.
std::pair<std::size_t, std::size_t> parse_k_range(const std::string& text);

// Runs every step (reading cached results where their keys match). An error is rethrown as an Error naming
// the step; the steps before it keep their files and cache entries, and no report is written. With a
// registry, the consented samples are selected before the run and the analysis is recorded in the registry
// after it, as completed or as failed.
AnalysisResult run_analysis(const AnalysisOptions& options, StepObserver* observer, const Context& ctx);

}  // namespace genomap
