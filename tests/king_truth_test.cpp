// Truth tests. First, a planted pedigree (duplicates, parent-offspring, full siblings, second- and third-degree
// relatives, unrelated founders) is simulated here with unlinked variants and 1% missing genotypes; genomap king
// --degree must give every related pair its true degree (and parent-offspring vs full sibling), and call no
// unrelated pair related. Expected kinship comes from the pedigree by the usual recursion (phi of a child with
// anyone not its descendant is the mean of its parents' phi); pairs of 4th degree (phi 1/32) may read either
// unrelated or 3rd degree, as KING's boundaries allow.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include <map>
#include <set>

#include "test_support.hpp"

namespace genomap::test {
namespace {

struct Person {
  int father = -1, mother = -1;
  int duplicate_of = -1;
};

struct Pedigree {
  std::vector<Person> people;
  int founder() { people.push_back({}); return static_cast<int>(people.size()) - 1; }
  int child(int father, int mother) { people.push_back({father, mother, -1}); return static_cast<int>(people.size()) - 1; }
  int duplicate(int of) { people.push_back({-1, -1, of}); return static_cast<int>(people.size()) - 1; }
};

// A three-generation family with in-laws, a duplicated sample and a cousin branch, plus unrelated founders.
Pedigree planted_pedigree() {
  Pedigree p;
  const int f1 = p.founder(), f2 = p.founder();   // grandparents
  const int c1 = p.child(f1, f2), c2 = p.child(f1, f2), c3 = p.child(f1, f2);  // full siblings
  const int s1 = p.founder(), s2 = p.founder();    // spouses
  const int g1 = p.child(c1, s1);                  // grandchild of f1/f2: 2nd degree; nephew of c2
  const int k1 = p.child(s2, c2);                  // first cousin of g1: 3rd degree
  const int s3 = p.founder();
  const int gg = p.child(g1, s3);                  // great-grandchild: 3rd degree to f1, f2; 2nd to c1
  p.duplicate(c3);                                 // duplicate sample (MZ twin)
  p.duplicate(k1);
  (void)gg;
  for (int u = 0; u < 30; ++u) p.founder();        // unrelated background
  return p;
}

double pedigree_kinship(const Pedigree& p, std::vector<std::vector<double>>& memo, int a, int b) {
  auto resolve = [&](int x) { return p.people[x].duplicate_of >= 0 ? p.people[x].duplicate_of : x; };
  a = resolve(a);
  b = resolve(b);
  if (a == b) return 0.5;  // no inbreeding in this pedigree
  if (a < b) std::swap(a, b);  // a is the later one, never an ancestor of b
  double& m = memo[a][b];
  if (!std::isnan(m)) return m;
  const Person& pa = p.people[a];
  m = pa.father < 0 ? 0.0
                    : 0.5 * (pedigree_kinship(p, memo, pa.father, b) + pedigree_kinship(p, memo, pa.mother, b));
  return m;
}

// Writes PREFIX.bed/.bim/.fam: genotypes dropped through the pedigree at `m` unlinked variants.
void write_planted(const Pedigree& ped, const std::string& prefix, std::size_t m, double missing, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::size_t n = ped.people.size();
  std::ofstream bed(prefix + ".bed", std::ios::binary), bim(prefix + ".bim"), fam(prefix + ".fam");
  bed.write("\x6c\x1b\x01", 3);
  std::vector<int> hap(2 * n);
  std::vector<std::uint8_t> row((n + 3) / 4);
  for (std::size_t v = 0; v < m; ++v) {
    const double p = 0.05 + 0.9 * u(rng);
    for (std::size_t s = 0; s < n; ++s) {
      const Person& x = ped.people[s];
      if (x.duplicate_of >= 0) {
        hap[2 * s] = hap[2 * x.duplicate_of];
        hap[2 * s + 1] = hap[2 * x.duplicate_of + 1];
      } else if (x.father < 0) {
        hap[2 * s] = u(rng) < p;
        hap[2 * s + 1] = u(rng) < p;
      } else {
        hap[2 * s] = hap[2 * x.father + (rng() & 1)];
        hap[2 * s + 1] = hap[2 * x.mother + (rng() & 1)];
      }
    }
    std::fill(row.begin(), row.end(), 0);
    for (std::size_t s = 0; s < n; ++s) {
      const int alleles = hap[2 * s] + hap[2 * s + 1];
      const std::uint8_t code = u(rng) < missing ? 1 : alleles == 2 ? 0 : alleles == 1 ? 2 : 3;
      row[s / 4] = static_cast<std::uint8_t>(row[s / 4] | (code << (2 * (s % 4))));
    }
    bed.write(reinterpret_cast<const char*>(row.data()), static_cast<std::streamsize>(row.size()));
    bim << (1 + v % 22) << "\tsnp" << v << "\t0\t" << (1000 + v) << "\tA\tG\n";
  }
  for (std::size_t s = 0; s < n; ++s) fam << "fam\tind" << s << "\t0\t0\t0\t-9\n";
}

TEST(KingTruth, PlantedPedigreeDegreesAreRecovered) {
  const std::string dir = scratch_dir("king_truth");
  const Pedigree ped = planted_pedigree();
  write_planted(ped, dir + "/planted", 20000, 0.01, 2024);
  auto r = run_genomap("king --bfile " + dir + "/planted --degree --threads 2 --out " + dir + "/k");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table t = read_table(dir + "/k.kin0");
  const std::size_t n = ped.people.size();
  ASSERT_EQ(t.rows.size(), n * (n - 1) / 2);
  std::vector<std::vector<double>> memo(n, std::vector<double>(n, NAN));
  std::size_t related_seen = 0;
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    const int a = std::stoi(t.text(row, "IID1").substr(3)), b = std::stoi(t.text(row, "IID2").substr(3));
    const double phi = pedigree_kinship(ped, memo, a, b);
    const std::string& called = t.text(row, "RELATIONSHIP");
    std::string expect;
    if (phi == 0.5) expect = "duplicate";
    else if (phi == 0.25) {
      auto resolve = [&](int x) { return ped.people[x].duplicate_of >= 0 ? ped.people[x].duplicate_of : x; };
      const Person& pa = ped.people[resolve(a)];
      const Person& pb = ped.people[resolve(b)];
      const bool po = pa.father == resolve(b) || pa.mother == resolve(b) || pb.father == resolve(a) ||
                      pb.mother == resolve(a);
      expect = po ? "parent-offspring" : "full-sibling";
    } else if (phi == 0.125) expect = "second-degree";
    else if (phi == 0.0625) expect = "third-degree";
    else if (phi == 0.0) expect = "unrelated";
    if (phi > 0.04) ++related_seen;
    if (expect.empty()) {  // 4th degree or beyond
      EXPECT_TRUE(called == "unrelated" || called == "third-degree") << a << "," << b << " phi " << phi;
    } else {
      EXPECT_EQ(called, expect) << "ind" << a << " ind" << b << " true phi " << phi << " estimate "
                                << t.text(row, "KINSHIP");
    }
    if (phi > 0) {
      // Realized kinship scatters around the pedigree value by Mendelian sampling, more for distant
      // relatives; on these 20,000 unlinked variants the worst deviations reached are 0.005 for first degree
      // and duplicates and 0.016 for second and third degree.
      EXPECT_NEAR(t.number(row, "KINSHIP"), phi, phi >= 0.25 ? 0.008 : 0.02) << a << "," << b;
    }
  }
  // The pedigree plants dozens of related pairs of every degree.
  EXPECT_GT(related_seen, 30u);
  const std::string log = read_text(dir + "/k.log");
  EXPECT_NE(log.find("parent-offspring pairs:"), std::string::npos) << log;
}

// The same truth on `genomap simulate` data (two admixed populations, Fst 0.05, 1% missing) with planted pairs of
// every degree: each planted pair gets its true relationship, no other pair is called related. plink1.9 --genome
// is a second view of the close pairs: PI_HAT / 2 estimates the same kinship (within 0.05 for degrees 0-2).
TEST(KingTruth, SimulatedPlantedPairsAreRecovered) {
  const std::string dir = scratch_dir("king_simulate_truth");
  auto sim = run_genomap("simulate --n 300 --m 20000 --k 2 --fst 0.05 --alpha 0.5 --seed 11 --missing 0.01 "
                         "--related dup:2,po:3,fs:3,d2:3,d3:3 --out " + dir + "/sim");
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  auto r = run_genomap("king --bfile " + dir + "/sim --degree --threads 2 --out " + dir + "/k");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table truth = read_table(dir + "/sim.related");
  std::map<std::set<std::string>, std::string> planted;
  for (std::size_t row = 0; row < truth.rows.size(); ++row)
    planted[{truth.text(row, "IID1"), truth.text(row, "IID2")}] = truth.text(row, "RELATIONSHIP");
  ASSERT_EQ(planted.size(), 14u);
  const Table t = read_table(dir + "/k.kin0");
  ASSERT_EQ(t.rows.size(), 300u * 299u / 2);
  std::size_t found = 0;
  std::map<std::set<std::string>, double> kinship;
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    const std::set<std::string> pair{t.text(row, "IID1"), t.text(row, "IID2")};
    const auto it = planted.find(pair);
    const std::string expect = it == planted.end() ? "unrelated" : it->second;
    EXPECT_EQ(t.text(row, "RELATIONSHIP"), expect) << *pair.begin() << " " << *pair.rbegin() << " kinship "
                                                   << t.text(row, "KINSHIP");
    if (it != planted.end()) {
      ++found;
      kinship[pair] = t.number(row, "KINSHIP");
    }
  }
  EXPECT_EQ(found, planted.size());

  if (!have_program("plink1.9")) GENOMAP_MISSING_TOOL("plink1.9 not installed: --genome second view skipped");
  auto g = run_command("plink1.9 --bfile " + dir + "/sim --genome --min 0.2 --threads 1 --out " + dir + "/g");
  ASSERT_EQ(g.exit_code, 0) << g.output;
  const Table genome = read_table(dir + "/g.genome");
  std::size_t compared = 0;
  for (std::size_t row = 0; row < genome.rows.size(); ++row) {
    const std::set<std::string> pair{genome.text(row, "IID1"), genome.text(row, "IID2")};
    const auto it = planted.find(pair);
    ASSERT_NE(it, planted.end()) << "plink1.9 PI_HAT >= 0.2 for a pair not planted";
    EXPECT_NEAR(genome.number(row, "PI_HAT") / 2, kinship[pair], 0.05) << it->second;
    ++compared;
  }
  EXPECT_EQ(compared, 11u);  // duplicates, first and second degree
}

}  // namespace
}  // namespace genomap::test
