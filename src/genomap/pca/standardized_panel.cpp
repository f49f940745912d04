#include "genomap/pca/standardized_panel.hpp"

#include <algorithm>
#include <cmath>

#include "genomap/geno/kernels.hpp"

namespace genomap {

void standardize_row(const std::uint64_t* row, std::size_t sample_ct, double p, double* out) {
  double table[4] = {0.0, 0.0, 0.0, 0.0};  // by .bed code: hom allele 1, missing, het, hom allele 2
  if (p > 0.0 && p < 1.0) {
    const double inv_sd = 1.0 / std::sqrt(2.0 * p * (1.0 - p));
    table[0] = (2.0 - 2.0 * p) * inv_sd;
    table[2] = (1.0 - 2.0 * p) * inv_sd;
    table[3] = -2.0 * p * inv_sd;
  }
  const std::size_t full_words = sample_ct / 32;
  for (std::size_t w = 0; w < full_words; ++w) {
    std::uint64_t bits = row[w];
    double* o = out + w * 32;
    for (int k = 0; k < 32; ++k, bits >>= 2) o[k] = table[bits & 3u];
  }
  std::uint64_t bits = full_words * 32 < sample_ct ? row[full_words] : 0;
  for (std::size_t i = full_words * 32; i < sample_ct; ++i, bits >>= 2) out[i] = table[bits & 3u];
}

namespace {

struct ByteTables {
  alignas(16) float dosage[256][4];
  alignas(16) float observed[256][4];
  ByteTables() {
    constexpr float kDosage[4] = {2.0f, 0.0f, 1.0f, 0.0f};  // by .bed code; missing (01) gives 0
    constexpr float kObserved[4] = {1.0f, 0.0f, 1.0f, 1.0f};
    for (unsigned b = 0; b < 256; ++b)
      for (unsigned k = 0; k < 4; ++k) {
        dosage[b][k] = kDosage[(b >> (2 * k)) & 3u];
        observed[b][k] = kObserved[(b >> (2 * k)) & 3u];
      }
  }
};

const ByteTables kTables;

}  // namespace

void standardize_row_float(const std::uint64_t* row, std::size_t sample_ct, double p, float* out) {
  float scale = 0.0f, shift = 0.0f;
  if (p > 0.0 && p < 1.0) {
    const double inv_sd = 1.0 / std::sqrt(2.0 * p * (1.0 - p));
    scale = static_cast<float>(inv_sd);
    shift = static_cast<float>(2.0 * p * inv_sd);
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(row);
  const std::size_t full = sample_ct / 4;
  for (std::size_t j = 0; j < full; ++j) {
    const float* d = kTables.dosage[bytes[j]];
    const float* o = kTables.observed[bytes[j]];
    float* z = out + 4 * j;
    for (int k = 0; k < 4; ++k) z[k] = scale * d[k] - shift * o[k];
  }
  if (full * 4 < sample_ct) {
    const float* d = kTables.dosage[bytes[full]];
    const float* o = kTables.observed[bytes[full]];
    for (std::size_t i = full * 4; i < sample_ct; ++i) out[i] = scale * d[i - full * 4] - shift * o[i - full * 4];
  }
}

std::size_t panel_variants(std::size_t sample_ct) {
  const std::size_t target = (std::size_t{32} << 20) / (8 * std::max<std::size_t>(1, sample_ct));
  return std::clamp<std::size_t>(target, 64, 2048);
}

void for_each_standardized_panel(const Dataset& data, const std::vector<double>& freq, const Context& ctx,
                                 std::string_view phase,
                                 const std::function<void(const StandardizedPanel&)>& kernel) {
  const std::size_t n = data.sample_ct();
  const std::size_t block_variants = panel_variants(n);
  std::vector<double> values(n * block_variants);
  for_each_block(data, ctx, block_variants, phase, [&](const GenotypeBlock& b) {
    const auto count = static_cast<std::ptrdiff_t>(b.variant_ct());
#pragma omp parallel for num_threads(ctx.threads) schedule(static)
    for (std::ptrdiff_t j = 0; j < count; ++j) {
      const auto k = static_cast<std::size_t>(j);
      standardize_row(b.row(k), n, freq[b.first_variant_idx() + k], values.data() + k * n);
    }
    StandardizedPanel panel{&b, values.data(), n, b.variant_ct(), b.first_variant_idx()};
    kernel(panel);
  });
}

}  // namespace genomap
