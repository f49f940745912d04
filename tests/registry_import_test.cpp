// Registry records through the command line: all-or-nothing CSV import, every kind of bad input with the
// exact located message, eligibility rules, the report, and tamper detection in the audit log.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "genomap/registry/schema.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RegistryImport, OneBadLineImportsNothing) {
  const std::string dir = scratch_dir("registry_import_bad_line");
  const std::string db = make_registry(dir, 3);
  std::string samples = kSampleHeader;
  samples += "T1,D1,,,DNA,1,mg,2020-01-01,,Lab,FR,frozen,-80\n";
  samples += "T2,D2,,,DNA,2,mg,2020-01-01,,Lab,FR,frozen,-80\n";
  samples += "T3,D3,,,DNA,-0.5,mg,2020-01-01,,Lab,FR,frozen,-80\n";  // line 4
  samples += "T4,D3,,,DNA,2,mg,2020-01-01,,Lab,FR,frozen,-80\n";
  write_text(dir + "/bad.csv", samples);
  auto r = run_genomap("registry import --db " + db + " --samples " + dir + "/bad.csv --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(
      contains(r.output, "genomap registry: error: " + dir + "/bad.csv:4: field 'amount': -0.5 is negative"))
      << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM sample"), 3);  // the three from make_registry only
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM sample WHERE sample_id LIKE 'T%'"), 0);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM audit_log WHERE action = 'import'"), 3);
  EXPECT_FALSE(std::filesystem::exists(dir + "/bad.log"));  // a failed run writes nothing
}

// CSV as spreadsheets write it (RFC 4180): quoted fields holding commas and doubled quotes, spaces around
// fields; an unterminated quote is an error naming the file and line, and imports nothing.
TEST(RegistryImport, QuotedCsvFieldsAreReadAsSpreadsheetsWriteThem) {
  const std::string dir = scratch_dir("registry_import_quoting");
  const std::string db = make_registry(dir, 1);
  std::string donors = kDonorHeader;
  donors += "Q1,female,1970,\"Yoruba, Ibadan\",Oyo,NG,7.38,3.94,\n";
  donors += "Q2,male,1980, \"Han \"\"North\"\"\" ,Hebei,CN,,,\"\"\n";
  donors += "\"Q3\",female,1990,,,,,,\n";
  write_text(dir + "/quoted.csv", donors);
  auto r = run_genomap("registry import --db " + db + " --donors " + dir + "/quoted.csv --out " + dir + "/q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_text(db, "SELECT population FROM donor WHERE donor_id = 'Q1'"), "Yoruba, Ibadan");
  EXPECT_EQ(query_text(db, "SELECT latitude || ' ' || longitude FROM donor WHERE donor_id = 'Q1'"),
            "7.38 3.94");
  EXPECT_EQ(query_text(db, "SELECT population || '|' || region FROM donor WHERE donor_id = 'Q2'"),
            "Han \"North\"|Hebei");
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id = 'Q3'"), 1);

  std::string bad = kDonorHeader;
  bad += "U1,female,1970,,,,,,\n";
  bad += "U2,female,1970,\"Yoruba, Ibadan,Oyo,NG,,,\n";  // line 3: the quote never closes
  write_text(dir + "/unterminated.csv", bad);
  r = run_genomap("registry import --db " + db + " --donors " + dir + "/unterminated.csv --out " + dir +
                  "/u");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, dir + "/unterminated.csv:3: unterminated quoted field")) << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id LIKE 'U%'"), 0);
}

struct BadInput {
  const char* name;
  const char* kind;  // --donors, --samples, --consents
  std::string csv;
  std::string message;  // expected after "<file>:"
};

TEST(RegistryImport, BadInputIsRefusedWithFileLineAndField) {
  const std::string dir = scratch_dir("registry_import_bad_input");
  const std::string db = make_registry(dir, 2);
  const std::vector<BadInput> cases = {
      {"unknown_duo", "--consents", std::string(kConsentHeader) + "C9,D1,GRU;XYZ,2020-01-01,,\n",
       "2: field 'codes': unknown DUO code 'XYZ'"},
      {"future_date", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,1,mg,2999-01-01,,Lab,FR,frozen,-80\n",
       "2: field 'collection_date': date 2999-01-01 is in the future"},
      {"future_consent", "--consents", std::string(kConsentHeader) + "C9,D1,GRU,2999-12-31,,\n",
       "2: field 'consent_date': date 2999-12-31 is in the future"},
      {"bad_date", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,1,mg,2021-02-30,,Lab,FR,frozen,-80\n",
       "2: field 'collection_date': '2021-02-30' is not a calendar date"},
      {"negative_amount", "--samples", std::string(kSampleHeader) + "T1,D1,,,DNA,-3,g,2020-01-01,,Lab,FR,,\n",
       "2: field 'amount': -3 is negative"},
      {"unknown_unit", "--samples", std::string(kSampleHeader) + "T1,D1,,,DNA,3,pints,2020-01-01,,Lab,FR,,\n",
       "2: field 'unit': unknown unit 'pints'"},
      {"duplicate_in_db", "--donors", std::string(kDonorHeader) + "D9,male,1980,,,,,,\nD1,male,1980,,,,,,\n",
       "3: field 'donor_id': duplicate ID 'D1'"},
      {"duplicate_in_file", "--donors",
       std::string(kDonorHeader) + "D9,male,1980,,,,,,\nD9,male,1980,,,,,,\n",
       "3: field 'donor_id': duplicate ID 'D9'"},
      {"unknown_donor", "--samples", std::string(kSampleHeader) + "T1,D77,,,DNA,1,mg,2020-01-01,,Lab,FR,,\n",
       "2: field 'donor_id': unknown donor 'D77'"},
      {"unknown_donor_consent", "--consents", std::string(kConsentHeader) + "C9,D77,GRU,2020-01-01,,\n",
       "2: field 'donor_id': unknown donor 'D77'"},
      {"withdrawn_before_consent", "--consents",
       std::string(kConsentHeader) + "C9,D1,GRU,2020-01-01,2019-01-01,\n",
       "2: field 'withdrawn_date': 2019-01-01 is before the consent date 2020-01-01"},
      {"missing_column", "--donors", "sex\nmale\n", "1: required column 'donor_id' is missing"},
      {"unknown_column", "--donors", "donor_id,shoe_size\nD9,44\n",
       "1: column 'shoe_size' is not a field of a donor record"},
      {"field_count", "--donors", std::string(kDonorHeader) + "D9,male\n",
       "2: 2 fields, but the header has 9"},
      {"bad_sex", "--donors", std::string(kDonorHeader) + "D9,yes,1980,,,,,,\n",
       "2: field 'sex': 'yes' is not one of male, female, other, unknown"},
      {"latitude", "--donors", std::string(kDonorHeader) + "D9,male,1980,,,,95,0,\n",
       "2: field 'latitude': 95 is outside [-90, 90]"},
      // Strict input (issue 14, defects 8-11 and 15).
      {"invalid_utf8", "--donors",
       std::string(kDonorHeader) + "D9,male,1980,,,,,,\nD10,male,1980,Popul\xff,,,,,\n",
       "3: not valid UTF-8"},
      {"escape_in_id", "--donors", std::string(kDonorHeader) + "D\x1b[31m9,male,1980,,,,,,\n",
       "2: field 'donor_id': contains a control character (byte 0x1b)"},
      {"hash_in_id", "--donors", std::string(kDonorHeader) + "D#9,male,1980,,,,,,\n",
       "2: field 'donor_id': 'D#9': '#' is kept for IDs genomap generates"},
      {"nan_latitude", "--donors", std::string(kDonorHeader) + "D9,male,1980,,,,nan,0,\n",
       "2: field 'latitude': 'nan' is not a number"},
      {"inf_temperature", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,1,mg,2020-01-01,,Lab,FR,frozen,inf\n",
       "2: field 'storage_temperature_c': 'inf' is not a number"},
      {"hex_birth_year", "--donors", std::string(kDonorHeader) + "D9,male,0x7b2,,,,,,\n",
       "2: field 'birth_year': '0x7b2' is not a number"},
      {"nan_amount", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,nan,mg,2020-01-01,,Lab,FR,frozen,-80\n",
       "2: field 'amount': 'nan' is not a number"},
      {"country_name", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,1,mg,2020-01-01,,Lab,Germany,,\n",
       "2: field 'country': 'Germany' is not an ISO 3166-1 country code"},
      {"poa_npoa", "--consents", std::string(kConsentHeader) + "C9,D1,POA;NPOA,2020-01-01,,\n",
       "2: field 'codes': consent codes 'POA;NPOA' permit nothing"},
      {"ds_colon_name", "--consents", std::string(kConsentHeader) + "C9,D1,DS:hepatitis,2020-01-01,,\n",
       "2: field 'codes': 'DS:HEPATITIS': DS: takes a MONDO ID"},
      {"header_only", "--donors", std::string(kDonorHeader),
       "1: no records after the header line (nothing imported)"},
      {"collected_before_birth", "--samples",
       std::string(kSampleHeader) + "T1,D1,,,DNA,1,mg,1960-01-01,,Lab,FR,,\n",
       "2: field 'collection_date': 1960-01-01 is before the donor's year of birth 1970"},
  };
  for (const auto& c : cases) {
    const std::string file = dir + "/" + c.name + ".csv";
    write_text(file, c.csv);
    const auto before = query_count(db,
                                    "SELECT (SELECT count(*) FROM donor) + (SELECT count(*) FROM sample) + "
                                    "(SELECT count(*) FROM consent) + (SELECT count(*) FROM audit_log)");
    auto r = run_genomap("registry import --db " + db + " " + c.kind + " " + file + " --out " + dir + "/" +
                         c.name);
    EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.output;
    EXPECT_TRUE(contains(r.output, "genomap registry: error: " + file + ":" + c.message))
        << c.name << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << c.name << ": one line: " << r.output;
    EXPECT_EQ(query_count(db,
                          "SELECT (SELECT count(*) FROM donor) + (SELECT count(*) FROM sample) + "
                          "(SELECT count(*) FROM consent) + (SELECT count(*) FROM audit_log)"),
              before)
        << c.name;
    EXPECT_FALSE(std::filesystem::exists(dir + "/" + c.name + ".log")) << c.name;
  }
  // `registry add` goes through the same validation.
  auto r = run_genomap("registry add sample --db " + db +
                       " sample_id=T1 donor_id=D1 material=DNA amount=-1 unit=g "
                       "collection_date=2020-01-01 organisation=Lab");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "registry add sample: field 'amount': -1 is negative")) << r.output;
  r = run_genomap("registry withdraw --db " + db + " --donor D1 --date 2999-01-01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "date 2999-01-01 is in the future")) << r.output;
  r = run_genomap("registry withdraw --db " + db + " --donor D77");
  EXPECT_TRUE(contains(r.output, "unknown donor 'D77'")) << r.output;
  r = run_genomap("registry init --db " + db);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "already exists")) << r.output;
  write_text(dir + "/not_a_registry.db", "");
  r = run_genomap("registry report --db " + dir + "/not_a_registry.db");
  EXPECT_TRUE(contains(r.output, "not a genomap registry database")) << r.output;
}

TEST(RegistryImport, EligibilityRulesListEachFailingSampleWithItsRule) {
  const std::string dir = scratch_dir("registry_eligibility");
  const std::string db = dir + "/r.db";
  write_text(dir + "/d.csv", std::string(kDonorHeader) +
                                 "A,female,1980,,,,,,\nB,male,1980,,,,,,HIV;Hepatitis C\n"
                                 "C,male,1980,,,,,,musculoskeletal injury\nE,male,1980,,,,,,asthma\n");
  write_text(dir + "/s.csv",
             std::string(kSampleHeader) +
                 "S1,A,,,whole blood,250,mg,2020-01-01,,Lab,FR,frozen,-80\n"   // passes: 250 mg = 0.25 g
                 "S2,A,,,DNA,0.2,g,2020-01-01,,Lab,FR,frozen,-80\n"            // too little
                 "S3,B,,,DNA,1,g,2020-01-01,,Lab,FR,frozen,-70\n"              // HIV, hep C; -70 passes
                 "S4,C,,,DNA,1,g,2020-01-01,,Lab,FR,refrigerated,4\n"          // injury, storage x2
                 "S5,E,,,synovial fluid,2,mL,2020-01-01,,Lab,FR,frozen,-80\n"  // passes: 2 mL >= 1 mL
                 "S6,E,,,DNA,,,2020-01-01,,Lab,FR,frozen,-80\n");              // amount not recorded
  write_text(dir + "/rules.toml",
             "[donor]\nexclude_conditions = [\"HIV\", \"hepatitis B\", \"hepatitis C\", \"syphilis\", "
             "\"musculoskeletal injury\"]\n[sample]\nmin_amount = [\"0.25 g\", \"1 mL\"]\n"
             "max_storage_temperature_c = -70\nstorage_states = [\"frozen\"]\n");
  ASSERT_EQ(run_genomap("registry init --db " + db).exit_code, 0);
  auto r =
      run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --samples " + dir + "/s.csv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry check --db " + db + " --rules " + dir + "/rules.toml --out " + dir + "/chk");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "4 of 6 samples fail")) << r.output;
  const Table t = read_table(dir + "/chk.registry_check.tsv");
  std::vector<std::string> got;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    got.push_back(t.text(i, "sample_id") + " " + t.text(i, "rule"));
  const std::vector<std::string> expected = {
      "S2 sample.min_amount",        "S3 donor.exclude_conditions", "S3 donor.exclude_conditions",
      "S4 donor.exclude_conditions", "S4 sample.storage_states",    "S4 sample.max_storage_temperature_c",
      "S6 sample.min_amount"};
  EXPECT_EQ(got, expected);
  // JSON carries the same rows.
  r = run_genomap("registry check --db " + db + " --rules " + dir + "/rules.toml --format json --out " + dir +
                  "/chk");
  EXPECT_TRUE(contains(read_text(dir + "/chk.registry_check.json"), "\"detail\": \"0.2 g < 0.25 g\""));
  // A misspelt rule is an error naming the file and line, not a rule silently ignored.
  write_text(dir + "/typo.toml", "[sample]\nmin_amount = \"0.25 g\"\nmax_storage_temp = -70\n");
  r = run_genomap("registry check --db " + db + " --rules " + dir + "/typo.toml --out " + dir + "/typo");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, dir + "/typo.toml:3: unknown rule 'sample.max_storage_temp'")) << r.output;
  write_text(dir + "/unit.toml", "[sample]\nmin_amount = \"0.25 pounds\"\n");
  r = run_genomap("registry check --db " + db + " --rules " + dir + "/unit.toml --out " + dir + "/unit");
  EXPECT_TRUE(contains(r.output, "unit.toml:2: sample.min_amount: unknown unit 'pounds'")) << r.output;
}

TEST(RegistryImport, ReportGroupsCollectionsAndExportsPerOrganisationAndCountry) {
  const std::string dir = scratch_dir("registry_report");
  const std::string db = dir + "/r.db";
  ASSERT_EQ(run_genomap("registry init --db " + db).exit_code, 0);
  write_text(dir + "/d.csv",
             std::string(kDonorHeader) + "A,female,1980,,,,,,\nB,male,1980,,,,,,\nC,male,1980,,,,,,\n");
  write_text(dir + "/s.csv", std::string(kSampleHeader) +
                                 "S1,A,,IA,DNA,1,g,2020-01-01,Lyon,LabX,FR,frozen,-80\n"
                                 "S2,B,,IB,DNA,1,g,2020-01-01,Lyon,LabX,FR,frozen,-80\n"
                                 "S3,C,,IC,RNA,1,g,2020-01-01,Accra,LabY,GH,frozen,-80\n");
  write_text(dir + "/c.csv", std::string(kConsentHeader) +
                                 "CA,A,GRU,2019-01-01,,\nCB,B,GRU,2019-01-01,,\n"
                                 "CC,C,HMB,2019-01-01,,\n");
  write_text(
      dir + "/e.csv",
      "export_id,sample_id,what,request_id,recipient_organisation,recipient_country,purpose,approval_"
      "reference,"
      "date\nE1,S1,genotypes,DAC-1,InstZ,DE,HMB,DAC-1,2021-01-01\nE2,S2,genotypes,DAC-1,InstZ,DE,HMB,DAC-1,"
      "2021-03-01\n");
  auto r = run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --samples " + dir +
                       "/s.csv " + "--consents " + dir + "/c.csv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  approved_request(db, "DAC-1", "HMB");
  approved_request(db, "DAC-2", "POA");
  r = run_genomap("registry import --db " + db + " --exports " + dir + "/e.csv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // An export the consent does not cover is refused: C has HMB only.
  write_text(dir + "/e2.csv", "export_id,sample_id,what,request_id,date\nE3,S3,genotypes,DAC-2,2021-01-01\n");
  r = run_genomap("registry import --db " + db + " --exports " + dir + "/e2.csv");
  EXPECT_TRUE(contains(r.output,
                       "e2.csv:2: field 'purpose': not allowed by consent 'CC': HMB consent does not cover "
                       "population origins/ancestry research"))
      << r.output;
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor B --reason moved").exit_code, 0);
  r = run_genomap("registry export --db " + db + " --sample S2 --what genotypes --request DAC-1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "was withdrawn on")) << r.output;

  r = run_genomap("registry report --db " + db + " --out " + dir + "/rep");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table c = read_table(dir + "/rep.registry_collections.tsv");
  ASSERT_EQ(c.rows.size(), 3u);
  // Sorted by organisation, country, site, material, consent; B's consent is withdrawn.
  EXPECT_EQ(c.rows[0], (std::vector<std::string>{"LabX", "FR", "Lyon", "DNA", "GRU", "1", "1"}));
  EXPECT_EQ(c.rows[1], (std::vector<std::string>{"LabX", "FR", "Lyon", "DNA", "withdrawn", "1", "1"}));
  EXPECT_EQ(c.rows[2], (std::vector<std::string>{"LabY", "GH", "Accra", "RNA", "HMB", "1", "1"}));
  const Table s = read_table(dir + "/rep.registry_sent.tsv");
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.text(0, "recipient_country"), "DE");
  EXPECT_EQ(s.text(0, "exports"), "2");
  EXPECT_EQ(s.text(0, "first_date"), "2021-01-01");
  EXPECT_EQ(s.text(0, "last_date"), "2021-03-01");
  r = run_genomap("registry report --db " + db + " --format json --out " + dir + "/rep");
  const std::string json = read_text(dir + "/rep.registry_report.json");
  EXPECT_TRUE(contains(json, "\"withdrawn_donors\": 1"));
  EXPECT_TRUE(contains(json, "\"consent\": \"withdrawn\"")) << json;
  EXPECT_TRUE(contains(json, "\"consent\": \"HMB\""));
}

TEST(RegistryAudit, VerifyFindsEditedAndDeletedEntries) {
  const std::string dir = scratch_dir("registry_audit");
  const std::string db = make_registry(dir, 3);  // entries: migrate, 3 imports
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D2").exit_code, 0);  // entry 5
  auto r = run_genomap("registry audit verify --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "audit log verified: 5 entries")) << r.output;

  // The log is append-only inside SQLite: a plain UPDATE or DELETE is refused.
  EXPECT_TRUE(contains(exec_sql(db, "UPDATE audit_log SET details = '{}' WHERE seq = 3"), "append-only"));
  EXPECT_TRUE(contains(exec_sql(db, "DELETE FROM audit_log WHERE seq = 3"), "append-only"));

  // An attacker drops a trigger, edits, and puts the trigger back (a missing trigger is itself reported).
  const std::string no_update = registry::schema_triggers(2)[0].second;
  const std::string no_delete = registry::schema_triggers(2)[1].second;
  const std::string edited = dir + "/edited.db";
  std::filesystem::copy_file(db, edited);
  ASSERT_EQ(exec_sql(edited,
                     "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = "
                     "replace(details, '\"records\":3', '\"records\":2') WHERE seq = 3;" +
                         no_update),
            "");
  r = run_genomap("registry audit verify --db " + edited);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "audit log broken at entry 3: its content does not match its hash"))
      << r.output;

  // Entry 3's stored hash overwritten (content unchanged): found at entry 3, before entry 4's link is read. The
  // link check itself (entry 3 edited and consistently re-hashed, found at entry 4) is in registry_chain_test.
  const std::string rehashed = dir + "/rehashed.db";
  std::filesystem::copy_file(db, rehashed);
  ASSERT_EQ(exec_sql(rehashed,
                     "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = "
                     "'ab' || substr(hash, 3) WHERE seq = 3;" +
                         no_update),
            "");
  r = run_genomap("registry audit verify --db " + rehashed);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "audit log broken at entry 3: its content does not match its hash")) << r.output;

  // A deleted entry in the middle.
  const std::string deleted = dir + "/deleted.db";
  std::filesystem::copy_file(db, deleted);
  ASSERT_EQ(
      exec_sql(deleted, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;" + no_delete),
      "");
  r = run_genomap("registry audit verify --db " + deleted);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "audit log broken at entry 2: entry 2 is missing (deleted)")) << r.output;

  // The last entry deleted: the head still records it.
  const std::string truncated = dir + "/truncated.db";
  std::filesystem::copy_file(db, truncated);
  ASSERT_EQ(exec_sql(truncated,
                     "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5;" + no_delete),
            "");
  r = run_genomap("registry audit verify --db " + truncated);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(r.output, "audit log broken at entry 5: the log ends at entry 4 but the head records entry 5"))
      << r.output;

  // The original is untouched and lists its entries.
  r = run_genomap("registry audit list --db " + db + " --out " + dir + "/audit");
  const Table audit = read_table(dir + "/audit.registry_audit.tsv");
  ASSERT_EQ(audit.rows.size(), 5u);
  EXPECT_EQ(audit.text(0, "action"), "migrate");
  EXPECT_EQ(audit.text(4, "action"), "withdraw");
  EXPECT_EQ(audit.text(1, "prev_hash"), audit.text(0, "hash"));
}

}  // namespace
}  // namespace genomap::test
