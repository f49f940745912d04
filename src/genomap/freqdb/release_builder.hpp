// Builds a frozen frequency release from genotypes and population labels: per-population allele counts of
// every variant, rounded to a multiple of the minimum count, small populations hidden or merged, written to
// one SQLite file (to a temporary name, renamed when complete) with its version, content hash and build
// parameters.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/freqdb/frequency_release.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/population_labels.hpp"

namespace genomap::freqdb {

struct PopulationPlace {
  double latitude = 0, longitude = 0;
};
using PopulationPlaces = std::map<std::string, PopulationPlace>;

// Reads a table with a header naming columns POP, LAT and LON (others ignored): tab-separated when the header
// has a tab (other columns may then hold spaces, as data/pop_coords/pop_coords.tsv's SOURCE does), else
// whitespace-separated.
// Throws Error naming file and line on a malformed row, a duplicate population or coordinates out of range.
PopulationPlaces read_population_places(const std::string& path);

enum class SmallPopulationRule { Hide, Merge };

struct ReleaseBuildOptions {
  std::string version = "1";
  // Rounding grid: every published count is a multiple of it. The front end refuses less than 20; the library
  // accepts 1 (no rounding) so that the attack experiment can measure an undefended release.
  std::uint32_t min_count = 20;
  std::uint32_t min_population_size = 50;
  SmallPopulationRule small_populations = SmallPopulationRule::Hide;
  std::string merged_name = "OTHER";
  // Keep variants whose published ALT count is 0 in every population (dropped by default: their presence in
  // the input says that someone counted carries the allele).
  bool keep_unobserved = false;
  nlohmann::json parameters = nlohmann::json::object();  // recorded as given (inputs, filters, consent)
};

struct ReleaseBuildSummary {
  std::vector<ReleasePopulation> populations;
  std::vector<std::string> hidden;  // populations left out, below the minimum size
  std::size_t variant_ct = 0;       // rows written
  std::size_t unobserved_dropped = 0;
  std::uint64_t samples_counted = 0;
  std::string content_hash;
};

// Groups the labelled samples into the release's populations: those of at least `min_population_size` samples
// keep their name; smaller ones are hidden, or merged into one group (hidden too if still too small).
// Returns the release populations and sets `pop_of_sample` (per analysed sample, -1 = not counted).
std::vector<ReleasePopulation> release_populations(const PopulationAssignment& labels,
                                                   const PopulationPlaces& places,
                                                   const ReleaseBuildOptions& options,
                                                   std::vector<std::int32_t>& pop_of_sample,
                                                   std::vector<std::string>& hidden);

// Counts, rounds and writes the release to `out_path`. Throws Error (and leaves nothing at `out_path`) on
// failure, or when no population reaches the minimum size.
ReleaseBuildSummary build_release(const Dataset& data, const PopulationAssignment& labels,
                                  const PopulationPlaces& places, const ReleaseBuildOptions& options,
                                  const std::string& out_path, const Context& ctx);

}  // namespace genomap::freqdb
