#include "genomap/admix/admixture_files.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "genomap/core/error.hpp"

namespace genomap {

void write_admixture_matrix(OutputFile& out, const RowMatrix& m) {
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    std::string line;
    for (Eigen::Index c = 0; c < m.cols(); ++c) line += fmt::format("{}{:.6f}", c ? " " : "", m(r, c));
    out.write(line + "\n");
  }
}

void write_q_with_ids(OutputFile& out, const Dataset& data, const RowMatrix& q) {
  std::string header = "#FID\tIID";
  for (Eigen::Index c = 0; c < q.cols(); ++c) header += fmt::format("\tQ{}", c + 1);
  out.write(header + "\n");
  for (Eigen::Index r = 0; r < q.rows(); ++r) {
    const auto& s = data.sample(static_cast<std::size_t>(r));
    std::string line = s.fid + "\t" + s.iid;
    for (Eigen::Index c = 0; c < q.cols(); ++c) line += fmt::format("\t{:.6f}", q(r, c));
    out.write(line + "\n");
  }
}

SupervisedPopulations supervised_populations(const std::vector<std::string>& labels, std::size_t k,
                                             const std::string& source) {
  SupervisedPopulations out;
  for (const auto& l : labels)
    if (!l.empty()) out.names.push_back(l);
  std::sort(out.names.begin(), out.names.end());
  out.names.erase(std::unique(out.names.begin(), out.names.end()), out.names.end());
  if (out.names.size() != k)
    throw Error(source, 0, fmt::format("names {} populations but --k is {}", out.names.size(), k));
  out.fixed_population.resize(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    out.fixed_population[i] =
        labels[i].empty() ? -1
                          : static_cast<int>(std::lower_bound(out.names.begin(), out.names.end(), labels[i]) -
                                             out.names.begin());
  return out;
}

}  // namespace genomap
