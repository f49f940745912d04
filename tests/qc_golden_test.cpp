// Golden tests of the QC commands (freq, missing, hardy, het) and the shared filters against plink2, run in the
// test on the bundled real data. Outputs are compared byte for byte (plink2's 6-significant-digit rounding is
// reproduced), and also value by value with the stated tolerances so that a failure says what differs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "test_support.hpp"

namespace genomap::test {
namespace {

namespace fs = std::filesystem;

bool have_plink2() { return have_program("plink2"); }

#define REQUIRE_PLINK2() \
  if (!have_plink2()) GENOMAP_MISSING_TOOL("plink2 is not installed (CI installs the Debian package plink2)")

void run_ok(const std::string& command) {
  const CommandResult r = run_command(command);
  ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.output;
}

void plink2(const std::string& args) { run_ok("plink2 " + args + " --threads 2 > /dev/null"); }
void genomap(const std::string& args) {
  const CommandResult r = run_genomap(args + " --threads 2");
  ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
}

// Compares two plink-style tables cell by cell: text columns exactly, numeric columns within `rel_tol`
// (relative, with an absolute floor of rel_tol for values near 0); "nan" equals "nan".
void expect_tables_match(const std::string& expected_path, const std::string& actual_path, double rel_tol) {
  const Table e = read_table(expected_path), a = read_table(actual_path);
  ASSERT_EQ(e.columns, a.columns) << actual_path;
  ASSERT_EQ(e.rows.size(), a.rows.size()) << actual_path;
  std::size_t mismatches = 0;
  for (std::size_t r = 0; r < e.rows.size() && mismatches < 5; ++r) {
    ASSERT_EQ(e.rows[r].size(), a.rows[r].size()) << actual_path << " row " << r;
    for (std::size_t c = 0; c < e.columns.size(); ++c) {
      const std::string& x = e.rows[r][c];
      const std::string& y = a.rows[r][c];
      char* end_x = nullptr;
      char* end_y = nullptr;
      const double dx = std::strtod(x.c_str(), &end_x);
      const double dy = std::strtod(y.c_str(), &end_y);
      const bool numeric = *end_x == 0 && *end_y == 0 && !x.empty() && !y.empty();
      bool same = x == y;
      if (!same && numeric) {
        same = (std::isnan(dx) && std::isnan(dy)) ||
               std::fabs(dx - dy) <= rel_tol * std::max(1.0, std::max(std::fabs(dx), std::fabs(dy)));
      }
      if (!same) {
        ++mismatches;
        ADD_FAILURE() << actual_path << " row " << r + 1 << " column " << e.columns[c] << ": plink2 " << x
                      << ", genomap " << y;
      }
    }
  }
}

void expect_identical_files(const std::string& expected, const std::string& actual) {
  EXPECT_EQ(read_text(expected), read_text(actual)) << expected << " and " << actual << " differ";
}

struct Fileset {
  std::string name;
  std::string prefix;
};

// Runs plink2 and genomap on one fileset and compares every QC output.
void compare_qc_outputs(const std::string& prefix, const std::string& dir, bool midp = false,
                        const std::string& filters = "") {
  const std::string ref = dir + "/plink2", ours = dir + "/genomap";
  const std::string input = "--bfile " + prefix + " " + filters;
  plink2(input + " --freq --missing --het --hardy" + std::string(midp ? " midp" : "") + " --out " + ref);
  for (const char* command : {"freq", "missing", "het"}) genomap(std::string(command) + " " + input + " --out " + ours);
  genomap("hardy " + input + " --out " + ours + (midp ? " --midp" : ""));
  // Allele frequencies and missingness: equal to 1e-9 (they are exact ratios printed with 6 digits).
  expect_tables_match(ref + ".afreq", ours + ".afreq", 1e-9);
  expect_tables_match(ref + ".smiss", ours + ".smiss", 1e-9);
  expect_tables_match(ref + ".vmiss", ours + ".vmiss", 1e-9);
  // Exact-test p-values: 1e-6 relative; heterozygosity values: 1e-6 relative.
  expect_tables_match(ref + ".hardy", ours + ".hardy", 1e-6);
  expect_tables_match(ref + ".het", ours + ".het", 1e-6);
  if (fs::exists(ref + ".hardy.x")) expect_tables_match(ref + ".hardy.x", ours + ".hardy.x", 1e-6);
  EXPECT_EQ(fs::exists(ref + ".hardy.x"), fs::exists(ours + ".hardy.x"));
  // And byte for byte.
  for (const char* suffix : {".afreq", ".smiss", ".vmiss", ".hardy", ".het"})
    expect_identical_files(ref + suffix, ours + suffix);
  if (fs::exists(ref + ".hardy.x")) expect_identical_files(ref + ".hardy.x", ours + ".hardy.x");
}

TEST(QcGolden, Hapmap3WithChrXAndXYAndMT) {
  REQUIRE_PLINK2();
  compare_qc_outputs(data_path("hapmap3_admixture/hapmap3"), scratch_dir("qc_golden_hapmap3"));
}

TEST(QcGolden, Hapmap3MidP) {
  REQUIRE_PLINK2();
  compare_qc_outputs(data_path("hapmap3_admixture/hapmap3"), scratch_dir("qc_golden_hapmap3_midp"), true);
}

TEST(QcGolden, ThousandGenomesChr22) {
  REQUIRE_PLINK2();
  compare_qc_outputs(data_path("1kg_phase1_chr22_vcf/1kg_phase1_chr22_191"), scratch_dir("qc_golden_1kg"));
}

// panel7.bed has non-zero padding bits after the last sample of every row; plink2 2.00a3 counts them as
// three extra heterozygous calls per variant in --freq/--hardy/--het. genomap ignores padding, as the format
// says. The comparison uses a copy rewritten by plink2 (padding cleared), and genomap must give the same
// results on the original.
TEST(QcGolden, HumanOriginsPanel7) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_panel7");
  plink2("--bfile " + data_path("human_origins_panel7/panel7") + " --make-bed --out " + dir + "/clean");
  compare_qc_outputs(dir + "/clean", dir);
  genomap("freq --bfile " + data_path("human_origins_panel7/panel7") + " --out " + dir + "/original");
  expect_identical_files(dir + "/genomap.afreq", dir + "/original.afreq");
}

// Copies hapmap3 with chromosome codes and sexes changed, to cover chrY (males only), chrMT (haploid in all)
// and samples of unknown sex (diploid on chrX in --freq, left out of .hardy.x).
std::string rewritten_hapmap3(const std::string& dir, bool x_to_y, bool unknown_sex) {
  const std::string src = data_path("hapmap3_admixture/hapmap3");
  const std::string dst = dir + "/input";
  fs::copy_file(src + ".bed", dst + ".bed", fs::copy_options::overwrite_existing);
  std::ifstream bim(src + ".bim"), fam(src + ".fam");
  std::ofstream bim_out(dst + ".bim"), fam_out(dst + ".fam");
  std::string chrom, rest;
  while (bim >> chrom && std::getline(bim, rest)) {
    if (x_to_y && chrom == "23") chrom = "24";
    if (x_to_y && chrom == "25") chrom = "26";  // XY sits right before MT: stays one contiguous MT run
    bim_out << chrom << rest << '\n';
  }
  std::string fid, iid, father, mother, sex, pheno;
  for (int i = 1; fam >> fid >> iid >> father >> mother >> sex >> pheno; ++i)
    fam_out << fid << ' ' << iid << ' ' << father << ' ' << mother << ' ' << (unknown_sex && i % 5 == 0 ? "0" : sex)
            << ' ' << pheno << '\n';
  return dst;
}

TEST(QcGolden, ChrYAndMTAndUnknownSex) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_y_mt");
  compare_qc_outputs(rewritten_hapmap3(dir, true, true), dir);
}

// Like plink2, hardy writes .hardy.x alone for chrX only, and only the log when every variant is haploid.
TEST(QcGolden, HardyFilesFollowTheChromosomes) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_hardy_files");
  const std::string input = rewritten_hapmap3(dir, true, false);
  for (const std::string chrom : {"X", "Y", "MT"}) {
    const std::string in = chrom == "X" ? data_path("hapmap3_admixture/hapmap3") : input;
    plink2("--bfile " + in + " --chr " + chrom + " --hardy --out " + dir + "/plink2_" + chrom);
    genomap("hardy --bfile " + in + " --chr " + chrom + " --out " + dir + "/genomap_" + chrom);
    for (const char* suffix : {".hardy", ".hardy.x"}) {
      EXPECT_EQ(fs::exists(dir + "/plink2_" + chrom + suffix), fs::exists(dir + "/genomap_" + chrom + suffix))
          << chrom << suffix;
      if (fs::exists(dir + "/plink2_" + chrom + suffix))
        expect_identical_files(dir + "/plink2_" + chrom + suffix, dir + "/genomap_" + chrom + suffix);
    }
    EXPECT_TRUE(fs::exists(dir + "/genomap_" + chrom + ".log"));
  }
}

TEST(QcGolden, ChrXWithUnknownSex) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_x_unknown_sex");
  compare_qc_outputs(rewritten_hapmap3(dir, false, true), dir);
}

// A sample subset: allele frequencies, expected homozygosity and the sex masks come from the kept samples.
TEST(QcGolden, SampleSubsetWithChrXAndUnknownSex) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_subset");
  const std::string input = rewritten_hapmap3(dir, false, true);
  std::ifstream fam(input + ".fam");
  std::ofstream keep(dir + "/keep.txt");
  std::string line;
  for (int i = 0; std::getline(fam, line); ++i)
    if (i % 3 != 1) keep << line.substr(0, line.find(' ', line.find(' ') + 1)) << '\n';
  keep.close();
  compare_qc_outputs(input, dir, false, "--keep " + dir + "/keep.txt");
}

// .smiss gains plink2's PHENO1 column (Y: phenotype missing) when the .fam has phenotypes: case/control
// (0 and -9 missing) or quantitative (-9 and NA missing).
TEST(QcGolden, SampleMissingnessPhenotypeColumn) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_pheno");
  const std::string src = data_path("hapmap3_admixture/hapmap3");
  for (const auto& values : {std::vector<std::string>{"0", "-9", "2"}, std::vector<std::string>{"-9", "1.5", "0"},
                             std::vector<std::string>{"NA", "3", "0"}}) {
    fs::copy_file(src + ".bed", dir + "/in.bed", fs::copy_options::overwrite_existing);
    fs::copy_file(src + ".bim", dir + "/in.bim", fs::copy_options::overwrite_existing);
    std::ifstream fam(src + ".fam");
    std::ofstream out(dir + "/in.fam");
    std::string fid, iid, father, mother, sex, pheno;
    for (std::size_t i = 0; fam >> fid >> iid >> father >> mother >> sex >> pheno; ++i)
      out << fid << ' ' << iid << ' ' << father << ' ' << mother << ' ' << sex << ' ' << values[i % 3] << '\n';
    out.close();
    plink2("--bfile " + dir + "/in --missing --out " + dir + "/plink2");
    genomap("missing --bfile " + dir + "/in --out " + dir + "/genomap");
    expect_identical_files(dir + "/plink2.smiss", dir + "/genomap.smiss");
    EXPECT_EQ(read_table(dir + "/genomap.smiss").columns.at(2), "PHENO1");
  }
}

// plink2 --dummy data: all FIDs "0", a case/control phenotype, and genotypes far from equilibrium, so that
// p-values underflow (plink2 prints 0 below the smallest normal double).
TEST(QcGolden, Plink2DummyData) {
  REQUIRE_PLINK2();
  const std::string dir = scratch_dir("qc_golden_dummy");
  plink2("--dummy 4000 4000 0.03 --seed 7 --make-bed --out " + dir + "/dummy");
  compare_qc_outputs(dir + "/dummy", dir);
  const Table hardy = read_table(dir + "/genomap.hardy");
  std::size_t zero_p = 0;
  for (std::size_t r = 0; r < hardy.rows.size(); ++r) zero_p += hardy.text(r, "P") == "0";
  EXPECT_GT(zero_p, 0u) << "the dummy data no longer exercises p-value underflow";
}

TEST(QcGolden, ResultsDoNotDependOnThreadCount) {
  const std::string dir = scratch_dir("qc_threads");
  const std::string in = data_path("hapmap3_admixture/hapmap3");
  for (const char* command : {"freq", "missing", "hardy", "het"}) {
    ASSERT_EQ(run_genomap(std::string(command) + " --bfile " + in + " --threads 1 --out " + dir + "/t1").exit_code, 0);
    ASSERT_EQ(run_genomap(std::string(command) + " --bfile " + in + " --threads 3 --out " + dir + "/t3").exit_code, 0);
  }
  for (const char* suffix : {".afreq", ".smiss", ".vmiss", ".hardy", ".hardy.x", ".het"})
    expect_identical_files(dir + "/t1" + suffix, dir + "/t3" + suffix);
}

// The filters give the same samples and variants as plink2 with the same flags. plink2 writes --freq and
// --missing before applying --maf/--geno/--hwe, so its final sets come from --write-snplist/--write-samples.
std::vector<std::string> column_of(const std::string& path, const std::string& name) {
  const Table t = read_table(path);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) out.push_back(t.text(r, name));
  return out;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

class QcFilters : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(QcFilters, SameSamplesAndVariantsAsPlink2) {
  REQUIRE_PLINK2();
  const auto& [name, flags_template] = GetParam();
  const std::string dir = scratch_dir("qc_filters_" + name);
  const std::string in = data_path("hapmap3_admixture/hapmap3");
  // ID lists written from the fileset: every 3rd sample kept, every 7th removed, every 2nd variant extracted,
  // every 11th excluded.
  {
    const auto fam = lines_of(in + ".fam");
    const auto bim = lines_of(in + ".bim");
    std::ofstream keep(dir + "/keep.txt"), remove(dir + "/remove.txt"), extract(dir + "/extract.txt"),
        exclude(dir + "/exclude.txt");
    for (std::size_t i = 0; i < fam.size(); ++i) {
      std::istringstream f(fam[i]);
      std::string fid, iid;
      f >> fid >> iid;
      if (i % 3 == 2) keep << fid << ' ' << iid << '\n';
      if (i % 7 == 6) remove << fid << ' ' << iid << '\n';
    }
    for (std::size_t i = 0; i < bim.size(); ++i) {
      std::istringstream b(bim[i]);
      std::string chrom, id;
      b >> chrom >> id;
      if (i % 2 == 1) extract << id << '\n';
      if (i % 11 == 10) exclude << id << '\n';
    }
  }
  std::string flags = flags_template;
  for (const char* list : {"keep", "remove", "extract", "exclude"}) {
    const std::string key = std::string("{") + list + "}";
    for (auto pos = flags.find(key); pos != std::string::npos; pos = flags.find(key))
      flags.replace(pos, key.size(), dir + "/" + list + ".txt");
  }
  std::string plink_flags = flags;
  if (auto pos = plink_flags.find(" --hwe-midp"); pos != std::string::npos) plink_flags.replace(pos, 11, " midp");
  plink2("--bfile " + in + " " + plink_flags + " --write-snplist --write-samples --out " + dir + "/plink2");
  genomap("freq --bfile " + in + " " + flags + " --out " + dir + "/genomap");
  genomap("missing --bfile " + in + " " + flags + " --out " + dir + "/genomap");
  const auto variants = column_of(dir + "/genomap.afreq", "ID");
  EXPECT_EQ(variants, lines_of(dir + "/plink2.snplist"));
  const auto ids = column_of(dir + "/genomap.smiss", "IID");
  std::vector<std::string> plink_ids;
  for (const auto& line : lines_of(dir + "/plink2.id")) plink_ids.push_back(line.substr(line.find('\t') + 1));
  EXPECT_EQ(ids, plink_ids);
  EXPECT_FALSE(variants.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Flags, QcFilters,
    ::testing::Values(std::pair{std::string("keep"), std::string("--keep {keep}")},
                      std::pair{std::string("remove"), std::string("--remove {remove}")},
                      std::pair{std::string("extract"), std::string("--extract {extract}")},
                      std::pair{std::string("exclude"), std::string("--exclude {exclude}")},
                      std::pair{std::string("chr"), std::string("--chr 1-3,X")},
                      std::pair{std::string("maf"), std::string("--maf 0.05")},
                      std::pair{std::string("maf_x"), std::string("--chr X --maf 0.1")},
                      std::pair{std::string("geno"), std::string("--geno 0.01")},
                      std::pair{std::string("mind"), std::string("--mind 0.005")},
                      std::pair{std::string("hwe"), std::string("--hwe 1e-4")},
                      std::pair{std::string("hwe_x"), std::string("--chr X --hwe 0.01")},
                      std::pair{std::string("geno_mind"), std::string("--geno 0.005 --mind 0.005")},
                      std::pair{std::string("all"),
                                std::string("--keep {keep} --remove {remove} --extract {extract} --exclude {exclude} "
                                            "--chr 1-22,X,XY --maf 0.02 --geno 0.02 --mind 0.01 --hwe 1e-3 "
                                            "--hwe-midp")}),
    [](const auto& param_info) { return param_info.param.first; });

}  // namespace
}  // namespace genomap::test
