#include "genomap/registry/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/consent_status.hpp"

namespace genomap::registry {
namespace {

// Analyses from the chain: entry number, time, command and status per sample ID used.
struct AnalysisUse {
  std::int64_t seq;
  std::string time, detail;
  std::vector<std::string> samples;
};

std::vector<AnalysisUse> analyses(Database& db) {
  std::vector<AnalysisUse> out;
  for (const auto& e : read_audit(db)) {
    if (e.action != "analysis") continue;
    const auto details = nlohmann::json::parse(e.details, nullptr, false);
    if (!details.is_object() || !details.contains("sample_ids")) continue;
    AnalysisUse use{
        e.seq,
        e.time,
        fmt::format("{} ({}, purpose {})", details.value("command", std::string()),
                    details.value("status", std::string()), details.value("purpose", std::string())),
        {}};
    for (const auto& id : details["sample_ids"])
      if (id.is_string()) use.samples.push_back(id.get<std::string>());
    out.push_back(std::move(use));
  }
  return out;
}

void sort_events(std::vector<TraceEvent>& events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const TraceEvent& a, const TraceEvent& b) { return a.time < b.time; });
}

// Every event of the given samples of one donor (and, when `donor_level`, the donor's consents and
// withdrawals).
std::vector<TraceEvent> trace(Database& db, const std::string& donor_id, const std::set<std::string>& samples,
                              bool donor_level) {
  std::vector<TraceEvent> events;
  auto st = db.prepare(
      "SELECT sample_id, collection_date, material, organisation, coalesce(collection_site, ''), "
      "coalesce(genotype_iid, '') FROM sample WHERE donor_id = ?");
  st.bind(1, donor_id);
  while (st.step())
    if (samples.count(st.text(0)))
      events.push_back({st.text(1), "collected", st.text(0), donor_id, st.text(0),
                        fmt::format("{} by {} at {}{}", st.text(2), st.text(3), st.text(4),
                                    st.text(5).empty() ? "" : ", genotyped as " + st.text(5))});
  if (donor_level) {
    auto c =
        db.prepare("SELECT consent_id, consent_date, codes, recorded_at FROM consent WHERE donor_id = ?");
    c.bind(1, donor_id);
    while (c.step())
      events.push_back({c.text(1), "consent", c.text(0), donor_id, "",
                        fmt::format("{} (recorded {})", c.text(2), c.text(3))});
    auto w = db.prepare(
        "SELECT withdrawal_id, withdrawn_date, coalesce(consent_id, 'all consents'), "
        "coalesce(reason, ''), recorded_at FROM withdrawal WHERE donor_id = ?");
    w.bind(1, donor_id);
    while (w.step())
      events.push_back({w.text(1), "withdrawal", w.text(0), donor_id, "",
                        fmt::format("{} {} (recorded {})", w.text(2), w.text(3), w.text(4))});
  }
  for (const auto& sample : samples) {
    auto cu = db.prepare(
        "SELECT event_id, time, event, holder, coalesce(to_holder, '') FROM custody_event WHERE "
        "sample_id = ?");
    cu.bind(1, sample);
    while (cu.step())
      events.push_back(
          {cu.text(1), "custody", cu.text(0), donor_id, sample,
           fmt::format("{} {}{}", cu.text(2), cu.text(3), cu.text(4).empty() ? "" : " to " + cu.text(4))});
    auto ex = db.prepare(
        "SELECT e.export_id, e.date, e.what, e.recipient_organisation, e.recipient_country, e.purpose, "
        "coalesce(e.request_id, ''), coalesce(r.requester, ''), coalesce(d.date, ''), coalesce(d.actor, '') "
        "FROM export e LEFT JOIN access_request r ON r.request_id = e.request_id "
        "LEFT JOIN request_decision d ON d.request_id = e.request_id WHERE e.sample_id = ?");
    ex.bind(1, sample);
    while (ex.step())
      events.push_back(
          {ex.text(1), "export", ex.text(0), donor_id, sample,
           fmt::format("{} to {} ({}) for {}{}", ex.text(2), ex.text(3), ex.text(4), ex.text(5),
                       ex.text(6).empty() ? ""
                                          : fmt::format(" under request {} of {} (approved {} by {})", ex.text(6),
                                                        ex.text(7), ex.text(8), ex.text(9)))});
  }
  for (const auto& a : analyses(db))
    for (const auto& sample : a.samples)
      if (samples.count(sample))
        events.push_back({a.time, "analysis", std::to_string(a.seq), donor_id, sample, a.detail});
  sort_events(events);
  return events;
}

std::set<std::string> samples_of(Database& db, const std::string& donor_id) {
  std::set<std::string> out;
  auto st = db.prepare("SELECT sample_id FROM sample WHERE donor_id = ?");
  st.bind(1, donor_id);
  while (st.step()) out.insert(st.text(0));
  return out;
}

}  // namespace

std::vector<TraceEvent> trace_donor(Database& db, const std::string& donor_id) {
  auto known = db.prepare("SELECT 1 FROM donor WHERE donor_id = ?");
  known.bind(1, donor_id);
  if (!known.step()) throw Error(db.path(), 0, fmt::format("unknown donor '{}'", donor_id));
  return trace(db, donor_id, samples_of(db, donor_id), true);
}

std::vector<TraceEvent> trace_sample(Database& db, const std::string& sample_id) {
  auto st = db.prepare("SELECT donor_id FROM sample WHERE sample_id = ?");
  st.bind(1, sample_id);
  if (!st.step()) throw Error(db.path(), 0, fmt::format("unknown sample '{}'", sample_id));
  return trace(db, st.text(0), {sample_id}, false);
}

std::vector<TraceEvent> trace_request(Database& db, const std::string& request_id) {
  auto st = db.prepare(
      "SELECT r.date, r.requester, r.institution, r.country, r.purpose, r.project, "
      "coalesce(r.ethics_reference, ''), r.actor, d.decision, d.date, d.conditions, d.actor, "
      "coalesce(d.reason, '') FROM access_request r LEFT JOIN request_decision d ON d.request_id = r.request_id "
      "WHERE r.request_id = ?");
  st.bind(1, request_id);
  if (!st.step()) throw Error(db.path(), 0, fmt::format("unknown data-access request '{}'", request_id));
  std::vector<TraceEvent> events;
  events.push_back({st.text(0), "request", request_id, "", "",
                    fmt::format("{} of {} ({}) for {}, project {}{}; recorded by {}", st.text(1), st.text(2),
                                st.text(3), st.text(4), st.text(5),
                                st.text(6).empty() ? "" : ", ethics " + st.text(6), st.text(7))});
  if (!st.is_null(8))
    events.push_back({st.text(9), st.text(8), request_id, "", "",
                      fmt::format("by {}{}{}", st.text(11), st.text(10).empty() ? "" : "; conditions " + st.text(10),
                                  st.text(12).empty() ? "" : "; " + st.text(12))});
  auto ex = db.prepare(
      "SELECT e.date, e.export_id, s.donor_id, e.sample_id, e.what, coalesce(e.custody_event_id, '') FROM export e "
      "JOIN sample s ON s.sample_id = e.sample_id WHERE e.request_id = ?");
  ex.bind(1, request_id);
  while (ex.step())
    events.push_back({ex.text(0), "export", ex.text(1), ex.text(2), ex.text(3),
                      ex.text(4) + (ex.text(5).empty() ? "" : ", shipped (custody event " + ex.text(5) + ")")});
  sort_events(events);
  return events;
}

std::vector<TraceEvent> trace_withdrawn(Database& db) {
  // The latest recorded withdrawal of each donor who is withdrawn now.
  std::map<std::string, std::string> withdrawn_at;
  for (const auto& [donor, status] : consent_statuses(db)) {
    if (status.state != ConsentStatus::State::Withdrawn) continue;
    auto w = db.prepare("SELECT max(recorded_at) FROM withdrawal WHERE donor_id = ?");
    w.bind(1, donor);
    if (w.step() && !w.is_null(0)) withdrawn_at[donor] = w.text(0);
  }
  std::vector<TraceEvent> events;
  for (const auto& [donor, recorded] : withdrawn_at) {
    for (auto& e : trace(db, donor, samples_of(db, donor), false)) {
      if (e.kind != "analysis" && e.kind != "export") continue;
      // Exports carry their date; compare when they were recorded, as analyses do.
      if (e.kind == "export") {
        auto r = db.prepare("SELECT recorded_at FROM export WHERE export_id = ?");
        r.bind(1, e.id);
        if (!r.step() || r.text(0) >= recorded) continue;
      } else if (e.time >= recorded) {
        continue;
      }
      e.detail += fmt::format("; donor withdrew (recorded {})", recorded);
      events.push_back(std::move(e));
    }
  }
  sort_events(events);
  return events;
}

}  // namespace genomap::registry
