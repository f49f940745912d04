#include "genomap/registry/schema.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/chain.hpp"

namespace genomap::registry {
namespace {

// "GMRG": marks the file as a genomap registry (PRAGMA application_id).
constexpr int kApplicationId = 0x474d5247;

// Migration N takes the schema from version N-1 to N. Never edit a released migration; append a new one.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> list = {
      // 1: the records, the audit log and its head, and the triggers that make the log append-only.
      R"sql(
CREATE TABLE donor (
  donor_id TEXT PRIMARY KEY NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male','female','other','unknown')),
  birth_year INTEGER,
  population TEXT,
  region TEXT,
  country TEXT,
  latitude REAL CHECK (latitude BETWEEN -90 AND 90),
  longitude REAL CHECK (longitude BETWEEN -180 AND 180),
  conditions TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE sample (
  sample_id TEXT PRIMARY KEY NOT NULL,
  donor_id TEXT NOT NULL REFERENCES donor(donor_id),
  genotype_fid TEXT,
  genotype_iid TEXT,
  material TEXT NOT NULL,
  amount REAL CHECK (amount >= 0),
  amount_unit TEXT,
  collection_date TEXT NOT NULL,
  collection_site TEXT,
  organisation TEXT NOT NULL,
  country TEXT,
  storage_state TEXT,
  storage_temperature_c REAL
) STRICT;
CREATE INDEX sample_donor ON sample(donor_id);
CREATE INDEX sample_genotype ON sample(genotype_iid);
CREATE TABLE consent (
  consent_id TEXT PRIMARY KEY NOT NULL,
  donor_id TEXT NOT NULL REFERENCES donor(donor_id),
  codes TEXT NOT NULL,
  consent_date TEXT NOT NULL,
  withdrawn_date TEXT,
  withdrawal_reason TEXT
) STRICT;
CREATE INDEX consent_donor ON consent(donor_id, consent_date);
CREATE TABLE custody_event (
  event_id TEXT PRIMARY KEY NOT NULL,
  sample_id TEXT NOT NULL REFERENCES sample(sample_id),
  time TEXT NOT NULL,
  event TEXT NOT NULL,
  holder TEXT NOT NULL,
  place TEXT,
  to_holder TEXT,
  note TEXT
) STRICT;
CREATE INDEX custody_sample ON custody_event(sample_id, time);
CREATE TABLE export (
  export_id TEXT PRIMARY KEY NOT NULL,
  sample_id TEXT NOT NULL REFERENCES sample(sample_id),
  what TEXT NOT NULL,
  recipient_organisation TEXT NOT NULL,
  recipient_country TEXT NOT NULL,
  purpose TEXT NOT NULL,
  approval_reference TEXT,
  date TEXT NOT NULL
) STRICT;
CREATE INDEX export_sample ON export(sample_id);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY NOT NULL,
  time TEXT NOT NULL,
  action TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE VIEW effective_consent AS
  SELECT c.* FROM consent c
  WHERE c.rowid = (SELECT c2.rowid FROM consent c2 WHERE c2.donor_id = c.donor_id
                   ORDER BY c2.consent_date DESC, c2.rowid DESC LIMIT 1);
)sql",
      // 2: the chain is the record. Every record row carries when it was recorded and by whom; withdrawals
      // are
      // records of their own (never an update of the consent); the head and the order of entries are guarded;
      // the
      // checkpoint names the last entry verified before a write. Rows of version 1 get the migration's time
      // and
      // actor (set by migrate(), which also writes them all into the migration entry as the chain's
      // snapshot).
      R"sql(
DROP VIEW effective_consent;
ALTER TABLE donor ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE donor ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE sample ADD COLUMN collector TEXT;
ALTER TABLE sample ADD COLUMN site_latitude REAL CHECK (site_latitude BETWEEN -90 AND 90);
ALTER TABLE sample ADD COLUMN site_longitude REAL CHECK (site_longitude BETWEEN -180 AND 180);
ALTER TABLE sample ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE sample ADD COLUMN actor TEXT NOT NULL DEFAULT '';
CREATE TABLE withdrawal (
  withdrawal_id TEXT PRIMARY KEY NOT NULL,
  donor_id TEXT NOT NULL REFERENCES donor(donor_id),
  consent_id TEXT REFERENCES consent(consent_id),
  withdrawn_date TEXT NOT NULL,
  reason TEXT,
  recorded_at TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX withdrawal_donor ON withdrawal(donor_id);
INSERT INTO withdrawal (withdrawal_id, donor_id, consent_id, withdrawn_date, reason)
  SELECT 'W-' || consent_id, donor_id, consent_id, withdrawn_date, withdrawal_reason FROM consent
  WHERE withdrawn_date IS NOT NULL;
ALTER TABLE consent DROP COLUMN withdrawn_date;
ALTER TABLE consent DROP COLUMN withdrawal_reason;
ALTER TABLE consent ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE consent ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE custody_event ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE custody_event ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE export ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE export ADD COLUMN actor TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_checkpoint SELECT 1, seq, hash FROM audit_head;
CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log WHEN NEW.seq <> (SELECT seq + 1 FROM audit_head) OR NEW.prev_hash <> (SELECT hash FROM audit_head) BEGIN SELECT RAISE(ABORT, 'audit entries are appended after the head'); END;
CREATE TRIGGER audit_head_follows_log BEFORE UPDATE ON audit_head WHEN NEW.seq <> (SELECT max(seq) FROM audit_log) OR NEW.hash <> (SELECT hash FROM audit_log WHERE seq = NEW.seq) BEGIN SELECT RAISE(ABORT, 'the audit head names the last entry'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit head is kept'); END;
)sql",
      // 3: who may do what (roles), data-access requests and the access committee's decisions, exports and
      // shipments under a request, and registered genotype filesets. Existing export and custody rows get
      // the new columns as NULL (the migration entry says so, so the chain builds the same rows).
      R"sql(
CREATE TABLE role_grant (
  grant_id TEXT PRIMARY KEY NOT NULL,
  actor_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','collector','curator','analyst','access_committee')),
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE INDEX role_grant_actor ON role_grant(actor_name);
CREATE TABLE access_request (
  request_id TEXT PRIMARY KEY NOT NULL,
  requester TEXT NOT NULL,
  institution TEXT NOT NULL,
  institution_type TEXT NOT NULL CHECK (institution_type IN ('not-for-profit','for-profit')),
  commercial_use TEXT NOT NULL CHECK (commercial_use IN ('yes','no')),
  country TEXT NOT NULL,
  purpose TEXT NOT NULL,
  project TEXT NOT NULL,
  ethics_reference TEXT,
  collaborators TEXT,
  date TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE TABLE request_decision (
  request_id TEXT PRIMARY KEY NOT NULL REFERENCES access_request(request_id),
  decision TEXT NOT NULL CHECK (decision IN ('approved','refused')),
  conditions TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  reason TEXT,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE TABLE fileset (
  fileset_id TEXT PRIMARY KEY NOT NULL,
  prefix TEXT NOT NULL,
  bed_xxh128 TEXT NOT NULL,
  bim_xxh128 TEXT NOT NULL,
  fam_xxh128 TEXT NOT NULL,
  samples INTEGER NOT NULL,
  variants INTEGER NOT NULL,
  sample_links TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE INDEX fileset_hashes ON fileset(bed_xxh128, bim_xxh128, fam_xxh128);
ALTER TABLE export ADD COLUMN request_id TEXT REFERENCES access_request(request_id);
ALTER TABLE export ADD COLUMN custody_event_id TEXT REFERENCES custody_event(event_id);
ALTER TABLE custody_event ADD COLUMN request_id TEXT REFERENCES access_request(request_id);
)sql",
  };
  return list;
}

const std::vector<std::pair<std::string, std::string>>& triggers_v1() {
  static const std::vector<std::pair<std::string, std::string>> list = {
      {"audit_log_no_update",
       "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT "
       "RAISE(ABORT, 'the audit log is append-only'); END"},
      {"audit_log_no_delete",
       "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT "
       "RAISE(ABORT, 'the audit log is append-only'); END"}};
  return list;
}

const std::vector<std::pair<std::string, std::string>>& triggers_v2() {
  static const std::vector<std::pair<std::string, std::string>> list = [] {
    auto l = triggers_v1();
    l.push_back(
        {"audit_log_in_order",
         "CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log WHEN NEW.seq <> (SELECT seq + 1 FROM "
         "audit_head) OR NEW.prev_hash <> (SELECT hash FROM audit_head) BEGIN SELECT RAISE(ABORT, 'audit "
         "entries are appended after the head'); END"});
    l.push_back(
        {"audit_head_follows_log",
         "CREATE TRIGGER audit_head_follows_log BEFORE UPDATE ON audit_head WHEN NEW.seq <> (SELECT max(seq) "
         "FROM audit_log) OR NEW.hash <> (SELECT hash FROM audit_log WHERE seq = NEW.seq) BEGIN SELECT "
         "RAISE(ABORT, 'the audit head names the last entry'); END"});
    l.push_back({"audit_head_no_delete",
                 "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN "
                 "SELECT RAISE(ABORT, 'the audit head is kept'); END"});
    return l;
  }();
  return list;
}

int user_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.integer(0));
}

[[noreturn]] void newer_schema(Database& db, int version) {
  throw Error(db.path(), 0,
              fmt::format("registry schema version {} is newer than this genomap supports ({}); use a "
                          "newer genomap (nothing was read or written)",
                          version, latest_schema_version()));
}

// The actor of a registry's first entry (who created it), or `fallback` when it names none (schema 1).
std::string creator_of(Database& db, const std::string& fallback) {
  auto st = db.prepare("SELECT details FROM audit_log WHERE seq = 1");
  if (!st.step()) return fallback;
  const auto details = nlohmann::json::parse(st.text(0), nullptr, false);
  if (details.is_object() && details.contains("actor") && details["actor"].is_string() &&
      !details["actor"].get<std::string>().empty())
    return details["actor"].get<std::string>();
  return fallback;
}

// Applies migrations up to `to`. Before changing anything the chain is verified (a broken chain is not
// migrated); the migration entry holds every row of the record tables, the snapshot from which the chain
// builds the tables.
void migrate(Database& db, int to, const std::string& actor) {
  if (user_version(db) == to) return;  // the common case takes no write lock
  WriteTransaction tx(db);
  const int from = user_version(db);
  if (from > latest_schema_version()) newer_schema(db, from);
  if (from >= to) return;
  if (from > 0) {
    const AuditVerification v = verify_audit(db);
    if (!v.ok) throw Error(db.path(), 0, fmt::format("the registry is not migrated: {}", v.message()));
  }
  const std::string first_admin = from == 2 ? creator_of(db, actor) : actor;
  for (int v = from; v < to; ++v) db.exec(migrations()[static_cast<std::size_t>(v)]);
  db.exec(fmt::format("PRAGMA user_version = {}", to));
  const std::string time = now_utc();
  nlohmann::json details = {{"from_schema", from}, {"to_schema", to}};
  if (to >= 2) {
    nlohmann::json changes = nlohmann::json::array();
    if (from < 2) {
      // Rows of version 1 get the migration's time and actor, and the entry holds them all: the snapshot
      // from which the chain builds the tables.
      for (const auto& t : record_tables()) {
        if (std::string(t.name) == "role_grant") break;  // tables of version 3 on are empty here
        auto st = db.prepare(
            fmt::format("UPDATE {} SET recorded_at = ?, actor = ? WHERE recorded_at = ''", t.name));
        st.bind(1, time).bind(2, actor).run();
      }
      RegistryState state = read_state(db);
      for (const auto& t : record_tables())
        for (const auto& [key, row] : state[t.name])
          changes.push_back({{"op", "insert"}, {"table", t.name}, {"row", row}});
      details["snapshot"] = true;
    } else if (to >= 3) {
      changes.push_back({{"op", "add_columns"},
                         {"table", "export"},
                         {"row", {{"columns", {"request_id", "custody_event_id"}}}}});
      changes.push_back(
          {{"op", "add_columns"}, {"table", "custody_event"}, {"row", {{"columns", {"request_id"}}}}});
    }
    if (to >= 3) {
      // The bootstrap rule: the registry's creator (the actor of its first entry) is its first admin.
      const nlohmann::json grant = {{"grant_id", "admin:" + first_admin}, {"actor_name", first_admin},
                                    {"role", "admin"},                    {"recorded_at", time},
                                    {"actor", actor}};
      auto st = db.prepare(
          "INSERT INTO role_grant (grant_id, actor_name, role, recorded_at, actor) VALUES (?,?,?,?,?)");
      st.bind(1, "admin:" + first_admin).bind(2, first_admin).bind(3, "admin").bind(4, time).bind(5, actor);
      st.run();
      changes.push_back({{"op", "insert"}, {"table", "role_grant"}, {"row", grant}});
    }
    details["actor"] = actor;
    details["kind"] = "migrate";
    details["changes"] = std::move(changes);
    details["state"] = state_digest(read_state(db));
  }
  const AuditEntry e = append_audit(db, time, "migrate",
                                    details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (to >= 2) {
    auto cp = db.prepare("UPDATE audit_checkpoint SET seq = ?, hash = ? WHERE id = 1");
    cp.bind(1, e.seq).bind(2, e.hash).run();
  }
  tx.commit();
}

void check_is_registry(Database& db) {
  auto st = db.prepare("PRAGMA application_id");
  st.step();
  if (st.integer(0) != kApplicationId) throw Error(db.path(), 0, "not a genomap registry database");
}

}  // namespace

int latest_schema_version() { return static_cast<int>(migrations().size()); }

const std::vector<std::pair<std::string, std::string>>& schema_triggers(int version) {
  static const std::vector<std::pair<std::string, std::string>> none;
  if (version <= 0) return none;
  return version == 1 ? triggers_v1() : triggers_v2();  // version 3 adds no trigger
}

std::unique_ptr<Database> create_registry(const std::string& path, const std::string& actor,
                                          int busy_timeout_ms, int schema_version) {
  if (std::filesystem::exists(path)) throw Error(path, 0, "already exists; the registry is not overwritten");
  auto db = std::make_unique<Database>(path, Database::Mode::Create, busy_timeout_ms);
  {
    auto mode = db->prepare("PRAGMA journal_mode = WAL");
    mode.step();
    if (mode.text(0) != "wal") throw Error(path, 0, "cannot switch the database to WAL mode");
  }
  db->exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  migrate(*db, schema_version > 0 ? schema_version : latest_schema_version(), actor);
  return db;
}

std::unique_ptr<Database> open_registry(const std::string& path, bool writable, int busy_timeout_ms,
                                        const std::string& actor) {
  if (!std::filesystem::exists(path))
    throw Error(path, 0, "no such registry database (create it with `genomap registry init`)");
  // A file without write permission bits is read-only even for root (who passes access()): its owner made it
  // so.
  if (writable && (::access(path.c_str(), W_OK) != 0 ||
                   (std::filesystem::status(path).permissions() &
                    (std::filesystem::perms::owner_write | std::filesystem::perms::group_write |
                     std::filesystem::perms::others_write)) == std::filesystem::perms::none))
    throw Error(path, 0,
                "the registry file is read-only: this command writes to it (and an analysis with --registry "
                "records itself in the audit log), so it needs write access");
  auto db = std::make_unique<Database>(path, writable ? Database::Mode::ReadWrite : Database::Mode::ReadOnly,
                                       busy_timeout_ms);
  check_is_registry(*db);
  const int version = user_version(*db);
  if (version > latest_schema_version()) newer_schema(*db, version);
  if (writable) {
    // Full sync on commit: a committed write survives power loss, not only a killed process.
    db->exec("PRAGMA synchronous = FULL");
    migrate(*db, latest_schema_version(), actor);
  } else if (version < latest_schema_version()) {
    throw Error(path, 0,
                fmt::format("registry schema version {} is older than this genomap's ({}); run any writing "
                            "`genomap registry` command to migrate it",
                            version, latest_schema_version()));
  }
  return db;
}

}  // namespace genomap::registry
