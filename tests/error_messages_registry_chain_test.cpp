// Error messages of the audit chain's replay and of registries whose chain is broken, asserted whole: entries
// appended with genomap's own functions (hash, head and checkpoint consistent, as an attacker with write
// access could), each with changes the replay must refuse; and the signed-anchor key files.
#include <functional>
#include <string>

#include "genomap/core/error.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/registry/values.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

using nlohmann::json;

// A registry with donor D1 (made by the test's user, its admin).
std::string registry_with_donor(const std::string& dir) {
  const std::string db = dir + "/r.db";
  EXPECT_EQ(run_genomap("registry init --db " + db + " --out " + dir + "/s").exit_code, 0);
  EXPECT_EQ(
      run_genomap("registry add donor --db " + db + " donor_id=D1 sex=male --out " + dir + "/s").exit_code,
      0);
  return db;
}

// Appends an entry with these details (the actor, and a kind unless `kind` is empty, added) at `time`;
// the tables and the state digest are left as they are unless `sql` changes the tables first.
void append_entry(const std::string& db_path, json changes, const std::string& kind, const std::string& time,
                  const std::string& sql = "") {
  auto db = std::make_unique<registry::Database>(db_path, registry::Database::Mode::ReadWrite);
  db->exec("BEGIN IMMEDIATE");
  if (!sql.empty()) db->exec(sql);
  const std::string actor = registry::default_actor();
  json details = {{"type", "donor"}, {"actor", actor}, {"changes", std::move(changes)}};
  if (!kind.empty()) details["kind"] = kind;
  details["state"] = registry::state_digest(registry::read_state(*db));
  const auto e = registry::append_audit(*db, time, "add", details.dump());
  db->prepare("UPDATE audit_checkpoint SET seq = ?, hash = ?").bind(1, e.seq).bind(2, e.hash).run();
  db->exec("COMMIT");
}

// A donor row as an entry at `time` by the test's user records it.
json donor_row(const std::string& id, const std::string& time) {
  return {{"donor_id", id},
          {"sex", "male"},
          {"birth_year", nullptr},
          {"population", nullptr},
          {"region", nullptr},
          {"country", nullptr},
          {"latitude", nullptr},
          {"longitude", nullptr},
          {"conditions", ""},
          {"recorded_at", time},
          {"actor", registry::default_actor()}};
}

struct ReplayCase {
  std::string name;
  json changes;  // with "{TIME}" rows filled in below
  std::string kind;
  std::string message;  // after "audit log broken at entry 3: "
};

// The changes of each case, for an entry at `time`.
std::vector<ReplayCase> replay_cases(const std::string& time) {
  const auto change = [&](const std::string& op, const std::string& table, const json& row) {
    return json::array({{{"op", op}, {"table", table}, {"row", row}}});
  };
  json keyless = donor_row("D2", time);
  keyless.erase("donor_id");
  json moved = donor_row("D2", time);
  moved["recorded_at"] = "2001-01-01T00:00:00Z";
  return {
      {"no_kind", change("insert", "donor", donor_row("D2", time)), "",
       "its changes do not apply: the entry does not name its kind of write"},
      {"unknown_kind", change("insert", "donor", donor_row("D2", time)), "teleport",
       "its changes do not apply: unknown kind of registry write 'teleport'"},
      {"table", change("insert", "spaceship", donor_row("D2", time)), "donor",
       "its changes do not apply: 'spaceship' is not a record table"},
      {"key", change("insert", "donor", keyless), "donor",
       "its changes do not apply: a donor row without its key donor_id"},
      {"twice", change("insert", "donor", donor_row("D1", time)), "donor",
       "its changes do not apply: donor 'D1' is inserted twice"},
      {"amend", change("amend", "donor", donor_row("D9", time)), "donor",
       "its changes do not apply: donor 'D9' is amended but does not exist"},
      {"void", change("void", "donor", donor_row("D9", time)), "donor",
       "its changes do not apply: donor 'D9' is voided but does not exist"},
      {"op", change("rename", "donor", donor_row("D1", time)), "donor",
       "its changes do not apply: unknown change 'rename'"},
      {"moved", change("insert", "donor", moved), "donor",
       "its changes do not apply: a \"donor\" row's recorded_at or actor differs from the entry's"},
  };
}

TEST(RegistryChainErrors, ReplayRefusesImpossibleChanges) {
  for (std::size_t i = 0; i < replay_cases("").size(); ++i) {
    const std::string dir = scratch_dir("registry_replay_" + std::to_string(i));
    const std::string db = registry_with_donor(dir);
    const std::string time = registry::now_utc();
    const ReplayCase c = replay_cases(time)[i];
    append_entry(db, c.changes, c.kind, time);
    const auto r = run_genomap("registry audit verify --db " + db + " --out " + dir + "/v");
    EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.output;
    EXPECT_EQ(r.output,
              "genomap registry: error: " + db + ": audit log broken at entry 3: " + c.message + "\n")
        << c.name;
  }
}

// A record changed outside genomap: reads and analyses under the registry's consent are refused, nothing
// written.
TEST(RegistryChainErrors, TamperedTablesAreNotReadOrUsed) {
  const std::string dir = scratch_dir("registry_tampered");
  const std::string db = registry_with_donor(dir);
  ASSERT_EQ(exec_sql(db, "UPDATE donor SET sex = 'female' WHERE donor_id = 'D1'"), "");
  const std::string broken =
      "the registry tables differ from the state recorded in the last audit entry (a record was changed "
      "outside "
      "genomap)";
  auto r = run_genomap("registry report --db " + db + " --out " + dir + "/report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output, "genomap registry: error: " + db + ": the registry is not read: " + broken +
                          "; its records are not vouched for by the audit chain (see `genomap registry audit "
                          "verify`)\n");
  r = run_genomap("freq --bfile " + data_path("hapmap3_admixture/hapmap3") + " --registry " + db +
                  " --purpose GRU --out " + dir + "/freq");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output, "genomap freq: error: " + db + ": the registry is not used: " + broken +
                          "; nothing is written to it and no analysis uses it (see `genomap registry audit "
                          "verify`)\n");
  for (const auto& name : list_files(dir))
    EXPECT_TRUE(name == "r.db" || name == "r.db-wal" || name == "r.db-shm" || name == "s.log") << name;
}

// An entry dated in the future (a clock set wrong when it was written, or a forged date): later writes are
// refused until the clock passes it.
// A registry of an older schema whose chain is broken is not migrated (the migration would vouch for it).
TEST(RegistryChainErrors, BrokenChainIsNotMigrated) {
  const std::string dir = scratch_dir("registry_not_migrated");
  const std::string db = registry_with_donor(dir);
  ASSERT_EQ(exec_sql(db, "UPDATE donor SET sex = 'female' WHERE donor_id = 'D1'; PRAGMA user_version = 2"),
            "");
  const auto r = run_genomap("registry add donor --db " + db + " donor_id=D2 sex=male --out " + dir + "/s");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output,
            "genomap registry: error: " + db +
                ": the registry is not migrated: the registry tables differ from the audit chain: table "
                "donor: row 'D1' differs from the audit chain in sex (chain \"male\", table \"female\")\n");
  EXPECT_EQ(query_text(db, "PRAGMA user_version"), "2");
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), 1);
}

TEST(RegistryChainErrors, ClockBeforeTheLastEntry) {
  const std::string dir = scratch_dir("registry_clock");
  const std::string db = registry_with_donor(dir);
  const std::string future = "2999-01-01T00:00:00Z";
  append_entry(
      db, json::array({{{"op", "insert"}, {"table", "donor"}, {"row", donor_row("D2", future)}}}), "donor",
      future,
      "INSERT INTO donor (donor_id, sex, conditions, recorded_at, actor) VALUES ('D2', 'male', '', '" +
          future + "', '" + registry::default_actor() + "')");
  ASSERT_EQ(run_genomap("registry audit verify --db " + db + " --out " + dir + "/v").exit_code, 0);
  const auto r = run_genomap("registry add donor --db " + db + " donor_id=D3 sex=female --out " + dir + "/s");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const std::string prefix = "genomap registry: error: " + db + ": the clock reads ";
  EXPECT_EQ(r.output.rfind(prefix, 0), 0u) << r.output;
  EXPECT_NE(r.output.find(", before the last audit entry (" + future + "); times in the audit "),
            std::string::npos)
      << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id = 'D3'"), 0);
}

TEST(RegistryChainErrors, AuditHeadMissing) {
  const std::string dir = scratch_dir("registry_head");
  const std::string db = registry_with_donor(dir);
  // The trigger that keeps the head is dropped and made again around the deletion.
  ASSERT_EQ(
      exec_sql(
          db,
          "DROP TRIGGER audit_head_no_delete; DELETE FROM audit_head; CREATE TRIGGER audit_head_no_delete "
          "BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit head is kept'); END"),
      "");
  const auto r = run_genomap("registry audit verify --db " + db + " --out " + dir + "/v");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output, "genomap registry: error: " + db +
                          ": audit log broken at entry 3: the audit log head is missing\n");
}

// The signed anchor's signature and the public key file.
TEST(RegistryChainErrors, SignedAnchorKeyFiles) {
  const std::string dir = scratch_dir("registry_anchor_keys");
  const std::string db = registry_with_donor(dir);
  auto r = run_genomap("registry audit anchor --db " + db + " --out " + dir + "/a");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string anchor = r.output.substr(0, r.output.find('\n'));
  const std::string signature(128, '0');
  write_text(dir + "/bad.pub", "zz\n");
  const struct {
    std::string anchor, key, message;
  } cases[] = {
      {anchor + ":ed25519:00", dir + "/bad.pub", "the anchor's signature is not 64 hexadecimal bytes"},
      {anchor + ":ed25519:" + signature, dir + "/none.pub", dir + "/none.pub: cannot open the key file"},
      {anchor + ":ed25519:" + signature, dir + "/bad.pub",
       dir + "/bad.pub: the public key is not 32 hexadecimal bytes"},
  };
  for (const auto& c : cases) {
    r = run_genomap("registry audit verify --db " + db + " --anchor " + c.anchor + " --pubkey " + c.key +
                    " --out " + dir + "/v");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(r.output, "genomap registry: error: " + c.message + "\n");
  }
}

// A second writer while another holds the write lock: one line naming the registry, nothing written.
TEST(RegistryChainErrors, LockedByAnotherWriter) {
  const std::string dir = scratch_dir("registry_locked");
  const std::string db = registry_with_donor(dir);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto r = run_genomap("registry add donor --db " + db +
                             " --busy-timeout 50 donor_id=D2 sex=male --out " + dir + "/late");
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output,
            "genomap registry: error: " + db +
                ": SQL failed: the registry is locked by another writer (waited 50 ms); try again when it "
                "has finished\n");
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), 1);
}

TEST(RegistryChainErrors, VoidWithoutReasonThroughTheLibrary) {
  // The registry void front end requires --reason; a program calling void_record is checked too.
  const std::string dir = scratch_dir("registry_void_library");
  const std::string db = registry_with_donor(dir);
  auto handle = registry::open_registry(db, true);
  try {
    registry::void_record(*handle, registry::RecordType::Donor, "D1", " ", registry::default_actor());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "registry void: --reason is required (the chain keeps why a record was voided)");
  }
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), 1);
}

TEST(RegistryChainErrors, WritesThroughTheLibrary) {
  // Every command names an actor (the OS user by default), writes records only under a kind that changes them
  // and knows the tables' columns; a program using RegistryWrite directly is checked, and nothing is written.
  const std::string dir = scratch_dir("registry_write_library");
  const std::string db = registry_with_donor(dir);
  auto handle = registry::open_registry(db, true);
  const auto expect = [](const std::function<void()>& call, const std::string& message) {
    try {
      call();
      ADD_FAILURE() << "no error; expected: " << message;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  expect([&] { registry::RegistryWrite write(*handle, "", "donor"); }, "a registry write needs an actor");
  expect(
      [&] {
        // An analysis records itself in the audit log, not in the record tables.
        registry::RegistryWrite write(*handle, registry::default_actor(), "analysis");
        write.insert("donor", {{"donor_id", "D2"}, {"sex", "male"}});
      },
      "a write of kind analysis changes no record");
  expect(
      [&] {
        registry::RegistryWrite write(*handle, registry::default_actor(), "donor");
        write.insert("donor", {{"donor_id", "D2"}, {"sex", "male"}, {"shoe_size", 44}});
      },
      "donor has no column shoe_size");
  handle.reset();
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor"), 1);
  EXPECT_EQ(run_genomap("registry audit verify --db " + db + " --out " + dir + "/v").exit_code, 0);
}

}  // namespace
}  // namespace genomap::test
