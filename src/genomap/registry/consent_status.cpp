#include "genomap/registry/consent_status.hpp"

#include <algorithm>
#include <optional>
#include <tuple>
#include <vector>

namespace genomap::registry {
namespace {

struct ConsentRow {
  std::string id, codes, date, recorded_at;
};
struct WithdrawalRow {
  std::optional<std::string> consent_id;
  std::string date, recorded_at;
};
struct DonorRecords {
  std::vector<ConsentRow> consents;
  std::vector<WithdrawalRow> withdrawals;
};

ConsentStatus decide_status(const DonorRecords& r) {
  ConsentStatus status;
  const ConsentRow* in_force = nullptr;
  for (const auto& c : r.consents) {
    bool survives = true;
    for (const auto& w : r.withdrawals)
      if (!w.consent_id && !(c.date > w.date && c.recorded_at > w.recorded_at)) survives = false;
    if (!survives) continue;
    if (!in_force || std::tie(c.date, c.recorded_at, c.id) > std::tie(in_force->date, in_force->recorded_at, in_force->id))
      in_force = &c;
  }
  std::string latest_withdrawal;
  for (const auto& w : r.withdrawals)
    if (!w.consent_id || (in_force && *w.consent_id == in_force->id))
      latest_withdrawal = std::max(latest_withdrawal, w.date);
  if (in_force) {
    status.consent_id = in_force->id;
    status.codes = in_force->codes;
    for (const auto& w : r.withdrawals)
      if (w.consent_id && *w.consent_id == in_force->id) {
        status.state = ConsentStatus::State::Withdrawn;
        status.withdrawn_date = w.date;
        return status;
      }
    status.state = ConsentStatus::State::InForce;
    return status;
  }
  if (!r.withdrawals.empty() && !r.consents.empty()) {
    status.state = ConsentStatus::State::Withdrawn;
    status.withdrawn_date = latest_withdrawal;
    const ConsentRow* latest = &r.consents.front();
    for (const auto& c : r.consents)
      if (std::tie(c.date, c.recorded_at) > std::tie(latest->date, latest->recorded_at)) latest = &c;
    status.consent_id = latest->id;
    status.codes = latest->codes;
  }
  return status;
}

std::map<std::string, DonorRecords> load(Database& db, const std::string& donor_id, const std::string& as_of) {
  std::map<std::string, DonorRecords> records;
  auto consents = db.prepare(
      "SELECT donor_id, consent_id, codes, consent_date, recorded_at FROM consent WHERE (?1 = '' OR donor_id = ?1) "
      "AND (?2 = '' OR consent_date <= ?2)");
  consents.bind(1, donor_id).bind(2, as_of);
  while (consents.step())
    records[consents.text(0)].consents.push_back({consents.text(1), consents.text(2), consents.text(3), consents.text(4)});
  auto withdrawals = db.prepare(
      "SELECT donor_id, consent_id, withdrawn_date, recorded_at FROM withdrawal WHERE (?1 = '' OR donor_id = ?1) "
      "AND (?2 = '' OR withdrawn_date <= ?2)");
  withdrawals.bind(1, donor_id).bind(2, as_of);
  while (withdrawals.step())
    records[withdrawals.text(0)].withdrawals.push_back(
        {withdrawals.optional_text(1), withdrawals.text(2), withdrawals.text(3)});
  return records;
}

}  // namespace

std::map<std::string, ConsentStatus> consent_statuses(Database& db, const std::string& as_of_date) {
  std::map<std::string, ConsentStatus> out;
  for (const auto& [donor, records] : load(db, "", as_of_date)) out[donor] = decide_status(records);
  return out;
}

ConsentStatus consent_status(Database& db, const std::string& donor_id, const std::string& as_of_date) {
  auto records = load(db, donor_id, as_of_date);
  auto it = records.find(donor_id);
  return it == records.end() ? ConsentStatus{} : decide_status(it->second);
}

}  // namespace genomap::registry
