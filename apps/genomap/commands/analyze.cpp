// genomap analyze: QC, LD pruning, kinship, PCA, ADMIXTURE over a range of K, Fst and f3 of one dataset into
// one folder (--out DIR), each step cached there, ending in DIR/report.html.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/pipeline/analysis.hpp"
#include "genomap/report/report_html.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct AnalyzeCliOptions {
  InputOptions input;
  std::string vcf;
  std::string pop_file, pop_coords, pop_order, outgroup;
  std::string k = "2..6";
  std::size_t starts = 3;
  std::size_t cv_folds = 5;
  double king_cutoff = 0.0884;
  std::size_t pcs = 10;
  std::string pheno_file, covar_file;
  std::vector<std::string> pheno_names, covar_names, qpadm_right;
  std::size_t gwas_pcs = 10, qpadm_max_sources = 2;
  bool no_dating = false, no_ibd = false;
};

// One line per step on stderr. On a terminal the running step's line is redrawn with a bar and an estimate of
// the time left (from the share done so far); elsewhere only the finished steps' lines are written.
class StepProgress : public Progress, public StepObserver {
 public:
  explicit StepProgress(bool terminal) : terminal_(terminal) {}
  void step_started(const std::string& name, std::size_t index, std::size_t step_ct) override {
    label_ = fmt::format("[{}/{}] {}", index + 1, step_ct, name);
    start_ = std::chrono::steady_clock::now();
    last_ = {};
  }
  void update(std::string_view, std::size_t done, std::size_t total) override {
    if (!terminal_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(share * 30);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const std::string left = share > 0.02 ? fmt::format("~{:.0f} s left", elapsed * (1 - share) / share) : "";
    fmt::print(stderr, "\r\033[K{:<24} [{}{}] {:5.1f}% {}", label_, std::string(filled, '#'),
               std::string(30 - filled, '.'), 100 * share, left);
    std::fflush(stderr);
  }
  void finish() override {}
  void step_finished(const std::string&, double seconds, bool cached) override {
    const std::string what = cached ? fmt::format("cached ({:.1f} s when computed)", seconds)
                                    : fmt::format("done in {:.1f} s", seconds);
    fmt::print(stderr, "{}{:<24} {}\n", terminal_ ? "\r\033[K" : "", label_, what);
  }

 private:
  bool terminal_;
  std::string label_;
  std::chrono::steady_clock::time_point start_{}, last_{};
};

AnalysisOptions analysis_options(const AnalyzeCliOptions& o, Invocation& inv) {
  AnalysisOptions options;
  options.bfile = o.input.bfile;
  options.vcf = o.vcf;
  options.out_dir = inv.out_prefix();
  options.pop_file = o.pop_file;
  options.pop_coords = o.pop_coords;
  options.pop_order = o.pop_order;
  options.outgroup = o.outgroup;
  options.filters = o.input.filters;
  // The pipeline's QC defaults; each flag given on the command line replaces its default.
  options.filters.max_variant_missing = o.input.filters.max_variant_missing.value_or(0.05);
  options.filters.max_sample_missing = o.input.filters.max_sample_missing.value_or(0.1);
  options.filters.min_maf = o.input.filters.min_maf.value_or(0.01);
  options.filters.min_hwe_p = o.input.filters.min_hwe_p.value_or(1e-6);
  options.registry = o.input.registry;
  options.purpose = o.input.purpose;
  std::tie(options.k_min, options.k_max) = parse_k_range(o.k);
  options.starts = o.starts;
  options.cv_folds = o.cv_folds;
  options.king_cutoff = o.king_cutoff;
  options.pcs = o.pcs;
  options.pheno_file = o.pheno_file;
  options.pheno_names = o.pheno_names;
  options.covar_file = o.covar_file;
  options.covar_names = o.covar_names;
  options.gwas_pcs = o.gwas_pcs;
  options.qpadm_right = o.qpadm_right;
  options.qpadm_max_sources = o.qpadm_max_sources;
  options.dating = !o.no_dating;
  options.ibd = !o.no_ibd;
  options.command_line = inv.log().command_line();
  // The report page: the web bundle embedded in the report module, with the data document inside.
  options.write_page = [](const nlohmann::json& data, const std::string& path) {
    report::write_report_html(data, path);
  };
  return options;
}

void run_analyze(const AnalyzeCliOptions& o, Invocation& inv) {
  const AnalysisOptions options = analysis_options(o, inv);
  inv.set_log_path(inv.out_prefix() + "/analyze.log");

  std::unique_ptr<StepProgress> progress;
  if (!inv.options().quiet) progress = std::make_unique<StepProgress>(::isatty(STDERR_FILENO) != 0);
  Context ctx = inv.context();
  ctx.progress = progress.get();
  const AnalysisResult result = run_analysis(options, progress.get(), ctx);
  std::size_t cached = 0;
  for (const auto& s : result.steps) cached += s.cached;
  inv.log().note(fmt::format("{} steps, {} of them cached; report: {}", result.steps.size(), cached,
                             result.report_path));
  inv.log().phase_done("analyze");
  if (!inv.options().quiet) fmt::print(stderr, "report: {}\n", result.report_path);
}

void add_analysis_options(CLI::App& app, AnalyzeCliOptions& o) {
  add_input_options(app, o.input);
  app.get_option("--bfile")->required(false);
  app.get_option("--maf")->description(
      "Remove variants with minor allele frequency below this (default 0.01)");
  app.get_option("--geno")->description("Remove variants with missing call rate above this (default 0.05)");
  app.get_option("--mind")->description("Remove samples with missing call rate above this (default 0.1)");
  app.get_option("--hwe")->description(
      "Remove variants with Hardy-Weinberg exact p below this (default 1e-6)");
  app.add_option("--vcf", o.vcf, "VCF/BCF input, imported once into the output folder (instead of --bfile)");
  app.add_option("--pop", o.pop_file, "Population file: header FID IID POP (or IID POP)")->required();
  app.add_option("--pop-coords", o.pop_coords, "Population places: POP LAT LON [SOURCE] per line");
  app.add_option("--pop-order", o.pop_order, "Order of the populations in the report, one per line");
  app.add_option("--k", o.k, "Number of ancestral populations: a range such as 2..6, or one K")
      ->capture_default_str();
  app.add_option("--starts", o.starts, "ADMIXTURE fits per K (seeds --seed, --seed+1, ...); the best is kept")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--cv", o.cv_folds, "Cross-validation folds for each K (0: none)")->capture_default_str();
  app.add_option("--king-cutoff", o.king_cutoff, "Kinship above which one of a pair is set aside for PCA")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.5));
  app.add_option("--pcs", o.pcs, "Principal components")->capture_default_str();
  app.add_option("--outgroup", o.outgroup, "Also outgroup f3(POP; A, B) for every pair of other populations");
}

// The optional GWAS and qpAdm steps, and the dating and IBD steps (run unless skipped).
void add_model_options(CLI::App& app, AnalyzeCliOptions& o) {
  app.add_option("--pheno", o.pheno_file,
                 "Phenotypes for a GWAS step, as genomap glm reads them (#FID IID ... or IID ...)");
  app.add_option("--pheno-name", o.pheno_names, "Phenotype columns to test (default: all)")->delimiter(',');
  app.add_option("--covar", o.covar_file, "Covariates of the GWAS (same format)");
  app.add_option("--covar-name", o.covar_names, "Covariate columns to use (default: all)")->delimiter(',');
  app.add_option("--gwas-pcs", o.gwas_pcs,
                 "Top principal components of the PCA step added to the GWAS covariates (0: none)")
      ->capture_default_str();
  app.add_option("--qpadm-right", o.qpadm_right,
                 "Right populations R1,...,Rn: qpAdm rotation for every other population as target")
      ->delimiter(',');
  app.add_option("--qpadm-max-sources", o.qpadm_max_sources, "Largest qpAdm model size (1-3)")
      ->capture_default_str();
  app.add_flag("--no-dating", o.no_dating,
               "Skip the dating step (genomap date of each population qpAdm or admixture f3 finds admixed)");
  app.add_flag("--no-ibd", o.no_ibd,
               "Skip the IBD step (genomap ibd of every pair, sharing between populations)");
}

const bool registered = register_command(
    {"analyze", "The whole analysis of a dataset into one folder and an HTML report (--out DIR)",
     [](CLI::App& app) {
       auto o = std::make_shared<AnalyzeCliOptions>();
       add_analysis_options(app, *o);
       add_model_options(app, *o);
       return Runner([o](Invocation& inv) { run_analyze(*o, inv); });
     },
     5});

}  // namespace
}  // namespace genomap::cli
