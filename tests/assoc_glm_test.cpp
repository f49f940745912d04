// glm against plink2 --glm on the bundled HapMap3 genotypes with phenotypes and covariates generated here,
// and the bad-input paths. plink2 prints 6 significant digits (and runs logistic/Firth regression in single
// precision), so the tolerances are stated per comparison below.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");

struct Fam {
  std::vector<std::string> fid, iid;
  std::vector<int> sex;
};
Fam read_fam_file() {
  Fam f;
  std::ifstream in(kBfile + ".fam");
  std::string a, b, c, d, e, g;
  while (in >> a >> b >> c >> d >> e >> g) {
    f.fid.push_back(a);
    f.iid.push_back(b);
    f.sex.push_back(std::stoi(e));
  }
  return f;
}

// QT: normal noise plus a sex effect; BT: 1/2 from a logistic model of the same; covariates SEX and a random
// C1.
void write_inputs(const std::string& dir) {
  Fam fam = read_fam_file();
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> norm(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  std::ofstream ph(dir + "/pheno.txt"), cv(dir + "/covar.txt");
  ph << "#FID IID QT BT\n";
  cv << "#FID IID SEX C1\n";
  for (std::size_t i = 0; i < fam.iid.size(); ++i) {
    const double c1 = 5 + 3 * norm(rng);
    const double qt = 10 + 0.3 * fam.sex[i] + 0.1 * c1 + norm(rng);
    const double eta = -0.2 + 0.3 * (fam.sex[i] - 1.5) + 0.1 * (c1 - 5);
    const int bt = unif(rng) < 1 / (1 + std::exp(-eta)) ? 2 : 1;
    ph << fam.fid[i] << ' ' << fam.iid[i] << ' ' << (i % 37 == 5 ? std::string("NA") : std::to_string(qt))
       << ' ' << bt << '\n';
    cv << fam.fid[i] << ' ' << fam.iid[i] << ' ' << fam.sex[i] << ' '
       << (i % 53 == 7 ? std::string("-9") : std::to_string(c1)) << '\n';
  }
}

double relative(double a, double b) { return std::fabs(a - b) / std::max(std::fabs(b), 1e-300); }

struct Comparison {
  std::size_t rows = 0, compared = 0, firth = 0;
  std::map<std::string, double> worst;  // relative; Firth rows under "firth " + column
};

// A value passes when |ours - ref| <= abs + rel * |ref|.
struct Tolerance {
  double rel = 0, abs = 0;
};
using Tolerances = std::map<std::string, Tolerance>;

// Compares two glm tables row by row: identical IDs, OBS_CT, FIRTH? and ERRCODE; numeric columns within `tol`
// (relative); where A1 differs (a tie at frequency 0.5) the effect is compared with its sign/ratio flipped.
Comparison compare_glm(const Table& ours, const Table& ref, const std::vector<std::string>& cols,
                       const Tolerances& tol, const Tolerances& firth_tol) {
  Comparison c;
  EXPECT_EQ(ours.columns, ref.columns);
  EXPECT_EQ(ours.rows.size(), ref.rows.size());
  const bool firth_col = std::find(ref.columns.begin(), ref.columns.end(), "FIRTH?") != ref.columns.end();
  for (std::size_t r = 0; r < std::min(ours.rows.size(), ref.rows.size()); ++r) {
    ++c.rows;
    const std::string id = ref.text(r, "ID");
    EXPECT_EQ(ours.text(r, "ID"), id);
    if (ours.text(r, "ID") != id) break;
    EXPECT_EQ(ours.text(r, "OBS_CT"), ref.text(r, "OBS_CT")) << id;
    EXPECT_EQ(ours.text(r, "ERRCODE"), ref.text(r, "ERRCODE")) << id;
    if (firth_col) {
      EXPECT_EQ(ours.text(r, "FIRTH?"), ref.text(r, "FIRTH?")) << id;
    }
    if (ref.text(r, "ERRCODE") != ".") continue;
    ++c.compared;
    // Rows fitted by Firth: FIRTH? = Y in a hybrid table; every row of a .glm.firth table.
    const bool is_firth =
        firth_col ? ref.text(r, "FIRTH?") == "Y" : ref.columns[8] == "OR" && &tol == &firth_tol;
    c.firth += is_firth;
    const bool flipped = ours.text(r, "A1") != ref.text(r, "A1");
    for (const auto& col : cols) {
      double a = ours.number(r, col), b = ref.number(r, col);
      if (flipped && (col == "BETA" || col == "T_STAT" || col == "Z_STAT")) a = -a;
      if (flipped && col == "OR") a = 1 / a;
      const double rel = relative(a, b);
      const std::string key = (is_firth ? "firth " : "") + col;
      c.worst[key] = std::max(c.worst[key], rel);
      const Tolerance t = (is_firth ? firth_tol : tol).at(col);
      EXPECT_LE(std::fabs(a - b), t.abs + t.rel * std::fabs(b))
          << id << ' ' << col << ' ' << a << " vs " << b;
    }
  }
  return c;
}

// Linear: double precision on both sides; plink2 prints 6 significant digits, half a unit of the 6th digit is
// at most 5e-6 relative (1e-5 allows the two roundings).
const Tolerances kLinearTolerance{
    {"BETA", {1e-5, 0}}, {"SE", {1e-5, 0}}, {"T_STAT", {1e-5, 0}}, {"P", {1e-5, 0}}};
// Logistic: plink2 2.00a3 iterates in single precision until the coefficient steps sum below 1e-4.
const Tolerances kLogisticTolerance{
    {"OR", {2e-4, 0}}, {"LOG(OR)_SE", {2e-4, 0}}, {"Z_STAT", {5e-4, 1e-4}}, {"P", {5e-4, 1e-5}}};
// Firth: plink2 stops at coefficient steps and gradients below 1e-4 (single precision): about 1e-3 on
// log(OR).
const Tolerances kFirthTolerance{
    {"OR", {1.5e-3, 0}}, {"LOG(OR)_SE", {5e-4, 0}}, {"Z_STAT", {2e-3, 2e-3}}, {"P", {2e-3, 1e-3}}};

class GlmGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed; the golden comparison needs it");
    dir_ = scratch_dir(std::string("assoc_glm_golden_") +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    write_inputs(dir_);
  }
  std::string dir_;
};

TEST_F(GlmGolden, LinearAndLogisticMatchPlink2InOnePass) {
  // --geno 0: plink2 2.00a3's single-precision logistic path reports standard errors for variants with
  // missing genotypes that disagree with an exact fit (and with plink 1.9); see docs/assoc.md. Linear is
  // checked with missing genotypes in the next test.
  const std::string common = " --bfile " + kBfile + " --autosome --geno 0 --pheno " + dir_ +
                             "/pheno.txt --covar " + dir_ + "/covar.txt";
  auto ours = run_genomap("glm" + common + " --threads 2 --out " + dir_ + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  auto ref =
      run_command("plink2" + common + " --glm hide-covar firth-fallback --threads 2 --out " + dir_ + "/p");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  auto lin = compare_glm(read_table(dir_ + "/g.QT.glm.linear"), read_table(dir_ + "/p.QT.glm.linear"),
                         {"BETA", "SE", "T_STAT", "P"}, kLinearTolerance, kLinearTolerance);
  EXPECT_GT(lin.compared, 7000u);
  auto logi = compare_glm(read_table(dir_ + "/g.BT.glm.logistic.hybrid"),
                          read_table(dir_ + "/p.BT.glm.logistic.hybrid"), {"OR", "LOG(OR)_SE", "Z_STAT", "P"},
                          kLogisticTolerance, kFirthTolerance);
  EXPECT_GT(logi.compared, 7000u);
  EXPECT_GT(logi.firth, 5u) << "rare variants separated among cases must fall back to Firth";
  for (const auto& [col, w] : lin.worst)
    std::printf("linear %s worst relative difference %.3g\n", col.c_str(), w);
  for (const auto& [col, w] : logi.worst)
    std::printf("logistic %s worst relative difference %.3g\n", col.c_str(), w);
  const std::string log = read_text(dir_ + "/g.log");
  EXPECT_NE(log.find("genomic inflation lambda"), std::string::npos);
  EXPECT_NE(log.find("dropped for a missing phenotype"), std::string::npos);
}

TEST_F(GlmGolden, LinearWithMissingGenotypesAndAdjustMatchPlink2) {
  const std::string common = " --bfile " + kBfile + " --autosome --pheno " + dir_ +
                             "/pheno.txt --pheno-name QT --covar " + dir_ + "/covar.txt";
  auto ours = run_genomap("glm" + common + " --adjust --out " + dir_ + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  auto ref = run_command("plink2" + common + " --glm hide-covar --adjust --out " + dir_ + "/p");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  auto lin = compare_glm(read_table(dir_ + "/g.QT.glm.linear"), read_table(dir_ + "/p.QT.glm.linear"),
                         {"BETA", "SE", "T_STAT", "P"}, kLinearTolerance, kLinearTolerance);
  EXPECT_GT(lin.compared, 10000u);
  Table a = read_table(dir_ + "/g.QT.glm.linear.adjusted"),
        b = read_table(dir_ + "/p.QT.glm.linear.adjusted");
  ASSERT_EQ(a.columns, b.columns);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t r = 0; r < a.rows.size(); ++r)
    for (const char* col : {"UNADJ", "GC", "BONF", "HOLM", "SIDAK_SS", "SIDAK_SD", "FDR_BH", "FDR_BY"})
      EXPECT_LE(relative(a.number(r, col), b.number(r, col)), 2e-5) << r << ' ' << col;
  // The same lambda in both logs.
  const std::string plog = read_text(dir_ + "/p.log");
  const auto at = plog.find("lambda (based on median chisq) = ");
  ASSERT_NE(at, std::string::npos);
  const double plambda = std::stod(plog.substr(at + 33));
  const std::string glog = read_text(dir_ + "/g.log");
  const auto gat = glog.find("lambda used = ");
  ASSERT_NE(gat, std::string::npos);
  EXPECT_NEAR(std::stod(glog.substr(gat + 14)), plambda, 1e-5 * plambda);
}

TEST_F(GlmGolden, AlwaysFirthMatchesPlink2) {
  const std::string common = " --bfile " + kBfile + " --chr 1 --geno 0 --pheno " + dir_ +
                             "/pheno.txt --pheno-name BT --covar " + dir_ + "/covar.txt";
  auto ours = run_genomap("glm" + common + " --firth --out " + dir_ + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  auto ref = run_command("plink2" + common + " --glm hide-covar firth --out " + dir_ + "/p");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  auto c = compare_glm(read_table(dir_ + "/g.BT.glm.firth"), read_table(dir_ + "/p.BT.glm.firth"),
                       {"OR", "LOG(OR)_SE", "Z_STAT", "P"}, kFirthTolerance, kFirthTolerance);
  EXPECT_GT(c.compared, 500u);
  for (const auto& [col, w] : c.worst)
    std::printf("firth %s worst relative difference %.3g\n", col.c_str(), w);
}

// Chromosome X: genomap tests the stored calls (males homozygous, dosage 0/2, as plink2's default
// --xchr-model 2) with the covariates it is given; plink2 adds sex as a covariate there by itself. With SEX
// in genomap's covariates and without it in plink2's, both fit the same model. The X rows are labelled X, as
// plink2 labels them.
TEST_F(GlmGolden, ChromosomeXMatchesPlink2WithSexAsACovariate) {
  std::string c1_only;
  {
    std::ifstream in(dir_ + "/covar.txt");
    std::string fid, iid, sex, c1;
    while (in >> fid >> iid >> sex >> c1) c1_only += fid + " " + iid + " " + c1 + "\n";
  }
  write_text(dir_ + "/c1.txt", c1_only);
  const std::string common = " --bfile " + kBfile + " --chr X --geno 0 --pheno " + dir_ + "/pheno.txt";
  auto ours = run_genomap("glm" + common + " --covar " + dir_ + "/covar.txt --out " + dir_ + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_NE(read_text(dir_ + "/g.log").find("variants on X, Y or MT are tested as stored"),
            std::string::npos);
  auto ref =
      run_command("plink2" + common + " --covar " + dir_ + "/c1.txt --glm hide-covar --out " + dir_ + "/p");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  auto linear = compare_glm(read_table(dir_ + "/g.QT.glm.linear"), read_table(dir_ + "/p.QT.glm.linear"),
                            {"BETA", "SE", "T_STAT", "P"}, kLinearTolerance, kLinearTolerance);
  auto logistic = compare_glm(read_table(dir_ + "/g.BT.glm.logistic.hybrid"),
                              read_table(dir_ + "/p.BT.glm.logistic.hybrid"),
                              {"OR", "LOG(OR)_SE", "Z_STAT", "P"}, kLogisticTolerance, kFirthTolerance);
  EXPECT_GT(linear.compared, 200u);  // 239 X variants without missing calls
  EXPECT_GT(logistic.compared, 200u);
  EXPECT_EQ(read_table(dir_ + "/g.BT.glm.logistic.hybrid").text(0, "CHROM"), "X");
}

// Logistic regression where genotypes are missing, against plink 1.9 `--logistic` (docs/assoc.md:
// plink2 2.00a3's single-precision path disagrees on such variants; plink 1.9 fits in double precision on the
// observed samples). plink 1.9 prints 4 significant digits, so half a unit of the 4th digit (5e-4 relative)
// is the tolerance. Rows genomap fits by Firth (separation, or no convergence) are left out: plink 1.9 has no
// Firth regression and reports NA or the diverging estimate there.
TEST(GlmPlink19, LogisticWithMissingGenotypesMatchesPlink19) {
  if (!have_program("plink1.9")) GENOMAP_MISSING_TOOL("plink1.9 not installed; the comparison needs it");
  const std::string dir = scratch_dir("assoc_glm_plink19");
  const Fam fam = read_fam_file();
  std::mt19937_64 rng(19);
  std::normal_distribution<double> norm(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  std::string pheno = "FID IID BT\n", covar = "FID IID SEX C1\n";
  for (std::size_t i = 0; i < fam.iid.size(); ++i) {
    const double c1 = 5 + 3 * norm(rng);
    const double eta = -0.2 + 0.3 * (fam.sex[i] - 1.5) + 0.1 * (c1 - 5);
    const std::string ids = fam.fid[i] + " " + fam.iid[i];
    pheno += ids + (unif(rng) < 1 / (1 + std::exp(-eta)) ? " 2\n" : " 1\n");
    covar += ids + " " + std::to_string(fam.sex[i]) + " " + std::to_string(c1) + "\n";
  }
  write_text(dir + "/pheno.txt", pheno);
  write_text(dir + "/covar.txt", covar);
  const std::string inputs = " --bfile " + kBfile + " --autosome --pheno " + dir +
                             "/pheno.txt --pheno-name BT --covar " + dir + "/covar.txt";
  auto r = run_genomap("glm" + inputs + " --out " + dir + "/g");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_command("plink1.9" + inputs + " --logistic hide-covar --keep-allele-order --allow-no-sex --out " +
                  dir + "/p");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table ours = read_table(dir + "/g.BT.glm.logistic.hybrid");
  const Table ref = read_table(dir + "/p.assoc.logistic");
  ASSERT_EQ(ours.rows.size(), ref.rows.size());
  std::size_t compared = 0, with_missing = 0, firth = 0;
  double worst = 0;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const std::string id = ref.text(row, "SNP");
    ASSERT_EQ(ours.text(row, "ID"), id);
    EXPECT_EQ(ours.text(row, "OBS_CT"), ref.text(row, "NMISS")) << id;
    if (ref.text(row, "OR") == "NA") {  // constant, or separated: genomap says why or fits by Firth
      EXPECT_TRUE(ours.text(row, "ERRCODE") == "CONST_OMITTED_ALLELE" || ours.text(row, "FIRTH?") == "Y")
          << id;
      continue;
    }
    if (ours.text(row, "FIRTH?") == "Y") {
      ++firth;
      continue;
    }
    ASSERT_EQ(ours.text(row, "ERRCODE"), ".") << id;
    const bool flipped = ours.text(row, "A1") != ref.text(row, "A1");
    const double odds = flipped ? 1 / ours.number(row, "OR") : ours.number(row, "OR");
    const double z = flipped ? -ours.number(row, "Z_STAT") : ours.number(row, "Z_STAT");
    for (const auto& [a, col] :
         {std::pair{odds, "OR"}, std::pair{z, "STAT"}, std::pair{ours.number(row, "P"), "P"}}) {
      const double b = ref.number(row, col);
      EXPECT_LE(std::fabs(a - b), 5e-4 * std::fabs(b) + 5e-5) << id << ' ' << col << ' ' << a << " vs " << b;
      if (std::fabs(b) > 1e-3) worst = std::max(worst, relative(a, b));
    }
    ++compared;
    with_missing += std::stoul(ref.text(row, "NMISS")) < fam.iid.size();
  }
  EXPECT_GT(compared, 12000u);
  EXPECT_GT(with_missing, 4000u);  // HapMap 3 has missing calls at about 40% of its variants
  EXPECT_LT(firth, compared / 100);
  std::printf(
      "plink1.9 --logistic: %zu variants compared (%zu with missing genotypes), %zu by Firth left out, "
      "worst relative difference %.3g\n",
      compared, with_missing, firth, worst);
}

// ---- bad input ----

class GlmBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir(std::string("assoc_glm_bad_") +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    write_inputs(dir_);
  }
  void expect_failure(const std::string& args, const std::string& message_part) {
    auto r = run_genomap("glm --bfile " + kBfile + " --chr 22 " + args + " --out " + dir_ + "/out/x");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(message_part), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_TRUE(list_files(dir_ + "/out").empty());
  }
  void SetUpOut() { std::filesystem::create_directories(dir_ + "/out"); }
  std::string dir_;
};

TEST_F(GlmBadInput, NonNumericValueNamesFileLineAndColumn) {
  SetUpOut();
  Fam fam = read_fam_file();
  std::ostringstream text;
  text << "FID IID QT\n";
  for (std::size_t i = 0; i < fam.iid.size(); ++i)
    text << fam.fid[i] << ' ' << fam.iid[i] << (i == 4 ? " abc\n" : " 1.5\n");
  write_text(dir_ + "/bad.txt", text.str());
  expect_failure("--pheno " + dir_ + "/bad.txt", dir_ + "/bad.txt:6: column QT: 'abc' is not a number");
}

TEST_F(GlmBadInput, UnknownSamples) {
  SetUpOut();
  write_text(dir_ + "/none.txt", "FID IID QT\nX1 NOBODY 1.0\nX2 NOONE 2.0\n");
  expect_failure("--pheno " + dir_ + "/none.txt", "no entries correspond to samples of the fileset");
  // Some unknown rows: ignored as plink2 ignores them, with a warning in the log.
  std::string text = read_text(dir_ + "/pheno.txt");
  text += "X1 NOBODY 1.0 2\n";
  write_text(dir_ + "/some.txt", text);
  auto r = run_genomap("glm --bfile " + kBfile + " --chr 22 --pheno " + dir_ +
                       "/some.txt --pheno-name QT --out " + dir_ + "/some");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(read_text(dir_ + "/some.log")
                .find("1 rows of " + dir_ +
                      "/some.txt name samples not in the fileset (first: "
                      "X1 NOBODY)"),
            std::string::npos);
}

TEST_F(GlmBadInput, ConstantPhenotype) {
  SetUpOut();
  Fam fam = read_fam_file();
  std::ostringstream text;
  text << "IID QT\n";
  for (const auto& iid : fam.iid) text << iid << " 3.25\n";
  write_text(dir_ + "/const.txt", text.str());
  expect_failure("--pheno " + dir_ + "/const.txt", "phenotype QT is constant among the 324 samples analysed");
}

TEST_F(GlmBadInput, MoreCovariatesThanSamples) {
  SetUpOut();
  Fam fam = read_fam_file();
  std::mt19937_64 rng(5);
  std::normal_distribution<double> norm(0, 1);
  std::ostringstream keep, text;
  text << "FID IID";
  for (int c = 0; c < 12; ++c) text << " C" << c;
  text << '\n';
  for (std::size_t i = 0; i < 10; ++i) {
    keep << fam.fid[i] << ' ' << fam.iid[i] << '\n';
    text << fam.fid[i] << ' ' << fam.iid[i];
    for (int c = 0; c < 12; ++c) text << ' ' << norm(rng);
    text << '\n';
  }
  write_text(dir_ + "/keep.txt", keep.str());
  write_text(dir_ + "/many.txt", text.str());
  expect_failure("--keep " + dir_ + "/keep.txt --pheno " + dir_ + "/pheno.txt --pheno-name QT --covar " +
                     dir_ + "/many.txt",
                 "need more samples than predictors");
}

TEST_F(GlmBadInput, CollinearCovariatesAreNamed) {
  SetUpOut();
  Fam fam = read_fam_file();
  std::ostringstream text;
  text << "FID IID A B\n";
  for (std::size_t i = 0; i < fam.iid.size(); ++i)
    text << fam.fid[i] << ' ' << fam.iid[i] << ' ' << i << ' ' << 2.0 * static_cast<double>(i) + 1 << '\n';
  write_text(dir_ + "/coll.txt", text.str());
  expect_failure("--pheno " + dir_ + "/pheno.txt --covar " + dir_ + "/coll.txt",
                 "covariates A and B are collinear for phenotype QT");
}

TEST_F(GlmBadInput, CovarPcsMoreThanSamplesOrNameClash) {
  SetUpOut();
  expect_failure("--pheno " + dir_ + "/pheno.txt --covar-pcs 400",
                 "--covar-pcs 400: needs fewer components than the 324 samples");
  Fam fam = read_fam_file();
  std::ostringstream text;
  text << "FID IID PC1\n";
  for (std::size_t i = 0; i < fam.iid.size(); ++i)
    text << fam.fid[i] << ' ' << fam.iid[i] << ' ' << (i % 7) << '\n';
  write_text(dir_ + "/pc.txt", text.str());
  expect_failure("--pheno " + dir_ + "/pheno.txt --covar " + dir_ + "/pc.txt --covar-pcs 2",
                 "--covar-pcs: the covariate file already has a column PC1");
}

}  // namespace
}  // namespace genomap::test
