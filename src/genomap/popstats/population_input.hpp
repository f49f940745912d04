// The input of the population statistics (Fst, f-statistics) assembled in one call: the analysed variants,
// the population of each analysed sample, and a pass over their genotype counts, from a filtered PLINK
// Dataset or an EIGENSTRAT fileset. Also the jackknife blocks of the f-statistics.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/popstats/jackknife.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap {

// Which chromosomes a statistic reads: f-statistics use 1-22 (as ADMIXTOOLS); plink2's --fst uses 1-22 and
// the pseudo-autosomal XY.
enum class AnalysedChromosomes { Autosomes, AutosomesAndXY };
// Whether a variant on chromosome `chrom_code` is read.
bool is_analysed_chromosome(int chrom_code, AnalysedChromosomes chromosomes);

// Where population labels come from: a sample table with a column (`path` and `column`), or, for EIGENSTRAT
// input with no `path`, the .ind's third column (label "Ignore" leaves the sample out, as ADMIXTOOLS does).
struct PopulationLabels {
  std::string path;
  std::string column = "POP";
};

// Owns everything its pass reads (dataset view, EIGENSTRAT reader, labels), so it is built in place and not
// moved: use it through the unique_ptr the builders return. Populations are numbered in natural order of
// name.
class PopulationInput {
 public:
  PopulationInput() = default;  // empty; the builders fill it
  // A PLINK dataset (filters already applied); variants outside `chromosomes` are left out.
  static std::unique_ptr<PopulationInput> from_plink(Dataset data, const PopulationLabels& labels,
                                                     AnalysedChromosomes chromosomes, const Context& ctx);
  // An EIGENSTRAT prefix (.geno packed or text, .snp, .ind).
  static std::unique_ptr<PopulationInput> from_eigenstrat(const std::string& prefix,
                                                          const PopulationLabels& labels,
                                                          AnalysedChromosomes chromosomes,
                                                          const Context& ctx);
  PopulationInput(const PopulationInput&) = delete;
  PopulationInput& operator=(const PopulationInput&) = delete;

  PopulationData data;                   // what compute_fst and compute_fstats read
  std::size_t left_out_variant_ct = 0;   // variants on chromosomes the statistic does not read
  std::string label_source;              // the file the labels came from (for error messages)
  std::vector<std::string> input_files;  // every file read, for the run log
  // Marks the analysed samples without a heterozygous call among the first `test_variants` analysed
  // variants as pseudohaploid (one allele per call; ADMIXTOOLS 2's adjust_pseudohaploid, which tests 1000);
  // later passes count them so. Returns how many were marked.
  std::size_t detect_pseudohaploid(std::size_t test_variants, const Context& ctx);
  // Keeps the analysed variants [first, last) only (a rank of an MPI run): `data.variants` and later passes
  // cover that range, and a pass's first_variant counts from `first`.
  void keep_variant_range(std::size_t first, std::size_t last);
  // The EIGENSTRAT fileset read (nullptr for PLINK input).
  const EigenstratReader* eigenstrat_reader() const { return reader_.get(); }

 private:
  Dataset dataset_;
  std::unique_ptr<EigenstratReader> reader_;
  std::vector<bool> keep_;
};

// Jackknife blocks for the f-statistics: `block_size` as parse_block_spec reads it ("" picks 0.05 Morgans
// when the variants have genetic positions, else 1000 variants); `genetic_unit` as genetic_unit_scale reads
// it.
struct JackknifeBlocks {
  BlockSpec spec;
  double morgans_per_unit = 1.0;
  std::vector<std::uint32_t> block_of_variant;
  std::size_t block_ct = 0;
};
JackknifeBlocks jackknife_blocks(const std::vector<Variant>& variants, const std::string& block_size,
                                 const std::string& genetic_unit);

}  // namespace genomap
