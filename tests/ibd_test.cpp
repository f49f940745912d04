// Tests of `genomap ibd` against the truth of `genomap simulate --pulse --relatives/--migrants` (segments that
// relatives share through meioses along the map), on the HapMap trios (every parent-offspring pair found), and
// its determinism and bad-input contract.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace genomap::test {
namespace {

struct Interval {
  double start = 0, end = 0;
  double length() const { return end - start; }
};
using PairKey = std::pair<std::string, std::string>;  // ordered IIDs
PairKey key(const std::string& a, const std::string& b) { return a < b ? PairKey{a, b} : PairKey{b, a}; }
using Segments = std::map<std::pair<PairKey, std::string>, std::vector<Interval>>;  // (pair, chromosome)

// The segments of one TYPE in a table with IID1, IID2, CHR, START_CM, END_CM, TYPE (.ibd.truth and .seg alike).
Segments read_segments(const std::string& path, const std::string& type) {
  const Table t = read_table(path);
  Segments out;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.text(r, "TYPE") == type)
      out[{key(t.text(r, "IID1"), t.text(r, "IID2")), t.text(r, "CHR")}].push_back(
          {t.number(r, "START_CM"), t.number(r, "END_CM")});
  return out;
}

double overlap(const Interval& a, const Interval& b) {
  return std::max(0.0, std::min(a.end, b.end) - std::max(a.start, b.start));
}

struct Accuracy {
  std::size_t true_ct = 0, found = 0, called_ct = 0, false_ct = 0;
  double median_length_error = 0;
  double power() const { return static_cast<double>(found) / static_cast<double>(true_ct); }
  double false_discovery() const { return static_cast<double>(false_ct) / static_cast<double>(called_ct); }
};

// A true segment of at least `min_cm` is found when one called segment covers half of it; its length error is
// that segment's. A called segment of at least `min_cm` is false when no true segment covers half of it.
Accuracy accuracy(const Segments& truth, const Segments& called, double min_cm) {
  Accuracy a;
  std::vector<double> errors;
  for (const auto& [k, segs] : truth) {
    const auto c = called.find(k);
    for (const Interval& t : segs) {
      if (t.length() < min_cm) continue;
      ++a.true_ct;
      if (c == called.end()) continue;
      const Interval* best = nullptr;
      for (const Interval& s : c->second)
        if (!best || overlap(s, t) > overlap(*best, t)) best = &s;
      if (best && overlap(*best, t) >= 0.5 * t.length()) {
        ++a.found;
        errors.push_back(std::abs(best->length() - t.length()));
      }
    }
  }
  for (const auto& [k, segs] : called) {
    const auto t = truth.find(k);
    for (const Interval& s : segs) {
      if (s.length() < min_cm) continue;
      ++a.called_ct;
      double covered = 0;
      if (t != truth.end())
        for (const Interval& x : t->second) covered = std::max(covered, overlap(s, x));
      if (covered < 0.5 * s.length()) ++a.false_ct;
    }
  }
  std::sort(errors.begin(), errors.end());
  if (!errors.empty()) a.median_length_error = errors[errors.size() / 2];
  return a;
}

// The degree KING's boundaries give to true shares (0.354, 0.177, 0.0884, 0.0442 and 0.0221 on the kinship).
struct IbdShares {
  double ibd1 = 0, ibd2 = 0;
  std::string degree() const {
    const double kin = ibd1 / 4 + ibd2 / 2;
    if (kin > 0.354) return "0";
    if (kin > 0.177) return "1";
    if (kin > 0.0884) return "2";
    if (kin > 0.0442) return "3";
    if (kin > 0.0221) return "4";
    return "NA";
  }
};

// Three populations (two sources and an admixed one), 60 samples each, 3 chromosomes (690 cM) at about 87
// variants per cM, with families of every kind in each population and migrant cousins between them.
class IbdSimulated : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // ctest runs each test of the suite in its own process, possibly at once: one folder per process.
    dir_ = scratch_dir("ibd_simulated_" + std::to_string(::getpid()));
    ready_ = false;
    const CommandResult sim = run_genomap(
        "simulate --pulse ADM=A:0.3,B:0.7@20 --n 60 --m 60000 --chromosomes 3 --fst 0.1 --missing 0.005 "
        "--relatives po:1,fs:2,hs:2,c1:3,c2:3 --migrants c1:1,c2:2 --seed 7 --out " +
        dir_ + "/sim");
    ASSERT_EQ(sim.exit_code, 0) << sim.output;
    const CommandResult ibd =
        run_genomap("ibd --bfile " + dir_ + "/sim --pop " + dir_ + "/sim.pop --threads 2 --out " + dir_ + "/ibd");
    ASSERT_EQ(ibd.exit_code, 0) << ibd.output;
    ready_ = true;
  }
  // A failure in SetUpTestSuite would only skip the tests: each test asserts the set-up finished instead.
  void SetUp() override { ASSERT_TRUE(ready_) << "simulate or ibd failed in the suite's set-up"; }
  static std::string dir_;
  static bool ready_;
};
std::string IbdSimulated::dir_;
bool IbdSimulated::ready_ = false;

TEST_F(IbdSimulated, FindsTrueSegmentsWithAccurateEnds) {
  const Accuracy a = accuracy(read_segments(dir_ + "/sim.ibd.truth", "IBD"), read_segments(dir_ + "/ibd.seg", "IBD"), 4);
  ASSERT_GT(a.true_ct, 150u);  // the families share this many segments of 4 cM or more
  // Measured: every one of the 243 true segments >= 4 cM found, none of the 247 called ones false, median
  // length error 0.21 cM (about 18 variant spacings: an end is placed where the likelihood ratio peaks).
  EXPECT_GE(a.power(), 0.98) << a.found << " of " << a.true_ct;
  EXPECT_LE(a.false_discovery(), 0.01) << a.false_ct << " of " << a.called_ct;
  EXPECT_LT(a.median_length_error, 0.3);
  // IBD2 stretches of the full siblings: found as well.
  const Accuracy a2 =
      accuracy(read_segments(dir_ + "/sim.ibd.truth", "IBD2"), read_segments(dir_ + "/ibd.seg", "IBD2"), 4);
  ASSERT_GT(a2.true_ct, 10u);
  EXPECT_GE(a2.power(), 0.9) << a2.found << " of " << a2.true_ct;
  EXPECT_LE(a2.false_discovery(), 0.05) << a2.false_ct << " of " << a2.called_ct;
}

TEST_F(IbdSimulated, SharesAndDegreesMatchThePedigree) {
  const Table truth = read_table(dir_ + "/sim.relatives");
  const Table called = read_table(dir_ + "/ibd.ibd");
  std::map<PairKey, std::size_t> row_of;
  for (std::size_t r = 0; r < called.rows.size(); ++r) row_of[key(called.text(r, "IID1"), called.text(r, "IID2"))] = r;
  std::size_t checked = 0;
  for (std::size_t r = 0; r < truth.rows.size(); ++r) {
    const PairKey k = key(truth.text(r, "IID1"), truth.text(r, "IID2"));
    const double true1 = truth.number(r, "IBD1"), true2 = truth.number(r, "IBD2");
    const auto it = row_of.find(k);
    ++checked;
    if (it == row_of.end()) {  // no segment of 2 cM or more found: the pair must share (almost) nothing
      EXPECT_LT(true1 + true2, 0.005) << truth.text(r, "RELATIONSHIP") << " " << k.first << " " << k.second;
      continue;
    }
    // Shares within 0.008 of the truth (measured: 0.005 at most, called segments are ~0.2 cM longer on average
    // over a 690 cM genome; segments under 2 cM are not reported).
    const double ibd1 = called.number(it->second, "IBD1"), ibd2 = called.number(it->second, "IBD2");
    EXPECT_NEAR(ibd1, true1, 0.008) << k.first << " " << k.second;
    EXPECT_NEAR(ibd2, true2, 0.008) << k.first << " " << k.second;
    // The degree is the one the true shares give (a pedigree's cousins spread over degrees 2-4 by chance),
    // except where the true kinship lies within 0.003 of a boundary.
    IbdShares expect{true1, true2};
    const double kin = true1 / 4 + true2 / 2;
    bool near_boundary = false;
    for (double b : {0.354, 0.177, 0.0884, 0.0442, 0.0221}) near_boundary |= std::abs(kin - b) < 0.003;
    if (!near_boundary) {
      EXPECT_EQ(called.text(it->second, "DEGREE"), expect.degree()) << k.first << " " << k.second;
      if (truth.number(r, "DEGREE") == 1) {
        EXPECT_EQ(called.text(it->second, "RELATIONSHIP"), truth.text(r, "RELATIONSHIP"));
      }
    }
  }
  EXPECT_EQ(checked, 3u * (1 + 2 + 2 + 3 + 3) + 3u * (1 + 2));
}

TEST_F(IbdSimulated, SharingBetweenPopulationsComesFromTheMigrants) {
  // Recompute the .ibd.pops table from .seg and the labels; cross-population sharing exists exactly for the
  // pairs of populations that migrant families connect (all of them here), and only through those pairs.
  const Table pops = read_table(dir_ + "/sim.pop");
  std::map<std::string, std::string> pop_of;
  std::map<std::string, double> size;
  for (std::size_t r = 0; r < pops.rows.size(); ++r) {
    pop_of[pops.text(r, "IID")] = pops.text(r, "POP");
    size[pops.text(r, "POP")] += 1;
  }
  const Table seg = read_table(dir_ + "/ibd.seg");
  const Table rel = read_table(dir_ + "/sim.relatives");
  std::set<PairKey> migrant_pairs;
  for (std::size_t r = 0; r < rel.rows.size(); ++r)
    if (rel.text(r, "POP1") != rel.text(r, "POP2")) migrant_pairs.insert(key(rel.text(r, "IID1"), rel.text(r, "IID2")));
  std::map<PairKey, std::vector<double>> sums;  // population pair -> segments and cM per bin
  for (std::size_t r = 0; r < seg.rows.size(); ++r) {
    if (seg.text(r, "TYPE") != "IBD") continue;
    const std::string a = seg.text(r, "IID1"), b = seg.text(r, "IID2");
    const double len = seg.number(r, "CM");
    // Measured: one chance segment of 2.5 cM between populations; none of 4 cM or more.
    if (pop_of[a] != pop_of[b] && len >= 4) {
      EXPECT_TRUE(migrant_pairs.count(key(a, b))) << a << " " << b;
    }
    const std::size_t bin = len >= 10 ? 3 : len >= 6 ? 2 : len >= 4 ? 1 : 0;
    auto& s = sums[key(pop_of[a], pop_of[b])];
    s.resize(8, 0.0);
    s[2 * bin] += 1;
    s[2 * bin + 1] += len;
  }
  const Table table = read_table(dir_ + "/ibd.ibd.pops");
  ASSERT_EQ(table.rows.size(), 6u);
  const char* columns[8] = {"SEG_2_4", "CM_2_4", "SEG_4_6", "CM_4_6", "SEG_6_10", "CM_6_10", "SEG_10_", "CM_10_"};
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string p1 = table.text(r, "POP1"), p2 = table.text(r, "POP2");
    const double pairs = p1 == p2 ? size[p1] * (size[p1] - 1) / 2 : size[p1] * size[p2];
    EXPECT_EQ(table.number(r, "PAIRS"), pairs);
    std::vector<double> expect = sums[key(p1, p2)];
    expect.resize(8, 0.0);
    for (std::size_t c = 0; c < 8; ++c)
      EXPECT_NEAR(table.number(r, columns[c]), expect[c] / pairs, 1e-5 * (1 + expect[c] / pairs)) << p1 << p2;
    if (p1 != p2) { EXPECT_GT(table.number(r, "CM_10_") + table.number(r, "CM_6_10"), 0) << p1 << " " << p2; }
  }
}

TEST(Ibd, SparseGenomeWideMap) {
  // 22 chromosomes, 2,880 cM, 100,000 variants: 35 variants per cM, as a genotyping array thinned for LD.
  const std::string dir = scratch_dir("ibd_sparse");
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 100 --m 100000 --fst 0.05 --missing 0.01 "
                        "--relatives fs:1,hs:2,c1:3,c2:3 --seed 11 --out " +
                        dir + "/sim")
                .exit_code,
            0);
  const CommandResult r = run_genomap("ibd --bfile " + dir + "/sim --out " + dir + "/ibd");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Accuracy a = accuracy(read_segments(dir + "/sim.ibd.truth", "IBD"), read_segments(dir + "/ibd.seg", "IBD"), 4);
  ASSERT_GT(a.true_ct, 300u);
  // Measured 0.96, 0, 0.39 cM: at this density a 4 cM segment has ~140 variants and a seed needs 128 of them
  // in a row without an IBS0, so the shortest segments are missed now and then and ends are less sharp.
  EXPECT_GE(a.power(), 0.93) << a.found << " of " << a.true_ct;
  EXPECT_LE(a.false_discovery(), 0.02) << a.false_ct << " of " << a.called_ct;
  EXPECT_LT(a.median_length_error, 0.5);
}

TEST(Ibd, ThreadCountDoesNotChangeOutputs) {
  const std::string dir = scratch_dir("ibd_threads");
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.4,B:0.6@30 --n 40 --m 20000 --chromosomes 2 "
                        "--relatives fs:1,c1:2 --migrants hs:1 --seed 3 --out " +
                        dir + "/sim")
                .exit_code,
            0);
  for (const char* t : {"1", "2", "7"})
    ASSERT_EQ(run_genomap("ibd --bfile " + dir + "/sim --pop " + dir + "/sim.pop --threads " + t + " --out " + dir +
                          "/t" + t)
                  .exit_code,
              0);
  for (const char* ext : {".seg", ".ibd", ".ibd.pops"}) {
    const std::string one = read_text(dir + "/t1" + ext);
    EXPECT_GT(one.size(), 100u) << ext;
    EXPECT_EQ(one, read_text(dir + "/t2" + ext)) << ext;
    EXPECT_EQ(one, read_text(dir + "/t7" + ext)) << ext;
  }
}

TEST(Ibd, HapMapTriosEveryParentOffspringPairFound) {
  // 180 HapMap CEU and YRI samples in 60 trios, 603 variants in 1 Mb of chr22 (about 1 cM on a uniform map):
  // a parent and child share one haplotype over the whole region, so each of the 120 parent-offspring pairs
  // must come out as one segment covering it, IBD1 near 1 and no IBD2. (Unrelated pairs that happen to share
  // a haplotype over this short, LD-rich region are also called: at 1 cM nothing tells them apart, so only
  // the true pairs are asserted.)
  const std::string dir = scratch_dir("ibd_trios");
  const std::string bfile = data_path("snpstats_hapmap_chr22_ceu_yri/hapmap_chr22_1mb_ceu_yri");
  const CommandResult r = run_genomap("ibd --bfile " + bfile + " --uniform-map 1 --min-cm 0.5 --seed-cm 0.2 --out " +
                                      dir + "/trio");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table fam = read_table(dir + "/trio.ibd");
  std::map<PairKey, std::size_t> row_of;
  for (std::size_t i = 0; i < fam.rows.size(); ++i) row_of[key(fam.text(i, "IID1"), fam.text(i, "IID2"))] = i;
  std::size_t po = 0;
  double mean_ibd1 = 0;
  std::istringstream fam_lines(read_text(bfile + ".fam"));
  for (std::string line; std::getline(fam_lines, line);) {
    std::istringstream fields(line);
    std::vector<std::string> f{std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
    ASSERT_GE(f.size(), 4u);
    for (std::size_t p = 2; p < 4; ++p) {
      if (f[p] == "0") continue;
      ++po;
      const auto it = row_of.find(key(f[1], f[p]));
      ASSERT_NE(it, row_of.end()) << f[1] << " " << f[p];
      EXPECT_EQ(fam.text(it->second, "RELATIONSHIP"), "parent-offspring") << f[1] << " " << f[p];
      // Measured 0.71-1.0, mean 0.96: a Mendel error (26 in these trios) near an end of the 1 cM region
      // stops the segment there.
      EXPECT_GT(fam.number(it->second, "IBD1"), 0.7) << f[1] << " " << f[p];
      mean_ibd1 += fam.number(it->second, "IBD1");
      EXPECT_EQ(fam.number(it->second, "IBD2"), 0) << f[1] << " " << f[p];
    }
  }
  EXPECT_EQ(po, 120u);
  EXPECT_GT(mean_ibd1 / static_cast<double>(po), 0.94);
}

TEST(Ibd, BadInputIsRefused) {
  const std::string dir = scratch_dir("ibd_bad");
  // The bundled HapMap3 .bim has no genetic map.
  CommandResult r = run_genomap("ibd --bfile " + data_path("hapmap3_admixture/hapmap3") + " --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("hapmap3.bim: no genetic map positions"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--uniform-map"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.seg"));
  // Positions that go back within a chromosome.
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.4,B:0.6@30 --n 5 --m 2000 --chromosomes 1 --out " + dir + "/s")
                .exit_code,
            0);
  std::string bim = read_text(dir + "/s.bim");
  const std::size_t line2 = bim.find('\n') + 1, line3 = bim.find('\n', line2) + 1;
  const std::string second = bim.substr(line2, line3 - line2), first = bim.substr(0, line2);
  bim = second + first + bim.substr(line3);
  write_text(dir + "/s.bim", bim);
  r = run_genomap("ibd --bfile " + dir + "/s --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("s.bim:2: positions decrease within chromosome 1"), std::string::npos) << r.output;
  // Impossible parameters.
  r = run_genomap("ibd --bfile " + dir + "/s --seed-variants 64 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--seed-variants must be at least 128"), std::string::npos) << r.output;
  r = run_genomap("ibd --bfile " + dir + "/s --error 0.7 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--error must be in (0, 0.5)"), std::string::npos) << r.output;
  r = run_genomap("ibd --bfile " + dir + "/s --min-cm 0 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--min-cm must be positive"), std::string::npos) << r.output;
  r = run_genomap("ibd --bfile " + dir + "/s --x-drop -1 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--x-drop must be positive"), std::string::npos) << r.output;
  r = run_genomap("ibd --bfile " + dir + "/s --uniform-map -1 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--uniform-map: the rate must be positive"), std::string::npos) << r.output;
  // One sample left.
  write_text(dir + "/one.txt", "A_1 A_1\n");
  r = run_genomap("ibd --bfile " + dir + "/s --keep " + dir + "/one.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("at least two samples are needed to find IBD segments"), std::string::npos) << r.output;
  // A chromosome split in two by another.
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.4,B:0.6@30 --n 5 --m 3000 --chromosomes 2 --out " + dir + "/t")
                .exit_code,
            0);
  std::string bim2 = read_text(dir + "/t.bim");
  // The last variant of chromosome 1 moved to the end, after chromosome 2 (the .bed rows no longer match
  // the lines, which does not matter for the order check).
  const std::size_t chrom2 = bim2.find("\n2\t") + 1;
  const std::size_t last1 = bim2.rfind('\n', chrom2 - 2) + 1;
  bim2 = bim2.substr(0, last1) + bim2.substr(chrom2) + bim2.substr(last1, chrom2 - last1);
  write_text(dir + "/t.bim", bim2);
  r = run_genomap("ibd --bfile " + dir + "/t --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("appears again after another chromosome"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.seg"));
}

TEST(SimulateRelatives, TruthFollowsThePedigree) {
  const std::string dir = scratch_dir("simulate_relatives");
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.5,B:0.5@10 --n 40 --m 5000 --chromosomes 22 "
                        "--relatives po:2,fs:4,hs:4,c1:4,c2:2 --seed 5 --out " +
                        dir + "/sim")
                .exit_code,
            0);
  const Table rel = read_table(dir + "/sim.relatives");
  ASSERT_EQ(rel.rows.size(), 3u * 16);
  std::map<std::string, std::vector<double>> kin;
  for (std::size_t r = 0; r < rel.rows.size(); ++r) {
    const std::string type = rel.text(r, "RELATIONSHIP");
    const double ibd1 = rel.number(r, "IBD1"), ibd2 = rel.number(r, "IBD2");
    if (type == "parent-offspring") {  // exactly one haplotype shared everywhere
      EXPECT_EQ(ibd1, 1.0);
      EXPECT_EQ(ibd2, 0.0);
    }
    if (type != "full-sibling") { EXPECT_EQ(ibd2, 0.0) << type; }  // only full siblings can share both
    kin[type].push_back(ibd1 / 4 + ibd2 / 2);
  }
  // Mean kinship per relationship over 6-12 pairs and a 3,500 cM genome: near 1/4, 1/8, 1/16, 1/64 (the
  // spread of one pair's kinship is about 0.04 for siblings, 0.03 half siblings, 0.02 cousins).
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  EXPECT_NEAR(mean(kin["full-sibling"]), 0.25, 0.03);
  EXPECT_NEAR(mean(kin["half-sibling"]), 0.125, 0.02);
  EXPECT_NEAR(mean(kin["first-cousin"]), 0.0625, 0.015);
  EXPECT_NEAR(mean(kin["second-cousin"]), 0.015625, 0.01);
  // The families and their truth are a function of the seed only.
  for (const char* t : {"1", "3"})
    ASSERT_EQ(run_genomap(std::string("simulate --pulse ADM=A:0.5,B:0.5@10 --n 12 --m 3000 --chromosomes 3 "
                                      "--relatives fs:1,c1:1 --migrants hs:1 --seed 9 --threads ") +
                          t + " --out " + dir + "/t" + t)
                  .exit_code,
              0);
  for (const char* ext : {".bed", ".Q", ".tracts", ".ibd.truth", ".relatives"})
    EXPECT_EQ(read_text(dir + "/t1" + ext), read_text(dir + "/t3" + ext)) << ext;
  // Relatives need rows; --relatives goes with --pulse only.
  CommandResult r = run_genomap("simulate --pulse ADM=A:0.5,B:0.5@10 --n 4 --m 500 --chromosomes 1 "
                                "--relatives fs:3 --out " +
                                dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("need more than --n 4 samples in population A"), std::string::npos) << r.output;
  r = run_genomap("simulate --n 10 --m 100 --relatives fs:1 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--relatives and --migrants go with --pulse"), std::string::npos) << r.output;
  r = run_genomap("simulate --pulse ADM=A:0.5,B:0.5@10 --n 10 --m 500 --relatives sibs:1 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--relatives 'sibs:1'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace genomap::test
