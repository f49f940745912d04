// Population labels for the analysed samples, read from a sample table (plink2 style: a header line
// `#FID IID POP ...`, `FID IID POP ...` or `IID POP ...`, whitespace-separated) or taken from an EIGENSTRAT
// .ind.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/geno/sample_table.hpp"

namespace genomap {

struct PopulationAssignment {
  std::vector<std::string> names;           // populations in order of first appearance
  std::vector<std::int32_t> pop_of_sample;  // per analysed sample (sample_idx): population index, -1 = none
  std::vector<std::uint32_t> sizes;         // analysed samples per population
  std::size_t unassigned_ct = 0;            // analysed samples without a label (absent or NA)
  // Per analysed sample: 1 when its genotypes count as one allele (pseudohaploid); empty = all diploid.
  std::vector<char> pseudohaploid;

  std::size_t pop_ct() const { return names.size(); }
  // Index of a population by name; throws Error naming `where` when absent.
  std::uint32_t index_of(const std::string& name, const std::string& where) const;
  // Renumbers the populations in natural order of name (digit runs by value, as plink2 orders categories).
  void sort_by_name();
  // Throws Error when a population has fewer than `min_size` analysed samples.
  void require_min_size(std::uint32_t min_size, const std::string& source, const std::string& why) const;
};

// Reads the population column `column` (e.g. "POP") of `path`. Rows are matched to `samples` by IID, and by
// FID too when the file has an FID column and `match_fid` is true. A row naming a sample absent from
// `samples` is an Error naming file and line; rows of samples outside `selected_uidx` (removed by filters)
// are ignored. Labels NA, NONE, -9 and . mean "no population". Populations that end up with no analysed
// sample are dropped.
PopulationAssignment read_population_file(const std::string& path, const std::string& column,
                                          const SampleTable& samples,
                                          const std::vector<std::uint32_t>& selected_uidx,
                                          bool match_fid = true);

// One label per analysed sample (e.g. EIGENSTRAT .ind column 3); empty labels are unassigned.
PopulationAssignment assign_populations(const std::vector<std::string>& label_of_sample);

}  // namespace genomap
