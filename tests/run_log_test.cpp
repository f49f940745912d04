// The run log's input hashes (core/run_log): the same "<bytes> xxh128:<hex>" whether hashed on a background
// thread or, for a run limited to one thread (--threads 1), on the calling thread without starting any.
#include "genomap/core/run_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "genomap/core/error.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// 64 MB (sparse): hashing it takes long enough that a thread started for it is still running when counted.
std::string write_input(const std::string& dir) {
  write_text(dir + "/input.bed", "genotypes");
  std::filesystem::resize_file(dir + "/input.bed", std::uintmax_t{64} << 20);
  return dir + "/input.bed";
}

TEST(RunLogInputs, OneThreadRunHashesOnItsOwnThreadWithTheSameDigest) {
  const std::string path = write_input(scratch_dir("run_log_one_thread"));
  const std::string expected = path + "  " + describe_file(path);
  EXPECT_NE(expected.find(" bytes xxh128:"), std::string::npos);

  RunLog single;
  single.set_background_hashing(false);
  const std::size_t before = thread_count();
  single.add_input(path);
  EXPECT_EQ(thread_count(), before) << "no thread started with background hashing off";
  ASSERT_EQ(single.inputs().size(), 1u);
  EXPECT_EQ(single.inputs()[0], expected);
  EXPECT_EQ(thread_count(), before);

  RunLog background;
  background.add_input(path);
  ASSERT_EQ(background.inputs().size(), 1u);
  EXPECT_EQ(background.inputs()[0], expected);
}

TEST(RunLogInputs, UnreadableInputIsRefusedAtOnce) {
  RunLog log;
  log.set_background_hashing(false);
  const std::string missing = scratch_dir("run_log_missing") + "/absent.bed";
  try {
    log.add_input(missing);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  EXPECT_TRUE(log.inputs().empty());
}

}  // namespace
}  // namespace genomap::test
