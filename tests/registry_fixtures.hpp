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

#include <map>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>

#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/sqlite.hpp"
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

// What an attacker with write access and genomap's source can do without any key: append a well-formed entry
// that inserts a donor (row, entry, digest, head and checkpoint all consistent), in the name of `actor`.
inline void forge_donor_entry(const std::string& db_path, const std::string& actor, const std::string& donor_id) {
  auto db = std::make_unique<registry::Database>(db_path, registry::Database::Mode::ReadWrite);
  db->exec("BEGIN IMMEDIATE");
  const std::string time = registry::now_utc();
  const nlohmann::json row = {{"donor_id", donor_id}, {"sex", "male"},       {"birth_year", nullptr},
                              {"population", nullptr}, {"region", nullptr},  {"country", nullptr},
                              {"latitude", nullptr},   {"longitude", nullptr}, {"conditions", ""},
                              {"recorded_at", time},   {"actor", actor}};
  db->prepare("INSERT INTO donor (donor_id, sex, conditions, recorded_at, actor) VALUES (?, 'male', '', ?, ?)")
      .bind(1, donor_id)
      .bind(2, time)
      .bind(3, actor)
      .run();
  nlohmann::json details = {{"type", "donor"}, {"actor", actor}, {"kind", "donor"}};
  details["changes"] = nlohmann::json::array({{{"op", "insert"}, {"table", "donor"}, {"row", row}}});
  details["state"] = registry::state_digest(registry::read_state(*db));
  const auto e = registry::append_audit(*db, time, "add", details.dump());
  db->prepare("UPDATE audit_checkpoint SET seq = ?, hash = ?").bind(1, e.seq).bind(2, e.hash).run();
  db->exec("COMMIT");
}

// Grants `role` to `actor` (the test runs as the registry's creator, its admin).
inline void grant_role(const std::string& db, const std::string& actor, const std::string& role) {
  auto r = run_genomap("registry role grant --db " + db + " --to " + actor + " --role " + role);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// Records data-access request `id` for `purpose` (requester Zoe at InstZ, a not-for-profit in DE, no
// commercial use, dated 2020-06-01; `extra` FIELD=VALUE words replace those) and approves it that day with
// `conditions`, both by the test's user (the registry's admin).
inline void approved_request(const std::string& db, const std::string& id, const std::string& purpose,
                             const std::string& extra = "", const std::string& conditions = "") {
  std::map<std::string, std::string> fields = {{"request_id", id},          {"requester", "Zoe"},
                                               {"institution", "InstZ"},    {"institution_type", "not-for-profit"},
                                               {"commercial_use", "no"},    {"country", "DE"},
                                               {"purpose", purpose},        {"project", "P1"},
                                               {"date", "2020-06-01"}};
  std::istringstream words(extra);
  for (std::string w; words >> w;) fields[w.substr(0, w.find('='))] = w.substr(w.find('=') + 1);
  std::string args;
  for (const auto& [k, v] : fields) args += " '" + k + "=" + v + "'";
  auto r = run_genomap("registry request add --db " + db + args);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry request approve --db " + db + " --request " + id + " --date 2020-06-01" +
                  (conditions.empty() ? "" : " --conditions '" + conditions + "'"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
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
