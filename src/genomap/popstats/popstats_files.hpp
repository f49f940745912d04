// Population statistics as files: genomap fst's .fst.summary (plink2 --fst's layout, plus an SE column),
// .POP1.POP2.fst.var (plink2's per-variant layout) and .fst.amova; genomap fstats' .f2, .fstats and .f4ratio
// tables (one row per statistic: populations, value, jackknife SE, Z, variants and blocks behind it).
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/geno/variant_table.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/popstats/fst.hpp"
#include "genomap/popstats/fstats.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap {

// .fst.summary: #POP1 POP2 HUDSON_FST|WC_FST [SE] (SE when options.block_size > 0).
void write_fst_summary(std::FILE* out, const FstResult& result, const PopulationAssignment& pops,
                       const FstOptions& options);
// The per-variant file's suffix for one pair: ".POP1.POP2.fst.var".
std::string fst_variant_suffix(const FstPair& pair, const PopulationAssignment& pops);
// .fst.var: #CHROM POS ID OBS_CT HUDSON_FST|WC_FST, one row per variant of `variants` (nan where undefined).
void write_fst_variants(std::FILE* out, const std::vector<Variant>& variants, const FstPair& pair,
                        FstMethod method);
// .fst.amova: #POPULATIONS SAMPLES VARIANTS BETWEEN_SHARE SE WITHIN_SHARE JACKKNIFE_BLOCKS.
void write_variance_share(std::FILE* out, const VarianceShare& share, const PopulationAssignment& pops);

// A table of f2/f3/f4/D rows (.f2, .fstats): #STATISTIC POP1..POP4 VALUE SE Z N_SNPS N_BLOCKS, "." for
// unused population columns, "nan" for undefined values.
void write_statistic_table(std::FILE* out, const std::vector<StatisticResult>& results,
                           const PopulationAssignment& pops);
// genomap fstats' files: PREFIX.f2 (every pair), PREFIX.fstats (requested f3/f4/D, when any) and
// PREFIX.f4ratio (requested f4-ratios, POP1..POP8, when any).
void write_fstats_files(OutputSet& outputs, const FstatsResult& result, const PopulationAssignment& pops);

}  // namespace genomap
