#include "genomap/registry/consent_filter.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/consent_status.hpp"
#include "genomap/registry/duo.hpp"
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
  bool allowed = false;
  std::string reason;
};

std::vector<Verdict> judge_samples(registry::Database& db, const registry::ResearchPurpose& purpose,
                                   bool ancestry_analysis, const SampleTable& samples) {
  std::vector<Verdict> verdicts(samples.size());
  const auto statuses = registry::consent_statuses(db);
  auto st = db.prepare("SELECT sample_id, donor_id, genotype_fid, genotype_iid FROM sample WHERE genotype_iid IS NOT NULL");
  while (st.step()) {
    const auto fid = st.optional_text(2);
    const std::string iid = st.text(3);
    const auto position = samples.find(iid, fid ? &*fid : nullptr);
    if (!position) continue;  // genotyped elsewhere, not in this fileset
    Verdict& v = verdicts[*position];
    const std::string donor_id = st.text(1);
    if (v.assigned) {
      if (v.donor_id != donor_id)
        throw Error(db.path(), 0, fmt::format("genotype sample '{}' is linked to two donors ('{}' and '{}')", iid,
                                              v.donor_id, donor_id));
      continue;
    }
    v.assigned = true;
    v.donor_id = donor_id;
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

}  // namespace

std::vector<std::uint32_t> consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                             const Context& ctx) {
  registry::ResearchPurpose purpose;
  try {
    purpose = registry::parse_purpose(query.purpose);
  } catch (const Error& e) {
    throw Error(fmt::format("--purpose {}: {}", query.purpose, e.what()));
  }
  const std::string actor = query.actor.empty() ? registry::default_actor() : query.actor;
  auto db = registry::open_registry(query.database, true, 5000, actor);
  // The chain is checked before it is used (a broken registry is refused) and the entry is written with it.
  registry::RegistryWrite write(*db, actor);
  const auto verdicts = judge_samples(*db, purpose, query.ancestry_analysis, samples);
  std::vector<std::uint32_t> kept;
  std::map<std::string, std::size_t> excluded;
  for (std::uint32_t i = 0; i < verdicts.size(); ++i) {
    if (verdicts[i].allowed) kept.push_back(i);
    else ++excluded[verdicts[i].reason];
  }
  const std::string kind = query.ancestry_analysis ? ", an ancestry analysis" : "";
  ctx.note(fmt::format("registry {}: purpose {}{}: {} of {} genotyped samples have consent, {} excluded",
                       query.database, purpose.text, kind, kept.size(), samples.size(), samples.size() - kept.size()));
  std::string summary;
  for (const auto& [reason, n] : excluded) {
    ctx.note(fmt::format("registry: {} samples excluded: {}", n, reason));
    summary += fmt::format("{}{} {}", summary.empty() ? "" : "; ", n, reason);
  }
  if (kept.empty())
    throw Error(query.database, 0, fmt::format("no genotyped sample has consent for purpose {}{} ({})", purpose.text,
                                               kind, summary));
  nlohmann::json details = {{"command", ctx.log ? ctx.log->command_line() : std::string()},
                            {"purpose", purpose.text},
                            {"ancestry_analysis", query.ancestry_analysis},
                            {"samples_in_fileset", samples.size()},
                            {"samples_used", kept.size()},
                            {"excluded", excluded},
                            {"inputs", ctx.log ? ctx.log->inputs() : std::vector<std::string>()}};
  write.commit("analysis", std::move(details));
  return kept;
}

}  // namespace genomap
