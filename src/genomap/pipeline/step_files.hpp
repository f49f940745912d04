// The files `genomap analyze` writes, in the layouts of the single commands (plink2's .smiss/.vmiss/.hardy/
// .het/.prune.in/.kin0/--king-cutoff lists, ADMIXTURE's .Q/.P, genomap fst's .fst.summary and fstats' tables),
// so a user's scripts read the folder as they read the single commands' outputs.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/admix/admixture.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/popstats/fst.hpp"
#include "genomap/popstats/fstats.hpp"
#include "genomap/popstats/population_file.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/qc/missingness.hpp"
#include "genomap/relate/king.hpp"

namespace genomap {

struct QcTables {
  std::vector<double> missing_rate;  // per sample of the dataset
  std::vector<double> het_f;         // per sample (NaN without polymorphic autosomal variants)
  std::size_t hwe_tested = 0;
  std::vector<double> hwe_p;         // per variant of the dataset (NaN where not tested)
};

// Writes .smiss, .vmiss, .hardy (.hardy.x with chrX) and .het of `data` through `outputs`, as genomap missing,
// hardy and het do, and returns the per-sample values the report shows.
QcTables write_qc_tables(const Dataset& data, OutputSet& outputs, const Context& ctx);

// .prune.in / .prune.out as genomap prune writes them.
void write_prune_lists(const Dataset& data, const PruneResult& result, OutputSet& outputs);

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

// #FID IID lists of the samples with removed[s] == want_removed (plink2's --king-cutoff files).
void write_sample_list(std::FILE* out, const Dataset& data, const std::vector<bool>& removed, bool want_removed);

// ADMIXTURE's .Q/.P layout: space-separated, 6 decimals.
void write_admixture_matrix(OutputFile& out, const RowMatrix& m);

// genomap fst's .fst.summary (populations named in `pops`' order).
void write_fst_summary(std::FILE* out, const FstResult& result, const PopulationAssignment& pops,
                       const FstOptions& options);

// genomap fstats' table (.f2, .fstats).
void write_statistic_table(std::FILE* out, const std::vector<StatisticResult>& results,
                           const PopulationAssignment& pops);

}  // namespace genomap
