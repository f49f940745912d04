#include "genomap/registry/records.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/duo.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

const std::vector<FieldSpec> kDonorFields = {
    {"donor_id", true, "pseudonymous donor ID"},
    {"sex", false, "male, female, other or unknown (default unknown)"},
    {"birth_year", false, "year of birth"},
    {"population", false, "self-reported population or ethnicity"},
    {"region", false, "region of residence"},
    {"country", false, "country of residence"},
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
    {"organisation", true, "collecting organisation"},
    {"country", false, "country of collection"},
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
    {"recipient_organisation", true, "recipient organisation"},
    {"recipient_country", true, "recipient country"},
    {"purpose", true, "research purpose as DUO codes (GRU, HMB, DS-<disease>, POA, then conditions: HMB+NPU)"},
    {"approval_reference", false, "approval (ethics, access committee) reference"},
    {"date", true, "YYYY-MM-DD"}};

using Fields = std::map<std::string, std::string>;

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
    double x = 0;
    if (!parse_double(*v, x)) fail(field, fmt::format("'{}' is not a number", *v));
    if (x < lo || x > hi) fail(field, fmt::format("{} is outside [{}, {}]", *v, lo, hi));
    return x;
  }
};

const std::set<std::string> kSexes = {"male", "female", "other", "unknown"};
const std::set<std::string> kEvents = {"collected",   "received", "stored",   "aliquoted",
                                       "transferred", "shipped",  "returned", "destroyed"};
const std::set<std::string> kExportKinds = {"material", "genotypes", "phenotypes", "summary"};

}  // namespace

std::string record_type_name(RecordType type) {
  switch (type) {
    case RecordType::Donor: return "donor";
    case RecordType::Sample: return "sample";
    case RecordType::Consent: return "consent";
    case RecordType::Custody: return "custody";
    case RecordType::Export: return "export";
  }
  return "";
}

RecordType parse_record_type(const std::string& name) {
  for (auto t : {RecordType::Donor, RecordType::Sample, RecordType::Consent, RecordType::Custody, RecordType::Export})
    if (name == record_type_name(t) || name == record_type_name(t) + "s") return t;
  throw Error(fmt::format("unknown record type '{}' (donor, sample, consent, custody, export)", name));
}

const std::vector<FieldSpec>& record_fields(RecordType type) {
  switch (type) {
    case RecordType::Donor: return kDonorFields;
    case RecordType::Sample: return kSampleFields;
    case RecordType::Consent: return kConsentFields;
    case RecordType::Custody: return kCustodyFields;
    case RecordType::Export: return kExportFields;
  }
  return kDonorFields;
}

struct RecordWriter::Impl {
  Database& db;
  RecordType type;
  Statement insert;
  Statement donor_birth_year;  // SELECT birth_year FROM donor WHERE donor_id = ?
  Statement sample_exists;
  Statement id_exists;
  Statement consent_at;  // donor's latest consent on or before a date
  double current_year = std::stod(today_utc().substr(0, 4));

  Impl(Database& d, RecordType t, const char* insert_sql, const char* id_sql)
      : db(d), type(t), insert(d.prepare(insert_sql)),
        donor_birth_year(d.prepare("SELECT birth_year FROM donor WHERE donor_id = ?")),
        sample_exists(d.prepare("SELECT donor_id FROM sample WHERE sample_id = ?")), id_exists(d.prepare(id_sql)),
        consent_at(d.prepare("SELECT consent_id, codes, withdrawn_date FROM consent WHERE donor_id = ? AND "
                             "consent_date <= ? ORDER BY consent_date DESC, rowid DESC LIMIT 1")) {}

  void unique_id(const Row& r, const std::string& field, const std::string& id) {
    id_exists.bind(1, id);
    const bool found = id_exists.step();
    id_exists.reset();
    if (found) r.fail(field, fmt::format("duplicate ID '{}' (already in the registry or earlier in this file)", id));
  }
  // Returns the donor's birth year (if recorded); fails when the donor is unknown.
  std::optional<std::int64_t> donor(const Row& r, const std::string& donor_id) {
    donor_birth_year.bind(1, donor_id);
    if (!donor_birth_year.step()) {
      donor_birth_year.reset();
      r.fail("donor_id", fmt::format("unknown donor '{}' (import donors first)", donor_id));
    }
    std::optional<std::int64_t> year;
    if (!donor_birth_year.is_null(0)) year = donor_birth_year.integer(0);
    donor_birth_year.reset();
    return year;
  }
  // Returns the donor of a sample; fails when the sample is unknown.
  std::string sample(const Row& r, const std::string& sample_id) {
    sample_exists.bind(1, sample_id);
    if (!sample_exists.step()) {
      sample_exists.reset();
      r.fail("sample_id", fmt::format("unknown sample '{}' (import samples first)", sample_id));
    }
    std::string donor_id = sample_exists.text(0);
    sample_exists.reset();
    return donor_id;
  }

  void donor_row(const Row& r) {
    const std::string id = r.require("donor_id");
    unique_id(r, "donor_id", id);
    std::string sex = r.get("sex").value_or("unknown");
    for (char& c : sex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (sex == "m") sex = "male";
    if (sex == "f") sex = "female";
    if (!kSexes.count(sex)) r.fail("sex", fmt::format("'{}' is not one of male, female, other, unknown", sex));
    std::optional<std::int64_t> birth_year;
    if (auto y = r.number("birth_year", 1880, current_year)) {
      if (*y != static_cast<double>(static_cast<std::int64_t>(*y))) r.fail("birth_year", "not a whole year");
      birth_year = static_cast<std::int64_t>(*y);
    }
    std::string conditions;
    if (auto c = r.get("conditions")) {
      for (char ch : *c) conditions += ch == ',' ? ';' : ch;
    }
    insert.bind(1, id).bind(2, sex).bind(3, birth_year).bind(4, r.get("population")).bind(5, r.get("region"));
    insert.bind(6, r.get("country")).bind(7, r.number("latitude", -90, 90)).bind(8, r.number("longitude", -180, 180));
    insert.bind(9, conditions).run();
  }

  void sample_row(const Row& r) {
    const std::string id = r.require("sample_id");
    unique_id(r, "sample_id", id);
    const std::string donor_id = r.require("donor_id");
    const auto birth_year = donor(r, donor_id);
    auto amount = r.get("amount");
    std::optional<double> value;
    std::optional<std::string> unit;
    if (amount) {
      double x = 0;
      if (!parse_double(*amount, x)) r.fail("amount", fmt::format("'{}' is not a number", *amount));
      if (x < 0) r.fail("amount", fmt::format("{} is negative", *amount));
      value = x;
      auto u = r.get("unit");
      if (!u) r.fail("unit", "an amount needs a unit (ng ug mg g kg nL uL mL L)");
      unit = r.parse("unit", [&] { return parse_unit(*u).name; });
    } else if (r.get("unit")) {
      r.fail("amount", "a unit is given without an amount");
    }
    const std::string collected = *r.date("collection_date");
    if (birth_year && std::stoll(collected.substr(0, 4)) < *birth_year)
      r.fail("collection_date", fmt::format("{} is before the donor's year of birth {}", collected, *birth_year));
    if (!r.get("genotype_iid") && r.get("genotype_fid")) r.fail("genotype_iid", "genotype_fid given without genotype_iid");
    std::optional<std::string> state = r.get("storage_state");
    if (state)
      for (char& c : *state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    insert.bind(1, id).bind(2, donor_id).bind(3, r.get("genotype_fid")).bind(4, r.get("genotype_iid"));
    insert.bind(5, r.require("material")).bind(6, value).bind(7, unit).bind(8, collected);
    insert.bind(9, r.get("collection_site")).bind(10, r.require("organisation")).bind(11, r.get("country"));
    insert.bind(12, state).bind(13, r.number("storage_temperature_c", -273.15, 1000)).run();
  }

  void consent_row(const Row& r) {
    const std::string id = r.require("consent_id");
    unique_id(r, "consent_id", id);
    const std::string donor_id = r.require("donor_id");
    donor(r, donor_id);
    const std::string raw = r.require("codes");
    const std::string codes = r.parse("codes", [&] { return parse_consent_codes(raw).text(); });
    const std::string date = *r.date("consent_date");
    auto withdrawn = r.date("withdrawn_date");
    if (withdrawn && *withdrawn < date)
      r.fail("withdrawn_date", fmt::format("{} is before the consent date {}", *withdrawn, date));
    if (!withdrawn && r.get("withdrawal_reason")) r.fail("withdrawal_reason", "given without a withdrawn_date");
    insert.bind(1, id).bind(2, donor_id).bind(3, codes).bind(4, date).bind(5, withdrawn);
    insert.bind(6, r.get("withdrawal_reason")).run();
  }

  void custody_row(const Row& r) {
    const std::string id = r.require("event_id");
    unique_id(r, "event_id", id);
    const std::string sample_id = r.require("sample_id");
    sample(r, sample_id);
    const std::string raw_time = r.require("time");
    const std::string time = r.parse("time", [&] { return parse_time(raw_time); });
    const std::string event = r.require("event");
    if (!kEvents.count(event))
      r.fail("event", fmt::format("'{}' is not one of collected, received, stored, aliquoted, transferred, shipped, "
                                  "returned, destroyed", event));
    if ((event == "transferred" || event == "shipped") && !r.get("to_holder"))
      r.fail("to_holder", fmt::format("a {} event needs the recipient", event));
    insert.bind(1, id).bind(2, sample_id).bind(3, time).bind(4, event).bind(5, r.require("holder"));
    insert.bind(6, r.get("place")).bind(7, r.get("to_holder")).bind(8, r.get("note")).run();
  }

  // An export must be covered by the donor's consent in force on the export date.
  void export_row(const Row& r) {
    const std::string id = r.require("export_id");
    unique_id(r, "export_id", id);
    const std::string sample_id = r.require("sample_id");
    const std::string donor_id = sample(r, sample_id);
    const std::string what = r.require("what");
    if (!kExportKinds.count(what))
      r.fail("what", fmt::format("'{}' is not one of material, genotypes, phenotypes, summary", what));
    const std::string raw_purpose = r.require("purpose");
    const ResearchPurpose purpose = r.parse("purpose", [&] { return parse_purpose(raw_purpose); });
    const std::string date = *r.date("date");
    consent_at.bind(1, donor_id).bind(2, date);
    if (!consent_at.step()) {
      consent_at.reset();
      r.fail("purpose", fmt::format("donor '{}' of sample '{}' had no consent on {}", donor_id, sample_id, date));
    }
    const std::string consent_id = consent_at.text(0);
    const ConsentCodes codes = parse_consent_codes(consent_at.text(1));
    const auto withdrawn = consent_at.optional_text(2);
    consent_at.reset();
    if (withdrawn && *withdrawn <= date)
      r.fail("purpose", fmt::format("consent '{}' of donor '{}' was withdrawn on {}", consent_id, donor_id, *withdrawn));
    const ConsentDecision decision = decide(codes, purpose, false);
    if (!decision.allowed) r.fail("purpose", fmt::format("not allowed by consent '{}': {}", consent_id, decision.reason));
    insert.bind(1, id).bind(2, sample_id).bind(3, what).bind(4, r.require("recipient_organisation"));
    insert.bind(5, r.require("recipient_country")).bind(6, purpose.text).bind(7, r.get("approval_reference"));
    insert.bind(8, date).run();
  }
};

namespace {
// The INSERT statement and the ID look-up of a record type.
std::pair<const char*, const char*> record_sql(RecordType type) {
  switch (type) {
    case RecordType::Donor:
      return {"INSERT INTO donor VALUES (?,?,?,?,?,?,?,?,?)", "SELECT 1 FROM donor WHERE donor_id = ?"};
    case RecordType::Sample:
      return {"INSERT INTO sample VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", "SELECT 1 FROM sample WHERE sample_id = ?"};
    case RecordType::Consent:
      return {"INSERT INTO consent VALUES (?,?,?,?,?,?)", "SELECT 1 FROM consent WHERE consent_id = ?"};
    case RecordType::Custody:
      return {"INSERT INTO custody_event VALUES (?,?,?,?,?,?,?,?)", "SELECT 1 FROM custody_event WHERE event_id = ?"};
    case RecordType::Export:
      return {"INSERT INTO export VALUES (?,?,?,?,?,?,?,?)", "SELECT 1 FROM export WHERE export_id = ?"};
  }
  return {"", ""};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, 0, "cannot open file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

RecordWriter::RecordWriter(Database& db, RecordType type) {
  const auto [insert_sql, id_sql] = record_sql(type);
  impl_ = std::make_unique<Impl>(db, type, insert_sql, id_sql);
}
RecordWriter::~RecordWriter() = default;

void RecordWriter::write(const RecordRow& row) {
  Row r{row, {}};
  const auto& specs = record_fields(impl_->type);
  for (const auto& [name, value] : row.fields) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == name;
    if (!known) r.fail(name, fmt::format("not a field of a {} record", record_type_name(impl_->type)));
    if (!r.values.emplace(name, value).second) r.fail(name, "given twice");
  }
  switch (impl_->type) {
    case RecordType::Donor: impl_->donor_row(r); break;
    case RecordType::Sample: impl_->sample_row(r); break;
    case RecordType::Consent: impl_->consent_row(r); break;
    case RecordType::Custody: impl_->custody_row(r); break;
    case RecordType::Export: impl_->export_row(r); break;
  }
}

std::size_t import_csv(Database& db, RecordType type, const std::string& path) {
  const std::string content = read_file(path);
  WriteTransaction tx(db);
  RecordWriter writer(db, type);
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
          throw Error(path, line_number, fmt::format("column '{}' is not a field of a {} record", name,
                                                     record_type_name(type)));
        if (!seen.insert(name).second) throw Error(path, line_number, fmt::format("column '{}' appears twice", name));
      }
      for (const auto& s : record_fields(type))
        if (s.required && !seen.count(s.name))
          throw Error(path, line_number, fmt::format("required column '{}' is missing", s.name));
      continue;
    }
    if (fields.size() != header.size())
      throw Error(path, line_number, fmt::format("{} fields, but the header has {}", fields.size(), header.size()));
    RecordRow row{path, line_number, {}};
    for (std::size_t i = 0; i < fields.size(); ++i) row.fields.emplace_back(header[i], std::move(fields[i]));
    writer.write(row);
    ++records;
  }
  if (header.empty()) throw Error(path, 0, "empty file (a CSV file starts with a header line)");
  nlohmann::json details = {{"type", record_type_name(type)},
                            {"file", path},
                            {"sha256", sha256_hex(content)},
                            {"records", records}};
  append_audit(db, "import", details.dump());
  tx.commit();
  return records;
}

void add_record(Database& db, RecordType type, const std::vector<std::pair<std::string, std::string>>& fields) {
  WriteTransaction tx(db);
  RecordWriter writer(db, type);
  writer.write(RecordRow{"registry add " + record_type_name(type), 0, fields});
  nlohmann::json record = nlohmann::json::object();
  for (const auto& [k, v] : fields) record[k] = v;
  append_audit(db, "add", nlohmann::json{{"type", record_type_name(type)}, {"record", record}}.dump());
  tx.commit();
}

std::size_t withdraw_consent(Database& db, const std::string& donor_id, const std::string& consent_id,
                             const std::string& date_text, const std::string& reason) {
  const std::string date = date_text.empty() ? today_utc() : parse_date(date_text);
  WriteTransaction tx(db);
  const bool by_donor = consent_id.empty();
  if (by_donor) {
    auto known = db.prepare("SELECT 1 FROM donor WHERE donor_id = ?");
    known.bind(1, donor_id);
    if (!known.step()) throw Error(db.path(), 0, fmt::format("unknown donor '{}'", donor_id));
  }
  auto update = db.prepare(by_donor
      ? "UPDATE consent SET withdrawn_date = ?, withdrawal_reason = ? WHERE donor_id = ? AND withdrawn_date IS NULL "
        "AND consent_date <= ?"
      : "UPDATE consent SET withdrawn_date = ?, withdrawal_reason = ? WHERE consent_id = ? AND withdrawn_date IS NULL "
        "AND consent_date <= ?");
  update.bind(1, date).bind(2, reason.empty() ? std::optional<std::string>() : std::optional<std::string>(reason));
  update.bind(3, by_donor ? donor_id : consent_id).bind(4, date).run();
  const auto n = static_cast<std::size_t>(db.changes());
  if (n == 0)
    throw Error(db.path(), 0, by_donor
        ? fmt::format("donor '{}' has no consent in force on {} to withdraw", donor_id, date)
        : fmt::format("consent '{}' does not exist, is already withdrawn, or starts after {}", consent_id, date));
  append_audit(db, "withdraw", nlohmann::json{{"donor_id", donor_id}, {"consent_id", consent_id}, {"date", date},
                                              {"reason", reason}, {"consents", n}}.dump());
  tx.commit();
  return n;
}

}  // namespace genomap::registry
