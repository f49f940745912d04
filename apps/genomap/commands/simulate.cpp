// genomap simulate: a PLINK 1 fileset under the admixture model, with the truth beside it (.Q, .P, .pop,
// .related, .pheno, .causal). See src/genomap/sim/admixture_simulation.hpp for the model.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/sim/admixture_simulation.hpp"
#include "genomap/sim/population_tree.hpp"
#include "genomap/sim/pulse_simulation.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

constexpr std::size_t kVariantsNotGiven = static_cast<std::size_t>(-1);

struct SimulateOptions {
  SimulationOptions sim;
  std::string alpha = "0.5";
  std::string related;
  std::string tree;   // population tree file (--tree): --n samples per sampled population
  std::string pulse;  // --pulse TARGET=A:0.3,B:0.7@T: --n samples per source and target
  double map_rate = 1.0;
  std::string map_bim;              // --map: variants and genetic map of a .bim (with --pulse)
  std::string relatives, migrants;  // --relatives / --migrants TYPE:COUNT,... (with --pulse)
};

void run_simulate(SimulateOptions o, Invocation& inv) {
  o.sim.seed = inv.options().seed;
  if (!o.pulse.empty()) {
    if (!o.tree.empty() || !o.related.empty() || o.sim.causal_ct > 0 || o.sim.ld_block > 1)
      throw UsageError(
          "simulate: --pulse takes --n, --m, --chromosomes, --fst, --map, --map-rate, --missing, "
          "--relatives, "
          "--migrants and --seed only");
    if (!o.map_bim.empty() && o.sim.variant_ct != kVariantsNotGiven)
      throw UsageError("simulate: --map gives the variants; leave out --m");
    if (o.map_bim.empty() && o.sim.variant_ct == kVariantsNotGiven)
      throw UsageError("simulate: --m is required (or --map BIM with --pulse)");
    PulseSimulationOptions p;
    p.pulse = parse_pulse(o.pulse);
    p.sample_ct = o.sim.sample_ct;
    p.variant_ct = o.map_bim.empty() ? o.sim.variant_ct : 0;
    p.map_bim = o.map_bim;
    if (!p.map_bim.empty()) inv.log().add_input(p.map_bim);
    p.chromosome_ct = o.sim.chromosome_ct;
    p.fst = o.sim.fst;
    p.cm_per_mb = o.map_rate;
    p.missing = o.sim.missing;
    p.seed = o.sim.seed;
    if (!o.relatives.empty()) p.relatives = parse_family_requests(o.relatives, "--relatives");
    if (!o.migrants.empty()) p.migrants = parse_family_requests(o.migrants, "--migrants");
    simulate_pulse_dataset(p, inv.outputs(), inv.context());
    inv.log().phase_done("simulate");
    return;
  }
  if (!o.map_bim.empty()) throw UsageError("simulate: --map goes with --pulse");
  if (!o.relatives.empty() || !o.migrants.empty())
    throw UsageError("simulate: --relatives and --migrants go with --pulse (without it, use --related)");
  if (o.sim.variant_ct == kVariantsNotGiven) throw UsageError("simulate: --m is required");
  if (!o.tree.empty()) {
    if (!o.related.empty() || o.sim.causal_ct > 0 || o.sim.ld_block > 1 || o.sim.missing > 0)
      throw UsageError("simulate: --tree takes --n, --m, --chromosomes and --seed only");
    inv.log().add_input(o.tree);
    simulate_tree_dataset(read_population_tree(o.tree), o.sim.sample_ct, o.sim.variant_ct,
                          o.sim.chromosome_ct, o.sim.seed, inv.outputs());
    inv.log().phase_done("simulate");
    return;
  }
  if (o.sim.k >= 1) o.sim.alpha = parse_alpha(o.alpha, o.sim.k);
  if (!o.related.empty()) o.sim.related = parse_related_plan(o.related);
  simulate_dataset(o.sim, inv.outputs(), inv.context());
  inv.log().phase_done("simulate");
}

const bool registered = register_command(
    {"simulate", "Simulate admixed genotypes with known truth",
     [](CLI::App& app) {
       auto o = std::make_shared<SimulateOptions>();
       auto& s = o->sim;
       app.add_option("--n", s.sample_ct, "Number of samples")->required();
       s.variant_ct = kVariantsNotGiven;
       app.add_option("--m", s.variant_ct, "Number of variants (required unless --pulse with --map)");
       s.k = 3;
       s.fst = 0.1;
       app.add_option("--k", s.k, "Number of ancestral populations")->capture_default_str();
       app.add_option("--fst", s.fst, "Balding-Nichols drift F of each population from the ancestral one")
           ->capture_default_str();
       app.add_option("--alpha", o->alpha,
                      "Dirichlet parameter of ancestry proportions: one value or K, comma-separated "
                      "(small: nearly unadmixed individuals)")
           ->capture_default_str();
       app.add_option("--tree", o->tree,
                      "Population tree with drift and admixture pulses (lines 'NAME PARENT DRIFT' or 'NAME "
                      "A:0.3,B:0.7 DRIFT'); --n samples per sampled population");
       app.add_option(
           "--pulse", o->pulse,
           "One admixture pulse, TARGET=A:0.3,B:0.7@T: sources drift from an ancestral population by "
           "--fst, TARGET mixes them T generations ago with recombination on a uniform map; --n samples "
           "per population; truth in .tracts and .Q");
       app.add_option("--map", o->map_bim,
                      "With --pulse: simulate the variants of this .bim, recombining at its cM positions");
       app.add_option("--map-rate", o->map_rate, "Uniform genetic map of --pulse, cM per Mb")
           ->capture_default_str();
       app.add_option("--missing", s.missing, "Per-genotype missing rate")->capture_default_str();
       app.add_option("--chromosomes", s.chromosome_ct,
                      "Spread variants over chromosomes 1..C (GRCh37 lengths)")
           ->capture_default_str();
       app.add_option(
           "--relatives", o->relatives,
           "With --pulse: families in every population whose members recombine along the map, e.g. "
           "po:1,fs:2,hs:2,c1:3,c2:3 (truth in .relatives and .ibd.truth)");
       app.add_option(
           "--migrants", o->migrants,
           "With --pulse: families split between every pair of populations (one relative in each), "
           "TYPE:COUNT as for --relatives");
       app.add_option("--related", o->related,
                      "Planted related pairs, e.g. dup:2,po:3,fs:3,d2:3,d3:3 (written to .related)");
       app.add_option("--ld-block", s.ld_block, "LD block length in variants (1: no LD)")
           ->capture_default_str();
       app.add_option("--ld-r2", s.ld_r2, "Target r^2 between neighbouring variants within an LD block")
           ->capture_default_str();
       app.add_option("--causal", s.causal_ct, "Number of causal variants (0: no .pheno/.causal)")
           ->capture_default_str();
       app.add_option("--h2", s.h2, "Heritability of the quantitative trait")->capture_default_str();
       app.add_option("--confound", s.confound,
                      "Effect of standardized ancestry Q1 on the trait (confounding)")
           ->capture_default_str();
       app.add_option("--prevalence", s.prevalence,
                      "Share of cases in the binary trait (liability threshold)")
           ->capture_default_str();
       return Runner([o](Invocation& inv) { run_simulate(*o, inv); });
     },
     5});

}  // namespace
}  // namespace genomap::cli
