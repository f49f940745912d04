// Impossible histories are refused (issue 14, defects 5, 6, 9, 11, 12, 15): exports before collection, after
// a recorded withdrawal or a destruction, genotypes of a sample never genotyped, custody after destruction,
// DUO modifiers on what is sent, genotype IDs shared by two donors, generated IDs that collide; and records
// are corrected by amendment and voiding, never erased.
#include <gtest/gtest.h>

#include "genomap/core/error.hpp"
#include "genomap/registry/duo.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// D1..D3 with samples S1..S3 (collected 2020-01-01, GRU consent from 2019); S1 and S2 genotyped as I1, I2.
std::string history_registry(const std::string& dir) {
  const std::string db = make_registry(dir, 3);
  EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S1 genotype_iid=I1").exit_code, 0);
  EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S2 genotype_iid=I2").exit_code, 0);
  approved_request(db, "GRU", "GRU");
  return db;
}

std::string export_cmd(const std::string& db, const std::string& sample, const std::string& what,
                       const std::string& request, const std::string& date) {
  return "registry export --db " + db + " --sample " + sample + " --what " + what + " --request " + request +
         " --date " + date;
}

TEST(RegistryHistory, ExportsThatCannotHaveHappenedAreRefused) {
  const std::string dir = scratch_dir("registry_history_exports");
  const std::string db = history_registry(dir);
  auto r = run_genomap(export_cmd(db, "S1", "genotypes", "GRU", "2019-06-01"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "field 'date': 2019-06-01 is before the sample was collected (2020-01-01)"))
      << r.output;
  r = run_genomap(export_cmd(db, "S3", "genotypes", "GRU", "2021-01-01"));
  EXPECT_TRUE(contains(r.output, "field 'what': sample 'S3' was never genotyped")) << r.output;
  // A country that is not an ISO 3166 code.
  r = run_genomap("registry export --db " + db +
                  " --sample S1 --what genotypes --request GRU --country Germany --date 2021-01-01");
  EXPECT_TRUE(contains(r.output, "field 'recipient_country': 'Germany' is not an ISO 3166-1 country code"))
      << r.output;

  // Withdrawn as of 2024-06-01: an export dated before it but recorded after it is refused.
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D2 --date 2024-06-01").exit_code, 0);
  r = run_genomap(export_cmd(db, "S2", "genotypes", "GRU", "2024-05-01"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "field 'purpose': consent 'C2' of donor 'D2' was withdrawn on 2024-06-01"))
      << r.output;

  // Material of a destroyed sample; and nothing happens to it after its destruction.
  r = run_genomap("registry custody --db " + db +
                  " --sample S1 --event destroyed --holder LabA --time 2022-01-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap(export_cmd(db, "S1", "material", "GRU", "2023-01-01"));
  EXPECT_TRUE(contains(r.output, "field 'what': sample 'S1' was destroyed at 2022-01-01")) << r.output;
  r = run_genomap("registry custody --db " + db +
                  " --sample S1 --event transferred --holder LabA --to LabB "
                  "--time 2023-01-01");
  EXPECT_TRUE(contains(r.output,
                       "field 'time': sample 'S1' was destroyed at 2022-01-01; nothing happens to it "
                       "afterwards"))
      << r.output;
  r = run_genomap("registry custody --db " + db +
                  " --sample S3 --event stored --holder LabA --time 2019-01-01");
  EXPECT_TRUE(contains(r.output, "field 'time': 2019-01-01 is before the sample was collected")) << r.output;
  // Its data may still be sent (genotypes do not go with the tube).
  r = run_genomap(export_cmd(db, "S1", "genotypes", "GRU", "2023-01-01"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM export"), 1);
}

// The chain of custody of a sample, as `registry custody --sample S` lists it: every event in time order with
// its holders, places and notes (tabs and newlines in a note flattened so the table keeps one row per event).
TEST(RegistryHistory, CustodyChainIsListedInTimeOrder) {
  const std::string dir = scratch_dir("registry_history_custody");
  const std::string db = history_registry(dir);
  for (const std::string event :
       {"--event transferred --holder LabA --to LabB --place Paris --time 2021-03-01 --event-id E2",
        "--event received --holder LabA --place Lyon --time 2020-02-01 --event-id E1 --note 'arrived cold'",
        "--event destroyed --holder LabB --time 2022-05-01 --event-id E3"}) {
    auto r = run_genomap("registry custody --db " + db + " --sample S1 " + event);
    ASSERT_EQ(r.exit_code, 0) << event << "\n" << r.output;
  }
  auto r = run_genomap("registry custody --db " + db + " --sample S1 --out " + dir + "/chain");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "3 custody events of sample S1")) << r.output;
  EXPECT_EQ(read_text(dir + "/chain.registry_custody.tsv"),
            "event_id\tsample_id\ttime\tevent\tholder\tplace\tto_holder\tnote\n"
            "E1\tS1\t2020-02-01\treceived\tLabA\tLyon\t\tarrived cold\n"
            "E2\tS1\t2021-03-01\ttransferred\tLabA\tParis\tLabB\t\n"
            "E3\tS1\t2022-05-01\tdestroyed\tLabB\t\t\t\n");
  r = run_genomap("registry custody --db " + db + " --sample S2 --out " + dir + "/none");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "0 custody events of sample S2")) << r.output;
}

TEST(RegistryHistory, DuoModifiersApplyToWhatIsSent) {
  const std::string dir = scratch_dir("registry_history_modifiers");
  const std::string db = history_registry(dir);
  ASSERT_EQ(run_genomap("registry add consent --db " + db +
                        " consent_id=C1g donor_id=D1 codes='HMB;GSO' "
                        "consent_date=2020-02-01")
                .exit_code,
            0);
  ASSERT_EQ(run_genomap("registry add consent --db " + db +
                        " consent_id=C2n donor_id=D2 codes='GRU;NPU;IRB' "
                        "consent_date=2020-02-01")
                .exit_code,
            0);
  approved_request(db, "HMB", "HMB");
  auto r = run_genomap(export_cmd(db, "S1", "phenotypes", "HMB", "2021-01-01"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output,
                       "field 'what': consent 'C1g' allows genetic studies only (GSO): phenotypes alone "
                       "are not sent"))
      << r.output;
  EXPECT_EQ(run_genomap(export_cmd(db, "S1", "genotypes", "HMB", "2021-01-01")).exit_code, 0);
  // NPU and IRB are decided by the request's recorded facts: a for-profit institution, no ethics reference.
  approved_request(db, "FORPROFIT", "GRU", "institution_type=for-profit ethics_reference=ERB-1");
  r = run_genomap(export_cmd(db, "S2", "genotypes", "FORPROFIT", "2021-01-01"));
  EXPECT_TRUE(contains(r.output,
                       "field 'request_id': not allowed by consent 'C2n': NPU limits use to not-for-profit "
                       "organisations; InstZ is for-profit"))
      << r.output;
  r = run_genomap(export_cmd(db, "S2", "genotypes", "GRU", "2021-01-01"));
  EXPECT_TRUE(contains(r.output, "IRB requires ethics approval; the request gives no ethics reference"))
      << r.output;
  approved_request(db, "ETHICS", "GRU", "ethics_reference=ERB-1");
  EXPECT_EQ(run_genomap(export_cmd(db, "S2", "genotypes", "ETHICS", "2021-01-01")).exit_code, 0);
}

// Defect 12: a genotype ID belongs to one donor.
TEST(RegistryHistory, GenotypeLinkedToAnotherDonorIsRefused) {
  const std::string dir = scratch_dir("registry_history_genotype");
  const std::string db = history_registry(dir);
  auto r = run_genomap("registry add sample --db " + db +
                       " sample_id=S9 donor_id=D3 genotype_iid=I1 material=DNA "
                       "collection_date=2020-01-01 organisation=Lab");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output,
                       "field 'genotype_iid': genotype 'I1' is already linked to sample 'S1' of donor 'D1'"))
      << r.output;
  // Another sample of the same donor may share it; another family's I1 is another genotype.
  EXPECT_EQ(run_genomap("registry add sample --db " + db +
                        " sample_id=S1b donor_id=D1 genotype_iid=I1 material=DNA "
                        "collection_date=2020-01-01 organisation=Lab")
                .exit_code,
            0);
  EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S2 genotype_fid=FAM2").exit_code, 0);
  EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S1 genotype_fid=FAM1").exit_code, 0);
  EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S1b genotype_fid=FAM1").exit_code,
            0);
  EXPECT_EQ(run_genomap("registry add sample --db " + db +
                        " sample_id=S9 donor_id=D3 genotype_fid=FAM3 "
                        "genotype_iid=I1 material=DNA collection_date=2020-01-01 organisation=Lab")
                .exit_code,
            0);
}

// Defects 9 and 15: IDs are trimmed and clean; generated IDs never collide with given ones.
TEST(RegistryHistory, IdsAreNormalisedAndGeneratedOnesNeverCollide) {
  const std::string dir = scratch_dir("registry_history_ids");
  const std::string db = history_registry(dir);
  auto r = run_genomap("registry add donor --db " + db + " \"donor_id= D1 \"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "field 'donor_id': duplicate ID 'D1'")) << r.output;
  r = run_genomap("registry add donor --db " + db + " \"donor_id=$(printf 'D1\\033x')\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "contains a control character (byte 0x1b)")) << r.output;
  r = run_genomap("registry add donor --db " + db + " donor_id=D9 \"population=$(printf 'Popul\\377')\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "field 'population': is not valid UTF-8")) << r.output;
  // Every report of the registry still works (defect 8 broke `report --format json` for the whole registry).
  r = run_genomap("registry report --db " + db + " --format json --out " + dir + "/rep");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry export --db " + db +
                  " --sample S1 --what genotypes --request GRU --recipient InstZ --country DEU "
                  "--purpose GRU --date 2021-01-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string generated = query_text(db, "SELECT export_id FROM export");
  EXPECT_TRUE(contains(generated, "S1#")) << generated;
  EXPECT_EQ(query_text(db, "SELECT recipient_country FROM export"), "DE");  // alpha-3 stored as alpha-2
  r = run_genomap("registry export --db " + db + " --sample S1 --export-id " + generated +
                  " --what genotypes --request GRU --date 2021-01-01");
  EXPECT_TRUE(contains(r.output, "'#' is kept for IDs genomap generates")) << r.output;
}

// Defect 11: DUO combinations that permit nothing, diseases with spaces or MONDO IDs, and "DS-" without one.
TEST(RegistryHistory, DiseaseCodesAndCombinationsThatPermitNothing) {
  using namespace registry;
  auto error_of = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  };
  EXPECT_TRUE(contains(error_of([] { parse_consent_codes("POA;NPOA"); }), "permit nothing"));
  EXPECT_EQ(parse_consent_codes("NRES;NPOA").text(), "NRES;NPOA");  // everything but ancestry
  EXPECT_TRUE(contains(error_of([] { parse_purpose("DS-"); }), "DUO code DS needs a disease"));
  EXPECT_TRUE(contains(error_of([] { parse_purpose("DS"); }), "DUO code DS needs a disease"));
  const ConsentCodes hepatitis = parse_consent_codes("HMB;DS:\"hepatitis B\"");
  EXPECT_EQ(hepatitis.text(), "HMB;DS:\"HEPATITIS B\"");
  EXPECT_EQ(parse_consent_codes(hepatitis.text()).text(), hepatitis.text());  // stored text parses back
  const ResearchPurpose p = parse_purpose("DS:\"Hepatitis B\"+IRB");
  EXPECT_EQ(p.disease, "HEPATITIS B");
  EXPECT_TRUE(
      decide(parse_consent_codes("DS:\"hepatitis B\""), p, false).allowed);  // IRB declared, not required
  EXPECT_TRUE(decide(parse_consent_codes("DS:\"hepatitis B\";IRB"), p, false).allowed);
  EXPECT_FALSE(
      decide(parse_consent_codes("DS:\"hepatitis C\""), parse_purpose("DS:\"hepatitis B\""), false).allowed);
  EXPECT_EQ(parse_consent_codes("DS:MONDO:0005148").text(), "DS:MONDO:0005148");
  EXPECT_TRUE(contains(error_of([] { parse_consent_codes("DS:MONDO:12"); }), "is not a MONDO ID"));
}

// Correction without erasure: an amendment is checked as a new record; a voided record stops counting and the
// chain keeps it with the reason.
TEST(RegistryHistory, AmendAndVoidKeepTheHistory) {
  const std::string dir = scratch_dir("registry_history_amend");
  const std::string db = history_registry(dir);
  auto r = run_genomap("registry amend sample --db " + db + " sample_id=S1 amount=-2");
  EXPECT_TRUE(contains(r.output, "registry amend sample: field 'amount': -2 is negative")) << r.output;
  r = run_genomap("registry amend sample --db " + db + " sample_id=S99 amount=2");
  EXPECT_TRUE(contains(r.output, "no sample 'S99' to amend")) << r.output;
  r = run_genomap("registry custody --db " + db +
                  " --sample S3 --event stored --holder LabA --time 2021-01-01 "
                  "--event-id EV1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry void --db " + db + " sample S3 --reason mislabelled");
  EXPECT_TRUE(contains(r.output, "sample 'S3' has records that refer to it; void those first")) << r.output;
  grant_role(db, "curator", "curator");
  r = run_genomap("registry void --db " + db + " custody EV1 --reason \"entered twice\" --actor curator");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM custody_event"), 0);
  EXPECT_EQ(query_text(db,
                       "SELECT json_extract(details, '$.changes[0].row.reason') || ' ' || "
                       "json_extract(details, '$.changes[0].row.was.holder') || ' ' || "
                       "json_extract(details, '$.actor') FROM audit_log WHERE action = 'void'"),
            "entered twice LabA curator");
  r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace genomap::test
