#include "genomap/registry/report.hpp"

#include <fmt/format.h>

#include "genomap/core/error.hpp"

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
  r.withdrawn_donors = count(db, "SELECT count(*) FROM effective_consent WHERE withdrawn_date IS NOT NULL");
  r.exports = count(db, "SELECT count(*) FROM export");
  r.custody_events = count(db, "SELECT count(*) FROM custody_event");
  r.audit_entries = count(db, "SELECT count(*) FROM audit_log");
  auto groups = db.prepare(
      "SELECT s.organisation, coalesce(s.country, ''), coalesce(s.collection_site, ''), s.material, "
      "CASE WHEN c.consent_id IS NULL THEN 'none' WHEN c.withdrawn_date IS NOT NULL THEN 'withdrawn' ELSE c.codes END "
      "AS consent, count(*), count(DISTINCT s.donor_id) "
      "FROM sample s LEFT JOIN effective_consent c ON c.donor_id = s.donor_id "
      "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5");
  while (groups.step())
    r.collections.push_back({groups.text(0), groups.text(1), groups.text(2), groups.text(3), groups.text(4),
                             static_cast<std::size_t>(groups.integer(5)), static_cast<std::size_t>(groups.integer(6))});
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
