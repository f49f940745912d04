// genomap admix: ADMIXTURE-model ancestry (unsupervised or supervised), cross-validation over a range of K,
// bootstrap standard errors. Outputs follow ADMIXTURE: PREFIX.K.Q and PREFIX.K.P.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "command_registry.hpp"
#include "genomap/admix/admixture.hpp"
#include "genomap/admix/admixture_files.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/io/line_reader.hpp"  // parse_int64
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct AdmixCliOptions {
  InputOptions input;
  std::string k = "2";
  double tolerance = 1e-4;
  std::size_t max_iterations = 2000;
  std::size_t starts = 1;
  std::size_t secants = 15;
  std::string algorithm = "em";
  std::size_t cv_folds = 0;
  bool supervised = false;
  std::string pop_file;
  std::size_t bootstrap = 0;
  std::size_t bootstrap_block = 500;
};

std::vector<std::size_t> parse_k_range(const std::string& text) {
  long long a = 0, b = 0;
  auto dots = text.find("..");
  if (dots == std::string::npos) dots = text.find('-');
  if (dots == std::string::npos) {
    if (!parse_int64(text, a))
      throw UsageError("--k: expected a number or a range such as 2..8, got '" + text + "'");
    b = a;
  } else {
    const std::size_t skip = text.compare(dots, 2, "..") == 0 ? 2 : 1;
    if (!parse_int64(text.substr(0, dots), a) || !parse_int64(text.substr(dots + skip), b) || a > b)
      throw UsageError("--k: invalid range '" + text + "'");
  }
  if (a < 2) throw UsageError(fmt::format("--k must be at least 2 (got {})", a));
  std::vector<std::size_t> ks;
  for (long long k = a; k <= b; ++k) ks.push_back(static_cast<std::size_t>(k));
  return ks;
}

void run_admix(const AdmixCliOptions& o, Invocation& inv) {
  const auto ks = parse_k_range(o.k);
  Dataset data = inv.load_dataset(o.input, Purpose::Ancestry);
  AdmixOptions base;
  base.tolerance = o.tolerance;
  base.max_iterations = o.max_iterations;
  base.random_starts = o.starts;
  base.secants = o.secants;
  base.algorithm = o.algorithm == "newton" ? AdmixAlgorithm::Newton : AdmixAlgorithm::Em;
  if (o.supervised) {
    if (o.pop_file.empty()) throw UsageError("--supervised needs --pop FILE");
    if (ks.size() != 1) throw UsageError("--supervised takes a single K");
    const SupervisedPopulations fixed =
        supervised_populations(read_population_labels(o.pop_file, data).label_of_sample(), ks[0], o.pop_file);
    base.fixed_population = fixed.fixed_population;
    const std::vector<std::string>& names = fixed.names;
    std::string order;
    for (std::size_t c = 0; c < names.size(); ++c)
      order += fmt::format("{}Q{}={}", c ? ", " : "", c + 1, names[c]);
    inv.log().note("supervised columns: " + order);
  }
  const AdmixGenotypes genotypes = load_admix_genotypes(data, inv.context());
  std::string summary = "K\tLOGLIK\tPASSES\tCONVERGED" + std::string(o.cv_folds ? "\tCV_ERROR" : "") + "\n";
  double best_cv = std::numeric_limits<double>::infinity();
  std::size_t best_k = 0;
  for (std::size_t k : ks) {
    auto start = std::chrono::steady_clock::now();
    AdmixOptions options = base;
    options.k = k;
    AdmixResult result = fit_admixture(genotypes, options, inv.context());
    double cv = 0.0;
    if (o.cv_folds) {
      cv = admixture_cross_validation(genotypes, options, result, o.cv_folds, inv.context());
      inv.log().note(fmt::format("CV error (K={}): {:.6f}", k, cv));
      if (cv < best_cv) {
        best_cv = cv;
        best_k = k;
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_admixture_matrix(inv.outputs().open(fmt::format(".{}.Q", k)), result.q);
    write_admixture_matrix(inv.outputs().open(fmt::format(".{}.P", k)), result.p);
    write_q_with_ids(inv.outputs().open(fmt::format(".{}.Q.ids", k)), data, result.q);
    if (o.bootstrap) {
      RowMatrix se =
          admixture_bootstrap_se(genotypes, options, result, o.bootstrap, o.bootstrap_block, inv.context());
      write_admixture_matrix(inv.outputs().open(fmt::format(".{}.Q_se", k)), se);
    }
    // The time goes to the log, not the summary: a result file is byte-identical from run to run.
    inv.log().note(fmt::format("admix K={}: {:.2f} s", k, seconds));
    summary += fmt::format("{}\t{:.6f}\t{}\t{}", k, result.log_likelihood, result.iterations,
                           result.converged ? "yes" : "no");
    if (o.cv_folds) summary += fmt::format("\t{:.6f}", cv);
    summary += "\n";
    inv.log().phase_done(fmt::format("admix K={}", k));
  }
  if (o.cv_folds) {
    inv.log().note(fmt::format("best K by cross-validation error: {} (CV error {:.6f})", best_k, best_cv));
    summary += fmt::format("# best K by CV error: {}\n", best_k);
  }
  inv.outputs().open(".admix.summary").write(summary);
}

const bool registered = register_command(
    {"admix", "Ancestry proportions under the ADMIXTURE model (.Q/.P)",
     [](CLI::App& app) {
       auto o = std::make_shared<AdmixCliOptions>();
       add_input_options(app, o->input);
       app.add_option("--k", o->k, "Number of ancestral populations, or a range such as 2..8");
       app.add_option("--tol", o->tolerance, "Stop when the log-likelihood rises by less than this");
       app.add_option("--max-iter", o->max_iterations, "Maximum data passes per fit");
       app.add_option("--starts", o->starts,
                      "Seeded starts (SVD + ALS from a random Q); with several, short runs pick the best")
           ->check(CLI::Range(1, 1000));
       app.add_option("--qn", o->secants, "Secant pairs of the quasi-Newton acceleration (ADMIXTURE uses 3)")
           ->check(CLI::Range(1, 50));
       app.add_option("--algorithm", o->algorithm,
                      "em: quasi-Newton-accelerated EM (default); newton: ADMIXTURE's block relaxation")
           ->check(CLI::IsMember({"em", "newton"}));
       app.add_option("--cv", o->cv_folds, "Cross-validation folds (0: none; ADMIXTURE uses 5)");
       app.add_flag("--supervised", o->supervised,
                    "Fix the ancestry of samples with a known population (--pop)");
       app.add_option("--pop", o->pop_file,
                      "Population labels: ADMIXTURE .pop ('-' unknown) or a table with POP");
       app.add_option("--bootstrap", o->bootstrap, "Bootstrap replicates for standard errors of Q (0: none)");
       app.add_option("--bootstrap-block", o->bootstrap_block, "Variants per bootstrap block");
       return Runner([o](Invocation& inv) { run_admix(*o, inv); });
     },
     40});

}  // namespace
}  // namespace genomap::cli
