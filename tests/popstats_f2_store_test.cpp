// The f2 store: f-statistics read from a store equal those computed from the genotypes (byte for byte), the
// store filters keep what they say, and a stale or damaged store is refused.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace genomap {
namespace {

const std::string kPanel = test::data_path("human_origins_panel7/panel7");
const std::string kExpected = test::data_path("human_origins_panel7/expected_admixtools");

std::string statistic_options() {
  return " --f3-file " + kExpected + "/list_qp3Pop --f3-file " + kExpected + "/list_qp3Pop_extra --d-file " +
         kExpected + "/list_qpDstat_extra --f4-file " + kExpected + "/list_qpDstat_extra --f4-ratio-file " +
         kExpected + "/list_qpF4ratio --outgroup-f3 Chimp --quiet";
}

TEST(PopstatsF2Store, StatisticsFromStoreEqualGenotypes) {
  const std::string dir = test::scratch_dir("f2_store_identical");
  const std::string store = dir + "/store";
  for (const std::string compat : {"", " --qp-compat"}) {
    std::filesystem::remove_all(store);
    const std::string stats = statistic_options() + compat;
    ASSERT_EQ(
        test::run_genomap("fstats --eigenstrat " + kPanel + stats + " --out " + dir + "/geno").exit_code, 0);
    // Built, then reused with the genotypes named, then read alone.
    auto built = test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + store + stats +
                                   " --out " + dir + "/built");
    ASSERT_EQ(built.exit_code, 0) << built.output;
    ASSERT_EQ(test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + store + stats + " --out " +
                                dir + "/reused")
                  .exit_code,
              0);
    auto alone = test::run_genomap("fstats --f2-store " + store + stats + " --out " + dir + "/alone");
    ASSERT_EQ(alone.exit_code, 0) << alone.output;
    EXPECT_NE(test::read_text(dir + "/built.log").find("f2 store " + store + " built"), std::string::npos);
    EXPECT_NE(test::read_text(dir + "/reused.log").find("f2 store " + store + " read"), std::string::npos);
    for (const std::string suffix : {".f2", ".fstats", ".f4ratio"}) {
      const std::string expected = test::read_text(dir + "/geno" + suffix);
      ASSERT_GT(expected.size(), 200u) << suffix;
      EXPECT_EQ(test::read_text(dir + "/built" + suffix), expected) << suffix << compat;
      EXPECT_EQ(test::read_text(dir + "/reused" + suffix), expected) << suffix << compat;
      EXPECT_EQ(test::read_text(dir + "/alone" + suffix), expected) << suffix << compat;
    }
  }
}

TEST(PopstatsF2Store, PlinkInputStoreEqualsGenotypes) {
  const std::string dir = test::scratch_dir("f2_store_plink");
  std::string pops = "FID IID POP\n";
  std::ifstream fam(kPanel + ".fam");
  std::string fid, iid, rest;
  while (fam >> fid >> iid && std::getline(fam, rest)) pops += fid + " " + iid + " " + fid + "\n";
  test::write_text(dir + "/pops.txt", pops);
  const std::string in = "fstats --bfile " + kPanel + " --pop " + dir +
                         "/pops.txt --d 'Yoruba,French;Han,Uygur' "
                         "--f3 'Uygur;French,Han' --quiet";
  ASSERT_EQ(test::run_genomap(in + " --out " + dir + "/geno").exit_code, 0);
  ASSERT_EQ(test::run_genomap(in + " --f2-store " + dir + "/store --out " + dir + "/built").exit_code, 0);
  ASSERT_EQ(test::run_genomap("fstats --f2-store " + dir +
                              "/store --d 'Yoruba,French;Han,Uygur' --f3 "
                              "'Uygur;French,Han' --quiet --out " +
                              dir + "/alone")
                .exit_code,
            0);
  EXPECT_EQ(test::read_text(dir + "/built.fstats"), test::read_text(dir + "/geno.fstats"));
  EXPECT_EQ(test::read_text(dir + "/alone.fstats"), test::read_text(dir + "/geno.fstats"));
  EXPECT_EQ(test::read_text(dir + "/alone.f2"), test::read_text(dir + "/geno.f2"));
}

// Variants kept by --max-missing 0 and --transversions-only, counted independently from the .snp file and
// the store's per-population counts.
TEST(PopstatsF2Store, FiltersKeepWhatTheySay) {
  const std::string dir = test::scratch_dir("f2_store_filters");
  auto r = test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + dir +
                             "/tv --transversions-only --quiet --out " + dir + "/tv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::size_t transversions = 0, all = 0;
  {
    std::ifstream snp(kPanel + ".snp");
    std::string id, chrom, cm, pos, a1, a2;
    while (snp >> id >> chrom >> cm >> pos >> a1 >> a2) {
      const int c = std::atoi(chrom.c_str());
      if (c < 1 || c > 22) continue;
      ++all;
      auto purine = [](const std::string& a) { return a == "A" || a == "G"; };
      transversions += purine(a1) != purine(a2) && a1 != a2;
    }
  }
  const auto tv = test::read_table(dir + "/tv/variants.tsv");
  EXPECT_EQ(tv.rows.size(), transversions);
  EXPECT_LT(transversions, all);
  EXPECT_GT(transversions, 0u);
  // The .f2 of a store equals the genotypes' .f2 only when nothing was filtered; here it must differ.
  ASSERT_EQ(test::run_genomap("fstats --eigenstrat " + kPanel + " --quiet --out " + dir + "/all").exit_code,
            0);
  EXPECT_NE(test::read_text(dir + "/tv.f2"), test::read_text(dir + "/all.f2"));

  r = test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + dir +
                        "/complete --max-missing 0 --quiet --out " + dir + "/complete");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto complete = test::read_table(dir + "/complete/variants.tsv");
  // Marmoset alone misses 24% of the calls, so a store requiring every population keeps far fewer variants.
  EXPECT_LT(complete.rows.size(), all * 4 / 5);
  EXPECT_GT(complete.rows.size(), 0u);
  const std::string log = test::read_text(dir + "/complete.log");
  EXPECT_NE(log.find(std::to_string(all - complete.rows.size()) + " dropped by the store filters"),
            std::string::npos)
      << log;
}

TEST(PopstatsF2Store, StaleAndDamagedStoresAreRefused) {
  const std::string dir = test::scratch_dir("f2_store_stale");
  const std::string store = dir + "/store";
  ASSERT_EQ(test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + store + " --quiet --out " +
                              dir + "/a")
                .exit_code,
            0);
  auto r = test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + store +
                             " --block-size 500 --quiet --out " + dir + "/b");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(store + ": stale f2 store: it was built from other inputs or options (differs in "
                                  "'blocks'); remove it or choose another folder"),
            std::string::npos)
      << r.output;
  r = test::run_genomap("fstats --eigenstrat " + kPanel + " --f2-store " + store +
                        " --min-maf 0.05 --quiet --out " + dir + "/b");
  EXPECT_NE(r.output.find("differs in 'min_maf'"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/b.f2"));
  {
    std::fstream counts(store + "/counts.bin", std::ios::in | std::ios::out | std::ios::binary);
    counts.seekp(100);
    counts.put('\x7f');
  }
  r = test::run_genomap("fstats --f2-store " + store + " --quiet --out " + dir + "/c");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(store + "/counts.bin: does not match the f2 store manifest (a foreign or damaged "
                                  "store; rebuild it)"),
            std::string::npos)
      << r.output;
  r = test::run_genomap("fstats --f2-store " + dir + " --quiet --out " + dir + "/c");
  EXPECT_NE(r.output.find(dir + ": not an f2 store (no manifest.tsv)"), std::string::npos) << r.output;
  r = test::run_genomap("fstats --eigenstrat " + kPanel + " --min-maf 0.1 --quiet --out " + dir + "/c");
  EXPECT_NE(r.output.find("--max-missing, --min-maf and --transversions-only apply to --f2-store only"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace genomap
