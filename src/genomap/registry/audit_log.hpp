// The registry's audit log: append-only (SQL triggers refuse UPDATE and DELETE) and tamper-evident. Entry n
// stores hash_n = SHA-256(hash_{n-1} | n | time | action | details) in hex, with hash_0 = 64 zeros, and the
// table audit_head keeps the number and hash of the last entry, so an edited, deleted, reordered or truncated
// log no longer verifies.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

struct AuditEntry {
  std::int64_t seq = 0;
  std::string time;     // UTC, ISO 8601
  std::string action;   // init, import, add, withdraw, custody, export, analysis, migrate
  std::string details;  // JSON text
  std::string prev_hash;
  std::string hash;
};

// Appends an entry; must run inside the caller's write transaction so the entry commits with the change.
void append_audit(Database& db, const std::string& action, const std::string& details);

std::vector<AuditEntry> read_audit(Database& db);

struct AuditVerification {
  bool ok = true;
  std::int64_t entries = 0;       // entries read
  std::int64_t first_broken = 0;  // seq of the first broken entry (0 when ok)
  std::string problem;            // what is wrong with it
};
AuditVerification verify_audit(Database& db);

// SHA-256 of `data` as lowercase hex (OpenSSL EVP).
std::string sha256_hex(const std::string& data);
// The hash an entry must carry given its predecessor's hash.
std::string audit_entry_hash(const std::string& prev_hash, std::int64_t seq, const std::string& time,
                             const std::string& action, const std::string& details);

}  // namespace genomap::registry
