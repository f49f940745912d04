#include "genomap/popstats/jackknife.hpp"

#include <cmath>
#include <limits>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

JackknifeEstimate ratio_jackknife(const std::vector<double>& numer, const std::vector<double>& denom,
                                  const std::vector<double>& weight) {
  JackknifeEstimate out;
  double total_numer = 0, total_denom = 0, total_weight = 0;
  for (std::size_t j = 0; j < numer.size(); ++j) {
    if (weight[j] <= 0) continue;
    total_numer += numer[j];
    total_denom += denom[j];
    total_weight += weight[j];
    ++out.block_ct;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.value = total_denom != 0 ? total_numer / total_denom : nan;
  out.jackknife = out.value;
  out.se = nan;
  if (out.block_ct < 2 || total_denom == 0) return out;
  // Busing et al. 1999, eq. 2 (estimate) and eq. 6 (variance) with h_j = total weight / block weight.
  double jack = 0;
  std::vector<double> left_out(numer.size(), 0.0);
  for (std::size_t j = 0; j < numer.size(); ++j) {
    if (weight[j] <= 0) continue;
    left_out[j] = (total_numer - numer[j]) / (total_denom - denom[j]);
    jack += (out.value - left_out[j]) + weight[j] * left_out[j] / total_weight;
  }
  double sum = 0;
  for (std::size_t j = 0; j < numer.size(); ++j) {
    if (weight[j] <= 0) continue;
    const double h = total_weight / weight[j];
    const double tau = h * out.value - (h - 1) * left_out[j];
    sum += (tau - jack) * (tau - jack) / (h - 1);
  }
  out.jackknife = jack;
  out.se = std::sqrt(sum / static_cast<double>(out.block_ct));
  return out;
}

JackknifeEstimate delete_one_jackknife(double full, const std::vector<double>& left_out,
                                       const std::vector<double>& weight) {
  JackknifeEstimate out;
  out.value = full;
  out.jackknife = full;
  out.se = std::numeric_limits<double>::quiet_NaN();
  double total_weight = 0;
  for (std::size_t j = 0; j < left_out.size(); ++j)
    if (weight[j] > 0) {
      total_weight += weight[j];
      ++out.block_ct;
    }
  if (out.block_ct < 2) return out;
  // Busing et al. 1999, eq. 2 and eq. 6, as in ratio_jackknife.
  double jack = 0;
  for (std::size_t j = 0; j < left_out.size(); ++j)
    if (weight[j] > 0) jack += (full - left_out[j]) + weight[j] * left_out[j] / total_weight;
  double sum = 0;
  for (std::size_t j = 0; j < left_out.size(); ++j) {
    if (weight[j] <= 0) continue;
    const double h = total_weight / weight[j];
    const double tau = h * full - (h - 1) * left_out[j];
    sum += (tau - jack) * (tau - jack) / (h - 1);
  }
  out.jackknife = jack;
  out.se = std::sqrt(sum / static_cast<double>(out.block_ct));
  return out;
}

BlockSpec parse_block_spec(const std::string& text, const BlockSpec& fallback) {
  if (text.empty()) return fallback;
  BlockSpec spec;
  std::string number = text;
  double scale = 0;
  auto ends_with = [&](const std::string& suffix) {
    if (number.size() > suffix.size() &&
        number.compare(number.size() - suffix.size(), suffix.size(), suffix) == 0) {
      number.resize(number.size() - suffix.size());
      return true;
    }
    return false;
  };
  if (ends_with("cM") || ends_with("cm"))
    scale = 0.01;
  else if (ends_with("morgan") || ends_with("M"))
    scale = 1.0;
  double value = 0;
  if (!parse_double(number, value) || !(value > 0))
    throw UsageError(
        "--block-size: expected a positive number of variants, or a distance such as 5cM or 0.05M (got '" +
        text + "')");
  if (scale > 0) {
    spec.genetic = true;
    spec.morgans = value * scale;
  } else {
    if (value != std::floor(value))
      throw UsageError("--block-size: a variant count must be a whole number (got '" + text + "')");
    spec.genetic = false;
    spec.variants = static_cast<std::size_t>(value);
  }
  return spec;
}

bool has_genetic_positions(const std::vector<Variant>& variants) {
  for (const auto& v : variants)
    if (v.cm != 0.0) return true;
  return false;
}

double genetic_unit_scale(const std::vector<Variant>& variants, const std::string& unit) {
  if (unit == "cm" || unit == "cM") return 0.01;
  if (unit == "morgan" || unit == "M") return 1.0;
  if (unit != "auto") throw UsageError("--genetic-unit: expected auto, cm or morgan (got '" + unit + "')");
  for (const auto& v : variants)
    if (v.cm > 100) return 0.01;
  return 1.0;
}

std::size_t assign_jackknife_blocks(const std::vector<Variant>& variants, const BlockSpec& spec,
                                    double morgans_per_unit, std::vector<std::uint32_t>& block_of_variant) {
  block_of_variant.assign(variants.size(), 0);
  std::size_t block = 0, in_block = 0;
  double block_start = 0;
  const std::string* chrom = nullptr;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const Variant& var = variants[v];
    const double pos = var.cm * morgans_per_unit;
    bool start = chrom == nullptr || *chrom != var.chrom;
    if (!start) start = spec.genetic ? pos - block_start >= spec.morgans : in_block >= spec.variants;
    if (start) {
      if (chrom != nullptr) ++block;
      chrom = &var.chrom;
      block_start = pos;
      in_block = 0;
    }
    block_of_variant[v] = static_cast<std::uint32_t>(block);
    ++in_block;
  }
  return variants.empty() ? 0 : block + 1;
}

}  // namespace genomap
