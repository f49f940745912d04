// genomap glm: per-variant association tests as plink2 --glm (.glm.linear, .glm.logistic.hybrid, --adjust).
#include "genomap/assoc/glm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "command_registry.hpp"
#include "genomap/assoc/glm_files.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/pca/pca.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct GlmCommandOptions {
  InputOptions input;
  std::string pheno_file;
  std::vector<std::string> pheno_names;
  std::string covar_file;
  std::vector<std::string> covar_names;
  bool binary = false;
  bool adjust = false;
  bool firth = false, firth_fallback = false, no_firth = false;
  double vif = 50.0, max_corr = 0.999;
  bool omit_ref = false;
  std::size_t covar_pcs = 0;
};

// Under MPI: the ranks above 0 send their variants' results (the raw values, in variant order) to rank 0,
// which appends them in rank order to its own: the results of one process over all variants, from which it
// writes the tables, --adjust and the summary (genomic inflation over all variants) as one process does.
void gather_glm_results(std::vector<GlmPhenotypeResult>& results) {
  static_assert(std::is_trivially_copyable_v<GlmVariantResult>);
  if (mpi::rank() != 0) {
    for (const auto& r : results) {
      mpi::send_size(0, r.variants.size());
      mpi::send(0, std::string_view(reinterpret_cast<const char*>(r.variants.data()),
                                    r.variants.size() * sizeof(GlmVariantResult)));
    }
    return;
  }
  for (int rank = 1; rank < mpi::size(); ++rank)
    for (auto& r : results) {
      const std::size_t first = r.variants.size();
      r.variants.resize(first + static_cast<std::size_t>(mpi::receive_size(rank)));
      char* at = reinterpret_cast<char*>(r.variants.data() + first);
      mpi::receive(rank, (r.variants.size() - first) * sizeof(GlmVariantResult), [&](std::string_view piece) {
        std::memcpy(at, piece.data(), piece.size());
        at += piece.size();
      });
    }
}

void run_glm_command(const GlmCommandOptions& o, Invocation& inv) {
  if (int(o.firth) + int(o.firth_fallback) + int(o.no_firth) > 1)
    throw UsageError("--firth, --firth-fallback and --no-firth exclude each other");
  if (o.covar_pcs > 0 && mpi::distributed())
    throw UsageError(fmt::format(
        "--covar-pcs is not divided between MPI ranks ({} here): run pca first and give its .eigenvec as "
        "--covar",
        mpi::size()));
  Dataset data = inv.load_dataset(o.input);
  const std::vector<std::uint32_t> all_variants = data.variant_uidx;
  inv.distribute_variants(data);  // under MPI: this rank's variants; rank 0 gathers the results
  inv.log().add_input(o.pheno_file);
  const std::vector<GlmPhenotype> phenotypes =
      read_glm_phenotypes(o.pheno_file, o.pheno_names, data, o.binary, inv.context());
  GlmCovariates covariates;
  if (!o.covar_file.empty()) {
    inv.log().add_input(o.covar_file);
    covariates = read_glm_covariates(o.covar_file, o.covar_names, data, inv.context());
  } else if (!o.covar_names.empty()) {
    throw UsageError("--covar-name needs --covar");
  }
  if (o.covar_pcs > 0) {
    // The top principal components of the analysed samples' genotypes as extra covariates PC1..PCN, as plink2
    // users add the .eigenvec of --pca (run_pca: plink2 --pca conventions, autosomes only).
    if (o.covar_pcs >= data.sample_ct())
      throw Error(fmt::format("--covar-pcs {}: needs fewer components than the {} samples", o.covar_pcs,
                              data.sample_ct()));
    PcaOptions pca_options;
    pca_options.components = o.covar_pcs;
    const PcaResult pca = run_pca(data, pca_options, inv.context());
    inv.log().phase_done("principal components");
    std::vector<std::vector<double>> columns;
    for (std::size_t k = 0; k < o.covar_pcs; ++k) {
      const auto col = pca.sample_scores.col(static_cast<Eigen::Index>(k));
      columns.emplace_back(col.data(), col.data() + col.size());
    }
    const std::size_t first = covariates.names.size();
    add_principal_component_covariates(covariates, columns);
    if (covariates.source.empty()) covariates.source = "--covar-pcs";
    inv.log().note(fmt::format(
        "--covar-pcs {}: covariates {} ({} PCA, eigenvalues {:.6g})", o.covar_pcs,
        fmt::join(covariates.names.begin() + static_cast<std::ptrdiff_t>(first), covariates.names.end(), " "),
        pca.randomized ? "randomized" : "exact",
        fmt::join(std::vector<double>(pca.eigenvalues.begin(), pca.eigenvalues.end()), " ")));
  }
  GlmOptions options;
  options.firth = o.firth ? FirthMode::Always : o.no_firth ? FirthMode::Never : FirthMode::Fallback;
  options.vif_threshold = o.vif;
  options.max_corr = o.max_corr;
  options.omit_ref = o.omit_ref;
  auto results = run_glm(data, phenotypes, covariates, options, inv.context());
  inv.log().phase_done("regressions");
  if (mpi::distributed()) {
    inv.join_ranks();
    gather_glm_results(results);
    if (!inv.writes_outputs()) return;
    data.variant_uidx = all_variants;  // rank 0 writes the rows of every variant
    inv.log().phase_done("gather the other ranks' results");
  }
  std::vector<GlmSummaryRow> summary;
  for (const auto& r : results)
    summary.push_back(write_glm_tables(inv.outputs(), data, r, options.firth, o.adjust, inv.context()));
  write_glm_summary(inv.outputs().open(".glm.summary").stream(), summary);
  inv.log().phase_done("write results");
}

const bool registered = register_command(
    {"glm", "Association tests: linear / logistic-Firth regression (.glm.*)",
     [](CLI::App& app) {
       auto o = std::make_shared<GlmCommandOptions>();
       add_input_options(app, o->input);
       app.add_option("--pheno", o->pheno_file, "Phenotype file (#FID IID ... or IID ...; NA/-9 missing)")
           ->required();
       app.add_option("--pheno-name", o->pheno_names, "Phenotype columns to test (default: all)")
           ->delimiter(',');
       app.add_option("--covar", o->covar_file, "Covariate file (same format)");
       app.add_option("--covar-name", o->covar_names, "Covariate columns to use (default: all)")
           ->delimiter(',');
       app.add_flag("--binary", o->binary, "Require every phenotype to be case/control (1/2 or 0/1)");
       app.add_flag("--adjust", o->adjust,
                    "Also write .adjusted files (genomic control, Bonferroni, Holm, Sidak, BH, BY)");
       app.add_flag("--firth", o->firth, "Firth regression for every variant of a case/control phenotype");
       app.add_flag("--firth-fallback", o->firth_fallback,
                    "Logistic regression, Firth where it fails (default)");
       app.add_flag("--no-firth", o->no_firth, "Logistic regression only");
       app.add_flag("--omit-ref", o->omit_ref, "Always test ALT (default, as plink2: the minor allele)");
       app.add_option(
           "--covar-pcs", o->covar_pcs,
           "Add the top N principal components of the genotypes (plink2 --pca) as covariates PC1..PCN");
       app.add_option("--vif", o->vif, "Variance inflation factor limit (plink2 --vif)")
           ->capture_default_str();
       app.add_option("--max-corr", o->max_corr, "Predictor correlation limit (plink2 --max-corr)")
           ->capture_default_str();
       return Runner([o](Invocation& inv) { run_glm_command(*o, inv); });
     },
     60, true});

}  // namespace
}  // namespace genomap::cli
