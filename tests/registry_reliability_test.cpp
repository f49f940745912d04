// Registry reliability under failure and concurrency: a SIGKILL in the middle of a large import, a reader during
// an import, and two writers at once. Each test starts the genomap binary as a child importing a large CSV and
// acts while the child holds the write transaction (its WAL file growing shows it is mid-import).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "genomap/registry/report.hpp"
#include "genomap/registry/schema.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

constexpr int kEarlierDonors = 20;
constexpr int kLargeImport = 60000;

std::string large_donor_csv(const std::string& dir) {
  std::string csv = kDonorHeader;
  csv.reserve(static_cast<std::size_t>(kLargeImport) * 60);
  for (int i = 0; i < kLargeImport; ++i)
    csv += "BIG" + std::to_string(i) + ",female,1975,Population " + std::to_string(i % 50) + ",Region,FR,45.1,4.8,\n";
  const std::string path = dir + "/large.csv";
  write_text(path, csv);
  return path;
}

pid_t start_import(const std::string& db, const std::string& csv, const std::string& out) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, STDOUT_FILENO);
    ::execl(GENOMAP_BINARY, GENOMAP_BINARY, "registry", "import", "--db", db.c_str(), "--donors", csv.c_str(),
            "--out", out.c_str(), "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Waits until the child is mid-import: its WAL file holds spilled pages of the open transaction.
bool wait_mid_import(pid_t pid, const std::string& db) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;  // finished before we could act
    if (file_size(db + "-wal") > 1024 * 1024) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

int wait_child(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(RegistryReliability, SigkillDuringImportLeavesAllOrNothing) {
  const std::string dir = scratch_dir("registry_sigkill");
  const std::string db = make_registry(dir, kEarlierDonors);
  const std::string csv = large_donor_csv(dir);
  const pid_t pid = start_import(db, csv, dir + "/big");
  ASSERT_TRUE(wait_mid_import(pid, db)) << "the import finished (or never started) before it could be killed";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  const int status = wait_child(pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(db, "PRAGMA foreign_key_check"), "");
  // Killed before COMMIT: none of the import, everything earlier.
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id LIKE 'BIG%'"), 0);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), kEarlierDonors);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM sample"), kEarlierDonors);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM consent"), kEarlierDonors);
  auto r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("4 entries"), std::string::npos) << r.output;  // no entry of the killed import
  // The registry stays writable after the crash.
  r = run_genomap("registry add donor --db " + db + " donor_id=AFTER sex=male");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), kEarlierDonors + 1);
}

TEST(RegistryReliability, ReaderWorksWhileWriterImports) {
  const std::string dir = scratch_dir("registry_reader");
  const std::string db = make_registry(dir, kEarlierDonors);
  const std::string csv = large_donor_csv(dir);
  const pid_t pid = start_import(db, csv, dir + "/big");
  ASSERT_TRUE(wait_mid_import(pid, db)) << "the import finished before the reader could run";
  // The library's read-only view and the CLI report both see the last committed state, without waiting.
  {
    auto reader = registry::open_registry(db, false, 0);
    const auto report = registry::build_report(*reader);
    EXPECT_EQ(report.donors, static_cast<std::size_t>(kEarlierDonors));
    EXPECT_EQ(report.samples, static_cast<std::size_t>(kEarlierDonors));
  }
  auto r = run_genomap("registry report --db " + db + " --busy-timeout 0 --out " + dir + "/during");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(std::to_string(kEarlierDonors) + " donors"), std::string::npos) << r.output;
  const int status = wait_child(pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), kEarlierDonors + kLargeImport);
  EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok");
}

TEST(RegistryReliability, SecondWriterFailsClearlyOrWaitsAndCorruptsNothing) {
  const std::string dir = scratch_dir("registry_two_writers");
  const std::string db = make_registry(dir, kEarlierDonors);
  const std::string csv = large_donor_csv(dir);
  const pid_t pid = start_import(db, csv, dir + "/big");
  ASSERT_TRUE(wait_mid_import(pid, db)) << "the import finished before the second writer could start";
  // A writer with a short timeout fails with a clear message and changes nothing.
  auto r = run_genomap("registry add donor --db " + db + " --busy-timeout 50 donor_id=LATE sex=male");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the registry is locked by another writer (waited 50 ms)"), std::string::npos) << r.output;
  // A writer with a long timeout waits for the import to commit, then writes.
  r = run_genomap("registry add donor --db " + db + " --busy-timeout 120000 donor_id=PATIENT sex=female");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const int status = wait_child(pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), kEarlierDonors + kLargeImport + 1);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id = 'LATE'"), 0);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id = 'PATIENT'"), 1);
  EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(db, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);
}

}  // namespace
}  // namespace genomap::test
