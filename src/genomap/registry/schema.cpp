#include "genomap/registry/schema.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <vector>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"

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
  };
  return list;
}

int user_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.integer(0));
}

void migrate(Database& db) {
  const int to = latest_schema_version();
  if (user_version(db) == to) return;  // the common case takes no write lock
  WriteTransaction tx(db);
  const int from = user_version(db);
  if (from > to)
    throw Error(db.path(), 0, fmt::format("registry schema version {} is newer than this genomap supports ({})", from, to));
  if (from == to) return;
  for (int v = from; v < to; ++v) db.exec(migrations()[static_cast<std::size_t>(v)]);
  db.exec(fmt::format("PRAGMA user_version = {}", to));
  append_audit(db, "migrate", fmt::format("{{\"from_schema\":{},\"to_schema\":{}}}", from, to));
  tx.commit();
}

void check_is_registry(Database& db) {
  auto st = db.prepare("PRAGMA application_id");
  st.step();
  if (st.integer(0) != kApplicationId) throw Error(db.path(), 0, "not a genomap registry database");
}

}  // namespace

int latest_schema_version() { return static_cast<int>(migrations().size()); }

std::unique_ptr<Database> create_registry(const std::string& path, int busy_timeout_ms) {
  if (std::filesystem::exists(path)) throw Error(path, 0, "already exists; the registry is not overwritten");
  auto db = std::make_unique<Database>(path, Database::Mode::Create, busy_timeout_ms);
  {
    auto mode = db->prepare("PRAGMA journal_mode = WAL");
    mode.step();
    if (mode.text(0) != "wal") throw Error(path, 0, "cannot switch the database to WAL mode");
  }
  db->exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  migrate(*db);
  return db;
}

std::unique_ptr<Database> open_registry(const std::string& path, bool writable, int busy_timeout_ms) {
  if (!std::filesystem::exists(path))
    throw Error(path, 0, "no such registry database (create it with `genomap registry init`)");
  auto db = std::make_unique<Database>(path, writable ? Database::Mode::ReadWrite : Database::Mode::ReadOnly,
                                       busy_timeout_ms);
  check_is_registry(*db);
  // Full sync on commit: a committed import survives power loss, not only a killed process.
  db->exec("PRAGMA synchronous = FULL");
  if (writable) migrate(*db);
  else if (user_version(*db) != latest_schema_version())
    throw Error(path, 0, "registry schema is out of date; run any writing `genomap registry` command to migrate it");
  return db;
}

}  // namespace genomap::registry
