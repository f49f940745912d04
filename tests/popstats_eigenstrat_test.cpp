// EIGENSTRAT input for fstats: the reader against a naive decoding, a --pop file over EIGENSTRAT samples, and
// malformed files.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "genomap/core/error.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "test_support.hpp"

namespace genomap {
namespace {

using test::data_path;
using test::read_table;
using test::run_genomap;
using test::scratch_dir;

TEST(PopstatsEigenstrat, PackedReaderMatchesNaiveDecoding) {
  const std::string prefix = data_path("human_origins_panel7/panel7");
  EigenstratReader reader(prefix);
  ASSERT_EQ(reader.samples().size(), 881u);
  ASSERT_EQ(reader.variants().size(), 2635u);
  EXPECT_TRUE(reader.packed());
  EXPECT_EQ(reader.samples()[0].id, "HGDP00001");
  EXPECT_EQ(reader.samples()[0].label, "Brahui");
  EXPECT_EQ(reader.variants()[0].id, "Affx-9737314");
  EXPECT_DOUBLE_EQ(reader.variants()[0].cm, 0.036694);
  EXPECT_EQ(reader.variants()[0].pos, 3669362);
  std::ifstream in(prefix + ".geno", std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t rlen = 221;  // ceil(881 / 4)
  std::vector<bool> keep(2635, false);
  for (std::size_t v = 0; v < keep.size(); v += 7) keep[v] = true;
  std::size_t seen = 0;
  reader.for_each_variant(keep, [&](std::size_t v, const std::uint8_t* values) {
    ASSERT_TRUE(keep[v]);
    ++seen;
    for (std::size_t i = 0; i < 881; ++i)
      ASSERT_EQ(values[i], (bytes[rlen * (v + 1) + i / 4] >> (6 - 2 * (i % 4))) & 3) << v << " " << i;
  });
  EXPECT_EQ(seen, (2635u + 6) / 7);
}

TEST(PopstatsEigenstrat, PopulationFileOverEigenstratSamples) {
  const std::string dir = scratch_dir("popstats_eigenstrat_pop");
  const std::string prefix = data_path("human_origins_panel7/panel7");
  // Three populations relabelled through a population file matched by IID.
  std::ifstream ind(prefix + ".ind");
  std::ofstream pop(dir + "/pops.txt");
  pop << "IID GROUP\n";
  std::string id, sex, label;
  while (ind >> id >> sex >> label)
    if (label == "French" || label == "Han" || label == "Yoruba") pop << id << ' ' << label << "_x\n";
  pop.close();
  auto r = run_genomap("fstats --eigenstrat " + prefix + " --pop " + dir +
                       "/pops.txt --pop-column GROUP --out " + dir + "/sub");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("fstats --eigenstrat " + prefix + " --out " + dir + "/all");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto sub = read_table(dir + "/sub.f2"), all = read_table(dir + "/all.f2");
  ASSERT_EQ(sub.rows.size(), 3u);
  ASSERT_EQ(all.rows.size(), 62u * 61u / 2u);
  // f2 of a pair does not depend on the other populations (same SNPs, same blocks).
  for (std::size_t i = 0; i < sub.rows.size(); ++i) {
    std::string a = sub.text(i, "POP1"), b = sub.text(i, "POP2");
    a.resize(a.size() - 2);
    b.resize(b.size() - 2);
    bool found = false;
    for (std::size_t k = 0; k < all.rows.size(); ++k) {
      if (!((all.text(k, "POP1") == a && all.text(k, "POP2") == b) ||
            (all.text(k, "POP1") == b && all.text(k, "POP2") == a)))
        continue;
      found = true;
      EXPECT_EQ(sub.text(i, "VALUE"), all.text(k, "VALUE"));
      EXPECT_EQ(sub.text(i, "SE"), all.text(k, "SE"));
      EXPECT_EQ(sub.text(i, "N_SNPS"), all.text(k, "N_SNPS"));
    }
    EXPECT_TRUE(found) << a << " " << b;
  }
}

TEST(PopstatsEigenstrat, MalformedFilesAreErrors) {
  const std::string dir = scratch_dir("popstats_eigenstrat_bad");
  test::write_text(dir + "/t.ind", "s1 M P1\ns2 F P1\ns3 U P2\n");
  test::write_text(dir + "/t.snp", "rs1 1 0.0 100 A G\nrs2 1 0.1 200 C T\n");
  test::write_text(dir + "/t.geno", "012\n0x2\n");
  try {
    EigenstratReader reader(dir + "/t");
    EXPECT_FALSE(reader.packed());
    reader.for_each_variant({}, [](std::size_t, const std::uint8_t*) {});
    FAIL() << "bad genotype character accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/t.geno:2: genotype 'x' of sample 2 is not 0, 1, 2 or 9"),
              std::string::npos)
        << e.what();
  }
  test::write_text(dir + "/t.geno", "012\n");
  auto r = run_genomap("fstats --eigenstrat " + dir + "/t --out " + dir + "/o");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/t.geno: 1 genotype lines for 2 SNPs in the .snp"), std::string::npos)
      << r.output;
  // A packed header that disagrees with the .ind.
  std::string header = "GENO 5 2 0 0";
  header.resize(48, '\0');
  test::write_text(dir + "/t.geno", header + std::string(96, '\0'));
  r = run_genomap("fstats --eigenstrat " + dir + "/t --out " + dir + "/o");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.output.find(dir + "/t.geno: header says 5 samples and 2 SNPs, but the .ind has 3 and the .snp 2"),
      std::string::npos)
      << r.output;
  test::write_text(dir + "/t.ind", "s1 M\n");
  r = run_genomap("fstats --eigenstrat " + dir + "/t --out " + dir + "/o");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/t.ind:1: expected 3 columns (ID, sex, population), found 2"),
            std::string::npos)
      << r.output;
  for (const auto& f : test::list_files(dir)) EXPECT_EQ(f.rfind("o.", 0), std::string::npos) << f;
}

}  // namespace
}  // namespace genomap
