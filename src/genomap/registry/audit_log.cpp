#include "genomap/registry/audit_log.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "genomap/core/error.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/roles.hpp"
#include "genomap/registry/schema.hpp"

namespace genomap::registry {
namespace {

const std::string kZeroHash(64, '0');

std::string squeeze_spaces(const std::string& sql) {
  std::string out;
  for (char c : sql) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

// Every trigger the schema creates must exist with its text (a dropped or replaced trigger is tampering).
std::string check_triggers(Database& db, int version) {
  for (const auto& [name, sql] : schema_triggers(version)) {
    auto st = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    st.bind(1, name);
    if (!st.step()) return fmt::format("the trigger {} is missing (dropped)", name);
    if (squeeze_spaces(st.text(0)) != squeeze_spaces(sql))
      return fmt::format("the trigger {} was replaced", name);
  }
  return "";
}

struct Walk {
  AuditVerification result;
  std::string last_hash = kZeroHash;
  std::string last_time;
  std::string last_details;
  std::int64_t last_seq = 0;
};

AuditVerification broken(AuditVerification r, std::int64_t seq, std::string problem) {
  r.ok = false;
  r.first_broken = seq;
  r.problem = std::move(problem);
  return r;
}

// Walks entries after `start` (whose hash and time are given), checking links, hashes and times; calls
// `visit` on each good entry.
template <class Visit>
bool walk_chain(Database& db, Walk& w, Visit&& visit) {
  auto st = db.prepare(
      "SELECT seq, time, action, details, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq");
  st.bind(1, w.last_seq);
  while (st.step()) {
    AuditEntry e{st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
    ++w.result.entries;
    const std::int64_t expected = w.last_seq + 1;
    if (e.seq != expected) {
      w.result = broken(w.result, expected,
                        fmt::format("entry {} is missing (deleted); the next entry is {}", expected, e.seq));
      return false;
    }
    if (e.prev_hash != w.last_hash) {
      w.result = broken(w.result, e.seq,
                        "its link to the previous entry does not match (an earlier entry was changed "
                        "or removed)");
      return false;
    }
    if (audit_entry_hash(e.prev_hash, e.seq, e.time, e.action, e.details) != e.hash) {
      w.result = broken(w.result, e.seq, "its content does not match its hash (the entry was edited)");
      return false;
    }
    if (e.time < w.last_time) {
      w.result = broken(w.result, e.seq,
                        fmt::format("its time {} is before the previous entry's {} (times never go "
                                    "backwards)",
                                    e.time, w.last_time));
      return false;
    }
    visit(e);
    w.last_seq = e.seq;
    w.last_hash = e.hash;
    w.last_time = e.time;
    w.last_details = std::move(e.details);
  }
  return true;
}

bool check_head(Database& db, Walk& w) {
  auto head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.step()) {
    w.result = broken(w.result, w.last_seq + 1, "the audit log head is missing");
    return false;
  }
  if (head.integer(0) != w.last_seq || head.text(1) != w.last_hash) {
    w.result = broken(
        w.result, w.last_seq + 1,
        head.integer(0) == w.last_seq
            ? fmt::format("the head records another hash for entry {} (the log was rewritten)", w.last_seq)
            : fmt::format("the log ends at entry {} but the head records entry {} (entries at the end "
                          "were deleted, or one was appended without the head)",
                          w.last_seq, head.integer(0)));
    return false;
  }
  if (w.last_seq == 0) {
    w.result = broken(w.result, 1,
                      "the audit log is empty, but creating a registry writes its first entry (the log "
                      "was wiped)");
    return false;
  }
  return true;
}

int user_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.integer(0));
}

// The first difference between the state the chain builds and the tables.
std::string compare_state(const RegistryState& chain, const RegistryState& tables) {
  for (const auto& t : record_tables()) {
    static const TableRows empty;
    const auto ci = chain.find(t.name);
    const auto ti = tables.find(t.name);
    const TableRows& c = ci == chain.end() ? empty : ci->second;
    const TableRows& s = ti == tables.end() ? empty : ti->second;
    for (const auto& [key, row] : s) {
      auto it = c.find(key);
      if (it == c.end())
        return fmt::format("table {}: row '{}' is not in the audit chain (inserted outside genomap)", t.name,
                           key);
      if (it->second != row) {
        for (const auto& [column, value] : row.items())
          if (!it->second.contains(column) || it->second[column] != value)
            return fmt::format("table {}: row '{}' differs from the audit chain in {} (chain {}, table {})",
                               t.name, key, column,
                               it->second.value(column, nlohmann::json())
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                               value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return fmt::format("table {}: row '{}' differs from the audit chain", t.name, key);
      }
    }
    for (const auto& [key, row] : c)
      if (!s.count(key))
        return fmt::format("table {}: row '{}' of the audit chain is missing (deleted)", t.name, key);
  }
  return "";
}

}  // namespace

std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buf, micros);
}

std::string sha256_hex(const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    throw Error("SHA-256 failed (OpenSSL)");
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string audit_entry_hash(const std::string& prev_hash, std::int64_t seq, const std::string& time,
                             const std::string& action, const std::string& details) {
  // Unit separators keep field boundaries unambiguous.
  return sha256_hex(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", prev_hash, seq, time, action, details));
}

AuditEntry append_audit(Database& db, const std::string& time, const std::string& action,
                        const std::string& details) {
  auto head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.step()) throw Error(db.path(), 0, "the audit log head is missing");
  AuditEntry e;
  e.seq = head.integer(0) + 1;
  e.prev_hash = head.text(1);
  e.time = time;
  e.action = action;
  e.details = details;
  e.hash = audit_entry_hash(e.prev_hash, e.seq, e.time, e.action, e.details);
  auto insert =
      db.prepare("INSERT INTO audit_log (seq, time, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?)");
  insert.bind(1, e.seq)
      .bind(2, e.time)
      .bind(3, e.action)
      .bind(4, e.details)
      .bind(5, e.prev_hash)
      .bind(6, e.hash)
      .run();
  auto update = db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1");
  update.bind(1, e.seq).bind(2, e.hash).run();
  return e;
}

std::vector<AuditEntry> read_audit(Database& db) {
  std::vector<AuditEntry> entries;
  auto st = db.prepare("SELECT seq, time, action, details, prev_hash, hash FROM audit_log ORDER BY seq");
  while (st.step())
    entries.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  return entries;
}

std::string Anchor::text() const { return fmt::format("{}:{}", seq, hash); }

Anchor parse_anchor(const std::string& text) {
  const auto colon = text.find(':');
  Anchor a;
  bool ok = colon != std::string::npos && colon > 0 && text.size() - colon - 1 == 64;
  for (std::size_t i = 0; ok && i < colon; ++i) ok = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  for (std::size_t i = colon + 1; ok && i < text.size(); ++i)
    ok = std::isxdigit(static_cast<unsigned char>(text[i])) &&
         !std::isupper(static_cast<unsigned char>(text[i]));
  if (!ok)
    throw Error(fmt::format("'{}' is not an anchor (SEQ:HASH as printed by `registry audit anchor`)", text));
  a.seq = std::stoll(text.substr(0, colon));
  a.hash = text.substr(colon + 1);
  return a;
}

Anchor current_anchor(Database& db) {
  auto head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.step()) throw Error(db.path(), 0, "the audit log head is missing");
  return {head.integer(0), head.text(1)};
}

std::string AuditVerification::message() const {
  if (ok) return "";
  if (first_broken > 0) return fmt::format("audit log broken at entry {}: {}", first_broken, problem);
  return problem;
}

AuditVerification verify_audit(Database& db, const std::optional<Anchor>& anchor) {
  Walk w;
  const int version = user_version(db);
  if (auto t = check_triggers(db, version); !t.empty())
    return broken(w.result, 0, "audit log unprotected: " + t);
  RegistryState replayed;
  std::string replay_error;
  std::int64_t anchor_seen = 0;
  const bool chain_ok = walk_chain(db, w, [&](const AuditEntry& e) {
    if (anchor && e.seq == anchor->seq) anchor_seen = e.hash == anchor->hash ? 1 : -1;
    if (!replay_error.empty()) return;
    const auto details = nlohmann::json::parse(e.details, nullptr, false);
    if (details.is_discarded() || !details.contains("changes")) {
      // Entries that change no record still had to be allowed to their actor.
      if (details.is_object() && details.contains("kind") && replayed.count("role_grant")) {
        std::set<std::string> held;
        const std::string actor = details.value("actor", std::string());
        for (const auto& [key, row] : replayed["role_grant"])
          if (row.value("actor_name", std::string()) == actor) held.insert(row.value("role", std::string()));
        if (const auto problem = permission_problem(actor, held, details["kind"].get<std::string>());
            !problem.empty())
          replay_error = fmt::format("audit log broken at entry {}: {}", e.seq, problem);
      }
      return;
    }
    if (details.value("snapshot", false)) replayed.clear();
    try {
      // Once roles exist, every entry names its kind and its actor held a role allowing it then.
      const auto grants = replayed.find("role_grant");
      if (grants != replayed.end() && !grants->second.empty()) {
        const std::string actor = details.value("actor", std::string());
        std::set<std::string> held;
        for (const auto& [key, row] : grants->second)
          if (row.value("actor_name", std::string()) == actor) held.insert(row.value("role", std::string()));
        if (!details.contains("kind") || !details["kind"].is_string())
          throw Error("the entry does not name its kind of write");
        if (const auto problem = permission_problem(actor, held, details["kind"].get<std::string>());
            !problem.empty())
          throw Error(problem);
      }
      for (const auto& c : details["changes"]) {
        const std::string op = c.at("op").get<std::string>();
        const auto& row = c.at("row");
        // A row written by an entry carries that entry's time and actor: who and when cannot be moved apart.
        if (op != "void" && op != "add_columns" &&
            (row.value("recorded_at", std::string()) != e.time ||
             row.value("actor", std::string()) != details.value("actor", std::string())))
          throw Error(
              fmt::format("a {} row's recorded_at or actor differs from the entry's", c.at("table").dump()));
        apply_change(replayed, {op, c.at("table").get<std::string>(), row});
      }
    } catch (const std::exception& ex) {
      replay_error =
          fmt::format("audit log broken at entry {}: its changes do not apply: {}", e.seq, ex.what());
    }
  });
  if (!chain_ok) return w.result;
  if (!check_head(db, w)) return w.result;
  if (version >= 2) {
    auto cp = db.prepare(
        "SELECT c.seq, c.hash, l.hash FROM audit_checkpoint c LEFT JOIN audit_log l ON l.seq = c.seq");
    if (!cp.step()) return broken(w.result, 0, "the audit checkpoint is missing");
    if (cp.is_null(2))
      return broken(w.result, cp.integer(0), "the last verified entry is missing (the log was truncated)");
    if (cp.text(1) != cp.text(2))
      return broken(w.result, cp.integer(0), "the last verified entry was changed");
  }
  if (anchor) {
    if (w.last_seq < anchor->seq)
      return broken(w.result, 0,
                    fmt::format("the log ends at entry {}, before the anchor's entry {} (entries were "
                                "removed or the log was wiped)",
                                w.last_seq, anchor->seq));
    if (anchor_seen != 1)
      return broken(w.result, 0,
                    fmt::format("entry {} does not match the anchor (the log was rewritten)", anchor->seq));
  }
  if (!replay_error.empty()) return broken(w.result, 0, replay_error);
  if (version >= 2) {
    if (auto diff = compare_state(replayed, read_state(db)); !diff.empty())
      return broken(w.result, 0, "the registry tables differ from the audit chain: " + diff);
  }
  return w.result;
}

AuditVerification check_before_use(Database& db, bool check_tables, RowHashes* hashes,
                                   std::string* last_digest) {
  Walk w;
  const int version = user_version(db);
  if (auto t = check_triggers(db, version); !t.empty())
    return broken(w.result, 0, "audit log unprotected: " + t);
  if (version >= 2) {
    auto cp = db.prepare("SELECT seq, hash FROM audit_checkpoint WHERE id = 1");
    if (!cp.step()) return broken(w.result, 0, "the audit checkpoint is missing");
    const std::int64_t seq = cp.integer(0);
    const std::string hash = cp.text(1);
    if (seq > 0) {
      auto e = db.prepare("SELECT hash, time FROM audit_log WHERE seq = ?");
      e.bind(1, seq);
      if (!e.step())
        return broken(w.result, seq, "the last verified entry is missing (the log was truncated)");
      if (e.text(0) != hash) return broken(w.result, seq, "the last verified entry was changed");
      w.last_seq = seq;
      w.last_hash = hash;
      w.last_time = e.text(1);
      w.result.entries = seq;
      auto d = db.prepare("SELECT details FROM audit_log WHERE seq = ?");
      d.bind(1, seq);
      if (d.step()) w.last_details = d.text(0);
    }
  }
  if (!walk_chain(db, w, [](const AuditEntry&) {})) return w.result;
  if (!check_head(db, w)) return w.result;
  if (version >= 2) {
    const auto details = nlohmann::json::parse(w.last_details, nullptr, false);
    const std::string recorded = details.is_object() ? details.value("state", std::string()) : std::string();
    if (last_digest) *last_digest = recorded;
    if (!check_tables) return w.result;
    RowHashes current = row_hashes(read_state(db));
    if (recorded != state_digest(current))
      return broken(w.result, 0,
                    "the registry tables differ from the state recorded in the last audit entry (a record "
                    "was changed outside genomap)");
    if (hashes) *hashes = std::move(current);
  }
  return w.result;
}

void require_intact_for_reading(Database& db) {
  const AuditVerification check = check_before_use(db);
  if (!check.ok)
    throw Error(
        db.path(), 0,
        fmt::format("the registry is not read: {}; its records are not vouched for by the audit chain "
                    "(see `genomap registry audit verify`)",
                    check.message()));
}

}  // namespace genomap::registry
