// Faults from outside (issue 20, docs/robustness.md): a full disk while writing, SIGINT/SIGTERM during a long
// command, a .bed truncated while it is memory-mapped, a --memory budget too small, filters that leave
// nothing. Each must end with a clear error and the right exit code, leave no temporary or partial output,
// and leave the earlier outputs of the same prefix as they were.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_support.hpp"

extern char** environ;

namespace genomap::test {
namespace {

const std::string kHapmap = data_path("hapmap3_admixture/hapmap3");

std::vector<std::string> temporary_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& f : list_files(dir))
    if (f.find(".tmp.") != std::string::npos) out.push_back(f);
  return out;
}

// A genomap process started directly (no shell), so that signals reach it and its exit status is its own.
struct Child {
  pid_t pid = -1;
  std::string stderr_path;  // one per child: the fault tests run concurrently under ctest -j
  Child(const std::vector<std::string>& arguments, std::string error_path)
      : stderr_path(std::move(error_path)) {
    std::vector<std::string> argv_text{GENOMAP_BINARY};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO,
                                     stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid, GENOMAP_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  // Waits up to `limit` for the exit; returns the wait status, or -1 when it did not end in time.
  int wait_for(std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < end) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return -1;
  }
  bool running() const { return pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0; }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

std::string child_stderr(const Child& child) { return read_text(child.stderr_path); }

// Disk full: `ulimit -f` (what CI allows without a small file system) makes a write past the limit fail with
// EFBIG (genomap ignores SIGXFSZ). The run must fail naming the output, leave no temporary file, and keep the
// outputs of an earlier run with the same prefix.
TEST(FaultDiskFull, WriteFailureLeavesEarlierOutputsAndNoTemporaryFiles) {
  const std::string dir = scratch_dir("fault_disk_full");
  auto first = run_genomap("freq --bfile " + kHapmap + " --chr 22 --out " + dir + "/x");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const std::string earlier_afreq = read_text(dir + "/x.afreq"), earlier_log = read_text(dir + "/x.log");
  // The whole .afreq is ~700 KB; 100 blocks of 1 KB let the run start but not finish writing.
  auto r = run_command("bash -c 'ulimit -f 100; exec " + std::string(GENOMAP_BINARY) +
                       " freq --quiet --bfile " + kHapmap + " --out " + dir + "/x'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("genomap freq: error: " + dir + "/x.afreq: write failed: File too large"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one line: " << r.output;
  EXPECT_TRUE(temporary_files(dir).empty());
  EXPECT_EQ(read_text(dir + "/x.afreq"), earlier_afreq);
  EXPECT_EQ(read_text(dir + "/x.log"), earlier_log);
}

// SIGINT and SIGTERM during a long fit: the process ends within a second with 130 or 143, removing the
// temporary outputs it had open (admix K=2 is written, and held until the run ends, while K=3..12 are fitted,
// some tens of seconds).
void expect_stops_cleanly(int signal, int expected_exit) {
  const std::string dir = scratch_dir("fault_signal_" + std::to_string(signal));
  Child child(
      {"admix", "--quiet", "--bfile", kHapmap, "--k", "2..12", "--threads", "2", "--out", dir + "/x"},
      dir + ".err");
  ASSERT_GT(child.pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (temporary_files(dir).empty() && child.running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_FALSE(temporary_files(dir).empty()) << "no temporary output appeared: " << child_stderr(child);
  ASSERT_TRUE(child.running());
  const auto sent = std::chrono::steady_clock::now();
  ::kill(child.pid, signal);
  const int status = child.wait_for(std::chrono::seconds(5));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  ASSERT_NE(status, -1) << "still running 5 s after the signal";
  EXPECT_LT(seconds, 1.0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), expected_exit);
  EXPECT_TRUE(temporary_files(dir).empty());
  EXPECT_TRUE(list_files(dir).empty()) << "no output of an interrupted run";
  EXPECT_NE(child_stderr(child).find("temporary outputs removed"), std::string::npos) << child_stderr(child);
}

TEST(FaultSignal, SigintStopsWithin1SecondExit130NoTemporaryFiles) { expect_stops_cleanly(SIGINT, 130); }
TEST(FaultSignal, SigtermStopsWithin1SecondExit143NoTemporaryFiles) { expect_stops_cleanly(SIGTERM, 143); }

// A .bed truncated while a command reads it through its memory mapping: the SIGBUS becomes a one-line error
// naming the file, exit 1, and no output.
TEST(FaultTruncatedWhileMapped, SigbusBecomesAClearError) {
  const std::string dir = scratch_dir("fault_sigbus");
  auto sim = run_genomap("simulate --n 1000 --m 60000 --k 2 --fst 0.05 --seed 5 --out " + dir + "/sim");
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  // Randomized PCA passes over the whole mapped .bed many times: the truncation lands during a pass.
  Child child({"pca", "--quiet", "--bfile", dir + "/sim", "--approx", "--pcs", "10", "--threads", "1",
               "--out", dir + "/x"},
              dir + ".err");
  ASSERT_GT(child.pid, 0);
  // Truncate only once the .bed is mapped (it shows in /proc/PID/maps), so the fault hits the mapping and not
  // the size check made when the file is opened.
  const std::string maps = "/proc/" + std::to_string(child.pid) + "/maps";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (child.running() && std::chrono::steady_clock::now() < deadline &&
         read_text(maps).find(dir + "/sim.bed") == std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(child.running()) << "finished before the truncation: " << child_stderr(child);
  std::filesystem::resize_file(dir + "/sim.bed", 4096);
  const int status = child.wait_for(std::chrono::seconds(60));
  ASSERT_NE(status, -1);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string err = child_stderr(child);
  EXPECT_NE(err.find("genomap: error: " + dir + "/sim.bed: the file was truncated or became unreadable"),
            std::string::npos)
      << err;
  EXPECT_TRUE(temporary_files(dir).empty());
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.eigenvec"));
}

// --memory too small for the algorithm: refused before any work, with the amount needed; and that amount is
// honest: the same command with --memory set to it runs. One case per guarded command.
struct MemoryCase {
  std::string name, arguments, what;
};

class FaultMemoryTooSmall : public ::testing::TestWithParam<MemoryCase> {};

TEST_P(FaultMemoryTooSmall, RefusedSayingHowMuchAndRunsWithThatMuch) {
  const MemoryCase& c = GetParam();
  const std::string dir = scratch_dir("fault_memory_" + c.name);
  auto r = run_genomap(c.arguments + " --memory 1 --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const std::string expected = c.what + " needs about ";
  const auto at = r.output.find(expected);
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::size_t needed = std::stoul(r.output.substr(at + expected.size()));
  EXPECT_NE(r.output.find(" MB but the memory budget is 1 MB (raise --memory)"), std::string::npos)
      << r.output;
  EXPECT_GT(needed, 1u);
  EXPECT_TRUE(list_files(dir).empty()) << "refused before writing anything";
  auto ok = run_genomap(c.arguments + " --memory " + std::to_string(needed) + " --out " + dir + "/y");
  EXPECT_EQ(ok.exit_code, 0) << "with --memory " << needed << ": " << ok.output;
}

INSTANTIATE_TEST_SUITE_P(
    EveryGuardedCommand, FaultMemoryTooSmall,
    ::testing::Values(MemoryCase{"pca_exact", "pca --bfile " + kHapmap + " --chr 1-4 --pcs 5 --exact",
                                 "exact PCA (N x N relationship matrix)"},
                      MemoryCase{"admix", "admix --bfile " + kHapmap + " --k 2 --max-iter 5",
                                 "admixture: the packed genotypes in memory"},
                      MemoryCase{"king", "king --bfile " + kHapmap, "KING kinship: one row of pair counts"},
                      MemoryCase{"unrelated", "unrelated --bfile " + kHapmap + " --king-cutoff 0.0884",
                                 "KING kinship: one row of pair counts"},
                      MemoryCase{"simulate", "simulate --n 3000 --m 2000 --k 2 --fst 0.1",
                                 "simulation buffers"}),
    [](const ::testing::TestParamInfo<MemoryCase>& param_info) { return param_info.param.name; });

// Filters that leave nothing to analyse: one line naming what emptied the data, exit 1, no output.
TEST(FaultNothingLeft, NoSamplesOrVariantsAfterFilters) {
  const std::string dir = scratch_dir("fault_nothing_left");
  write_text(dir + "/nobody.txt", "nobody nobody\n");
  write_text(dir + "/nothing.txt", "rs_not_in_the_data\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"freq --keep " + dir + "/nobody.txt", "no samples left after sample filters"},
      {"king --keep " + dir + "/nobody.txt", "no samples left after sample filters"},
      {"pca --extract " + dir + "/nothing.txt", "no variants left after variant filters"},
      {"missing --mind 0", "no samples left after --mind"},
      {"hardy --chr 26 --maf 0.45", "no variants left after --geno/--hwe/--maf"},
      {"pca --chr 23", "no variants left for PCA (X, Y and MT are left out)"},
  };
  for (const auto& [arguments, message] : cases) {
    auto r = run_genomap(arguments.substr(0, arguments.find(' ')) + " --bfile " + kHapmap +
                         arguments.substr(arguments.find(' ')) + " --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, 1) << arguments << ": " << r.output;
    EXPECT_NE(r.output.find(": error: " + message), std::string::npos) << arguments << ": " << r.output;
    EXPECT_EQ(list_files(dir).size(), 2u) << arguments << " wrote an output";
  }
}

}  // namespace
}  // namespace genomap::test
