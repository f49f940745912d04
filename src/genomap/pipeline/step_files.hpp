// The files `genomap analyze` writes, in the layouts of the single commands (plink2's .smiss/.vmiss/.hardy/
// .het/.prune.in/.kin0/--king-cutoff lists, ADMIXTURE's .Q/.P, genomap fst's .fst.summary and fstats'
// tables), so a user's scripts read the folder as they read the single commands' outputs.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/admix/admixture.hpp"
#include "genomap/admix/admixture_files.hpp"  // write_admixture_matrix (.Q/.P)
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/popstats/fst.hpp"
#include "genomap/popstats/fstats.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/qc/qc_files.hpp"  // write_prune_lists
#include "genomap/qc/missingness.hpp"
#include "genomap/relate/king.hpp"
#include "genomap/relate/unrelated_set.hpp"  // write_sample_list

namespace genomap {

struct QcTables {
  std::vector<double> missing_rate;  // per sample of the dataset
  std::vector<double> het_f;         // per sample (NaN without polymorphic autosomal variants)
  std::size_t hwe_tested = 0;
  std::vector<double> hwe_p;  // per variant of the dataset (NaN where not tested)
};

// Writes .smiss, .vmiss, .hardy (.hardy.x with chrX) and .het of `data` through `outputs`, as genomap
// missing, hardy and het do, and returns the per-sample values the report shows.
QcTables write_qc_tables(const Dataset& data, OutputSet& outputs, const Context& ctx);


// One pair of the KING table (sample_idx of `data`, i < j).
struct KinshipPair {
  std::uint32_t i = 0, j = 0;
  KingPairCounts counts;
  bool in_table = false;  // kinship >= keep_min (else a background pair)
};

// Computes KING-robust kinship of every pair and keeps the pairs with kinship >= `keep_min`, writing them to
// `kin0` as genomap king --king-table-filter writes them; of the other pairs it keeps about `background_ct`,
// evenly spaced in pair order (for the report's kinship scatter).
std::vector<KinshipPair> kinship_pairs_at_least(const Dataset& data, double keep_min, std::FILE* kin0,
                                                std::size_t background_ct, const Context& ctx);

}  // namespace genomap
