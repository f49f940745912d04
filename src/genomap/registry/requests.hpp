// Data-access requests and the access committee's decisions. A request names the requester, institution (and
// whether it is not-for-profit), country, DUO purpose with the conditions the requester declares, project,
// ethics reference and collaborators; an access committee approves it with conditions or refuses it. Exports
// and shipments happen only under an approved request (records.cpp checks each against the request, its
// conditions and every donor's consent).
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// The fields of `registry request add` (FIELD=VALUE), in order: request_id (required), requester,
// institution, institution_type (not-for-profit or for-profit), commercial_use (yes or no), country (ISO
// 3166), purpose (GRU, HMB, DS-x or POA, then declared conditions: HMB+IRB+PUB), project, ethics_reference
// (optional), collaborators (optional, ';'-separated organisations), date (default today).
const std::vector<std::pair<std::string, std::string>>& request_fields();

// Records a request (a write of kind `request`). Throws Error("registry request: field 'x': ...").
std::string add_request(Database& db, const std::vector<std::pair<std::string, std::string>>& fields,
                        const std::string& actor);

// Conditions of an approval, ';'-separated KEY=VALUE: what=genotypes,summary (kinds that may be sent;
// default all), until=YYYY-MM-DD (no export after it), max_samples=N (distinct samples sent in all).
struct RequestConditions {
  std::set<std::string> what;
  std::optional<std::string> until;
  std::optional<std::int64_t> max_samples;
  std::string text;  // canonical
};
RequestConditions parse_conditions(std::string_view text);

// Approves (with conditions) or refuses a request (a write of kind `decision`: access committee only). A
// request is decided once; dated on or after the request.
void decide_request(Database& db, const std::string& request_id, bool approve, const std::string& conditions,
                    const std::string& date, const std::string& reason, const std::string& actor);

struct RequestSummary {
  std::string request_id, requester, institution, country, purpose, project, date, decision, conditions,
      decided_on, decided_by;
  std::int64_t exports = 0, samples = 0;
};
std::vector<RequestSummary> list_requests(Database& db);

}  // namespace genomap::registry
