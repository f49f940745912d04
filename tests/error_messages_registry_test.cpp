// Error messages of the registry (options, record values, DUO consent codes and research purposes, requests
// and their decisions, roles, trace, keys), asserted whole (see error_cases.hpp). {D}/r.db is made by the
// set-up.
#include "error_cases.hpp"

namespace genomap::test {
namespace {

const std::string kInit = "registry init --db {D}/r.db --out {D}/s";
const std::string kDonor = "registry add donor --db {D}/r.db donor_id=D1 sex=male --out {D}/s";
const std::pair<std::string, std::string> kSampleCsv{
    "s.csv",
    "sample_id,donor_id,genotype_fid,genotype_iid,material,amount,unit,collection_date,collection_site,"
    "organisation,country,storage_state,storage_temperature_c\nS1,D1,,NA19916,blood,1,mL,2020-01-01,Site,Org,"
    "DE,"
    "stored,-80\n"};
const std::string kImportSample = "registry import --db {D}/r.db --samples {D}/s.csv --out {D}/s --quiet";
const std::string kRequest =
    "registry request add --db {D}/r.db request_id=R1 requester=Zoe institution=InstZ "
    "institution_type=not-for-profit commercial_use=no country=DE purpose=GRU project=P1 date=2020-06-01 "
    "--out {D}/s";
const std::string kApprove =
    "registry request approve --db {D}/r.db --request R1 --date 2020-06-01 --out {D}/s";

// `registry ARGS --db {D}/r.db` on a registry made by `setup` (init alone by default).
ErrorCase registry(const std::string& name, const std::string& args, int exit_code,
                   const std::string& message, std::vector<std::string> setup = {kInit},
                   std::vector<std::pair<std::string, std::string>> files = {}) {
  return ErrorCase{"registry_" + name, "registry " + args + " --db {D}/r.db",
                   exit_code,          "genomap registry: error: " + message,
                   std::move(files),   std::move(setup)};
}

// A consent of donor D1 with these codes.
ErrorCase consent_codes(const std::string& name, const std::string& codes, const std::string& message) {
  return registry("codes_" + name,
                  "add consent consent_id=C1 donor_id=D1 codes=" + codes + " consent_date=2020-01-01", 1,
                  "registry add consent: field 'codes': " + message, {kInit, kDonor});
}

// registry check with eligibility rules asking for this minimum amount of material.
ErrorCase rules(const std::string& name, const std::string& amount, const std::string& message) {
  return registry("rules_" + name, "check --rules {D}/rules.toml", 1,
                  "{D}/rules.toml:2: sample.min_amount: " + message, {kInit},
                  {{"rules.toml", "[sample]\nmin_amount = [\"" + amount + "\"]\n"}});
}

// freq on the HapMap 3 fileset under the registry's consent for this research purpose.
ErrorCase purpose(const std::string& name, const std::string& text, const std::string& message) {
  return ErrorCase{"purpose_" + name,
                   "freq --bfile {B} --registry {D}/r.db --purpose " + text,
                   2,
                   "genomap freq: error: " + message,
                   {},
                   {kInit}};
}

INSTANTIATE_TEST_SUITE_P(
    Registry, ErrorMessages,
    ::testing::Values(
        ErrorCase{"registry_db_folder", "registry audit verify --db {D}", 1,
                  "genomap registry: error: {D}: is a folder, not a registry database", {}, {}},
        registry("import_nothing", "import", 2,
                 "registry import: give at least one of --donors --samples --consents --custody --exports",
                 {}),
        registry("add_not_field", "add donor foo", 2, "registry add: 'foo' is not FIELD=VALUE", {}),
        registry("export_request", "export --what genotypes --sample S1", 2,
                 "registry export: --sample and --request are required to record an export", {}),
        registry("decision_request", "request approve", 2, "registry request approve: --request is required",
                 {}),
        registry("verify_pubkey_alone", "audit verify --pubkey {D}/k.pub", 2,
                 "registry audit verify: --pubkey checks the signed --anchor"),
        registry("verify_signed_without_key", "audit verify --anchor 1:abc:ed25519:00", 2,
                 "registry audit verify: a signed anchor is checked with --pubkey FILE"),
        registry("verify_anchor_form", "audit verify --anchor bogus", 1,
                 "'bogus' is not an anchor (SEQ:HASH as printed by `registry audit anchor`)"),
        registry("verify_unsigned", "audit verify --anchor 1:abc --pubkey {D}/k.pub", 1,
                 "the anchor '1:abc' is not signed (SEQ:HASH:ed25519:SIGNATURE, from `registry audit anchor "
                 "--sign "
                 "KEY`)"),
        registry("keygen_folder", "audit keygen --key {D}/none/k", 1,
                 "{D}/none/k: cannot create the key file", {}),
        registry("date_form", "add consent consent_id=C1 donor_id=D1 codes=GRU consent_date=2020-1-45", 1,
                 "registry add consent: field 'consent_date': '2020-1-45' is not a date (YYYY-MM-DD)",
                 {kInit, kDonor}),
        registry(
            "date_future", "add consent consent_id=C1 donor_id=D1 codes=GRU consent_date=2999-01-01", 1,
            "registry add consent: field 'consent_date': date 2999-01-01 is in the future (today is {TODAY})",
            {kInit, kDonor}),
        registry("time_form", "custody --sample S1 --event received --holder LabA --time 2020-01-01T25:00", 1,
                 "registry add custody: field 'time': '2020-01-01T25:00' is not a time (YYYY-MM-DD or "
                 "YYYY-MM-DDTHH:MM[:SS][Z], UTC)",
                 {kInit, kDonor, kImportSample}, {kSampleCsv}),
        registry("latitude_infinite", "add donor donor_id=D2 sex=male latitude=1e999", 1,
                 "registry add donor: field 'latitude': '1e999' is not a finite number"),
        registry("record_type", "add bogus a=b", 1,
                 "unknown record type 'bogus' (donor, sample, consent, custody, export)"),
        registry("void_missing", "void donor D9 --reason x", 1, "{D}/r.db: no donor 'D9' to void"),
        registry("withdraw_consent", "withdraw --consent C9", 1,
                 "{D}/r.db: consent 'C9' does not exist, is already withdrawn, or starts after {TODAY}"),
        registry("withdraw_donor", "withdraw --donor D1", 1,
                 "{D}/r.db: donor 'D1' has no consent in force on {TODAY} to withdraw", {kInit, kDonor}),
        registry("amend_key", "amend donor sex=female", 1,
                 "registry amend donor: field 'donor_id': names the record to amend"),
        registry("grant_to", "role grant --to ' ' --role curator", 2,
                 "registry role grant: --to names the actor who receives the role"),
        registry("revoke_reason", "role revoke --to bob --role curator", 2,
                 "registry role revoke: --reason is required (the chain keeps why)"),
        registry("revoke_not_held", "role revoke --to bob --role curator --reason x", 1,
                 "{D}/r.db: 'bob' does not hold the role curator"),
        registry("last_admin", "role revoke --actor alice --to alice --role admin --reason x", 1,
                 "{D}/r.db: 'alice' is the last admin; grant the role to another actor first",
                 {"registry init --db {D}/r.db --actor alice --out {D}/s"}),
        registry("init_twice", "init", 1, "{D}/r.db: already exists; the registry is not overwritten"),
        registry("trace_sample", "trace --sample S9", 1, "{D}/r.db: unknown sample 'S9'"),
        registry("trace_request", "trace --request R9", 1, "{D}/r.db: unknown data-access request 'R9'"),
        registry("csv_empty", "import --donors {D}/d.csv", 1,
                 "{D}/d.csv: empty file (a CSV file starts with a header line)", {kInit}, {{"d.csv", ""}}),
        registry(
            "csv_utf8", "import --donors {D}/d.csv", 1,
            "{D}/d.csv:2: not valid UTF-8 (the registry stores text as UTF-8; convert the file, e.g. with "
            "iconv)",
            {kInit}, {{"d.csv", "donor_id,sex\nD\xff,male\n"}}),
        registry("condition_what", "request approve --request R1 --conditions what=bogus", 1,
                 "condition what: 'bogus' is not material, genotypes, phenotypes or summary",
                 {kInit, kRequest}),
        registry("condition_max_samples", "request approve --request R1 --conditions max_samples=0", 1,
                 "condition max_samples: '0' is not a whole number of at least 1", {kInit, kRequest}),
        registry("condition_unknown", "request approve --request R1 --conditions bogus=1", 1,
                 "unknown condition 'bogus' (what=KINDS, until=DATE, max_samples=N)", {kInit, kRequest}),
        registry("refusal_conditions", "request refuse --request R1 --conditions what=genotypes --reason x",
                 2, "registry request refuse: a refusal has no conditions", {kInit, kRequest}),
        registry("refusal_reason", "request refuse --request R1", 2,
                 "registry request refuse: --reason is required", {kInit, kRequest}),
        registry("decided_twice", "request approve --request R1 --date 2020-06-01", 1,
                 "{D}/r.db: request 'R1' was already approved on 2020-06-01 (a new request is filed instead)",
                 {kInit, kRequest, kApprove}),
        registry("decision_early", "request approve --request R1 --date 2020-05-01", 1,
                 "{D}/r.db: decision dated 2020-05-01, before the request (2020-06-01)", {kInit, kRequest}),
        registry("custody_empty_sample", "custody --sample ''", 2, "registry custody: --sample is required"),
        registry("request_field", "request add request_id=R5", 1,
                 "registry request: field 'requester': missing value"),
        ErrorCase{"registry_init_folder", "registry init --db {D}/none/r.db", 1,
                  "genomap registry: error: {D}/none/r.db: cannot open the registry database: unable to open "
                  "database file"},
        registry("fileset_id_twice", "fileset add --bfile {D}/p --id F1", 1,
                 "{D}/r.db: fileset 'F1' already exists",
                 {kInit, "registry fileset add --db {D}/r.db --bfile {B} --id F1 --out {D}/s",
                  "simulate --n 5 --m 10 --out {D}/p"}),
        rules("amount_unit", "0.25", "amount '0.25' has no unit (e.g. 0.25 g)"),
        rules("amount_number", "x g", "amount 'x g' does not start with a number"),
        rules("amount_negative", "-1 g", "amount '-1 g' is negative"),
        rules("amount_unknown_unit", "1 furlong", "unknown unit 'furlong' (ng ug mg g kg nL uL mL L)"),
        consent_codes(
            "unknown", "BOGUS",
            "unknown DUO code 'BOGUS' (known: NRES GRU HMB POA DS-<disease> NPOA GSO CC NPU NCU NPUNCU IRB "
            "PUB COL RTN MOR TS US PS IS GS RS NMDS)"),
        consent_codes("unterminated_quote", "'GRU \"x'", "unterminated quote in 'GRU \"x'"),
        consent_codes("quote_in_disease", "'DS-a\"b\"'", "'DS-A\"B\"': a quote inside a disease name"),
        consent_codes(
            "ds_colon", "DS:foo",
            "'DS:FOO': DS: takes a MONDO ID (DS:MONDO:0005148) or a quoted disease name (DS:\"hepatitis "
            "B\")"),
        consent_codes(
            "ds_empty", "DS-",
            "DUO code DS needs a disease: DS-<disease>, DS:MONDO:<id> or DS:\"<disease name>\" (e.g. "
            "DS-T2D, DS:MONDO:0005148, DS:\"hepatitis B\")"),
        consent_codes("mondo", "DS:MONDO:12", "'MONDO:12' is not a MONDO ID (MONDO: and 7 digits)"),
        consent_codes("empty_restriction", "GS:", "'GS:': the restriction after ':' is empty"),
        consent_codes(
            "no_permission", "NPU",
            "consent codes 'NPU' hold no data use permission (one of NRES GRU HMB POA DS-<disease>)"),
        consent_codes("nothing_permitted", "POA,NPOA",
                      "consent codes 'POA,NPOA' permit nothing: NPOA forbids the only use they permit (POA)"),
        purpose("empty", "' '",
                "--purpose  : empty research purpose (give a DUO code: GRU, HMB, DS-<disease> or POA)"),
        purpose(
            "condition_first", "NPU",
            "--purpose NPU: 'NPU' is not a research purpose: the purpose starts with GRU, HMB, DS-<disease> "
            "or POA, followed by the conditions the requester meets (e.g. HMB+NPU+IRB)"),
        purpose(
            "two_primaries", "HMB+GRU",
            "--purpose HMB+GRU: 'GRU' after the primary purpose: only requester conditions may follow (NPU "
            "NCU NPUNCU IRB PUB COL RTN MOR TS US PS IS GS RS NMDS)")),
    case_name);

}  // namespace
}  // namespace genomap::test
