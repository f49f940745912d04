// The audit chain is the record: every change to a record table (insert, amendment, voiding) is an audit
// entry holding the full new row in canonical form, and the tables are the state those entries build. This
// file holds the canonical rows, the state of the tables and its digest, and `RegistryWrite`, the one way a
// change is made: it takes the write lock, checks the chain before use, applies each change and appends one
// entry for all of them.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// A table whose rows are derived from the chain, and its key column.
struct RecordTable {
  const char* name;
  const char* key;
};
// donor, sample, consent, withdrawal, custody_event, export, role_grant, access_request, request_decision,
// fileset, in the order of the state digest (tables a registry of an older schema lacks are left out).
const std::vector<RecordTable>& record_tables();

// Rows of one table by key; a row is a JSON object with every column (null, integer, real or text).
using TableRows = std::map<std::string, nlohmann::json>;
using RegistryState = std::map<std::string, TableRows>;

// Every row of every record table as stored.
RegistryState read_state(Database& db);
// SHA-256 of one canonical row (its JSON text).
std::string row_hash(const nlohmann::json& row);
// The row hashes of a state, table by table and key by key.
RowHashes row_hashes(const RegistryState& state);
// The digest of the record tables: SHA-256 over each table's name and its rows' hashes in key order. A write
// updates the row hashes of the rows it changes (the check before it hashed every row once), so the digest
// is not recomputed from the tables twice.
std::string state_digest(const RowHashes& hashes);
std::string state_digest(const RegistryState& state);

// One change in an audit entry: op is "insert", "amend" (the full new row) or "void" (the row removed from
// use).
struct RecordChange {
  std::string op;
  std::string table;
  nlohmann::json row;
};
// Applies changes in order to an in-memory state (what verify replays); throws Error(message) when a change
// cannot apply (an insert of an existing key, an amendment or voiding of a missing row). "add_columns" (a
// migration) adds the columns row["columns"] as null to every row of the table.
void apply_change(RegistryState& state, const RecordChange& change);

// A write to the registry: BEGIN IMMEDIATE, then the chain is checked from the last verified entry (a broken
// chain is refused: nothing is written to it), then the actor's roles must allow the write's `kind`
// (roles.hpp; refused before anything is written). Changes are applied as they come (so later rows of an
// import see earlier ones) and `commit` appends one audit entry holding them, the actor, the kind and the
// digest of the new state.
//
// Writes of kind analysis and frequency_query change no record: their check covers the chain but not the
// tables, and their entry carries the last entry's digest forward (a table edited outside genomap is then
// still found by the next write that changes records, by every analysis's selection, and by verify).
class RegistryWrite {
 public:
  RegistryWrite(Database& db, std::string actor, std::string kind);
  ~RegistryWrite();
  RegistryWrite(const RegistryWrite&) = delete;
  RegistryWrite& operator=(const RegistryWrite&) = delete;

  Database& db() { return db_; }
  const std::string& actor() const { return actor_; }
  // When this write is recorded (UTC, ISO 8601 with microseconds); never before the previous entry.
  const std::string& recorded_at() const { return recorded_at_; }
  // The number the entry of this write will have (unique, usable in generated IDs).
  std::int64_t entry_seq() const { return seq_; }

  // Inserts a row (recorded_at and actor are filled in); returns the canonical row.
  const nlohmann::json& insert(const std::string& table, nlohmann::json row);
  // Replaces an existing row by the full new row (same key); recorded_at and actor are those of this write.
  const nlohmann::json& amend(const std::string& table, nlohmann::json row);
  // Removes a row from use; the chain keeps it and the reason.
  void void_row(const std::string& table, const std::string& key, const std::string& reason);
  // Reads one row by key (null when absent).
  nlohmann::json find(const std::string& table, const std::string& key);

  // Appends the entry (details plus actor, changes and state digest) and commits.
  void commit(const std::string& action, nlohmann::json details);

 private:
  struct TableWriter;
  TableWriter& writer(const std::string& table);
  Database& db_;
  std::string actor_, kind_, recorded_at_;
  bool records_ = true;  // whether this kind changes records
  std::int64_t seq_ = 0;
  std::string last_digest_;
  RowHashes hashes_;
  std::string prev_hash_;
  std::vector<RecordChange> changes_;
  std::map<std::string, std::unique_ptr<TableWriter>> writers_;
  bool done_ = false;
};

}  // namespace genomap::registry
