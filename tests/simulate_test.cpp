// Truth tests of `genomap simulate`: the files follow the admixture model they claim (allele frequencies,
// Hardy-Weinberg within individuals, drift between populations), the output is a function of the seed only
// (not of the thread count), and bad parameters fail cleanly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
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
  d.q = read_number_rows(prefix + ".Q");
  d.p = read_number_rows(prefix + ".P");
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
  // .bim: 22 chromosomes in order, positions strictly increasing within each, unique IDs, no missing
  // genotypes.
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
  CommandResult other = run_genomap(
      "simulate --n 2001 --m 6000 --k 3 --fst 0.05 --alpha 0.5 --missing 0.01 "
      "--seed 12 --out " +
      dir + "/other");
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
  // With relatives, LD and phenotypes too (chunks then start at LD block starts).
  const std::string full =
      "--n 2001 --m 6000 --k 2 --fst 0.1 --seed 2 --related dup:1,po:2,fs:2,d2:2,d3:2 "
      "--ld-block 7 --ld-r2 0.5 --causal 30 --confound 0.3";
  ASSERT_EQ(run_genomap("simulate " + full + " --threads 1 --out " + dir + "/full1").exit_code, 0);
  ASSERT_EQ(run_genomap("simulate " + full + " --threads 3 --out " + dir + "/full3").exit_code, 0);
  for (const char* suffix : {".bed", ".bim", ".Q", ".P", ".related", ".pheno", ".causal"})
    EXPECT_EQ(read_text(dir + "/full1" + suffix), read_text(dir + "/full3" + suffix)) << suffix;
  EXPECT_NE(read_text(dir + "/one.Q"), read_text(dir + "/other.Q"));
}

TEST(Simulate, GenotypesFollowTheAdmixtureModel) {
  const std::string dir = scratch_dir("simulate_model");
  const std::string prefix =
      simulate(dir, "--n 500 --m 3000 --k 3 --fst 0.1 --alpha 0.5 --missing 0.02 --seed 5");
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

// Pearson correlation of two vectors, ignoring entries where either is missing (negative).
double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sa += a[i];
    sb += b[i];
    saa += a[i] * a[i];
    sbb += b[i] * b[i];
    sab += a[i] * b[i];
    ++n;
  }
  const double cov = sab / n - (sa / n) * (sb / n);
  return cov / std::sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
}

std::size_t index_of(const SimulatedData& d, const std::string& iid) {
  auto it = std::find(d.iid.begin(), d.iid.end(), iid);
  if (it == d.iid.end()) throw std::runtime_error("no sample " + iid);
  return static_cast<std::size_t>(it - d.iid.begin());
}

// Kinship of two samples with the same ancestry vector, from their individual allele frequencies theta_j
// (known here): Cov(x1, x2) = 4 phi theta (1 - theta) for allele-1 dosages, summed over variants.
double naive_kinship(const SimulatedData& d, std::size_t a, std::size_t b) {
  double num = 0, den = 0;
  for (std::size_t j = 0; j < d.m; ++j) {
    const int xa = d.dosage[j][a], xb = d.dosage[j][b];
    if (xa < 0 || xb < 0) continue;
    const double t = theta(d, j, a);
    num += (xa - 2 * t) * (xb - 2 * t);
    den += 4 * t * (1 - t);
  }
  return num / den;
}

TEST(Simulate, PlantedRelativesHaveTheirKinship) {
  const std::string dir = scratch_dir("simulate_related");
  const std::string prefix = simulate(dir,
                                      "--n 200 --m 6000 --k 3 --fst 0.1 --alpha 0.5 --missing 0.01 --seed 4 "
                                      "--related dup:2,po:3,fs:3,d2:3,d3:3");
  SimulatedData d = load(prefix);
  ASSERT_EQ(d.n, 200u);
  Table rel = read_table(prefix + ".related");
  ASSERT_EQ(rel.columns,
            (std::vector<std::string>{"FID1", "IID1", "FID2", "IID2", "RELATIONSHIP", "DEGREE", "KINSHIP"}));
  ASSERT_EQ(rel.rows.size(), 14u);
  const std::map<std::string, std::pair<int, double>> expected = {{"duplicate", {0, 0.5}},
                                                                  {"parent-offspring", {1, 0.25}},
                                                                  {"full-sibling", {1, 0.25}},
                                                                  {"second-degree", {2, 0.125}},
                                                                  {"third-degree", {3, 0.0625}}};
  std::map<std::string, int> seen;
  std::vector<std::pair<std::size_t, std::size_t>> related;
  for (std::size_t r = 0; r < rel.rows.size(); ++r) {
    const std::string kind = rel.text(r, "RELATIONSHIP");
    ASSERT_TRUE(expected.count(kind)) << kind;
    ++seen[kind];
    EXPECT_EQ(rel.number(r, "DEGREE"), expected.at(kind).first);
    EXPECT_EQ(rel.number(r, "KINSHIP"), expected.at(kind).second);
    const std::size_t a = index_of(d, rel.text(r, "IID1")), b = index_of(d, rel.text(r, "IID2"));
    related.emplace_back(a, b);
    // Relatives come from the same population: the same true ancestry.
    for (std::size_t k = 0; k < d.k; ++k) EXPECT_EQ(d.q[a][k], d.q[b][k]);
    EXPECT_NEAR(naive_kinship(d, a, b), expected.at(kind).second, 0.02) << kind << " " << a << " " << b;
    if (kind == "duplicate") {
      std::size_t differ = 0;
      for (std::size_t j = 0; j < d.m; ++j)
        differ += d.dosage[j][a] >= 0 && d.dosage[j][b] >= 0 && d.dosage[j][a] != d.dosage[j][b];
      EXPECT_EQ(differ, 0u);
    }
    if (kind == "parent-offspring") {  // Mendelian: never opposite homozygotes
      std::size_t opposite = 0;
      for (std::size_t j = 0; j < d.m; ++j)
        opposite +=
            d.dosage[j][a] >= 0 && d.dosage[j][b] >= 0 && std::abs(d.dosage[j][a] - d.dosage[j][b]) == 2;
      EXPECT_EQ(opposite, 0u);
    }
  }
  EXPECT_EQ(seen["duplicate"], 2);
  EXPECT_EQ(seen["parent-offspring"], 3);
  EXPECT_EQ(seen["full-sibling"], 3);
  EXPECT_EQ(seen["second-degree"], 3);
  EXPECT_EQ(seen["third-degree"], 3);
  // Pairs not planted are unrelated: check those between the first planted samples and some founders.
  std::set<std::pair<std::size_t, std::size_t>> planted(related.begin(), related.end());
  for (std::size_t a = 0; a < 40; a += 3)
    for (std::size_t b : {related[0].first, related[5].first, related[13].second})
      if (a != b && !planted.count({a, b}) && !planted.count({b, a}) && d.q[a] == d.q[b])
        ADD_FAILURE() << "unrelated samples share an ancestry vector";
  for (std::size_t a = 0; a < 40; a += 3)
    for (std::size_t b = a + 1; b < 40; b += 5) {
      std::vector<std::size_t> pair{a, b};
      // Samples a and b have different Q; use the average theta as the reference frequency.
      double num = 0, den = 0;
      for (std::size_t j = 0; j < d.m; ++j) {
        const int xa = d.dosage[j][a], xb = d.dosage[j][b];
        if (xa < 0 || xb < 0) continue;
        const double ta = theta(d, j, a), tb = theta(d, j, b);
        num += (xa - 2 * ta) * (xb - 2 * tb);
        den += 4 * std::sqrt(ta * (1 - ta) * tb * (1 - tb));
      }
      EXPECT_NEAR(num / den, 0.0, 0.02) << a << " " << b;
    }
}

TEST(Simulate, LdBlocksCorrelateNeighboursAndKeepFrequencies) {
  const std::string dir = scratch_dir("simulate_ld");
  const std::string prefix =
      simulate(dir,
               "--n 400 --m 4000 --k 2 --fst 0.05 --alpha 1 --seed 8 --ld-block 20 --ld-r2 0.8 "
               "--related fs:5,po:5 --chromosomes 4");
  SimulatedData d = load(prefix);
  // r^2 between neighbours: high within blocks (positions 1..19 of a block), near zero across block starts.
  std::vector<int> chrom_index(d.m);
  std::ifstream bim(prefix + ".bim");
  std::string chrom, id, a1, a2, last;
  double cm;
  long pos;
  int idx = 0;
  for (std::size_t j = 0; j < d.m && (bim >> chrom >> id >> cm >> pos >> a1 >> a2); ++j) {
    idx = chrom == last ? idx + 1 : 0;
    last = chrom;
    chrom_index[j] = idx;
  }
  double within = 0, across = 0;
  std::size_t within_ct = 0, across_ct = 0;
  for (std::size_t j = 1; j < d.m; ++j) {
    std::vector<double> x(d.dosage[j - 1].begin(), d.dosage[j - 1].end()),
        y(d.dosage[j].begin(), d.dosage[j].end());
    const double r = correlation(x, y);
    if (!std::isfinite(r)) continue;
    (chrom_index[j] % 20 == 0 ? across : within) += r * r;
    ++(chrom_index[j] % 20 == 0 ? across_ct : within_ct);
  }
  ASSERT_GT(across_ct, 150u);
  EXPECT_LT(across / static_cast<double>(across_ct), 0.02);
  EXPECT_GT(within / static_cast<double>(within_ct), 0.2);  // lowered by pairs of unlike frequencies
  // Linkage leaves each founder's allele frequency at theta: the mean squared z-score stays 1.
  double z2 = 0;
  std::size_t used = 0;
  for (std::size_t j = 0; j < d.m; ++j) {
    double sum = 0, expected = 0, variance = 0;
    for (std::size_t i = 0; i < 350; ++i) {  // the unrelated founders come first
      const double t = theta(d, j, i);
      sum += d.dosage[j][i];
      expected += 2 * t;
      variance += 2 * t * (1 - t);
    }
    if (variance < 1) continue;
    z2 += (sum - expected) * (sum - expected) / variance;
    ++used;
  }
  // Variants in a block are correlated, so the mean has more spread than with independent variants.
  EXPECT_NEAR(z2 / static_cast<double>(used), 1.0, 0.2);
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed: pruning check skipped");
  CommandResult r =
      run_command("plink2 --bfile " + prefix + " --indep-pairwise 50 5 0.2 --out " + dir + "/pr");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string kept = read_text(dir + "/pr.prune.in");
  const auto kept_ct = static_cast<std::size_t>(std::count(kept.begin(), kept.end(), '\n'));
  EXPECT_LT(kept_ct, d.m / 2) << "LD pruning should remove most variants of 20-variant blocks";
}

TEST(Simulate, LdReachesTheTargetR2WhereFrequenciesAllowIt) {
  const std::string dir = scratch_dir("simulate_ld_target");
  // One population with little drift: every sample's allele frequency is P (close to the ancestral p).
  const std::string prefix = simulate(
      dir, "--n 1000 --m 3000 --k 1 --fst 0.002 --seed 10 --ld-block 3000 --ld-r2 0.5 --chromosomes 1");
  SimulatedData d = load(prefix);
  double sum = 0;
  std::size_t ct = 0;
  for (std::size_t j = 1; j < d.m; ++j) {
    const double a = std::min(d.p[j - 1][0], d.p[j][0]), b = std::max(d.p[j - 1][0], d.p[j][0]);
    const double r_max_sq = a * (1 - b) / (b * (1 - a));  // highest r^2 for alleles of frequencies a <= b
    if (r_max_sq < 0.65) continue;
    std::vector<double> x(d.dosage[j - 1].begin(), d.dosage[j - 1].end()),
        y(d.dosage[j].begin(), d.dosage[j].end());
    const double r = correlation(x, y);
    sum += r * r;
    ++ct;
  }
  ASSERT_GT(ct, 300u);
  EXPECT_NEAR(sum / static_cast<double>(ct), 0.5, 0.05);
}

TEST(Simulate, PhenotypeCarriesTheHeritabilityAndTheConfounding) {
  const std::string dir = scratch_dir("simulate_pheno");
  const std::string prefix = simulate(dir,
                                      "--n 2000 --m 2000 --k 2 --fst 0.2 --alpha 0.5 --seed 6 --causal 40 "
                                      "--h2 0.4 --confound 0.7 --prevalence 0.2");
  SimulatedData d = load(prefix);
  Table causal = read_table(prefix + ".causal");
  ASSERT_EQ(causal.columns, (std::vector<std::string>{"ID", "EFFECT"}));
  ASSERT_EQ(causal.rows.size(), 40u);
  Table pheno = read_table(prefix + ".pheno");
  ASSERT_EQ(pheno.columns, (std::vector<std::string>{"FID", "IID", "QT", "BT"}));
  ASSERT_EQ(pheno.rows.size(), d.n);
  // Genetic value from the written effects and genotypes (variant IDs are snp<row+1>).
  std::vector<double> g(d.n, 0.0), y(d.n), q1(d.n);
  std::set<std::string> ids;
  for (std::size_t c = 0; c < causal.rows.size(); ++c) {
    const std::string& vid = causal.text(c, "ID");
    ids.insert(vid);
    const std::size_t j = std::stoul(vid.substr(3)) - 1;
    ASSERT_LT(j, d.m);
    for (std::size_t i = 0; i < d.n; ++i) g[i] += causal.number(c, "EFFECT") * d.dosage[j][i];
  }
  EXPECT_EQ(ids.size(), 40u);
  double g_mean = 0, q_mean = 0;
  for (std::size_t i = 0; i < d.n; ++i) {
    EXPECT_EQ(pheno.text(i, "IID"), d.iid[i]);
    y[i] = pheno.number(i, "QT");
    q1[i] = d.q[i][0];
    g_mean += g[i] / static_cast<double>(d.n);
    q_mean += q1[i] / static_cast<double>(d.n);
  }
  double g_var = 0, q_var = 0;
  for (std::size_t i = 0; i < d.n; ++i) {
    g_var += (g[i] - g_mean) * (g[i] - g_mean) / static_cast<double>(d.n - 1);
    q_var += (q1[i] - q_mean) * (q1[i] - q_mean) / static_cast<double>(d.n - 1);
  }
  EXPECT_NEAR(g_var, 0.4, 1e-4) << "genetic values scaled to variance h2";
  // y - g = 0.7 * z(Q1) + noise of variance 0.6.
  std::vector<double> rest(d.n), z(d.n);
  double slope_num = 0, slope_den = 0, resid = 0;
  for (std::size_t i = 0; i < d.n; ++i) {
    rest[i] = y[i] - (g[i] - g_mean);
    z[i] = (q1[i] - q_mean) / std::sqrt(q_var);
    slope_num += rest[i] * z[i];
    slope_den += z[i] * z[i];
  }
  EXPECT_NEAR(slope_num / slope_den, 0.7, 0.06);
  for (std::size_t i = 0; i < d.n; ++i) resid += std::pow(rest[i] - 0.7 * z[i], 2) / static_cast<double>(d.n);
  EXPECT_NEAR(resid, 0.6, 0.06);
  // Without the ancestry term, the squared correlation with the genetic value is h2 / (h2 + noise) = 0.4.
  std::vector<double> adjusted(d.n);
  for (std::size_t i = 0; i < d.n; ++i) adjusted[i] = y[i] - 0.7 * z[i];
  EXPECT_NEAR(std::pow(correlation(adjusted, g), 2), 0.4, 0.05);
  // Binary trait: the top 20% of QT are cases (2), the rest controls (1).
  std::size_t cases = 0;
  double min_case = 1e300, max_control = -1e300;
  for (std::size_t i = 0; i < d.n; ++i) {
    const std::string& bt = pheno.text(i, "BT");
    ASSERT_TRUE(bt == "1" || bt == "2") << bt;
    if (bt == "2") {
      ++cases;
      min_case = std::min(min_case, y[i]);
    } else {
      max_control = std::max(max_control, y[i]);
    }
  }
  EXPECT_EQ(cases, 400u);
  EXPECT_GE(min_case, max_control);
}

void expect_bad_input(const std::string& args, const std::string& message) {
  const std::string dir = scratch_dir("simulate_bad");
  CommandResult r = run_genomap("simulate " + args + " --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
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
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --alpha 0.1,0.2,0.3" + ok,
                   "--alpha: 3 values given for --k 2");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --alpha 0,1" + ok,
                   "--alpha: '0' is not a positive number");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --missing 1.5" + ok, "--missing must lie in [0, 1)");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --related dup2" + ok,
                   "--related: 'dup2' is not KIND:COUNT");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --related dup:x" + ok, "--related: count 'x' of 'dup'");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --related po:1,cousin:2" + ok,
                   "--related: unknown relationship 'cousin'");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --related fs:3,d3:3" + ok,
                   "--related plants 12 samples in pairs but --n is 10");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --causal 101" + ok, "--causal 101 exceeds --m 100");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --causal 5 --h2 0" + ok, "--h2 must lie in (0, 1]");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --causal 5 --prevalence 1" + ok,
                   "--prevalence must lie strictly between 0 and 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --ld-block 0" + ok, "--ld-block must be at least 1");
  expect_bad_input("--n 10 --m 100 --k 2 --fst 0.1 --ld-block 5 --ld-r2 1.5" + ok,
                   "--ld-r2 must lie in [0, 1]");
}

}  // namespace
}  // namespace genomap::test
