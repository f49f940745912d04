// PCA results as files, in plink2's layouts: .eigenvec (#FID IID PC1..), .eigenval (one per line) and
// .eigenvec.var (#CHROM ID MAJ NONMAJ PC1.. as plink2 --pca biallelic-var-wts, weights on the non-major allele),
// to which genomap adds a last column NONMAJ_FREQ, the frequency used for centring, so the file alone is a
// reusable reference for `genomap project`.
#pragma once
#include <Eigen/Dense>
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/pca/pca.hpp"

namespace genomap {

void write_eigenvec(std::FILE* out, const Dataset& data, const Eigen::MatrixXd& scores);
void write_eigenval(std::FILE* out, const Eigen::VectorXd& eigenvalues);
void write_variant_weights(std::FILE* out, const GenotypeStore& store, const PcaResult& result);

}  // namespace genomap
