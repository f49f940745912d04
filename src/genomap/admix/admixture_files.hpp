// ADMIXTURE results as files: PREFIX.K.Q and PREFIX.K.P as ADMIXTURE writes them (space-separated, 6
// decimals, no header), and genomap's PREFIX.K.Q.ids (#FID IID Q1..QK, tab-separated) for joining to samples.
// Also the supervised mode's labels turned into fixed populations.
#pragma once
#include <string>
#include <vector>

#include "genomap/admix/admixture.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap {

// One row per matrix row, values with 6 decimals separated by spaces (.Q, .P, .Q_se).
void write_admixture_matrix(OutputFile& out, const RowMatrix& m);
// .Q.ids: the analysed samples' FID and IID before their Q row.
void write_q_with_ids(OutputFile& out, const Dataset& data, const RowMatrix& q);

// Supervised mode: the populations named by `labels` (one per analysed sample, "" unknown) sorted by name
// become the K columns; returns per sample the column index or -1. Throws Error naming `source` when the
// number of populations is not `k`.
struct SupervisedPopulations {
  std::vector<std::string> names;  // column c holds names[c]
  std::vector<int> fixed_population;
};
SupervisedPopulations supervised_populations(const std::vector<std::string>& labels, std::size_t k,
                                             const std::string& source);

}  // namespace genomap
