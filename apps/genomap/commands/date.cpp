// genomap date: generations since admixture from the decay of weighted LD with genetic distance (ALDER's
// method; see src/genomap/popstats/admixture_dating.hpp and docs/dating.md).
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/popstats/admixture_dating.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct DateCommandOptions {
  InputOptions input;
  std::string pop_file, pop_column = "POP", target, sources;
  DatingOptions dating;
};

void run_date(DateCommandOptions o, Invocation& inv) {
  DatingOptions& d = o.dating;
  d.target = o.target;
  d.label_source = o.pop_file;
  d.sources.clear();
  for (auto part : split_on(o.sources, ',')) {
    if (part.empty()) throw UsageError(fmt::format("--sources: empty population name in '{}'", o.sources));
    d.sources.emplace_back(part);
  }
  if (d.single_reference && d.sources.size() != 1)
    throw UsageError("--single-reference: give one reference population in --sources");
  if (!d.single_reference && d.sources.size() != 2)
    throw UsageError("--sources: give two reference populations, A,B (or one with --single-reference)");
  if (!(d.uniform_map_cm_per_mb >= 0))
    throw UsageError("--uniform-map: the rate must be positive (cM per Mb)");

  const Dataset data = inv.load_dataset(o.input, Purpose::Ancestry);
  inv.log().add_input(o.pop_file);
  const PopulationAssignment pops = read_population_labels(o.pop_file, data, o.pop_column);
  const DatingResult r = date_admixture(data, pops, d, inv.context());
  inv.log().phase_done("weighted LD");
  inv.log().note(fmt::format(
      "{}: {:.2f} generations (SE {:.2f}), amplitude Z {:.2f}; {} variants on {} chromosomes", d.target,
      r.generations, r.generations_se, r.amplitude_z, r.variant_ct, r.chromosomes.size()));
  if (r.rate_at_bound)
    inv.log().note(
        "the fitted rate is at the edge of the searched range (0.5-5000 generations): no decay resolved");
  write_dating_summary(inv.outputs().open(".date").stream(), r, d);
  write_dating_curve(inv.outputs().open(".date.curve").stream(), r);
  write_dating_jackknife(inv.outputs().open(".date.jackknife").stream(), r);
}

const bool registered = register_command(
    {"date", "Generations since admixture from weighted LD decay (.date, .date.curve)",
     [](CLI::App& app) {
       auto o = std::make_shared<DateCommandOptions>();
       add_input_options(app, o->input);
       add_population_options(app, o->pop_file, o->pop_column, true);
       app.add_option("--target", o->target, "The admixed population")->required();
       app.add_option("--sources", o->sources,
                      "Reference populations: A,B (weights p_A - p_B), or A with --single-reference")
           ->required();
       app.add_flag("--single-reference", o->dating.single_reference,
                    "One reference: weights p_A - p_target (ALDER's one-reference mode)");
       app.add_option("--uniform-map", o->dating.uniform_map_cm_per_mb,
                      "Use bp positions on a uniform map of RATE cM per Mb instead of the .bim's cM");
       app.add_option("--bin-cm", o->dating.bin_cm, "Width of the distance bins, cM")->capture_default_str();
       app.add_option("--min-cm", o->dating.min_cm, "Fit from this distance (avoids background LD), cM")
           ->capture_default_str();
       app.add_option("--max-cm", o->dating.max_cm, "Fit up to this distance, cM")->capture_default_str();
       return Runner([o](Invocation& inv) { run_date(*o, inv); });
     },
     65});

}  // namespace
}  // namespace genomap::cli
