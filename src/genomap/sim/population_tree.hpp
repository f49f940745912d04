// `genomap simulate --tree FILE`: populations related by a tree of drift with admixture pulses, the truth for
// admixture-graph methods such as qpAdm. A tree file has one population per line, parents before children:
//   NAME  PARENT  DRIFT          NAME drifts by Balding-Nichols F = DRIFT from PARENT ('-': the ancestral
//                                population, allele frequency Uniform(0.05, 0.95) per variant)
//   NAME  A:0.3,B:0.7  DRIFT     NAME is the mixture 0.3 A + 0.7 B of earlier populations (weights sum to 1),
//                                then drifts by DRIFT (0: none)
// '#' starts a comment. Populations that are nobody's parent or mixture source are sampled: --n diploid
// samples each, written as PLINK 1 (.bed/.bim/.fam) with a .pop table (FID IID POP). Per variant, a child's
// frequency is Beta(p (1-F)/F, (1-p)(1-F)/F) around its parent's p (Balding and Nichols 1995); each variant
// has its own seeded random stream.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "genomap/io/output_file.hpp"
#include "genomap/sim/random_stream.hpp"

namespace genomap {

struct TreePopulation {
  std::string name;
  std::vector<std::pair<std::size_t, double>>
      sources;  // parent(s) and weights; empty: the ancestral population
  double drift = 0;
  bool sampled = true;
};

struct PopulationTree {
  std::vector<TreePopulation> populations;  // parents before children
  std::vector<std::size_t> sampled() const;
};

// Reads a tree file; throws Error naming file and line for an unknown or repeated name, a weight list that
// does not sum to 1, or a drift outside [0, 1).
PopulationTree read_population_tree(const std::string& path);

// Allele-1 frequency of every population of the tree at one variant, drawn from `rng`.
void draw_tree_frequencies(const PopulationTree& tree, RandomStream& rng, std::vector<double>& freq);

// Writes PREFIX.bed/.bim/.fam/.pop: `samples_per_population` samples per sampled population, `variant_ct`
// variants over `chromosome_ct` chromosomes (the layout of genomap simulate), seeded by `seed`.
void simulate_tree_dataset(const PopulationTree& tree, std::size_t samples_per_population,
                           std::size_t variant_ct, std::size_t chromosome_ct, std::uint64_t seed,
                           OutputSet& outputs);

}  // namespace genomap
