#include "genomap/serve/access_control.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/registry/sqlite.hpp"
#include "genomap/core/utc_time.hpp"

namespace genomap::serve {
namespace {

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string sha256_hex(const std::string& text) { return registry::sha256_hex(text); }

TokenTable TokenTable::read(const std::string& path) {
  TokenTable table;
  LineReader reader(path);
  std::string line;
  std::set<std::string> names;
  while (reader.next(line)) {
    std::vector<std::string> fields;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      if (j > i) fields.push_back(line.substr(i, j - i));
      i = j;
    }
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields.size() != 2) reader.fail("expected NAME SHA256HEX (the hash of the token, not the token)");
    std::string hash = fields[1];
    std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
    if (hash.size() != 64 || !is_lower_hex(hash))
      reader.fail("the hash must be 64 hexadecimal digits (SHA-256)");
    if (!names.insert(fields[0]).second) reader.fail("token name '" + fields[0] + "' listed twice");
    if (!table.name_by_hash_.emplace(hash, fields[0]).second) reader.fail("the same token hash listed twice");
  }
  if (table.name_by_hash_.empty()) throw Error(path, 0, "no token listed");
  return table;
}

std::optional<std::string> TokenTable::holder(const std::string& token) const {
  auto it = name_by_hash_.find(sha256_hex(token));
  if (it == name_by_hash_.end()) return std::nullopt;
  return it->second;
}

bool QueryBudget::spend(const std::string& token_name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = windows_.try_emplace(token_name, Window{now, 0});
  Window& w = it->second;
  if (now - w.start >= window_) w = Window{now, 0};
  if (w.used >= budget_) return false;
  ++w.used;
  return true;
}

bool RateLimiter::allow(const std::string& client, Clock::time_point now) {
  if (rate_ <= 0) return true;
  std::lock_guard lock(mutex_);
  // Forget idle clients now and then, so the table cannot grow without bound.
  if (buckets_.size() > 100000)
    std::erase_if(buckets_, [&](const auto& kv) { return now - kv.second.last > std::chrono::minutes(1); });
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

std::unique_ptr<QueryLog> QueryLog::to_registry(const std::string& registry_path) {
  auto log = std::make_unique<QueryLog>(Private{});
  log->registry_ = registry::open_registry(registry_path, true);
  return log;
}

std::unique_ptr<QueryLog> QueryLog::to_file(const std::string& path) {
  auto log = std::make_unique<QueryLog>(Private{});
  log->file_ = std::fopen(path.c_str(), "a");
  if (!log->file_) throw Error(path, 0, "cannot open the query log for appending");
  log->file_path_ = path;
  return log;
}

QueryLog::QueryLog(Private) {}

QueryLog::~QueryLog() {
  if (file_) std::fclose(file_);
}

void QueryLog::record(const std::string& token_name, const std::string& client, const std::string& method,
                      const std::string& target) {
  nlohmann::json entry = {{"token", token_name}, {"client", client}, {"method", method}, {"target", target}};
  const std::string details = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  if (registry_) {
    // Through the registry's one write path: the chain is checked first and the entry names the token as actor.
    registry::RegistryWrite write(*registry_, "serve token " + token_name, "frequency_query");
    write.commit("frequency_query", std::move(entry));
    return;
  }
  const std::string line = fmt::format("{{\"time\":\"{}\",\"query\":{}}}\n", utc_now_iso8601(), details);
  if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0)
    throw Error(file_path_, 0, "cannot write the query log");
}

}  // namespace genomap::serve
