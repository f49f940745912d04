// Phenotypes of a simulated dataset: a quantitative trait
//   QT = g + confound * z(Q_1) + e,   Var(g) = h2 (over the samples), e ~ N(0, 1 - h2),
// where g sums the effects of the causal variants on allele-1 dosage and z(Q_1) is the first ancestry
// proportion standardized over the samples (a term confounded with ancestry: PCs or Q as covariates remove it);
// and a binary trait by the liability threshold: the `prevalence` share of samples with the highest QT are cases.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "genomap/sim/simulated_pedigree.hpp"
#include "genomap/sim/simulation_options.hpp"

namespace genomap {

struct CausalVariant {
  std::size_t variant = 0;
  double effect = 0;  // per allele-1 dosage; raw N(0,1) until scale_genetic_values
};

// Draws C distinct causal variants (sorted by position) with N(0,1) effects.
std::vector<CausalVariant> draw_causal_variants(const SimulationOptions& options);

struct SimulatedPhenotype {
  std::vector<double> genetic_value;  // per output sample, after scaling
  std::vector<double> quantitative;
  std::vector<int> binary;            // 1 control, 2 case
};

// Scales `effects` (and the raw genetic values) so that the genetic values have variance h2, then draws the
// confounding and noise terms and the binary trait.
SimulatedPhenotype simulate_phenotype(const SimulationOptions& options, const SimulatedPedigree& pedigree,
                                      std::vector<double> raw_genetic_value, std::vector<CausalVariant>& effects);

}  // namespace genomap
