// Eligibility rules for samples, read from a TOML file (format in docs/registry.md), and the check that lists
// every failing sample with the rule it failed.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {

struct EligibilityRules {
  std::string source;                           // the rules file
  std::vector<std::string> excluded_conditions;  // [donor] exclude_conditions
  std::optional<int> min_age_at_collection;     // [donor] min_age_at_collection (years, from year of birth)
  std::vector<std::string> materials;           // [sample] materials: allowed materials (empty: any)
  std::vector<Amount> min_amounts;              // [sample] min_amount: "0.25 g" or a list, one per dimension
  std::vector<std::string> storage_states;      // [sample] storage_states (empty: any)
  std::optional<double> max_storage_temperature_c;  // [sample] max_storage_temperature_c
};

// Parses a rules file; unknown tables and keys are errors (a misspelt rule must not pass silently).
EligibilityRules read_rules(const std::string& path);

struct RuleFailure {
  std::string sample_id;
  std::string donor_id;
  std::string rule;    // e.g. "donor.exclude_conditions"
  std::string detail;  // e.g. "donor condition 'HIV'"
};

struct EligibilityResult {
  std::size_t samples_checked = 0;
  std::size_t samples_failing = 0;
  std::vector<RuleFailure> failures;  // every failed rule of every sample, by sample ID
};
EligibilityResult check_eligibility(Database& db, const EligibilityRules& rules);

}  // namespace genomap::registry
