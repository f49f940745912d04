// Helpers shared by the PCA tests: reading .eigenvec/.eigenval and comparing columns ignoring sign.
#pragma once
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace genomap::test {

struct Eigenvec {
  std::vector<std::string> iids;
  std::vector<std::vector<double>> pcs;  // pcs[k][i]
};

inline Eigenvec read_eigenvec(const std::string& path) {
  Table t = read_table(path);
  Eigenvec e;
  const std::size_t k = t.columns.size() - 2;
  e.pcs.assign(k, {});
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    e.iids.push_back(t.text(r, "IID"));
    for (std::size_t j = 0; j < k; ++j) e.pcs[j].push_back(t.number(r, "PC" + std::to_string(j + 1)));
  }
  return e;
}

inline std::vector<double> read_eigenval(const std::string& path) {
  std::vector<double> v;
  std::istringstream in(read_text(path));
  double x;
  while (in >> x) v.push_back(x);
  return v;
}

inline double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) { ma += a[i]; mb += b[i]; }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

}  // namespace genomap::test
