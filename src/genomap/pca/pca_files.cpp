#include "genomap/pca/pca_files.hpp"

#include <fmt/format.h>

#include <cmath>

namespace genomap {

void write_eigenvec(std::FILE* out, const Dataset& data, const Eigen::MatrixXd& scores) {
  fmt::print(out, "#FID\tIID");
  for (Eigen::Index j = 0; j < scores.cols(); ++j) fmt::print(out, "\tPC{}", j + 1);
  fmt::print(out, "\n");
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const Sample& s = data.sample(i);
    fmt::print(out, "{}\t{}", s.fid, s.iid);
    for (Eigen::Index j = 0; j < scores.cols(); ++j) fmt::print(out, "\t{:.6g}", scores(static_cast<Eigen::Index>(i), j));
    fmt::print(out, "\n");
  }
}

void write_eigenval(std::FILE* out, const Eigen::VectorXd& eigenvalues) {
  for (Eigen::Index j = 0; j < eigenvalues.size(); ++j) fmt::print(out, "{:.6g}\n", eigenvalues[j]);
}

void write_variant_weights(std::FILE* out, const GenotypeStore& store, const PcaResult& r) {
  const auto k = r.variant_weights.cols();
  fmt::print(out, "#CHROM\tID\tMAJ\tNONMAJ");
  for (Eigen::Index j = 0; j < k; ++j) fmt::print(out, "\tPC{}", j + 1);
  fmt::print(out, "\tNONMAJ_FREQ\n");
  auto allele = [](const std::string& a) { return a == "0" ? std::string(".") : a; };
  for (std::size_t v = 0; v < r.variant_uidx.size(); ++v) {
    const Variant& var = store.variants()[r.variant_uidx[v]];
    const double p = r.allele1_frequencies[v];
    // Like plink2, the major allele is ALT (allele 1) when its frequency is at least 0.5 (ties go to ALT).
    const bool alt_major = p >= 0.5;
    const double sign = alt_major ? -1.0 : 1.0;
    fmt::print(out, "{}\t{}\t{}\t{}", var.chrom, var.id, allele(alt_major ? var.allele1 : var.allele2),
               allele(alt_major ? var.allele2 : var.allele1));
    for (Eigen::Index j = 0; j < k; ++j) {
      const double w = sign * r.variant_weights(static_cast<Eigen::Index>(v), j);
      fmt::print(out, "\t{:.8g}", w == 0.0 ? 0.0 : w);
    }
    if (std::isnan(p)) fmt::print(out, "\tNaN\n");
    else fmt::print(out, "\t{:.8g}\n", alt_major ? 1.0 - p : p);
  }
}

}  // namespace genomap
