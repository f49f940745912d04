// The GWAS step of `genomap analyze` (analysis_steps.hpp).
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>

#include "genomap/assoc/glm.hpp"
#include "genomap/assoc/glm_files.hpp"
#include "genomap/core/error.hpp"
#include "genomap/pipeline/analysis_steps.hpp"

namespace genomap {

using nlohmann::json;

namespace {

// The first `pcs` principal components of each QC'd sample: the PCA step's scores of the unrelated samples
// and the projections of their relatives (NaN for a sample in neither).
std::vector<std::vector<double>> principal_components(const Dataset& qc, const json& pca, std::size_t pcs) {
  std::map<std::uint32_t, std::pair<const json*, std::size_t>> where;
  const json& unrelated = pca.at("unrelated_scores");
  const json& relatives = pca.at("relative_scores");
  const auto unrelated_uidx = pca.at("unrelated_uidx").get<std::vector<std::uint32_t>>();
  const auto relative_uidx = pca.at("relative_uidx").get<std::vector<std::uint32_t>>();
  for (std::size_t i = 0; i < unrelated_uidx.size(); ++i) where[unrelated_uidx[i]] = {&unrelated, i};
  for (std::size_t i = 0; i < relative_uidx.size(); ++i) where[relative_uidx[i]] = {&relatives, i};
  if (unrelated.size() < pcs)
    throw Error(fmt::format("--gwas-pcs {}: the PCA step has only {} components", pcs, unrelated.size()));
  std::vector<std::vector<double>> columns(pcs, std::vector<double>(qc.sample_ct()));
  for (std::size_t s = 0; s < qc.sample_ct(); ++s) {
    const auto found = where.find(qc.samples.uidx(s));
    for (std::size_t k = 0; k < pcs; ++k)
      columns[k][s] = found == where.end() || found->second.first->size() <= k
                          ? std::numeric_limits<double>::quiet_NaN()
                          : found->second.first->at(k).at(found->second.second).get<double>();
  }
  return columns;
}

// Every covariate of the run, as plink2 reads a --covar file, with values that read back to the same doubles.
void write_covariates(std::FILE* f, const Dataset& qc, const GlmCovariates& covariates) {
  fmt::print(f, "#FID\tIID");
  for (const auto& name : covariates.names) fmt::print(f, "\t{}", name);
  fmt::print(f, "\n");
  for (std::size_t s = 0; s < qc.sample_ct(); ++s) {
    const auto& sample = qc.store->samples()[qc.samples.uidx(s)];
    fmt::print(f, "{}\t{}", sample.fid, sample.iid);
    for (const auto& column : covariates.values)
      fmt::print(f, "\t{}", std::isnan(column[s]) ? std::string("NA") : fmt::format("{:.17g}", column[s]));
    fmt::print(f, "\n");
  }
}

}  // namespace

json gwas_step(const Dataset& qc, const json& pca_result, const GwasInputs& in, OutputSet& outputs,
               const Context& ctx) {
  const std::vector<GlmPhenotype> phenotypes =
      read_glm_phenotypes(in.pheno_file, in.pheno_names, qc, false, ctx);
  GlmCovariates covariates;
  if (!in.covar_file.empty()) covariates = read_glm_covariates(in.covar_file, in.covar_names, qc, ctx);
  covariates.source = in.covar_file.empty() ? "--gwas-pcs" : in.covar_file;
  add_principal_component_covariates(covariates, principal_components(qc, pca_result, in.pcs));
  write_covariates(outputs.open(".gwas.covar").stream(), qc, covariates);
  const GlmOptions options;  // firth-fallback, as genomap glm by default
  const auto results = run_glm(qc, phenotypes, covariates, options, ctx);
  std::vector<GlmSummaryRow> summary;
  json tested = json::array();
  for (const auto& r : results) {
    summary.push_back(write_glm_tables(outputs, qc, r, options.firth, false, ctx));
    std::vector<double> p(r.variants.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t v = 0; v < p.size(); ++v)
      if (r.variants[v].has_values()) p[v] = r.variants[v].p;
    tested.push_back({{"name", r.name},
                      {"model", summary.back().model},
                      {"lambda", summary.back().lambda},
                      {"samples", r.sample_ct},
                      {"p", p}});
  }
  write_glm_summary(outputs.open(".glm.summary").stream(), summary);
  return {{"variant_uidx", qc.variant_uidx}, {"covariates", covariates.names}, {"phenotypes", tested}};
}

}  // namespace genomap
