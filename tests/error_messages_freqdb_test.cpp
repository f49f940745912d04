// Error messages of freqdb build and serve (options, coordinates, tokens, the query log, the listening
// address, damaged releases), asserted whole (see error_cases.hpp).
#include <string>

#include "error_cases.hpp"
#include "genomap/core/error.hpp"
#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/serve/frequency_server.hpp"
#include "registry_fixtures.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kBuild = "freqdb build --bfile {B} --pop {P} --out {D}/r --quiet";
// A token table of one token (the SHA-256 of "x").
const std::pair<std::string, std::string> kTokens{
    "t", "alice 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n"};

ErrorCase serve(const std::string& name, const std::string& args, int exit_code, const std::string& message,
                std::vector<std::pair<std::string, std::string>> files = {}) {
  return ErrorCase{"serve_" + name,  "serve --freqdb {D}/r " + args,
                   exit_code,        "genomap serve: error: " + message,
                   std::move(files), {kBuild}};
}

INSTANTIATE_TEST_SUITE_P(
    Freqdb, ErrorMessages,
    ::testing::Values(
        ErrorCase{"freqdb_version", "freqdb build --bfile {B} --pop {P} --release-version ''", 2,
                  "genomap freqdb: error: a release needs a version"},
        ErrorCase{"freqdb_merged_name",
                  "freqdb build --bfile {B} --pop {P} --min-pop-size 60 --small-pops merge --merged-name CEU",
                  1, "genomap freqdb: error: the merged group's name 'CEU' is also a population's name"},
        ErrorCase{
            "freqdb_no_population", "freqdb build --bfile {B} --pop {P} --min-pop-size 500", 1,
            "genomap freqdb: error: no population has at least 500 samples (the minimum population size)"},
        ErrorCase{"freqdb_coordinates_empty",
                  "freqdb build --bfile {B} --pop {P} --pop-coords {D}/c.tsv",
                  1,
                  "genomap freqdb: error: {D}/c.tsv: empty file (expected a header naming POP, LAT and LON)",
                  {{"c.tsv", ""}}},
        serve("anonymous_window", "--anonymous-window 0", 2, "--anonymous-window must be at least 1 second"),
        serve("no_token", "--tokens {D}/t", 1, "{D}/t: no token listed", {{"t", ""}}),
        serve("query_log_needed", "--tokens {D}/t", 1,
              "the controlled tier needs a log of its queries (a registry or a query log file)", {kTokens}),
        serve("query_log_folder", "--tokens {D}/t --query-log {D}/none/q.log", 1,
              "{D}/none/q.log: cannot open the query log for appending", {kTokens}),
        serve("bind_port", "--bind 192.0.2.1 --port 8123", 1,
              "cannot listen on 192.0.2.1:8123 (in use, or not an address of this machine)"),
        serve("bind_any_port", "--bind 192.0.2.1 --port 0", 1, "cannot listen on 192.0.2.1 (any port)"),
        ErrorCase{
            "serve_not_release",
            "serve --freqdb {D}/g",
            1,
            "genomap serve: error: {D}/g: not a genomap frequency release (cannot prepare a query): file is "
            "not a database",
            {{"g", "garbage\n"}}}),
    case_name);

// A release altered after it was built: each check names the file, exit 1, nothing written.
TEST(FreqdbErrors, AlteredRelease) {
  const std::string dir = scratch_dir("freqdb_altered");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const std::string pops = data_path("hapmap3_admixture/hapmap3_populations.tsv");
  const auto build = [&](const std::string& name) {
    const std::string path = dir + "/" + name;
    const CommandResult r =
        run_genomap("freqdb build --bfile " + bfile + " --pop " + pops + " --out " + path + " --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::filesystem::remove(path + ".log");
    return path;
  };
  const auto expect = [&](const std::string& path, const std::string& sql, const std::string& options,
                          const std::string& message) {
    ASSERT_EQ(exec_sql(path, sql), "");
    const auto before = list_files(dir);
    const CommandResult r = run_genomap("serve --freqdb " + path + options + " --out " + dir + "/o");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(r.output, "genomap serve: error: " + path + ": " + message + "\n");
    EXPECT_EQ(list_files(dir).size(), before.size());
  };
  expect(build("format"), "UPDATE release SET value = 'genomap-freqdb/0' WHERE key = 'format'", "",
         "release format 'genomap-freqdb/0', expected 'genomap-freqdb/1'");
  expect(build("fact"), "UPDATE release SET value = 'many' WHERE key = 'variant_ct'", "",
         "release fact 'variant_ct' is missing or not a number");
  expect(build("population"), "DELETE FROM population", "", "the release has no population");
  expect(build("hash"), "UPDATE variant SET pos = pos + 1 WHERE variant_idx = 0", " --verify",
         "content hash does not match the release's rows (the file was altered)");
  // Counts of a row are read when a query returns the row.
  const std::string counts = build("counts");
  ASSERT_EQ(exec_sql(counts, "UPDATE variant SET counts = x'00' WHERE variant_idx = 0"), "");
  const std::string id = query_text(counts, "SELECT id FROM variant WHERE variant_idx = 0");
  const freqdb::FrequencyDatabase db(counts);
  try {
    db.find_by_id(id, 10);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "corrupt counts: 1 bytes for 3 populations");
  }
}

TEST(FreqdbErrors, ServerThreadCount) {
  // The serve front end limits --http-threads to 1..1024; a program building the server is checked too.
  const std::string dir = scratch_dir("freqdb_threads");
  const CommandResult r =
      run_genomap("freqdb build --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " +
                  data_path("hapmap3_admixture/hapmap3_populations.tsv") + " --out " + dir + "/r --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const freqdb::FrequencyDatabase db(dir + "/r");
  serve::ServerOptions options;
  options.http_threads = 0;
  try {
    serve::FrequencyServer server(db, options);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "HTTP threads must be between 1 and 1024");
  }
}

}  // namespace
}  // namespace genomap::test
