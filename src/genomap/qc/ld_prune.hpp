// LD pruning as plink2's --indep-pairwise: in a window sliding along each chromosome, any pair of variants
// whose unphased genotype r^2 exceeds the threshold loses the variant with the lower minor allele frequency,
// until no such pair is left. Only founders are used (both parental IDs "0"), as plink2 does.
//
// r^2 follows plink2 (2.00a3, plink2_ld.cc, IndepPairwise): genotypes coded -1/0/+1 (hom. ALT, het, hom. REF)
// and correlated over the samples called in *both* variants (pairwise-complete, no imputation). On X, males
// count once and other founders twice; on Y only male founders count. A variant with no variance among the
// window's founders is pruned on loading. Windows restart at each chromosome; a chromosome with a single
// variant is left alone; chromosome 0 variants are in neither output.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/qc/ld_kernel.hpp"

namespace genomap {

struct PruneOptions {
  std::size_t window_variants = 50;  // window in variants (when window_kb is false)
  bool window_kb = false;
  std::uint32_t window_bp = 0;  // window in base pairs (when window_kb is true; step must then be 1)
  std::size_t step = 5;         // variants the window shifts by
  double r2_threshold = 0.2;    // prune pairs with r^2 strictly above this
};

// Parses plink2's --indep-pairwise arguments: "WINDOW[kb] [STEP] R2" or "WINDOW kb [STEP] R2". Throws Error
// naming the bad argument.
PruneOptions parse_indep_pairwise(const std::vector<std::string>& args);

enum class PruneStatus : std::uint8_t { Kept, Removed, Skipped };  // Skipped: chromosome 0, in neither list

struct PruneResult {
  std::vector<PruneStatus> status;  // one per variant_idx of the dataset
  std::size_t kept_ct = 0, removed_ct = 0, skipped_ct = 0;
  std::size_t founder_ct = 0;
};

// Runs the pruning. Throws Error when fewer than two founders are selected or variant IDs are not unique
// (prune lists are ID lists), as plink2 does.
PruneResult indep_pairwise(const Dataset& data, const PruneOptions& options, const Context& ctx);

}  // namespace genomap
