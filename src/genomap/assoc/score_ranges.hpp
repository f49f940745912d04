// plink2's --q-score-range: a polygenic score per range of a per-variant value (e.g. GWAS p-values), each over
// the weights whose variant's value lies in the range.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "genomap/assoc/polygenic_score.hpp"

namespace genomap {

struct ScoreRange {
  std::string name;
  double lower = 0, upper = 0;
};

// The ranges file: NAME LOWER UPPER per line (blank lines skipped). Errors name file and line.
std::vector<ScoreRange> read_score_ranges(const std::string& path);
// The data file: variant ID and value per line (first two columns); a first line whose value is not a
// number is a header. Errors name file and line.
std::unordered_map<std::string, double> read_score_values(const std::string& path);
// The entries of `weights` whose variant has a value in [range.lower, range.upper].
ScoreWeights weights_in_range(const ScoreWeights& weights, const std::unordered_map<std::string, double>& values,
                              const ScoreRange& range);

}  // namespace genomap
