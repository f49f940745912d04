// Parameters of `genomap simulate`: the Pritchard-Stephens-Donnelly admixture model with Balding-Nichols
// population frequencies, planted relatives, LD blocks and phenotypes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace genomap {

// How many pairs of each relationship to plant (--related dup:2,po:3,fs:3,d2:3,d3:3).
struct RelatedPlan {
  std::size_t duplicate = 0;         // kinship 1/2
  std::size_t parent_offspring = 0;  // 1/4
  std::size_t full_sibling = 0;      // 1/4
  std::size_t second_degree = 0;     // 1/8 (half siblings)
  std::size_t third_degree = 0;      // 1/16 (first cousins)
  std::size_t pair_ct() const {
    return duplicate + parent_offspring + full_sibling + second_degree + third_degree;
  }
};

struct SimulationOptions {
  std::size_t sample_ct = 0;
  std::size_t variant_ct = 0;
  std::size_t k = 0;
  double fst = 0;
  std::vector<double> alpha;  // K Dirichlet parameters (one value given is repeated)
  std::uint64_t seed = 1;
  double missing = 0;            // per-genotype missing rate
  std::size_t chromosome_ct = 22;
  RelatedPlan related;
  std::size_t ld_block = 1;      // variants per LD block (1: no LD)
  double ld_r2 = 0;              // target r^2 between neighbouring variants of similar frequency
  std::size_t causal_ct = 0;     // 0: no phenotypes
  double h2 = 0.5;
  double confound = 0;
  double prevalence = 0.3;
};

// Parses "dup:2,po:3,fs:3,d2:3,d3:3" (any subset, any order). Throws Error on a malformed list.
RelatedPlan parse_related_plan(const std::string& text);
// Parses "0.5" or "0.2,0.3,0.5" into K values. Throws Error when malformed or of the wrong length.
std::vector<double> parse_alpha(const std::string& text, std::size_t k);
// Throws Error naming the offending option when the parameters are impossible.
void validate(const SimulationOptions& options);

}  // namespace genomap
