// genomap pca against plink2 --pca (exact) on real data, randomized against exact, and outlier removal.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>

#include "pca_test_util.hpp"

namespace genomap::test {
namespace {

const char* kHapmap = "hapmap3_admixture/hapmap3";

void expect_matches_plink2(const std::string& bfile, const std::string& dir) {
  ASSERT_EQ(run_command("plink2 --bfile " + bfile + " --pca 10 --threads 2 --out " + dir + "/plink").exit_code, 0);
  auto r = run_genomap("pca --bfile " + bfile + " --pcs 10 --exact --threads 2 --out " + dir + "/g");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ev_p = read_eigenval(dir + "/plink.eigenval"), ev_g = read_eigenval(dir + "/g.eigenval");
  ASSERT_EQ(ev_p.size(), 10u);
  ASSERT_EQ(ev_g.size(), 10u);
  for (std::size_t k = 0; k < 10; ++k) EXPECT_NEAR(ev_g[k] / ev_p[k], 1.0, 1e-4) << "eigenvalue " << k + 1;
  const auto vp = read_eigenvec(dir + "/plink.eigenvec"), vg = read_eigenvec(dir + "/g.eigenvec");
  ASSERT_EQ(vp.iids, vg.iids);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_GE(std::abs(correlation(vp.pcs[k], vg.pcs[k])), 0.9999) << "PC" << k + 1;
}

TEST(PcaGolden, HapmapExactMatchesPlink2) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  expect_matches_plink2(data_path(kHapmap), scratch_dir("pca_golden_hapmap"));
}

// panel7.bed carries non-zero padding bits in the last byte of each row (three 'het' codes past sample 837);
// plink2 2.00a3 miscounts allele frequencies on such rows when reading the whole file, so the comparison runs on
// plink2's own re-write of the file (padding zeroed). genomap must give the same answer on both files.
TEST(PcaGolden, HumanOriginsExactMatchesPlink2) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("pca_golden_panel7");
  ASSERT_EQ(run_command("plink2 --bfile " + data_path("human_origins_panel7/panel7") +
                        " --make-bed --out " + dir + "/panel7").exit_code, 0);
  expect_matches_plink2(dir + "/panel7", dir);
  auto r = run_genomap("pca --bfile " + data_path("human_origins_panel7/panel7") + " --pcs 10 --exact --out " + dir +
                       "/orig");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_text(dir + "/orig.eigenval"), read_text(dir + "/g.eigenval"));
  EXPECT_EQ(read_text(dir + "/orig.eigenvec"), read_text(dir + "/g.eigenvec"));
}

TEST(PcaGolden, VariantWeightsMatchPlink2) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("pca_golden_varwts");
  ASSERT_EQ(run_command("plink2 --bfile " + data_path(kHapmap) + " --pca 5 biallelic-var-wts --out " + dir + "/plink")
                .exit_code, 0);
  auto r = run_genomap("pca --bfile " + data_path(kHapmap) + " --pcs 5 --var-wts --out " + dir + "/g");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Table p = read_table(dir + "/plink.eigenvec.var"), g = read_table(dir + "/g.eigenvec.var");
  ASSERT_EQ(p.rows.size(), g.rows.size());
  ASSERT_EQ(g.columns.back(), "NONMAJ_FREQ");
  std::vector<double> row_sign;
  for (std::size_t row = 0; row < p.rows.size(); ++row) {
    ASSERT_EQ(p.text(row, "ID"), g.text(row, "ID"));
    EXPECT_LE(g.number(row, "NONMAJ_FREQ"), 0.5);
    // At a frequency of exactly 0.5 the major allele is a floating-point tie that plink2 breaks either way; the
    // weights are then on the other allele, so their sign flips.
    const bool same = p.text(row, "MAJ") == g.text(row, "MAJ");
    if (!same) {
      EXPECT_EQ(g.number(row, "NONMAJ_FREQ"), 0.5) << p.text(row, "ID");
      EXPECT_EQ(p.text(row, "MAJ"), g.text(row, "NONMAJ")) << p.text(row, "ID");
    } else {
      EXPECT_EQ(p.text(row, "NONMAJ"), g.text(row, "NONMAJ")) << p.text(row, "ID");
    }
    row_sign.push_back(same ? 1.0 : -1.0);
  }
  for (int k = 1; k <= 5; ++k) {
    std::vector<double> a, b;
    for (std::size_t row = 0; row < p.rows.size(); ++row) {
      a.push_back(p.number(row, "PC" + std::to_string(k)));
      b.push_back(row_sign[row] * g.number(row, "PC" + std::to_string(k)));
    }
    // Same weights up to the eigenvector's sign: compare magnitudes exactly after fixing the sign.
    const double sign = correlation(a, b) < 0 ? -1.0 : 1.0;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - sign * b[i]));
    EXPECT_LT(worst, 1e-3) << "PC" << k;  // plink2 prints 6 significant digits; weights are O(1)
  }
}

TEST(PcaRandomized, TopTenEigenvaluesWithin1e3OfExactAtEveryThreadCount) {
  const std::string dir = scratch_dir("pca_randomized");
  auto e = run_genomap("pca --bfile " + data_path(kHapmap) + " --pcs 10 --exact --out " + dir + "/exact");
  ASSERT_EQ(e.exit_code, 0) << e.output;
  // Thread invariance: the randomized solver's start is seeded and its sums are split by blocks, not threads,
  // so every thread count gives the same eigenvalues up to rounding: at most one unit in the 6th significant
  // digit of the printed value.
  std::vector<double> first_run;
  for (const char* threads : {"1", "2", "3"}) {
    const std::string out = dir + "/approx" + threads;
    auto r = run_genomap("pca --bfile " + data_path(kHapmap) + " --pcs 10 --approx --threads " + threads +
                         " --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto ex = read_eigenval(dir + "/exact.eigenval"), ap = read_eigenval(out + ".eigenval");
    ASSERT_EQ(ap.size(), 10u);
    for (std::size_t k = 0; k < 10; ++k) EXPECT_NEAR(ap[k] / ex[k], 1.0, 1e-3) << "eigenvalue " << k + 1;
    if (first_run.empty()) first_run = ap;
    for (std::size_t k = 0; k < 10; ++k)
      EXPECT_NEAR(ap[k] / first_run[k], 1.0, 1e-9) << "eigenvalue " << k + 1 << " with " << threads << " threads";
    const auto ve = read_eigenvec(dir + "/exact.eigenvec"), va = read_eigenvec(out + ".eigenvec");
    for (std::size_t k = 0; k < 2; ++k) EXPECT_GE(std::abs(correlation(ve.pcs[k], va.pcs[k])), 0.999) << "PC" << k + 1;
    EXPECT_NE(read_text(out + ".log").find("randomized block Krylov"), std::string::npos);
  }
}

// smartpca-style outlier removal: removed samples are listed, absent from .eigenvec, beyond the threshold, and the
// final PCA equals a plain PCA of the remaining samples.
TEST(PcaOutliers, RemovedSamplesListedAndFinalPcaOfTheRest) {
  const std::string dir = scratch_dir("pca_outliers");
  const std::string bfile = data_path("human_origins_panel7/panel7");
  auto r = run_genomap("pca --bfile " + bfile + " --pcs 10 --outlier-sigma 6 --outlier-iter 5 --out " + dir + "/o");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Table out = read_table(dir + "/o.outliers");
  ASSERT_GE(out.rows.size(), 1u);  // the non-human genomes sit far from the human clouds
  std::set<std::string> removed;
  std::string remove_list;
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    EXPECT_GT(out.number(i, "SIGMA"), 6.0);
    removed.insert(out.text(i, "IID"));
    remove_list += out.text(i, "FID") + " " + out.text(i, "IID") + "\n";
  }
  const auto kept = read_eigenvec(dir + "/o.eigenvec");
  EXPECT_EQ(kept.iids.size() + removed.size(), 837u);
  for (const auto& iid : kept.iids) EXPECT_EQ(removed.count(iid), 0u) << iid;
  write_text(dir + "/remove.txt", remove_list);
  auto plain = run_genomap("pca --bfile " + bfile + " --pcs 10 --remove " + dir + "/remove.txt --out " + dir + "/p");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  // The last round removed no one, so its PCA is the one written.
  EXPECT_EQ(read_text(dir + "/p.eigenval"), read_text(dir + "/o.eigenval"));
}

}  // namespace
}  // namespace genomap::test
