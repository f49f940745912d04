// genomap pca: principal components as plink2's .eigenvec/.eigenval (and .eigenvec.var with --var-wts).
#include "genomap/pca/pca.hpp"

#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/pca/pca_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct PcaCommandOptions {
  InputOptions input;
  std::size_t pcs = 10;
  bool approx = false, exact = false, var_wts = false;
  double outlier_sigma = 0;  // 0: no outlier removal
  std::size_t outlier_iter = 5;
  double tolerance = 1e-2;
};

void run_pca_command(const PcaCommandOptions& o, Invocation& inv) {
  if (o.approx && o.exact) throw genomap::Error("--approx and --exact cannot be given together");
  Dataset data = inv.load_dataset(o.input, Purpose::Ancestry);
  PcaOptions options;
  options.components = o.pcs;
  options.method = o.approx ? PcaMethod::Randomized : o.exact ? PcaMethod::Exact : PcaMethod::Automatic;
  options.variant_weights = o.var_wts;
  options.randomized_tolerance = o.tolerance;
  OutlierOptions outliers;
  outliers.sigma = o.outlier_sigma;
  outliers.iterations = o.outlier_iter;
  const PcaWithOutliers run = o.outlier_sigma > 0
                                  ? run_pca_removing_outliers(data, options, outliers, inv.context())
                                  : PcaWithOutliers{run_pca(data, options, inv.context()), data, {}};
  inv.log().phase_done(run.pca.randomized ? "randomized PCA" : "exact PCA");
  write_eigenvec(inv.outputs().open(".eigenvec").stream(), run.analysed, run.pca.sample_scores);
  write_eigenval(inv.outputs().open(".eigenval").stream(), run.pca.eigenvalues);
  if (o.var_wts) write_variant_weights(inv.outputs().open(".eigenvec.var").stream(), *data.store, run.pca);
  if (o.outlier_sigma > 0) {
    std::FILE* f = inv.outputs().open(".outliers").stream();
    fmt::print(f, "#FID\tIID\tITERATION\tPC\tSIGMA\n");
    for (const auto& r : run.removed) {
      const Sample& s = data.store->samples()[r.sample_uidx];
      fmt::print(f, "{}\t{}\t{}\t{}\t{:.4g}\n", s.fid, s.iid, r.iteration, r.component, r.sigmas);
    }
    inv.log().note(fmt::format("{} outlier samples removed (listed in {}.outliers)", run.removed.size(),
                               inv.out_prefix()));
  }
  inv.log().phase_done("write PCA outputs");
}

const bool registered = register_command(
    {"pca", "Principal components (.eigenvec, .eigenval)",
     [](CLI::App& app) {
       auto o = std::make_shared<PcaCommandOptions>();
       add_input_options(app, o->input);
       app.add_option("--pcs", o->pcs, "Number of principal components")->capture_default_str();
       app.add_flag("--approx", o->approx, "Randomized block Krylov PCA (default above 5000 samples)");
       app.add_flag("--exact", o->exact,
                    "Exact PCA from the full relationship matrix (default up to 5000 samples)");
       app.add_flag("--var-wts", o->var_wts, "Also write variant weights and frequencies (.eigenvec.var)");
       app.add_option("--approx-tolerance", o->tolerance, "Randomized PCA: relative Ritz residual to reach")
           ->capture_default_str();
       auto* sigma = app.add_option("--outlier-sigma", o->outlier_sigma,
                                    "Remove samples beyond this many SDs on a top PC, as smartpca (e.g. 6)");
       app.add_option("--outlier-iter", o->outlier_iter, "Outlier removal: at most this many rounds")
           ->capture_default_str()
           ->needs(sigma);
       return Runner([o](Invocation& inv) { run_pca_command(*o, inv); });
     },
     30});

}  // namespace
}  // namespace genomap::cli
