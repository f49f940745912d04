// The audit chain is the record (issue 14): each reproducer of the issue, tried as an adversary editing the
// SQLite file would, must be found by `registry audit verify` and refused before use; withdrawal is final; a
// read-only or newer registry says so; a schema-1 registry migrates with its data intact.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/consent_filter.hpp"
#include "genomap/registry/consent_status.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/schema.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

using registry::ConsentStatus;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

ConsentStatus::State state_of(const std::string& db_path, const std::string& donor) {
  auto db = registry::open_registry(db_path, false);
  return registry::consent_status(*db, donor).state;
}

std::string copy_of(const std::string& db, const std::string& name) {
  const std::string path = std::filesystem::path(db).parent_path().string() + "/" + name + ".db";
  std::filesystem::remove(path);
  std::filesystem::copy_file(db, path);
  return path;
}

// What an attacker with the sqlite3 shell and genomap's source can do: rewrite entries from `from_seq` on
// with valid hashes (dropping the triggers first and putting them back after), moving the head and the
// checkpoint.
void rehash_from(const std::string& db_path, std::int64_t from_seq) {
  auto db = std::make_unique<registry::Database>(db_path, registry::Database::Mode::ReadWrite);
  db->exec("BEGIN");
  for (const auto& [name, sql] : registry::schema_triggers(2)) db->exec("DROP TRIGGER IF EXISTS " + name);
  const auto entries = registry::read_audit(*db);
  db->exec("DELETE FROM audit_log");
  std::string prev(64, '0');
  std::int64_t seq = 0;
  for (const auto& e : entries) {
    ++seq;
    const std::string hash =
        e.seq < from_seq ? e.hash : registry::audit_entry_hash(prev, seq, e.time, e.action, e.details);
    auto st = db->prepare("INSERT INTO audit_log VALUES (?,?,?,?,?,?)");
    st.bind(1, seq).bind(2, e.time).bind(3, e.action).bind(4, e.details).bind(5, prev).bind(6, hash).run();
    prev = hash;
  }
  db->prepare("UPDATE audit_head SET seq = ?, hash = ?").bind(1, seq).bind(2, prev).run();
  db->prepare("UPDATE audit_checkpoint SET seq = ?, hash = ?").bind(1, seq).bind(2, prev).run();
  for (const auto& [name, sql] : registry::schema_triggers(2)) db->exec(sql);
  db->exec("COMMIT");
}

std::string verify(const std::string& db, const std::string& anchor = "") {
  auto r = run_genomap("registry audit verify --db " + db + (anchor.empty() ? "" : " --anchor " + anchor));
  return std::to_string(r.exit_code) + " " + r.output;
}

std::string anchor_of(const std::string& db) {
  auto r = run_genomap("registry audit anchor --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::string a = r.output;
  while (!a.empty() && (a.back() == '\n' || a.back() == ' ')) a.pop_back();
  return a;
}

// Defect 1: withdraw D1 as of 2024-06-01, then a consent dated 2022 is recorded: D1 stays withdrawn. Only a
// consent dated and recorded after the withdrawal restores use.
TEST(RegistryChain, BackdatedConsentDoesNotReviveAWithdrawnDonor) {
  const std::string dir = scratch_dir("registry_chain_backdated");
  const std::string db = make_registry(dir, 3);
  grant_role(db, "analyst", "analyst");
  auto r = run_genomap("registry withdraw --db " + db + " --donor D1 --date 2024-06-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry add consent --db " + db +
                  " consent_id=C1b donor_id=D1 codes=GRU consent_date=2022-01-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(state_of(db, "D1"), ConsentStatus::State::Withdrawn);
  // The analysis hook excludes D1's genotypes (what `freq --purpose GRU` uses).
  r = run_genomap("registry amend sample --db " + db + " sample_id=S1 genotype_iid=I1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry amend sample --db " + db + " sample_id=S2 genotype_iid=I2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  RunLog log;
  Context ctx;
  ctx.log = &log;
  const SampleTable fam(std::vector<Sample>{Sample{"F", "I1"}, Sample{"F", "I2"}});
  EXPECT_EQ(consented_samples({db, "GRU", false, "analyst"}, fam, ctx), (std::vector<std::uint32_t>{1}));

  // A consent dated after the withdrawal but recorded before it does not survive either.
  r = run_genomap("registry add consent --db " + db +
                  " consent_id=C2b donor_id=D2 codes=GRU consent_date=2024-07-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry withdraw --db " + db + " --donor D2 --date 2024-06-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(state_of(db, "D2"), ConsentStatus::State::Withdrawn);

  // Re-consent dated and recorded after the withdrawal restores use.
  r = run_genomap("registry add consent --db " + db +
                  " consent_id=C1c donor_id=D1 codes=HMB consent_date=2024-07-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  {
    auto handle = registry::open_registry(db, false);
    const auto status = registry::consent_status(*handle, "D1");
    EXPECT_EQ(status.state, ConsentStatus::State::InForce);
    EXPECT_EQ(status.consent_id, "C1c");
    EXPECT_EQ(status.codes, "HMB");
  }
  EXPECT_EQ(state_of(db, "D3"), ConsentStatus::State::InForce);
  EXPECT_TRUE(contains(verify(db), "0 audit log verified")) << verify(db);
}

// Defects 2 and 4: rows edited with sqlite3 are found by verify and refused by every write and analysis.
TEST(RegistryChain, TablesEditedOutsideGenomapAreFoundAndRefused) {
  const std::string dir = scratch_dir("registry_chain_tables");
  const std::string db = make_registry(dir, 3);
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D2").exit_code, 0);
  ASSERT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S1 genotype_iid=I1").exit_code, 0);
  ASSERT_EQ(run_genomap("registry amend consent --db " + db + " consent_id=C1 codes=HMB").exit_code, 0);
  ASSERT_TRUE(contains(verify(db), "0 audit log verified: 7 entries")) << verify(db);

  const std::string codes = copy_of(db, "codes");
  EXPECT_EQ(exec_sql(codes, "UPDATE consent SET codes = 'GRU' WHERE consent_id = 'C1'"), "");
  EXPECT_TRUE(contains(verify(codes),
                       "1 genomap registry: error: " + codes +
                           ": the registry tables differ from the "
                           "audit chain: table consent: row 'C1' differs from the audit chain in codes "
                           "(chain \"HMB\", table \"GRU\")"))
      << verify(codes);
  auto r = run_genomap("registry add donor --db " + codes + " donor_id=D9");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output,
                       "the registry is not used: the registry tables differ from the state recorded in the "
                       "last audit entry"))
      << r.output;
  RunLog log;
  Context ctx;
  ctx.log = &log;
  const SampleTable fam(std::vector<Sample>{Sample{"F", "I1"}});
  EXPECT_TRUE(contains(error_of([&] {
                         consented_samples({codes, "GRU", true, "analyst"}, fam, ctx);
                       }),
                       "the registry is not used"));
  EXPECT_EQ(query_count(codes, "SELECT count(*) FROM audit_log"), 7);  // nothing was appended to it
  // Reading commands give no answer from the edited tables either (exit 1, one line naming the file, no
  // output file); audit list still shows the chain, since it is how a broken registry is examined.
  write_text(dir + "/rules.toml", "[donor]\nmin_age_at_collection = 18\n");
  for (const std::string& read : std::vector<std::string>{
           "report", "trace --donor D1", "custody --sample S1", "export --sample S1", "request list",
           "role list", "check --rules " + dir + "/rules.toml", "audit anchor"}) {
    r = run_genomap("registry " + read + " --db " + codes + " --out " + dir + "/read");
    EXPECT_EQ(r.exit_code, 1) << read << "\n" << r.output;
    EXPECT_TRUE(
        contains(r.output, "genomap registry: error: " + codes +
                               ": the registry is not read: the registry tables differ from the state "
                               "recorded in the last audit entry"))
        << read << "\n"
        << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  for (const auto& f : list_files(dir)) EXPECT_NE(f.rfind("read.", 0), 0u) << f;
  r = run_genomap("registry audit list --db " + codes + " --out " + dir + "/list");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "7 audit entries")) << r.output;

  const std::string revived = copy_of(db, "revived");
  EXPECT_EQ(exec_sql(revived, "DELETE FROM withdrawal"), "");
  EXPECT_TRUE(contains(verify(revived), "table withdrawal: row 'W5' of the audit chain is missing (deleted)"))
      << verify(revived);
  const std::string inserted = copy_of(db, "inserted");
  EXPECT_EQ(exec_sql(inserted,
                     "INSERT INTO donor (donor_id, sex, conditions, recorded_at, actor) VALUES "
                     "('X', 'male', '', '2024-01-01', 'me')"),
            "");
  EXPECT_TRUE(contains(verify(inserted), "table donor: row 'X' is not in the audit chain"))
      << verify(inserted);
  EXPECT_TRUE(contains(verify(db), "0 audit log verified"));  // the original is intact
}

// Defect 3 (and the re-hash case of 15): each way of rewriting the log, found without an anchor where the
// chain itself shows it, and with an anchor where only a copy kept outside can.
TEST(RegistryChain, RewritingTheLogIsFound) {
  const std::string dir = scratch_dir("registry_chain_log");
  const std::string db = make_registry(dir, 3);  // entries: migrate, 3 imports
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D2").exit_code, 0);    // 5
  ASSERT_EQ(run_genomap("registry add donor --db " + db + " donor_id=D4").exit_code, 0);  // 6
  const std::string anchor = anchor_of(db);
  EXPECT_TRUE(contains(anchor, "6:")) << anchor;
  EXPECT_TRUE(contains(verify(db, anchor),
                       "0 audit log verified: 6 entries, hash chain intact, tables match the "
                       "chain, anchor 6 held"));

  // Dropped triggers.
  const std::string dropped = copy_of(db, "dropped");
  EXPECT_EQ(exec_sql(dropped, "DROP TRIGGER audit_head_follows_log"), "");
  EXPECT_TRUE(
      contains(verify(dropped), "audit log unprotected: the trigger audit_head_follows_log is missing"));

  // Entry 3 edited and only its own hash recomputed: entry 4's link shows it.
  const std::string relinked = copy_of(db, "relinked");
  {
    auto handle = std::make_unique<registry::Database>(relinked, registry::Database::Mode::ReadWrite);
    const auto e = registry::read_audit(*handle)[2];
    const std::string details = e.details.substr(0, e.details.size() - 1) + ",\"note\":\"x\"}";
    handle->exec("DROP TRIGGER audit_log_no_update");
    handle->prepare("UPDATE audit_log SET details = ?, hash = ? WHERE seq = 3")
        .bind(1, details)
        .bind(2, registry::audit_entry_hash(e.prev_hash, 3, e.time, e.action, details))
        .run();
    handle->exec(registry::schema_triggers(2)[0].second);
  }
  EXPECT_TRUE(contains(verify(relinked),
                       "audit log broken at entry 4: its link to the previous entry does not match"))
      << verify(relinked);

  // The tail deleted and the head moved back (triggers put back): the checkpoint shows it; with the
  // checkpoint reset too, only the anchor does.
  const std::string truncated = copy_of(db, "truncated");
  EXPECT_EQ(
      exec_sql(truncated,
               "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_follows_log; "
               "DELETE FROM audit_log WHERE seq = 6; DELETE FROM donor WHERE donor_id = 'D4'; "
               "UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5);" +
                   registry::schema_triggers(2)[1].second + ";" + registry::schema_triggers(2)[3].second),
      "");
  EXPECT_TRUE(contains(verify(truncated), "audit log broken at entry 6: the last verified entry is missing"))
      << verify(truncated);
  EXPECT_EQ(exec_sql(truncated,
                     "UPDATE audit_checkpoint SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = "
                     "5)"),
            "");
  EXPECT_TRUE(
      contains(verify(truncated), "0 audit log verified: 5 entries"));  // self-consistent: needs the anchor
  EXPECT_TRUE(contains(verify(truncated, anchor), "1 genomap registry: error: " + truncated +
                                                      ": the log ends at "
                                                      "entry 5, before the anchor's entry 6"))
      << verify(truncated, anchor);

  // An entry in the middle deleted and the rest re-hashed: its rows are no longer built by the chain.
  const std::string removed = copy_of(db, "removed");
  {
    auto handle = std::make_unique<registry::Database>(removed, registry::Database::Mode::ReadWrite);
    handle->exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5");
  }
  rehash_from(removed, 5);
  EXPECT_TRUE(contains(verify(removed), "table withdrawal: row 'W5' is not in the audit chain"))
      << verify(removed);
  EXPECT_TRUE(contains(verify(removed, anchor), "the log ends at entry 5, before the anchor's entry 6"));

  // The whole log wiped and the head reset: an empty log is never valid (creating a registry writes entry 1).
  const std::string wiped = copy_of(db, "wiped");
  EXPECT_EQ(exec_sql(wiped,
                     "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_follows_log; DELETE FROM "
                     "audit_log; UPDATE audit_head SET seq = 0, hash = '" +
                         std::string(64, '0') + "'; UPDATE audit_checkpoint SET seq = 0, hash = '" +
                         std::string(64, '0') + "';" + registry::schema_triggers(2)[1].second + ";" +
                         registry::schema_triggers(2)[3].second),
            "");
  EXPECT_TRUE(contains(verify(wiped), "audit log broken at entry 1: the audit log is empty"))
      << verify(wiped);
  EXPECT_TRUE(contains(verify(wiped, anchor), "the audit log is empty")) << verify(wiped, anchor);

  // A forged entry appended without moving the head; and one with the head moved but rows that do not match.
  const std::string forged = copy_of(db, "forged");
  EXPECT_EQ(exec_sql(forged,
                     "DROP TRIGGER audit_log_in_order; INSERT INTO audit_log SELECT 7, time, 'add', details, "
                     "hash, hash FROM audit_log WHERE seq = 6;" +
                         registry::schema_triggers(2)[2].second),
            "");
  EXPECT_TRUE(contains(verify(forged), "audit log broken at entry 7")) << verify(forged);

  // Times that go backwards (the entry re-hashed with the chain after it).
  const std::string backwards = copy_of(db, "backwards");
  EXPECT_EQ(exec_sql(backwards,
                     "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET time = '2001-01-01T00:00:00."
                     "000000Z' WHERE seq = 4"),
            "");
  rehash_from(backwards, 4);
  EXPECT_TRUE(contains(verify(backwards),
                       "audit log broken at entry 4: its time 2001-01-01T00:00:00.000000Z is "
                       "before the previous entry's"))
      << verify(backwards);
  EXPECT_TRUE(contains(verify(db, anchor), "0 audit log verified"));
}

// Defect 13: a read-only registry reads; writes and analyses say why they cannot run.
TEST(RegistryChain, ReadOnlyRegistryReadsAndSaysWhyItCannotWrite) {
  const std::string dir = scratch_dir("registry_chain_readonly");
  const std::string db = make_registry(dir, 2);
  ASSERT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S1 genotype_iid=I1").exit_code, 0);
  std::filesystem::permissions(db, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                       std::filesystem::perms::others_read);
  auto r = run_genomap("registry report --db " + db + " --out " + dir + "/rep");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(verify(db), "0 audit log verified: 5 entries")) << verify(db);
  r = run_genomap("registry audit list --db " + db + " --out " + dir + "/list");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry add donor --db " + db + " donor_id=D9");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "the registry file is read-only: this command writes to it")) << r.output;
  RunLog log;
  Context ctx;
  ctx.log = &log;
  const SampleTable fam(std::vector<Sample>{Sample{"F", "I1"}});
  EXPECT_TRUE(contains(error_of([&] {
                         consented_samples({db, "GRU", false, "analyst"}, fam, ctx);
                       }),
                       "an analysis with --registry records itself in the audit log"));
  std::filesystem::permissions(db, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

// Defect 14: a registry written by a newer genomap is refused for reading and writing, with the reason.
TEST(RegistryChain, NewerSchemaIsRefusedWithTheReason) {
  const std::string dir = scratch_dir("registry_chain_newer");
  const std::string db = make_registry(dir, 1);
  EXPECT_EQ(exec_sql(db, "PRAGMA user_version = " + std::to_string(registry::latest_schema_version() + 1)),
            "");
  for (const std::string& command :
       std::vector<std::string>{"report --out " + dir + "/rep", "audit verify", "add donor donor_id=D9"}) {
    auto r = run_genomap("registry " + command + " --db " + db);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_TRUE(contains(r.output,
                         "registry schema version " + std::to_string(registry::latest_schema_version() + 1) +
                             " is newer than this genomap supports (" +
                             std::to_string(registry::latest_schema_version()) + "); use a newer genomap"))
        << command << ": " << r.output;
  }
}

// A schema-1 registry (as genomap 0.1.0 wrote it) migrates with every record, its withdrawals and its chain.
TEST(RegistryChain, SchemaOneMigratesWithItsDataIntact) {
  const std::string dir = scratch_dir("registry_chain_migrate");
  const std::string db = dir + "/v1.db";
  std::filesystem::remove(db);
  {
    auto handle = registry::create_registry(db, "admin", 5000, 1);
    handle->exec("BEGIN IMMEDIATE");
    handle->exec(
        "INSERT INTO donor VALUES ('D1','female',1970,NULL,NULL,'FR',45.5,4.8,''),"
        "('D2','male',1980,NULL,NULL,NULL,NULL,NULL,'HIV')");
    handle->exec(
        "INSERT INTO sample VALUES ('S1','D1',NULL,'I1','DNA',0.25,'g','2020-01-01','Lyon','Lab','FR',"
        "'frozen',-80),('S2','D2',NULL,'I2','DNA',NULL,NULL,'2020-01-01',NULL,'Lab',NULL,NULL,NULL)");
    handle->exec(
        "INSERT INTO consent VALUES ('C1','D1','GRU','2019-01-01',NULL,NULL),"
        "('C2','D2','HMB','2019-01-01','2021-05-01','moved')");
    handle->exec("INSERT INTO custody_event VALUES ('S1#1','S1','2020-01-02','stored','Lab',NULL,NULL,NULL)");
    registry::append_audit(*handle, registry::now_utc(), "import", "{\"type\":\"donor\",\"records\":2}");
    handle->exec("COMMIT");
  }
  auto r = run_genomap("registry report --db " + db + " --out " + dir + "/old");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "registry schema version 1 is older than this genomap's (" +
                                     std::to_string(registry::latest_schema_version()) +
                                     "); run any writing"))
      << r.output;
  r = run_genomap("registry add donor --db " + db + " donor_id=D3 --actor curator");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(verify(db), "0 audit log verified: 4 entries")) << verify(db);
  EXPECT_EQ(
      query_text(
          db, "SELECT action || ' ' || json_extract(details, '$.from_schema') FROM audit_log WHERE seq = 3"),
      "migrate 1");
  EXPECT_EQ(
      query_text(db,
                 "SELECT group_concat(donor_id || ':' || sex || ':' || coalesce(latitude, ''), ' ') FROM "
                 "(SELECT * FROM donor ORDER BY donor_id)"),
      "D1:female:45.5 D2:male: D3:unknown:");
  EXPECT_EQ(
      query_text(db,
                 "SELECT amount || amount_unit || ' ' || collection_site FROM sample WHERE sample_id = 'S1'"),
      "0.25g Lyon");
  EXPECT_EQ(
      query_text(db,
                 "SELECT withdrawal_id || ' ' || consent_id || ' ' || withdrawn_date || ' ' || reason FROM "
                 "withdrawal"),
      "W-C2 C2 2021-05-01 moved");
  EXPECT_EQ(query_text(db, "SELECT actor FROM donor WHERE donor_id = 'D3'"), "curator");
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM custody_event"), 1);
  EXPECT_EQ(state_of(db, "D1"), ConsentStatus::State::InForce);
  EXPECT_EQ(state_of(db, "D2"), ConsentStatus::State::Withdrawn);
  // The migration entry is the snapshot the chain builds the tables from: an edit of a migrated row is found.
  EXPECT_EQ(exec_sql(db, "UPDATE consent SET codes = 'NRES' WHERE consent_id = 'C2'"), "");
  EXPECT_TRUE(contains(verify(db), "table consent: row 'C2' differs from the audit chain in codes"))
      << verify(db);
}

}  // namespace
}  // namespace genomap::test
