#include "genomap/registry/audit_log.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <memory>

#include "genomap/core/error.hpp"

namespace genomap::registry {
namespace {

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

}  // namespace

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

void append_audit(Database& db, const std::string& action, const std::string& details) {
  auto head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.step()) throw Error(db.path(), 0, "the audit log head is missing");
  const std::int64_t seq = head.integer(0) + 1;
  const std::string prev = head.text(1);
  const std::string time = now_utc();
  const std::string hash = audit_entry_hash(prev, seq, time, action, details);
  auto insert = db.prepare("INSERT INTO audit_log (seq, time, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?)");
  insert.bind(1, seq).bind(2, time).bind(3, action).bind(4, details).bind(5, prev).bind(6, hash).run();
  auto update = db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1");
  update.bind(1, seq).bind(2, hash).run();
}

std::vector<AuditEntry> read_audit(Database& db) {
  std::vector<AuditEntry> entries;
  auto st = db.prepare("SELECT seq, time, action, details, prev_hash, hash FROM audit_log ORDER BY seq");
  while (st.step())
    entries.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  return entries;
}

AuditVerification verify_audit(Database& db) {
  AuditVerification result;
  auto broken = [&](std::int64_t seq, std::string problem) {
    result.ok = false;
    result.first_broken = seq;
    result.problem = std::move(problem);
    return result;
  };
  std::string expected_prev(64, '0');
  std::int64_t expected_seq = 1;
  for (const auto& e : read_audit(db)) {
    ++result.entries;
    if (e.seq != expected_seq)
      return broken(expected_seq, fmt::format("entry {} is missing (deleted); the next entry is {}", expected_seq, e.seq));
    if (e.prev_hash != expected_prev)
      return broken(e.seq, "its link to the previous entry does not match (an earlier entry was changed or removed)");
    if (audit_entry_hash(e.prev_hash, e.seq, e.time, e.action, e.details) != e.hash)
      return broken(e.seq, "its content does not match its hash (the entry was edited)");
    expected_prev = e.hash;
    ++expected_seq;
  }
  auto head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.step()) return broken(expected_seq, "the audit log head is missing");
  if (head.integer(0) != expected_seq - 1 || head.text(1) != expected_prev)
    return broken(expected_seq, fmt::format("the log ends at entry {} but the head records entry {} (entries at the end "
                                            "were deleted)", expected_seq - 1, head.integer(0)));
  return result;
}

}  // namespace genomap::registry
