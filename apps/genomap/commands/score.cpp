// genomap score: polygenic scores as plink2 --score (.sscore), optionally per p-value range
// (--q-score-range).
#include <fmt/format.h>

#include <cstdlib>
#include <unordered_map>

#include "command_registry.hpp"
#include "genomap/assoc/polygenic_score.hpp"
#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct ScoreCommandOptions {
  InputOptions input;
  std::string weights;
  std::vector<std::string> col_nums;  // ID,ALLELE,SCORES (SCORES a number or a range a-b)
  bool header = false;
  bool sum = false;
  bool scoresums = false;
  bool no_mean_imputation = false;
  std::vector<std::string> q_score_range;  // RANGE_FILE DATA_FILE
};

std::size_t parse_column(const std::string& text) {
  long long v;
  if (!parse_int64(text, v) || v < 1) throw Error("--score-col-nums: '" + text + "' is not a column number");
  return static_cast<std::size_t>(v);
}

ScoreColumns parse_columns(const ScoreCommandOptions& o) {
  ScoreColumns c;
  c.header = o.header;
  if (o.col_nums.empty()) return c;
  if (o.col_nums.size() != 3) throw Error("--score-col-nums takes ID,ALLELE,SCORES (e.g. 1,2,3 or 1,2,3-5)");
  c.id = parse_column(o.col_nums[0]);
  c.allele = parse_column(o.col_nums[1]);
  const auto dash = o.col_nums[2].find('-');
  c.first_score = parse_column(o.col_nums[2].substr(0, dash));
  c.last_score = dash == std::string::npos ? c.first_score : parse_column(o.col_nums[2].substr(dash + 1));
  return c;
}

void write_sscore(Invocation& inv, const Dataset& data, const ScoreWeights& w, const ScoreResult& r,
                  const ScoreCommandOptions& o, const std::string& suffix) {
  OutputFile& out = inv.outputs().open(suffix);
  std::FILE* f = out.stream();
  const bool mean_impute = !o.no_mean_imputation;
  fmt::print(f, "#FID\tIID\tALLELE_CT\tNAMED_ALLELE_DOSAGE_SUM");
  for (const auto& name : w.score_names) {
    if (!o.sum) fmt::print(f, "\t{}_AVG", name);
    if (o.sum || o.scoresums) fmt::print(f, "\t{}_SUM", name);
  }
  fmt::print(f, "\n");
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const Sample& s = data.sample(i);
    fmt::print(f, "{}\t{}\t{}\t{:.6g}", s.fid, s.iid, r.allele_ct[i], r.named_allele_dosage_sum[i]);
    for (std::size_t k = 0; k < w.score_names.size(); ++k) {
      if (!o.sum) fmt::print(f, "\t{:.6g}", r.sums[k][i] / r.average_denominator(i, mean_impute));
      if (o.sum || o.scoresums) fmt::print(f, "\t{:.6g}", r.sums[k][i]);
    }
    fmt::print(f, "\n");
  }
}

// Keeps the entries whose value in `values` lies in [lower, upper].
ScoreWeights subset(const ScoreWeights& w, const std::unordered_map<std::string, double>& values,
                    double lower, double upper) {
  ScoreWeights s = w;
  s.variant_idx.clear();
  s.named_is_allele1.clear();
  s.weights.clear();
  s.entry_ids.clear();
  for (std::size_t e = 0; e < w.variant_idx.size(); ++e) {
    auto it = values.find(w.entry_ids[e]);
    if (it == values.end() || it->second < lower || it->second > upper) continue;
    s.variant_idx.push_back(w.variant_idx[e]);
    s.named_is_allele1.push_back(w.named_is_allele1[e]);
    s.weights.push_back(w.weights[e]);
    s.entry_ids.push_back(w.entry_ids[e]);
  }
  return s;
}

void run_score(const ScoreCommandOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  ScoreWeights w = read_score_weights(o.weights, data, parse_columns(o));
  inv.log().add_input(o.weights);
  if (w.unknown_variant_ct)
    inv.log().note(fmt::format("warning: {} entries of {} name variants not in the fileset; skipped",
                               w.unknown_variant_ct, o.weights));
  if (w.allele_mismatch_ct)
    inv.log().note(fmt::format("warning: {} entries of {} were skipped due to mismatching allele codes",
                               w.allele_mismatch_ct, o.weights));
  if (w.variant_idx.empty()) throw Error(o.weights, 0, "no entry matches a variant of the fileset");
  ScoreOptions options;
  options.mean_impute = !o.no_mean_imputation;
  if (o.q_score_range.empty()) {
    ScoreResult r = compute_scores(data, w, options, inv.context());
    inv.log().note(fmt::format("{} variants scored", r.variant_ct));
    write_sscore(inv, data, w, r, o, ".sscore");
    return;
  }
  if (o.q_score_range.size() != 2) throw Error("--q-score-range takes RANGE_FILE DATA_FILE");
  std::unordered_map<std::string, double> values;
  {
    LineReader in(o.q_score_range[1]);
    std::string line;
    while (in.next(line)) {
      auto f = split_whitespace(line);
      if (f.size() < 2) continue;
      double v;
      if (!parse_double(f[1], v)) {
        if (in.line_number() == 1) continue;  // header
        in.fail("'" + std::string(f[1]) + "' is not a number");
      }
      values[std::string(f[0])] = v;
    }
  }
  LineReader ranges(o.q_score_range[0]);
  std::string line;
  while (ranges.next(line)) {
    auto f = split_whitespace(line);
    if (f.empty()) continue;
    double lower, upper;
    if (f.size() < 3 || !parse_double(f[1], lower) || !parse_double(f[2], upper))
      ranges.fail("expected NAME LOWER UPPER");
    ScoreWeights s = subset(w, values, lower, upper);
    ScoreResult r = compute_scores(data, s, options, inv.context());
    inv.log().note(fmt::format("range {} [{}, {}]: {} variants scored", f[0], lower, upper, r.variant_ct));
    write_sscore(inv, data, s, r, o, "." + std::string(f[0]) + ".sscore");
  }
}

const bool registered = register_command(
    {"score", "Polygenic scores from per-variant weights (.sscore)",
     [](CLI::App& app) {
       auto o = std::make_shared<ScoreCommandOptions>();
       add_input_options(app, o->input);
       app.add_option("--weights", o->weights,
                      "Weights file: variant ID, allele, weight(s) (plink2 --score file)")
           ->required();
       app.add_option("--score-col-nums", o->col_nums,
                      "Columns ID,ALLELE,SCORES (default 1,2,3; SCORES may be a range 3-5)")
           ->delimiter(',');
       app.add_flag("--score-header", o->header, "The first line names the columns (score names from it)");
       app.add_flag("--score-sum", o->sum, "Report sums (SCORE1_SUM) instead of averages (plink2 'sum')");
       app.add_flag("--score-sums", o->scoresums, "Also report sums (plink2 cols=+scoresums)");
       app.add_flag("--no-mean-imputation", o->no_mean_imputation,
                    "Missing genotypes count 0 (plink2 no-mean-imputation)");
       app.add_option("--q-score-range", o->q_score_range,
                      "RANGE_FILE DATA_FILE: one .sscore per range of values")
           ->expected(2);
       return Runner([o](Invocation& inv) { run_score(*o, inv); });
     },
     61});

}  // namespace
}  // namespace genomap::cli
