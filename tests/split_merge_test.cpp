// Job arrays without MPI: `--split I/N` slices merged by `genomap merge` give exactly the single run's files
// (freq, missing with its per-sample sums, hardy with chromosome X in some slices only, king by rows of
// pairs), for N = 1, 2 and 5 and for more slices than there are rows; a missing, foreign or mixed slice is
// refused with one line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "genomap/dist/split.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct SplitCase {
  std::string command;               // with its own options
  std::vector<std::string> outputs;  // suffixes the single run writes
};

void PrintTo(const SplitCase& c, std::ostream* os) { *os << c.command; }

class SplitMerge : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitMerge, MergedSlicesEqualTheSingleRun) {
  const SplitCase& c = GetParam();
  const std::string name = c.command.substr(0, c.command.find(' '));
  std::string folder = c.command;  // one folder per case: the cases run concurrently under ctest -j
  std::replace_if(
      folder.begin(), folder.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
      '_');
  const std::string dir = scratch_dir("split_" + folder);
  auto r = run_genomap(c.command + " --bfile " + kBfile + " --out " + dir + "/single --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (std::size_t n : {1, 2, 5}) {
    const std::string out = dir + "/sliced" + std::to_string(n);
    for (std::size_t i = 1; i <= n; ++i) {
      r = run_genomap(c.command + " --bfile " + kBfile + " --split " + std::to_string(i) + "/" +
                      std::to_string(n) + " --out " + out + " --quiet");
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    r = run_genomap("merge --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "merged " + std::to_string(n) + " slices of genomap " + name)) << r.output;
    for (const auto& suffix : c.outputs)
      EXPECT_EQ(read_text(out + suffix), read_text(dir + "/single" + suffix))
          << name << " N=" << n << " " << suffix;
  }
}

INSTANTIATE_TEST_SUITE_P(Commands, SplitMerge,
                         ::testing::Values(SplitCase{"freq", {".afreq"}},
                                           SplitCase{"missing", {".smiss", ".vmiss"}},
                                           SplitCase{"hardy", {".hardy", ".hardy.x"}},
                                           SplitCase{"hardy --maf 0.05 --hwe-midp", {".hardy", ".hardy.x"}},
                                           SplitCase{"king", {".kin0"}},
                                           SplitCase{"king --degree --king-table-filter 0.02", {".kin0"}}),
                         [](const ::testing::TestParamInfo<SplitCase>& case_info) {
                           std::string name = case_info.param.command;
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
                           return name;
                         });

TEST(SplitMerge, SlicesCoverEverythingOnceAndBalancePairs) {
  for (std::size_t total : {0, 1, 7, 13928}) {
    for (std::size_t n : {1, 2, 5, 30}) {
      std::size_t next = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        const auto [first, last] = split_range(total, {i, n});
        EXPECT_EQ(first, next);
        EXPECT_LE(last - first, total / n + 1);
        next = last;
      }
      EXPECT_EQ(next, total);
    }
  }
  // Rows of pairs: contiguous, all rows, and each slice within one row's pairs of an even share.
  const std::size_t samples = 1000, pairs = samples * (samples - 1) / 2;
  for (std::size_t n : {1, 3, 8}) {
    std::size_t next = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      const auto [first, last] = split_pair_rows(samples, {i, n});
      EXPECT_EQ(first, next);
      const std::size_t slice_pairs = last * (last - 1) / 2 - (first ? first * (first - 1) / 2 : 0);
      EXPECT_LE(slice_pairs, pairs / n + samples) << i << "/" << n;
      EXPECT_GE(slice_pairs + samples, pairs / n) << i << "/" << n;
      next = last;
    }
    EXPECT_EQ(next, samples);
  }
}

TEST(SplitMerge, MissingForeignAndMixedSlicesAreRefused) {
  const std::string dir = scratch_dir("split_refused");
  const std::string out = dir + "/m";
  auto slice = [&](const std::string& split, const std::string& extra = "") {
    return run_genomap("freq --bfile " + kBfile + " --split " + split + extra + " --out " + out + " --quiet");
  };
  ASSERT_EQ(slice("1/3").exit_code, 0);
  ASSERT_EQ(slice("3/3").exit_code, 0);
  auto r = run_genomap("merge --out " + out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(r.output, "genomap merge: error: slice 2 of 3 is missing (" + out + ".split2-of-3.split)"))
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(out + ".afreq"));

  ASSERT_EQ(slice("2/3", " --maf 0.1").exit_code, 0);  // other parameters
  r = run_genomap("merge --out " + out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(r.output, out + ".split2-of-3.split: made by another command, inputs or parameters than " +
                             out + ".split1-of-3.split"))
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(out + ".afreq"));
  // Other input files under the same name: the key holds their hashes.
  const std::string other = dir + "/other";
  for (const char* ext : {".bed", ".bim", ".fam"}) std::filesystem::copy_file(kBfile + ext, other + ext);
  write_text(other + ".fam", read_text(other + ".fam"));  // same content: still the same key
  ASSERT_EQ(run_genomap("freq --bfile " + kBfile + " --split 2/3 --out " + out + " --quiet").exit_code, 0);
  r = run_genomap("merge --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_text(out + ".afreq"),
            (run_genomap("freq --bfile " + kBfile + " --out " + dir + "/single --quiet"),
             read_text(dir + "/single.afreq")));

  ASSERT_EQ(slice("2/4").exit_code, 0);  // a second split beside the first
  r = run_genomap("merge --out " + out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "slices of two splits are present")) << r.output;

  r = run_genomap("merge --out " + dir + "/none");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "no slices " + dir + "/none.splitI-of-N.split found")) << r.output;

  // A manifest edited by hand (its range no longer follows the previous slice's).
  const std::string edited = dir + "/e";
  for (const char* s : {"1/2", "2/2"})
    ASSERT_EQ(
        run_genomap("freq --bfile " + kBfile + " --split " + s + " --out " + edited + " --quiet").exit_code,
        0);
  std::string manifest = read_text(edited + ".split2-of-2.split");
  manifest.replace(manifest.find("range\tvariants\t"), 20, "range\tvariants\t100\t");
  write_text(edited + ".split2-of-2.split", manifest);
  r = run_genomap("merge --out " + edited);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, edited + ".split2-of-2.split")) << r.output;
}

TEST(SplitMerge, BadSplitsAreUsageErrors) {
  const std::string dir = scratch_dir("split_usage");
  for (const std::string bad : {"0/2", "3/2", "a/b", "1/0", "1/2/3", "-1/2"}) {
    auto r = run_genomap("freq --bfile " + kBfile + " --split " + bad + " --out " + dir + "/u --quiet");
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_TRUE(contains(r.output,
                         "genomap freq: error: --split: expected I/N with 1 <= I <= N (slice I of N, "
                         "e.g. 3/10), got '" +
                             bad + "'"))
        << r.output;
  }
  auto r = run_genomap("king --bfile " + kBfile + " --split 1/2 --king-matrix --out " + dir + "/u --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "--split does not apply to --king-matrix")) << r.output;
  EXPECT_TRUE(list_files(dir).empty());
}

}  // namespace
}  // namespace genomap::test
