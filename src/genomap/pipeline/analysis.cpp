#include "genomap/pipeline/analysis.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include "genomap/core/error.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/core/utc_time.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/sample_table_file.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/pipeline/analysis_populations.hpp"
#include "genomap/pipeline/analysis_steps.hpp"
#include "genomap/pipeline/report_data.hpp"
#include "genomap/pipeline/step_cache.hpp"
#include "genomap/pipeline/step_runner.hpp"
#include "genomap/registry/consent_filter.hpp"
#include "genomap/vcf/vcf_import.hpp"

namespace genomap {

using nlohmann::json;
namespace fs = std::filesystem;

std::pair<std::size_t, std::size_t> parse_k_range(const std::string& text) {
  long long a = 0, b = 0;
  auto dots = text.find("..");
  if (dots == std::string::npos) dots = text.find('-');
  if (dots == std::string::npos) {
    if (!parse_int64(text, a))
      throw UsageError("--k: expected a number or a range such as 2..6, got '" + text + "'");
    b = a;
  } else {
    const std::size_t skip = text.compare(dots, 2, "..") == 0 ? 2 : 1;
    if (!parse_int64(text.substr(0, dots), a) || !parse_int64(text.substr(dots + skip), b) || a > b)
      throw UsageError("--k: invalid range '" + text + "'");
  }
  if (a < 2) throw UsageError(fmt::format("--k must be at least 2 (got {})", a));
  return {static_cast<std::size_t>(a), static_cast<std::size_t>(b)};
}

namespace {

// An input file for provenance and cache keys: path, size and XXH3-128 hash.
json describe_input(const std::string& path) {
  const std::string d = describe_file(path);  // "<bytes> bytes xxh128:<hex>"
  const auto space = d.find(' ');
  return {{"path", path},
          {"bytes", std::stoull(d.substr(0, space))},
          {"hash", "xxh3-128:" + d.substr(d.rfind(':') + 1)}};
}

std::string joined_keys(const json& inputs) {
  std::string text;
  for (const auto& i : inputs) text += i.at("hash").get<std::string>() + ";";
  return text;
}

std::string optional_text(const std::optional<double>& v) { return v ? fmt::format("{:.17g}", *v) : "none"; }

std::string dataset_name(const AnalysisOptions& o) {
  fs::path p = o.vcf.empty() ? fs::path(o.bfile) : fs::path(o.vcf);
  std::string name = p.filename().string();
  for (const char* ext : {".gz", ".vcf", ".bcf"})
    if (name.size() > std::string(ext).size() && name.ends_with(ext))
      name.resize(name.size() - std::string(ext).size());
  return name.empty() ? "genomap" : name;
}

// The consent of a registry: the selection made before the run, recorded in the registry after it.
struct Consent {
  ConsentQuery query;
  ConsentSelection selection;
  std::string key;  // the consented samples, for the cache keys
};

// One run of the pipeline: the steps in order, each a member function that computes (or reads from the cache)
// its result and keeps what later steps need.
class Analysis {
 public:
  Analysis(const AnalysisOptions& o, StepObserver* observer, const Context& ctx)
      : o_(o),
        ctx_(ctx),
        name_(dataset_name(o)),
        prefix_((fs::path(o.out_dir) / name_).string()),
        started_(utc_now_iso8601()),
        cache_(o.out_dir, ctx),
        steps_(cache_, observer, step_count(o), ctx),
        places_(read_places(o)) {}

  AnalysisResult run() {
    open_input();
    select_consented();
    try {
      run_steps();
    } catch (const std::exception& e) {
      record(false, e.what());
      throw;
    }
    record(true, "");
    return result_;
  }

 private:
  // Checked before any step runs, so a bad file costs nothing.
  static std::map<std::string, PopulationPlace> read_places(const AnalysisOptions& o) {
    if (o.pop_coords.empty()) return {};
    return read_population_coordinates(o.pop_coords);
  }

  static std::size_t step_count(const AnalysisOptions& o) {
    return (o.vcf.empty() ? 0 : 1) + 6 + (o.k_max - o.k_min + 1) + !o.pheno_file.empty() +
           !o.qpadm_right.empty() + o.dating + o.ibd;
  }

  void run_steps() {
    run_qc();
    run_prune();
    run_kinship();
    run_pca();
    run_admixture();
    run_popstats();
    if (!o_.pheno_file.empty()) run_gwas();
    if (!o_.qpadm_right.empty()) run_qpadm();
    if (o_.dating) run_dating();
    if (o_.ibd) run_ibd();
    run_report();
    result_.steps = steps_.records();
  }

  // The input fileset (imported from VCF when given one), the inputs' hashes for provenance and keys, and the
  // checks that need the fileset: K against the sample count, population labels, the outgroup.
  void open_input() {
    std::string bfile = o_.bfile;
    if (!o_.vcf.empty()) {
      inputs_.push_back(describe_input(o_.vcf));
      steps_.run("import", content_key("import/1|" + joined_keys(inputs_)), prefix_, [&](OutputSet& outputs) {
        VcfImportOptions vcf;
        vcf.path = o_.vcf;
        const VcfImportCounts counts = import_vcf(vcf, outputs, ctx_);
        return json{{"variants", counts.variants_written}, {"samples", counts.sample_ct}};
      });
      bfile = prefix_;
    }
    store_ = std::make_shared<const GenotypeStore>(GenotypeStore::open_bfile(bfile));
    for (const auto& path : {store_->bed_path(), store_->bim_path(), store_->fam_path()})
      inputs_.push_back(describe_input(path));
    for (const auto& path : {o_.filters.keep, o_.filters.remove, o_.filters.extract, o_.filters.exclude})
      if (!path.empty()) inputs_.push_back(describe_input(path));
    data_key_ = joined_keys(inputs_);
    json label_inputs = json::array();
    label_inputs.push_back(describe_input(o_.pop_file));
    pop_key_ = joined_keys(label_inputs);
    for (const auto& path : {o_.pop_coords, o_.pop_order})
      if (!path.empty()) label_inputs.push_back(describe_input(path));
    labels_key_ = joined_keys(label_inputs);
    inputs_.insert(inputs_.end(), label_inputs.begin(), label_inputs.end());
    for (const auto& path : {o_.pheno_file, o_.covar_file})
      if (!path.empty()) inputs_.push_back(describe_input(path));
    check_against_fileset();
  }

  void check_against_fileset() const {
    if (o_.k_max > store_->sample_ct())
      throw Error(fmt::format("--k {}..{}: K cannot exceed the number of samples ({})", o_.k_min, o_.k_max,
                              store_->sample_ct()));
    std::vector<std::uint32_t> all(store_->sample_ct());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto labels = read_population_labels(o_.pop_file, store_->samples(), all, o_.pop_column);
    if (labels.pop_ct() == 0) throw Error(o_.pop_file, 0, "no sample of the fileset has a population label");
    if (!o_.outgroup.empty()) labels.index_of(o_.outgroup, "--outgroup");
    for (const auto& pop : o_.qpadm_right) labels.index_of(pop, "--qpadm-right");
    // Phenotype and covariate tables are read once here, so a malformed one fails before any step runs.
    if (!o_.pheno_file.empty()) read_sample_columns(o_.pheno_file, store_->samples(), o_.pheno_names);
    if (!o_.covar_file.empty()) read_sample_columns(o_.covar_file, store_->samples(), o_.covar_names);
  }

  // The samples whose consent covers the purpose (nothing is written to the registry yet).
  void select_consented() {
    filters_ = o_.filters;
    if (o_.registry.empty() && o_.purpose.empty()) return;
    if (o_.registry.empty() || o_.purpose.empty())
      throw UsageError("--registry and --purpose must be given together");
    consent_.emplace();
    consent_->query = ConsentQuery{o_.registry, o_.purpose, true, "", o_.vcf.empty() ? o_.bfile : prefix_};
    consent_->selection = select_consented_samples(consent_->query, store_->samples(), ctx_);
    filters_.allowed_samples = consent_->selection.allowed;
    for (auto s : consent_->selection.allowed) consent_->key += std::to_string(s) + ",";
  }

  // The registry's entry for this analysis: the samples used (after QC when it ran), inputs and outputs.
  void record(bool succeeded, const std::string& error) {
    if (!consent_) return;
    AnalysisOutcome outcome;
    outcome.succeeded = succeeded;
    outcome.error = error;
    outcome.command = o_.command_line;
    outcome.samples_used = qc_ ? qc_->samples.uidx_list() : consent_->selection.allowed;
    for (const auto& input : inputs_)
      outcome.inputs.push_back(input.at("path").get<std::string>() + "  " +
                               describe_file(input.at("path").get<std::string>()));
    if (succeeded)
      for (const auto& path : steps_.files()) outcome.outputs.push_back(path + "  " + describe_file(path));
    record_analysis(consent_->query, consent_->selection, outcome);
  }

  void run_qc() {
    const std::string input_key = data_key_ + content_key(consent_ ? consent_->key : "");
    qc_key_ = content_key(fmt::format("qc/1|{}|geno={}|mind={}|maf={}|hwe={}|midp={}|chr={}|autosome={}",
                                      input_key, optional_text(filters_.max_variant_missing),
                                      optional_text(filters_.max_sample_missing),
                                      optional_text(filters_.min_maf), optional_text(filters_.min_hwe_p),
                                      filters_.hwe_midp, filters_.chromosomes, filters_.autosomes_only));
    qc_result_ = steps_.run("qc", qc_key_, prefix_,
                            [&](OutputSet& out) { return qc_step(store_, filters_, out, ctx_); });
    qc_ = dataset_view(store_, qc_result_.at("sample_uidx").get<std::vector<std::uint32_t>>(),
                       qc_result_.at("variant_uidx").get<std::vector<std::uint32_t>>());
  }

  void run_prune() {
    prune_key_ = content_key("prune/1|" + qc_key_);
    const json result =
        steps_.run("prune", prune_key_, prefix_, [&](OutputSet& out) { return prune_step(*qc_, out, ctx_); });
    pruned_variants_ = result.at("variant_uidx").get<std::vector<std::uint32_t>>();
  }

  void run_kinship() {
    kinship_key_ = content_key(fmt::format("kinship/1|{}|cutoff={:.17g}|report={:.17g}", qc_key_,
                                           o_.king_cutoff, o_.kinship_report_min));
    kinship_result_ = steps_.run("kinship", kinship_key_, prefix_, [&](OutputSet& out) {
      return kinship_step(*qc_, o_.king_cutoff, o_.kinship_report_min, out, ctx_);
    });
  }

  void run_pca() {
    pca_key_ = content_key(fmt::format("pca/1|{}|{}|pcs={}", prune_key_, kinship_key_, o_.pcs));
    pca_result_ = steps_.run("pca", pca_key_, prefix_, [&](OutputSet& out) {
      const auto uidx = [&](const char* key) {
        return kinship_result_.at(key).get<std::vector<std::uint32_t>>();
      };
      const Dataset unrelated = dataset_view(store_, uidx("unrelated_uidx"), pruned_variants_);
      const Dataset relatives = dataset_view(store_, uidx("relative_uidx"), pruned_variants_);
      return pca_step(unrelated, relatives, o_.pcs, prefix_, out, ctx_);
    });
  }

  // ADMIXTURE's model is for diploid genotypes: the pruned autosomal variants (as genomap admix --autosome).
  void run_admixture() {
    std::vector<std::uint32_t> admix_variants;
    for (auto uidx : pruned_variants_)
      if (is_autosome(store_->variants()[uidx].chrom_code)) admix_variants.push_back(uidx);
    if (admix_variants.empty())
      throw Error("analyze: no autosomal variants left after pruning for ADMIXTURE");
    const Dataset admix_data = dataset_view(store_, qc_->samples.uidx_list(), admix_variants);
    if (o_.k_max > admix_data.sample_ct())
      throw Error(fmt::format("--k {}..{}: K cannot exceed the {} samples left after QC", o_.k_min, o_.k_max,
                              admix_data.sample_ct()));
    for (std::size_t k = o_.k_min; k <= o_.k_max; ++k) {
      const std::string key = content_key(fmt::format("admixture/1|{}|k={}|starts={}|cv={}|seed={}",
                                                      prune_key_, k, o_.starts, o_.cv_folds, ctx_.seed));
      admixture_results_.push_back(steps_.run(
          fmt::format("admixture K={}", k), key, prefix_,
          [&](OutputSet& out) { return admixture_step(admix_data, k, o_.starts, o_.cv_folds, out, ctx_); }));
    }
  }

  void run_popstats() {
    pops_ = read_populations(o_, *qc_, ctx_);
    if (pops_.file_order.unassigned_ct)
      ctx_.note(fmt::format("{} analysed samples have no population label (shown as unassigned)",
                            pops_.file_order.unassigned_ct));
    for (const auto& [pop, place] : places_)
      if (std::find(pops_.report_order.begin(), pops_.report_order.end(), pop) == pops_.report_order.end())
        ctx_.note(
            fmt::format("warning: {}: population '{}' has no analysed sample; ignored", o_.pop_coords, pop));
    usable_pops_ = popstats_populations(pops_.file_order, ctx_);
    popstats_key_ = content_key(
        fmt::format("popstats/1|{}|{}|column={}|outgroup={}", qc_key_, pop_key_, o_.pop_column, o_.outgroup));
    popstats_result_ = steps_.run("popstats", popstats_key_, prefix_, [&](OutputSet& out) {
      if (usable_pops_.pop_ct() < 2)
        throw Error(o_.pop_file, 0, "Fst and f3 need at least 2 populations of 2 or more samples");
      return popstats_step(*qc_, usable_pops_, o_.outgroup, out, ctx_);
    });
  }

  void run_gwas() {
    const auto file_key = [](const std::string& path) {
      return path.empty() ? std::string("none") : describe_input(path).at("hash").get<std::string>();
    };
    gwas_key_ =
        content_key(fmt::format("gwas/1|{}|{}|pheno={}|{}|covar={}|{}|pcs={}", qc_key_, pca_key_,
                                file_key(o_.pheno_file), fmt::join(o_.pheno_names, ","),
                                file_key(o_.covar_file), fmt::join(o_.covar_names, ","), o_.gwas_pcs));
    gwas_result_ = steps_.run("gwas", gwas_key_, prefix_, [&](OutputSet& out) {
      GwasInputs in{o_.pheno_file, o_.pheno_names, o_.covar_file, o_.covar_names, o_.gwas_pcs};
      return gwas_step(*qc_, pca_result_, in, out, ctx_);
    });
  }

  void run_qpadm() {
    qpadm_key_ = content_key(fmt::format("qpadm/1|{}|{}|column={}|right={}|max={}|shown={}", qc_key_,
                                         pop_key_, o_.pop_column, fmt::join(o_.qpadm_right, ","),
                                         o_.qpadm_max_sources, o_.qpadm_models_shown));
    qpadm_result_ = steps_.run("qpadm", qpadm_key_, prefix_, [&](OutputSet& out) {
      QpadmStepOptions in{o_.qpadm_right, o_.qpadm_max_sources, o_.qpadm_models_shown};
      return qpadm_step(*qc_, usable_pops_, in, out, ctx_);
    });
  }

  // Dates of the admixed populations, with the sources qpAdm chose (with --qpadm-right) or admixture f3.
  void run_dating() {
    dating_key_ = content_key(fmt::format("dating/1|{}|{}|column={}|{}|{}", qc_key_, pop_key_, o_.pop_column,
                                          qpadm_key_.empty() ? "no-qpadm" : qpadm_key_, popstats_key_));
    dating_result_ = steps_.run("dating", dating_key_, prefix_, [&](OutputSet& out) {
      const DatingPlan plan = dating_plan(qpadm_key_.empty() ? nullptr : &qpadm_result_, popstats_result_);
      return dating_step(*qc_, usable_pops_, plan, out, ctx_);
    });
  }

  void run_ibd() {
    ibd_key_ = content_key(fmt::format("ibd/1|{}|{}|column={}", qc_key_, pop_key_, o_.pop_column));
    ibd_result_ = steps_.run("ibd", ibd_key_, prefix_,
                             [&](OutputSet& out) { return ibd_step(*qc_, pops_.file_order, out, ctx_); });
  }

  // The report: its key covers every step's key, so it is rebuilt exactly when something it shows changed.
  void run_report() {
    std::string report_text = "report/1|" + labels_key_ + qc_key_ + prune_key_ + kinship_key_ + pca_key_ +
                              popstats_key_ + gwas_key_ + qpadm_key_ + dating_key_ + ibd_key_;
    for (const auto& r : admixture_results_)
      report_text += std::to_string(r.at("k").get<std::size_t>()) + r.at("loglik").dump();
    result_.report_data_path = (fs::path(o_.out_dir) / "report-data.json").string();
    result_.report_path = (fs::path(o_.out_dir) / "report.html").string();
    steps_.run("report", content_key(report_text), prefix_, [&](OutputSet& out) {
      const json data = build_report_data(report_inputs());
      OutputFile& f = out.open_path(result_.report_data_path);
      f.write(data.dump(1) + "\n");
      f.commit();
      if (o_.write_page)
        o_.write_page(data, result_.report_path);
      else
        write_report(data, result_.report_path);
      return json{{"written_files", {result_.report_path}}};
    });
  }

  ReportInputs report_inputs() const {
    ReportInputs in;
    in.title = name_;
    in.source = o_.vcf.empty() ? "--bfile " + o_.bfile : "--vcf " + o_.vcf;
    in.qc = &*qc_;
    in.samples_before = store_->sample_ct();
    in.variants_before = store_->variant_ct();
    in.exclusions = exclusions();
    in.population_order = pops_.report_order;
    in.pop_of_sample = pops_.report_index;
    in.places = places_;
    in.qc_result = &qc_result_;
    in.kinship_result = &kinship_result_;
    in.pca_result = &pca_result_;
    for (const auto& r : admixture_results_) in.admixture_results.push_back(&r);
    in.popstats_result = &popstats_result_;
    if (!gwas_key_.empty()) in.gwas_result = &gwas_result_;
    if (!qpadm_key_.empty()) in.qpadm_result = &qpadm_result_;
    if (!dating_key_.empty()) in.dates_result = &dating_result_;
    if (!ibd_key_.empty()) in.ibd_result = &ibd_result_;
    in.outgroup = o_.outgroup;
    if (consent_) {
      json reasons = json::array();
      for (const auto& [reason, n] : consent_->selection.excluded)
        reasons.push_back({{"reason", reason}, {"n", n}});
      in.consent = json{{"purpose", o_.purpose}, {"excluded", reasons}, {"analysed", qc_->sample_ct()}};
    }
    json steps_json = json::array();
    for (const auto& s : steps_.records())
      steps_json.push_back({{"name", s.name}, {"seconds", s.seconds}, {"cached", s.cached}});
    in.provenance = {{"version", GENOMAP_VERSION}, {"command", o_.command_line}, {"started", started_},
                     {"inputs", inputs_},          {"parameters", parameters()}, {"steps", steps_json}};
    return in;
  }

  // One row per filter that removed something.
  json exclusions() const {
    json rows = json::array();
    const json& removed = qc_result_.at("removed");
    const auto selected_samples = qc_result_.at("selected_sample_uidx").size();
    const auto selected_variants = qc_result_.at("selected_variant_ct").get<std::size_t>();
    if (selected_samples != store_->sample_ct() || selected_variants != store_->variant_ct())
      rows.push_back(
          {{"step", "input"},
           {"reason", consent_ ? "sample/variant lists, --chr, consent" : "sample/variant lists, --chr"},
           {"samples", store_->sample_ct() - selected_samples},
           {"variants", store_->variant_ct() - selected_variants}});
    auto add = [&](const char* flag, const std::optional<double>& v, const char* key, bool samples) {
      const std::size_t removed_ct = removed.at(key).get<std::size_t>();
      if (!v || removed_ct == 0) return;
      rows.push_back({{"step", "qc"},
                      {"reason", fmt::format("{} {}", flag, *v)},
                      {"samples", samples ? removed_ct : 0},
                      {"variants", samples ? 0 : removed_ct}});
    };
    add("--mind", filters_.max_sample_missing, "mind", true);
    add("--geno", filters_.max_variant_missing, "geno", false);
    add("--hwe", filters_.min_hwe_p, "hwe", false);
    add("--maf", filters_.min_maf, "maf", false);
    return rows;
  }

  json parameters() const {
    json p = {{"k", fmt::format("{}..{}", o_.k_min, o_.k_max)},
              {"starts", o_.starts},
              {"cv", o_.cv_folds},
              {"king-cutoff", o_.king_cutoff},
              {"pcs", o_.pcs},
              {"indep-pairwise", "50 5 0.2"},
              {"seed", ctx_.seed}};
    if (filters_.max_variant_missing) p["geno"] = *filters_.max_variant_missing;
    if (filters_.max_sample_missing) p["mind"] = *filters_.max_sample_missing;
    if (filters_.min_maf) p["maf"] = *filters_.min_maf;
    if (filters_.min_hwe_p) p["hwe"] = *filters_.min_hwe_p;
    if (!o_.outgroup.empty()) p["outgroup"] = o_.outgroup;
    if (!o_.filters.chromosomes.empty()) p["chr"] = o_.filters.chromosomes;
    if (o_.filters.autosomes_only) p["autosome"] = true;
    if (!o_.pheno_file.empty()) p["gwas-pcs"] = o_.gwas_pcs;
    if (!o_.qpadm_right.empty()) {
      p["qpadm-right"] = fmt::format("{}", fmt::join(o_.qpadm_right, ","));
      p["qpadm-max-sources"] = o_.qpadm_max_sources;
    }
    if (!o_.dating) p["no-dating"] = true;
    if (!o_.ibd) p["no-ibd"] = true;
    return p;
  }

 private:
  const AnalysisOptions& o_;
  const Context& ctx_;
  const std::string name_, prefix_, started_;
  StepCache cache_;
  StepRunner steps_;
  std::map<std::string, PopulationPlace> places_;
  std::shared_ptr<const GenotypeStore> store_;
  json inputs_ = json::array();
  std::string data_key_, pop_key_, labels_key_;
  FilterOptions filters_;
  std::optional<Consent> consent_;
  std::string qc_key_, prune_key_, kinship_key_, pca_key_, popstats_key_, gwas_key_, qpadm_key_, dating_key_,
      ibd_key_;
  json qc_result_, kinship_result_, pca_result_, popstats_result_, gwas_result_, qpadm_result_,
      dating_result_, ibd_result_;
  std::optional<Dataset> qc_;
  std::vector<std::uint32_t> pruned_variants_;
  std::vector<json> admixture_results_;
  Populations pops_;
  PopulationAssignment usable_pops_;
  AnalysisResult result_;
};

void check_options(const AnalysisOptions& o) {
  if (o.bfile.empty() == o.vcf.empty()) throw UsageError("analyze: give exactly one of --bfile or --vcf");
  if (o.pop_file.empty()) throw UsageError("analyze: --pop FILE is required");
  if (o.k_min < 2 || o.k_min > o.k_max)
    throw UsageError(fmt::format("--k: invalid range {}..{}", o.k_min, o.k_max));
  if (o.starts < 1) throw UsageError("--starts must be at least 1");
  if (o.pheno_file.empty() && !(o.covar_file.empty() && o.pheno_names.empty() && o.covar_names.empty()))
    throw UsageError("analyze: --covar, --pheno-name and --covar-name need --pheno");
  if (o.covar_file.empty() && !o.covar_names.empty()) throw UsageError("analyze: --covar-name needs --covar");
  if (!o.pheno_file.empty() && o.gwas_pcs > o.pcs)
    throw UsageError(
        fmt::format("--gwas-pcs {}: the PCA step computes only --pcs {} components", o.gwas_pcs, o.pcs));
  if (!o.qpadm_right.empty() && o.qpadm_right.size() < 2)
    throw UsageError("--qpadm-right needs at least two populations");
  if (o.qpadm_max_sources < 1 || o.qpadm_max_sources > 3)
    throw UsageError("--qpadm-max-sources must be 1, 2 or 3");
}

}  // namespace

AnalysisResult run_analysis(const AnalysisOptions& o, StepObserver* observer, const Context& ctx) {
  check_options(o);
  // A run that fails before any step completes leaves no folder behind it had to create (the completed steps of
  // a later failure stay: the next run reuses them).
  const bool existed = fs::exists(o.out_dir);
  fs::create_directories(o.out_dir);
  try {
    Analysis analysis(o, observer, ctx);
    return analysis.run();
  } catch (...) {
    if (!existed) {
      std::error_code ignored;
      fs::remove(fs::path(o.out_dir) / ".analyze-cache", ignored);  // only when empty
      fs::remove(o.out_dir, ignored);                               // likewise
    }
    throw;
  }
}

}  // namespace genomap
