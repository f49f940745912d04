// The dating and IBD steps of `genomap analyze` (analysis_steps.hpp): when the admixed populations mixed
// (genomap date) and the sharing of IBD segments between populations (genomap ibd).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/pipeline/analysis_steps.hpp"
#include "genomap/popstats/admixture_dating.hpp"
#include "genomap/relate/ibd_segments.hpp"

namespace genomap {

using nlohmann::json;

namespace {

constexpr std::size_t kCurvePoints = 250;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// The decay curve in at most kCurvePoints points: consecutive distance bins merged, the weighted LD and the
// distance averaged with the bins' variant-pair counts as weights, the fit evaluated at the merged distance.
json thinned_curve(const DatingResult& r) {
  json curve = {{"distance_cm", json::array()},
                {"weighted_ld", json::array()},
                {"fitted", json::array()},
                {"in_fit", json::array()}};
  const std::size_t group = std::max<std::size_t>(1, (r.curve.size() + kCurvePoints - 1) / kCurvePoints);
  for (std::size_t first = 0; first < r.curve.size(); first += group) {
    const std::size_t last = std::min(r.curve.size(), first + group);
    double pairs = 0, distance = 0, ld = 0;
    bool in_fit = true;
    for (std::size_t b = first; b < last; ++b) {
      const DatingCurvePoint& p = r.curve[b];
      if (!(p.pairs > 0) || !std::isfinite(p.weighted_ld)) continue;
      pairs += p.pairs;
      distance += p.pairs * p.distance_cm;
      ld += p.pairs * p.weighted_ld;
      in_fit = in_fit && p.in_fit;
    }
    if (pairs == 0) continue;
    distance /= pairs;
    curve["distance_cm"].push_back(distance);
    curve["weighted_ld"].push_back(ld / pairs);
    curve["fitted"].push_back(r.amplitude * std::exp(-r.generations * distance / 100) + r.offset);
    curve["in_fit"].push_back(in_fit);
  }
  return curve;
}

json dating_json(const DatingResult& r, const DatingCandidate& c, const DatingOptions& o) {
  return {{"target", c.target},
          {"sources", c.sources},
          {"chosen_by", c.chosen_by},
          {"evidence", c.evidence},
          {"generations", number_or_null(r.generations)},
          {"se", number_or_null(r.generations_se)},
          {"amplitude", number_or_null(r.amplitude)},
          {"amplitude_z", number_or_null(r.amplitude_z)},
          {"rate_at_bound", r.rate_at_bound},
          {"n_target", r.target_ct},
          {"variants", r.variant_ct},
          {"chromosomes", r.chromosomes.size()},
          {"fit_min_cm", o.min_cm},
          {"fit_max_cm", o.max_cm},
          {"curve", thinned_curve(r)}};
}

}  // namespace

GeneticMap genetic_map_of(const Dataset& data) {
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    const Variant& variant = data.variant(v);
    if (is_autosome(variant.chrom_code) && variant.cm != 0) return {0, ".bim"};
  }
  return {1, "uniform 1 cM/Mb"};
}

DatingPlan dating_plan(const nlohmann::json* qpadm_result, const nlohmann::json& popstats_result) {
  DatingPlan plan;
  if (qpadm_result) {
    plan.sources_from = "qpadm";
    for (const auto& t : qpadm_result->at("targets")) {
      const std::string target = t.at("target").get<std::string>();
      const json& models = t.at("models");
      if (models.empty()) {
        plan.not_dated.push_back({{"target", target}, {"reason", "qpAdm found no feasible model"}});
        continue;
      }
      const json& best = models.at(0);
      if (best.at("sources").size() != 2) {
        plan.not_dated.push_back(
            {{"target", target},
             {"reason", fmt::format("qpAdm's best feasible model has {} source(s), not two",
                                    best.at("sources").size())}});
        continue;
      }
      plan.candidates.push_back(
          {target, best.at("sources").get<std::vector<std::string>>(), "qpadm",
           best.at("p").is_number() ? fmt::format("qpAdm p = {:.3g}", best.at("p").get<double>()) : "qpAdm"});
    }
    if (plan.candidates.empty() && plan.not_dated.empty()) plan.skipped = "qpAdm fitted no target population";
    return plan;
  }
  // Without qpAdm: the pair of sources with the most negative admixture f3(T; A, B), when its Z < -3
  // (Patterson et al. 2012: T is then a mixture of populations related to A and B).
  plan.sources_from = "f3";
  const json& f3 = popstats_result.at("f3");
  std::map<std::string, std::size_t> best;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < f3.at("target").size(); ++i) {
    if (f3.at("outgroup_f3")[i].get<bool>() || !f3.at("z")[i].is_number()) continue;
    const std::string target = f3.at("target")[i].get<std::string>();
    const auto [it, inserted] = best.emplace(target, i);
    if (inserted) order.push_back(target);
    if (f3.at("z")[i].get<double>() < f3.at("z")[it->second].get<double>()) it->second = i;
  }
  for (const auto& target : order) {
    const std::size_t i = best.at(target);
    const double z = f3.at("z")[i].get<double>();
    if (z < -3)
      plan.candidates.push_back({target,
                                 {f3.at("a")[i].get<std::string>(), f3.at("b")[i].get<std::string>()},
                                 "f3",
                                 fmt::format("f3 Z = {:.2f}", z)});
    else
      plan.not_dated.push_back(
          {{"target", target}, {"reason", fmt::format("no admixture f3 with Z < -3 (lowest {:.2f})", z)}});
  }
  if (plan.candidates.empty() && plan.not_dated.empty())
    plan.skipped = "no admixture f3 was computed (it needs at least 3 populations)";
  return plan;
}

json dating_step(const Dataset& qc, const PopulationAssignment& pops, const DatingPlan& plan,
                 OutputSet& outputs, const Context& ctx) {
  const GeneticMap map = genetic_map_of(qc);
  json dated = json::array(), not_dated = plan.not_dated;
  for (const DatingCandidate& c : plan.candidates) {
    DatingOptions o;
    o.target = c.target;
    o.sources = c.sources;
    o.uniform_map_cm_per_mb = map.uniform_cm_per_mb;
    // A population too small or a map too short to fit is a reason in the report, not a failed analysis.
    try {
      const DatingResult r = date_admixture(qc, pops, o, ctx);
      write_dating_summary(outputs.open("." + c.target + ".date").stream(), r, o);
      write_dating_curve(outputs.open("." + c.target + ".date.curve").stream(), r);
      write_dating_jackknife(outputs.open("." + c.target + ".date.jackknife").stream(), r);
      ctx.note(fmt::format("dating: {} ({}): {:.2f} generations (SE {:.2f}), amplitude Z {:.2f}", c.target,
                           fmt::join(c.sources, ","), r.generations, r.generations_se, r.amplitude_z));
      dated.push_back(dating_json(r, c, o));
    } catch (const Error& e) {
      ctx.note(fmt::format("dating: {} not dated: {}", c.target, e.what()));
      not_dated.push_back({{"target", c.target}, {"reason", e.what()}});
    }
  }
  json result = {{"map", map.description},
                 {"sources_from", plan.sources_from},
                 {"targets", dated},
                 {"not_dated", not_dated}};
  if (!plan.skipped.empty()) result["skipped"] = plan.skipped;
  return result;
}

json ibd_step(const Dataset& qc, const PopulationAssignment& pops, OutputSet& outputs, const Context& ctx) {
  const GeneticMap map = genetic_map_of(qc);
  json result = {{"map", map.description}};
  if (qc.sample_ct() < 2) {
    result["skipped"] = fmt::format("IBD segments need at least 2 samples ({} analysed)", qc.sample_ct());
    return result;
  }
  IbdOptions o;
  o.uniform_map_cm_per_mb = map.uniform_cm_per_mb;
  IbdResult r;
  try {
    r = detect_ibd_segments(qc, o, ctx);
  } catch (const Error& e) {
    ctx.note(fmt::format("ibd: not run: {}", e.what()));
    result["skipped"] = e.what();
    return result;
  }
  const auto sharing = summarise_ibd_by_population(r, pops);
  write_ibd_segments(outputs.open(".seg").stream(), qc, r);
  write_ibd_pairs(outputs.open(".ibd").stream(), qc, r);
  write_ibd_population_sharing(outputs.open(".ibd.pops").stream(), pops, sharing);
  std::size_t segment_ct = 0;
  for (const IbdSegment& s : r.segments) segment_ct += !s.ibd2;
  json rows = json::array();
  for (const IbdPopulationSharing& s : sharing) {
    json segments = json::array(), cm = json::array();
    for (std::size_t b = 0; b < kIbdBinCount; ++b) {
      segments.push_back(s.pair_ct > 0 ? json(s.segments[b] / s.pair_ct) : json(nullptr));
      cm.push_back(s.pair_ct > 0 ? json(s.length_cm[b] / s.pair_ct) : json(nullptr));
    }
    rows.push_back({{"pop1", pops.names[s.pop1]},
                    {"pop2", pops.names[s.pop2]},
                    {"pairs", static_cast<std::uint64_t>(s.pair_ct)},
                    {"segments", segments},
                    {"cm", cm}});
  }
  ctx.note(fmt::format("ibd: {} IBD segments in {} of {} pairs ({} variants, LOD >= {:.2f})", segment_ct,
                       r.pairs.size(), r.pair_ct, r.variant_ct, r.min_lod));
  result.update({{"bin_edges_cm", kIbdBinEdges},
                 {"min_cm", o.min_cm},
                 {"min_lod", r.min_lod},
                 {"variants", r.variant_ct},
                 {"genome_cm", r.genome_cm},
                 {"sample_pairs", r.pair_ct},
                 {"pairs_with_segments", r.pairs.size()},
                 {"segments", segment_ct},
                 {"pops", pops.names},
                 {"sharing", rows}});
  return result;
}

}  // namespace genomap
