// genomap score: polygenic scores as plink2 --score (.sscore), optionally per p-value range
// (--q-score-range).
#include <fmt/format.h>

#include <cstdlib>

#include "command_registry.hpp"
#include "genomap/assoc/polygenic_score.hpp"
#include "genomap/assoc/score_files.hpp"
#include "genomap/assoc/score_ranges.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
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
  if (!parse_int64(text, v) || v < 1)
    throw UsageError("--score-col-nums: '" + text + "' is not a column number");
  return static_cast<std::size_t>(v);
}

ScoreColumns parse_columns(const ScoreCommandOptions& o) {
  ScoreColumns c;
  c.header = o.header;
  if (o.col_nums.empty()) return c;
  if (o.col_nums.size() != 3)
    throw UsageError("--score-col-nums takes ID,ALLELE,SCORES (e.g. 1,2,3 or 1,2,3-5)");
  c.id = parse_column(o.col_nums[0]);
  c.allele = parse_column(o.col_nums[1]);
  const auto dash = o.col_nums[2].find('-');
  c.first_score = parse_column(o.col_nums[2].substr(0, dash));
  c.last_score = dash == std::string::npos ? c.first_score : parse_column(o.col_nums[2].substr(dash + 1));
  if (c.last_score < c.first_score)
    throw UsageError("--score-col-nums: the score columns '" + o.col_nums[2] + "' run backwards");
  return c;
}

SscoreColumns sscore_columns(const ScoreCommandOptions& o) {
  return SscoreColumns{!o.sum, o.sum || o.scoresums, !o.no_mean_imputation};
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
    write_sscore(inv.outputs().open(".sscore").stream(), data, w, r, sscore_columns(o));
    return;
  }
  const auto values = read_score_values(o.q_score_range[1]);
  for (const ScoreRange& range : read_score_ranges(o.q_score_range[0])) {
    const ScoreWeights subset = weights_in_range(w, values, range);
    const ScoreResult r = compute_scores(data, subset, options, inv.context());
    inv.log().note(fmt::format("range {} [{}, {}]: {} variants scored", range.name, range.lower, range.upper,
                               r.variant_ct));
    write_sscore(inv.outputs().open("." + range.name + ".sscore").stream(), data, subset, r,
                 sscore_columns(o));
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
