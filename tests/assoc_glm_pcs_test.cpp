// glm --covar-pcs on simulated data with a known truth: a trait confounded by ancestry (genomap simulate
// --confound) is inflated without principal-component covariates and calibrated with them, and the causal
// variants reach genome-wide significance as often as their true effect sizes predict.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "test_support.hpp"

namespace genomap::test {
namespace {

double summary_lambda(const std::string& prefix, const std::string& pheno) {
  Table t = read_table(prefix + ".glm.summary");
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.text(r, "PHENO") == pheno) return t.number(r, "LAMBDA_GC");
  ADD_FAILURE() << "no row for " << pheno << " in " << prefix << ".glm.summary";
  return std::nan("");
}

// P(chi-square_1 with non-centrality ncp > c^2) for the two-sided test at threshold c.
double power(double ncp, double c) {
  const double s = std::sqrt(ncp);
  return 0.5 * std::erfc((c - s) / std::sqrt(2.0)) + 0.5 * std::erfc((c + s) / std::sqrt(2.0));
}

TEST(GlmCovarPcs, ConfoundedTraitCalibratedByPcsAndCausalVariantsFound) {
  const std::string dir = scratch_dir("assoc_glm_pcs");
  auto sim = run_genomap(
      "simulate --n 1500 --m 6000 --k 3 --fst 0.1 --alpha 0.5 --causal 20 --h2 0.3 --confound 1.0 "
      "--seed 3 --out " +
      dir + "/sim");
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  const std::string common =
      "glm --bfile " + dir + "/sim --pheno " + dir + "/sim.pheno --pheno-name QT --threads 2";
  auto raw = run_genomap(common + " --out " + dir + "/raw");
  ASSERT_EQ(raw.exit_code, 0) << raw.output;
  auto pcs = run_genomap(common + " --covar-pcs 5 --out " + dir + "/pcs");
  ASSERT_EQ(pcs.exit_code, 0) << pcs.output;

  // Without PCs the ancestry confounding inflates every differentiated variant; with them the median
  // statistic is back at its null value.
  const double lambda_raw = summary_lambda(dir + "/raw", "QT");
  const double lambda_pcs = summary_lambda(dir + "/pcs", "QT");
  std::printf("lambda without PCs %.4f, with 5 PCs %.4f\n", lambda_raw, lambda_pcs);
  // Reached: 16.8. The simulated confounding (ancestry drives the trait) inflates every differentiated
  // variant; a lambda of 10 or less would mean the phenotype lost most of its ancestry component.
  EXPECT_GT(lambda_raw, 10.0);
  EXPECT_GE(lambda_pcs, 0.95);
  EXPECT_LE(lambda_pcs, 1.05);
  const std::string log = read_text(dir + "/pcs.log");
  EXPECT_NE(log.find("covariates PC1 PC2 PC3 PC4 PC5"), std::string::npos) << log;
  EXPECT_NE(log.find("lambda_gc QT "), std::string::npos);

  // Truth: the causal variants and their effects on the ALT (allele 1) dosage.
  Table causal = read_table(dir + "/sim.causal");
  std::map<std::string, double> effect;
  for (std::size_t r = 0; r < causal.rows.size(); ++r)
    effect[causal.text(r, "ID")] = causal.number(r, "EFFECT");
  ASSERT_EQ(effect.size(), 20u);
  Table res = read_table(dir + "/pcs.QT.glm.linear");
  const double c = 5.451;  // |z| for P = 5e-8
  double expected_hits = 0, variance = 0;
  int hits = 0, sure = 0, sure_hits = 0, false_hits = 0, seen = 0;
  for (std::size_t r = 0; r < res.rows.size(); ++r) {
    const std::string id = res.text(r, "ID");
    const double p = res.number(r, "P");
    auto it = effect.find(id);
    if (it == effect.end()) {
      false_hits += p < 5e-8;
      continue;
    }
    ++seen;
    // The true effect of the tested allele A1 (REF when ALT is the major allele).
    const double truth = res.text(r, "A1") == res.text(r, "ALT") ? it->second : -it->second;
    const double beta = res.number(r, "BETA"), se = res.number(r, "SE");
    // The estimate is unbiased once the confounding is absorbed: within 4 standard errors of the truth.
    EXPECT_LE(std::fabs(beta - truth), 4 * se)
        << id << " beta " << beta << " truth " << truth << " se " << se;
    // Power of this variant at its true effect (the SE depends on the genotypes, not on the effect).
    const double pw = power((truth / se) * (truth / se), c);
    expected_hits += pw;
    variance += pw * (1 - pw);
    hits += p < 5e-8;
    if (pw > 0.999) {
      ++sure;
      sure_hits += p < 5e-8;
    }
  }
  ASSERT_EQ(seen, 20);
  std::printf(
      "causal variants at P < 5e-8: %d (expected %.2f); with power > 0.999: %d of %d; non-causal: %d\n", hits,
      expected_hits, sure_hits, sure, false_hits);
  // As many genome-wide hits as the true effects predict (3 binomial standard deviations, and at least one
  // below), every variant with a near-certain power found, and no false positive among the 5,980 null
  // variants.
  EXPECT_GE(hits, std::floor(expected_hits - 3 * std::sqrt(variance) - 1));
  EXPECT_LE(hits, std::ceil(expected_hits + 3 * std::sqrt(variance) + 1));
  EXPECT_GE(sure, 2) << "the simulation (seed 3) has two causal variants of near-certain power";
  EXPECT_EQ(sure_hits, sure);
  EXPECT_EQ(false_hits, 0);
}

}  // namespace
}  // namespace genomap::test
