#include "genomap/registry/report.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

#include "genomap/core/error.hpp"
#include "genomap/registry/consent_status.hpp"

namespace genomap::registry {
namespace {

std::size_t count(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  st.step();
  return static_cast<std::size_t>(st.integer(0));
}

}  // namespace

RegistryReport build_report(Database& db) {
  RegistryReport r;
  r.donors = count(db, "SELECT count(*) FROM donor");
  r.samples = count(db, "SELECT count(*) FROM sample");
  r.genotyped_samples = count(db, "SELECT count(*) FROM sample WHERE genotype_iid IS NOT NULL");
  r.consents = count(db, "SELECT count(*) FROM consent");
  const auto statuses = consent_statuses(db);
  for (const auto& [donor, status] : statuses)
    if (status.state == ConsentStatus::State::Withdrawn) ++r.withdrawn_donors;
  r.exports = count(db, "SELECT count(*) FROM export");
  r.custody_events = count(db, "SELECT count(*) FROM custody_event");
  r.audit_entries = count(db, "SELECT count(*) FROM audit_log");
  // Samples grouped by organisation, country, site, material and the donor's consent in force.
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>,
           std::pair<std::size_t, std::set<std::string>>> groups;
  auto samples = db.prepare("SELECT organisation, coalesce(country, ''), coalesce(collection_site, ''), material, "
                            "donor_id FROM sample");
  while (samples.step()) {
    const auto it = statuses.find(samples.text(4));
    std::string consent = "none";
    if (it != statuses.end() && it->second.state == ConsentStatus::State::Withdrawn) consent = "withdrawn";
    if (it != statuses.end() && it->second.state == ConsentStatus::State::InForce) consent = it->second.codes;
    auto& g = groups[{samples.text(0), samples.text(1), samples.text(2), samples.text(3), consent}];
    ++g.first;
    g.second.insert(samples.text(4));
  }
  for (const auto& [key, value] : groups)
    r.collections.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), std::get<4>(key),
                             value.first, value.second.size()});
  auto sent = db.prepare(
      "SELECT s.organisation, e.recipient_organisation, e.recipient_country, e.what, e.purpose, count(*), "
      "count(DISTINCT e.sample_id), min(e.date), max(e.date) FROM export e JOIN sample s ON s.sample_id = e.sample_id "
      "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 3, 2, 4, 5");
  while (sent.step())
    r.sent.push_back({sent.text(0), sent.text(1), sent.text(2), sent.text(3), sent.text(4),
                      static_cast<std::size_t>(sent.integer(5)), static_cast<std::size_t>(sent.integer(6)),
                      sent.text(7), sent.text(8)});
  return r;
}

std::vector<CustodyEvent> custody_chain(Database& db, const std::string& sample_id) {
  auto known = db.prepare("SELECT 1 FROM sample WHERE sample_id = ?");
  known.bind(1, sample_id);
  if (!known.step()) throw Error(db.path(), 0, fmt::format("unknown sample '{}'", sample_id));
  std::vector<CustodyEvent> events;
  auto st = db.prepare(
      "SELECT event_id, sample_id, time, event, holder, coalesce(place, ''), coalesce(to_holder, ''), "
      "coalesce(note, '') FROM custody_event WHERE sample_id = ? ORDER BY time, rowid");
  st.bind(1, sample_id);
  while (st.step())
    events.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7)});
  return events;
}

std::vector<ExportRecord> list_exports(Database& db, const std::string& sample_id) {
  std::vector<ExportRecord> out;
  auto st = db.prepare(
      "SELECT export_id, sample_id, what, recipient_organisation, recipient_country, purpose, "
      "coalesce(approval_reference, ''), date FROM export WHERE ? = '' OR sample_id = ? ORDER BY date, rowid");
  st.bind(1, sample_id).bind(2, sample_id);
  while (st.step())
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7)});
  return out;
}

}  // namespace genomap::registry
