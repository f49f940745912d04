// Polygenic scores as plink2 --score writes them (.sscore): #FID IID ALLELE_CT NAMED_ALLELE_DOSAGE_SUM, then
// per score NAME_AVG and/or NAME_SUM.
#pragma once
#include <cstdio>

#include "genomap/assoc/polygenic_score.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct SscoreColumns {
  bool averages = true;      // NAME_AVG (plink2's default; off with 'sum')
  bool sums = false;         // NAME_SUM ('sum' or cols=+scoresums)
  bool mean_impute = true;   // the averages' denominator (ScoreResult::average_denominator)
};

void write_sscore(std::FILE* out, const Dataset& data, const ScoreWeights& weights, const ScoreResult& result,
                  const SscoreColumns& columns);

}  // namespace genomap
