// Who may see what, and how often: the controlled tier's tokens (stored as SHA-256 hashes only), each token's
// query budget over a time window, a per-client request rate limit, and the log of controlled queries.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace genomap::registry {
class Database;
}

namespace genomap::serve {

using Clock = std::chrono::steady_clock;

// A tokens file: one token per line, "NAME SHA256HEX" (the hash of the token's text; the token itself is
// never stored), '#' comments and blank lines ignored. Throws Error naming file and line on a malformed line
// or a duplicate name or hash.
class TokenTable {
 public:
  TokenTable() = default;
  static TokenTable read(const std::string& path);
  // The name of the token whose hash matches, or nullopt.
  std::optional<std::string> holder(const std::string& token) const;
  std::size_t size() const { return name_by_hash_.size(); }

 private:
  std::unordered_map<std::string, std::string> name_by_hash_;
};

// At most `budget` controlled queries per token in each window of `window` (fixed windows from the first
// use).
class QueryBudget {
 public:
  QueryBudget(std::uint64_t budget, std::chrono::seconds window) : budget_(budget), window_(window) {}
  // Counts one query; false (and not counted) when the budget of the current window is spent.
  bool spend(const std::string& token_name, Clock::time_point now = Clock::now());
  std::uint64_t budget() const { return budget_; }

 private:
  struct Window {
    Clock::time_point start;
    std::uint64_t used = 0;
  };
  std::uint64_t budget_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

// Token bucket per client address: `rate` requests per second on average, bursts of up to `burst`.
// A rate of 0 turns the limit off.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  bool allow(const std::string& client, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Where controlled queries are recorded: the registry's audit log (action "frequency_query"), or a file of
// JSON lines. A query is answered only after its record is written.
class QueryLog {
 public:
  static std::unique_ptr<QueryLog> to_registry(const std::string& registry_path);
  static std::unique_ptr<QueryLog> to_file(const std::string& path);
  struct Private {};  // only the two factories construct a QueryLog
  explicit QueryLog(Private);
  ~QueryLog();
  QueryLog(const QueryLog&) = delete;
  QueryLog& operator=(const QueryLog&) = delete;
  // Throws Error when the record cannot be written.
  void record(const std::string& token_name, const std::string& client, const std::string& method,
              const std::string& target);

 private:
  std::mutex mutex_;
  std::unique_ptr<registry::Database> registry_;
  std::FILE* file_ = nullptr;
  std::string file_path_;
};

// SHA-256 of `text` as lowercase hex.
std::string sha256_hex(const std::string& text);

}  // namespace genomap::serve
