// Missing call counts per sample and per variant (plink2 --missing: .smiss and .vmiss). As plink2 does, chrY
// genotypes of samples that are not male are left out of both counts; heterozygous haploid calls are not
// counted as missing here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct VariantMissingness {
  std::uint32_t missing_ct = 0;
  std::uint32_t obs_ct = 0;  // samples the variant is reported over
};

struct SampleMissingness {
  std::vector<std::uint32_t> missing_ct;  // per selected sample
  std::vector<std::uint32_t> obs_ct;
};

using VariantMissingnessSink =
    std::function<void(std::size_t first_variant_idx, std::span<const VariantMissingness> rows)>;

// One pass over the data: per-variant rows go to `variant_sink` block by block (in variant order); per-sample
// counts, accumulated with vertical bit counters in parallel over samples, are returned.
SampleMissingness compute_missingness(const Dataset& data, const Context& ctx,
                                      const VariantMissingnessSink& variant_sink);

}  // namespace genomap
