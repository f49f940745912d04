// The qpAdm step of `genomap analyze` (analysis_steps.hpp): rotation for every target, then a full fit of the
// best feasible models for their standard errors.
#include <fmt/format.h>

#include <algorithm>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/pipeline/analysis_steps.hpp"
#include "genomap/popstats/f2_store.hpp"
#include "genomap/popstats/population_input.hpp"
#include "genomap/popstats/qpadm.hpp"

namespace genomap {

using nlohmann::json;

namespace {

// f2 per jackknife block of the QC'd data on chromosomes 1-22, blocks as genomap qpadm --bfile makes them.
F2Store f2_of(const Dataset& qc, const PopulationAssignment& pops, const Context& ctx) {
  Dataset autosomes = qc;
  autosomes.variant_uidx.clear();
  for (std::uint32_t uidx : qc.variant_uidx)
    if (const int code = qc.store->variants()[uidx].chrom_code; code >= 1 && code <= 22)
      autosomes.variant_uidx.push_back(uidx);
  if (autosomes.variant_uidx.empty()) throw Error("no variants on chromosomes 1-22");
  PopulationData pd;
  pd.populations = pops;
  for (std::size_t v = 0; v < autosomes.variant_ct(); ++v) pd.variants.push_back(autosomes.variant(v));
  pd.pass = plink_population_pass(autosomes, pd.populations, ctx);
  const JackknifeBlocks blocks = jackknife_blocks(pd.variants, "", "auto");
  return build_f2_store(pd, blocks.block_of_variant, blocks.block_ct, F2StoreKey{}, ctx);
}

json model_json(const QpadmModel& m) {
  return {{"sources", m.sources}, {"weights", m.weights},  {"se", m.se}, {"p", m.p}, {"chisq", m.chisq},
          {"dof", m.dof},         {"feasible", m.feasible}};
}

// The model refitted alone (genomap qpadm --target --sources --right), for the weights' standard errors.
QpadmModel with_standard_errors(const F2Store& store, const std::string& target, const QpadmModel& model,
                                const QpadmOptions& options) {
  if (!model.se.empty()) return model;
  std::vector<std::string> all{target};
  all.insert(all.end(), model.sources.begin(), model.sources.end());
  all.insert(all.end(), model.rights.begin(), model.rights.end());
  return qpadm(f2_blocks_for(store, all), target, model.sources, model.rights, options).model;
}

}  // namespace

json qpadm_step(const Dataset& qc, const PopulationAssignment& pops, const QpadmStepOptions& o,
                OutputSet& outputs, const Context& ctx) {
  for (const auto& right : o.rights) pops.index_of(right, "--qpadm-right");
  const F2Store store = f2_of(qc, pops, ctx);
  const QpadmOptions options;
  json targets = json::array();
  for (const auto& target : pops.names) {
    if (std::find(o.rights.begin(), o.rights.end(), target) != o.rights.end()) continue;
    std::vector<std::string> pool;
    for (const auto& name : pops.names)
      if (name != target && std::find(o.rights.begin(), o.rights.end(), name) == o.rights.end())
        pool.push_back(name);
    if (pool.empty()) continue;
    std::vector<std::string> all{target};
    all.insert(all.end(), pool.begin(), pool.end());
    all.insert(all.end(), o.rights.begin(), o.rights.end());
    const auto models =
        qpadm_rotate(f2_blocks_for(store, all), target, pool, o.rights, o.max_sources, options);
    if (models.empty()) continue;
    write_qpadm_models(outputs.open("." + target + ".qpadm.rotate").stream(), target, models, nullptr);
    json shown = json::array();
    for (const auto& m : models)
      if (m.feasible && shown.size() < o.models_shown)
        shown.push_back(model_json(with_standard_errors(store, target, m, options)));
    targets.push_back({{"target", target}, {"fitted", models.size()}, {"models", shown}});
    ctx.note(
        fmt::format("qpadm: {}: {} models fitted, {} feasible shown", target, models.size(), shown.size()));
  }
  if (targets.empty())
    throw Error("--qpadm-right: no population outside the right populations has a model to fit");
  return {{"right", o.rights}, {"max_sources", o.max_sources}, {"targets", targets}};
}

}  // namespace genomap
