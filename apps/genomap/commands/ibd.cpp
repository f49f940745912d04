// genomap ibd: segments shared identical by descent by every pair of samples (.seg), per pair IBD1, IBD2 and
// degree (.ibd), and with --pop the sharing between populations by segment length (.ibd.pops). The method is
// in src/genomap/relate/ibd_segments.hpp and docs/ibd.md.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/relate/ibd_segments.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct IbdCommandOptions {
  InputOptions input;
  std::string pop_file, pop_column = "POP";
  IbdOptions ibd;
};

void run_ibd(const IbdCommandOptions& o, Invocation& inv) {
  const Dataset data = inv.load_dataset(o.input);
  PopulationAssignment pops;
  if (!o.pop_file.empty()) {
    inv.log().add_input(o.pop_file);
    pops = read_population_labels(o.pop_file, data, o.pop_column);
  }
  const IbdResult r = detect_ibd_segments(data, o.ibd, inv.context());
  inv.log().phase_done("IBD segments");
  std::size_t ibd_ct = 0;
  for (const IbdSegment& s : r.segments) ibd_ct += !s.ibd2;
  inv.log().note(fmt::format(
      "{} variants on {} chromosomes ({:.1f} cM); {} pairs; {} seeds; {} IBD segments (LOD >= {:.2f}, >= {} cM) "
      "in {} pairs",
      r.variant_ct, r.chromosomes.size(), r.genome_cm, r.pair_ct, r.seed_ct, ibd_ct, r.min_lod, o.ibd.min_cm,
      r.pairs.size()));
  write_ibd_segments(inv.outputs().open(".seg").stream(), data, r);
  write_ibd_pairs(inv.outputs().open(".ibd").stream(), data, r);
  if (!o.pop_file.empty())
    write_ibd_population_sharing(inv.outputs().open(".ibd.pops").stream(), pops,
                                 summarise_ibd_by_population(r, pops));
}

const bool registered = register_command(
    {"ibd", "Segments shared IBD by every pair (.seg), IBD1/IBD2 and degree (.ibd), sharing by population",
     [](CLI::App& app) {
       auto o = std::make_shared<IbdCommandOptions>();
       add_input_options(app, o->input);
       add_population_options(app, o->pop_file, o->pop_column, false);
       IbdOptions& d = o->ibd;
       app.add_option("--uniform-map", d.uniform_map_cm_per_mb,
                      "Use bp positions on a uniform map of RATE cM per Mb instead of the .bim's cM");
       app.add_option("--min-cm", d.min_cm, "Shortest segment reported, cM")->capture_default_str();
       app.add_option("--min-lod", d.min_lod,
                      "Smallest LOD (IBD1 vs IBD0) of a segment; default log10(pairs x variants) + 1");
       app.add_option("--error", d.error, "Genotype error rate of the likelihood model")->capture_default_str();
       app.add_option("--seed-variants", d.seed_variants,
                      "Fewest consecutive variants without opposite homozygotes that start a segment (>= 128)")
           ->capture_default_str();
       app.add_option("--seed-cm", d.seed_cm, "Shortest seed, cM")->capture_default_str();
       app.add_option("--x-drop", d.x_drop,
                      "Extension stops where the score falls this far (LOD) below its best")
           ->capture_default_str();
       return Runner([o](Invocation& inv) { run_ibd(*o, inv); });
     },
     42});

}  // namespace
}  // namespace genomap::cli
