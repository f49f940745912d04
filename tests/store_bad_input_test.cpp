// Bad input to the genotype store: each case exits 1 with exactly one line on stderr naming the file (and the
// line where there is one), and leaves no output file behind (not even the .log).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "test_support.hpp"

namespace genomap::test {
namespace {

namespace fs = std::filesystem;

const std::string kFam = "F1 S1 0 0 1 -9\nF2 S2 0 0 2 -9\nF3 S3 0 0 0 -9\nF4 S4 0 0 1 -9\nF5 S5 0 0 2 -9\n";
const std::string kBim = "1\trs1\t0\t100\tA\tG\n1\trs2\t0\t200\tC\tT\n1\trs3\t0\t300\tG\tT\n";
// 5 samples -> 2 bytes per variant.
const std::string kBed = std::string("\x6c\x1b\x01", 3) + std::string("\x1b\x02\xe4\x01\x00\x03", 6);

struct Case {
  std::string name;
  std::function<void(const std::string& prefix)> corrupt;  // changes the valid fileset
  std::string file_suffix;                                 // file the message must name
  std::string expected_fragment;                           // e.g. ":2:" for a line number, or a phrase
};

void write_valid(const std::string& prefix) {
  write_text(prefix + ".fam", kFam);
  write_text(prefix + ".bim", kBim);
  write_text(prefix + ".bed", kBed);
}

void check_case(const Case& c) {
  const std::string dir = scratch_dir("store_bad_input_" + c.name);
  const std::string in_dir = dir + "/in", out_dir = dir + "/out";
  fs::create_directories(in_dir);
  fs::create_directories(out_dir);
  const std::string prefix = in_dir + "/data";
  write_valid(prefix);
  c.corrupt(prefix);
  const CommandResult r = run_genomap("freq --bfile " + prefix + " --out " + out_dir + "/result");
  EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.output;
  ASSERT_FALSE(r.output.empty()) << c.name;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << c.name << ": more than one line:\n" << r.output;
  EXPECT_NE(r.output.find(prefix + c.file_suffix), std::string::npos) << c.name << ": " << r.output;
  EXPECT_NE(r.output.find(c.expected_fragment), std::string::npos) << c.name << ": " << r.output;
  EXPECT_TRUE(list_files(out_dir).empty()) << c.name << ": output files left behind";
}

TEST(StoreBadInput, ValidFilesetIsAccepted) {
  const std::string dir = scratch_dir("store_bad_input_valid");
  write_valid(dir + "/data");
  const CommandResult r = run_genomap("freq --bfile " + dir + "/data --out " + dir + "/result");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table t = read_table(dir + "/result.afreq");
  ASSERT_EQ(t.rows.size(), 3u);
  // rs1: byte 0x1b = 0b00'01'10'11 -> samples 1-4: hom2 (11), het (10), missing (01), hom1 (00); sample 5
  // (0x02): het. Allele 1 (ALT) copies: 2 + 1 + 1 = 4 of 8.
  EXPECT_EQ(t.text(0, "OBS_CT"), "8");
  EXPECT_EQ(t.text(0, "ALT_FREQS"), "0.5");
}

TEST(StoreBadInput, TruncatedBed) {
  check_case({"truncated_bed", [](const std::string& p) { write_text(p + ".bed", kBed.substr(0, 6)); }, ".bed",
              "truncated"});
}

TEST(StoreBadInput, BedShorterThanHeader) {
  check_case({"bed_header", [](const std::string& p) { write_text(p + ".bed", kBed.substr(0, 2)); }, ".bed",
              "truncated"});
}

TEST(StoreBadInput, WrongMagicBytes) {
  check_case({"magic", [](const std::string& p) { write_text(p + ".bed", "\x6d\x1b\x01" + kBed.substr(3)); }, ".bed",
              "magic"});
}

TEST(StoreBadInput, BedSizeDoesNotMatchCounts) {
  check_case({"bed_size", [](const std::string& p) { write_text(p + ".bed", kBed + std::string("\x00\x00", 2)); },
              ".bed", "does not match"});
}

TEST(StoreBadInput, FamWithWrongColumnCount) {
  check_case({"fam_columns",
              [](const std::string& p) { write_text(p + ".fam", kFam + "F6 S6 0 0 1\n"); }, ".fam", ":6:"});
}

TEST(StoreBadInput, DuplicateSampleIds) {
  check_case({"duplicate_ids",
              [](const std::string& p) {
                write_text(p + ".fam", "F1 S1 0 0 1 -9\nF2 S2 0 0 2 -9\nF1 S1 0 0 0 -9\nF4 S4 0 0 1 -9\nF5 S5 0 0 2 -9\n");
              },
              ".fam", ":3:"});
}

TEST(StoreBadInput, NonNumericBimPosition) {
  check_case({"bim_position",
              [](const std::string& p) {
                write_text(p + ".bim", "1\trs1\t0\t100\tA\tG\n1\trs2\t0\t2x0\tC\tT\n1\trs3\t0\t300\tG\tT\n");
              },
              ".bim", ":2:"});
}

TEST(StoreBadInput, EmptyFam) {
  check_case({"empty_fam", [](const std::string& p) { write_text(p + ".fam", ""); }, ".fam", "empty"});
}

TEST(StoreBadInput, EmptyBim) {
  check_case({"empty_bim", [](const std::string& p) { write_text(p + ".bim", ""); }, ".bim", "empty"});
}

TEST(StoreBadInput, EmptyBed) {
  check_case({"empty_bed", [](const std::string& p) { write_text(p + ".bed", ""); }, ".bed", "truncated"});
}

TEST(StoreBadInput, MissingBed) {
  check_case({"missing_bed", [](const std::string& p) { fs::remove(p + ".bed"); }, ".bed", "cannot open"});
}

TEST(StoreBadInput, MissingFam) {
  check_case({"missing_fam", [](const std::string& p) { fs::remove(p + ".fam"); }, ".fam", "cannot open"});
}

// The same failures through the other QC commands leave nothing behind either.
TEST(StoreBadInput, EveryQcCommandLeavesNoOutput) {
  const std::string dir = scratch_dir("store_bad_input_commands");
  fs::create_directories(dir + "/out");
  write_valid(dir + "/data");
  write_text(dir + "/data.bed", kBed.substr(0, 7));
  for (const char* command : {"freq", "missing", "hardy", "het"}) {
    const CommandResult r = run_genomap(std::string(command) + " --bfile " + dir + "/data --out " + dir + "/out/r");
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << command << ": " << r.output;
    EXPECT_TRUE(list_files(dir + "/out").empty()) << command;
  }
}

}  // namespace
}  // namespace genomap::test
