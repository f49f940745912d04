#include "genomap/registry/requests.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/countries.hpp"
#include "genomap/registry/duo.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

using nlohmann::json;

json nullable(const std::string& v) { return v.empty() ? json(nullptr) : json(v); }

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == separator) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& request_fields() {
  static const std::vector<std::pair<std::string, std::string>> fields = {
      {"request_id", "request ID (required)"},
      {"requester", "who requests (required)"},
      {"institution", "requester's institution (required)"},
      {"institution_type", "not-for-profit or for-profit (required)"},
      {"commercial_use", "yes or no (required)"},
      {"country", "requester's country, ISO 3166-1 (required)"},
      {"purpose", "GRU, HMB, DS-<disease> or POA, then declared conditions: HMB+IRB+PUB (required)"},
      {"project", "project title or ID (required)"},
      {"ethics_reference", "ethics approval reference"},
      {"collaborators", "collaborating organisations, ';'-separated"},
      {"date", "YYYY-MM-DD (default today)"}};
  return fields;
}

std::string add_request(Database& db, const std::vector<std::pair<std::string, std::string>>& given,
                        const std::string& actor) {
  std::map<std::string, std::string> f;
  const auto fail = [](const std::string& field, const std::string& message) -> void {
    throw Error(fmt::format("registry request: field '{}': {}", field, message));
  };
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const auto& spec : request_fields()) known = known || spec.first == name;
    if (!known) fail(name, "not a field of a request");
    std::string text;
    try {
      text = clean_text(value);
    } catch (const Error& e) {
      fail(name, e.what());
    }
    if (!f.emplace(name, text).second) fail(name, "given twice");
  }
  for (const auto& spec : request_fields())
    if (spec.second.find("(required)") != std::string::npos && f[spec.first].empty())
      fail(spec.first, "missing value");
  const std::string id = f["request_id"];
  if (id.find('#') != std::string::npos) fail("request_id", "'#' is kept for IDs genomap generates");
  if (f["institution_type"] != "not-for-profit" && f["institution_type"] != "for-profit")
    fail("institution_type", fmt::format("'{}' is not not-for-profit or for-profit", f["institution_type"]));
  if (f["commercial_use"] != "yes" && f["commercial_use"] != "no")
    fail("commercial_use", fmt::format("'{}' is not yes or no", f["commercial_use"]));
  std::string country, purpose, date;
  try {
    country = parse_country(f["country"]).alpha2;
  } catch (const Error& e) {
    fail("country", e.what());
  }
  try {
    purpose = parse_purpose(f["purpose"]).text;
  } catch (const Error& e) {
    fail("purpose", e.what());
  }
  try {
    date = f["date"].empty() ? today_utc() : parse_date(f["date"]);
  } catch (const Error& e) {
    fail("date", e.what());
  }
  std::string collaborators;
  for (const auto& c : split(f["collaborators"], ';'))
    if (const std::string t = clean_text(c); !t.empty())
      collaborators += (collaborators.empty() ? "" : ";") + t;
  RegistryWrite write(db, actor, "request");
  if (!write.find("access_request", id).is_null())
    fail("request_id", fmt::format("duplicate ID '{}' (already in the registry)", id));
  write.insert("access_request", {{"request_id", id},
                                  {"requester", f["requester"]},
                                  {"institution", f["institution"]},
                                  {"institution_type", f["institution_type"]},
                                  {"commercial_use", f["commercial_use"]},
                                  {"country", country},
                                  {"purpose", purpose},
                                  {"project", f["project"]},
                                  {"ethics_reference", nullable(f["ethics_reference"])},
                                  {"collaborators", nullable(collaborators)},
                                  {"date", date}});
  write.commit("request", {{"request_id", id}});
  return id;
}

RequestConditions parse_conditions(std::string_view text) {
  RequestConditions c;
  for (const auto& part : split(text, ';')) {
    const std::string item = clean_text(part);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string key = eq == std::string::npos ? item : clean_text(item.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : clean_text(item.substr(eq + 1));
    if (key == "what") {
      for (const auto& w : split(value, ',')) {
        const std::string kind = clean_text(w);
        if (kind != "material" && kind != "genotypes" && kind != "phenotypes" && kind != "summary")
          throw Error(
              fmt::format("condition what: '{}' is not material, genotypes, phenotypes or summary", kind));
        c.what.insert(kind);
      }
    } else if (key == "until") {
      c.until = parse_calendar_date(value);
    } else if (key == "max_samples") {
      const double n = parse_number(value);
      if (n < 1 || n != static_cast<double>(static_cast<std::int64_t>(n)))
        throw Error(fmt::format("condition max_samples: '{}' is not a whole number of at least 1", value));
      c.max_samples = static_cast<std::int64_t>(n);
    } else {
      throw Error(fmt::format("unknown condition '{}' (what=KINDS, until=DATE, max_samples=N)", key));
    }
  }
  std::vector<std::string> parts;
  if (!c.what.empty()) {
    std::string kinds;
    for (const auto& w : c.what) kinds += (kinds.empty() ? "" : ",") + w;
    parts.push_back("what=" + kinds);
  }
  if (c.until) parts.push_back("until=" + *c.until);
  if (c.max_samples) parts.push_back("max_samples=" + std::to_string(*c.max_samples));
  for (const auto& p : parts) c.text += (c.text.empty() ? "" : ";") + p;
  return c;
}

void decide_request(Database& db, const std::string& request_id, bool approve, const std::string& conditions,
                    const std::string& date_text, const std::string& reason_text, const std::string& actor) {
  const std::string id = clean_text(request_id);
  const RequestConditions c = parse_conditions(conditions);
  if (!approve && !c.text.empty()) throw UsageError("registry request refuse: a refusal has no conditions");
  const std::string reason = clean_text(reason_text);
  if (!approve && reason.empty()) throw UsageError("registry request refuse: --reason is required");
  const std::string date = date_text.empty() ? today_utc() : parse_date(date_text);
  RegistryWrite write(db, actor, "decision");
  const json request = write.find("access_request", id);
  if (request.is_null()) throw Error(db.path(), 0, fmt::format("no data-access request '{}'", id));
  const json earlier = write.find("request_decision", id);
  if (!earlier.is_null())
    throw Error(db.path(), 0,
                fmt::format("request '{}' was already {} on {} (a new request is filed instead)", id,
                            earlier["decision"].get<std::string>(), earlier["date"].get<std::string>()));
  if (date < request["date"].get<std::string>())
    throw Error(
        db.path(), 0,
        fmt::format("decision dated {}, before the request ({})", date, request["date"].get<std::string>()));
  write.insert("request_decision", {{"request_id", id},
                                    {"decision", approve ? "approved" : "refused"},
                                    {"conditions", c.text},
                                    {"date", date},
                                    {"reason", reason.empty() ? json(nullptr) : json(reason)}});
  write.commit(approve ? "approve" : "refuse", {{"request_id", id}});
}

std::vector<RequestSummary> list_requests(Database& db) {
  std::vector<RequestSummary> out;
  auto st = db.prepare(
      "SELECT r.request_id, r.requester, r.institution, r.country, r.purpose, r.project, r.date, "
      "coalesce(d.decision, 'pending'), coalesce(d.conditions, ''), coalesce(d.date, ''), coalesce(d.actor, "
      "''), "
      "(SELECT count(*) FROM export e WHERE e.request_id = r.request_id), "
      "(SELECT count(DISTINCT sample_id) FROM export e WHERE e.request_id = r.request_id) "
      "FROM access_request r LEFT JOIN request_decision d ON d.request_id = r.request_id ORDER BY "
      "r.request_id");
  while (st.step())
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6),
                   st.text(7), st.text(8), st.text(9), st.text(10), st.integer(11), st.integer(12)});
  return out;
}

}  // namespace genomap::registry
