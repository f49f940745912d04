#include "genomap/registry/chain.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/roles.hpp"

namespace genomap::registry {
namespace {

// Test hook (tests/registry_sigkill_test.cpp): with GENOMAP_TEST_PAUSE_BEFORE_COMMIT=FILE, a write creates
// FILE once everything but COMMIT is done and waits there, so a test can kill the process inside the
// transaction.
void test_pause(const char* marker) {
  if (FILE* f = std::fopen(marker, "w")) std::fclose(f);
  std::this_thread::sleep_for(std::chrono::seconds(60));
}

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json column_value(const Statement& st, int column) {
  switch (st.column_type(column)) {
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_INTEGER:
      return st.integer(column);
    case SQLITE_FLOAT:
      return st.real(column);
    default:
      return st.text(column);
  }
}

const RecordTable& table_of(const std::string& name) {
  for (const auto& t : record_tables())
    if (name == t.name) return t;
  throw Error(fmt::format("'{}' is not a record table", name));
}

std::string key_of(const RecordTable& table, const json& row) {
  const auto it = row.find(table.key);
  if (it == row.end() || !it->is_string())
    throw Error(fmt::format("a {} row without its key {}", table.name, table.key));
  return it->get<std::string>();
}

}  // namespace

const std::vector<RecordTable>& record_tables() {
  static const std::vector<RecordTable> tables = {
      {"donor", "donor_id"},           {"sample", "sample_id"},       {"consent", "consent_id"},
      {"withdrawal", "withdrawal_id"}, {"custody_event", "event_id"}, {"export", "export_id"},
      {"role_grant", "grant_id"},      {"access_request", "request_id"}, {"request_decision", "request_id"},
      {"fileset", "fileset_id"}};
  return tables;
}

RegistryState read_state(Database& db) {
  RegistryState state;
  for (const auto& t : record_tables()) {
    auto exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    exists.bind(1, t.name);
    if (!exists.step()) continue;  // an older schema
    TableRows& rows = state[t.name];
    auto st = db.prepare(fmt::format("SELECT * FROM {}", t.name));
    while (st.step()) {
      json row = json::object();
      for (int c = 0; c < st.column_count(); ++c) row[st.column_name(c)] = column_value(st, c);
      rows.emplace(key_of(t, row), std::move(row));
    }
  }
  return state;
}

std::string row_hash(const json& row) { return sha256_hex(dump(row)); }

RowHashes row_hashes(const RegistryState& state) {
  RowHashes hashes;
  for (const auto& [table, rows] : state) {
    auto& h = hashes[table];
    for (const auto& [key, row] : rows) h.emplace(key, row_hash(row));
  }
  return hashes;
}

std::string state_digest(const RowHashes& hashes) {
  std::string text;
  for (const auto& t : record_tables()) {
    text += t.name;
    text += '\x1e';
    if (auto it = hashes.find(t.name); it != hashes.end())
      for (const auto& [key, hash] : it->second) {
        text += hash;
        text += '\n';
      }
  }
  return sha256_hex(text);
}

std::string state_digest(const RegistryState& state) { return state_digest(row_hashes(state)); }

void apply_change(RegistryState& state, const RecordChange& change) {
  const RecordTable& table = table_of(change.table);
  TableRows& rows = state[table.name];
  if (change.op == "add_columns") {
    for (auto& [key, row] : rows)
      for (const auto& column : change.row.at("columns")) row[column.get<std::string>()] = nullptr;
    return;
  }
  const std::string key = key_of(table, change.row);
  const bool exists = rows.count(key) > 0;
  if (change.op == "insert") {
    if (exists) throw Error(fmt::format("{} '{}' is inserted twice", table.name, key));
    rows.emplace(key, change.row);
  } else if (change.op == "amend") {
    if (!exists) throw Error(fmt::format("{} '{}' is amended but does not exist", table.name, key));
    rows[key] = change.row;
  } else if (change.op == "void") {
    if (!exists) throw Error(fmt::format("{} '{}' is voided but does not exist", table.name, key));
    rows.erase(key);
  } else {
    throw Error(fmt::format("unknown change '{}'", change.op));
  }
}

// Statements of one table and its columns with their declared types, to store rows in canonical form.
struct RegistryWrite::TableWriter {
  RecordTable table;
  std::vector<std::pair<std::string, std::string>> columns;  // name, declared type
  std::unique_ptr<Statement> insert, update, remove, select;

  TableWriter(Database& db, const RecordTable& t) : table(t) {
    auto info = db.prepare(fmt::format("PRAGMA table_info({})", t.name));
    while (info.step()) columns.emplace_back(info.text(1), info.text(2));
    std::string names, marks, sets;
    for (const auto& [name, type] : columns) {
      names += (names.empty() ? "" : ",") + name;
      marks += marks.empty() ? "?" : ",?";
      sets += fmt::format("{}{} = ?", sets.empty() ? "" : ", ", name);
    }
    insert = std::make_unique<Statement>(
        db.prepare(fmt::format("INSERT INTO {} ({}) VALUES ({})", t.name, names, marks)));
    update = std::make_unique<Statement>(
        db.prepare(fmt::format("UPDATE {} SET {} WHERE {} = ?", t.name, sets, t.key)));
    remove =
        std::make_unique<Statement>(db.prepare(fmt::format("DELETE FROM {} WHERE {} = ?", t.name, t.key)));
    select =
        std::make_unique<Statement>(db.prepare(fmt::format("SELECT * FROM {} WHERE {} = ?", t.name, t.key)));
  }

  // Every column present, numbers typed as their column stores them (so the chain's row equals the stored
  // row).
  json canonical(const json& row) const {
    for (const auto& [name, value] : row.items()) {
      bool known = false;
      for (const auto& c : columns) known = known || c.first == name;
      if (!known) throw Error(fmt::format("{} has no column {}", table.name, name));
    }
    json out = json::object();
    for (const auto& [name, type] : columns) {
      const auto it = row.find(name);
      json v = it == row.end() ? json(nullptr) : *it;
      if (type == "REAL" && v.is_number())
        v = v.get<double>();
      else if (type == "INTEGER" && v.is_number_float())
        v = static_cast<std::int64_t>(v.get<double>());
      out[name] = std::move(v);
    }
    return out;
  }

  void bind_row(Statement& st, const json& row) const {
    int i = 1;
    for (const auto& [name, type] : columns) {
      const json& v = row[name];
      if (v.is_null())
        st.bind_null(i);
      else if (v.is_number_integer())
        st.bind(i, v.get<std::int64_t>());
      else if (v.is_number())
        st.bind(i, v.get<double>());
      else
        st.bind(i, v.get<std::string>());
      ++i;
    }
  }
};

RegistryWrite::RegistryWrite(Database& db, std::string actor, std::string kind)
    : db_(db), actor_(std::move(actor)), kind_(std::move(kind)) {
  if (actor_.empty()) throw Error("a registry write needs an actor");
  records_ = kind_ != "analysis" && kind_ != "frequency_query";
  needs_role(kind_);  // a known kind
  db_.exec("BEGIN IMMEDIATE");
  try {
    const AuditVerification check =
        check_before_use(db_, records_, records_ ? &hashes_ : nullptr, &last_digest_);
    if (!check.ok)
      throw Error(db_.path(), 0,
                  fmt::format("the registry is not used: {}; nothing is written to it and no analysis "
                              "uses it (see `genomap registry audit verify`)",
                              check.message()));
    // Roles exist from schema 3 on (open_registry migrates before any write; older schemas are written
    // only by migration tests).
    auto roles_table = db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'role_grant'");
    if (const std::string problem =
            roles_table.step() ? permission_problem(actor_, roles_of(db_, actor_), kind_) : std::string();
        !problem.empty())
      throw Error(db_.path(), 0, problem + "; nothing was written");
    auto head = db_.prepare(
        "SELECT h.seq, h.hash, coalesce(l.time, '') FROM audit_head h LEFT JOIN audit_log l ON "
        "l.seq = h.seq WHERE h.id = 1");
    head.step();
    seq_ = head.integer(0) + 1;
    prev_hash_ = head.text(1);
    const std::string last_time = head.text(2);
    recorded_at_ = now_utc();
    if (recorded_at_ < last_time)
      throw Error(db_.path(), 0,
                  fmt::format("the clock reads {}, before the last audit entry ({}); times in the audit "
                              "log never go backwards, so nothing is written until the clock is right",
                              recorded_at_, last_time));
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

RegistryWrite::~RegistryWrite() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

RegistryWrite::TableWriter& RegistryWrite::writer(const std::string& table) {
  auto it = writers_.find(table);
  if (it == writers_.end())
    it = writers_.emplace(table, std::make_unique<TableWriter>(db_, table_of(table))).first;
  return *it->second;
}

const json& RegistryWrite::insert(const std::string& table, json row) {
  if (!records_) throw Error(fmt::format("a write of kind {} changes no record", kind_));
  TableWriter& w = writer(table);
  row["recorded_at"] = recorded_at_;
  row["actor"] = actor_;
  json canonical = w.canonical(row);
  w.bind_row(*w.insert, canonical);
  w.insert->run();
  hashes_[table][key_of(w.table, canonical)] = row_hash(canonical);
  changes_.push_back({"insert", table, std::move(canonical)});
  return changes_.back().row;
}

const json& RegistryWrite::amend(const std::string& table, json row) {
  if (!records_) throw Error(fmt::format("a write of kind {} changes no record", kind_));
  TableWriter& w = writer(table);
  const std::string key = key_of(w.table, row);
  if (find(table, key).is_null()) throw Error(db_.path(), 0, fmt::format("no {} '{}' to amend", table, key));
  row["recorded_at"] = recorded_at_;
  row["actor"] = actor_;
  json canonical = w.canonical(row);
  w.bind_row(*w.update, canonical);
  w.update->bind(static_cast<int>(w.columns.size()) + 1, key);
  w.update->run();
  hashes_[table][key] = row_hash(canonical);
  changes_.push_back({"amend", table, std::move(canonical)});
  return changes_.back().row;
}

void RegistryWrite::void_row(const std::string& table, const std::string& key, const std::string& reason) {
  if (!records_) throw Error(fmt::format("a write of kind {} changes no record", kind_));
  TableWriter& w = writer(table);
  json row = find(table, key);
  if (row.is_null()) throw Error(db_.path(), 0, fmt::format("no {} '{}' to void", table, key));
  w.remove->bind(1, key);
  w.remove->run();
  hashes_[table].erase(key);
  changes_.push_back({"void", table, json{{w.table.key, key}, {"reason", reason}, {"was", std::move(row)}}});
}

json RegistryWrite::find(const std::string& table, const std::string& key) {
  TableWriter& w = writer(table);
  w.select->bind(1, key);
  json row;
  if (w.select->step()) {
    row = json::object();
    for (int c = 0; c < w.select->column_count(); ++c)
      row[w.select->column_name(c)] = column_value(*w.select, c);
  }
  w.select->reset();
  return row;
}

void RegistryWrite::commit(const std::string& action, json details) {
  details["actor"] = actor_;
  details["kind"] = kind_;
  json changes = json::array();
  for (const auto& c : changes_) changes.push_back({{"op", c.op}, {"table", c.table}, {"row", c.row}});
  details["changes"] = std::move(changes);
  details["state"] = records_ ? state_digest(hashes_) : last_digest_;
  const AuditEntry e = append_audit(db_, recorded_at_, action, dump(details));
  auto cp = db_.prepare("UPDATE audit_checkpoint SET seq = ?, hash = ? WHERE id = 1");
  cp.bind(1, e.seq).bind(2, e.hash).run();
  if (const char* pause = std::getenv("GENOMAP_TEST_PAUSE_BEFORE_COMMIT")) test_pause(pause);
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace genomap::registry
