// score against plink2 --score on the bundled HapMap3 genotypes (allele matching on REF or ALT, mean-imputed
// missing genotypes, chrX), and against a naive sum over plink2's own dosage export.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");

// Every 20th variant, named by ALT for even rows and REF for odd ones (so both orientations are matched), and a
// few entries with an allele the variant does not have (skipped, as plink2 skips them).
void write_weights(const std::string& path) {
  std::ifstream bim(kBfile + ".bim");
  std::ofstream out(path);
  std::string chrom, id, cm, pos, a1, a2;
  for (int row = 1; bim >> chrom >> id >> cm >> pos >> a1 >> a2; ++row) {
    if (row % 20 != 0) continue;
    const std::string named = row % 40 == 0 ? a1 : a2;
    out << id << ' ' << (row % 1000 == 0 ? std::string("Q") : named) << ' ' << (row % 7) - 3.1 << '\n';
  }
}

TEST(ScoreGolden, MatchesPlink2Score) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed; the golden comparison needs it");
  const std::string dir = scratch_dir("assoc_score_golden");
  write_weights(dir + "/w.txt");
  auto ours = run_genomap("score --bfile " + kBfile + " --weights " + dir + "/w.txt --score-sums --out " + dir + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  auto ref = run_command("plink2 --bfile " + kBfile + " --score " + dir + "/w.txt cols=+scoresums --out " + dir + "/p");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  Table a = read_table(dir + "/g.sscore"), b = read_table(dir + "/p.sscore");
  ASSERT_EQ(a.columns, b.columns);
  ASSERT_EQ(a.rows.size(), 324u);
  ASSERT_EQ(b.rows.size(), 324u);
  double worst = 0;
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    EXPECT_EQ(a.text(r, "IID"), b.text(r, "IID"));
    EXPECT_EQ(a.text(r, "ALLELE_CT"), b.text(r, "ALLELE_CT"));
    EXPECT_EQ(a.text(r, "NAMED_ALLELE_DOSAGE_SUM"), b.text(r, "NAMED_ALLELE_DOSAGE_SUM"));
    // plink2 prints 6 significant digits: equal to print precision (half a unit of the 6th digit is <= 5e-6
    // relative; 1e-5 allows for both roundings).
    for (const char* col : {"SCORE1_AVG", "SCORE1_SUM"}) {
      const double x = a.number(r, col), y = b.number(r, col);
      worst = std::max(worst, std::fabs(x - y) / std::fabs(y));
      EXPECT_LE(std::fabs(x - y), 1e-5 * std::fabs(y)) << a.text(r, "IID") << ' ' << col;
    }
  }
  std::printf("score worst relative difference to plink2's printed values: %.3g\n", worst);
  EXPECT_NE(read_text(dir + "/g.log").find("skipped due to mismatching allele codes"), std::string::npos);
}

// The sums recomputed here with plain loops from plink2's dosage export (--export A with the named alleles
// counted), missing genotypes counted 0 (no-mean-imputation). genomap prints 6 significant digits as plink2
// does, so the check is to that print precision (5e-6 relative), not 1e-9.
TEST(ScoreGolden, SumsEqualNaiveComputationToFullPrecision) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed; it exports the dosages");
  const std::string dir = scratch_dir("assoc_score_naive");
  write_weights(dir + "/w.txt");
  auto ours = run_genomap("score --bfile " + kBfile + " --weights " + dir + "/w.txt --score-sum --no-mean-imputation --out " +
                          dir + "/g");
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  // Export the weighted variants with the counted allele named per variant (plink2 --export-allele).
  {
    std::ifstream w(dir + "/w.txt");
    std::ofstream ids(dir + "/ids.txt"), alleles(dir + "/alleles.txt");
    std::string id, allele, weight;
    while (w >> id >> allele >> weight)
      if (allele != "Q" && allele != "0") {
        ids << id << '\n';
        alleles << id << ' ' << allele << '\n';
      }
  }
  auto ex = run_command("plink2 --bfile " + kBfile + " --extract " + dir + "/ids.txt --export A --export-allele " + dir +
                        "/alleles.txt --out " + dir + "/raw");
  ASSERT_EQ(ex.exit_code, 0) << ex.output;
  std::map<std::string, double> weights;
  {
    std::ifstream w(dir + "/w.txt");
    std::string id, allele;
    double weight;
    while (w >> id >> allele >> weight) weights[id] = weight;
  }
  std::ifstream raw(dir + "/raw.raw");
  std::string line;
  std::getline(raw, line);
  std::vector<std::string> header;
  {
    std::istringstream ss(line);
    std::string f;
    while (ss >> f) header.push_back(f);
  }
  Table ours_table = read_table(dir + "/g.sscore");
  std::size_t r = 0;
  while (std::getline(raw, line)) {
    std::istringstream ss(line);
    std::vector<std::string> f;
    std::string x;
    while (ss >> x) f.push_back(x);
    double sum = 0;
    for (std::size_t c = 6; c < f.size(); ++c) {
      if (f[c] == "NA") continue;
      const std::string id = header[c].substr(0, header[c].rfind('_'));
      sum += weights.at(id) * std::stod(f[c]);
    }
    ASSERT_LT(r, ours_table.rows.size());
    EXPECT_EQ(ours_table.text(r, "IID"), f[1]);
    EXPECT_NEAR(ours_table.number(r, "SCORE1_SUM"), sum, 5e-6 * std::fabs(sum)) << f[1];
    ++r;
  }
  EXPECT_EQ(r, 324u);
}

TEST(ScoreBadInput, NonNumericWeightNamesFileAndLine) {
  const std::string dir = scratch_dir("assoc_score_bad");
  write_text(dir + "/w.txt", "rs2710875 1 0.5\nrs11260566 1 heavy\n");
  auto r = run_genomap("score --bfile " + kBfile + " --weights " + dir + "/w.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/w.txt:2: column 3: 'heavy' is not a number"), std::string::npos) << r.output;
  EXPECT_EQ(list_files(dir).size(), 1u);
}

}  // namespace
}  // namespace genomap::test
