// Storage choice for frequency releases: the SQLite layout genomap uses (one row per variant, counts packed in a
// BLOB, indexes by ID and by chromosome+position) against a memory-mapped sorted binary file (fixed-size records
// sorted by position, an ID index of sorted 64-bit hashes). Measures file size and point-query latency by ID and
// by position on N variants x P populations of synthetic data. Built and run by bench/freqdb_storage.sh.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <tuple>
#include <string>
#include <vector>

namespace {

struct Row {
  int chrom;
  std::uint32_t pos;
  std::string id;
  char ref, alt;
  std::vector<std::uint32_t> counts;  // 3 per population
};

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * (v.size() - 1))];
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

long file_size(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

// Fixed-size record of the binary layout.
struct BinaryRecord {
  std::uint8_t chrom;
  char ref, alt, pad;
  std::uint32_t pos;
  std::uint32_t id_offset;  // into the string table
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::size_t pops = argc > 2 ? std::stoul(argv[2]) : 4;
  const std::string dir = argc > 3 ? argv[3] : ".";
  const std::size_t queries = 200'000;
  std::mt19937_64 rng(42);
  std::vector<Row> rows(n);
  const char bases[] = "ACGT";
  for (std::size_t i = 0; i < n; ++i) {
    Row& r = rows[i];
    r.chrom = static_cast<int>(1 + i * 22 / n);
    r.pos = static_cast<std::uint32_t>(1000 + (i % (n / 22 + 1)) * 150 + rng() % 100);
    r.id = "rs" + std::to_string(100000 + i * 7);
    r.ref = bases[rng() % 4];
    r.alt = bases[(r.ref == 'A' ? 1 : 0) + rng() % 3];
    for (std::size_t p = 0; p < pops; ++p) {
      const std::uint32_t an = 20000, ac = static_cast<std::uint32_t>(rng() % 1000) * 20;
      r.counts.insert(r.counts.end(), {ac, an, ac / 60 * 20});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return std::tie(a.chrom, a.pos) < std::tie(b.chrom, b.pos); });
  std::vector<std::size_t> probe(queries);
  for (auto& q : probe) q = rng() % n;

  // --- SQLite
  const std::string sqlite_path = dir + "/storage.sqlite";
  std::remove(sqlite_path.c_str());
  sqlite3* db = nullptr;
  check(sqlite3_open(sqlite_path.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE TABLE variant (variant_idx INTEGER "
                         "PRIMARY KEY, chrom TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL, ref TEXT NOT NULL, "
                         "alt TEXT NOT NULL, counts BLOB NOT NULL); BEGIN;",
                     nullptr, nullptr, nullptr), db, "schema");
  sqlite3_stmt* ins = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO variant VALUES (?,?,?,?,?,?,?)", -1, &ins, nullptr), db, "prepare");
  for (std::size_t i = 0; i < n; ++i) {
    const Row& r = rows[i];
    const std::string chrom = std::to_string(r.chrom);
    sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(ins, 2, chrom.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, r.pos);
    sqlite3_bind_text(ins, 4, r.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, &r.ref, 1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, &r.alt, 1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 7, r.counts.data(), static_cast<int>(r.counts.size() * 4), SQLITE_STATIC);
    check(sqlite3_step(ins), db, "insert");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_exec(db, "COMMIT; CREATE INDEX variant_by_id ON variant(id); CREATE INDEX variant_by_position ON "
                         "variant(chrom, pos); VACUUM;", nullptr, nullptr, nullptr), db, "index");
  sqlite3_close(db);
  check(sqlite3_open_v2(("file:" + sqlite_path + "?mode=ro&immutable=1").c_str(), &db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr), db, "reopen");
  check(sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", nullptr, nullptr, nullptr), db, "mmap");  // as the service does
  sqlite3_stmt *by_id = nullptr, *by_pos = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT chrom,pos,id,ref,alt,counts FROM variant WHERE id=?", -1, &by_id, nullptr), db, "p1");
  check(sqlite3_prepare_v2(db, "SELECT chrom,pos,id,ref,alt,counts FROM variant WHERE chrom=? AND pos=?", -1, &by_pos, nullptr), db, "p2");
  std::vector<double> sql_id_us, sql_pos_us;
  std::size_t found = 0;
  for (std::size_t q : probe) {
    const Row& r = rows[q];
    auto t0 = std::chrono::steady_clock::now();
    sqlite3_bind_text(by_id, 1, r.id.c_str(), -1, SQLITE_STATIC);
    while (sqlite3_step(by_id) == SQLITE_ROW) found += sqlite3_column_bytes(by_id, 5) > 0;
    sqlite3_reset(by_id);
    auto t1 = std::chrono::steady_clock::now();
    const std::string chrom = std::to_string(r.chrom);
    sqlite3_bind_text(by_pos, 1, chrom.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(by_pos, 2, r.pos);
    while (sqlite3_step(by_pos) == SQLITE_ROW) found += sqlite3_column_bytes(by_pos, 5) > 0;
    sqlite3_reset(by_pos);
    auto t2 = std::chrono::steady_clock::now();
    sql_id_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    sql_pos_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  sqlite3_finalize(by_id);
  sqlite3_finalize(by_pos);
  sqlite3_close(db);

  // --- memory-mapped sorted binary: header, records, counts, ID index (hash, record), string table
  const std::string bin_path = dir + "/storage.bin";
  {
    std::FILE* f = std::fopen(bin_path.c_str(), "wb");
    std::vector<BinaryRecord> recs(n);
    std::string strings;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> index(n);
    for (std::size_t i = 0; i < n; ++i) {
      recs[i] = {static_cast<std::uint8_t>(rows[i].chrom), rows[i].ref, rows[i].alt, 0, rows[i].pos,
                 static_cast<std::uint32_t>(strings.size())};
      strings += rows[i].id;
      strings.push_back('\0');
      index[i] = {fnv1a(rows[i].id), static_cast<std::uint32_t>(i)};
    }
    std::sort(index.begin(), index.end());
    const std::uint64_t header[2] = {n, pops};
    std::fwrite(header, sizeof header, 1, f);
    std::fwrite(recs.data(), sizeof(BinaryRecord), n, f);
    for (const auto& r : rows) std::fwrite(r.counts.data(), 4, r.counts.size(), f);
    std::fwrite(index.data(), sizeof index[0], n, f);
    std::fwrite(strings.data(), 1, strings.size(), f);
    std::fclose(f);
  }
  const int fd = open(bin_path.c_str(), O_RDONLY);
  const std::size_t bin_size = static_cast<std::size_t>(file_size(bin_path));
  const auto* base = static_cast<const std::uint8_t*>(mmap(nullptr, bin_size, PROT_READ, MAP_PRIVATE, fd, 0));
  const auto* recs = reinterpret_cast<const BinaryRecord*>(base + 16);
  const auto* counts = reinterpret_cast<const std::uint32_t*>(base + 16 + n * sizeof(BinaryRecord));
  const auto* index = reinterpret_cast<const std::pair<std::uint64_t, std::uint32_t>*>(
      reinterpret_cast<const std::uint8_t*>(counts) + n * pops * 12);
  const char* strings = reinterpret_cast<const char*>(index + n);
  std::vector<double> bin_id_us, bin_pos_us;
  for (std::size_t q : probe) {
    const Row& r = rows[q];
    auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t h = fnv1a(r.id);
    auto it = std::lower_bound(index, index + n, std::make_pair(h, std::uint32_t{0}));
    for (; it != index + n && it->first == h; ++it)
      if (std::strcmp(strings + recs[it->second].id_offset, r.id.c_str()) == 0) found += counts[it->second * pops * 3] + 1 > 0;
    auto t1 = std::chrono::steady_clock::now();
    auto lo = std::lower_bound(recs, recs + n, r, [](const BinaryRecord& a, const Row& b) {
      return std::tie(a.chrom, a.pos) < std::make_tuple(static_cast<std::uint8_t>(b.chrom), b.pos);
    });
    for (; lo != recs + n && lo->chrom == r.chrom && lo->pos == r.pos; ++lo) found += counts[(lo - recs) * pops * 3] + 1 > 0;
    auto t2 = std::chrono::steady_clock::now();
    bin_id_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    bin_pos_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  munmap(const_cast<std::uint8_t*>(base), bin_size);
  close(fd);

  std::printf("variants %zu, populations %zu, queries %zu (found %zu)\n", n, pops, queries, found);
  std::printf("%-8s %12s %12s %10s %10s %10s %10s\n", "layout", "bytes", "B/var/pop", "id_p50", "id_p99", "pos_p50", "pos_p99");
  auto line = [&](const char* name, long bytes, const std::vector<double>& a, const std::vector<double>& b) {
    std::printf("%-8s %12ld %12.1f %9.2fus %9.2fus %9.2fus %9.2fus\n", name, bytes,
                static_cast<double>(bytes) / static_cast<double>(n * pops), percentile(a, 0.5), percentile(a, 0.99),
                percentile(b, 0.5), percentile(b, 0.99));
  };
  line("sqlite", file_size(sqlite_path), sql_id_us, sql_pos_us);
  line("mmap", static_cast<long>(bin_size), bin_id_us, bin_pos_us);
  std::remove(sqlite_path.c_str());
  std::remove(bin_path.c_str());
  return 0;
}
