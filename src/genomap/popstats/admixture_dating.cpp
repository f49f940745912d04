#include "genomap/popstats/admixture_dating.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/popstats/jackknife.hpp"

namespace genomap {
namespace {

using Complex = std::complex<double>;

// In-place iterative radix-2 FFT (Cooley-Tukey); size a power of two. `inverse` uses exp(+i...) and no 1/N.
void fft(std::vector<Complex>& a, bool inverse) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double angle = 2 * std::numbers::pi / static_cast<double>(len) * (inverse ? 1 : -1);
    const Complex step(std::cos(angle), std::sin(angle));
    for (std::size_t start = 0; start < n; start += len) {
      Complex w(1, 0);
      for (std::size_t k = 0; k < len / 2; ++k) {
        const Complex even = a[start + k];
        const Complex odd = a[start + k + len / 2] * w;
        a[start + k] = even + odd;
        a[start + k + len / 2] = even - odd;
        // Recomputing the twiddle every 64 steps keeps the rounding of the running product small.
        w = (k + 1) % 64 == 0 ? Complex(std::cos(angle * static_cast<double>(k + 1)),
                                        std::sin(angle * static_cast<double>(k + 1)))
                              : w * step;
      }
    }
  }
}

struct AnalysedVariant {
  std::size_t variant_idx = 0;
  std::size_t chromosome = 0;  // index into Chromosome list
  std::size_t cell = 0;
};

struct ChromosomeSums {
  int chrom = 0;
  std::size_t cells = 0;
  double first_cm = 0;
  std::size_t variant_ct = 0;     // used (valid weight)
  std::vector<double> numerator;  // per lag: sum over pairs of w_x w_y cov(x, y)
  std::vector<double> pairs;      // per lag
};

struct Fit {
  double rate = 0, amplitude = 0, offset = 0, rss = 0;
  bool at_bound = false;
};

// Least squares of y = A exp(-n d) + c over the points; returns the rss for this n and sets A, c.
double fit_linear_part(double rate, const std::vector<double>& d, const std::vector<double>& y,
                       double& amplitude, double& offset) {
  const auto m = static_cast<double>(d.size());
  double sx = 0, sy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    sx += std::exp(-rate * d[i]);
    sy += y[i];
  }
  const double mx = sx / m, my = sy / m;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double x = std::exp(-rate * d[i]) - mx;
    sxx += x * x;
    sxy += x * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  amplitude = sxx > 0 ? sxy / sxx : 0;
  offset = my - amplitude * mx;
  return syy - amplitude * sxy;
}

constexpr double kMinRate = 0.5, kMaxRate = 5000;

Fit fit_decay(const std::vector<double>& d, const std::vector<double>& y) {
  Fit best;
  const int grid = 400;
  const double log_lo = std::log(kMinRate), log_hi = std::log(kMaxRate);
  auto rate_at = [&](int g) { return std::exp(log_lo + (log_hi - log_lo) * g / grid); };
  double best_rss = std::numeric_limits<double>::infinity();
  int best_g = 0;
  double a = 0, c = 0;
  for (int g = 0; g <= grid; ++g) {
    const double rss = fit_linear_part(rate_at(g), d, y, a, c);
    if (rss < best_rss) {
      best_rss = rss;
      best_g = g;
    }
  }
  best.at_bound = best_g == 0 || best_g == grid;
  // Golden-section search on log n between the neighbours of the best grid point.
  double lo = std::log(rate_at(std::max(0, best_g - 1))), hi = std::log(rate_at(std::min(grid, best_g + 1)));
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
  double f1 = fit_linear_part(std::exp(x1), d, y, a, c), f2 = fit_linear_part(std::exp(x2), d, y, a, c);
  for (int it = 0; it < 80 && hi - lo > 1e-10; ++it) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = fit_linear_part(std::exp(x1), d, y, a, c);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = fit_linear_part(std::exp(x2), d, y, a, c);
    }
  }
  best.rate = std::exp((lo + hi) / 2);
  best.rss = fit_linear_part(best.rate, d, y, best.amplitude, best.offset);
  return best;
}

// Weighted LD per lag from summed numerators and pair counts; the points of the fit range.
struct Curve {
  std::vector<double> ld, pairs;
  std::vector<double> fit_d, fit_y;  // Morgans, weighted LD
};

Curve make_curve(const std::vector<ChromosomeSums>& chroms, std::size_t left_out, std::size_t lag_ct,
                 const DatingOptions& o) {
  Curve curve;
  std::vector<double> numerator(lag_ct, 0.0);
  curve.pairs.assign(lag_ct, 0.0);
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    if (c == left_out) continue;
    for (std::size_t b = 0; b < lag_ct; ++b) {
      numerator[b] += chroms[c].numerator[b];
      curve.pairs[b] += chroms[c].pairs[b];
    }
  }
  curve.ld.assign(lag_ct, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t b = 1; b < lag_ct; ++b) {
    if (curve.pairs[b] <= 0) continue;
    curve.ld[b] = numerator[b] / curve.pairs[b];
    const double cm = static_cast<double>(b) * o.bin_cm;
    if (cm >= o.min_cm - 1e-9 && cm <= o.max_cm + 1e-9) {
      curve.fit_d.push_back(cm / 100);
      curve.fit_y.push_back(curve.ld[b]);
    }
  }
  return curve;
}

class DatingAccumulator {
 public:
  DatingAccumulator(std::size_t target_ct, std::size_t lag_ct) : target_ct_(target_ct), lag_ct_(lag_ct) {}

  void start(ChromosomeSums& sums) {
    grid_.assign(target_ct_ * sums.cells, 0.0);
    counts_.assign(sums.cells, 0.0);
  }
  double* row(std::size_t i, std::size_t cells) { return grid_.data() + i * cells; }
  void count(std::size_t cell) { counts_[cell] += 1; }

  // Autocorrelation of every sample's cell sums, summed over samples: two samples per complex FFT
  // (z = u_a + i u_b: |U_a(k)|^2 + |U_b(k)|^2 = (|Z(k)|^2 + |Z(N-k)|^2) / 2), spectra summed in fixed groups
  // so the result does not depend on the thread count, one inverse FFT.
  void finish(ChromosomeSums& sums, int threads) {
    const std::size_t cells = sums.cells;
    std::size_t n = 1;
    while (n < cells + lag_ct_) n <<= 1;
    const std::size_t pair_ct = (target_ct_ + 1) / 2;
    constexpr std::size_t kPairsPerGroup = 8;
    const std::size_t group_ct = (pair_ct + kPairsPerGroup - 1) / kPairsPerGroup;
    std::vector<std::vector<double>> spectra(group_ct, std::vector<double>(n, 0.0));
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (std::size_t g = 0; g < group_ct; ++g) {
      std::vector<Complex> z(n);
      std::vector<double>& s = spectra[g];
      for (std::size_t p = g * kPairsPerGroup; p < std::min(pair_ct, (g + 1) * kPairsPerGroup); ++p) {
        const std::size_t a = 2 * p, b = 2 * p + 1;
        std::fill(z.begin(), z.end(), Complex(0, 0));
        for (std::size_t c = 0; c < cells; ++c)
          z[c] = Complex(grid_[a * cells + c], b < target_ct_ ? grid_[b * cells + c] : 0.0);
        fft(z, false);
        for (std::size_t k = 0; k < n; ++k) s[k] += (std::norm(z[k]) + std::norm(z[(n - k) % n])) / 2;
      }
    }
    std::vector<Complex> total(n, Complex(0, 0));
    for (const auto& s : spectra)
      for (std::size_t k = 0; k < n; ++k) total[k] += s[k];
    fft(total, true);
    const double cov_scale = 1.0 / static_cast<double>(target_ct_ - 1);
    sums.numerator.assign(lag_ct_, 0.0);
    sums.pairs.assign(lag_ct_, 0.0);
    for (std::size_t b = 1; b < lag_ct_; ++b) {
      sums.numerator[b] = total[b].real() / static_cast<double>(n) * cov_scale;
      double pairs = 0;
      for (std::size_t c = 0; c + b < cells; ++c) pairs += counts_[c] * counts_[c + b];
      sums.pairs[b] = pairs;
    }
    grid_.clear();
    grid_.shrink_to_fit();
  }

 private:
  std::size_t target_ct_, lag_ct_;
  std::vector<double> grid_;    // target samples x cells
  std::vector<double> counts_;  // variants per cell
};

}  // namespace

DatingResult date_admixture(const Dataset& data, const PopulationAssignment& pops, const DatingOptions& o,
                            const Context& ctx) {
  const std::string& bim = data.store->bim_path();
  if (!(o.bin_cm > 0) || !(o.min_cm > 0) || !(o.max_cm > o.min_cm))
    throw UsageError(fmt::format("date: need 0 < --bin-cm, 0 < --min-cm < --max-cm (got {}, {}, {})",
                                 o.bin_cm, o.min_cm, o.max_cm));
  if (o.max_cm / o.bin_cm > 1e6) throw UsageError("date: --max-cm / --bin-cm exceeds 1,000,000 bins");
  if (o.sources.size() != (o.single_reference ? 1u : 2u))
    throw Error(o.single_reference ? "date: --single-reference takes one source (--sources A)"
                                   : "date: --sources takes two reference populations (A,B)");
  const std::string where = o.label_source.empty() ? std::string("date") : o.label_source;
  const std::uint32_t target = pops.index_of(o.target, where);
  std::vector<std::uint32_t> refs;
  for (const auto& s : o.sources) {
    refs.push_back(pops.index_of(s, where));
    if (refs.back() == target) throw UsageError(fmt::format("date: source '{}' is the target", s));
  }
  if (refs.size() == 2 && refs[0] == refs[1])
    throw UsageError("date: the two sources are the same population");
  DatingResult result;
  result.target_ct = pops.sizes[target];
  if (result.target_ct < kMinDatingTarget)
    throw Error(where, 0,
                fmt::format("target '{}' has {} analysed samples; dating needs at least {}", o.target,
                            result.target_ct, kMinDatingTarget));
  for (std::size_t r = 0; r < refs.size(); ++r) {
    result.reference_ct[r] = pops.sizes[refs[r]];
    if (result.reference_ct[r] < kMinDatingReference)
      throw Error(where, 0,
                  fmt::format("reference '{}' has {} analysed samples; dating needs at least {}",
                              o.sources[r], result.reference_ct[r], kMinDatingReference));
  }

  // Autosomal variants, their genetic positions, checked sorted; grid cell of each.
  auto cm_of = [&](const Variant& v) {
    return o.uniform_map_cm_per_mb > 0 ? static_cast<double>(v.pos) / 1e6 * o.uniform_map_cm_per_mb : v.cm;
  };
  std::vector<AnalysedVariant> analysed;
  std::vector<ChromosomeSums> chroms;
  bool any_cm = false;
  std::vector<char> seen(kChromMT + 1, 0);
  double previous_cm = 0;
  std::int64_t previous_pos = 0;
  for (std::size_t j = 0; j < data.variant_ct(); ++j) {
    const Variant& v = data.variant(j);
    if (!is_autosome(v.chrom_code)) continue;
    const double cm = cm_of(v);
    const std::size_t line = data.variant_uidx[j] + 1;
    if (!std::isfinite(cm) || cm < 0)
      throw Error(bim, line, fmt::format("genetic position '{}' is not valid", v.cm));
    if (cm != 0) any_cm = true;
    if (chroms.empty() || chroms.back().chrom != v.chrom_code) {
      if (seen[static_cast<std::size_t>(v.chrom_code)])
        throw Error(
            bim, line,
            fmt::format("chromosome {} appears again after another chromosome: the .bim is not sorted",
                        v.chrom));
      seen[static_cast<std::size_t>(v.chrom_code)] = 1;
      ChromosomeSums c;
      c.chrom = v.chrom_code;
      c.first_cm = cm;
      chroms.push_back(std::move(c));
    } else if (cm < previous_cm || v.pos < previous_pos) {
      throw Error(
          bim, line,
          fmt::format("positions decrease within chromosome {} ({} cM, {} bp after {} cM, {} bp): the "
                      ".bim is not sorted",
                      v.chrom, cm, v.pos, previous_cm, previous_pos));
    }
    previous_cm = cm;
    previous_pos = v.pos;
    ChromosomeSums& c = chroms.back();
    const auto cell = static_cast<std::size_t>(std::floor((cm - c.first_cm) / o.bin_cm));
    c.cells = std::max(c.cells, cell + 1);
    analysed.push_back(AnalysedVariant{j, chroms.size() - 1, cell});
  }
  if (analysed.empty()) throw Error(bim, 0, "no variants on chromosomes 1-22 to date admixture with");
  if (!any_cm)
    throw Error(
        bim, 0,
        "no genetic map positions (column 3 is 0 for every autosomal variant): add a genetic map to the "
        ".bim or give --uniform-map RATE (cM per Mb)");

  const auto lag_ct = static_cast<std::size_t>(std::floor(o.max_cm / o.bin_cm + 1e-9)) + 1;
  std::size_t max_cells = 0;
  for (const auto& c : chroms) max_cells = std::max(max_cells, c.cells);
  std::size_t fft_n = 1;
  while (fft_n < max_cells + lag_ct) fft_n <<= 1;
  const auto threads = static_cast<std::size_t>(std::max(1, ctx.threads));
  ctx.memory.require(result.target_ct * max_cells * 8 +
                         fft_n * (16 * threads + 8 * (result.target_ct / 16 + 2)) + data.sample_ct() * 8 * 2,
                     "weighted LD grid");

  // Samples of each population.
  std::vector<std::size_t> target_samples;
  std::vector<std::vector<std::size_t>> ref_samples(refs.size());
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const std::int32_t p = pops.pop_of_sample[i];
    if (p < 0) continue;
    if (static_cast<std::uint32_t>(p) == target) target_samples.push_back(i);
    for (std::size_t r = 0; r < refs.size(); ++r)
      if (static_cast<std::uint32_t>(p) == refs[r]) ref_samples[r].push_back(i);
  }

  DatingAccumulator acc(target_samples.size(), lag_ct);
  std::size_t next = 0;            // next entry of `analysed`
  std::size_t current = SIZE_MAX;  // chromosome being accumulated
  std::vector<double> dosage(data.sample_ct());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto mean_of = [&](const std::vector<std::size_t>& samples, std::size_t& called) {
    double sum = 0;
    called = 0;
    for (std::size_t i : samples)
      if (!std::isnan(dosage[i])) {
        sum += dosage[i];
        ++called;
      }
    return called ? sum / static_cast<double>(called) : 0.0;
  };
  const std::size_t block = default_block_variants(data, ctx);
  for_each_block(data, ctx, block, "date", [&](const GenotypeBlock& gb) {
    for (std::size_t r = 0; r < gb.variant_ct() && next < analysed.size(); ++r) {
      const std::size_t j = gb.first_variant_idx() + r;
      if (analysed[next].variant_idx != j) continue;
      const AnalysedVariant& av = analysed[next++];
      ChromosomeSums& c = chroms[av.chromosome];
      if (current != av.chromosome) {
        if (current != SIZE_MAX) acc.finish(chroms[current], static_cast<int>(threads));
        current = av.chromosome;
        acc.start(c);
      }
      decode_allele1_dosage(gb.row(r), gb.sample_ct(), nan, dosage.data());
      std::size_t called_t = 0, called_a = 0, called_b = 0;
      const double mean_t = mean_of(target_samples, called_t);
      const double p_a = mean_of(ref_samples[0], called_a) / 2;
      const double p_b = o.single_reference ? mean_t / 2 : mean_of(ref_samples[1], called_b) / 2;
      if (called_t < 2 || called_a == 0 || (!o.single_reference && called_b == 0)) continue;
      const double w = p_a - p_b;
      if (w == 0) continue;
      ++c.variant_ct;
      acc.count(av.cell);
      for (std::size_t t = 0; t < target_samples.size(); ++t) {
        const double g = dosage[target_samples[t]];
        if (!std::isnan(g)) acc.row(t, c.cells)[av.cell] += (g - mean_t) * w;
      }
    }
  });
  if (current != SIZE_MAX) acc.finish(chroms[current], static_cast<int>(threads));

  for (const auto& c : chroms) result.variant_ct += c.variant_ct;
  if (result.variant_ct < 2) throw Error(bim, 0, "fewer than two variants with calls and a non-zero weight");

  const Curve full = make_curve(chroms, SIZE_MAX, lag_ct, o);
  if (full.fit_d.size() < 3)
    throw Error(
        bim, 0,
        fmt::format("fewer than 3 distance bins with variant pairs between {} and {} cM: too few variants "
                    "or too short a map to fit the decay",
                    o.min_cm, o.max_cm));
  const Fit fit = fit_decay(full.fit_d, full.fit_y);
  result.generations = fit.rate;
  result.amplitude = fit.amplitude;
  result.offset = fit.offset;
  result.rate_at_bound = fit.at_bound;
  for (std::size_t b = 1; b < lag_ct; ++b) {
    DatingCurvePoint p;
    p.bin = b;
    p.distance_cm = static_cast<double>(b) * o.bin_cm;
    p.weighted_ld = full.ld[b];
    p.pairs = full.pairs[b];
    p.fitted = fit.amplitude * std::exp(-fit.rate * p.distance_cm / 100) + fit.offset;
    p.in_fit = p.pairs > 0 && p.distance_cm >= o.min_cm - 1e-9 && p.distance_cm <= o.max_cm + 1e-9;
    result.curve.push_back(p);
  }

  std::vector<double> loo_rate(chroms.size(), 0.0), loo_amp(chroms.size(), 0.0), weight(chroms.size(), 0.0);
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    if (chroms[c].variant_ct == 0) continue;
    const Curve curve = make_curve(chroms, c, lag_ct, o);
    if (curve.fit_d.size() < 3) continue;
    const Fit f = fit_decay(curve.fit_d, curve.fit_y);
    loo_rate[c] = f.rate;
    loo_amp[c] = f.amplitude;
    weight[c] = static_cast<double>(chroms[c].variant_ct);
    result.chromosomes.push_back(
        DatingLeaveOneOut{chroms[c].chrom, chroms[c].variant_ct, f.rate, f.amplitude});
  }
  result.generations_se = delete_one_jackknife(fit.rate, loo_rate, weight).se;
  result.amplitude_se = delete_one_jackknife(fit.amplitude, loo_amp, weight).se;
  result.amplitude_z = result.amplitude / result.amplitude_se;
  return result;
}

namespace {
std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : std::string("NA"); }
}  // namespace

void write_dating_summary(std::FILE* out, const DatingResult& r, const DatingOptions& o) {
  fmt::print(
      out,
      "TARGET\tSOURCES\tMODE\tGENERATIONS\tSE\tAMPLITUDE\tAMPLITUDE_SE\tAMPLITUDE_Z\tOFFSET\tN_TARGET\t"
      "VARIANTS\tCHROMOSOMES\tFIT_MIN_CM\tFIT_MAX_CM\tRATE_AT_BOUND\n");
  std::string sources;
  for (const auto& s : o.sources) sources += (sources.empty() ? "" : ",") + s;
  fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", o.target, sources,
             o.single_reference ? "one-reference" : "two-reference", number(r.generations),
             number(r.generations_se), number(r.amplitude), number(r.amplitude_se), number(r.amplitude_z),
             number(r.offset), r.target_ct, r.variant_ct, r.chromosomes.size(), number(o.min_cm),
             number(o.max_cm), r.rate_at_bound ? 1 : 0);
}

void write_dating_curve(std::FILE* out, const DatingResult& r) {
  fmt::print(out, "BIN\tDIST_CM\tWEIGHTED_LD\tFITTED\tRESIDUAL\tPAIRS\tIN_FIT\n");
  for (const auto& p : r.curve)
    fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{:.0f}\t{}\n", p.bin, number(p.distance_cm), number(p.weighted_ld),
               number(p.fitted), number(p.weighted_ld - p.fitted), p.pairs, p.in_fit ? 1 : 0);
}

void write_dating_jackknife(std::FILE* out, const DatingResult& r) {
  fmt::print(out, "LEFT_OUT_CHR\tVARIANTS\tGENERATIONS\tAMPLITUDE\n");
  for (const auto& c : r.chromosomes)
    fmt::print(out, "{}\t{}\t{}\t{}\n", c.chrom, c.variant_ct, number(c.generations), number(c.amplitude));
}

}  // namespace genomap
