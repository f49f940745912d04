#include "genomap/registry/records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/consent_status.hpp"
#include "genomap/registry/countries.hpp"
#include "genomap/registry/duo.hpp"
#include "genomap/registry/requests.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

const std::vector<FieldSpec> kDonorFields = {
    {"donor_id", true, "pseudonymous donor ID"},
    {"sex", false, "male, female, other or unknown (default unknown)"},
    {"birth_year", false, "year of birth"},
    {"population", false, "self-reported population or ethnicity"},
    {"region", false, "region of residence"},
    {"country", false, "country of residence, ISO 3166-1 code"},
    {"latitude", false, "decimal degrees"},
    {"longitude", false, "decimal degrees"},
    {"conditions", false, "conditions relevant to eligibility, separated by ';' (e.g. HIV;hepatitis B)"}};
const std::vector<FieldSpec> kSampleFields = {
    {"sample_id", true, "sample ID"},
    {"donor_id", true, "donor the sample was taken from"},
    {"genotype_fid", false, "FID of the sample's genotypes in .fam files"},
    {"genotype_iid", false, "IID of the sample's genotypes in .fam files"},
    {"material", true, "whole blood, DNA, RNA, synovial fluid, tissue, ..."},
    {"amount", false, "amount, a non-negative number"},
    {"unit", false, "unit of the amount: ng ug mg g kg nL uL mL L"},
    {"collection_date", true, "YYYY-MM-DD"},
    {"collection_site", false, "where it was collected"},
    {"site_latitude", false, "collection site latitude, decimal degrees"},
    {"site_longitude", false, "collection site longitude, decimal degrees"},
    {"collector", false, "who collected it"},
    {"organisation", true, "collecting organisation"},
    {"country", false, "country of collection, ISO 3166-1 code"},
    {"storage_state", false, "frozen, refrigerated, ambient, fixed, ..."},
    {"storage_temperature_c", false, "storage temperature in degrees Celsius"}};
const std::vector<FieldSpec> kConsentFields = {
    {"consent_id", true, "consent ID"},
    {"donor_id", true, "donor who consented"},
    {"codes", true, "DUO codes separated by ';' (GRU, HMB, POA, DS-<disease>, NPOA, NPU, ...)"},
    {"consent_date", true, "YYYY-MM-DD"},
    {"withdrawn_date", false, "YYYY-MM-DD when consent was withdrawn"},
    {"withdrawal_reason", false, "free text"}};
const std::vector<FieldSpec> kCustodyFields = {
    {"event_id", true, "custody event ID"},
    {"sample_id", true, "sample"},
    {"time", true, "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z (UTC)"},
    {"event", true, "collected, received, stored, aliquoted, transferred, shipped, returned or destroyed"},
    {"holder", true, "who holds the sample after the event (the sender for transferred/shipped)"},
    {"place", false, "where"},
    {"to_holder", false, "recipient (required for transferred and shipped)"},
    {"note", false, "free text"}};
const std::vector<FieldSpec> kExportFields = {
    {"export_id", true, "export ID"},
    {"sample_id", true, "sample whose material or data was sent"},
    {"what", true, "material, genotypes, phenotypes or summary"},
    {"request_id", true, "the approved data-access request it is sent under"},
    {"recipient_organisation", false, "recipient organisation (the request's institution; checked if given)"},
    {"recipient_country", false, "recipient country (the request's country; checked if given)"},
    {"purpose", false, "research purpose (the request's purpose; checked if given)"},
    {"approval_reference", false, "approval (ethics, access committee) reference"},
    {"date", true, "YYYY-MM-DD"}};

using Fields = std::map<std::string, std::string>;
using nlohmann::json;

json nullable(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json nullable(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// Field access with errors located at the row and naming the field.
struct Row {
  const RecordRow& row;
  Fields values;

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw Error(row.source, row.line, fmt::format("field '{}': {}", field, message));
  }
  std::optional<std::string> get(const std::string& field) const {
    auto it = values.find(field);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }
  std::string require(const std::string& field) const {
    auto v = get(field);
    if (!v) fail(field, "missing value");
    return *v;
  }
  // Runs a parser, relocating its Error to this row and field.
  template <class F>
  auto parse(const std::string& field, F&& parser) const {
    try {
      return parser();
    } catch (const Error& e) {
      fail(field, e.what());
    }
  }
  std::optional<std::string> date(const std::string& field) const {
    auto v = get(field);
    if (!v) return std::nullopt;
    return parse(field, [&] { return parse_date(*v); });
  }
  std::optional<double> number(const std::string& field, double lo, double hi) const {
    auto v = get(field);
    if (!v) return std::nullopt;
    const double x = parse(field, [&] { return parse_number(*v); });
    if (x < lo || x > hi) fail(field, fmt::format("{} is outside [{}, {}]", *v, lo, hi));
    return x;
  }
  std::optional<std::string> country(const std::string& field) const {
    auto v = get(field);
    if (!v) return std::nullopt;
    return parse(field, [&] { return std::string(parse_country(*v).alpha2); });
  }
};

const std::set<std::string> kSexes = {"male", "female", "other", "unknown"};
const std::set<std::string> kEvents = {"collected",   "received", "stored",   "aliquoted",
                                       "transferred", "shipped",  "returned", "destroyed"};
const std::set<std::string> kExportKinds = {"material", "genotypes", "phenotypes", "summary"};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string record_type_name(RecordType type) {
  switch (type) {
    case RecordType::Donor:
      return "donor";
    case RecordType::Sample:
      return "sample";
    case RecordType::Consent:
      return "consent";
    case RecordType::Custody:
      return "custody";
    case RecordType::Export:
      return "export";
  }
  return "";
}

std::string record_table(RecordType type) {
  return type == RecordType::Custody ? "custody_event" : record_type_name(type);
}

RecordType parse_record_type(const std::string& name) {
  for (auto t :
       {RecordType::Donor, RecordType::Sample, RecordType::Consent, RecordType::Custody, RecordType::Export})
    if (name == record_type_name(t) || name == record_type_name(t) + "s") return t;
  throw Error(fmt::format("unknown record type '{}' (donor, sample, consent, custody, export)", name));
}

const std::vector<FieldSpec>& record_fields(RecordType type) {
  switch (type) {
    case RecordType::Donor:
      return kDonorFields;
    case RecordType::Sample:
      return kSampleFields;
    case RecordType::Consent:
      return kConsentFields;
    case RecordType::Custody:
      return kCustodyFields;
    case RecordType::Export:
      return kExportFields;
  }
  return kDonorFields;
}

struct RecordWriter::Impl {
  RegistryWrite& w;
  Database& db;
  RecordType type;
  double current_year = std::stod(today_utc().substr(0, 4));
  bool amending = false;
  bool generated_id = false;

  Impl(RegistryWrite& write, RecordType t) : w(write), db(write.db()), type(t) {}

  // The record's own ID: new (or existing when amending), without '#' unless genomap generated it.
  std::string own_id(const Row& r, const std::string& field) {
    const std::string id = r.require(field);
    if (!generated_id && id.find('#') != std::string::npos)
      r.fail(field, fmt::format("'{}': '#' is kept for IDs genomap generates", id));
    const bool exists = !w.find(record_table(type), id).is_null();
    if (amending && !exists) r.fail(field, fmt::format("no {} '{}' to amend", record_type_name(type), id));
    if (!amending && exists)
      r.fail(field, fmt::format("duplicate ID '{}' (already in the registry or earlier in this file)", id));
    return id;
  }
  json known(const Row& r, const std::string& field, const char* table, const std::string& id,
             const char* what) {
    json row = w.find(table, id);
    if (row.is_null()) r.fail(field, fmt::format("unknown {} '{}' (import {}s first)", what, id, what));
    return row;
  }
  void put(const char* table, json row) {
    if (amending)
      w.amend(table, std::move(row));
    else
      w.insert(table, std::move(row));
  }

  void donor_row(const Row& r) {
    const std::string id = own_id(r, "donor_id");
    std::string sex = lower(r.get("sex").value_or("unknown"));
    if (sex == "m") sex = "male";
    if (sex == "f") sex = "female";
    if (!kSexes.count(sex))
      r.fail("sex", fmt::format("'{}' is not one of male, female, other, unknown", sex));
    json birth_year = nullptr;
    if (auto y = r.number("birth_year", 1880, current_year)) {
      if (*y != static_cast<double>(static_cast<std::int64_t>(*y))) r.fail("birth_year", "not a whole year");
      birth_year = static_cast<std::int64_t>(*y);
    }
    std::string conditions;
    if (auto c = r.get("conditions"))
      for (char ch : *c) conditions += ch == ',' ? ';' : ch;
    put("donor", {{"donor_id", id},
                  {"sex", sex},
                  {"birth_year", birth_year},
                  {"population", nullable(r.get("population"))},
                  {"region", nullable(r.get("region"))},
                  {"country", nullable(r.country("country"))},
                  {"latitude", nullable(r.number("latitude", -90, 90))},
                  {"longitude", nullable(r.number("longitude", -180, 180))},
                  {"conditions", conditions}});
  }

  // A genotype ID belongs to one donor: another donor's sample with the same IID (and a compatible FID) would
  // make every analysis of that fileset ambiguous.
  void genotype_link(const Row& r, const std::string& sample_id, const std::string& donor_id) {
    const auto iid = r.get("genotype_iid");
    const auto fid = r.get("genotype_fid");
    if (!iid) {
      if (fid) r.fail("genotype_iid", "genotype_fid given without genotype_iid");
      return;
    }
    auto st = db.prepare(
        "SELECT sample_id, donor_id, genotype_fid FROM sample WHERE genotype_iid = ? AND sample_id <> ?");
    st.bind(1, *iid).bind(2, sample_id);
    while (st.step()) {
      const auto other_fid = st.optional_text(2);
      if (st.text(1) != donor_id && (!fid || !other_fid || *fid == *other_fid))
        r.fail("genotype_iid", fmt::format("genotype '{}' is already linked to sample '{}' of donor '{}'",
                                           *iid, st.text(0), st.text(1)));
    }
  }

  void sample_row(const Row& r) {
    const std::string id = own_id(r, "sample_id");
    const std::string donor_id = r.require("donor_id");
    const json donor = known(r, "donor_id", "donor", donor_id, "donor");
    std::optional<double> value;
    std::optional<std::string> unit;
    if (auto amount = r.get("amount")) {
      value = r.parse("amount", [&] { return parse_number(*amount); });
      if (*value < 0) r.fail("amount", fmt::format("{} is negative", *amount));
      auto u = r.get("unit");
      if (!u) r.fail("unit", "an amount needs a unit (ng ug mg g kg nL uL mL L)");
      unit = r.parse("unit", [&] { return parse_unit(*u).name; });
    } else if (r.get("unit")) {
      r.fail("amount", "a unit is given without an amount");
    }
    const std::string collected = *r.date("collection_date");
    if (donor["birth_year"].is_number() &&
        std::stoll(collected.substr(0, 4)) < donor["birth_year"].get<std::int64_t>())
      r.fail("collection_date", fmt::format("{} is before the donor's year of birth {}", collected,
                                            donor["birth_year"].get<std::int64_t>()));
    genotype_link(r, id, donor_id);
    std::optional<std::string> state = r.get("storage_state");
    if (state) state = lower(*state);
    put("sample", {{"sample_id", id},
                   {"donor_id", donor_id},
                   {"genotype_fid", nullable(r.get("genotype_fid"))},
                   {"genotype_iid", nullable(r.get("genotype_iid"))},
                   {"material", r.require("material")},
                   {"amount", nullable(value)},
                   {"amount_unit", nullable(unit)},
                   {"collection_date", collected},
                   {"collection_site", nullable(r.get("collection_site"))},
                   {"site_latitude", nullable(r.number("site_latitude", -90, 90))},
                   {"site_longitude", nullable(r.number("site_longitude", -180, 180))},
                   {"collector", nullable(r.get("collector"))},
                   {"organisation", r.require("organisation")},
                   {"country", nullable(r.country("country"))},
                   {"storage_state", nullable(state)},
                   {"storage_temperature_c", nullable(r.number("storage_temperature_c", -273.15, 1000))}});
  }

  void consent_row(const Row& r) {
    const std::string id = own_id(r, "consent_id");
    const std::string donor_id = r.require("donor_id");
    known(r, "donor_id", "donor", donor_id, "donor");
    const std::string raw = r.require("codes");
    const std::string codes = r.parse("codes", [&] { return parse_consent_codes(raw).text(); });
    const std::string date = *r.date("consent_date");
    auto withdrawn = r.date("withdrawn_date");
    if (amending && (withdrawn || r.get("withdrawal_reason")))
      r.fail(withdrawn ? "withdrawn_date" : "withdrawal_reason",
             "a withdrawal is recorded with `registry withdraw`");
    if (withdrawn && *withdrawn < date)
      r.fail("withdrawn_date", fmt::format("{} is before the consent date {}", *withdrawn, date));
    if (!withdrawn && r.get("withdrawal_reason"))
      r.fail("withdrawal_reason", "given without a withdrawn_date");
    put("consent", {{"consent_id", id}, {"donor_id", donor_id}, {"codes", codes}, {"consent_date", date}});
    if (withdrawn)
      w.insert("withdrawal", {{"withdrawal_id", "W-" + id},
                              {"donor_id", donor_id},
                              {"consent_id", id},
                              {"withdrawn_date", *withdrawn},
                              {"reason", nullable(r.get("withdrawal_reason"))}});
  }

  // The sample's destruction, if recorded (other than the event `except`).
  std::optional<std::string> destroyed_at(const std::string& sample_id, const std::string& except = "") {
    auto st = db.prepare(
        "SELECT min(time) FROM custody_event WHERE sample_id = ? AND event = 'destroyed' AND "
        "event_id <> ?");
    st.bind(1, sample_id).bind(2, except);
    st.step();
    return st.optional_text(0);
  }

  void custody_row(const Row& r) {
    const std::string id = own_id(r, "event_id");
    const std::string sample_id = r.require("sample_id");
    const json sample = known(r, "sample_id", "sample", sample_id, "sample");
    const std::string raw_time = r.require("time");
    const std::string time = r.parse("time", [&] { return parse_time(raw_time); });
    const std::string event = r.require("event");
    if (!kEvents.count(event))
      r.fail("event",
             fmt::format("'{}' is not one of collected, received, stored, aliquoted, transferred, shipped, "
                         "returned, destroyed",
                         event));
    if ((event == "transferred" || event == "shipped") && !r.get("to_holder"))
      r.fail("to_holder", fmt::format("a {} event needs the recipient", event));
    if (event == "shipped")
      r.fail("event",
             "a shipment leaves the biobank under an approved data-access request: record it with "
             "`genomap registry export --what material --request ID`, which records the shipment");
    const std::string collected = sample["collection_date"].get<std::string>();
    if (time.substr(0, 10) < collected)
      r.fail("time", fmt::format("{} is before the sample was collected ({})", time, collected));
    if (auto destroyed = destroyed_at(sample_id, id); destroyed && *destroyed <= time)
      r.fail("time", fmt::format("sample '{}' was destroyed at {}; nothing happens to it afterwards",
                                 sample_id, *destroyed));
    if (event == "destroyed") {
      auto later = db.prepare(
          "SELECT event_id, time FROM custody_event WHERE sample_id = ? AND time > ? AND "
          "event_id <> ? ORDER BY time LIMIT 1");
      later.bind(1, sample_id).bind(2, time).bind(3, id);
      if (later.step())
        r.fail("time",
               fmt::format("event '{}' of sample '{}' happens later ({}), so it cannot be destroyed at {}",
                           later.text(0), sample_id, later.text(1), time));
    }
    put("custody_event", {{"event_id", id},
                          {"sample_id", sample_id},
                          {"time", time},
                          {"event", event},
                          {"holder", r.require("holder")},
                          {"place", nullable(r.get("place"))},
                          {"to_holder", nullable(r.get("to_holder"))},
                          {"note", nullable(r.get("note"))}});
  }

  // The donor's consent must cover the export now (as recorded: nothing is sent after a withdrawal was
  // recorded, whatever date the export is given) and on the export date, for the request's purpose; DUO
  // modifiers are checked against the request's recorded facts, the rest must be declared in its purpose.
  void check_consent(const Row& r, const std::string& donor_id, const std::string& sample_id,
                     ResearchPurpose purpose, const RequestFacts& facts, const std::string& what,
                     const std::string& date) {
    for (const auto& as_of : {std::string(), date}) {
      const ConsentStatus status = consent_status(db, donor_id, as_of);
      const std::string when = as_of.empty() ? "now" : "on " + as_of;
      if (status.state == ConsentStatus::State::None)
        r.fail("purpose",
               fmt::format("donor '{}' of sample '{}' had no consent {}", donor_id, sample_id, when));
      if (status.state == ConsentStatus::State::Withdrawn)
        r.fail("purpose", fmt::format("consent '{}' of donor '{}' was withdrawn on {}", status.consent_id,
                                      donor_id, status.withdrawn_date));
      const ConsentCodes codes = parse_consent_codes(status.codes);
      if (const std::string unmet = check_modifiers(codes, facts, purpose.met); !unmet.empty())
        r.fail("request_id", fmt::format("not allowed by consent '{}': {}", status.consent_id, unmet));
      const ConsentDecision decision = decide(codes, purpose, false);
      if (!decision.allowed)
        r.fail("purpose", fmt::format("not allowed by consent '{}': {}", status.consent_id, decision.reason));
      if (codes.genetic_only && what == "phenotypes")
        r.fail("what",
               fmt::format("consent '{}' allows genetic studies only (GSO): phenotypes alone are not sent",
                           status.consent_id));
    }
  }

  // The approved request an export is sent under, with its conditions checked for this export.
  json approved_request(const Row& r, const std::string& request_id, const std::string& sample_id,
                        const std::string& what, const std::string& date) {
    const json request = w.find("access_request", request_id);
    if (request.is_null()) r.fail("request_id", fmt::format("no data-access request '{}'", request_id));
    const json decision = w.find("request_decision", request_id);
    if (decision.is_null())
      r.fail("request_id", fmt::format("request '{}' has not been decided by an access committee", request_id));
    if (decision["decision"] != "approved")
      r.fail("request_id", fmt::format("request '{}' was refused on {}", request_id,
                                       decision["date"].get<std::string>()));
    if (date < decision["date"].get<std::string>())
      r.fail("date", fmt::format("{} is before request '{}' was approved ({})", date, request_id,
                                 decision["date"].get<std::string>()));
    const RequestConditions c = parse_conditions(decision["conditions"].get<std::string>());
    if (!c.what.empty() && !c.what.count(what))
      r.fail("what", fmt::format("request '{}' was approved for {} only", request_id, c.text));
    if (c.until && date > *c.until)
      r.fail("date", fmt::format("request '{}' was approved until {}", request_id, *c.until));
    if (c.max_samples) {
      auto sent = db.prepare(
          "SELECT count(DISTINCT sample_id), sum(sample_id = ?) FROM export WHERE request_id = ?");
      sent.bind(1, sample_id).bind(2, request_id);
      sent.step();
      const std::int64_t samples = sent.integer(0) + (sent.is_null(1) || sent.integer(1) == 0 ? 1 : 0);
      if (samples > *c.max_samples)
        r.fail("request_id", fmt::format("request '{}' was approved for at most {} samples", request_id,
                                         *c.max_samples));
    }
    return request;
  }

  // Who holds a sample now: the recipient of its last transfer or shipment, else the last holder, else the
  // collecting organisation; and whether it has left the biobank (shipped and not returned).
  std::pair<std::string, bool> current_holder(const std::string& sample_id, const json& sample) {
    auto st = db.prepare(
        "SELECT event, holder, to_holder FROM custody_event WHERE sample_id = ? ORDER BY time DESC, "
        "recorded_at DESC LIMIT 1");
    st.bind(1, sample_id);
    if (!st.step()) return {sample["organisation"].get<std::string>(), false};
    const auto to = st.optional_text(2);
    return {to ? *to : st.text(1), st.text(0) == "shipped"};
  }

  void export_row(const Row& r) {
    if (amending) r.fail("export_id", "an export is not amended: void it and record it again");
    const std::string id = own_id(r, "export_id");
    const std::string sample_id = r.require("sample_id");
    const json sample = known(r, "sample_id", "sample", sample_id, "sample");
    const std::string donor_id = sample["donor_id"].get<std::string>();
    const std::string what = r.require("what");
    if (!kExportKinds.count(what))
      r.fail("what", fmt::format("'{}' is not one of material, genotypes, phenotypes, summary", what));
    const std::string date = *r.date("date");
    const std::string collected = sample["collection_date"].get<std::string>();
    if (date < collected)
      r.fail("date", fmt::format("{} is before the sample was collected ({})", date, collected));
    if (what == "genotypes" && sample["genotype_iid"].is_null())
      r.fail("what", fmt::format("sample '{}' was never genotyped (no genotype_iid)", sample_id));
    if (what == "material")
      if (auto destroyed = destroyed_at(sample_id); destroyed && destroyed->substr(0, 10) <= date)
        r.fail("what", fmt::format("sample '{}' was destroyed at {}", sample_id, *destroyed));
    const std::string request_id = r.require("request_id");
    const json request = approved_request(r, request_id, sample_id, what, date);
    const auto field_of_request = [&](const char* field, const char* column, const std::string& given) {
      if (given != request[column].get<std::string>())
        r.fail(field, fmt::format("'{}' differs from request '{}' ({})", given, request_id,
                                  request[column].get<std::string>()));
    };
    if (auto o = r.get("recipient_organisation")) field_of_request("recipient_organisation", "institution", *o);
    if (r.get("recipient_country")) field_of_request("recipient_country", "country", *r.country("recipient_country"));
    ResearchPurpose purpose = parse_purpose(request["purpose"].get<std::string>());
    if (auto p = r.get("purpose"))
      field_of_request("purpose", "purpose", r.parse("purpose", [&] { return parse_purpose(*p).text; }));
    RequestFacts facts;
    facts.requester = request["requester"].get<std::string>();
    facts.institution = request["institution"].get<std::string>();
    facts.institution_type = request["institution_type"].get<std::string>();
    facts.commercial_use = request["commercial_use"].get<std::string>();
    facts.country = request["country"].get<std::string>();
    facts.project = request["project"].get<std::string>();
    facts.ethics_reference = request["ethics_reference"].is_string() ? request["ethics_reference"].get<std::string>() : "";
    if (request["collaborators"].is_string()) {
      std::string c;
      for (const char ch : request["collaborators"].get<std::string>() + ";") {
        if (ch == ';') {
          facts.collaborators.push_back(c);
          c.clear();
        } else {
          c += ch;
        }
      }
    }
    facts.collecting_organisation = sample["organisation"].get<std::string>();
    facts.date = date;
    check_consent(r, donor_id, sample_id, purpose, facts, what, date);
    // Material leaves the biobank: the export records the shipment as a custody event of its own.
    json custody_event_id = nullptr;
    if (what == "material") {
      const auto [holder, away] = current_holder(sample_id, sample);
      if (away) r.fail("what", fmt::format("sample '{}' was shipped to {} and not returned", sample_id, holder));
      custody_event_id = id + "#shipped";
      w.insert("custody_event", {{"event_id", custody_event_id},
                                 {"sample_id", sample_id},
                                 {"time", date},
                                 {"event", "shipped"},
                                 {"holder", holder},
                                 {"to_holder", facts.institution},
                                 {"note", "export " + id},
                                 {"request_id", request_id}});
    }
    put("export", {{"export_id", id},
                   {"sample_id", sample_id},
                   {"what", what},
                   {"recipient_organisation", facts.institution},
                   {"recipient_country", facts.country},
                   {"purpose", purpose.text},
                   {"approval_reference", nullable(r.get("approval_reference"))},
                   {"date", date},
                   {"request_id", request_id},
                   {"custody_event_id", custody_event_id}});
  }

  void write(const RecordRow& row) {
    Row r{row, {}};
    const auto& specs = record_fields(type);
    for (const auto& field : row.fields) {
      const std::string& name = field.first;
      const auto& value = field.second;  // a plain reference (not a structured binding) so the lambda may use it
      bool known_field = false;
      for (const auto& s : specs) known_field = known_field || s.name == name;
      if (!known_field) r.fail(name, fmt::format("not a field of a {} record", record_type_name(type)));
      const std::string text = r.parse(name, [&] { return clean_text(value); });
      if (!r.values.emplace(name, text).second) r.fail(name, "given twice");
    }
    switch (type) {
      case RecordType::Donor:
        donor_row(r);
        break;
      case RecordType::Sample:
        sample_row(r);
        break;
      case RecordType::Consent:
        consent_row(r);
        break;
      case RecordType::Custody:
        custody_row(r);
        break;
      case RecordType::Export:
        export_row(r);
        break;
    }
  }
};

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, 0, "cannot open file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A stored row as the text fields of its record (numbers as written back), for amendments.
std::vector<std::pair<std::string, std::string>> fields_of(RecordType type, const json& row) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& spec : record_fields(type)) {
    const std::string column = spec.name == "unit" ? "amount_unit" : spec.name;
    const auto it = row.find(column);
    if (it == row.end() || it->is_null()) continue;
    if (it->is_string())
      fields.emplace_back(spec.name, it->get<std::string>());
    else if (it->is_number_integer())
      fields.emplace_back(spec.name, std::to_string(it->get<std::int64_t>()));
    else
      fields.emplace_back(spec.name, fmt::format("{}", it->get<double>()));
  }
  return fields;
}
}  // namespace

RecordWriter::RecordWriter(RegistryWrite& write, RecordType type)
    : impl_(std::make_unique<Impl>(write, type)) {}
RecordWriter::~RecordWriter() = default;

void RecordWriter::write(const RecordRow& row, bool generated_id) {
  impl_->amending = false;
  impl_->generated_id = generated_id;
  impl_->write(row);
}

void RecordWriter::amend(const RecordRow& row) {
  impl_->amending = true;
  impl_->generated_id = true;  // existing IDs are kept as they are
  impl_->write(row);
}

std::size_t import_csv(Database& db, RecordType type, const std::string& path, const std::string& actor) {
  const std::string content = read_file(path);
  if (const auto bad = utf8_error_offset(content); bad != std::string::npos) {
    const auto line = static_cast<std::size_t>(
                          std::count(content.begin(), content.begin() + static_cast<long>(bad), '\n')) +
                      1;
    throw Error(path, line,
                "not valid UTF-8 (the registry stores text as UTF-8; convert the file, e.g. with iconv)");
  }
  RegistryWrite write(db, actor, record_type_name(type));
  RecordWriter writer(write, type);
  std::vector<std::string> header;
  std::size_t line_number = 0, records = 0;
  std::istringstream lines(content);
  std::string line;
  while (std::getline(lines, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<std::string> fields;
    try {
      fields = split_csv_line(line);
    } catch (const Error& e) {
      throw Error(path, line_number, e.what());
    }
    if (header.empty()) {
      header = fields;
      if (!header.empty() && header[0].rfind("\xef\xbb\xbf", 0) == 0) header[0].erase(0, 3);  // UTF-8 BOM
      std::set<std::string> seen;
      for (const auto& name : header) {
        bool known = false;
        for (const auto& s : record_fields(type)) known = known || s.name == name;
        if (!known)
          throw Error(path, line_number,
                      fmt::format("column '{}' is not a field of a {} record", name, record_type_name(type)));
        if (!seen.insert(name).second)
          throw Error(path, line_number, fmt::format("column '{}' appears twice", name));
      }
      for (const auto& s : record_fields(type))
        if (s.required && !seen.count(s.name))
          throw Error(path, line_number, fmt::format("required column '{}' is missing", s.name));
      continue;
    }
    if (fields.size() != header.size())
      throw Error(path, line_number,
                  fmt::format("{} fields, but the header has {}", fields.size(), header.size()));
    RecordRow row{path, line_number, {}};
    for (std::size_t i = 0; i < fields.size(); ++i) row.fields.emplace_back(header[i], std::move(fields[i]));
    writer.write(row);
    ++records;
  }
  if (header.empty()) throw Error(path, 0, "empty file (a CSV file starts with a header line)");
  if (records == 0) throw Error(path, line_number, "no records after the header line (nothing imported)");
  write.commit("import", {{"type", record_type_name(type)},
                          {"file", path},
                          {"sha256", sha256_hex(content)},
                          {"records", records}});
  return records;
}

std::string add_record(Database& db, RecordType type,
                       const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::string& actor) {
  RegistryWrite write(db, actor, record_type_name(type));
  RecordWriter writer(write, type);
  auto row_fields = fields;
  bool generated = false;
  std::string id;
  const std::string id_field = record_fields(type).front().name;
  for (auto& [name, value] : row_fields)
    if (name == id_field) {
      if (value.empty() && (type == RecordType::Custody || type == RecordType::Export)) {
        std::string sample;
        for (const auto& [n, v] : fields)
          if (n == "sample_id") sample = v;
        value = fmt::format("{}#{}", clean_text(sample), write.entry_seq());
        generated = true;
      }
      id = value;
    }
  writer.write(RecordRow{"registry add " + record_type_name(type), 0, row_fields}, generated);
  write.commit("add", {{"type", record_type_name(type)}});
  return clean_text(id);
}

void amend_record(Database& db, RecordType type,
                  const std::vector<std::pair<std::string, std::string>>& fields, const std::string& actor) {
  const std::string source = "registry amend " + record_type_name(type);
  const std::string id_field = record_fields(type).front().name;
  std::string id;
  for (const auto& [name, value] : fields)
    if (name == id_field) id = clean_text(value);
  if (id.empty()) throw Error(source, 0, fmt::format("field '{}': names the record to amend", id_field));
  RegistryWrite write(db, actor, "amend");
  const json old = write.find(record_table(type), id);
  if (old.is_null())
    throw Error(source, 0,
                fmt::format("field '{}': no {} '{}' to amend", id_field, record_type_name(type), id));
  auto merged = fields_of(type, old);
  for (const auto& [name, value] : fields) {
    auto it = std::find_if(merged.begin(), merged.end(), [&name = name](const auto& f) { return f.first == name; });
    if (it == merged.end())
      merged.emplace_back(name, value);
    else
      it->second = value;
  }
  RecordWriter writer(write, type);
  writer.amend(RecordRow{source, 0, merged});
  write.commit("amend", {{"type", record_type_name(type)}, {"id", id}});
}

void void_record(Database& db, RecordType type, const std::string& id, const std::string& reason,
                 const std::string& actor) {
  const std::string clean_reason = clean_text(reason);
  if (clean_reason.empty())
    throw Error("registry void: --reason is required (the chain keeps why a record was voided)");
  RegistryWrite write(db, actor, "void");
  try {
    write.void_row(record_table(type), clean_text(id), clean_reason);
  } catch (const Error& e) {
    if (std::string(e.what()).find("FOREIGN KEY") == std::string::npos) throw;
    throw Error(
        db.path(), 0,
        fmt::format("{} '{}' has records that refer to it; void those first", record_type_name(type), id));
  }
  write.commit("void", {{"type", record_type_name(type)}, {"id", id}, {"reason", clean_reason}});
}

std::string withdraw_consent(Database& db, const std::string& donor_id, const std::string& consent_id,
                             const std::string& date_text, const std::string& reason_text,
                             const std::string& actor) {
  const std::string date = date_text.empty() ? today_utc() : parse_date(date_text);
  const std::string reason = clean_text(reason_text);
  RegistryWrite write(db, actor, "withdraw");
  const bool by_donor = consent_id.empty();
  std::string donor = clean_text(donor_id);
  const std::string consent = clean_text(consent_id);
  if (by_donor) {
    if (write.find("donor", donor).is_null())
      throw Error(db.path(), 0, fmt::format("unknown donor '{}'", donor));
    const ConsentStatus status = consent_status(db, donor, date);
    if (status.state != ConsentStatus::State::InForce)
      throw Error(db.path(), 0,
                  fmt::format("donor '{}' has no consent in force on {} to withdraw", donor, date));
  } else {
    const json row = write.find("consent", consent);
    auto already = db.prepare("SELECT 1 FROM withdrawal WHERE consent_id = ?");
    already.bind(1, consent);
    if (row.is_null() || row["consent_date"].get<std::string>() > date || already.step())
      throw Error(db.path(), 0,
                  fmt::format("consent '{}' does not exist, is already withdrawn, or starts after {}",
                              consent, date));
    donor = row["donor_id"].get<std::string>();
  }
  const std::string id = fmt::format("W{}", write.entry_seq());
  write.insert("withdrawal", {{"withdrawal_id", id},
                              {"donor_id", donor},
                              {"consent_id", by_donor ? json(nullptr) : json(consent)},
                              {"withdrawn_date", date},
                              {"reason", reason.empty() ? json(nullptr) : json(reason)}});
  write.commit("withdraw", {{"withdrawal_id", id}});
  return id;
}

}  // namespace genomap::registry
