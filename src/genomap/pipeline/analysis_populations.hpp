// The population labels `genomap analyze` works with: the pop file's labels of the QC'd samples in the
// report's order, and the populations the population statistics can use.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/pipeline/analysis.hpp"
#include "genomap/popstats/population_file.hpp"

namespace genomap {

// Population labels of the QC'd samples, in report order (pop file order, or --pop-order's).
struct Populations {
  PopulationAssignment file_order;  // as read
  std::vector<std::string> report_order;
  std::vector<std::int32_t> report_index;  // per QC sample
};

// Reads --pop (and --pop-order) for the QC'd samples; an Error when no analysed sample has a label.
Populations read_populations(const AnalysisOptions& o, const Dataset& qc, const Context& ctx);

// The populations Fst and f-statistics can use (at least 2 analysed samples), in name order as genomap fst
// and fstats order them.
PopulationAssignment popstats_populations(const PopulationAssignment& assignment, const Context& ctx);

}  // namespace genomap
