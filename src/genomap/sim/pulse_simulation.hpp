// `genomap simulate --pulse TARGET=A:0.3,B:0.7@T`: source populations diverged by drift and a population
// formed by one admixture pulse T generations ago, with recombination along a genetic map; the truth for
// admixture dating (ALDER-style weighted LD) and for local ancestry.
//
// Model:
//   per variant j, ancestral frequency p_j ~ Uniform(0.05, 0.95) and each source population k drifts from it
//   by Balding-Nichols F: P_jk ~ Beta(p_j (1-F)/F, (1-p_j)(1-F)/F) (Balding and Nichols 1995);
//   variants sit where `genomap simulate` puts them (GRCh37 autosome lengths, evenly spaced) and the map is
//   uniform: cM = bp / 1e6 * rate (1 cM per Mb by default); or they are the variants of a .bim with its
//   genetic map (`map_bim`; autosomes, sorted, cM > 0 somewhere on each chromosome), each chromosome running
//   from 0 cM to its last variant's cM; each haplotype of an admixed individual is a mosaic of ancestry
//   tracts: along each chromosome, ancestry switch points form a Poisson process of rate T per Morgan and
//   every segment between switch points takes source k with probability alpha_k, independently. This is the
//   Markov approximation of the ancestry along a haplotype that descends through T meioses since a single
//   pulse in a large randomly mating population (Pool and Nielsen 2009; Gravel 2012); under it, ancestry at
//   two loci d Morgans apart is the same segment with probability exp(-T d), so admixture LD decays as exp(-T
//   d) (the model ALDER fits, Loh et al. 2013). An allele of a haplotype is allele 1 with probability P_jz, z
//   the haplotype's ancestry at the variant; source samples draw both alleles from their own population's
//   frequency. Variants are otherwise unlinked.
// Each variant has its own seeded random stream and each admixed individual its own tract stream, so the
// output is a function of the seed alone, not of the thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/sim/pulse_families.hpp"

namespace genomap {

struct PulseSource {
  std::string name;
  double proportion = 0;
};

struct PulseSpec {
  std::string target;
  std::vector<PulseSource> sources;  // proportions sum to 1
  double generations = 0;            // T
};

// Parses "TARGET=A:0.3,B:0.7@T" (two or more sources, distinct names, proportions in (0, 1) summing to 1,
// T > 0). Throws Error naming --pulse when malformed.
PulseSpec parse_pulse(const std::string& text);

struct PulseSimulationOptions {
  PulseSpec pulse;
  std::size_t sample_ct = 0;  // diploid samples per population (each source and the target)
  std::size_t variant_ct = 0;
  std::size_t chromosome_ct = 22;
  double fst = 0.1;        // drift of each source from the ancestral population
  double cm_per_mb = 1.0;  // uniform genetic map
  std::string map_bim;  // non-empty: the variants (and their cM) of this .bim instead of --m on a uniform map
  double missing = 0;   // per-genotype missing rate
  std::vector<FamilyRequest> relatives;  // families in every population (see pulse_families.hpp)
  std::vector<FamilyRequest> migrants;   // families split between every pair of populations
  std::uint64_t seed = 1;
};

// Writes PREFIX.bed/.bim/.fam (samples SOURCE_1.., then TARGET_1..), .pop (FID IID POP), .Q (each sample's
// share of the genome from each source, in the order of --pulse) and .tracts (one line per ancestry tract of
// each admixed haplotype: IID HAP CHR START_CM END_CM SOURCE, consecutive segments of one source merged).
// With relatives or migrants also .ibd.truth (the IBD segments of every planted pair) and .relatives (the
// pairs, their relationship and true IBD1 and IBD2 shares); see pulse_families.hpp.
void simulate_pulse_dataset(const PulseSimulationOptions& options, OutputSet& outputs,
                            const Context& context);

}  // namespace genomap
