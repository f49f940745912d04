#include "genomap/freqdb/release_storage.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

#include "genomap/core/error.hpp"

namespace genomap::freqdb {

const char* const kReleaseSchema = R"sql(
CREATE TABLE release (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE population (
  pop_idx INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, sample_ct INTEGER NOT NULL,
  latitude REAL, longitude REAL, merged_from TEXT NOT NULL);
CREATE TABLE variant (
  variant_idx INTEGER PRIMARY KEY, chrom TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
  ref TEXT NOT NULL, alt TEXT NOT NULL, counts BLOB NOT NULL);
)sql";

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
}

std::uint32_t get_u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

}  // namespace

std::string pack_counts(std::span<const PublishedCounts> counts) {
  std::string out;
  out.reserve(counts.size() * 12);
  for (const auto& c : counts) {
    put_u32(out, c.alt_count);
    put_u32(out, c.allele_number);
    put_u32(out, c.hom_alt_count);
  }
  return out;
}

std::vector<PublishedCounts> unpack_counts(const void* bytes, std::size_t size, std::size_t pop_ct) {
  if (size != pop_ct * 12)
    throw Error(fmt::format("corrupt counts: {} bytes for {} populations", size, pop_ct));
  const auto* p = static_cast<const unsigned char*>(bytes);
  std::vector<PublishedCounts> out(pop_ct);
  for (std::size_t i = 0; i < pop_ct; ++i, p += 12) out[i] = {get_u32(p), get_u32(p + 4), get_u32(p + 8)};
  return out;
}

// The XXH3 state is created and freed through xxhash's own API.
struct ContentHasher::State {
  XXH3_state_t* xxh = XXH3_createState();
  ~State() { XXH3_freeState(xxh); }
};

ContentHasher::ContentHasher() : state_(std::make_unique<State>()) {
  if (!state_->xxh) throw Error("out of memory for the content hash");
  XXH3_128bits_reset(state_->xxh);
}

ContentHasher::~ContentHasher() = default;

void ContentHasher::add_field(std::string_view bytes) {
  // Length-prefixed, so that field boundaries cannot be shifted without changing the hash.
  const std::uint64_t n = bytes.size();
  XXH3_128bits_update(state_->xxh, &n, sizeof n);
  XXH3_128bits_update(state_->xxh, bytes.data(), bytes.size());
}

void ContentHasher::add_population(const ReleasePopulation& p) {
  add_field(p.name);
  add_field(std::to_string(p.sample_ct));
  add_field(p.latitude ? fmt::format("{:.6f}", *p.latitude) : "");
  add_field(p.longitude ? fmt::format("{:.6f}", *p.longitude) : "");
  add_field(fmt::format("{}", fmt::join(p.merged_from, ",")));
}

void ContentHasher::add_variant(std::string_view chrom, std::int64_t pos, std::string_view id,
                                std::string_view ref, std::string_view alt, std::string_view packed_counts) {
  add_field(chrom);
  add_field(std::to_string(pos));
  add_field(id);
  add_field(ref);
  add_field(alt);
  add_field(packed_counts);
}

std::string ContentHasher::finish() {
  XXH128_hash_t h = XXH3_128bits_digest(state_->xxh);
  return fmt::format("xxh128:{:016x}{:016x}", h.high64, h.low64);
}

SqliteFile::SqliteFile(const std::string& path, int flags, const std::string& shown)
    : path_(shown.empty() ? path : shown) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(path_, 0, "cannot open the frequency release: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteFile::~SqliteFile() { sqlite3_close_v2(db_); }

void SqliteFile::fail(const std::string& what) const {
  throw Error(path_, 0, fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
}

void SqliteFile::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(path_, 0, "SQL failed: " + text);
  }
}

sqlite3_stmt* SqliteFile::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK)
    fail("not a genomap frequency release (cannot prepare a query)");
  return stmt;
}

void SqliteStatement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    db_->fail("cannot bind a value");
}
void SqliteStatement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("cannot bind a value");
}
void SqliteStatement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_->fail("cannot bind a value");
}
void SqliteStatement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    db_->fail("cannot bind a value");
}
void SqliteStatement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_->fail("cannot bind a value");
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("query failed");
}

void SqliteStatement::run() {
  step();
  reset();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string SqliteStatement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

}  // namespace genomap::freqdb
