// Requests, approvals, distribution (issue 14): exports and shipments happen only under a data-access request
// an access committee approved, checked against its conditions and every donor's consent and DUO modifiers
// (decided from the request's recorded facts), and a material export records its shipment.
#include <gtest/gtest.h>

#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string send(const std::string& db, const std::string& sample, const std::string& what,
                 const std::string& request, const std::string& date = "2021-01-01") {
  auto r = run_genomap("registry export --db " + db + " --sample " + sample + " --what " + what + " --request " +
                       request + " --date " + date);
  return std::to_string(r.exit_code) + " " + r.output;
}

// D1..D4, samples S1..S4 genotyped as I1..I4 (collected 2020-01-01 by Biobank A); consents per test.
std::string request_registry(const std::string& dir) {
  const std::string db = make_registry(dir, 4);
  for (int i = 1; i <= 4; ++i) {
    const std::string n = std::to_string(i);
    EXPECT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S" + n + " genotype_iid=I" + n).exit_code,
              0);
  }
  return db;
}

TEST(RegistryRequests, OnlyAnApprovedRequestSendsAndItsConditionsHold) {
  const std::string dir = scratch_dir("registry_requests_conditions");
  const std::string db = request_registry(dir);
  auto r = run_genomap("registry export --db " + db + " --sample S1 --what genotypes --date 2021-01-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "--sample and --request are required to record an export")) << r.output;
  EXPECT_TRUE(contains(send(db, "S1", "genotypes", "R9"), "field 'request_id': no data-access request 'R9'"));

  // Requests are strict; an access committee decides, not a curator.
  r = run_genomap("registry request add --db " + db +
                  " request_id=R1 requester=Zoe institution=InstZ institution_type=charity commercial_use=no "
                  "country=DE purpose=GRU project=P1");
  EXPECT_TRUE(contains(r.output, "field 'institution_type': 'charity' is not not-for-profit or for-profit"))
      << r.output;
  r = run_genomap("registry request add --db " + db +
                  " request_id=R1 requester=Zoe institution=InstZ institution_type=not-for-profit "
                  "commercial_use=no country=Germany purpose=GRU project=P1");
  EXPECT_TRUE(contains(r.output, "field 'country': 'Germany' is not an ISO 3166-1 country code")) << r.output;
  r = run_genomap("registry request add --db " + db +
                  " request_id=R1 requester=Zoe institution=InstZ institution_type=not-for-profit "
                  "commercial_use=no country=DE purpose=GRU+IRB project=P1 ethics_reference=ERB-7 date=2020-06-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(send(db, "S1", "genotypes", "R1"), "request 'R1' has not been decided by an access committee"));
  grant_role(db, "cora", "curator");
  grant_role(db, "dac", "access_committee");
  r = run_genomap("registry request approve --db " + db + " --request R1 --actor cora");
  EXPECT_TRUE(contains(r.output, "actor 'cora' may not decide on a data-access request: that needs the role "
                                 "access_committee"))
      << r.output;
  r = run_genomap("registry request approve --db " + db + " --request R1 --conditions 'colour=red' --actor dac");
  EXPECT_TRUE(contains(r.output, "unknown condition 'colour'")) << r.output;
  r = run_genomap("registry request approve --db " + db +
                  " --request R1 --date 2020-07-01 --conditions 'what=genotypes,summary;until=2022-12-31;"
                  "max_samples=2' --actor dac");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry request refuse --db " + db + " --request R1 --reason late --actor dac");
  EXPECT_TRUE(contains(r.output, "request 'R1' was already approved on 2020-07-01")) << r.output;

  EXPECT_TRUE(contains(send(db, "S1", "genotypes", "R1", "2020-06-15"),
                       "field 'date': 2020-06-15 is before request 'R1' was approved (2020-07-01)"));
  EXPECT_TRUE(contains(send(db, "S1", "phenotypes", "R1"),
                       "field 'what': request 'R1' was approved for what=genotypes,summary;until=2022-12-31;"
                       "max_samples=2 only"));
  EXPECT_TRUE(contains(send(db, "S1", "genotypes", "R1", "2023-01-02"),
                       "field 'date': request 'R1' was approved until 2022-12-31"));
  r = run_genomap("registry export --db " + db + " --sample S1 --what genotypes --request R1 --country FR --date 2021-01-01");
  EXPECT_TRUE(contains(r.output, "field 'recipient_country': 'FR' differs from request 'R1' (DE)")) << r.output;
  // A curator records exports; a collector may not.
  r = run_genomap("registry export --db " + db +
                  " --sample S1 --what genotypes --request R1 --date 2021-01-01 --actor cora");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(send(db, "S1", "summary", "R1").rfind("0 ", 0) == 0);  // the same sample again: still 1
  EXPECT_TRUE(send(db, "S2", "genotypes", "R1").rfind("0 ", 0) == 0);
  EXPECT_TRUE(contains(send(db, "S3", "genotypes", "R1"),
                       "field 'request_id': request 'R1' was approved for at most 2 samples"));
  EXPECT_EQ(query_text(db, "SELECT group_concat(request_id || ':' || recipient_organisation || ':' || "
                           "recipient_country || ':' || purpose, ' ') FROM export WHERE export_id LIKE 'S1#%'"),
            "R1:InstZ:DE:GRU+IRB R1:InstZ:DE:GRU+IRB");

  // A refused request sends nothing.
  r = run_genomap("registry request add --db " + db +
                  " request_id=R2 requester=Max institution=Corp institution_type=for-profit commercial_use=yes "
                  "country=US purpose=HMB project=P2 date=2020-06-01");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_EQ(run_genomap("registry request refuse --db " + db + " --request R2 --reason 'no ethics' --actor dac")
                .exit_code,
            0);
  EXPECT_TRUE(contains(send(db, "S4", "genotypes", "R2"), "field 'request_id': request 'R2' was refused on"));

  r = run_genomap("registry request list --db " + db + " --out " + dir + "/req");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string list = read_text(dir + "/req.registry_requests.tsv");
  EXPECT_TRUE(contains(list, "R1\tZoe\tInstZ\tDE\tGRU+IRB\tP1\t2020-06-01\tapproved\twhat=genotypes,summary;"
                             "until=2022-12-31;max_samples=2\t2020-07-01\tdac\t3\t2"))
      << list;
  EXPECT_TRUE(contains(list, "R2\tMax\tCorp\tUS\tHMB\tP2\t2020-06-01\trefused\t")) << list;
  r = run_genomap("registry trace --db " + db + " --request R1 --out " + dir + "/tr");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string trace = read_text(dir + "/tr.registry_trace.tsv");
  EXPECT_TRUE(contains(trace, "2020-06-01\trequest\tR1\t\t\tZoe of InstZ (DE) for GRU+IRB, project P1, ethics ERB-7"))
      << trace;
  EXPECT_TRUE(contains(trace, "2020-07-01\tapproved\tR1\t\t\tby dac; conditions what=genotypes,summary")) << trace;
  r = run_genomap("registry trace --db " + db + " --donor D2 --out " + dir + "/d2");
  EXPECT_TRUE(contains(read_text(dir + "/d2.registry_trace.tsv"),
                       "genotypes to InstZ (DE) for GRU+IRB under request R1 of Zoe (approved 2020-07-01 by dac)"));
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);
}

// DUO modifiers a request's facts decide: GS with countries, COL, TS, US/IS/PS, NCU.
TEST(RegistryRequests, ConsentModifiersAreCheckedAgainstTheRequestsFacts) {
  const std::string dir = scratch_dir("registry_requests_modifiers");
  const std::string db = request_registry(dir);
  const auto consent = [&](const std::string& id, const std::string& donor, const std::string& codes) {
    auto r = run_genomap("registry add consent --db " + db + " consent_id=" + id + " donor_id=" + donor +
                         " 'codes=" + codes + "' consent_date=2020-02-01");
    EXPECT_EQ(r.exit_code, 0) << r.output;
  };
  consent("G1", "D1", "GRU;GS:DE;GS:FRA");
  consent("G2", "D2", "GRU;COL;TS:2021-06-30");
  consent("G3", "D3", "GRU;IS:InstZ;NCU");
  consent("G4", "D4", "GRU;PUB");
  auto r = run_genomap("registry add consent --db " + db + " consent_id=G9 donor_id=D1 codes='GRU;IRB:yes' "
                       "consent_date=2020-02-01");
  EXPECT_TRUE(contains(r.output, "'IRB:yes': IRB takes no restriction (only GS, TS, MOR, US, IS and PS do)"))
      << r.output;
  EXPECT_EQ(query_text(db, "SELECT codes FROM consent WHERE consent_id = 'G1'"), "GRU;GS:DE;GS:FR");

  approved_request(db, "DE", "GRU");
  approved_request(db, "US", "GRU", "country=US institution=InstU");
  EXPECT_EQ(send(db, "S1", "genotypes", "DE").substr(0, 1), "0");
  EXPECT_TRUE(contains(send(db, "S1", "genotypes", "US"),
                       "not allowed by consent 'G1': GS limits use to DE, FR; the request is from US"));

  EXPECT_TRUE(contains(send(db, "S2", "genotypes", "DE"),
                       "COL requires collaboration with the collecting organisation (Biobank A)"));
  approved_request(db, "COL", "GRU", "collaborators=Lab_Q;Biobank_A");
  run_genomap("registry amend sample --db " + db + " sample_id=S2 organisation=Biobank_A");
  EXPECT_EQ(send(db, "S2", "genotypes", "COL").substr(0, 1), "0");
  EXPECT_TRUE(contains(send(db, "S2", "summary", "COL", "2021-07-01"),
                       "TS limits use to 2021-06-30; the export is dated 2021-07-01"));

  EXPECT_EQ(send(db, "S3", "genotypes", "DE").substr(0, 1), "0");
  EXPECT_TRUE(contains(send(db, "S3", "genotypes", "US"), "IS limits use to INSTZ; the institution is InstU"));
  approved_request(db, "COMM", "GRU", "commercial_use=yes");
  EXPECT_TRUE(contains(send(db, "S3", "genotypes", "COMM"),
                       "NCU forbids commercial use; the request declares commercial use"));

  // PUB cannot be decided from facts: the request must declare it.
  EXPECT_TRUE(contains(send(db, "S4", "genotypes", "DE"), "consent requires the requester to meet PUB"));
  approved_request(db, "PUB", "GRU+PUB");
  EXPECT_EQ(send(db, "S4", "genotypes", "PUB").substr(0, 1), "0");
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);
}

// Material leaves the biobank only by an export, which records the shipment; it cannot be sent twice.
TEST(RegistryRequests, MaterialExportRecordsItsShipment) {
  const std::string dir = scratch_dir("registry_requests_material");
  const std::string db = request_registry(dir);
  approved_request(db, "M1", "GRU", "", "what=material");
  auto r = run_genomap("registry custody --db " + db +
                       " --sample S1 --event shipped --holder LabA --to InstZ --time 2021-01-01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "a shipment leaves the biobank under an approved data-access request")) << r.output;
  ASSERT_EQ(run_genomap("registry custody --db " + db +
                        " --sample S1 --event transferred --holder 'Biobank A' --to LabC --time 2020-03-01")
                .exit_code,
            0);
  r = run_genomap("registry export --db " + db + " --sample S1 --what material --request M1 --date 2021-01-01 "
                  "--export-id X1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_text(db, "SELECT custody_event_id FROM export WHERE export_id = 'X1'"), "X1#shipped");
  EXPECT_EQ(query_text(db, "SELECT event || ' ' || holder || ' ' || to_holder || ' ' || time || ' ' || request_id "
                           "FROM custody_event WHERE event_id = 'X1#shipped'"),
            "shipped LabC InstZ 2021-01-01 M1");
  EXPECT_TRUE(contains(send(db, "S1", "material", "M1", "2021-02-01"),
                       "field 'what': sample 'S1' was shipped to InstZ and not returned"));
  // The shipment goes with its export: it is voided after the export, not before.
  r = run_genomap("registry void --db " + db + " custody X1#shipped --reason test");
  EXPECT_TRUE(contains(r.output, "has records that refer to it")) << r.output;
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);
}

}  // namespace
}  // namespace genomap::test
