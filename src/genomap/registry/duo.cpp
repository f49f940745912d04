#include "genomap/registry/duo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "genomap/core/error.hpp"
#include "genomap/registry/countries.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Codes are separated by ';', ',', '+' or white space; a quoted disease name (DS:"hepatitis B") keeps its
// spaces.
std::vector<std::string> split_codes(std::string_view text) {
  std::vector<std::string> codes;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted || c == '"') {
      current += c;
    } else if (c == ';' || c == ',' || c == '+' || c == ' ' || c == '\t') {
      if (!current.empty()) codes.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (quoted) throw Error(fmt::format("unterminated quote in '{}'", text));
  if (!current.empty()) codes.push_back(current);
  return codes;
}

// DUO identifiers of the codes genomap knows (https://github.com/EBISPOT/DUO, duo.csv).
const std::map<std::string, std::string>& duo_ids() {
  static const std::map<std::string, std::string> ids = {
      {"DUO:0000004", "NRES"}, {"DUO:0000042", "GRU"},  {"DUO:0000006", "HMB"},    {"DUO:0000011", "POA"},
      {"DUO:0000007", "DS"},   {"DUO:0000044", "NPOA"}, {"DUO:0000016", "GSO"},    {"DUO:0000043", "CC"},
      {"DUO:0000045", "NPU"},  {"DUO:0000046", "NCU"},  {"DUO:0000018", "NPUNCU"}, {"DUO:0000021", "IRB"},
      {"DUO:0000019", "PUB"},  {"DUO:0000020", "COL"},  {"DUO:0000029", "RTN"},    {"DUO:0000024", "MOR"},
      {"DUO:0000025", "TS"},   {"DUO:0000026", "US"},   {"DUO:0000027", "PS"},     {"DUO:0000028", "IS"},
      {"DUO:0000022", "GS"},   {"DUO:0000012", "RS"},   {"DUO:0000015", "NMDS"}};
  return ids;
}

const std::set<std::string>& requester_condition_codes() {
  static const std::set<std::string> codes = {"NPU", "NCU", "NPUNCU", "IRB", "PUB", "COL", "RTN", "MOR",
                                              "TS",  "US",  "PS",     "IS",  "GS",  "RS",  "NMDS"};
  return codes;
}

// A code upper-cased and translated from its DUO ID; DS codes keep their disease ("DS-T2D").
std::string normalise(const std::string& raw) {
  std::string code = upper(raw);
  if (auto it = duo_ids().find(code); it != duo_ids().end()) code = it->second;
  return code;
}

bool is_disease_code(const std::string& code) {
  return code.rfind("DS-", 0) == 0 || code.rfind("DS:", 0) == 0;
}

// The disease of a DS code, upper-cased: DS-<name> (no spaces), DS:MONDO:nnnnnnn or DS:"<name with spaces>".
std::string disease_of(const std::string& code) {
  std::string disease = code.substr(3);
  if (disease.size() >= 2 && disease.front() == '"' && disease.back() == '"')
    disease = disease.substr(1, disease.size() - 2);
  else if (disease.find('"') != std::string::npos)
    throw Error(fmt::format("'{}': a quote inside a disease name", code));
  else if (code[2] == ':' && disease.rfind("MONDO:", 0) != 0)
    throw Error(
        fmt::format("'{}': DS: takes a MONDO ID (DS:MONDO:0005148) or a quoted disease name "
                    "(DS:\"hepatitis B\")",
                    code));
  const auto b = disease.find_first_not_of(' ');
  disease = b == std::string::npos ? "" : disease.substr(b, disease.find_last_not_of(' ') - b + 1);
  if (disease.empty())
    throw Error(
        "DUO code DS needs a disease: DS-<disease>, DS:MONDO:<id> or DS:\"<disease name>\" (e.g. DS-T2D, "
        "DS:MONDO:0005148, DS:\"hepatitis B\")");
  if (disease.rfind("MONDO:", 0) == 0) {
    const std::string digits = disease.substr(6);
    if (digits.size() != 7 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw Error(fmt::format("'{}' is not a MONDO ID (MONDO: and 7 digits)", disease));
  }
  return disease;
}

// How a disease code is written back: DS-<disease>, quoted when the name holds a separator.
std::string disease_code(const std::string& disease) {
  if (disease.find_first_of(" ;,+\t") == std::string::npos && disease.rfind("MONDO:", 0) != 0)
    return "DS-" + disease;
  if (disease.rfind("MONDO:", 0) == 0) return "DS:" + disease;
  return "DS:\"" + disease + "\"";
}

[[noreturn]] void unknown(const std::string& code) {
  throw Error(
      fmt::format("unknown DUO code '{}' (known: NRES GRU HMB POA DS-<disease> NPOA GSO CC NPU NCU NPUNCU "
                  "IRB PUB COL RTN MOR TS US PS IS GS RS NMDS)",
                  code));
}

// A modifier with its restriction (GS:DE, TS:2027-01-01, US:ALICE), checked and written canonically.
std::string parameterised(const std::string& base, std::string value, const std::string& raw) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty()) throw Error(fmt::format("'{}': the restriction after ':' is empty", raw));
  if (base == "GS") return "GS:" + std::string(parse_country(value).alpha2);
  if (base == "TS" || base == "MOR") return base + ":" + parse_calendar_date(value);
  if (base == "US" || base == "IS" || base == "PS")
    return base + ":" + (value.find(' ') == std::string::npos ? value : "\"" + value + "\"");
  if (requester_condition_codes().count(base))
    throw Error(fmt::format("'{}': {} takes no restriction (only GS, TS, MOR, US, IS and PS do)", raw, base));
  unknown(raw);
}

std::string base_of(const std::string& condition) { return condition.substr(0, condition.find(':')); }
std::string restriction_of(const std::string& condition) {
  const auto colon = condition.find(':');
  std::string v = colon == std::string::npos ? "" : condition.substr(colon + 1);
  if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

// Whether the declared conditions satisfy one requested condition; NPUNCU is NPU and NCU together; a
// condition with a restriction is satisfied by declaring its code (GS for GS:DE) or by the facts (met).
bool satisfied(const std::string& condition_text, const std::set<std::string>& declared) {
  if (declared.count(condition_text)) return true;
  const std::string condition = base_of(condition_text);
  if (declared.count(condition)) return true;
  if (condition == "NPU" || condition == "NCU") return declared.count("NPUNCU") > 0;
  if (condition == "NPUNCU") return declared.count("NPU") && declared.count("NCU");
  return false;
}

std::string purpose_label(const ResearchPurpose& p) {
  switch (p.kind) {
    case ResearchPurpose::Kind::General:
      return "general research (GRU)";
    case ResearchPurpose::Kind::Health:
      return "health/medical/biomedical research (HMB)";
    case ResearchPurpose::Kind::Disease:
      return "research on " + p.disease + " (" + disease_code(p.disease) + ")";
    case ResearchPurpose::Kind::Ancestry:
      return "population origins/ancestry research (POA)";
  }
  return "";
}

}  // namespace

std::string ConsentCodes::text() const {
  std::vector<std::string> codes;
  if (no_restriction) codes.push_back("NRES");
  if (general) codes.push_back("GRU");
  if (health) codes.push_back("HMB");
  if (ancestry) codes.push_back("POA");
  for (const auto& d : diseases) codes.push_back(disease_code(d));
  if (no_ancestry) codes.push_back("NPOA");
  if (genetic_only) codes.push_back("GSO");
  if (clinical_care) codes.push_back("CC");
  for (const auto& c : requester_conditions) codes.push_back(c);
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ";") + c;
  return out;
}

ConsentCodes parse_consent_codes(std::string_view text) {
  ConsentCodes c;
  for (const auto& raw : split_codes(text)) {
    const std::string code = normalise(raw);
    if (code == "NRES")
      c.no_restriction = true;
    else if (code == "GRU")
      c.general = true;
    else if (code == "HMB")
      c.health = true;
    else if (code == "POA")
      c.ancestry = true;
    else if (is_disease_code(code) || code == "DS")
      c.diseases.insert(disease_of(code == "DS" ? "DS-" : code));
    else if (code == "NPOA")
      c.no_ancestry = true;
    else if (code == "GSO")
      c.genetic_only = true;
    else if (code == "CC")
      c.clinical_care = true;
    else if (requester_condition_codes().count(code))
      c.requester_conditions.insert(code);
    else if (const auto colon = code.find(':'); colon != std::string::npos)
      c.requester_conditions.insert(parameterised(code.substr(0, colon), code.substr(colon + 1), raw));
    else
      unknown(raw);
  }
  if (!c.no_restriction && !c.general && !c.health && !c.ancestry && c.diseases.empty())
    throw Error(fmt::format(
        "consent codes '{}' hold no data use permission (one of NRES GRU HMB POA DS-<disease>)", text));
  if (!c.no_restriction && !c.general && !c.health && c.diseases.empty() && c.no_ancestry)
    throw Error(
        fmt::format("consent codes '{}' permit nothing: NPOA forbids the only use they permit (POA)", text));
  return c;
}

ResearchPurpose parse_purpose(std::string_view text) {
  auto codes = split_codes(text);
  if (codes.empty()) throw Error("empty research purpose (give a DUO code: GRU, HMB, DS-<disease> or POA)");
  ResearchPurpose p;
  const std::string primary = normalise(codes[0]);
  if (primary == "GRU")
    p.kind = ResearchPurpose::Kind::General;
  else if (primary == "HMB")
    p.kind = ResearchPurpose::Kind::Health;
  else if (primary == "POA")
    p.kind = ResearchPurpose::Kind::Ancestry;
  else if (is_disease_code(primary) || primary == "DS") {
    p.kind = ResearchPurpose::Kind::Disease;
    p.disease = disease_of(primary == "DS" ? "DS-" : primary);
  } else if (primary == "NRES" || primary == "NPOA" || primary == "GSO" || primary == "CC" ||
             requester_condition_codes().count(primary)) {
    throw Error(
        fmt::format("'{}' is not a research purpose: the purpose starts with GRU, HMB, DS-<disease> or POA, "
                    "followed by the conditions the requester meets (e.g. HMB+NPU+IRB)",
                    codes[0]));
  } else {
    unknown(codes[0]);
  }
  p.text = p.kind == ResearchPurpose::Kind::Disease ? disease_code(p.disease) : primary;
  for (std::size_t i = 1; i < codes.size(); ++i) {
    const std::string code = normalise(codes[i]);
    if (!requester_condition_codes().count(code)) {
      if (code == "GRU" || code == "HMB" || code == "POA" || is_disease_code(code) || code == "NRES" ||
          code == "NPOA" || code == "GSO" || code == "CC")
        throw Error(
            fmt::format("'{}' after the primary purpose: only requester conditions may follow (NPU NCU "
                        "NPUNCU IRB PUB COL RTN MOR TS US PS IS GS RS NMDS)",
                        codes[i]));
      unknown(codes[i]);
    }
    p.declared.insert(code);
  }
  for (const auto& d : p.declared) p.text += "+" + d;
  return p;
}

std::string check_modifiers(const ConsentCodes& consent, const RequestFacts& f, std::set<std::string>& met) {
  const auto same = [](const std::string& a, const std::string& b) { return upper(a) == upper(b); };
  for (const auto& condition : consent.requester_conditions) {
    const std::string base = base_of(condition);
    const std::string value = restriction_of(condition);
    std::string problem;
    if (base == "GS" && !value.empty()) continue;  // one of the GS countries must match (below)
    if ((base == "NPU" || base == "NPUNCU") && f.institution_type != "not-for-profit")
      problem = fmt::format("{} limits use to not-for-profit organisations; {} is {}", base, f.institution,
                            f.institution_type);
    else if ((base == "NCU" || base == "NPUNCU") && f.commercial_use != "no")
      problem = fmt::format("{} forbids commercial use; the request declares commercial use", base);
    else if (base == "IRB" && f.ethics_reference.empty())
      problem = "IRB requires ethics approval; the request gives no ethics reference";
    else if (base == "COL" && std::none_of(f.collaborators.begin(), f.collaborators.end(), [&](const auto& c) {
               return same(c, f.collecting_organisation);
             }))
      problem = fmt::format("COL requires collaboration with the collecting organisation ({}), which the "
                            "request does not name among its collaborators",
                            f.collecting_organisation);
    else if (base == "TS" && !value.empty() && f.date > value)
      problem = fmt::format("TS limits use to {}; the export is dated {}", value, f.date);
    else if (base == "US" && !value.empty() && !same(value, f.requester))
      problem = fmt::format("US limits use to {}; the requester is {}", value, f.requester);
    else if (base == "IS" && !value.empty() && !same(value, f.institution))
      problem = fmt::format("IS limits use to {}; the institution is {}", value, f.institution);
    else if (base == "PS" && !value.empty() && !same(value, f.project))
      problem = fmt::format("PS limits use to project {}; the request's project is {}", value, f.project);
    else if (base == "NPU" || base == "NCU" || base == "NPUNCU" || base == "IRB" || base == "COL" ||
             (!value.empty() && base != "MOR"))
      met.insert(condition);
    if (!problem.empty()) return problem;
  }
  // GS: the request's country must be one of the countries the consent names.
  std::vector<std::string> countries;
  for (const auto& condition : consent.requester_conditions)
    if (base_of(condition) == "GS" && !restriction_of(condition).empty()) countries.push_back(restriction_of(condition));
  if (!countries.empty()) {
    if (std::none_of(countries.begin(), countries.end(), [&](const auto& c) { return same(c, f.country); })) {
      std::string list;
      for (const auto& c : countries) list += (list.empty() ? "" : ", ") + c;
      return fmt::format("GS limits use to {}; the request is from {}", list, f.country);
    }
    for (const auto& c : countries) met.insert("GS:" + c);
  }
  return "";
}

ConsentDecision decide(const ConsentCodes& c, const ResearchPurpose& p, bool ancestry_analysis) {
  const bool needs_ancestry = ancestry_analysis || p.kind == ResearchPurpose::Kind::Ancestry;
  if (needs_ancestry && c.no_ancestry) return {false, "NPOA forbids population origins/ancestry research"};
  if (needs_ancestry && !c.covers_ancestry()) {
    if (c.health) return {false, "HMB consent does not cover population origins/ancestry research"};
    return {false, fmt::format("consent {} does not cover population origins/ancestry research", c.text())};
  }
  bool covered = c.no_restriction || c.general;
  switch (p.kind) {
    case ResearchPurpose::Kind::General:
      break;
    case ResearchPurpose::Kind::Health:
      covered = covered || c.health;
      break;
    case ResearchPurpose::Kind::Disease:
      covered = covered || c.health || c.diseases.count(p.disease) > 0;
      break;
    case ResearchPurpose::Kind::Ancestry:
      covered = covered || c.ancestry;
      break;
  }
  if (!covered) return {false, fmt::format("consent {} does not cover {}", c.text(), purpose_label(p))};
  for (const auto& condition : c.requester_conditions)
    if (!satisfied(condition, p.declared) && !p.met.count(condition))
      return {false,
              fmt::format("consent requires the requester to meet {} (declare it in the purpose, e.g. {}+{})",
                          condition, p.text, condition)};
  return {true, ""};
}

}  // namespace genomap::registry
