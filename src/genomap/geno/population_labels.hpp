// Population labels of the analysed samples: the one reader of population files for every analysis (fst,
// fstats, qpadm, supervised admixture, freqdb releases, analyze). Two layouts are read:
//  - a sample table (plink2 style, whitespace-separated): a header line `#FID IID POP ...`, `FID IID POP ...`
//    or `IID POP ...`; the population is the column named `column` (default POP);
//  - ADMIXTURE's .pop: one label per .fam line, in .fam order (a file whose first line is a single field).
// Labels NA, NONE, -9, . and - mean "no population" (plink2's and ADMIXTURE's missing codes).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/geno/sample_table.hpp"

namespace genomap {

struct PopulationAssignment {
  std::vector<std::string> names;           // populations in order of first appearance
  std::vector<std::int32_t> pop_of_sample;  // per analysed sample (sample_idx): population index, -1 = none
  std::vector<std::uint32_t> sizes;         // analysed samples per population
  std::size_t unassigned_ct = 0;            // analysed samples without a label (absent or missing code)
  // Per analysed sample: 1 when its genotypes count as one allele (pseudohaploid); empty = all diploid.
  std::vector<char> pseudohaploid;
  // Every label of the file in order of its first row, analysed or not (the order a user wrote them in).
  std::vector<std::string> labels_in_row_order;

  std::size_t pop_ct() const { return names.size(); }
  // Index of a population by name; throws Error naming `where` when absent.
  std::uint32_t index_of(const std::string& name, const std::string& where) const;
  // The label of each analysed sample, "" for none.
  std::vector<std::string> label_of_sample() const;
  // Renumbers the populations in natural order of name (digit runs by value, as plink2 orders categories).
  void sort_by_name();
  // Throws Error when a population has fewer than `min_size` analysed samples.
  void require_min_size(std::uint32_t min_size, const std::string& source, const std::string& why) const;
};

// Reads the labels of `path` for the samples `selected_uidx` of `samples` (rows of the .fam). Table rows are
// matched by IID, and by FID too when the file has an FID column and `match_fid` is true. Errors name file
// and line: a missing or malformed header, a short row, a sample absent from `samples`, a sample listed twice,
// a .pop whose line count differs from the .fam. Rows of samples outside `selected_uidx` (removed by filters)
// are ignored; populations with no analysed sample are dropped.
PopulationAssignment read_population_labels(const std::string& path, const SampleTable& samples,
                                            const std::vector<std::uint32_t>& selected_uidx,
                                            const std::string& column = "POP", bool match_fid = true);
// The same for the samples of a Dataset.
PopulationAssignment read_population_labels(const std::string& path, const Dataset& data,
                                            const std::string& column = "POP");

// One label per analysed sample (e.g. EIGENSTRAT .ind column 3); empty labels are unassigned.
PopulationAssignment assign_populations(const std::vector<std::string>& label_of_sample);

}  // namespace genomap
