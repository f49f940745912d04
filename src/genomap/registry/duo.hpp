// GA4GH Data Use Ontology (DUO) consent codes and the question the registry asks of them: does this donor's
// consent cover this research purpose? The semantics are written down in docs/registry.md; in short:
// GRU covers any research including population origins/ancestry; HMB covers health/medical/biomedical research
// but not ancestry; POA covers only population origins/ancestry; DS-<disease> covers only that disease; NPOA
// forbids ancestry research whatever else is consented; requester conditions (NPU, NCU, IRB, ...) must be
// declared by the requester in --purpose. Unknown codes are errors, never ignored.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace genomap::registry {

// The codes of one consent. Permissions say what research is allowed; `npoa` prohibits ancestry research;
// `requester_conditions` are DUO modifiers the requester must meet (and declare).
struct ConsentCodes {
  bool no_restriction = false;  // NRES, DUO:0000004
  bool general = false;         // GRU, DUO:0000042
  bool health = false;          // HMB, DUO:0000006
  bool ancestry = false;        // POA, DUO:0000011
  std::set<std::string> diseases;  // DS-<disease>, DUO:0000007 (upper-cased)
  bool no_ancestry = false;     // NPOA, DUO:0000044
  bool genetic_only = false;    // GSO, DUO:0000016 (every genomap analysis is a genetic study)
  bool clinical_care = false;   // CC, DUO:0000043 (adds clinical use; restricts nothing)
  std::set<std::string> requester_conditions;  // NPU NCU NPUNCU IRB PUB COL RTN MOR TS US PS IS GS RS NMDS

  // Canonical text: codes sorted and joined by ';' (what the database stores).
  std::string text() const;
  bool covers_ancestry() const { return (no_restriction || general || ancestry) && !no_ancestry; }
};

// Parses codes separated by ';', ',', '+' or spaces, as shorthands (GRU, DS-T2D) or DUO IDs (DUO:0000042).
// Throws Error(message) naming the unknown code; a consent needs at least one permission code.
ConsentCodes parse_consent_codes(std::string_view text);

// What a requester intends: one primary purpose (GRU, HMB, DS-<disease>, POA) followed by the requester
// conditions they declare they meet, e.g. "HMB+NPU+IRB".
struct ResearchPurpose {
  enum class Kind { General, Health, Disease, Ancestry } kind = Kind::General;
  std::string disease;            // for Kind::Disease, upper-cased
  std::set<std::string> declared;  // requester conditions
  std::string text;               // as given, canonicalised
};
ResearchPurpose parse_purpose(std::string_view text);

struct ConsentDecision {
  bool allowed = false;
  std::string reason;  // why not (stable wording: used to count exclusions)
};

// Whether `consent` covers `purpose`; `ancestry_analysis` adds population origins/ancestry research to
// whatever purpose was stated (pca, admix, fst, fstats are ancestry research by their nature).
ConsentDecision decide(const ConsentCodes& consent, const ResearchPurpose& purpose, bool ancestry_analysis);

}  // namespace genomap::registry
