// Bad usage found after option parsing (values that contradict each other or are out of range) exits 2 with
// one line naming the option, and leaves no output: freqdb, serve, qpadm and registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "test_support.hpp"

namespace genomap::test {
namespace {

void expect_usage_error(const std::string& dir, const std::string& args, const std::string& message) {
  const auto r = run_genomap(args);
  EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_TRUE(list_files(dir).empty()) << args << ": no output";
}

TEST(UsageErrors, Freqdb) {
  const std::string dir = scratch_dir("usage_freqdb");
  const std::string input = " --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " +
                            data_path("hapmap3_admixture/hapmap3_populations.tsv") + " --out " + dir + "/r.freqdb";
  expect_usage_error(dir, "freqdb build" + input + " --small-pops drop",
                     "--small-pops: expected hide or merge (got 'drop')");
  expect_usage_error(dir, "freqdb build" + input + " --min-pop-size 0", "--min-pop-size must be at least 1");
}

TEST(UsageErrors, Serve) {
  const std::string dir = scratch_dir("usage_serve");
  expect_usage_error(dir, "serve --freqdb " + dir + "/absent.freqdb --token-window 0",
                     "--token-window must be at least 1 second");
  expect_usage_error(dir, "serve --freqdb " + dir + "/absent.freqdb --rate-limit -1",
                     "--rate-limit must not be negative");
}

TEST(UsageErrors, Qpadm) {
  const std::string dir = scratch_dir("usage_qpadm");
  expect_usage_error(dir, "qpadm --right A,B,C --target T --sources S1,S2 --out " + dir + "/q",
                     "qpadm: give exactly one of --f2-store, --bfile (with --pop) or --eigenstrat");
  expect_usage_error(dir,
                     "qpadm --f2-store " + dir + "/absent --right A,B,C --target T --rotate S1,S2 "
                     "--max-sources 4 --out " + dir + "/q",
                     "qpadm: --max-sources must be 1, 2 or 3");
}

TEST(UsageErrors, Registry) {
  const std::string dir = scratch_dir("usage_registry");
  expect_usage_error(dir, "registry withdraw --db " + dir + "/r.db",
                     "registry withdraw: give exactly one of --donor and --consent");
  expect_usage_error(dir, "registry trace --db " + dir + "/r.db --donor D1 --withdrawn",
                     "registry trace: give exactly one of --donor, --sample, --request and --withdrawn");
}

}  // namespace
}  // namespace genomap::test
