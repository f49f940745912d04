#include "genomap/popstats/fstats.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/popstats/jackknife.hpp"

namespace genomap {

std::size_t population_count(StatisticKind kind) {
  switch (kind) {
    case StatisticKind::F2:
      return 2;
    case StatisticKind::F3:
      return 3;
    case StatisticKind::F4Ratio:
      return 8;
    default:
      return 4;
  }
}

const char* statistic_name(StatisticKind kind) {
  switch (kind) {
    case StatisticKind::F2:
      return "f2";
    case StatisticKind::F3:
      return "f3";
    case StatisticKind::F4:
      return "f4";
    case StatisticKind::F4Ratio:
      return "f4ratio";
    default:
      return "D";
  }
}

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

StatisticRequest make_request(StatisticKind kind, const std::vector<std::string>& names,
                              const PopulationAssignment& pops, const std::string& where) {
  StatisticRequest r;
  r.kind = kind;
  for (std::size_t i = 0; i < names.size(); ++i) {
    r.pops[i] = pops.index_of(names[i], where);
    for (std::size_t j = i / 4 * 4; j < i; ++j)  // distinct within a quartet (f4 ratio: two quartets)
      if (r.pops[j] == r.pops[i])
        throw Error(fmt::format("{}: population '{}' appears twice in one {} statistic", where, names[i],
                                statistic_name(kind)));
  }
  return r;
}

}  // namespace

StatisticRequest parse_statistic(StatisticKind kind, const std::string& text,
                                 const PopulationAssignment& pops, const std::string& where) {
  if (kind == StatisticKind::F4Ratio) {
    const auto parts = split_on(text, '/');
    StatisticRequest num, den;
    try {
      if (parts.size() != 2) throw Error("");
      num = parse_statistic(StatisticKind::F4, std::string(parts[0]), pops, where);
      den = parse_statistic(StatisticKind::F4, std::string(parts[1]), pops, where);
    } catch (const Error& e) {
      if (std::string(e.what()).find("unknown population") != std::string::npos ||
          std::string(e.what()).find("appears twice") != std::string::npos)
        throw;
      throw Error(fmt::format("{}: cannot read '{}' as f4ratio (expected \"A,B;C,D/E,F;G,H\")", where, text));
    }
    StatisticRequest r;
    r.kind = kind;
    for (std::size_t i = 0; i < 4; ++i) r.pops[i] = num.pops[i], r.pops[4 + i] = den.pops[i];
    return r;
  }
  const auto halves = split_on(text, ';');
  std::vector<std::string> names;
  bool ok = halves.size() == 2;
  if (ok) {
    for (auto part : halves) {
      for (auto name : split_on(part, ',')) names.push_back(trim(name));
    }
    const std::size_t left = split_on(halves[0], ',').size();
    ok = names.size() == population_count(kind) && left == (kind == StatisticKind::F3 ? 1u : 2u);
    for (const auto& n : names) ok = ok && !n.empty();
  }
  if (!ok)
    throw Error(fmt::format("{}: cannot read '{}' as {} (expected {})", where, text, statistic_name(kind),
                            kind == StatisticKind::F3 ? "\"C;A,B\"" : "\"A,B;C,D\""));
  return make_request(kind, names, pops, where);
}

std::vector<StatisticRequest> read_statistic_file(StatisticKind kind, const std::string& path,
                                                  const PopulationAssignment& pops) {
  LineReader reader(path);
  std::string line;
  std::vector<StatisticRequest> out;
  const std::size_t k = population_count(kind);
  while (reader.next(line)) {
    auto fields = split_whitespace(line);
    if (fields.empty() || fields[0].front() == '#') continue;
    if (kind == StatisticKind::F4Ratio) {
      // qpF4ratio: "A O : X C :: A O : B C"
      const bool layout = fields.size() == 11 && fields[2] == ":" && fields[5] == "::" && fields[8] == ":";
      if (!layout) reader.fail("expected 'A O : X C :: A O : B C' (qpF4ratio list layout)");
      fields = {fields[0], fields[1], fields[3], fields[4], fields[6], fields[7], fields[9], fields[10]};
    }
    if (fields.size() != k)
      reader.fail(fmt::format("expected {} population names, found {}", k, fields.size()));
    std::vector<std::string> names(fields.begin(), fields.end());
    if (kind == StatisticKind::F3) names = {names[2], names[0], names[1]};  // qp3Pop: source1 source2 target
    try {
      out.push_back(make_request(kind, names, pops, fmt::format("{}:{}", path, reader.line_number())));
    } catch (const Error& e) {
      throw Error(e.what());
    }
  }
  return out;
}

namespace {

// What every statistic needs of one population at one variant.
struct PopulationFrequency {
  double p = 0;  // allele-1 frequency
  double n = 0;  // called alleles
  double h = 0;  // unbiased estimate of p(1-p): x(n-x)/(n(n-1))
};

// Numerator, denominator and "counts as polymorphic" of one statistic at one variant; false when undefined.
bool statistic_term(const StatisticRequest& r, const PopulationFrequency* f, bool qp_compat, double& numer,
                    double& denom, bool& polymorphic) {
  const std::size_t k = population_count(r.kind);
  const std::size_t min_alleles =
      (r.kind == StatisticKind::F4 || r.kind == StatisticKind::D || r.kind == StatisticKind::F4Ratio) ? 1 : 2;
  for (std::size_t i = 0; i < k; ++i)
    if (f[r.pops[i]].n < static_cast<double>(min_alleles)) return false;
  const auto& a = f[r.pops[0]];
  const auto& b = f[r.pops[1]];
  polymorphic = true;
  switch (r.kind) {
    case StatisticKind::F2:
      numer = (a.p - b.p) * (a.p - b.p) - a.h / a.n - b.h / b.n;
      denom = 1;
      break;
    case StatisticKind::F3: {
      const auto& c = f[r.pops[2]];  // a is the target C here
      numer = (a.p - b.p) * (a.p - c.p) - a.h / a.n;
      denom = qp_compat ? 2 * a.h : 1;
      // qp3Pop counts a variant when the mean frequency of the three populations is inside (1e-4, 1 - 1e-4).
      const double mean = (a.p + b.p + c.p) / 3;
      polymorphic = mean >= 1e-4 && mean <= 1 - 1e-4;
      break;
    }
    case StatisticKind::F4Ratio: {
      const auto* q = r.pops.data();
      numer = (f[q[0]].p - f[q[1]].p) * (f[q[2]].p - f[q[3]].p);
      denom = (f[q[4]].p - f[q[5]].p) * (f[q[6]].p - f[q[7]].p);
      break;
    }
    case StatisticKind::F4:
    case StatisticKind::D: {
      const auto& c = f[r.pops[2]];
      const auto& d = f[r.pops[3]];
      numer = (a.p - b.p) * (c.p - d.p);
      denom = r.kind == StatisticKind::F4 ? 1 : (a.p + b.p - 2 * a.p * b.p) * (c.p + d.p - 2 * c.p * d.p);
      break;
    }
  }
  return true;
}

// Per-block sums of one statistic.
struct BlockSums {
  std::vector<double> numer, denom, weight;
  std::size_t polymorphic = 0;
  explicit BlockSums(std::size_t blocks) : numer(blocks, 0.0), denom(blocks, 0.0), weight(blocks, 0.0) {}
};

StatisticResult finish(const StatisticRequest& r, const BlockSums& s, bool qp_compat) {
  StatisticResult out;
  out.request = r;
  const JackknifeEstimate est = ratio_jackknife(s.numer, s.denom, s.weight);
  out.value = qp_compat ? est.jackknife : est.value;
  out.se = est.se;
  out.z = out.value / out.se;
  out.snp_ct = s.polymorphic;
  out.block_ct = est.block_ct;
  return out;
}

}  // namespace

FstatsResult compute_fstats(const PopulationData& data, const std::vector<std::uint32_t>& block_of_variant,
                            std::size_t block_ct, const std::vector<StatisticRequest>& requests,
                            const FstatsOptions& options, const Context& ctx,
                            const FstatsSumCombiner& combine) {
  const std::size_t pop_ct = data.populations.pop_ct();
  std::vector<StatisticRequest> all;
  for (std::uint32_t i = 0; i < pop_ct; ++i)
    for (std::uint32_t j = i + 1; j < pop_ct; ++j) {
      StatisticRequest r;
      r.kind = StatisticKind::F2;
      r.pops = {i, j, 0, 0};
      all.push_back(r);
    }
  const std::size_t f2_ct = all.size();
  all.insert(all.end(), requests.begin(), requests.end());
  std::vector<BlockSums> sums(all.size(), BlockSums(block_ct));
  std::vector<PopulationFrequency> freq;
  std::size_t no_call = 0;

  data.pass([&](const PopulationCounts& c) {
    freq.assign(c.variant_ct * pop_ct, {});
    for (std::size_t v = 0; v < c.variant_ct; ++v) {
      std::uint64_t any = 0;
      for (std::size_t p = 0; p < pop_ct; ++p) {
        const std::size_t k = c.at(v, p);
        any += c.called[k];
        PopulationFrequency& f = freq[k];
        f.n = c.alleles(k);
        if (f.n == 0) continue;
        const double x = c.allele1[k];
        f.p = x / f.n;
        f.h = f.n > 1 ? x * (f.n - x) / (f.n * (f.n - 1)) : 0.0;
      }
      if (any == 0) ++no_call;
    }
    const auto n_stats = static_cast<std::ptrdiff_t>(all.size());
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 8) if (all.size() > 1)
    for (std::ptrdiff_t is = 0; is < n_stats; ++is) {
      const auto s = static_cast<std::size_t>(is);
      BlockSums& bs = sums[s];
      for (std::size_t v = 0; v < c.variant_ct; ++v) {
        double numer = 0, denom = 0;
        bool polymorphic = false;
        if (!statistic_term(all[s], &freq[v * pop_ct], options.qp_compat, numer, denom, polymorphic))
          continue;
        const std::uint32_t b = block_of_variant[c.first_variant + v];
        bs.numer[b] += numer;
        bs.denom[b] += denom;
        bs.weight[b] += 1;
        bs.polymorphic += polymorphic;
      }
    }
  });

  if (combine) {
    // Every sum and count in one vector (the counts as doubles: exact below 2^53).
    std::vector<double> flat;
    flat.reserve(sums.size() * (3 * block_ct + 1) + 1);
    for (const BlockSums& bs : sums) {
      flat.insert(flat.end(), bs.numer.begin(), bs.numer.end());
      flat.insert(flat.end(), bs.denom.begin(), bs.denom.end());
      flat.insert(flat.end(), bs.weight.begin(), bs.weight.end());
      flat.push_back(static_cast<double>(bs.polymorphic));
    }
    flat.push_back(static_cast<double>(no_call));
    combine(flat);
    const double* at = flat.data();
    for (BlockSums& bs : sums) {
      for (auto* v : {&bs.numer, &bs.denom, &bs.weight}) {
        std::copy(at, at + block_ct, v->begin());
        at += block_ct;
      }
      bs.polymorphic = static_cast<std::size_t>(*at++);
    }
    no_call = static_cast<std::size_t>(*at);
  }

  FstatsResult result;
  result.no_call_variant_ct = no_call;
  result.block_ct = block_ct;
  result.f2_block_sum.reserve(f2_ct * block_ct);
  result.f2_block_snps.reserve(f2_ct * block_ct);
  for (std::size_t s = 0; s < all.size(); ++s) {
    StatisticResult r = finish(all[s], sums[s], options.qp_compat);
    if (s < f2_ct) {
      result.f2.push_back(r);
      result.f2_block_sum.insert(result.f2_block_sum.end(), sums[s].numer.begin(), sums[s].numer.end());
      result.f2_block_snps.insert(result.f2_block_snps.end(), sums[s].weight.begin(), sums[s].weight.end());
    } else {
      result.requested.push_back(r);
    }
  }
  return result;
}

}  // namespace genomap
