// The consent in force for each donor, from consents and withdrawals with the dates they took effect and the
// times they were recorded. The rule (docs/registry.md, "Consent in force"):
//   1. A withdrawal of the donor (not of one consent) ends every consent that is not both dated after the
//      withdrawal and recorded after it: a backdated consent never revives a withdrawn donor.
//   2. Of the consents left, the one in force is the latest by consent date (then by recording time).
//   3. When that consent was itself withdrawn, or no consent is left after a withdrawal, the donor is withdrawn.
#pragma once
#include <map>
#include <string>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

struct ConsentStatus {
  enum class State { None, InForce, Withdrawn } state = State::None;
  std::string consent_id;      // the consent in force (or the one withdrawn)
  std::string codes;           // its DUO codes
  std::string withdrawn_date;  // for Withdrawn
};

// Status of every donor with a consent or withdrawal on record. With `as_of_date`, only consents and withdrawals
// dated on or before it count (what was in force that day, as recorded now).
std::map<std::string, ConsentStatus> consent_statuses(Database& db, const std::string& as_of_date = "");
// One donor's status (None when nothing is on record).
ConsentStatus consent_status(Database& db, const std::string& donor_id, const std::string& as_of_date = "");

}  // namespace genomap::registry
