#include "genomap/registry/consent_filter.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/consent_status.hpp"
#include "genomap/registry/duo.hpp"
#include "genomap/registry/filesets.hpp"
#include "genomap/registry/roles.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/registry/values.hpp"

namespace genomap {
namespace {

constexpr const char* kNotInRegistry = "not in the registry";
constexpr const char* kNoConsent = "no consent on record";
constexpr const char* kWithdrawn = "consent withdrawn";

struct Verdict {
  bool assigned = false;
  std::string donor_id;
  std::string sample_id;  // the registry's sample linked to the genotypes
  bool allowed = false;
  std::string reason;
};

std::vector<Verdict> judge_samples(registry::Database& db, const registry::ResearchPurpose& purpose,
                                   bool ancestry_analysis, const SampleTable& samples) {
  std::vector<Verdict> verdicts(samples.size());
  const auto statuses = registry::consent_statuses(db);
  auto st = db.prepare(
      "SELECT sample_id, donor_id, genotype_fid, genotype_iid FROM sample WHERE genotype_iid IS NOT NULL");
  while (st.step()) {
    const auto fid = st.optional_text(2);
    const std::string iid = st.text(3);
    const auto position = samples.find(iid, fid ? &*fid : nullptr);
    if (!position) continue;  // genotyped elsewhere, not in this fileset
    Verdict& v = verdicts[*position];
    const std::string donor_id = st.text(1);
    if (v.assigned) {
      if (v.donor_id != donor_id)
        throw Error(db.path(), 0,
                    fmt::format("genotype sample '{}' is linked to two donors ('{}' and '{}')", iid,
                                v.donor_id, donor_id));
      continue;
    }
    v.assigned = true;
    v.donor_id = donor_id;
    v.sample_id = st.text(0);
    const auto it = statuses.find(donor_id);
    using State = registry::ConsentStatus::State;
    if (it == statuses.end() || it->second.state == State::None) {
      v.reason = kNoConsent;
    } else if (it->second.state == State::Withdrawn) {
      v.reason = kWithdrawn;
    } else {
      const auto decision =
          registry::decide(registry::parse_consent_codes(it->second.codes), purpose, ancestry_analysis);
      v.allowed = decision.allowed;
      v.reason = decision.reason;
    }
  }
  for (auto& v : verdicts)
    if (!v.assigned) v.reason = kNotInRegistry;
  return verdicts;
}

// The same judgement for a registered fileset: each genotype's sample is the one its .fam line was linked to
// when the fileset was registered, not whatever sample carries its IID now.
std::vector<Verdict> judge_linked(registry::Database& db, const registry::ResearchPurpose& purpose,
                                  bool ancestry_analysis, const std::vector<std::string>& sample_of_line) {
  std::vector<Verdict> verdicts(sample_of_line.size());
  const auto statuses = registry::consent_statuses(db);
  auto st = db.prepare("SELECT donor_id FROM sample WHERE sample_id = ?");
  for (std::size_t i = 0; i < sample_of_line.size(); ++i) {
    Verdict& v = verdicts[i];
    v.reason = kNotInRegistry;
    if (sample_of_line[i].empty()) continue;
    st.bind(1, sample_of_line[i]);
    const bool found = st.step();
    const std::string donor_id = found ? st.text(0) : "";
    st.reset();
    if (!found) continue;  // voided since
    v.assigned = true;
    v.donor_id = donor_id;
    v.sample_id = sample_of_line[i];
    const auto it = statuses.find(donor_id);
    using State = registry::ConsentStatus::State;
    if (it == statuses.end() || it->second.state == State::None) {
      v.reason = kNoConsent;
    } else if (it->second.state == State::Withdrawn) {
      v.reason = kWithdrawn;
    } else {
      const auto decision =
          registry::decide(registry::parse_consent_codes(it->second.codes), purpose, ancestry_analysis);
      v.allowed = decision.allowed;
      v.reason = decision.reason;
    }
  }
  return verdicts;
}

}  // namespace

ConsentSelection select_consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                          const Context& ctx) {
  registry::ResearchPurpose purpose;
  try {
    purpose = registry::parse_purpose(query.purpose);
  } catch (const Error& e) {
    throw UsageError(fmt::format("--purpose {}: {}", query.purpose, e.what()));
  }
  const std::string actor = query.actor.empty() ? registry::default_actor() : query.actor;
  // Opened for writing: the analysis records itself when it is done, so a read-only registry is refused now.
  auto db = registry::open_registry(query.database, true, 5000, actor);
  db->exec("BEGIN");  // one snapshot for the check and the selection
  const registry::AuditVerification check = registry::check_before_use(*db);
  if (!check.ok)
    throw Error(db->path(), 0,
                fmt::format("the registry is not used: {}; nothing is written to it and no analysis "
                            "uses it (see `genomap registry audit verify`)",
                            check.message()));
  // The analysis will record itself: its actor must hold a role allowing that, before any work is done.
  if (const std::string problem =
          registry::permission_problem(actor, registry::roles_of(*db, actor), "analysis");
      !problem.empty())
    throw Error(db->path(), 0, problem + "; the analysis was not run");
  std::vector<Verdict> verdicts;
  std::string fileset_note;
  if (!query.fileset.empty()) {
    const auto registered = registry::find_fileset(*db, registry::hash_fileset(query.fileset));
    if (!registered)
      throw Error(query.fileset, 0,
                  fmt::format("these genotype files are not a fileset registered in {} (their hashes match "
                              "none; genotypes are not matched to donors by IID alone): register them with "
                              "`genomap registry fileset add --db {} --bfile {}`",
                              query.database, query.database, query.fileset));
    if (registered->sample_of_line.size() != samples.size())
      throw Error(query.fileset, 0, "the registered fileset's sample count differs from the .fam");
    verdicts = judge_linked(*db, purpose, query.ancestry_analysis, registered->sample_of_line);
    fileset_note = fmt::format(" (registered fileset {})", registered->fileset_id);
  } else {
    verdicts = judge_samples(*db, purpose, query.ancestry_analysis, samples);
  }
  db->exec("COMMIT");
  ConsentSelection selection;
  selection.purpose = purpose.text;
  selection.samples_in_fileset = samples.size();
  for (std::uint32_t i = 0; i < verdicts.size(); ++i) {
    selection.registry_sample_ids.push_back(verdicts[i].sample_id);
    if (verdicts[i].allowed)
      selection.allowed.push_back(i);
    else
      ++selection.excluded[verdicts[i].reason];
  }
  const std::string kind = query.ancestry_analysis ? ", an ancestry analysis" : "";
  ctx.note(fmt::format("registry {}{}: purpose {}{}: {} of {} genotyped samples have consent, {} excluded",
                       query.database, fileset_note, purpose.text, kind, selection.allowed.size(),
                       samples.size(), samples.size() - selection.allowed.size()));
  std::string summary;
  for (const auto& [reason, n] : selection.excluded) {
    ctx.note(fmt::format("registry: {} samples excluded: {}", n, reason));
    summary += fmt::format("{}{} {}", summary.empty() ? "" : "; ", n, reason);
  }
  if (selection.allowed.empty())
    throw Error(
        query.database, 0,
        fmt::format("no genotyped sample has consent for purpose {}{} ({})", purpose.text, kind, summary));
  return selection;
}

void record_analysis(const ConsentQuery& query, const ConsentSelection& selection,
                     const AnalysisOutcome& outcome) {
  std::vector<std::string> used;
  for (const auto position : outcome.samples_used) used.push_back(selection.registry_sample_ids.at(position));
  std::string joined;
  for (const auto& id : used) joined += id + "\n";
  nlohmann::json details = {{"command", outcome.command},
                            {"status", outcome.succeeded ? "completed" : "failed"},
                            {"purpose", selection.purpose},
                            {"ancestry_analysis", query.ancestry_analysis},
                            {"samples_in_fileset", selection.samples_in_fileset},
                            {"samples_used", used.size()},
                            {"sample_ids", used},
                            {"sample_ids_sha256", registry::sha256_hex(joined)},
                            {"excluded", selection.excluded},
                            {"inputs", outcome.inputs},
                            {"outputs", outcome.outputs}};
  if (!outcome.succeeded) details["error"] = outcome.error;
  const std::string actor = query.actor.empty() ? registry::default_actor() : query.actor;
  auto db = registry::open_registry(query.database, true, 5000, actor);
  registry::RegistryWrite write(*db, actor, "analysis");
  write.commit("analysis", std::move(details));
}

std::vector<std::uint32_t> consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                             const Context& ctx,
                                             std::map<std::string, std::size_t>* excluded_by_reason) {
  const ConsentSelection selection = select_consented_samples(query, samples, ctx);
  if (excluded_by_reason) *excluded_by_reason = selection.excluded;
  AnalysisOutcome outcome;
  outcome.succeeded = true;
  outcome.command = ctx.log ? ctx.log->command_line() : std::string();
  outcome.samples_used = selection.allowed;
  outcome.inputs = ctx.log ? ctx.log->inputs() : std::vector<std::string>();
  record_analysis(query, selection, outcome);
  return selection.allowed;
}

}  // namespace genomap
