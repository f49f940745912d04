#include "genomap/assoc/score_ranges.hpp"

#include "genomap/io/line_reader.hpp"

namespace genomap {

std::vector<ScoreRange> read_score_ranges(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::vector<ScoreRange> ranges;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty()) continue;
    ScoreRange range;
    if (f.size() < 3 || !parse_double(f[1], range.lower) || !parse_double(f[2], range.upper))
      reader.fail("expected NAME LOWER UPPER");
    range.name = std::string(f[0]);
    ranges.push_back(std::move(range));
  }
  return ranges;
}

std::unordered_map<std::string, double> read_score_values(const std::string& path) {
  std::unordered_map<std::string, double> values;
  LineReader reader(path);
  std::string line;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.size() < 2) continue;
    double v;
    if (!parse_double(f[1], v)) {
      if (reader.line_number() == 1) continue;  // header
      // Built with append: GCC 12's -Wrestrict misfires on "literal" + std::string here.
      std::string message(1, '\'');
      message.append(f[1]).append("' is not a number");
      reader.fail(message);
    }
    values[std::string(f[0])] = v;
  }
  return values;
}

ScoreWeights weights_in_range(const ScoreWeights& weights, const std::unordered_map<std::string, double>& values,
                              const ScoreRange& range) {
  ScoreWeights s = weights;
  s.variant_idx.clear();
  s.named_is_allele1.clear();
  s.weights.clear();
  s.entry_ids.clear();
  for (std::size_t e = 0; e < weights.variant_idx.size(); ++e) {
    const auto it = values.find(weights.entry_ids[e]);
    if (it == values.end() || it->second < range.lower || it->second > range.upper) continue;
    s.variant_idx.push_back(weights.variant_idx[e]);
    s.named_is_allele1.push_back(weights.named_is_allele1[e]);
    s.weights.push_back(weights.weights[e]);
    s.entry_ids.push_back(weights.entry_ids[e]);
  }
  return s;
}

}  // namespace genomap
