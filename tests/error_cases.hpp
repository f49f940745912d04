// The command-line error cases (error_messages*_test.cpp): each runs genomap with bad input or bad options
// and checks the exact line on stderr, the exit code (2: the command line is wrong whatever the data; 1: the
// input, or options this input cannot meet), one line only, and that no output file is left. In the
// arguments, the files and the message, {B} is the bundled HapMap 3 fileset, {P} its population table, {D}
// the case's own folder and {TODAY} today's date (UTC). The `files` are written into {D}, the `setup`
// commands (genomap arguments) run there and must succeed, and the files are written again (over what the
// set-up wrote). scripts/error_coverage.py lists the messages no test asserts yet.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace genomap::test {

struct ErrorCase {
  std::string name;
  std::string args;  // with {B}, {P} and {D}; " --out {D}/o" is added unless `no_out`
  int exit_code;
  std::string message;                                          // the whole line, placeholders substituted
  std::vector<std::pair<std::string, std::string>> files = {};  // name in {D}, text
  std::vector<std::string> setup = {};                          // genomap arguments run first, in order
  bool no_out = false;
};

void PrintTo(const ErrorCase& c, std::ostream* os);
std::string case_name(const ::testing::TestParamInfo<ErrorCase>& case_info);

class ErrorMessages : public ::testing::TestWithParam<ErrorCase> {};

}  // namespace genomap::test
