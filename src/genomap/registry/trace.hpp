// Tracing: everything the registry knows that touched a donor or a sample (collection, consents, withdrawals,
// custody, exports, and the analyses that used it, read from the chain), and the analyses and exports that
// used donors who withdrew afterwards.
#pragma once
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

struct TraceEvent {
  std::string time;  // when it happened (date or time), or the entry time for analyses
  std::string kind;  // collected, consent, withdrawal, custody, export, analysis
  std::string id;    // the record's ID (the audit entry number for analyses)
  std::string donor_id;
  std::string sample_id;  // empty for donor-level events (consent, withdrawal)
  std::string detail;
};

// Events of a donor (all its samples) or of one sample, in time order (a date sorts before the times of its
// day). Throws when the donor or sample is unknown.
std::vector<TraceEvent> trace_donor(Database& db, const std::string& donor_id);
std::vector<TraceEvent> trace_sample(Database& db, const std::string& sample_id);
// A data-access request: its recording, the decision and every export under it.
std::vector<TraceEvent> trace_request(Database& db, const std::string& request_id);
// Analyses and exports recorded before a withdrawal of the donor whose sample they used was recorded (the
// donor is withdrawn now): what to follow up when a donor withdraws.
std::vector<TraceEvent> trace_withdrawn(Database& db);

}  // namespace genomap::registry
