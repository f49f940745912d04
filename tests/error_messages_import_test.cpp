// Error messages of import (VCF and BCF headers, sample IDs, records), asserted whole (see error_cases.hpp).
#include <zlib.h>

#include <cstring>
#include <filesystem>

#include "error_cases.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kFormat = "##fileformat=VCFv4.2\n";
const std::string kChrom = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
const std::string kRecord = "1\t100\trs1\tA\tG\t.\t.\t.\tGT\t0/1\n";

// A case importing {D}/in.vcf (or another name) holding `text`.
ErrorCase vcf(const std::string& name, const std::string& text, const std::string& message,
              const std::string& file = "in.vcf", const std::string& options = "") {
  return ErrorCase{"import_" + name,
                   "import --vcf {D}/" + file + options,
                   1,
                   "genomap import: error: {D}/" + file + message,
                   {{file, text}}};
}

INSTANTIATE_TEST_SUITE_P(
    Import, ErrorMessages,
    ::testing::Values(
        vcf("not_vcf", "hello\n", ": not a VCF or BCF file (the first line must be ##fileformat=VCF...)"),
        vcf("chrom_first", kChrom + kRecord,
            ": not a VCF or BCF file (the first line must be ##fileformat=VCF...)"),
        vcf("single_hash", kFormat + "#bad\n" + kChrom + kRecord,
            ":2: broken VCF header: expected ## or #CHROM"),
        vcf("meta_without_equals", kFormat + "##noequals\n" + kChrom + kRecord,
            ":2: broken VCF header: meta line without '='"),
        vcf("open_structured", kFormat + "##INFO=<ID=X\n" + kChrom + kRecord,
            ":2: broken VCF header: structured line does not end with '>'"),
        vcf("chrom_column",
            kFormat + "#CHROM\tPOSITION\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n" + kRecord,
            ":2: broken VCF header: column 2 of the #CHROM line is 'POSITION', expected 'POS'"),
        vcf("format_column", kFormat + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFMT\tS1\n" + kRecord,
            ":2: broken VCF header: column 9 of the #CHROM line must be FORMAT"),
        vcf("short_chrom_line", kFormat + "#CHROM\tPOS\tID\n" + kRecord,
            ":2: broken VCF header: the #CHROM line has fewer than 8 columns"),
        vcf("line_after_chrom", kFormat + kChrom + "##x=1\n" + kRecord,
            ":3: broken VCF header: a line follows the #CHROM line"),
        vcf("no_chrom_line", kFormat + "##x=1\n" + kRecord, ":3: broken VCF header: no #CHROM line"),
        vcf("htslib_header",
            kFormat + "##INFO=<ID=X,Number=1,Type=Integer,Description=\"x\",IDX=1>\n" +
                "##INFO=<ID=Y,Number=1,Type=Integer,Description=\"y\",IDX=1>\n" + kChrom + kRecord,
            ": broken VCF header (htslib cannot parse it)"),
        vcf("no_samples",
            kFormat + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t100\trs1\tA\tG\t.\t.\t.\n",
            ": no samples in the header"),
        vcf("only_multiallelic", kFormat + kChrom + "1\t100\trs1\tA\tG,T\t.\t.\t.\tGT\t0/1\n",
            ": no variants to write (1 records read, 1 multiallelic skipped)"),
        vcf("id_delim", kFormat + kChrom + kRecord,
            ": --id-delim '_': sample ID 'S1' does not have the form FID_IID", "in.vcf", " --id-delim _"),
        vcf("broken_bcf", std::string("BCF\2\2\10\0\0\0garbage!", 17), ": broken BCF header", "in.bcf")),
    case_name);

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

// A gzip-compressed VCF cut in half: one line naming the file (no line: compressed data is read in blocks, so
// the line being read is not where the damage is), exit 1, no output.
TEST(ImportErrors, TruncatedCompressedVcf) {
  const std::string dir = scratch_dir("import_truncated_gzip");
  const std::string path = dir + "/in.vcf.gz";
  {
    gzFile gz = gzopen(path.c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    std::string text = kFormat;
    for (int i = 0; i < 6000; ++i) text += "##x" + std::to_string(i) + "=" + std::to_string(i * 7919) + "\n";
    text += kChrom + kRecord;
    ASSERT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
    ASSERT_EQ(gzclose(gz), Z_OK);
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const CommandResult r = run_genomap("import --vcf " + path + " --out " + dir + "/o");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output,
            "genomap import: error: " + path + ": cannot read (corrupt or truncated compressed data)\n");
  EXPECT_EQ(list_files(dir), std::vector<std::string>{"in.vcf.gz"});
}

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

// A BCF record whose contig index is not in the header: the record is named by its number (a BCF has no
// lines).
TEST(ImportErrors, MalformedBcfRecord) {
  const std::string dir = scratch_dir("import_bad_bcf_record");
  write_text(dir + "/in.vcf",
             "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
             "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
                 kChrom + kRecord);
  if (!have_program("bcftools")) GENOMAP_MISSING_TOOL("bcftools is not installed");
  const CommandResult made = run_command("bcftools view -Ou -o " + dir + "/bgzf.bcf " + dir + "/in.vcf");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  // Uncompressed BCF (htslib reads both): magic, header length, header text, then the first record.
  std::string bcf;
  {
    gzFile gz = gzopen((dir + "/bgzf.bcf").c_str(), "rb");
    ASSERT_NE(gz, nullptr);
    char buffer[4096];
    for (int got = 0; (got = gzread(gz, buffer, sizeof buffer)) > 0;)
      bcf.append(buffer, static_cast<std::size_t>(got));
    gzclose(gz);
  }
  ASSERT_EQ(bcf.compare(0, 3, "BCF"), 0);
  std::uint32_t header_length = 0;
  std::memcpy(&header_length, bcf.data() + 5, 4);
  const std::size_t record = 9 + header_length;
  ASSERT_GT(bcf.size(), record + 12);
  const std::int32_t contig = 99;  // CHROM: after the record's two lengths
  std::memcpy(bcf.data() + record + 8, &contig, 4);
  write_text(dir + "/bad.bcf", bcf);
  const auto before = list_files(dir).size();
  const CommandResult r = run_genomap("import --bcf " + dir + "/bad.bcf --out " + dir + "/o");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output,
            "genomap import: error: " + dir + "/bad.bcf: BCF record 1: malformed record: invalid contig name\n");
  EXPECT_EQ(list_files(dir).size(), before);
}

}  // namespace
}  // namespace genomap::test
