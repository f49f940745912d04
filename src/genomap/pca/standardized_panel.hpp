// Dense panels of standardized genotypes for BLAS work: a block of variants decoded into an N x B column-major
// matrix of (g - 2p) / sqrt(2p(1-p)), g the allele-1 dosage, 0 where the genotype is missing (mean
// imputation) or the variant is monomorphic (p = 0, 1 or undefined).
#pragma once
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct StandardizedPanel {
  const GenotypeBlock* block = nullptr;
  const double* values = nullptr;  // sample_ct x variant_ct, column-major (leading dimension sample_ct)
  std::size_t sample_ct = 0;
  std::size_t variant_ct = 0;
  std::size_t first_variant_idx = 0;
};

// Decodes one packed row into `out` (sample_ct values) given the allele-1 frequency.
void standardize_row(const std::uint64_t* row, std::size_t sample_ct, double allele1_frequency, double* out);

// Single-precision decoding for the randomized method: one 256-entry table (4 genotypes per packed byte) of
// allele-1 dosages and one of observed flags, shared by all variants; z = inv_sd * dosage - 2p * inv_sd *
// observed, so a missing genotype gives 0 and a monomorphic variant (inv_sd = 0) gives 0. Writes sample_ct
// values to `out`.
void standardize_row_float(const std::uint64_t* row, std::size_t sample_ct, double allele1_frequency, float* out);

// Variants per panel: about 32 MiB of doubles, between 64 and 2048 variants.
std::size_t panel_variants(std::size_t sample_ct);

// Streams the dataset through standardized panels (decoded in parallel over variants).
void for_each_standardized_panel(const Dataset& data, const std::vector<double>& allele1_frequencies,
                                 const Context& ctx, std::string_view phase,
                                 const std::function<void(const StandardizedPanel&)>& kernel);

}  // namespace genomap
