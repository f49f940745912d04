// Truth tests of `genomap simulate --pulse`: the ancestry tracts follow the single-pulse model (switch rate,
// proportions), the genotypes follow the tracts (admixed genotypes of one ancestry carry that source's allele
// frequencies), the output is a function of the seed only, and malformed pulses fail cleanly.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "genomap/geno/genotype_store.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

struct Tract {
  std::size_t hap = 0;
  int chrom = 0;
  double start = 0, end = 0;
  std::string source;
};

std::map<std::string, std::vector<Tract>> read_tracts(const std::string& path) {
  const Table t = read_table(path);
  std::map<std::string, std::vector<Tract>> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    out[t.text(r, "IID")].push_back(Tract{static_cast<std::size_t>(t.number(r, "HAP")),
                                          static_cast<int>(t.number(r, "CHR")), t.number(r, "START_CM"),
                                          t.number(r, "END_CM"), t.text(r, "SOURCE")});
  return out;
}

// Ancestry of one haplotype at a position (the tract containing it).
std::string ancestry_at(const std::vector<Tract>& tracts, std::size_t hap, int chrom, double cm) {
  for (const Tract& t : tracts)
    if (t.hap == hap && t.chrom == chrom && cm >= t.start && cm < t.end) return t.source;
  return "";
}

TEST(SimulatePulse, OutputDependsOnTheSeedOnly) {
  const std::string dir = scratch_dir("simulate_pulse_threads");
  const std::string args = "simulate --pulse ADM=A:0.3,B:0.7@20 --n 23 --m 3001 --chromosomes 3 --out ";
  ASSERT_EQ(run_genomap(args + dir + "/t1 --threads 1 --seed 5").exit_code, 0);
  ASSERT_EQ(run_genomap(args + dir + "/t2 --threads 2 --seed 5").exit_code, 0);
  ASSERT_EQ(run_genomap(args + dir + "/t3 --threads 3 --seed 6").exit_code, 0);
  for (const char* ext : {".bed", ".bim", ".fam", ".pop", ".Q", ".tracts"})
    EXPECT_EQ(read_text(dir + "/t1" + ext), read_text(dir + "/t2" + ext)) << ext;
  EXPECT_NE(read_text(dir + "/t1.bed"), read_text(dir + "/t3.bed"));
  EXPECT_NE(read_text(dir + "/t1.tracts"), read_text(dir + "/t3.tracts"));
}

// Tracts tile each chromosome; switches between different sources occur at rate T (1 - sum alpha^2) per
// Morgan; each source's share of the genome is its proportion.
TEST(SimulatePulse, TractsFollowTheSinglePulseModel) {
  const std::string dir = scratch_dir("simulate_pulse_tracts");
  const double t_gen = 40, alpha = 0.2;
  ASSERT_EQ(run_genomap("simulate --pulse ADM=A:0.2,B:0.8@40 --n 200 --m 2000 --chromosomes 4 --map-rate 1.5 "
                        "--seed 11 --out " +
                        dir + "/s")
                .exit_code,
            0);
  const auto tracts = read_tracts(dir + "/s.tracts");
  ASSERT_EQ(tracts.size(), 200u);
  // GRCh37 lengths of chromosomes 1-4 at 1.5 cM per Mb.
  const double chrom_cm[4] = {249.250621 * 1.5, 243.199373 * 1.5, 198.022430 * 1.5, 191.154276 * 1.5};
  double switches = 0, length = 0, a_length = 0;
  for (const auto& [id, list] : tracts) {
    std::map<std::pair<std::size_t, int>, double> last_end;
    std::map<std::pair<std::size_t, int>, std::string> last_source;
    for (const Tract& t : list) {
      const auto key = std::make_pair(t.hap, t.chrom);
      const double expected_start = last_end.count(key) ? last_end[key] : 0.0;
      ASSERT_NEAR(t.start, expected_start, 1e-4) << id;
      ASSERT_GT(t.end, t.start) << id;
      if (last_source.count(key)) {
        EXPECT_NE(last_source[key], t.source) << "consecutive tracts of one source are merged";
        ++switches;
      }
      last_end[key] = t.end;
      last_source[key] = t.source;
      length += t.end - t.start;
      if (t.source == "A") a_length += t.end - t.start;
    }
    ASSERT_EQ(last_end.size(), 8u);
    for (const auto& [key, end] : last_end) EXPECT_NEAR(end, chrom_cm[key.second - 1], 1e-3);
  }
  const double expected_switches = t_gen / 100 * (1 - alpha * alpha - (1 - alpha) * (1 - alpha)) * length;
  // Poisson count of ~58,000: SD 0.4%; 2% is five SD.
  EXPECT_NEAR(switches / expected_switches, 1.0, 0.02) << switches << " vs " << expected_switches;
  // Share of A: tract lengths are long (mean ~8 cM), so the genome-wide share varies more than a count would;
  // 400 haplotypes x 4 chromosomes give an SD of about 0.006.
  EXPECT_NEAR(a_length / length, alpha, 0.025);
  // .Q of the admixed samples agrees with the tracts; source samples are pure.
  const auto q = read_number_rows(dir + "/s.Q");
  ASSERT_EQ(q.size(), 600u);
  EXPECT_EQ(q[0][0], 1.0);
  EXPECT_EQ(q[399][1], 1.0);
  double mean_q = 0;
  for (std::size_t i = 400; i < 600; ++i) mean_q += q[i][0] / 200;
  EXPECT_NEAR(mean_q, a_length / length, 1e-5);
}

// Admixed individuals whose two haplotypes are both of source A at a variant carry A's allele frequency: the
// squared difference from the A sample's frequency is sampling noise alone (ratio ~1 to its binomial
// expectation), while the difference from B includes the drift between the sources (F = 0.3).
TEST(SimulatePulse, GenotypesFollowTheTracts) {
  const std::string dir = scratch_dir("simulate_pulse_genotypes");
  ASSERT_EQ(
      run_genomap("simulate --pulse ADM=A:0.5,B:0.5@10 --n 200 --m 400 --chromosomes 2 --fst 0.3 --seed 3 "
                  "--out " +
                  dir + "/s")
          .exit_code,
      0);
  const auto tracts = read_tracts(dir + "/s.tracts");
  const GenotypeStore store = GenotypeStore::open_bfile(dir + "/s");
  ASSERT_EQ(store.sample_ct(), 600u);
  auto dosage = [&](std::size_t j, std::size_t i) {
    const int code = (store.variant_row(j)[i / 4] >> (2 * (i % 4))) & 3;
    return code == 0 ? 2 : code == 2 ? 1 : 0;
  };
  double sq_a = 0, sq_b = 0, expected = 0;
  for (std::size_t j = 0; j < store.variant_ct(); ++j) {
    const Variant& v = store.variants()[j];
    double fa = 0, fb = 0, faa = 0, naa = 0;
    for (std::size_t i = 0; i < 200; ++i) fa += dosage(j, i) / 400.0;
    for (std::size_t i = 200; i < 400; ++i) fb += dosage(j, i) / 400.0;
    for (std::size_t i = 0; i < 200; ++i) {
      const auto& list = tracts.at("ADM_" + std::to_string(i + 1));
      if (ancestry_at(list, 1, v.chrom_code, v.cm) == "A" &&
          ancestry_at(list, 2, v.chrom_code, v.cm) == "A") {
        faa += dosage(j, 400 + i);
        naa += 2;
      }
    }
    ASSERT_GT(naa, 40) << "about a quarter of 200 individuals are AA at a locus";
    faa /= naa;
    sq_a += (faa - fa) * (faa - fa);
    sq_b += (faa - fb) * (faa - fb);
    const double pooled = (faa * naa + fa * 400) / (naa + 400);
    expected += pooled * (1 - pooled) * (1 / naa + 1 / 400.0);
  }
  // 400 variants: the ratio's SD is about sqrt(2/400) = 0.07.
  EXPECT_NEAR(sq_a / expected, 1.0, 0.25);
  EXPECT_GT(sq_b / expected, 10.0);
}

TEST(SimulatePulse, MalformedPulsesFail) {
  const std::string dir = scratch_dir("simulate_pulse_bad");
  for (const char* bad :
       {"ADM=A:0.3,B:0.6@20", "ADM=A:0.3,B:0.7", "ADM=A:1@20", "ADM=A:0.3,A:0.7@20", "=A:0.3,B:0.7@20",
        "ADM=A:0.3,B:0.7@-4", "ADM=ADM:0.3,B:0.7@20", "ADM=A0.3,B:0.7@20"}) {
    const CommandResult r =
        run_genomap(std::string("simulate --pulse '") + bad + "' --n 10 --m 100 --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;  // a usage error
    EXPECT_NE(r.output.find("--pulse"), std::string::npos) << r.output;
  }
  CommandResult r =
      run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 10 --m 100 --related po:1 --out " + dir + "/x");
  EXPECT_NE(r.exit_code, 0);
  r = run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 10 --m 5 --chromosomes 22 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2) << r.output;  // --m and --chromosomes contradict each other: a usage error
  EXPECT_NE(r.output.find("without variants"), std::string::npos) << r.output;
  // --map: a .bim without cM, and one whose cM decrease.
  write_text(dir + "/nomap.bim", "1\ta\t0\t100\tA\tC\n1\tb\t0\t200\tA\tC\n");
  r = run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 10 --map " + dir + "/nomap.bim --out " + dir +
                  "/x");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("nomap.bim:1: chromosome 1 has no genetic map"), std::string::npos) << r.output;
  write_text(dir + "/unsorted.bim", "1\ta\t0.5\t100\tA\tC\n1\tb\t0.2\t200\tA\tC\n");
  r = run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 10 --map " + dir + "/unsorted.bim --out " + dir +
                  "/x");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("unsorted.bim:2: genetic positions decrease"), std::string::npos) << r.output;
  r = run_genomap("simulate --pulse ADM=A:0.3,B:0.7@20 --n 10 --m 10 --map " + dir + "/unsorted.bim --out " +
                  dir + "/x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("simulate: --map gives the variants; leave out --m"), std::string::npos) << r.output;
  // Impossible parameters: each a usage error with its own message.
  const std::pair<const char*, const char*> impossible[] = {
      {"--n 0 --m 100", "simulate --pulse: --n must be positive"},
      {"--n 10 --m 100 --fst 1", "simulate: --fst must be in (0, 1)"},
      {"--n 10 --m 100 --map-rate 0", "simulate: --map-rate must be in (0, 100] cM per Mb"},
      {"--n 10 --m 100 --missing 1", "simulate: --missing must be in [0, 1)"},
      {"--n 10 --m 100 --chromosomes 23", "simulate: --chromosomes must be in 1..22"},
      {"--n 10", "simulate: --m is required (or --map BIM with --pulse)"}};
  for (const auto& [args, message] : impossible) {
    r = run_genomap(std::string("simulate --pulse ADM=A:0.3,B:0.7@20 ") + args + " --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
  }
  r = run_genomap("simulate --n 10 --m 100 --map " + dir + "/unsorted.bim --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("simulate: --map goes with --pulse"), std::string::npos) << r.output;
  std::filesystem::remove(dir + "/nomap.bim");
  std::filesystem::remove(dir + "/unsorted.bim");
  EXPECT_TRUE(list_files(dir).empty()) << "no partial output";
}

}  // namespace
}  // namespace genomap::test
