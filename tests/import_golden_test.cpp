// genomap import against plink2 --vcf X --make-bed, run in the test on the same files: .bim and .fam text
// identical, genotypes compared one by one. Multiallelic records: skipped as plink2 --max-alleles 2 skips
// them, or split as bcftools norm -m- splits them. Plus bad-input tests (one line naming file and line, exit
// 1, no output files) and a check that memory does not grow with the number of records.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

namespace genomap::test {
namespace {

namespace fs = std::filesystem;

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Genotype codes of a .bed, variant by variant (sample count from the .fam).
std::vector<std::vector<int>> read_bed_codes(const std::string& prefix) {
  const std::size_t n = line_count(read_text(prefix + ".fam"));
  const std::size_t m = line_count(read_text(prefix + ".bim"));
  const std::string bed = read_text(prefix + ".bed");
  const std::size_t row = (n + 3) / 4;
  EXPECT_EQ(bed.size(), 3 + row * m) << prefix;
  std::vector<std::vector<int>> codes(m, std::vector<int>(n));
  for (std::size_t v = 0; v < m && 3 + (v + 1) * row <= bed.size(); ++v)
    for (std::size_t i = 0; i < n; ++i)
      codes[v][i] = (static_cast<unsigned char>(bed[3 + v * row + i / 4]) >> (2 * (i % 4))) & 3;
  return codes;
}

void expect_same_fileset(const std::string& want, const std::string& got) {
  EXPECT_EQ(read_text(got + ".bim"), read_text(want + ".bim"));
  EXPECT_EQ(read_text(got + ".fam"), read_text(want + ".fam"));
  const auto a = read_bed_codes(want), b = read_bed_codes(got);
  ASSERT_EQ(a.size(), b.size());
  std::size_t mismatches = 0, compared = 0;
  for (std::size_t v = 0; v < a.size(); ++v) {
    ASSERT_EQ(a[v].size(), b[v].size());
    for (std::size_t i = 0; i < a[v].size(); ++i, ++compared) {
      if (a[v][i] != b[v][i] && ++mismatches <= 5)
        ADD_FAILURE() << "variant " << v << " sample " << i << ": plink2 code " << a[v][i] << ", genomap "
                      << b[v][i];
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << compared << " genotypes";
  EXPECT_GT(compared, 0u);
}

void compare_with_plink2(const std::string& vcf, const std::string& dir, const std::string& plink2_extra = "",
                         const std::string& genomap_extra = "") {
  auto p = run_command("plink2 --vcf " + vcf + " --max-alleles 2 " + plink2_extra + " --make-bed --out " +
                       dir + "/plink2");
  ASSERT_EQ(p.exit_code, 0) << p.output;
  auto g = run_genomap("import --vcf " + vcf + " " + genomap_extra + " --out " + dir + "/genomap");
  ASSERT_EQ(g.exit_code, 0) << g.output;
  expect_same_fileset(dir + "/plink2", dir + "/genomap");
}

const char* kHeader =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=22>\n##contig=<ID=X>\n##contig=<ID=MT>\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tFAM1_S1\tFAM1_S2\tFAM2_S3\tFAM2_S4\n";

// Phased and unphased calls, missing calls, an indel, ALT '.', a multiallelic site, haploid calls on X and
// MT, a record whose FORMAT has no GT, half-missing calls.
const char* kCraftedBody =
    "22\t100\trs1\tA\tG\t.\tPASS\t.\tGT\t0/0\t0|1\t1/1\t./.\n"
    "22\t200\t.\tC\tT\t.\t.\t.\tGT\t0/1\t1|1\t.\t0/0\n"
    "22\t300\trs3\tA\tG,T\t.\t.\t.\tGT\t0/1\t1/2\t2/2\t0/0\n"
    "22\t400\trs4\tAT\tA\t.\t.\t.\tGT:DP\t0/1:3\t1/1:4\t0/0:5\t1|0:6\n"
    "22\t500\trs5\tG\t.\t.\t.\t.\tGT\t0/0\t0/0\t./.\t0/0\n"
    "22\t600\trs6\tG\tC\t.\t.\t.\tDP\t3\t4\t5\t6\n"
    "22\t700\trs7\tT\tC\t.\t.\t.\tGT\t0/.\t.|1\t1/.\t./0\n"
    "X\t800\trs8\tA\tG\t.\t.\t.\tGT\t0\t1\t0/1\t1/1\n"
    "MT\t900\trs9\tA\tG\t.\t.\t.\tGT\t0\t1\t.\t1\n";

TEST(ImportGolden, OneThousandGenomesChr22MatchesPlink2) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  compare_with_plink2(data_path("1kg_phase1_chr22_vcf/1kg_phase1_chr22_191.vcf.gz"),
                      scratch_dir("import_1kg"));
}

TEST(ImportGolden, BiocHapmapExomeMatchesPlink2SkippingMultiallelic) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("import_exome");
  compare_with_plink2(data_path("bioc_variantannotation_vcfs/hapmap_exome_chr22.vcf.gz"), dir);
  const std::string log = read_text(dir + "/genomap.log");
  EXPECT_NE(log.find("40 multiallelic records skipped"), std::string::npos) << log;
  EXPECT_EQ(line_count(read_text(dir + "/genomap.bim")), 971u);
}

TEST(ImportGolden, BiocOneThousandGenomesGbrMatchesPlink2) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  compare_with_plink2(data_path("bioc_variantannotation_vcfs/1kg_phase1_chr22_5gbr.vcf.gz"),
                      scratch_dir("import_gbr"));
}

TEST(ImportGolden, SplitMultiallelicMatchesBcftoolsNormThenPlink2) {
  if (!have_program("plink2") || !have_program("bcftools")) GENOMAP_MISSING_TOOL("plink2/bcftools not installed");
  const std::string dir = scratch_dir("import_split");
  const std::string vcf = data_path("bioc_variantannotation_vcfs/hapmap_exome_chr22.vcf.gz");
  ASSERT_EQ(run_command("bcftools norm -m- -Ov -o " + dir + "/split.vcf " + vcf).exit_code, 0);
  ASSERT_EQ(run_command("plink2 --vcf " + dir + "/split.vcf --make-bed --out " + dir + "/plink2").exit_code,
            0);
  auto g = run_genomap("import --vcf " + vcf + " --split-multiallelic --out " + dir + "/genomap");
  ASSERT_EQ(g.exit_code, 0) << g.output;
  expect_same_fileset(dir + "/plink2", dir + "/genomap");
  const std::string log = read_text(dir + "/genomap.log");
  EXPECT_NE(log.find("40 multiallelic records split into 101 biallelic variants"), std::string::npos) << log;
}

TEST(ImportGolden, BcfGivesTheSameFilesetAsVcf) {
  if (!have_program("bcftools")) GENOMAP_MISSING_TOOL("bcftools not installed");
  const std::string dir = scratch_dir("import_bcf");
  const std::string vcf = data_path("bioc_variantannotation_vcfs/hapmap_exome_chr22.vcf.gz");
  ASSERT_EQ(run_command("bcftools view -Ob -o " + dir + "/x.bcf " + vcf).exit_code, 0);
  ASSERT_EQ(run_genomap("import --vcf " + vcf + " --out " + dir + "/from_vcf").exit_code, 0);
  auto g = run_genomap("import --bcf " + dir + "/x.bcf --out " + dir + "/from_bcf");
  ASSERT_EQ(g.exit_code, 0) << g.output;
  expect_same_fileset(dir + "/from_vcf", dir + "/from_bcf");
  EXPECT_EQ(read_text(dir + "/from_vcf.bed"), read_text(dir + "/from_bcf.bed"));
}

TEST(ImportGolden, CraftedCallsMatchPlink2InEveryHalfCallMode) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("import_crafted");
  const std::string vcf = dir + "/crafted.vcf";
  write_text(vcf, std::string(kHeader) + kCraftedBody);
  for (const std::string mode : {"missing", "haploid", "reference"}) {
    const std::string sub = dir + "/" + mode;
    fs::create_directories(sub);
    compare_with_plink2(vcf, sub, "--vcf-half-call " + mode, "--vcf-half-call " + mode);
  }
  // Sample IDs: FID 0 by default (compared above), FID = IID, or split at a delimiter, as plink2.
  fs::create_directories(dir + "/double");
  compare_with_plink2(vcf, dir + "/double", "--vcf-half-call missing --double-id", "--double-id");
  fs::create_directories(dir + "/delim");
  compare_with_plink2(vcf, dir + "/delim", "--vcf-half-call missing --id-delim _", "--id-delim _");
  EXPECT_EQ(read_text(dir + "/delim/genomap.fam").substr(0, 9), "FAM1\tS1\t0");
  // The log counts what was unusual.
  const std::string log = read_text(dir + "/missing/genomap.log");
  EXPECT_NE(log.find("1 multiallelic records skipped"), std::string::npos) << log;
  EXPECT_NE(log.find("4 half-missing GT calls"), std::string::npos) << log;
  EXPECT_NE(log.find("5 haploid calls"), std::string::npos) << log;
  EXPECT_NE(log.find("1 records without GT"), std::string::npos) << log;
}

TEST(ImportGolden, HalfCallErrorModeNamesTheLine) {
  const std::string dir = scratch_dir("import_halfcall_error");
  write_text(dir + "/in.vcf", std::string(kHeader) + kCraftedBody);
  auto r = run_genomap("import --vcf " + dir + "/in.vcf --vcf-half-call error --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("in.vcf:14:"), std::string::npos) << r.output;  // rs7, the 14th line
  EXPECT_EQ(line_count(r.output), 1u) << r.output;
  EXPECT_EQ(list_files(dir).size(), 1u);  // only the input
}

// --- Bad input: exit 1, one line naming the file (and line), nothing written ---

void expect_rejected(const std::string& dir, const std::string& input, const std::string& where,
                     const std::string& what) {
  auto before = list_files(dir);
  auto r = run_genomap("import --vcf " + input + " --out " + dir + "/out");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(line_count(r.output), 1u) << r.output;
  EXPECT_NE(r.output.find(where), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(what), std::string::npos) << r.output;
  EXPECT_EQ(list_files(dir).size(), before.size()) << "output files were left behind";
}

TEST(ImportBadInput, BrokenHeader) {
  const std::string dir = scratch_dir("import_bad_header");
  write_text(
      dir + "/a.vcf",
      "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\"\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n22\t1\trs1\tA\tG\t.\t.\t.\tGT\t0/1\n");
  expect_rejected(dir, dir + "/a.vcf", "a.vcf:2:", "broken VCF header");
  write_text(dir + "/b.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n");
  expect_rejected(dir, dir + "/b.vcf", "b.vcf:2:", "broken VCF header");
  write_text(dir + "/c.vcf", "##fileformat=VCFv4.2\n22\t1\trs1\tA\tG\t.\t.\t.\n");
  expect_rejected(dir, dir + "/c.vcf", "c.vcf:", "no #CHROM line");
  write_text(dir + "/d.vcf", "chromosome position\n");
  expect_rejected(dir, dir + "/d.vcf", "d.vcf", "not a VCF");
}

TEST(ImportBadInput, MalformedDataLineNamesTheLine) {
  const std::string dir = scratch_dir("import_bad_line");
  const std::string good = "22\t100\trs1\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/0\t0/0\n";
  write_text(dir + "/cols.vcf", std::string(kHeader) + good + good + "22\t300\trs3\tA\tG\t.\n");
  expect_rejected(dir, dir + "/cols.vcf", "cols.vcf:10:", "columns");
  write_text(dir + "/pos.vcf",
             std::string(kHeader) + good + "22\tabc\trs2\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/0\t0/0\n");
  expect_rejected(dir, dir + "/pos.vcf", "pos.vcf:9:", "POS");
  write_text(dir + "/gt.vcf",
             std::string(kHeader) + good + "22\t200\trs2\tA\tG\t.\t.\t.\tGT\t0/3\t1/1\t0/0\t0/0\n");
  expect_rejected(dir, dir + "/gt.vcf", "gt.vcf:9:", "GT allele 3");
}

TEST(ImportBadInput, DuplicateSampleIds) {
  const std::string dir = scratch_dir("import_dup_samples");
  write_text(dir + "/dup.vcf",
             "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS1\n"
             "22\t1\trs1\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n");
  expect_rejected(dir, dir + "/dup.vcf", "dup.vcf", "duplicate sample ID");
}

TEST(ImportBadInput, EmptyAndMissingFiles) {
  const std::string dir = scratch_dir("import_empty");
  write_text(dir + "/empty.vcf", "");
  expect_rejected(dir, dir + "/empty.vcf", "empty.vcf", "empty file");
  expect_rejected(dir, dir + "/absent.vcf.gz", "absent.vcf.gz", "no such file");
}

// Streaming: peak memory for 200,000 records is within a few MB of that for 2,000 records.
TEST(ImportStreaming, MemoryDoesNotGrowWithRecords) {
  if (!fs::exists("/usr/bin/time")) GENOMAP_MISSING_TOOL("/usr/bin/time not installed");
  const std::string dir = scratch_dir("import_streaming");
  auto make = [&](const std::string& path, int records) {
    std::ofstream out(path);
    out << kHeader;
    for (int i = 0; i < records; ++i)
      out << "22\t" << (i + 1) << "\trs" << i << "\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0|0\t"
          << (i % 3 ? "0/0" : "./.") << '\n';
  };
  make(dir + "/small.vcf", 2000);
  make(dir + "/large.vcf", 200000);
  auto peak_kb = [&](const std::string& name) {
    auto r = run_command("/usr/bin/time -f 'PEAK %M' " + std::string(GENOMAP_BINARY) +
                         " import --quiet --threads 1 --vcf " + dir + "/" + name + ".vcf --out " + dir + "/" +
                         name);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const auto at = r.output.rfind("PEAK ");
    EXPECT_NE(at, std::string::npos) << "no peak memory line from /usr/bin/time: " << r.output;
    return at == std::string::npos ? 0L : std::stol(r.output.substr(at + 5));
  };
  const long small = peak_kb("small"), large = peak_kb("large");
  ASSERT_GT(small, 0);  // a missing measurement must fail, not pass the comparison below
  EXPECT_EQ(line_count(read_text(dir + "/large.bim")), 200000u);
  EXPECT_LT(large, small + 8 * 1024) << "small " << small << " KB, large " << large << " KB";
}

}  // namespace
}  // namespace genomap::test
