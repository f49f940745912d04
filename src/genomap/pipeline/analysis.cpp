#include "genomap/pipeline/analysis.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include "genomap/core/error.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/pipeline/analysis_steps.hpp"
#include "genomap/pipeline/report_data.hpp"
#include "genomap/pipeline/step_cache.hpp"
#include "genomap/registry/consent_filter.hpp"
#include "genomap/vcf/vcf_import.hpp"
#include "genomap/core/utc_time.hpp"

namespace genomap {

using nlohmann::json;
namespace fs = std::filesystem;

std::pair<std::size_t, std::size_t> parse_k_range(const std::string& text) {
  long long a = 0, b = 0;
  auto dots = text.find("..");
  if (dots == std::string::npos) dots = text.find('-');
  if (dots == std::string::npos) {
    if (!parse_int64(text, a))
      throw Error("--k: expected a number or a range such as 2..6, got '" + text + "'");
    b = a;
  } else {
    const std::size_t skip = text.compare(dots, 2, "..") == 0 ? 2 : 1;
    if (!parse_int64(text.substr(0, dots), a) || !parse_int64(text.substr(dots + skip), b) || a > b)
      throw Error("--k: invalid range '" + text + "'");
  }
  if (a < 2) throw Error(fmt::format("--k must be at least 2 (got {})", a));
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

class StepRunner {
 public:
  StepRunner(StepCache& cache, StepObserver* observer, std::size_t step_ct, const Context& ctx)
      : cache_(cache), observer_(observer), step_ct_(step_ct), ctx_(ctx) {}

  // Reads the step's cached result or computes it with `compute(outputs)`; errors are rethrown naming the
  // step.
  template <class Compute>
  json run(const std::string& name, const std::string& key, const std::string& prefix, Compute compute) {
    if (observer_) observer_->step_started(name, index_++, step_ct_);
    const auto start = std::chrono::steady_clock::now();
    if (auto cached = cache_.lookup(file_name(name), key)) {
      ctx_.note(fmt::format("step {}: cached (key {})", name, key));
      finish(name, cache_.recorded_seconds(file_name(name)), true);
      return std::move(*cached);
    }
    json result;
    std::vector<std::string> files;
    try {
      OutputSet outputs(prefix);
      result = compute(outputs);
      outputs.commit_all();
      files = outputs.paths();
      // Files a step wrote and committed itself (the report page).
      if (result.contains("written_files"))
        for (const auto& f : result["written_files"]) files.push_back(f.get<std::string>());
    } catch (const std::exception& e) {
      if (observer_) observer_->step_finished(name, seconds_since(start), false);
      throw Error(fmt::format("analyze step '{}' failed: {}", name, e.what()));
    }
    const double seconds = seconds_since(start);
    cache_.store(file_name(name), key, result, files, seconds);
    ctx_.note(fmt::format("step {}: computed in {:.2f} s", name, seconds));
    finish(name, seconds, false);
    return result;
  }

  const std::vector<StepRecord>& records() const { return records_; }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  static std::string file_name(const std::string& name) {
    std::string s = name;
    for (char& c : s)
      if (c == ' ' || c == '=') c = '-';
    return s;
  }
  void finish(const std::string& name, double seconds, bool cached) {
    records_.push_back({name, seconds, cached});
    if (observer_) observer_->step_finished(name, seconds, cached);
  }

  StepCache& cache_;
  StepObserver* observer_;
  std::size_t step_ct_;
  std::size_t index_ = 0;
  const Context& ctx_;
  std::vector<StepRecord> records_;
};

// Population labels of the QC'd samples, in report order (pop file order, or --pop-order's).
struct Populations {
  PopulationAssignment file_order;  // as read
  std::vector<std::string> report_order;
  std::vector<std::int32_t> report_index;  // per QC sample
};

// The population names of a sample table's `column` in the order of the file's rows (read_population_file
// has already checked the file).
std::vector<std::string> names_in_row_order(const std::string& path, const std::string& column) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> names;
  std::size_t col = std::string::npos;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (col == std::string::npos) {
      for (std::size_t i = 0; i < f.size(); ++i)
        if (f[i] == column || f[i] == "#" + column) col = i;
      if (col == std::string::npos) return names;
      continue;
    }
    if (col < f.size() && std::find(names.begin(), names.end(), f[col]) == names.end())
      names.emplace_back(f[col]);
  }
  return names;
}

Populations read_populations(const AnalysisOptions& o, const Dataset& qc, const Context& ctx) {
  Populations p;
  p.file_order = read_population_file(o.pop_file, o.pop_column, qc.store->samples(), qc.samples.uidx_list());
  if (p.file_order.pop_ct() == 0) throw Error(o.pop_file, 0, "no analysed sample has a population label");
  for (const auto& name : names_in_row_order(o.pop_file, o.pop_column))
    if (std::find(p.file_order.names.begin(), p.file_order.names.end(), name) != p.file_order.names.end())
      p.report_order.push_back(name);
  for (const auto& name : p.file_order.names)
    if (std::find(p.report_order.begin(), p.report_order.end(), name) == p.report_order.end())
      p.report_order.push_back(name);
  if (!o.pop_order.empty()) {
    std::vector<std::string> order = read_population_order(o.pop_order);
    for (const auto& name : p.report_order)
      if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
    std::vector<std::string> known;
    for (const auto& name : order) {
      if (std::find(p.report_order.begin(), p.report_order.end(), name) != p.report_order.end())
        known.push_back(name);
      else
        ctx.note(
            fmt::format("warning: {}: population '{}' has no analysed sample; ignored", o.pop_order, name));
    }
    p.report_order = known;
  }
  p.report_index.resize(qc.sample_ct(), -1);
  for (std::size_t i = 0; i < qc.sample_ct(); ++i) {
    const auto f = p.file_order.pop_of_sample[i];
    if (f < 0) continue;
    const auto& name = p.file_order.names[static_cast<std::size_t>(f)];
    p.report_index[i] = static_cast<std::int32_t>(
        std::find(p.report_order.begin(), p.report_order.end(), name) - p.report_order.begin());
  }
  return p;
}

// The populations Fst and f-statistics can use (at least 2 analysed samples), in name order as genomap fst
// and fstats order them.
PopulationAssignment popstats_populations(const PopulationAssignment& assignment, const Context& ctx) {
  std::vector<std::string> labels(assignment.pop_of_sample.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto p = assignment.pop_of_sample[i];
    if (p >= 0 && assignment.sizes[static_cast<std::size_t>(p)] >= 2)
      labels[i] = assignment.names[static_cast<std::size_t>(p)];
  }
  for (std::size_t p = 0; p < assignment.pop_ct(); ++p)
    if (assignment.sizes[p] < 2)
      ctx.note(fmt::format("popstats: population '{}' has {} analysed sample; left out of Fst and f3",
                           assignment.names[p], assignment.sizes[p]));
  PopulationAssignment out = assign_populations(labels);
  out.sort_by_name();
  return out;
}

}  // namespace

AnalysisResult run_analysis(const AnalysisOptions& o, StepObserver* observer, const Context& ctx) {
  if (o.bfile.empty() == o.vcf.empty()) throw Error("analyze: give exactly one of --bfile or --vcf");
  if (o.pop_file.empty()) throw Error("analyze: --pop FILE is required");
  if (o.k_min < 2 || o.k_min > o.k_max)
    throw Error(fmt::format("--k: invalid range {}..{}", o.k_min, o.k_max));
  if (o.starts < 1) throw Error("--starts must be at least 1");
  fs::create_directories(o.out_dir);
  const std::string name = dataset_name(o);
  const std::string prefix = (fs::path(o.out_dir) / name).string();
  const std::string started = utc_now_iso8601();
  // Checked before any step runs, so a bad file costs nothing.
  const auto places = o.pop_coords.empty() ? std::map<std::string, PopulationPlace>{}
                                           : read_population_coordinates(o.pop_coords);

  StepCache cache(o.out_dir, ctx);
  const std::size_t step_ct = (o.vcf.empty() ? 0 : 1) + 6 + (o.k_max - o.k_min + 1);
  StepRunner steps(cache, observer, step_ct, ctx);
  json inputs = json::array();

  std::string bfile = o.bfile;
  if (!o.vcf.empty()) {
    inputs.push_back(describe_input(o.vcf));
    steps.run("import", content_key("import/1|" + joined_keys(inputs)), prefix, [&](OutputSet& outputs) {
      VcfImportOptions vcf;
      vcf.path = o.vcf;
      const VcfImportCounts counts = import_vcf(vcf, outputs, ctx);
      return json{{"variants", counts.variants_written}, {"samples", counts.sample_ct}};
    });
    bfile = prefix;
  }
  auto store = std::make_shared<const GenotypeStore>(GenotypeStore::open_bfile(bfile));
  for (const auto& path : {store->bed_path(), store->bim_path(), store->fam_path()})
    inputs.push_back(describe_input(path));
  for (const auto& path : {o.filters.keep, o.filters.remove, o.filters.extract, o.filters.exclude})
    if (!path.empty()) inputs.push_back(describe_input(path));
  const std::string data_key = joined_keys(inputs);  // what the genotype steps depend on
  json label_inputs = json::array();
  label_inputs.push_back(describe_input(o.pop_file));
  const std::string pop_key = joined_keys(label_inputs);
  for (const auto& path : {o.pop_coords, o.pop_order})
    if (!path.empty()) label_inputs.push_back(describe_input(path));
  const std::string labels_key = joined_keys(label_inputs);
  inputs.insert(inputs.end(), label_inputs.begin(), label_inputs.end());

  if (o.k_max > store->sample_ct())
    throw Error(fmt::format("--k {}..{}: K cannot exceed the number of samples ({})", o.k_min, o.k_max,
                            store->sample_ct()));
  // Population labels must name some sample of the fileset before anything runs.
  {
    std::vector<std::uint32_t> all(store->sample_ct());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto labels = read_population_file(o.pop_file, o.pop_column, store->samples(), all);
    if (labels.pop_ct() == 0) throw Error(o.pop_file, 0, "no sample of the fileset has a population label");
    if (!o.outgroup.empty()) labels.index_of(o.outgroup, "--outgroup");
  }

  FilterOptions filters = o.filters;
  std::optional<json> consent;
  std::string consent_key;
  if (!o.registry.empty() || !o.purpose.empty()) {
    if (o.registry.empty() || o.purpose.empty())
      throw Error("--registry and --purpose must be given together");
    std::map<std::string, std::size_t> excluded;
    filters.allowed_samples =
        consented_samples({o.registry, o.purpose, true, "", bfile}, store->samples(), ctx, &excluded);
    json reasons = json::array();
    for (const auto& [reason, n] : excluded) reasons.push_back({{"reason", reason}, {"n", n}});
    consent = json{{"purpose", o.purpose}, {"excluded", reasons}};
    for (auto s : *filters.allowed_samples) consent_key += std::to_string(s) + ",";
  }

  const std::string input_key = data_key + content_key(consent_key);
  const std::string qc_key = content_key(
      fmt::format("qc/1|{}|geno={}|mind={}|maf={}|hwe={}|midp={}|chr={}|autosome={}", input_key,
                  optional_text(filters.max_variant_missing), optional_text(filters.max_sample_missing),
                  optional_text(filters.min_maf), optional_text(filters.min_hwe_p), filters.hwe_midp,
                  filters.chromosomes, filters.autosomes_only));
  const json qc_result =
      steps.run("qc", qc_key, prefix, [&](OutputSet& out) { return qc_step(store, filters, out, ctx); });
  const Dataset qc = dataset_view(store, qc_result.at("sample_uidx").get<std::vector<std::uint32_t>>(),
                                  qc_result.at("variant_uidx").get<std::vector<std::uint32_t>>());

  const std::string prune_key = content_key("prune/1|" + qc_key);
  const json prune_result =
      steps.run("prune", prune_key, prefix, [&](OutputSet& out) { return prune_step(qc, out, ctx); });
  const auto pruned_variants = prune_result.at("variant_uidx").get<std::vector<std::uint32_t>>();

  const std::string kinship_key = content_key(
      fmt::format("kinship/1|{}|cutoff={:.17g}|report={:.17g}", qc_key, o.king_cutoff, o.kinship_report_min));
  const json kinship_result = steps.run("kinship", kinship_key, prefix, [&](OutputSet& out) {
    return kinship_step(qc, o.king_cutoff, o.kinship_report_min, out, ctx);
  });

  const std::string pca_key = content_key(fmt::format("pca/1|{}|{}|pcs={}", prune_key, kinship_key, o.pcs));
  const json pca_result = steps.run("pca", pca_key, prefix, [&](OutputSet& out) {
    const Dataset unrelated = dataset_view(
        store, kinship_result.at("unrelated_uidx").get<std::vector<std::uint32_t>>(), pruned_variants);
    const Dataset relatives = dataset_view(
        store, kinship_result.at("relative_uidx").get<std::vector<std::uint32_t>>(), pruned_variants);
    return pca_step(unrelated, relatives, o.pcs, prefix, out, ctx);
  });

  // ADMIXTURE's model is for diploid genotypes: the pruned autosomal variants (as genomap admix --autosome).
  std::vector<std::uint32_t> admix_variants;
  for (auto uidx : pruned_variants)
    if (is_autosome(store->variants()[uidx].chrom_code)) admix_variants.push_back(uidx);
  if (admix_variants.empty()) throw Error("analyze: no autosomal variants left after pruning for ADMIXTURE");
  const Dataset admix_data = dataset_view(store, qc.samples.uidx_list(), admix_variants);
  if (o.k_max > admix_data.sample_ct())
    throw Error(fmt::format("--k {}..{}: K cannot exceed the {} samples left after QC", o.k_min, o.k_max,
                            admix_data.sample_ct()));
  std::vector<json> admixture_results;
  for (std::size_t k = o.k_min; k <= o.k_max; ++k) {
    const std::string key = content_key(fmt::format("admixture/1|{}|k={}|starts={}|cv={}|seed={}", prune_key,
                                                    k, o.starts, o.cv_folds, ctx.seed));
    admixture_results.push_back(steps.run(fmt::format("admixture K={}", k), key, prefix, [&](OutputSet& out) {
      return admixture_step(admix_data, k, o.starts, o.cv_folds, out, ctx);
    }));
  }

  const Populations pops = read_populations(o, qc, ctx);
  if (pops.file_order.unassigned_ct)
    ctx.note(fmt::format("{} analysed samples have no population label (shown as unassigned)",
                         pops.file_order.unassigned_ct));
  for (const auto& [pop, place] : places)
    if (std::find(pops.report_order.begin(), pops.report_order.end(), pop) == pops.report_order.end())
      ctx.note(
          fmt::format("warning: {}: population '{}' has no analysed sample; ignored", o.pop_coords, pop));
  const std::string popstats_key = content_key(
      fmt::format("popstats/1|{}|{}|column={}|outgroup={}", qc_key, pop_key, o.pop_column, o.outgroup));
  const json popstats_result = steps.run("popstats", popstats_key, prefix, [&](OutputSet& out) {
    const PopulationAssignment usable = popstats_populations(pops.file_order, ctx);
    if (usable.pop_ct() < 2)
      throw Error(o.pop_file, 0, "Fst and f3 need at least 2 populations of 2 or more samples");
    return popstats_step(qc, usable, o.outgroup, out, ctx);
  });

  // The report: its key covers every step's key, so it is rebuilt exactly when something it shows changed.
  std::string report_text =
      "report/1|" + labels_key + qc_key + prune_key + kinship_key + pca_key + popstats_key;
  for (const auto& r : admixture_results)
    report_text += std::to_string(r.at("k").get<std::size_t>()) + r.at("loglik").dump();
  AnalysisResult result;
  result.report_data_path = (fs::path(o.out_dir) / "report-data.json").string();
  result.report_path = (fs::path(o.out_dir) / "report.html").string();
  const json report = steps.run("report", content_key(report_text), prefix, [&](OutputSet& out) {
    ReportInputs in;
    in.title = name;
    in.source = o.vcf.empty() ? "--bfile " + o.bfile : "--vcf " + o.vcf;
    in.qc = &qc;
    in.samples_before = store->sample_ct();
    in.variants_before = store->variant_ct();
    const json& removed = qc_result.at("removed");
    const auto selected_samples = qc_result.at("selected_sample_uidx").size();
    const auto selected_variants = qc_result.at("selected_variant_ct").get<std::size_t>();
    if (selected_samples != store->sample_ct() || selected_variants != store->variant_ct())
      in.exclusions.push_back(
          {{"step", "input"},
           {"reason", consent ? "sample/variant lists, --chr, consent" : "sample/variant lists, --chr"},
           {"samples", store->sample_ct() - selected_samples},
           {"variants", store->variant_ct() - selected_variants}});
    auto add = [&](const char* flag, const std::optional<double>& v, const char* key, bool samples) {
      const std::size_t removed_ct = removed.at(key).get<std::size_t>();
      if (!v || removed_ct == 0) return;  // one row per filter that removed something
      in.exclusions.push_back({{"step", "qc"},
                               {"reason", fmt::format("{} {}", flag, *v)},
                               {"samples", samples ? removed_ct : 0},
                               {"variants", samples ? 0 : removed_ct}});
    };
    add("--maf", filters.min_maf, "maf", false);
    in.population_order = pops.report_order;
    in.pop_of_sample = pops.report_index;
    in.places = places;
    in.qc_result = &qc_result;
    in.kinship_result = &kinship_result;
    in.pca_result = &pca_result;
    for (const auto& r : admixture_results) in.admixture_results.push_back(&r);
    in.popstats_result = &popstats_result;
    in.outgroup = o.outgroup;
    if (consent) {
      in.consent = *consent;
      (*in.consent)["analysed"] = qc.sample_ct();
    }
    json parameters = {{"k", fmt::format("{}..{}", o.k_min, o.k_max)},
                       {"starts", o.starts},
                       {"cv", o.cv_folds},
                       {"king-cutoff", o.king_cutoff},
                       {"pcs", o.pcs},
                       {"indep-pairwise", "50 5 0.2"},
                       {"seed", ctx.seed}};
    if (filters.max_variant_missing) parameters["geno"] = *filters.max_variant_missing;
    if (filters.max_sample_missing) parameters["mind"] = *filters.max_sample_missing;
    if (filters.min_maf) parameters["maf"] = *filters.min_maf;
    if (filters.min_hwe_p) parameters["hwe"] = *filters.min_hwe_p;
    if (!o.outgroup.empty()) parameters["outgroup"] = o.outgroup;
    if (!o.filters.chromosomes.empty()) parameters["chr"] = o.filters.chromosomes;
    if (o.filters.autosomes_only) parameters["autosome"] = true;
    json steps_json = json::array();
    for (const auto& s : steps.records())
      steps_json.push_back({{"name", s.name}, {"seconds", s.seconds}, {"cached", s.cached}});
    in.provenance = {{"version", GENOMAP_VERSION}, {"command", o.command_line}, {"started", started},
                     {"inputs", inputs},           {"parameters", parameters},  {"steps", steps_json}};
    json data = build_report_data(in);
    OutputFile& f = out.open_path(result.report_data_path);
    f.write(data.dump(1) + "\n");
    f.commit();
    if (o.write_page)
      o.write_page(data, result.report_path);
    else
      write_report(data, result.report_path);
    return json{{"written_files", {result.report_path}}};
  });
  (void)report;
  result.steps = steps.records();
  return result;
}

}  // namespace genomap
