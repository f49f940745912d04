// Helpers shared by the tests: running the genomap binary and reference tools, scratch folders, reading
// plink-style tables, random packed genotype rows.
#pragma once
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace genomap::test {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line, capturing stdout and stderr.
CommandResult run_command(const std::string& command_line);
// Runs the genomap binary built with the tests with the given arguments.
CommandResult run_genomap(const std::string& arguments);
// True when a program is on PATH (CI installs every reference tool the golden tests run).
bool have_program(const std::string& name);
// True under CI=true or GENOMAP_REQUIRE_TOOLS=1 (scripts/test.sh sets it): then a missing reference tool, or
// a kernel the processor cannot run, fails the test instead of skipping it, so a comparison that did not run
// never passes silently.
bool tools_required();

// A fresh empty folder for one test, under the build tree: <scratch>/<name>.
std::string scratch_dir(const std::string& name);
// Path of a bundled data file: tests/data/<relative>.
std::string data_path(const std::string& relative);
// Files in a folder (names only).
std::vector<std::string> list_files(const std::string& dir);
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

// A whitespace-separated table with a header line (a leading '#' is dropped from the first column name).
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const;  // throws if absent
  double number(std::size_t row, const std::string& name) const;
  const std::string& text(std::size_t row, const std::string& name) const;
};
Table read_table(const std::string& path);
// A file of whitespace-separated numbers without a header (.Q, .P, .eigenval): one vector per non-empty line.
std::vector<std::vector<double>> read_number_rows(const std::string& path);

}  // namespace genomap::test

// A test whose reference tool is missing: skipped on a developer's machine (the reason printed), failed where
// tools are required (see tools_required). Returns from the test body either way.
#define GENOMAP_MISSING_TOOL(reason)                                                                        \
  do {                                                                                                      \
    if (::genomap::test::tools_required())                                                                  \
      GTEST_FAIL() << reason << " (reference tools are required under CI=true or GENOMAP_REQUIRE_TOOLS=1)"; \
    GTEST_SKIP() << reason;                                                                                 \
  } while (0)
