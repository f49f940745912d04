#include "genomap/sim/simulation_options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"

namespace genomap {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

RelatedPlan parse_related_plan(const std::string& text) {
  RelatedPlan plan;
  for (std::string_view item : split(text, ',')) {
    const std::size_t colon = item.find(':');
    if (colon == std::string_view::npos)
      throw UsageError(fmt::format("--related: '{}' is not KIND:COUNT (kinds dup, po, fs, d2, d3)", item));
    const std::string_view kind = item.substr(0, colon);
    const std::string_view count_text = item.substr(colon + 1);
    std::size_t count = 0;
    auto [end, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (ec != std::errc() || end != count_text.data() + count_text.size() || count_text.empty())
      throw UsageError(fmt::format("--related: count '{}' of '{}' is not a non-negative integer", count_text, kind));
    std::size_t* slot = kind == "dup"  ? &plan.duplicate
                        : kind == "po" ? &plan.parent_offspring
                        : kind == "fs" ? &plan.full_sibling
                        : kind == "d2" ? &plan.second_degree
                        : kind == "d3" ? &plan.third_degree
                                       : nullptr;
    if (!slot) throw UsageError(fmt::format("--related: unknown relationship '{}' (use dup, po, fs, d2, d3)", kind));
    *slot += count;
  }
  return plan;
}

std::vector<double> parse_alpha(const std::string& text, std::size_t k) {
  std::vector<double> alpha;
  for (std::string_view item : split(text, ',')) {
    double value = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (ec != std::errc() || end != item.data() + item.size() || item.empty() || !(value > 0) ||
        !std::isfinite(value))
      throw UsageError(fmt::format("--alpha: '{}' is not a positive number", item));
    alpha.push_back(value);
  }
  if (alpha.size() == 1) alpha.assign(k, alpha[0]);
  if (alpha.size() != k) throw UsageError(fmt::format("--alpha: {} values given for --k {}", alpha.size(), k));
  return alpha;
}

void validate(const SimulationOptions& o) {
  if (o.sample_ct == 0) throw UsageError("--n must be at least 1");
  if (o.variant_ct == 0) throw UsageError("--m must be at least 1");
  if (o.k < 1) throw UsageError("--k must be at least 1");
  if (!(o.fst > 0 && o.fst < 1)) throw UsageError(fmt::format("--fst must lie strictly between 0 and 1 (got {})", o.fst));
  if (o.alpha.size() != o.k) throw UsageError(fmt::format("--alpha: {} values for --k {}", o.alpha.size(), o.k));
  if (!(o.missing >= 0 && o.missing < 1)) throw UsageError(fmt::format("--missing must lie in [0, 1) (got {})", o.missing));
  if (o.chromosome_ct < 1 || o.chromosome_ct > 22) throw UsageError("--chromosomes must lie in 1..22");
  const std::size_t related_samples = 2 * o.related.pair_ct();
  if (related_samples > o.sample_ct)
    throw UsageError(fmt::format("--related plants {} samples in pairs but --n is {}", related_samples, o.sample_ct));
  if (o.ld_block < 1) throw UsageError("--ld-block must be at least 1");
  if (!(o.ld_r2 >= 0 && o.ld_r2 <= 1)) throw UsageError(fmt::format("--ld-r2 must lie in [0, 1] (got {})", o.ld_r2));
  if (o.causal_ct > o.variant_ct) throw UsageError(fmt::format("--causal {} exceeds --m {}", o.causal_ct, o.variant_ct));
  if (!(o.h2 > 0 && o.h2 <= 1)) throw UsageError(fmt::format("--h2 must lie in (0, 1] (got {})", o.h2));
  if (!std::isfinite(o.confound)) throw UsageError("--confound must be a finite number");
  if (!(o.prevalence > 0 && o.prevalence < 1))
    throw UsageError(fmt::format("--prevalence must lie strictly between 0 and 1 (got {})", o.prevalence));
}

}  // namespace genomap
