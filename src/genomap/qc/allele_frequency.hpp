// Allele frequencies per variant (plink2 --freq, .afreq).
#pragma once
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/qc/ploidy.hpp"

namespace genomap {

// Genotype counts of every selected variant, in variant_idx order (all samples diploid).
std::vector<GenotypeCounts> count_all_genotypes(const Dataset& data, const Context& ctx);

// Ploidy-aware counts (see ploidy.hpp), one block at a time: `sink(first_variant_idx, counts)` is called for
// consecutive blocks in variant order, so memory does not grow with the number of variants.
using PloidyCountsSink = std::function<void(std::size_t first_variant_idx, std::span<const PloidyCounts> counts)>;
void count_alleles_by_ploidy(const Dataset& data, const Context& ctx, const PloidyCountsSink& sink);

}  // namespace genomap
