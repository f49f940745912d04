// `genomap simulate`: genotypes under the Pritchard-Stephens-Donnelly admixture model with Balding-Nichols
// population frequencies, streamed to a PLINK 1 fileset together with the truth (Q, P, populations, planted
// relatives, phenotypes and causal effects).
//
// Model, per variant j (each variant has its own seeded random stream, so the output does not depend on the
// thread count or block size):
//   ancestral frequency p_j ~ Uniform(0.05, 0.95);
//   population frequency P_jk ~ Beta(p_j (1-F)/F, (1-p_j)(1-F)/F)   (Balding and Nichols 1995);
//   each allele copy of founder i draws its population z ~ Q_i, then allele 1 with probability P_jz; summed over
//   z this is allele 1 with probability theta_ij = sum_k Q_ik P_jk, which is what is drawn (Pritchard et al. 2000).
// LD: an allele is "latent uniform < theta_ij". Within blocks of L variants each haplotype keeps its latent
// uniform from the previous variant with probability c and draws a fresh one otherwise, so allele frequencies stay
// exactly theta_ij while neighbouring variants become correlated; c is set from the two ancestral frequencies so
// that r^2 is about R where that is reachable (the highest r between alleles of frequencies a < b is
// sqrt(a(1-b) / (b(1-a)))). Blocks restart at each chromosome; variants in different blocks are unlinked.
// Relatives inherit one haplotype of each parent, chosen afresh at every LD block (every variant without LD).
#pragma once
#include "genomap/core/context.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/sim/simulation_options.hpp"

namespace genomap {

// Writes PREFIX.bed/.bim/.fam/.Q/.P/.pop, plus .related with --related and .pheno/.causal with --causal.
void simulate_dataset(const SimulationOptions& options, OutputSet& outputs, const Context& context);

}  // namespace genomap
