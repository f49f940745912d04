#include "genomap/sim/simulated_phenotype.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "genomap/core/error.hpp"
#include "genomap/sim/random_stream.hpp"

namespace genomap {
namespace {

constexpr std::uint64_t kCausalStream = 1;
constexpr std::uint64_t kPhenotypeStream = 2;

void mean_and_sd(const std::vector<double>& x, double& mean, double& sd) {
  mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  sd = x.size() > 1 ? std::sqrt(ss / static_cast<double>(x.size() - 1)) : 0.0;
}

}  // namespace

std::vector<CausalVariant> draw_causal_variants(const SimulationOptions& o) {
  RandomStream rng(o.seed, kCausalStream);
  // Floyd's algorithm: C distinct indices out of M without an M-sized table.
  std::unordered_set<std::size_t> chosen;
  std::vector<std::size_t> picked;
  for (std::size_t j = o.variant_ct - o.causal_ct; j < o.variant_ct; ++j) {
    const std::size_t t = rng.below(j + 1);
    const std::size_t pick = chosen.count(t) ? j : t;
    chosen.insert(pick);
    picked.push_back(pick);
  }
  std::sort(picked.begin(), picked.end());
  std::vector<CausalVariant> causal(picked.size());
  for (std::size_t c = 0; c < picked.size(); ++c) causal[c] = {picked[c], rng.normal()};
  return causal;
}

SimulatedPhenotype simulate_phenotype(const SimulationOptions& o, const SimulatedPedigree& pedigree,
                                      std::vector<double> raw_genetic_value, std::vector<CausalVariant>& effects) {
  const std::size_t n = raw_genetic_value.size();
  double g_mean, g_sd;
  mean_and_sd(raw_genetic_value, g_mean, g_sd);
  if (!(g_sd > 0)) throw Error("--causal: the causal variants do not vary among the samples; raise --causal or --n");
  const double scale = std::sqrt(o.h2) / g_sd;
  for (auto& c : effects) c.effect *= scale;

  std::vector<double> q1(n);
  for (std::size_t i = 0; i < n; ++i) q1[i] = pedigree.q(pedigree.output_member[i])[0];
  double q_mean, q_sd;
  mean_and_sd(q1, q_mean, q_sd);

  SimulatedPhenotype ph;
  ph.genetic_value.resize(n);
  ph.quantitative.resize(n);
  RandomStream rng(o.seed, kPhenotypeStream);
  const double noise_sd = std::sqrt(std::max(0.0, 1.0 - o.h2));
  for (std::size_t i = 0; i < n; ++i) {
    ph.genetic_value[i] = (raw_genetic_value[i] - g_mean) * scale;
    const double ancestry_term = q_sd > 0 ? o.confound * (q1[i] - q_mean) / q_sd : 0.0;
    ph.quantitative[i] = ph.genetic_value[i] + ancestry_term + noise_sd * rng.normal();
  }
  // Liability threshold: the top `prevalence` share are cases (ties broken by sample order).
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return ph.quantitative[a] > ph.quantitative[b]; });
  const auto cases = static_cast<std::size_t>(std::llround(o.prevalence * static_cast<double>(n)));
  ph.binary.assign(n, 1);
  for (std::size_t r = 0; r < cases; ++r) ph.binary[order[r]] = 2;
  return ph;
}

}  // namespace genomap
