// ADMIXTURE-model estimation: truth recovery on simulated data, population separation and seed stability on
// the real HapMap3 data, supervised mode, cross-validation and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "test_support.hpp"

namespace genomap::test {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Root-mean-square error between estimated and true Q after the best matching of columns.
double q_rmse_best_permutation(const Matrix& estimate, const Matrix& truth) {
  const std::size_t k = truth.at(0).size();
  std::vector<std::size_t> perm(k);
  std::iota(perm.begin(), perm.end(), 0);
  double best = 1e9;
  do {
    double sum = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
      for (std::size_t c = 0; c < k; ++c) sum += std::pow(estimate[i][perm[c]] - truth[i][c], 2);
    best = std::min(best, std::sqrt(sum / static_cast<double>(truth.size() * k)));
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

double summary_loglik(const std::string& path) { return read_table(path).number(0, "LOGLIK"); }

class AdmixSimulated : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // ctest -j runs each test of the suite in its own process at the same time: one folder per process.
    dir_ = scratch_dir("admix_sim_" + std::to_string(::getpid()));
    auto r =
        run_genomap("simulate --n 300 --m 3000 --k 3 --fst 0.1 --alpha 0.5 --seed 11 --out " + dir_ + "/sim");
    setup_ok_ = r.exit_code == 0;
    setup_output_ = r.output;
  }
  // A failed simulation fails every test of the suite (an assertion in SetUpTestSuite would only skip them).
  void SetUp() override { ASSERT_TRUE(setup_ok_) << "simulate failed: " << setup_output_; }
  static std::string dir_, setup_output_;
  static bool setup_ok_;
};
std::string AdmixSimulated::dir_, AdmixSimulated::setup_output_;
bool AdmixSimulated::setup_ok_ = false;

TEST_F(AdmixSimulated, RecoversTrueAncestry) {
  auto r = run_genomap("admix --bfile " + dir_ + "/sim --k 3 --seed 1 --threads 2 --out " + dir_ + "/a");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto q = read_number_rows(dir_ + "/a.3.Q");
  auto truth = read_number_rows(dir_ + "/sim.Q");
  ASSERT_EQ(q.size(), 300u);
  for (const auto& row : q) EXPECT_NEAR(std::accumulate(row.begin(), row.end(), 0.0), 1.0, 1e-5);
  // With 3,000 variants at Fst 0.1 the sampling error of Q is about 0.03: the fit reaches an RMSE of 0.031
  // against the simulated truth (ADMIXTURE 1.3 on the same data: the same to two digits). 0.035 leaves room
  // for rounding, not for a fit that stopped early or a permuted column (those are 0.05 and more).
  EXPECT_LT(q_rmse_best_permutation(q, truth), 0.035);
  auto p = read_number_rows(dir_ + "/a.3.P");
  EXPECT_EQ(p.size(), 3000u);
  auto summary = read_table(dir_ + "/a.admix.summary");
  EXPECT_EQ(summary.text(0, "CONVERGED"), "yes");
}

// The LOGLIK of the summary, recomputed here from the written Q and P and the .bed (plain loops, doubles):
// sum over called genotypes of g log h + (2 - g) log(1 - h), h = sum_k Q_ik P_jk, g = allele-1 copies
// (ADMIXTURE's binomial model, Alexander et al. 2009 eq. 1, without the constant binomial coefficient).
TEST_F(AdmixSimulated, ReportedLogLikelihoodEqualsOneRecomputedFromQAndP) {
  auto r = run_genomap("admix --bfile " + dir_ + "/sim --k 3 --seed 4 --threads 2 --out " + dir_ + "/ll");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Matrix q = read_number_rows(dir_ + "/ll.3.Q"), p = read_number_rows(dir_ + "/ll.3.P");
  const std::string bed = read_text(dir_ + "/sim.bed");
  const std::size_t n = q.size(), m = p.size(), bytes = (n + 3) / 4;
  ASSERT_EQ(bed.size(), 3 + m * bytes);
  double loglik = 0.0;
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned code = (static_cast<unsigned char>(bed[3 + j * bytes + i / 4]) >> (2 * (i % 4))) & 3u;
      if (code == 1) continue;  // missing
      const double g = code == 0 ? 2.0 : (code == 2 ? 1.0 : 0.0);
      double h = 0.0;
      for (std::size_t c = 0; c < 3; ++c) h += q[i][c] * p[j][c];
      loglik += g * std::log(h) + (2.0 - g) * std::log(1.0 - h);
    }
  const double reported = summary_loglik(dir_ + "/ll.admix.summary");
  // Q and P are written with 6 decimals. At the maximum the likelihood is flat in every free direction, so
  // that rounding moves it only at second order: measured difference 7.5e-4 on a total of -9.2e5. 0.01 is a
  // bound with room; a real error in the reported value (a skipped genotype, the other allele, a lost factor
  // of log 2) moves it by orders of magnitude more.
  EXPECT_NEAR(reported, loglik, 0.01) << "reported " << reported << " recomputed " << loglik;
}

// Block relaxation with Newton steps (--algorithm newton) and the quasi-Newton EM maximise the same
// likelihood: both stop at the 1e-4 rule on the flat ridge of the optimum, measured 0.0034 apart in
// log-likelihood (of -9.2e5) with a Q RMSE of 4.8e-4 between them. A wrong gradient, Hessian or constraint in
// the Newton steps stops it far from there or moves Q by whole percents. Its sums over variants use the fixed
// lanes, so one and two threads write the same files.
TEST_F(AdmixSimulated, NewtonBlockRelaxationReachesTheEmOptimumForAnyThreadCount) {
  const std::string base = "admix --bfile " + dir_ + "/sim --k 3 --seed 4 ";
  auto em = run_genomap(base + "--threads 2 --out " + dir_ + "/cmp_em");
  ASSERT_EQ(em.exit_code, 0) << em.output;
  auto nw = run_genomap(base + "--algorithm newton --threads 2 --out " + dir_ + "/cmp_nw");
  ASSERT_EQ(nw.exit_code, 0) << nw.output;
  auto nw1 = run_genomap(base + "--algorithm newton --threads 1 --out " + dir_ + "/cmp_nw1");
  ASSERT_EQ(nw1.exit_code, 0) << nw1.output;
  EXPECT_NEAR(summary_loglik(dir_ + "/cmp_nw.admix.summary"), summary_loglik(dir_ + "/cmp_em.admix.summary"),
              0.05);
  const Matrix a = read_number_rows(dir_ + "/cmp_em.3.Q"), b = read_number_rows(dir_ + "/cmp_nw.3.Q");
  ASSERT_EQ(a.size(), b.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t c = 0; c < 3; ++c) sum += std::pow(a[i][c] - b[i][c], 2);
  EXPECT_LT(std::sqrt(sum / static_cast<double>(3 * a.size())), 2e-3);
  EXPECT_EQ(read_text(dir_ + "/cmp_nw.3.Q"), read_text(dir_ + "/cmp_nw1.3.Q"));
  EXPECT_EQ(read_text(dir_ + "/cmp_nw.3.P"), read_text(dir_ + "/cmp_nw1.3.P"));
}

TEST_F(AdmixSimulated, BootstrapStandardErrorsMatchTheActualError) {
  // Block-bootstrap standard errors of Q should be the size of Q's actual error against the truth: their root
  // mean square within a factor of 2 of the RMSE (both are about 0.03 here).
  auto r = run_genomap("admix --bfile " + dir_ +
                       "/sim --k 3 --seed 2 --threads 2 --bootstrap 5 --bootstrap-block 100 --out " + dir_ +
                       "/bs");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto se = read_number_rows(dir_ + "/bs.3.Q_se");
  auto q = read_number_rows(dir_ + "/bs.3.Q");
  ASSERT_EQ(se.size(), 300u);
  double sum_sq = 0.0;
  for (const auto& row : se) {
    ASSERT_EQ(row.size(), 3u);
    for (double v : row) {
      ASSERT_TRUE(std::isfinite(v));
      ASSERT_GE(v, 0.0);
      sum_sq += v * v;
    }
  }
  const double rms_se = std::sqrt(sum_sq / 900.0);
  const double rmse = q_rmse_best_permutation(q, read_number_rows(dir_ + "/sim.Q"));
  EXPECT_GT(rms_se, 0.5 * rmse) << "rms se " << rms_se << " rmse " << rmse;
  EXPECT_LT(rms_se, 2.0 * rmse) << "rms se " << rms_se << " rmse " << rmse;
}

TEST_F(AdmixSimulated, SupervisedModeRecoversTruthWithUnadmixedReferences) {
  // References: samples whose true ancestry is at least 0.9 one population, labelled with it.
  auto truth = read_number_rows(dir_ + "/sim.Q");
  std::string pop;
  std::vector<bool> is_reference;
  for (const auto& row : truth) {
    auto best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    is_reference.push_back(row[best] >= 0.9);
    pop += is_reference.back() ? "pop" + std::to_string(best + 1) + "\n" : "-\n";
  }
  const auto references =
      static_cast<std::size_t>(std::count(is_reference.begin(), is_reference.end(), true));
  ASSERT_GT(references, 20u);
  write_text(dir_ + "/ref.pop", pop);
  auto r = run_genomap("admix --bfile " + dir_ + "/sim --k 3 --supervised --pop " + dir_ + "/ref.pop --out " +
                       dir_ + "/s");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto q = read_number_rows(dir_ + "/s.3.Q");
  // Columns follow the sorted labels pop1..pop3, i.e. the true order: no permutation needed. The references
  // are fixed to their label; the others are estimated and compared with the truth.
  double sum = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (is_reference[i]) {
      EXPECT_GT(*std::max_element(q[i].begin(), q[i].end()), 0.999);
      continue;
    }
    for (std::size_t c = 0; c < 3; ++c) sum += std::pow(q[i][c] - truth[i][c], 2);
  }
  // Reached: 0.034 on the admixed (non-reference) samples, whose Q carries the sampling error of an
  // unsupervised fit (about 0.03 here); 0.038 leaves ~10% room.
  EXPECT_LT(std::sqrt(sum / (3.0 * static_cast<double>(q.size() - references))), 0.038);
}

TEST_F(AdmixSimulated, CrossValidationPrefersTheTrueK) {
  auto r = run_genomap("admix --bfile " + dir_ + "/sim --k 2..3 --cv 3 --seed 3 --out " + dir_ + "/cv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto t = read_table(dir_ + "/cv.admix.summary");
  ASSERT_EQ(t.rows.size(), 3u);  // two K rows and the best-K comment line
  const double cv2 = t.number(0, "CV_ERROR"), cv3 = t.number(1, "CV_ERROR");
  EXPECT_LT(cv3, cv2);
  // The log-likelihood grows with K.
  EXPECT_GT(t.number(1, "LOGLIK"), t.number(0, "LOGLIK"));
  EXPECT_NE(read_text(dir_ + "/cv.log").find("best K by cross-validation error: 3"), std::string::npos);
}

TEST(AdmixRealData, HapMap3ComponentsSeparatePopulationsAndSeedsAgree) {
  const std::string dir = scratch_dir("admix_hapmap3");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  double loglik[2];
  for (int s = 0; s < 2; ++s) {
    auto r = run_genomap("admix --bfile " + bfile + " --chr 1-6 --k 3 --threads 2 --seed " +
                         std::to_string(s + 5) + " --out " + dir + "/h" + std::to_string(s));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    loglik[s] = summary_loglik(dir + "/h" + std::to_string(s) + ".admix.summary");
  }
  EXPECT_NEAR(loglik[0], loglik[1], 1e-6 * std::abs(loglik[0]));
  // Separation: each of CEU and YRI is dominated (mean Q >= 0.9) by its own component, and they differ.
  auto q = read_number_rows(dir + "/h0.3.Q");
  auto pops = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  auto mean_q = [&](const std::string& pop) {
    std::vector<double> m(3, 0.0);
    double n = 0;
    for (std::size_t i = 0; i < pops.rows.size(); ++i)
      if (pops.text(i, "POP") == pop) {
        for (int c = 0; c < 3; ++c) m[static_cast<std::size_t>(c)] += q[i][static_cast<std::size_t>(c)];
        ++n;
      }
    for (auto& v : m) v /= n;
    return m;
  };
  auto ceu = mean_q("CEU"), yri = mean_q("YRI"), mex = mean_q("MEX"), asw = mean_q("ASW");
  auto argmax = [](const std::vector<double>& v) { return std::max_element(v.begin(), v.end()) - v.begin(); };
  EXPECT_GE(*std::max_element(ceu.begin(), ceu.end()), 0.9);
  EXPECT_GE(*std::max_element(yri.begin(), yri.end()), 0.9);
  EXPECT_NE(argmax(ceu), argmax(yri));
  // The admixed groups: ASW mostly the YRI component with some CEU; MEX has a third (Native American)
  // component.
  EXPECT_EQ(argmax(asw), argmax(yri));
  EXPECT_GT(asw[static_cast<std::size_t>(argmax(ceu))], 0.1);
  std::size_t third = 3 - static_cast<std::size_t>(argmax(ceu)) - static_cast<std::size_t>(argmax(yri));
  EXPECT_GT(mex[third], 0.3);
}

TEST(AdmixBadInput, ImpossibleParametersFailCleanly) {
  const std::string dir = scratch_dir("admix_bad");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  struct Case {
    std::string args, message;
    int exit_code;  // 2: bad usage, 1: parameters impossible for this input
  } cases[] = {
      {"--k 1", "--k must be at least 2", 2},
      {"--k 400", "must be smaller than the number of samples", 1},
      {"--k 3..2", "invalid range", 2},
      {"--k 3 --supervised", "--supervised needs --pop", 2},
      {"--k 3 --cv 1", "--cv must be at least 2", 2},
  };
  for (const auto& c : cases) {
    auto r = run_genomap("admix --bfile " + bfile + " " + c.args + " --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  write_text(dir + "/unknown.pop", "FID IID POP\nnobody nobody CEU\n");
  auto r = run_genomap("admix --bfile " + bfile + " --k 3 --supervised --pop " + dir + "/unknown.pop --out " +
                       dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("unknown.pop:2: sample 'nobody nobody' is not in the genotype data"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(list_files(dir).size() == 1u) << "only the .pop file may be there";
}

TEST(AdmixBadInput, NonConvergenceIsReported) {
  const std::string dir = scratch_dir("admix_nonconv");
  auto r = run_genomap("admix --bfile " + data_path("hapmap3_admixture/hapmap3") +
                       " --k 3 --max-iter 9 --starts 1 --out " + dir + "/x");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_table(dir + "/x.admix.summary").text(0, "CONVERGED"), "no");
  EXPECT_NE(read_text(dir + "/x.log").find("NOT converged"), std::string::npos);
}

}  // namespace
}  // namespace genomap::test
