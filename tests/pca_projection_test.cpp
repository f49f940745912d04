// genomap project: held-out population placed in its own cloud, shrinkage correction, allele flips,
// least squares reproducing in-sample scores, and bad input for both pca and project.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>

#include "pca_test_util.hpp"

namespace genomap::test {
namespace {

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");

// FID IID POP of hapmap3, in .fam order (hapmap3.pop is one label per .fam line).
std::vector<std::array<std::string, 3>> hapmap_samples() {
  std::istringstream fam(read_text(kBfile + ".fam")), pop(read_text(kBfile + ".pop"));
  std::vector<std::array<std::string, 3>> out;
  std::string line, label;
  while (std::getline(fam, line) && std::getline(pop, label)) {
    std::istringstream f(line);
    std::array<std::string, 3> s;
    f >> s[0] >> s[1];
    s[2] = label;
    out.push_back(s);
  }
  return out;
}

std::string id_list(const std::vector<std::array<std::string, 3>>& samples,
                    const std::function<bool(std::size_t)>& keep) {
  std::string text;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (keep(i)) text += samples[i][0] + " " + samples[i][1] + "\n";
  return text;
}

double mean_distance(const Eigenvec& e, std::size_t pcs) {
  double sum = 0;
  for (std::size_t i = 0; i < e.iids.size(); ++i) {
    double d = 0;
    for (std::size_t k = 0; k < pcs; ++k) d += e.pcs[k][i] * e.pcs[k][i];
    sum += std::sqrt(d);
  }
  return sum / static_cast<double>(e.iids.size());
}

void run_ok(const std::string& args) {
  auto r = run_genomap(args);
  ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
}

// CEU held out: PCA of ASW, MEX and YRI, CEU projected. Measure: an affine map from reference-PCA coordinates
// to full-data-PCA coordinates is fitted on the reference samples (least squares, 4 PCs + intercept -> 3
// PCs), the projected CEU are mapped through it, and each is assigned to the nearest population centroid of
// the full-data PCA (top 3 PCs). At least 95% must land on CEU.
TEST(PcaProjection, HeldOutPopulationLandsInItsOwnCloud) {
  const std::string dir = scratch_dir("pca_project_heldout");
  const auto samples = hapmap_samples();
  write_text(dir + "/rest.txt", id_list(samples, [&](std::size_t i) { return samples[i][2] != "CEU"; }));
  write_text(dir + "/ceu.txt", id_list(samples, [&](std::size_t i) { return samples[i][2] == "CEU"; }));
  run_ok("pca --bfile " + kBfile + " --pcs 4 --out " + dir + "/full");
  run_ok("pca --bfile " + kBfile + " --pcs 4 --var-wts --keep " + dir + "/rest.txt --out " + dir + "/ref");
  run_ok("project --ref " + dir + "/ref --bfile " + kBfile + " --keep " + dir + "/ceu.txt --out " + dir +
         "/proj");
  const auto full = read_eigenvec(dir + "/full.eigenvec"), ref = read_eigenvec(dir + "/ref.eigenvec"),
             proj = read_eigenvec(dir + "/proj.eigenvec");
  ASSERT_EQ(proj.iids.size(), 112u);
  std::map<std::string, std::size_t> full_row;
  for (std::size_t i = 0; i < full.iids.size(); ++i) full_row[full.iids[i]] = i;
  const Eigen::Index n = static_cast<Eigen::Index>(ref.iids.size());
  Eigen::MatrixXd x(n, 5), y(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = 1.0;
    for (int k = 0; k < 4; ++k)
      x(i, k + 1) = ref.pcs[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
    const std::size_t row = full_row.at(ref.iids[static_cast<std::size_t>(i)]);
    for (int k = 0; k < 3; ++k) y(i, k) = full.pcs[static_cast<std::size_t>(k)][row];
  }
  const Eigen::MatrixXd map = x.colPivHouseholderQr().solve(y);
  std::map<std::string, Eigen::Vector3d> centroid;
  std::map<std::string, int> count;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::size_t row = full_row.at(samples[i][1]);
    Eigen::Vector3d p(full.pcs[0][row], full.pcs[1][row], full.pcs[2][row]);
    if (!centroid.count(samples[i][2])) centroid[samples[i][2]] = Eigen::Vector3d::Zero();
    centroid[samples[i][2]] += p;
    ++count[samples[i][2]];
  }
  for (auto& [pop, c] : centroid) c /= count[pop];
  int ceu = 0;
  for (std::size_t i = 0; i < proj.iids.size(); ++i) {
    Eigen::RowVectorXd xi(5);
    xi << 1.0, proj.pcs[0][i], proj.pcs[1][i], proj.pcs[2][i], proj.pcs[3][i];
    const Eigen::Vector3d p = (xi * map).transpose();
    std::string best;
    double best_d = 1e300;
    for (const auto& [pop, c] : centroid)
      if ((p - c).norm() < best_d) {
        best_d = (p - c).norm();
        best = pop;
      }
    ceu += best == "CEU";
  }
  EXPECT_GE(ceu, 107) << ceu << " of 112 CEU nearest to the CEU centroid";
}

// Every other sample of each population in the reference, the rest projected: exchangeable samples, so after
// the shrinkage correction the mean distance from the origin (top 2 PCs) must be within 5% of the reference
// samples' in-sample one; without it the projected samples sit visibly closer to the origin.
TEST(PcaProjection, ShrinkageCorrectionRestoresDistanceFromOrigin) {
  const std::string dir = scratch_dir("pca_project_shrinkage");
  const auto samples = hapmap_samples();
  write_text(dir + "/ref.txt", id_list(samples, [](std::size_t i) { return i % 2 == 0; }));
  write_text(dir + "/tgt.txt", id_list(samples, [](std::size_t i) { return i % 2 == 1; }));
  run_ok("pca --bfile " + kBfile + " --pcs 10 --var-wts --keep " + dir + "/ref.txt --out " + dir + "/ref");
  run_ok("project --ref " + dir + "/ref --bfile " + kBfile + " --keep " + dir + "/tgt.txt --out " + dir +
         "/tgt");
  run_ok("project --ref " + dir + "/ref --bfile " + kBfile + " --keep " + dir +
         "/tgt.txt --no-shrinkage-correction --out " + dir + "/raw");
  const double in_sample = mean_distance(read_eigenvec(dir + "/ref.eigenvec"), 2);
  const double corrected = mean_distance(read_eigenvec(dir + "/tgt.eigenvec"), 2);
  const double raw = mean_distance(read_eigenvec(dir + "/raw.eigenvec"), 2);
  EXPECT_NEAR(corrected / in_sample, 1.0, 0.05) << "corrected " << corrected << " in-sample " << in_sample;
  EXPECT_LT(raw / in_sample, 0.95) << "raw " << raw;
  EXPECT_NE(read_text(dir + "/tgt.log").find("shrinkage factors"), std::string::npos);
}

// Re-projecting the reference samples gives back their .eigenvec (least squares on observed genotypes;
// plink2's missingness-corrected GRM differs from it only through the 0.26% missing genotypes).
TEST(PcaProjection, ReferenceSamplesReprojectOntoThemselves) {
  const std::string dir = scratch_dir("pca_project_self");
  run_ok("pca --bfile " + kBfile + " --pcs 3 --var-wts --out " + dir + "/ref");
  run_ok("project --ref " + dir + "/ref --bfile " + kBfile + " --no-shrinkage-correction --out " + dir +
         "/self");
  const auto a = read_eigenvec(dir + "/ref.eigenvec"), b = read_eigenvec(dir + "/self.eigenvec");
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_GE(correlation(a.pcs[k], b.pcs[k]), 0.999) << "PC" << k + 1;
    for (std::size_t i = 0; i < a.iids.size(); ++i) EXPECT_NEAR(a.pcs[k][i], b.pcs[k][i], 2e-3);
  }
}

// The target with REF and ALT swapped (plink2 --ref-allele force) projects to the same scores; flips are
// counted.
TEST(PcaProjection, SwappedAllelesAreFlipped) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("pca_project_flip");
  run_ok("pca --bfile " + kBfile + " --pcs 3 --var-wts --out " + dir + "/ref");
  ASSERT_EQ(run_command("awk '$5 != \"0\" {print $2, $5}' " + kBfile + ".bim > " + dir +
                        "/alt.txt && plink2 --bfile " + kBfile + " --ref-allele force " + dir +
                        "/alt.txt 2 1 --make-bed --out " + dir + "/swapped")
                .exit_code,
            0);
  run_ok("project --ref " + dir + "/ref --bfile " + kBfile + " --out " + dir + "/a");
  run_ok("project --ref " + dir + "/ref --bfile " + dir + "/swapped --out " + dir + "/b");
  const auto a = read_eigenvec(dir + "/a.eigenvec"), b = read_eigenvec(dir + "/b.eigenvec");
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < a.iids.size(); ++i) EXPECT_NEAR(a.pcs[k][i], b.pcs[k][i], 1e-5);
  // Swaps are counted against the reference's MAJ/NONMAJ: the original has a few (ALT major at a 0.5 tie),
  // the swapped copy nearly all of its 13,046 polymorphic variants with both alleles named.
  auto swaps = [&](const std::string& log) {
    const std::string text = read_text(log);
    const auto at = text.find(" with swapped alleles");
    const auto open = text.rfind('(', at);
    return std::stoul(text.substr(open + 1, at - open - 1));
  };
  EXPECT_LT(swaps(dir + "/a.log"), 20u);
  EXPECT_GT(swaps(dir + "/b.log"), 13000u);
}

void expect_failure(const std::string& args, const std::string& dir, const std::string& message,
                    int exit_code = 1) {
  auto r = run_genomap(args);
  EXPECT_EQ(r.exit_code, exit_code) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  for (const auto& f : list_files(dir))
    EXPECT_EQ(f.rfind("out", 0), std::string::npos) << "left behind: " << f;
}

TEST(PcaBadInput, TooManyComponents) {
  const std::string dir = scratch_dir("pca_bad_k");
  expect_failure("pca --bfile " + kBfile + " --pcs 325 --out " + dir + "/out", dir,
                 "--pcs 325 is larger than min(samples, variants) = min(324, 13205)");
  expect_failure("pca --bfile " + kBfile + " --pcs 0 --out " + dir + "/out", dir, "--pcs must be at least 1",
                 2);
}

TEST(PcaBadInput, NoVariantsLeftAfterFilters) {
  const std::string dir = scratch_dir("pca_bad_novariants");
  expect_failure("pca --bfile " + kBfile + " --chr X --out " + dir + "/out", dir,
                 "no variants left for PCA (X, Y and MT are left out)");
}

TEST(PcaBadInput, ReferenceAndTargetShareNoVariants) {
  const std::string dir = scratch_dir("pca_bad_noshared");
  run_ok("pca --bfile " + kBfile + " --pcs 2 --var-wts --out " + dir + "/ref");
  expect_failure("project --ref " + dir + "/ref --bfile " + kBfile + " --chr X --out " + dir + "/out", dir,
                 "no variants shared between the reference PCA and the target fileset");
}

TEST(PcaBadInput, ReferenceWithoutFrequencies) {
  const std::string dir = scratch_dir("pca_bad_ref");
  run_ok("pca --bfile " + kBfile + " --pcs 2 --var-wts --out " + dir + "/ref");
  write_text(dir + "/ref.eigenvec.var", "#CHROM\tID\tMAJ\tNONMAJ\tPC1\tPC2\n1\trs1\tA\tG\t0.1\t0.2\n");
  expect_failure("project --ref " + dir + "/ref --bfile " + kBfile + " --out " + dir + "/out", dir,
                 dir + "/ref.eigenvec.var:1: header must be #CHROM ID MAJ NONMAJ PC1.. NONMAJ_FREQ");
}

}  // namespace
}  // namespace genomap::test
