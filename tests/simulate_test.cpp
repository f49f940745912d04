// Truth tests of `genomap simulate`: the files follow the admixture model they claim (allele frequencies,
// Hardy-Weinberg within individuals, drift between populations), the output is a function of the seed only
// (not of the thread count), and bad parameters fail cleanly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "genomap/geno/genotype_store.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

// A simulated fileset read back with plain loops: dosage[j][i] = allele-1 count, -1 when missing.
struct SimulatedData {
  std::size_t n = 0, m = 0, k = 0;
  std::vector<std::vector<int>> dosage;
  std::vector<std::vector<double>> q, p;
  std::vector<std::string> iid;
};

std::vector<std::vector<double>> read_matrix(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<double> row;
    double x;
    while (ss >> x) row.push_back(x);
    rows.push_back(row);
  }
  return rows;
}

SimulatedData load(const std::string& prefix) {
  SimulatedData d;
  GenotypeStore store = GenotypeStore::open_bfile(prefix);
  d.n = store.sample_ct();
  d.m = store.variant_ct();
  for (std::size_t i = 0; i < d.n; ++i) d.iid.push_back(store.samples()[i].iid);
  d.dosage.assign(d.m, std::vector<int>(d.n));
  for (std::size_t j = 0; j < d.m; ++j) {
    const std::uint8_t* row = store.variant_row(j);
    for (std::size_t i = 0; i < d.n; ++i) {
      const int code = (row[i / 4] >> (2 * (i % 4))) & 3;
      d.dosage[j][i] = code == 0 ? 2 : code == 2 ? 1 : code == 3 ? 0 : -1;
    }
  }
  d.q = read_matrix(prefix + ".Q");
  d.p = read_matrix(prefix + ".P");
  d.k = d.q.empty() ? 0 : d.q[0].size();
  return d;
}

std::string simulate(const std::string& dir, const std::string& args) {
  const std::string prefix = dir + "/sim";
  CommandResult r = run_genomap("simulate " + args + " --out " + prefix);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return prefix;
}

double theta(const SimulatedData& d, std::size_t j, std::size_t i) {
  double t = 0;
  for (std::size_t k = 0; k < d.k; ++k) t += d.q[i][k] * d.p[j][k];
  return t;
}

TEST(Simulate, WritesTheFilesWithConsistentShapes) {
  const std::string dir = scratch_dir("simulate_shapes");
  const std::string prefix = simulate(dir, "--n 157 --m 1203 --k 4 --fst 0.1 --alpha 0.3 --seed 3");
  SimulatedData d = load(prefix);
  ASSERT_EQ(d.n, 157u);
  ASSERT_EQ(d.m, 1203u);
  ASSERT_EQ(d.q.size(), 157u);
  ASSERT_EQ(d.p.size(), 1203u);
  for (const auto& row : d.q) {
    ASSERT_EQ(row.size(), 4u);
    double sum = 0;
    for (double x : row) {
      EXPECT_GE(x, 0.0);
      sum += x;
    }
    EXPECT_NEAR(sum, 1.0, 4 * 5e-7 + 1e-12);
  }
  for (const auto& row : d.p) {
    ASSERT_EQ(row.size(), 4u);
    for (double x : row) EXPECT_TRUE(x >= 0 && x <= 1);
  }
  // .pop: majority ancestry of each sample's Q row.
  Table pop = read_table(prefix + ".pop");
  ASSERT_EQ(pop.columns, (std::vector<std::string>{"FID", "IID", "POP"}));
  ASSERT_EQ(pop.rows.size(), 157u);
  for (std::size_t i = 0; i < d.n; ++i) {
    EXPECT_EQ(pop.text(i, "IID"), d.iid[i]);
    std::size_t top = 0;
    for (std::size_t k = 1; k < 4; ++k)
      if (d.q[i][k] > d.q[i][top]) top = k;
    EXPECT_EQ(pop.text(i, "POP"), "pop" + std::to_string(top + 1));
  }
  // .bim: 22 chromosomes in order, positions strictly increasing within each, unique IDs, no missing genotypes.
  std::ifstream bim(prefix + ".bim");
  std::string chrom, id, a1, a2, last_chrom;
  double cm;
  long pos, last_pos = 0;
  int chromosomes = 0;
  std::size_t missing = 0;
  while (bim >> chrom >> id >> cm >> pos >> a1 >> a2) {
    if (chrom != last_chrom) {
      ++chromosomes;
      EXPECT_EQ(std::stoi(chrom), chromosomes);
      last_chrom = chrom;
      last_pos = 0;
    }
    EXPECT_GT(pos, last_pos);
    EXPECT_NEAR(cm, static_cast<double>(pos) / 1e6, 1e-9);
    EXPECT_NE(a1, a2);
    last_pos = pos;
  }
  EXPECT_EQ(chromosomes, 22);
  for (const auto& row : d.dosage)
    for (int x : row) missing += x < 0;
  EXPECT_EQ(missing, 0u);
  EXPECT_FALSE(std::ifstream(prefix + ".related").good());
  EXPECT_FALSE(std::ifstream(prefix + ".pheno").good());
}

TEST(Simulate, SameSeedSameFilesWhateverTheThreadCount) {
  const std::string dir = scratch_dir("simulate_determinism");
  // 2,000 samples make chunks of ~2,000 variants, so 6,000 variants span several chunks and threads.
  const std::string args = "--n 2001 --m 6000 --k 3 --fst 0.05 --alpha 0.5 --missing 0.01 --seed 11";
  CommandResult one = run_genomap("simulate " + args + " --threads 1 --out " + dir + "/one");
  CommandResult two = run_genomap("simulate " + args + " --threads 2 --out " + dir + "/two");
  CommandResult three = run_genomap("simulate " + args + " --threads 3 --out " + dir + "/three");
  CommandResult other = run_genomap("simulate --n 2001 --m 6000 --k 3 --fst 0.05 --alpha 0.5 --missing 0.01 "
                                    "--seed 12 --out " + dir + "/other");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(two.exit_code, 0) << two.output;
  ASSERT_EQ(three.exit_code, 0) << three.output;
  ASSERT_EQ(other.exit_code, 0) << other.output;
  for (const char* suffix : {".bed", ".bim", ".fam", ".Q", ".P", ".pop"}) {
    const std::string base = read_text(dir + "/one" + suffix);
    EXPECT_FALSE(base.empty()) << suffix;
    EXPECT_EQ(base, read_text(dir + "/two" + suffix)) << suffix;
    EXPECT_EQ(base, read_text(dir + "/three" + suffix)) << suffix;
  }
  EXPECT_NE(read_text(dir + "/one.bed"), read_text(dir + "/other.bed"));
  EXPECT_NE(read_text(dir + "/one.Q"), read_text(dir + "/other.Q"));
}

TEST(Simulate, GenotypesFollowTheAdmixtureModel) {
  const std::string dir = scratch_dir("simulate_model");
  const std::string prefix = simulate(dir, "--n 500 --m 3000 --k 3 --fst 0.1 --alpha 0.5 --missing 0.02 --seed 5");
  SimulatedData d = load(prefix);
  // Per variant, the allele-1 count over all samples against its expectation sum_i 2 theta_ij (binomial
  // variance): the mean squared z-score is 1 under the model (+-0.026 for 3,000 variants).
  double z2 = 0, het_observed = 0, het_expected = 0, missing = 0;
  std::size_t used = 0;
  for (std::size_t j = 0; j < d.m; ++j) {
    double sum = 0, expected = 0, variance = 0;
    for (std::size_t i = 0; i < d.n; ++i) {
      const int x = d.dosage[j][i];
      if (x < 0) {
        ++missing;
        continue;
      }
      const double t = theta(d, j, i);
      sum += x;
      expected += 2 * t;
      variance += 2 * t * (1 - t);
      het_observed += x == 1;
      het_expected += 2 * t * (1 - t);
    }
    if (variance < 1) continue;
    z2 += (sum - expected) * (sum - expected) / variance;
    ++used;
  }
  ASSERT_GT(used, 2900u);
  EXPECT_NEAR(z2 / static_cast<double>(used), 1.0, 0.1);
  // Two allele copies drawn independently given Q: heterozygotes as expected (not 2x one draw, not all het).
  EXPECT_NEAR(het_observed / het_expected, 1.0, 0.01);
  EXPECT_NEAR(missing / static_cast<double>(d.n * d.m), 0.02, 0.002);
}

TEST(Simulate, DriftBetweenUnadmixedPopulationsMatchesFst) {
  for (double fst : {0.02, 0.15}) {
    const std::string dir = scratch_dir("simulate_fst");
    const std::string prefix =
        simulate(dir, "--n 400 --m 4000 --k 2 --alpha 0.02 --seed 9 --fst " + std::to_string(fst));
    SimulatedData d = load(prefix);
    // Nearly unadmixed individuals of each population.
    std::vector<std::size_t> members[2];
    for (std::size_t i = 0; i < d.n; ++i)
      for (std::size_t k = 0; k < 2; ++k)
        if (d.q[i][k] > 0.999) members[k].push_back(i);
    ASSERT_GT(members[0].size(), 100u);
    ASSERT_GT(members[1].size(), 100u);
    // Hudson's estimator (Bhatia et al. 2013), ratio of averages; under Balding-Nichols with drift F in each
    // population its expectation is F.
    double num = 0, den = 0, num_true = 0, den_true = 0;
    for (std::size_t j = 0; j < d.m; ++j) {
      double f[2], c[2];
      for (std::size_t k = 0; k < 2; ++k) {
        double sum = 0;
        for (std::size_t i : members[k]) sum += d.dosage[j][i];
        c[k] = 2.0 * static_cast<double>(members[k].size());
        f[k] = sum / c[k];
      }
      num += (f[0] - f[1]) * (f[0] - f[1]) - f[0] * (1 - f[0]) / (c[0] - 1) - f[1] * (1 - f[1]) / (c[1] - 1);
      den += f[0] * (1 - f[1]) + f[1] * (1 - f[0]);
      const double p0 = d.p[j][0], p1 = d.p[j][1];
      num_true += (p0 - p1) * (p0 - p1);
      den_true += p0 * (1 - p1) + p1 * (1 - p0);
    }
    EXPECT_NEAR(num_true / den_true, fst, 0.1 * fst + 0.003) << "from the true P";
    EXPECT_NEAR(num / den, fst, 0.1 * fst + 0.005) << "from the genotypes";
  }
}

void expect_bad_input(const std::string& args, const std::string& message) {
  const std::string dir = scratch_dir("simulate_bad");
  CommandResult r = run_genomap("simulate " + args + " --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << args << "\n" << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_TRUE(list_files(dir).empty()) << args;
}

TEST(Simulate, BadParametersFailWithOneLineAndNoOutputs) {
  const std::string ok = " --seed 1";
  expect_bad_input("--n 0 --m 100 --k 2 --fst 0.1" + ok, "--n must be at least 1");
  expect_bad_input("--n 10 --m 0 --k 2 --fst 0.1" + ok, "--m must be at least 1");
  expect_bad_input("--n 10 --m 100 --k 0 --fst 0.1" + ok, "--k must be at least 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0" + ok, "--fst must lie strictly between 0 and 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 1" + ok, "--fst must lie strictly between 0 and 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst -0.2" + ok, "--fst must lie strictly between 0 and 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --alpha 0.1,0.2,0.3" + ok, "--alpha: 3 values given for --k 2");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --alpha 0,1" + ok, "--alpha: '0' is not a positive number");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --missing 1.5" + ok, "--missing must lie in [0, 1)");
}

}  // namespace
}  // namespace genomap::test
