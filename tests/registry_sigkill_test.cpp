// SIGKILL inside each kind of registry write. The writing process is started with
// GENOMAP_TEST_PAUSE_BEFORE_COMMIT=MARKER (src/genomap/registry/chain.cpp): it creates MARKER once its rows
// and its audit entry are written inside the transaction and waits there; the test kills it at that moment,
// the worst one. Afterwards the registry must be exactly as before (tables, audit chain, head), verify must
// pass, and the same command run again must succeed and be verified, so a crash never leaves a half-written
// record or a broken chain.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

struct WriteKind {
  std::string name;    // also the scratch folder
  std::string setup;   // genomap argument lines run before the write, one per line ("" for none)
  std::string write;   // the write killed in its transaction, then repeated
  bool needs_fileset;  // the analysis case: the simulated genotypes registered as a fileset
};

// Prints the case name instead of gtest's byte dump of the struct.
void PrintTo(const WriteKind& k, std::ostream* os) { *os << k.name; }

// Four donors D1..D4, samples S1..S4 genotyped as the four simulated samples, GRU consent, and an approved
// data-access request R1 for GRU, all written through the command line.
std::string base_registry(const std::string& dir, bool fileset) {
  auto r = run_genomap("simulate --n 4 --m 60 --k 2 --seed 3 --out " + dir + "/sim --quiet");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string db = make_registry(dir, 4);
  std::istringstream fam(read_text(dir + "/sim.fam"));
  std::string line;
  for (int i = 1; std::getline(fam, line); ++i) {
    std::istringstream f(line);
    std::string fid, iid;
    f >> fid >> iid;
    r = run_genomap("registry amend sample --db " + db + " sample_id=S" + std::to_string(i) +
                    " genotype_fid=" + fid + " genotype_iid=" + iid);
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  approved_request(db, "R1", "GRU");
  if (fileset) {
    r = run_genomap("registry fileset add --db " + db + " --bfile " + dir + "/sim --out " + dir + "/fileset");
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  return db;
}

std::string substitute(std::string text, const std::string& dir, const std::string& db) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"DB", db}, {"DIR", dir}}) {
    for (std::size_t at = text.find("{" + key + "}"); at != std::string::npos;
         at = text.find("{" + key + "}", at))
      text.replace(at, key.size() + 2, value);
  }
  return text;
}

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Starts genomap with `arguments` (split on spaces) and the pause hook; returns its pid.
pid_t start_paused(const std::string& arguments, const std::string& marker, const std::string& err) {
  const std::vector<std::string> words = split_words(arguments);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
    ::setenv("GENOMAP_TEST_PAUSE_BEFORE_COMMIT", marker.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(GENOMAP_BINARY));
    for (const auto& w : words) argv.push_back(const_cast<char*>(w.c_str()));
    argv.push_back(nullptr);
    ::execv(GENOMAP_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for the marker the paused writer creates; false when the child ended first or it took too long.
bool wait_for_marker(pid_t pid, const std::string& marker) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(marker)) return true;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Everything a reader of the registry sees: the record tables' digest, the number of audit entries and the
// head.
std::string registry_state(const std::string& db_path) {
  registry::Database db(db_path, registry::Database::Mode::ReadOnly);
  return registry::state_digest(registry::read_state(db)) +
         " entries=" + query_text(db_path, "SELECT count(*) FROM audit_log") +
         " head=" + query_text(db_path, "SELECT seq || ':' || hash FROM audit_head");
}

class RegistrySigkill : public ::testing::TestWithParam<WriteKind> {};

TEST_P(RegistrySigkill, KilledInsideTheTransactionLeavesTheRegistryAsItWas) {
  const WriteKind& kind = GetParam();
  const std::string dir = scratch_dir("registry_sigkill_" + kind.name);
  const std::string db = base_registry(dir, kind.needs_fileset);
  std::istringstream setup(kind.setup);
  for (std::string line; std::getline(setup, line);) {
    if (line.empty()) continue;
    auto r = run_genomap(substitute(line, dir, db));
    ASSERT_EQ(r.exit_code, 0) << line << "\n" << r.output;
  }
  const std::string before = registry_state(db);
  const std::string write = substitute(kind.write, dir, db);

  const std::string marker = dir + "/paused";
  const pid_t pid = start_paused(write, marker, dir + "/killed.err");
  ASSERT_TRUE(wait_for_marker(pid, marker))
      << "the write never reached its commit: " << read_text(dir + "/killed.err");
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  // Nothing of the killed write: same tables, same chain, same head; the file is sound and verifies.
  EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(db, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(registry_state(db), before);
  auto r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;

  // The same write now succeeds, changes the registry and still verifies.
  r = run_genomap(write);
  ASSERT_EQ(r.exit_code, 0) << write << "\n" << r.output;
  EXPECT_NE(registry_state(db), before);
  r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// Every kind of write the registry has (the bulk import has its own test in registry_reliability_test.cpp).
INSTANTIATE_TEST_SUITE_P(
    EachKindOfWrite, RegistrySigkill,
    ::testing::Values(
        WriteKind{"add_donor", "", "registry add donor --db {DB} donor_id=NEW sex=male", false},
        WriteKind{
            "add_consent", "",
            "registry add consent --db {DB} consent_id=C9 donor_id=D1 codes=HMB consent_date=2021-01-01",
            false},
        WriteKind{"custody", "",
                  "registry custody --db {DB} --sample S1 --event transferred --holder LabA --to LabB --time "
                  "2021-01-01",
                  false},
        WriteKind{"export", "",
                  "registry export --db {DB} --sample S2 --what genotypes --request R1 --date 2021-01-01",
                  false},
        WriteKind{"amend", "", "registry amend sample --db {DB} sample_id=S3 storage_state=thawed", false},
        WriteKind{"void",
                  "registry custody --db {DB} --sample S1 --event transferred --holder LabA --to LabB "
                  "--time 2021-01-01 --event-id EV1",
                  "registry void --db {DB} custody EV1 --reason duplicate", false},
        WriteKind{"withdraw", "", "registry withdraw --db {DB} --donor D4 --date 2024-06-01", false},
        WriteKind{"request_add", "",
                  "registry request add --db {DB} request_id=R2 requester=Ann institution=InstA "
                  "institution_type=not-for-profit commercial_use=no country=FR purpose=HMB project=P2 "
                  "date=2021-01-01",
                  false},
        WriteKind{"request_decision",
                  "registry request add --db {DB} request_id=R2 requester=Ann institution=InstA "
                  "institution_type=not-for-profit commercial_use=no country=FR purpose=HMB project=P2 "
                  "date=2021-01-01",
                  "registry request refuse --db {DB} --request R2 --date 2021-02-01 --reason out-of-scope",
                  false},
        WriteKind{"role_grant", "", "registry role grant --db {DB} --to carol --role curator", false},
        WriteKind{"fileset", "", "registry fileset add --db {DB} --bfile {DIR}/sim --out {DIR}/fs", false},
        WriteKind{"analysis", "",
                  "freq --bfile {DIR}/sim --registry {DB} --purpose GRU --out {DIR}/freq --quiet", true}),
    [](const ::testing::TestParamInfo<WriteKind>& case_info) { return case_info.param.name; });

}  // namespace
}  // namespace genomap::test
