// How a release is laid out in its SQLite file, shared by the builder and the reader: the schema, the packed
// per-population counts of a variant row, and the content hash over everything a release publishes.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "genomap/freqdb/frequency_release.hpp"

namespace genomap::freqdb {

// One table of key/value release facts, one of populations, one of variants with the counts of all
// populations packed in a BLOB (12 bytes per population: AC, AN, hom-alt as little-endian uint32), and two
// indexes (by ID, by chromosome and position).
extern const char* const kReleaseSchema;

std::string pack_counts(std::span<const PublishedCounts> counts);
// Throws Error when `bytes` does not hold exactly `pop_ct` populations.
std::vector<PublishedCounts> unpack_counts(const void* bytes, std::size_t size, std::size_t pop_ct);

// XXH3-128 over the populations and the variant rows in row order ("xxh128:<32 hex digits>").
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;
  void add_population(const ReleasePopulation& population);
  void add_variant(std::string_view chrom, std::int64_t pos, std::string_view id, std::string_view ref,
                   std::string_view alt, std::string_view packed_counts);
  std::string finish();

 private:
  void add_field(std::string_view bytes);
  struct State;
  std::unique_ptr<State> state_;
};

// An SQLite connection that closes itself; every failure is an Error naming the file.
class SqliteFile {
 public:
  // `shown`: the name errors give the file (default `path`; a URI is opened under the file's own name).
  SqliteFile(const std::string& path, int flags, const std::string& shown = "");
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  void exec(const std::string& sql);
  sqlite3_stmt* prepare(std::string_view sql);  // caller finalizes (see Statement below)
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement that finalizes itself.
class SqliteStatement {
 public:
  SqliteStatement(SqliteFile& db, std::string_view sql) : db_(&db), stmt_(db.prepare(sql)) {}
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  void bind(int index, double value);
  void bind_blob(int index, std::string_view bytes);
  void bind_null(int index);
  bool step();  // true while a row is available
  void run();   // steps once (no rows expected), then resets
  void reset();
  std::string text(int column) const;
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  SqliteFile* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace genomap::freqdb
