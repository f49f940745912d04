#include "genomap/freqdb/frequency_database.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "genomap/core/error.hpp"
#include "genomap/freqdb/release_storage.hpp"

namespace genomap::freqdb {

struct FrequencyDatabase::Connection {
  SqliteFile file;
  SqliteStatement by_id, by_position, region;
  Connection(const std::string& uri, const std::string& path)
      : file(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, path),
        by_id(file,
              "SELECT variant_idx, chrom, pos, id, ref, alt, counts FROM variant WHERE id = ? "
              "ORDER BY variant_idx LIMIT ?"),
        by_position(file,
                    "SELECT variant_idx, chrom, pos, id, ref, alt, counts FROM variant WHERE chrom = ? AND "
                    "pos = ? ORDER BY variant_idx LIMIT ?"),
        region(file,
               "SELECT variant_idx, chrom, pos, id, ref, alt, counts FROM variant WHERE chrom = ?1 AND "
               "pos BETWEEN ?2 AND ?3 AND (pos > ?4 OR (pos = ?4 AND variant_idx > ?5)) "
               "ORDER BY pos, variant_idx LIMIT ?6") {
    // Pages are read through a memory map shared by every connection (the OS page cache), rather than copied
    // into each connection's private cache: random point queries then cost no system call.
    file.exec("PRAGMA mmap_size = 4294967296");
  }
};

// Hands a pooled connection to one query and returns it to the pool afterwards.
class FrequencyDatabase::Lease {
 public:
  explicit Lease(const FrequencyDatabase& db) : db_(db) {
    {
      std::lock_guard lock(db_.pool_mutex_);
      if (!db_.idle_.empty()) {
        connection_ = std::move(db_.idle_.back());
        db_.idle_.pop_back();
      }
    }
    if (!connection_) connection_ = db_.open_connection();
  }
  ~Lease() {
    std::lock_guard lock(db_.pool_mutex_);
    db_.idle_.push_back(std::move(connection_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  const FrequencyDatabase& db_;
  std::unique_ptr<Connection> connection_;
};

namespace {

// SQLite URI for a read-only, immutable open: no lock, no journal, no write of any kind.
std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '?' || c == '#' || c == '%' || c < 0x20 || c >= 0x7f)
      uri += fmt::format("%{:02X}", c);
    else
      uri.push_back(static_cast<char>(c));
  }
  return uri + "?mode=ro&immutable=1";
}

std::vector<ReleaseVariant> read_rows(SqliteStatement& st, std::size_t pop_ct) {
  std::vector<ReleaseVariant> out;
  while (st.step()) {
    ReleaseVariant v;
    v.chrom = st.text(1);
    v.pos = st.integer(2);
    v.id = st.text(3);
    v.ref = st.text(4);
    v.alt = st.text(5);
    v.counts = unpack_counts(sqlite3_column_blob(st.get(), 6),
                             static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 6)), pop_ct);
    out.push_back(std::move(v));
  }
  st.reset();
  return out;
}

std::uint64_t parse_count(const std::map<std::string, std::string>& facts, const std::string& key,
                          const std::string& path) {
  auto it = facts.find(key);
  try {
    if (it != facts.end()) return std::stoull(it->second);
  } catch (const std::exception&) {
  }
  throw Error(path, 0, fmt::format("release fact '{}' is missing or not a number", key));
}

}  // namespace

std::unique_ptr<FrequencyDatabase::Connection> FrequencyDatabase::open_connection() const {
  return std::make_unique<Connection>(immutable_uri(path_), path_);
}

FrequencyDatabase::FrequencyDatabase(const std::string& path) : path_(path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path, 0, "no such frequency release");
  auto connection = open_connection();
  std::map<std::string, std::string> facts;
  {
    SqliteStatement st(connection->file, "SELECT key, value FROM release");
    while (st.step()) facts[st.text(0)] = st.text(1);
  }
  if (facts["format"] != kReleaseFormat)
    throw Error(path, 0, fmt::format("release format '{}', expected '{}'", facts["format"], kReleaseFormat));
  info_.format = facts["format"];
  info_.version = facts["version"];
  info_.created = facts["created"];
  info_.genomap_version = facts["genomap_version"];
  info_.content_hash = facts["content_hash"];
  info_.min_count = static_cast<std::uint32_t>(parse_count(facts, "min_count", path));
  info_.variant_ct = parse_count(facts, "variant_ct", path);
  info_.samples_counted = parse_count(facts, "samples_counted", path);
  try {
    info_.parameters = nlohmann::json::parse(facts["parameters"]);
    info_.hidden_populations =
        nlohmann::json::parse(facts["hidden_populations"]).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(path, 0, std::string("corrupt release facts: ") + e.what());
  }
  SqliteStatement st(
      connection->file,
      "SELECT name, sample_ct, latitude, longitude, merged_from FROM population ORDER BY pop_idx");
  while (st.step()) {
    ReleasePopulation p;
    p.name = st.text(0);
    p.sample_ct = static_cast<std::uint32_t>(st.integer(1));
    if (sqlite3_column_type(st.get(), 2) != SQLITE_NULL) p.latitude = sqlite3_column_double(st.get(), 2);
    if (sqlite3_column_type(st.get(), 3) != SQLITE_NULL) p.longitude = sqlite3_column_double(st.get(), 3);
    try {
      p.merged_from = nlohmann::json::parse(st.text(4)).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      throw Error(path, 0, std::string("corrupt population row: ") + e.what());
    }
    populations_.push_back(std::move(p));
  }
  if (populations_.empty()) throw Error(path, 0, "the release has no population");
  idle_.push_back(std::move(connection));
}

FrequencyDatabase::~FrequencyDatabase() = default;

std::vector<ReleaseVariant> FrequencyDatabase::find_by_id(std::string_view id, std::size_t limit) const {
  Lease c(*this);
  c->by_id.bind(1, id);
  c->by_id.bind(2, static_cast<std::int64_t>(limit));
  return read_rows(c->by_id, populations_.size());
}

std::vector<ReleaseVariant> FrequencyDatabase::find_at(std::string_view chrom, std::int64_t pos,
                                                       std::optional<std::string_view> ref,
                                                       std::optional<std::string_view> alt,
                                                       std::size_t limit) const {
  Lease c(*this);
  c->by_position.bind(1, chrom);
  c->by_position.bind(2, pos);
  // Allele filters are applied here rather than in SQL: few variants share a position.
  c->by_position.bind(3, static_cast<std::int64_t>(ref || alt ? 1000 : limit));
  auto rows = read_rows(c->by_position, populations_.size());
  std::erase_if(rows,
                [&](const ReleaseVariant& v) { return (ref && v.ref != *ref) || (alt && v.alt != *alt); });
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

RegionPage FrequencyDatabase::region(std::string_view chrom, std::int64_t start, std::int64_t end,
                                     RegionCursor after, std::size_t limit) const {
  Lease c(*this);
  auto& st = c->region;
  st.bind(1, chrom);
  st.bind(2, start);
  st.bind(3, end);
  st.bind(4, after.pos);
  st.bind(5, after.variant_idx);
  st.bind(6, static_cast<std::int64_t>(limit + 1));  // one more tells whether another page exists
  std::vector<std::int64_t> indices;
  RegionPage page;
  while (st.step()) {
    indices.push_back(st.integer(0));
    ReleaseVariant v;
    v.chrom = st.text(1);
    v.pos = st.integer(2);
    v.id = st.text(3);
    v.ref = st.text(4);
    v.alt = st.text(5);
    v.counts =
        unpack_counts(sqlite3_column_blob(st.get(), 6),
                      static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 6)), populations_.size());
    page.variants.push_back(std::move(v));
  }
  st.reset();
  if (page.variants.size() > limit) {
    page.variants.resize(limit);
    page.next = RegionCursor{page.variants.back().pos, indices[limit - 1]};
  }
  return page;
}

std::string FrequencyDatabase::recompute_content_hash() const {
  Lease c(*this);
  ContentHasher hasher;
  for (const auto& p : populations_) hasher.add_population(p);
  SqliteStatement st(c->file, "SELECT chrom, pos, id, ref, alt, counts FROM variant ORDER BY variant_idx");
  while (st.step()) {
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(st.get(), 5));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 5));
    hasher.add_variant(st.text(0), st.integer(1), st.text(2), st.text(3), st.text(4),
                       std::string_view(blob ? blob : "", size));
  }
  return hasher.finish();
}

}  // namespace genomap::freqdb
