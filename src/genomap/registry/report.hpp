// Read-only views of the registry: who collected what, where, under which consent, and where it was sent
// (per organisation and country), a sample's chain of custody, and the export list. The HTML report and
// `registry report` both use RegistryReport.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// Samples grouped by collecting organisation, country, site, material and the donors' consent in force
// ("withdrawn" or "none" when there is none).
struct CollectionGroup {
  std::string organisation, country, site, material, consent;
  std::size_t samples = 0, donors = 0;
};
// Exports grouped by collecting organisation, recipient organisation and country, what was sent and purpose.
struct ExportGroup {
  std::string organisation, recipient_organisation, recipient_country, what, purpose;
  std::size_t exports = 0, samples = 0;
  std::string first_date, last_date;
};
struct RegistryReport {
  std::size_t donors = 0, samples = 0, genotyped_samples = 0, consents = 0, withdrawn_donors = 0, exports = 0,
              custody_events = 0, audit_entries = 0;
  std::vector<CollectionGroup> collections;
  std::vector<ExportGroup> sent;
};
RegistryReport build_report(Database& db);

struct CustodyEvent {
  std::string event_id, sample_id, time, event, holder, place, to_holder, note;
};
// Events of one sample in time order; throws when the sample is unknown.
std::vector<CustodyEvent> custody_chain(Database& db, const std::string& sample_id);

struct ExportRecord {
  std::string export_id, sample_id, what, recipient_organisation, recipient_country, purpose, approval_reference,
      date;
};
// Every export, or those of one sample, by date.
std::vector<ExportRecord> list_exports(Database& db, const std::string& sample_id = "");

}  // namespace genomap::registry
