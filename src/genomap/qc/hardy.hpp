// Hardy-Weinberg equilibrium per variant (plink2 --hardy: .hardy for diploid chromosomes, .hardy.x for chrX).
// chrY and chrMT are haploid and not tested. On chrX, females (sex 2) give genotype counts and males (sex 1)
// allele counts (heterozygous male calls are left out); samples of unknown sex are left out.
#pragma once
#include <cstddef>
#include <functional>
#include <span>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/qc/ploidy.hpp"

namespace genomap {

struct HardyResult {
  ChromosomePloidy ploidy = ChromosomePloidy::Diploid;
  GenotypeCounts diploid;  // all samples (diploid chromosomes) or females (chrX)
  GenotypeCounts male;     // chrX: males (hom1 = allele-1 calls, hom2 = allele-2 calls)
  double p = 1.0;          // exact test p-value (not computed for Y and MT)
};

using HardySink = std::function<void(std::size_t first_variant_idx, std::span<const HardyResult> rows)>;

// Counts and exact tests (mid-p when `midp`), computed in parallel and handed to `sink` block by block.
void compute_hardy_weinberg(const Dataset& data, const Context& ctx, bool midp, const HardySink& sink);

}  // namespace genomap
