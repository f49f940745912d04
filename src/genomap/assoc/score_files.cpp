#include "genomap/assoc/score_files.hpp"

#include <fmt/format.h>

namespace genomap {

void write_sscore(std::FILE* out, const Dataset& data, const ScoreWeights& weights, const ScoreResult& result,
                  const SscoreColumns& columns) {
  fmt::print(out, "#FID\tIID\tALLELE_CT\tNAMED_ALLELE_DOSAGE_SUM");
  for (const auto& name : weights.score_names) {
    if (columns.averages) fmt::print(out, "\t{}_AVG", name);
    if (columns.sums) fmt::print(out, "\t{}_SUM", name);
  }
  fmt::print(out, "\n");
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const Sample& s = data.sample(i);
    fmt::print(out, "{}\t{}\t{}\t{:.6g}", s.fid, s.iid, result.allele_ct[i], result.named_allele_dosage_sum[i]);
    for (std::size_t k = 0; k < weights.score_names.size(); ++k) {
      if (columns.averages)
        fmt::print(out, "\t{:.6g}", result.sums[k][i] / result.average_denominator(i, columns.mean_impute));
      if (columns.sums) fmt::print(out, "\t{:.6g}", result.sums[k][i]);
    }
    fmt::print(out, "\n");
  }
}

}  // namespace genomap
