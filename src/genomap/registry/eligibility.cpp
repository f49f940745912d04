#include "genomap/registry/eligibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <toml++/toml.h>

#include "genomap/core/error.hpp"

namespace genomap::registry {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split_conditions(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    if (auto c = trim(text.substr(start, end - start)); !c.empty()) out.push_back(c);
    start = end + 1;
  }
  return out;
}

[[noreturn]] void fail_at(const std::string& path, const toml::node& node, const std::string& message) {
  throw Error(path, node.source().begin.line, message);
}

std::vector<std::string> string_list(const std::string& path, const std::string& key, const toml::node& node) {
  std::vector<std::string> out;
  if (auto s = node.value<std::string>()) {
    out.push_back(*s);
    return out;
  }
  const toml::array* array = node.as_array();
  if (!array) fail_at(path, node, fmt::format("{}: expected a string or a list of strings", key));
  for (const auto& item : *array) {
    auto s = item.value<std::string>();
    if (!s) fail_at(path, item, fmt::format("{}: expected a string", key));
    out.push_back(*s);
  }
  return out;
}

double number(const std::string& path, const std::string& key, const toml::node& node) {
  auto v = node.value<double>();
  if (!v) fail_at(path, node, fmt::format("{}: expected a number", key));
  return *v;
}

}  // namespace

EligibilityRules read_rules(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw Error(path, e.source().begin.line, std::string(e.description()));
  }
  EligibilityRules rules;
  rules.source = path;
  for (const auto& [section_key, section_node] : table) {
    const std::string section(section_key.str());
    const toml::table* section_table = section_node.as_table();
    if (!section_table || (section != "donor" && section != "sample"))
      fail_at(path, section_node, fmt::format("unknown rules section '{}' (use [donor] and [sample])", section));
    for (const auto& [k, node] : *section_table) {
      const std::string key = section + "." + std::string(k.str());
      if (key == "donor.exclude_conditions") {
        rules.excluded_conditions = string_list(path, key, node);
      } else if (key == "donor.min_age_at_collection") {
        rules.min_age_at_collection = static_cast<int>(number(path, key, node));
      } else if (key == "sample.materials") {
        rules.materials = string_list(path, key, node);
      } else if (key == "sample.min_amount") {
        std::set<std::string> dimensions;
        for (const auto& text : string_list(path, key, node)) {
          try {
            rules.min_amounts.push_back(parse_amount(text));
          } catch (const Error& e) {
            fail_at(path, node, fmt::format("{}: {}", key, e.what()));
          }
          if (!dimensions.insert(rules.min_amounts.back().unit.dimension).second)
            fail_at(path, node, fmt::format("{}: two minimums for {}", key, rules.min_amounts.back().unit.dimension));
        }
      } else if (key == "sample.storage_states") {
        rules.storage_states = string_list(path, key, node);
      } else if (key == "sample.max_storage_temperature_c") {
        rules.max_storage_temperature_c = number(path, key, node);
      } else {
        fail_at(path, node, fmt::format("unknown rule '{}'", key));
      }
    }
  }
  return rules;
}

EligibilityResult check_eligibility(Database& db, const EligibilityRules& rules) {
  EligibilityResult result;
  std::set<std::string> excluded;
  for (const auto& c : rules.excluded_conditions) excluded.insert(lower(trim(c)));
  std::set<std::string> materials, states;
  for (const auto& m : rules.materials) materials.insert(lower(trim(m)));
  for (const auto& s : rules.storage_states) states.insert(lower(trim(s)));
  auto st = db.prepare(
      "SELECT s.sample_id, s.donor_id, d.conditions, d.birth_year, s.collection_date, s.material, s.amount, "
      "s.amount_unit, s.storage_state, s.storage_temperature_c FROM sample s JOIN donor d ON d.donor_id = s.donor_id "
      "ORDER BY s.sample_id");
  while (st.step()) {
    ++result.samples_checked;
    const std::string sample_id = st.text(0), donor_id = st.text(1);
    const std::size_t before = result.failures.size();
    auto fail = [&](const std::string& rule, const std::string& detail) {
      result.failures.push_back({sample_id, donor_id, rule, detail});
    };
    for (const auto& condition : split_conditions(st.text(2)))
      if (excluded.count(lower(condition))) fail("donor.exclude_conditions", fmt::format("donor condition '{}'", condition));
    if (rules.min_age_at_collection) {
      if (st.is_null(3)) fail("donor.min_age_at_collection", "donor's year of birth is not recorded");
      else {
        const auto age = std::stoll(st.text(4).substr(0, 4)) - st.integer(3);
        if (age < *rules.min_age_at_collection)
          fail("donor.min_age_at_collection", fmt::format("about {} years old at collection (minimum {})", age,
                                                          *rules.min_age_at_collection));
      }
    }
    const std::string material = st.text(5);
    if (!materials.empty() && !materials.count(lower(material)))
      fail("sample.materials", fmt::format("material '{}' is not allowed", material));
    if (!rules.min_amounts.empty()) {
      if (st.is_null(6)) {
        fail("sample.min_amount", "amount is not recorded");
      } else {
        const Unit unit = parse_unit(st.text(7));
        const double amount = st.real(6);
        auto rule = std::find_if(rules.min_amounts.begin(), rules.min_amounts.end(),
                                 [&](const Amount& a) { return a.unit.dimension == unit.dimension; });
        if (rule == rules.min_amounts.end())
          fail("sample.min_amount", fmt::format("amount {:g} {} is a {}, the rule has no minimum for it", amount,
                                                unit.name, unit.dimension));
        // Compare in the rule's unit, with a relative tolerance for decimal conversions (250 mg == 0.25 g).
        else if (amount * unit.factor < rule->value * rule->unit.factor * (1 - 1e-12))
          fail("sample.min_amount", fmt::format("{:g} {} < {:g} {}", amount, unit.name, rule->value, rule->unit.name));
      }
    }
    if (!states.empty()) {
      const std::string state = st.is_null(8) ? "" : st.text(8);
      if (!states.count(lower(state)))
        fail("sample.storage_states", state.empty() ? "storage state is not recorded"
                                                    : fmt::format("storage state '{}' is not allowed", state));
    }
    if (rules.max_storage_temperature_c) {
      if (st.is_null(9)) fail("sample.max_storage_temperature_c", "storage temperature is not recorded");
      else if (st.real(9) > *rules.max_storage_temperature_c)
        fail("sample.max_storage_temperature_c",
             fmt::format("stored at {:g} C, warmer than {:g} C", st.real(9), *rules.max_storage_temperature_c));
    }
    if (result.failures.size() > before) ++result.samples_failing;
  }
  return result;
}

}  // namespace genomap::registry
