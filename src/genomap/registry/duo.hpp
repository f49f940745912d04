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
  // NPU NCU NPUNCU IRB PUB COL RTN MOR TS US PS IS GS RS NMDS; GS, TS, MOR, US, IS and PS may carry the
  // restriction itself: GS:DE (one code per country), TS:2027-01-01 (use until), MOR:2026-06-01, US:<user>,
  // IS:<institution>, PS:<project> (upper-cased; quoted when it holds spaces).
  std::set<std::string> requester_conditions;

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
  std::set<std::string> met;       // consent conditions the request's recorded facts meet (check_modifiers)
  std::string text;               // as given, canonicalised
};
ResearchPurpose parse_purpose(std::string_view text);

// What a data-access request and the export under it establish, for the DUO modifiers that recorded facts
// can decide.
struct RequestFacts {
  std::string requester, institution, institution_type, commercial_use, country, project, ethics_reference;
  std::vector<std::string> collaborators;
  std::string collecting_organisation;  // of the sample sent (COL)
  std::string date;                     // of the export (TS)
};
// Checks the consent's modifiers that the facts decide: NPU (not-for-profit institution), NCU (no commercial
// use), NPUNCU (both), IRB (an ethics reference), COL (the collecting organisation among the
// collaborators), GS:<country> (the request's country), TS:<date> (export on or before it), US/IS/PS:<name>
// (requester, institution, project). Returns why one is not met ("" when all are), and adds every condition
// the facts meet to `met` (so `decide` does not ask the requester to declare it).
std::string check_modifiers(const ConsentCodes& consent, const RequestFacts& facts, std::set<std::string>& met);

struct ConsentDecision {
  bool allowed = false;
  std::string reason;  // why not (stable wording: used to count exclusions)
};

// Whether `consent` covers `purpose`; `ancestry_analysis` adds population origins/ancestry research to
// whatever purpose was stated (pca, admix, fst, fstats are ancestry research by their nature).
ConsentDecision decide(const ConsentCodes& consent, const ResearchPurpose& purpose, bool ancestry_analysis);

}  // namespace genomap::registry
