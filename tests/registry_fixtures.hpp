// Helpers for the registry tests: small CSV files, counting rows through the SQLite API, waiting for a child.
#pragma once
// GCC 12 reports a false -Wrestrict inside std::string's operator+ at -O3 (GCC bug 105329); the registry tests
// build many messages that way.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <string>

#include "test_support.hpp"

namespace genomap::test {

inline const char* kDonorHeader = "donor_id,sex,birth_year,population,region,country,latitude,longitude,conditions\n";
inline const char* kSampleHeader =
    "sample_id,donor_id,genotype_fid,genotype_iid,material,amount,unit,collection_date,collection_site,organisation,"
    "country,storage_state,storage_temperature_c\n";
inline const char* kConsentHeader = "consent_id,donor_id,codes,consent_date,withdrawn_date,withdrawal_reason\n";

// Runs one SQL statement on a database with the raw C API and returns the first column of its first row ("" when
// it returns no rows).
inline std::string query_text(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open>";
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  std::string out = "<error>";
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
  if (rc == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  } else if (rc == SQLITE_DONE) {
    out = "";  // no rows
  } else {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

inline long long query_count(const std::string& db_path, const std::string& sql) {
  const std::string t = query_text(db_path, sql);
  try {
    return std::stoll(t);
  } catch (...) {
    ADD_FAILURE() << sql << " -> " << t;
    return -1;
  }
}

// Executes SQL read-write (the tests use it to play an attacker editing the file). Returns SQLite's message or "".
inline std::string exec_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  char* message = nullptr;
  std::string out;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) out = message ? message : "error";
  sqlite3_free(message);
  sqlite3_close(db);
  return out;
}

inline long long file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : -1;
}

// A registry with `n` donors D1..Dn (GRU consent) and one sample each, created through the command line.
inline std::string make_registry(const std::string& dir, int n) {
  const std::string db = dir + "/registry.db";
  std::string donors = kDonorHeader, samples = kSampleHeader, consents = kConsentHeader;
  for (int i = 1; i <= n; ++i) {
    donors += "D" + std::to_string(i) + ",female,1970,,,,,,\n";
    samples += "S" + std::to_string(i) + ",D" + std::to_string(i) + ",,,DNA,1,mg,2020-01-01,,Biobank A,FR,frozen,-80\n";
    consents += "C" + std::to_string(i) + ",D" + std::to_string(i) + ",GRU,2019-01-01,,\n";
  }
  write_text(dir + "/d.csv", donors);
  write_text(dir + "/s.csv", samples);
  write_text(dir + "/c.csv", consents);
  auto r = run_genomap("registry init --db " + db + " --out " + dir + "/init");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --samples " + dir + "/s.csv --consents " +
                  dir + "/c.csv --out " + dir + "/import");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return db;
}

}  // namespace genomap::test
