// `genomap ibd`: segments shared identical by descent (IBD) by every pair of samples, from unphased genotypes
// on a genetic map; per pair the shares of the genome in IBD1 and IBD2 and the degree of relationship they
// imply; with population labels, the sharing between populations by segment length (Ralph and Coop 2013).
//
// Method, per pair of samples and chromosome:
//  1. Screen. A pair that shares a haplotype IBD cannot carry opposite homozygotes (IBS0) there except by
//     genotype error. Sample-major bit-planes (homozygous, allele-2) give a pair's IBS0 variants 64 at a time
//     (hom_i & hom_j & (alt_i ^ alt_j)); every run of at least `seed_variants` variants without IBS0 (128 or
//     more, so a run always covers a whole 64-variant word with no IBS0: pairs are scanned a word at a time)
//     that spans at least `seed_cm` is a seed.
//  2. Extension. Each variant scores the log10 likelihood ratio of the pair's genotypes under IBD1 against
//     IBD0, with the allele frequencies of all analysed samples and Hardy-Weinberg genotype frequencies (the
//     joint genotype probabilities given IBD 0, 1, 2 of Thompson 1975); a genotype error rate `error` mixes
//     the IBD0 probabilities into IBD1's, so an IBS0 costs log10(error) instead of excluding the segment. From
//     each seed the segment is extended left and right to the best-scoring end, stopping where the running
//     score falls `x_drop` below its best (BLAST's X-drop). Overlapping segments of a pair are merged.
//  3. Calls. A segment is reported when it spans at least `min_cm` and its LOD reaches `min_lod`. Under IBD0
//     a log-likelihood-ratio walk reaches LOD t from a given start with probability at most 10^-t (Wald's
//     inequality), so the default threshold log10(pairs x variants) + 1 keeps the expected number of chance
//     segments in the whole run near 0.1 where frequencies are right; population structure and LD between
//     variants inflate it (prune LD first, as for KING's --ibdseg).
//  4. IBD2. Within each segment the variants score IBD2 against IBD1 (an IBS1 pair costs log10(error)); the
//     maximal-scoring stretches with LOD >= 3 spanning at least `min_cm` are IBD2.
//  5. Per pair: IBD1 and IBD2 are the segment lengths over the genome's length (sum over chromosomes of the
//     span of their analysed variants); the kinship is IBD1/4 + IBD2/2 and the degree follows KING's boundaries
//     (Manichaikul et al. 2010: 0.354, 0.177, 0.0884, 0.0442, and 0.0221 for the fourth degree); a first-degree
//     pair with IBD2 below 0.08 is parent-offspring, else full siblings.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/population_labels.hpp"

namespace genomap {

struct IbdOptions {
  double uniform_map_cm_per_mb = 0;  // > 0: bp / 1e6 * rate instead of the .bim's cM
  double min_cm = 2.0;
  double min_lod = -1;  // < 0: log10(pairs x variants) + 1
  double ibd2_min_lod = 3.0;
  std::size_t seed_variants = 128;
  double seed_cm = 1.0;
  double error = 0.002;  // genotype error rate of the likelihood model
  double x_drop = 4.0;
};

struct IbdSegment {
  std::uint32_t sample1 = 0, sample2 = 0;  // sample1 < sample2 (sample_idx)
  std::uint32_t chrom = 0;                 // index into IbdResult::chromosomes
  std::uint32_t first = 0, last = 0;       // analysed variants (index within the chromosome), inclusive
  double start_cm = 0, end_cm = 0;
  double lod = 0;
  bool ibd2 = false;  // an IBD2 stretch (lies within an IBD segment of the same pair)
  double length_cm() const { return end_cm - start_cm; }
};

struct IbdChromosome {
  int code = 0;
  std::string name;
  std::vector<std::size_t> variant_idx;  // analysed variants of the chromosome (dataset variant_idx)
  std::vector<double> cm;
  double span_cm() const { return cm.empty() ? 0 : cm.back() - cm.front(); }
};

struct IbdPair {
  std::uint32_t sample1 = 0, sample2 = 0;
  std::uint32_t segment_ct = 0;
  double ibd1 = 0, ibd2 = 0;  // shares of the genome
  double kinship() const { return ibd1 / 4 + ibd2 / 2; }
  int degree = -1;  // 0 duplicate, 1..4; -1 more distant
  const char* relationship = "unrelated";
};

struct IbdResult {
  std::vector<IbdChromosome> chromosomes;
  double genome_cm = 0;
  double min_lod = 0;  // the threshold used
  std::size_t variant_ct = 0, pair_ct = 0, seed_ct = 0;
  std::vector<IbdSegment> segments;  // by pair (sample2, sample1), then chromosome and start; IBD2 after IBD
  std::vector<IbdPair> pairs;        // pairs with at least one segment, in the same order
};

// Throws Error naming the .bim (and line) when there is no genetic map (pass a uniform map), positions
// decrease within a chromosome or a chromosome is split, and when options are impossible.
IbdResult detect_ibd_segments(const Dataset& data, const IbdOptions& options, const Context& ctx);

// Degree and relationship from IBD1 and IBD2 shares (see above).
void classify_ibd_pair(IbdPair& pair);

// Segment length bins of the population summary: [2, 4), [4, 6), [6, 10), >= 10 cM.
inline constexpr double kIbdBinEdges[] = {2, 4, 6, 10};
inline constexpr std::size_t kIbdBinCount = 4;

struct IbdPopulationSharing {
  std::uint32_t pop1 = 0, pop2 = 0;  // pop1 <= pop2
  double pair_ct = 0;                // pairs of samples between (or within) the populations
  double segments[kIbdBinCount] = {}, length_cm[kIbdBinCount] = {};  // sums over the pairs
};
std::vector<IbdPopulationSharing> summarise_ibd_by_population(const IbdResult& result,
                                                              const PopulationAssignment& pops);

// .seg: #FID1 IID1 FID2 IID2 CHR START END START_CM END_CM CM TYPE N_VARIANTS LOD
void write_ibd_segments(std::FILE* out, const Dataset& data, const IbdResult& result);
// .ibd: #FID1 IID1 FID2 IID2 N_SEG IBD1 IBD2 KINSHIP DEGREE RELATIONSHIP
void write_ibd_pairs(std::FILE* out, const Dataset& data, const IbdResult& result);
// .ibd.pops: POP1 POP2 PAIRS, then per bin the mean number of segments and mean total cM per pair
void write_ibd_population_sharing(std::FILE* out, const PopulationAssignment& pops,
                                  const std::vector<IbdPopulationSharing>& sharing);

}  // namespace genomap
