// Per-sample homozygosity and the inbreeding coefficient F (plink2 --het, .het).
//
// As plink2 computes them: over diploid autosomal variants (1-22 and the pseudo-autosomal XY) that are
// polymorphic among the selected samples, O(HOM) counts a sample's homozygous calls, OBS_CT its called
// genotypes, E(HOM) sums 1 - 2pq over its called variants (p the allele frequency among all selected samples'
// calls, no small-sample correction) and F = (O(HOM) - E(HOM)) / (OBS_CT - E(HOM)).
#pragma once
#include <cstdint>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct SampleHeterozygosity {
  std::uint32_t observed_hom = 0;
  double expected_hom = 0.0;
  std::uint32_t obs_ct = 0;
  double f() const { return (observed_hom - expected_hom) / (obs_ct - expected_hom); }
};

struct HeterozygosityResult {
  std::vector<SampleHeterozygosity> samples;  // per selected sample
  std::size_t variants_used = 0;
  std::size_t monomorphic_skipped = 0;
};

HeterozygosityResult compute_heterozygosity(const Dataset& data, const Context& ctx);

}  // namespace genomap
