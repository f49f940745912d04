// The registry's audit log: a hash chain. Entry n stores hash_n = SHA-256(hash_{n-1} | n | time | action |
// details) in hex, with hash_0 = 64 zeros; the table audit_head keeps the number and hash of the last entry.
// Since schema 2 the details of every write hold the actor, the full rows it changed and the digest of the
// record tables after it (chain.hpp), so the tables can be rebuilt from the chain and compared.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// Hashes of the rows of the record tables: table -> key -> SHA-256 of the canonical row.
using RowHashes = std::map<std::string, std::map<std::string, std::string>>;

struct AuditEntry {
  std::int64_t seq = 0;
  std::string time;     // when it was recorded: UTC, ISO 8601 with microseconds
  std::string action;   // migrate, import, add, amend, void, withdraw, custody, export, analysis
  std::string details;  // JSON text
  std::string prev_hash;
  std::string hash;
};

// The current UTC time, ISO 8601 with microseconds ("2024-06-01T10:00:00.000000Z").
std::string now_utc();

// Appends an entry after the head (seq, prev_hash and hash are computed here) and moves the head; must run
// inside the caller's write transaction so the entry commits with the change. Returns the entry written.
AuditEntry append_audit(Database& db, const std::string& time, const std::string& action,
                        const std::string& details);

std::vector<AuditEntry> read_audit(Database& db);

// The head of the chain as kept outside the file: "SEQ:HASH".
struct Anchor {
  std::int64_t seq = 0;
  std::string hash;
  std::string text() const;
};
Anchor parse_anchor(const std::string& text);
Anchor current_anchor(Database& db);

struct AuditVerification {
  bool ok = true;
  std::int64_t entries = 0;  // entries read
  std::int64_t first_broken =
      0;                // seq of the first broken entry (0 when ok or when the problem is not an entry)
  std::string problem;  // what is wrong
  // One line: "audit log broken at entry N: ..." or the problem itself.
  std::string message() const;
};

// Full verification: the triggers exist, every entry links to the previous one and matches its hash, times
// never go backwards, the head names the last entry, the record tables equal the state the chain builds
// (first difference named), and, with an anchor, the chain still holds the anchored entry.
AuditVerification verify_audit(Database& db, const std::optional<Anchor>& anchor = std::nullopt);

// The check before use (every write, every analysis and every reading command): the same checks from the
// last verified entry on (the checkpoint), and, with `check_tables`, the record tables against the digest in
// the last entry. `hashes`, when given, receives the row hashes of the tables (with check_tables) and
// `last_digest` the digest the last entry records.
AuditVerification check_before_use(Database& db, bool check_tables = true, RowHashes* hashes = nullptr,
                                   std::string* last_digest = nullptr);

// The check before a reading command answers (report, trace, lists, eligibility, anchor): check_before_use,
// and on a broken chain an Error naming the file, so no answer comes from records the chain no longer vouches
// for. `audit verify` and `audit list` do not call it: they are how a broken chain is examined.
void require_intact_for_reading(Database& db);

// SHA-256 of `data` as lowercase hex (OpenSSL EVP).
std::string sha256_hex(const std::string& data);
// The hash an entry must carry given its predecessor's hash.
std::string audit_entry_hash(const std::string& prev_hash, std::int64_t seq, const std::string& time,
                             const std::string& action, const std::string& details);

}  // namespace genomap::registry
