// Allele frequencies per variant (plink2 --freq, .afreq).
#pragma once
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/kernels.hpp"

namespace genomap {

// Genotype counts of every selected variant, in variant_idx order.
std::vector<GenotypeCounts> count_all_genotypes(const Dataset& data, const Context& ctx);

}  // namespace genomap
