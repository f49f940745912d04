// genomap freqdb build: a frozen allele-frequency release (per-population AC, AN and hom-alt counts, rounded
// to multiples of --min-count, small populations hidden or merged) for `genomap serve`. See
// docs/open-data.md.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/freqdb/release_builder.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

// Below 20 a release would publish counts that identify carriers (the threshold of the issue and of common
// aggregate-data policies); only upward changes are allowed.
constexpr std::uint32_t kLowestMinCount = 20;

struct FreqdbOptions {
  InputOptions input;
  std::string pop_file;
  std::string pop_column = "POP";
  std::string pop_coords;
  std::string version = "1";
  std::uint32_t min_count = kLowestMinCount;
  std::uint32_t min_pop_size = 50;
  std::string small_pops = "hide";
  std::string merged_name = "OTHER";
  bool keep_unobserved = false;
};

void run_freqdb_build(const FreqdbOptions& o, Invocation& inv) {
  if (o.min_count < kLowestMinCount)
    throw UsageError(fmt::format("--min-count {} is below the lowest allowed, {}", o.min_count, kLowestMinCount));
  if (o.min_pop_size < 1) throw UsageError("--min-pop-size must be at least 1");
  freqdb::ReleaseBuildOptions options;
  if (o.small_pops == "hide")
    options.small_populations = freqdb::SmallPopulationRule::Hide;
  else if (o.small_pops == "merge")
    options.small_populations = freqdb::SmallPopulationRule::Merge;
  else
    throw UsageError("--small-pops: expected hide or merge (got '" + o.small_pops + "')");
  options.version = o.version;
  options.min_count = o.min_count;
  options.min_population_size = o.min_pop_size;
  options.merged_name = o.merged_name;
  options.keep_unobserved = o.keep_unobserved;

  Dataset data = inv.load_dataset(o.input);
  PopulationAssignment labels =
      read_population_labels(o.pop_file, data, o.pop_column);
  inv.log().add_input(o.pop_file);
  labels.sort_by_name();
  freqdb::PopulationPlaces places;
  if (!o.pop_coords.empty()) {
    places = freqdb::read_population_places(o.pop_coords);
    inv.log().add_input(o.pop_coords);
  }
  options.parameters = {{"inputs", inv.log().inputs()},
                        {"pop_column", o.pop_column},
                        {"samples_in_fileset", data.store->sample_ct()},
                        {"samples_after_filters", data.sample_ct()},
                        {"unlabelled_samples", labels.unassigned_ct}};
  if (!o.input.registry.empty())
    options.parameters["consent"] = {{"purpose", o.input.purpose}, {"samples_consented", data.sample_ct()}};
  const auto summary = freqdb::build_release(data, labels, places, options, inv.out_prefix(), inv.context());
  for (const auto& pop : summary.populations)
    if (!pop.latitude && !o.pop_coords.empty())
      inv.log().note(fmt::format("population {} has no coordinates in {}", pop.name, o.pop_coords));
  for (const auto& name : summary.hidden)
    inv.log().note(fmt::format("population {} hidden: fewer than {} samples", name, o.min_pop_size));
  inv.log().add_output(inv.out_prefix());
  inv.log().phase_done("count, round and write the release");
}

const bool registered = register_command(
    {"freqdb", "Allele-frequency releases for open data (build)",
     [](CLI::App& app) {
       app.require_subcommand(1);
       CLI::App* build =
           app.add_subcommand("build", "Build a frozen release from genotypes and population labels");
       build->fallthrough();  // --out, --threads ... belong to `freqdb` and may follow `build`
       auto o = std::make_shared<FreqdbOptions>();
       add_input_options(*build, o->input);
       build->add_option("--pop", o->pop_file, "Population file (FID IID POP or IID POP, header line)")
           ->required();
       build->add_option("--pop-column", o->pop_column, "Column of the population file with the labels");
       build->add_option("--pop-coords", o->pop_coords, "Population coordinates (header POP LAT LON)");
       build->add_option("--release-version", o->version, "Version label of the release");
       build->add_option("--min-count", o->min_count, "Rounding grid of published counts (20 or more)");
       build->add_option("--min-pop-size", o->min_pop_size,
                         "Populations with fewer samples are hidden or merged");
       build->add_option("--small-pops", o->small_pops, "hide or merge populations below --min-pop-size");
       build->add_option("--merged-name", o->merged_name, "Name of the merged group of small populations");
       build->add_flag("--keep-unobserved", o->keep_unobserved,
                       "Keep variants whose published ALT count is 0 everywhere (dropped by default)");
       return Runner([o](Invocation& inv) { run_freqdb_build(*o, inv); });
     },
     95});

}  // namespace
}  // namespace genomap::cli
