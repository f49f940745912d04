// `genomap date` (ALDER-style weighted LD decay): the weighted LD curve equals a naive sum over variant
// pairs, dates of simulated pulses (genomap simulate --pulse) fall within 2 SE of the truth for 10-200
// generations and proportions 0.1-0.5 with both weightings, an unadmixed target shows no decay, the output is
// thread-invariant, and bad input (no genetic map, unsorted positions, too small a target) fails with one
// line and no files.
#include "genomap/popstats/admixture_dating.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "genomap/geno/genotype_store.hpp"
#include "genomap/geno/population_labels.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

std::string simulate_pulse(const std::string& dir, const std::string& pulse, const std::string& extra) {
  const std::string prefix = dir + "/sim";
  const CommandResult r = run_genomap("simulate --pulse " + pulse + " " + extra + " --quiet --out " + prefix);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return prefix;
}

// A whitespace-separated file without a header, as rows of fields.
Table read_table_headerless(const std::string& path) {
  Table t;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<std::string> f;
    std::string x;
    while (ss >> x) f.push_back(x);
    t.rows.push_back(f);
  }
  return t;
}

struct DateRow {
  double generations = 0, se = 0, amplitude = 0, z = 0;
  int at_bound = 0;
};

DateRow run_date(const std::string& prefix, const std::string& args) {
  const CommandResult r = run_genomap("date --bfile " + prefix + " --pop " + prefix + ".pop " + args +
                                      " --quiet --out " + prefix);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const Table t = read_table(prefix + ".date");
  EXPECT_EQ(t.rows.size(), 1u);
  if (t.rows.empty()) return {};
  return DateRow{t.number(0, "GENERATIONS"), t.number(0, "SE"), t.number(0, "AMPLITUDE"),
                 t.number(0, "AMPLITUDE_Z"), static_cast<int>(t.number(0, "RATE_AT_BOUND"))};
}

// The weighted LD of every bin against a direct sum over all pairs of variants of a small simulated set.
TEST(AdmixtureDating, CurveEqualsTheNaivePairSum) {
  const std::string dir = scratch_dir("dating_naive");
  const std::string prefix = simulate_pulse(
      dir, "ADM=A:0.3,B:0.7@30", "--n 13 --m 700 --chromosomes 2 --fst 0.2 --missing 0.02 --seed 4");
  auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(prefix));
  const Dataset data = Dataset::whole(store);
  const PopulationAssignment pops = read_population_labels(prefix + ".pop", data);
  DatingOptions o;
  o.target = "ADM";
  o.sources = {"A", "B"};
  o.bin_cm = 0.5;
  o.min_cm = 1;
  o.max_cm = 40;
  Context ctx;
  ctx.threads = 2;
  const DatingResult r = date_admixture(data, pops, o, ctx);

  // Naive: dosages with missing as NaN; population means over calls; u = (g - mean) w, 0 when missing.
  const std::size_t n = store->sample_ct(), m = store->variant_ct();
  std::vector<std::vector<double>> u(m, std::vector<double>(13, 0.0));
  std::vector<char> used(m, 0);
  for (std::size_t j = 0; j < m; ++j) {
    std::vector<double> g(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int code = (store->variant_row(j)[i / 4] >> (2 * (i % 4))) & 3;
      g[i] = code == 0 ? 2 : code == 2 ? 1 : code == 3 ? 0 : NAN;
    }
    double mean[3] = {0, 0, 0}, calls[3] = {0, 0, 0};
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(g[i])) {
        mean[i / 13] += g[i];
        calls[i / 13] += 1;
      }
    if (calls[0] == 0 || calls[1] == 0 || calls[2] < 2) continue;
    for (int p = 0; p < 3; ++p) mean[p] /= calls[p];
    const double w = (mean[0] - mean[1]) / 2;
    if (w == 0) continue;
    used[j] = 1;
    for (std::size_t t = 0; t < 13; ++t) u[j][t] = std::isnan(g[26 + t]) ? 0.0 : (g[26 + t] - mean[2]) * w;
  }
  const auto lags = static_cast<std::size_t>(o.max_cm / o.bin_cm) + 1;
  std::vector<double> numer(lags, 0.0), pairs(lags, 0.0);
  double first_cm = 0;
  std::vector<std::size_t> cell(m);
  for (std::size_t j = 0; j < m; ++j) {
    const Variant& v = store->variants()[j];
    if (j == 0 || v.chrom != store->variants()[j - 1].chrom) first_cm = v.cm;
    cell[j] = static_cast<std::size_t>(std::floor((v.cm - first_cm) / o.bin_cm));
  }
  for (std::size_t x = 0; x < m; ++x)
    for (std::size_t y = x + 1; y < m; ++y) {
      if (!used[x] || !used[y] || store->variants()[x].chrom != store->variants()[y].chrom) continue;
      const std::size_t b = cell[y] - cell[x];
      if (b == 0 || b >= lags) continue;
      double cov = 0;
      for (std::size_t t = 0; t < 13; ++t) cov += u[x][t] * u[y][t];
      numer[b] += cov / 12;
      pairs[b] += 1;
    }
  ASSERT_EQ(r.curve.size(), lags - 1);
  std::size_t compared = 0;
  for (const auto& p : r.curve) {
    ASSERT_EQ(p.pairs, pairs[p.bin]) << "bin " << p.bin;
    if (pairs[p.bin] == 0) continue;
    const double naive = numer[p.bin] / pairs[p.bin];
    EXPECT_NEAR(p.weighted_ld, naive, 1e-9 * std::max(1e-6, std::fabs(naive))) << "bin " << p.bin;
    ++compared;
  }
  EXPECT_GT(compared, 70u);
  std::size_t used_ct = 0;
  for (char c : used) used_ct += c;
  EXPECT_EQ(r.variant_ct, used_ct);
}

struct Pulse {
  double alpha;
  double generations;
};

// Dates of simulated pulses, two references: within 2 SE of the truth, with an SE small enough to mean it.
TEST(AdmixtureDating, TwoReferenceDatesMatchSimulatedPulses) {
  for (const Pulse p :
       {Pulse{0.1, 10}, Pulse{0.5, 20}, Pulse{0.3, 50}, Pulse{0.2, 100}, Pulse{0.4, 200}, Pulse{0.1, 200}}) {
    const std::string dir = scratch_dir("dating_two_ref");
    const std::string pulse = "ADM=A:" + std::to_string(p.alpha) + ",B:" + std::to_string(1 - p.alpha) + "@" +
                              std::to_string(static_cast<int>(p.generations));
    const std::string prefix = simulate_pulse(dir, pulse, "--n 50 --m 60000 --fst 0.2 --seed 7 --threads 2");
    const DateRow d = run_date(prefix, "--target ADM --sources A,B --threads 2");
    EXPECT_LE(std::fabs(d.generations - p.generations), 2 * d.se)
        << pulse << ": " << d.generations << " SE " << d.se;
    EXPECT_LT(d.se, 0.1 * p.generations) << pulse;
    EXPECT_GT(d.z, 10) << pulse;
    EXPECT_EQ(d.at_bound, 0) << pulse;
    const Table curve = read_table(prefix + ".date.curve");
    EXPECT_EQ(curve.rows.size(), 1000u);
    const Table jack = read_table(prefix + ".date.jackknife");
    EXPECT_EQ(jack.rows.size(), 22u);
  }
}

TEST(AdmixtureDating, OneReferenceDatesMatchSimulatedPulses) {
  for (const Pulse p : {Pulse{0.1, 10}, Pulse{0.3, 50}, Pulse{0.4, 200}}) {
    const std::string dir = scratch_dir("dating_one_ref");
    const std::string pulse = "ADM=A:" + std::to_string(p.alpha) + ",B:" + std::to_string(1 - p.alpha) + "@" +
                              std::to_string(static_cast<int>(p.generations));
    const std::string prefix = simulate_pulse(dir, pulse, "--n 50 --m 60000 --fst 0.2 --seed 8 --threads 2");
    const DateRow d = run_date(prefix, "--target ADM --sources A --single-reference --threads 2");
    EXPECT_LE(std::fabs(d.generations - p.generations), 2 * d.se)
        << pulse << ": " << d.generations << " SE " << d.se;
    EXPECT_LT(d.se, 0.1 * p.generations) << pulse;
    EXPECT_GT(d.z, 10) << pulse;
  }
}

// An unadmixed target (source B, dated with A and the admixed population as references) has no decay to fit:
// the amplitude is not significant. The files are identical for 1 and 2 threads.
TEST(AdmixtureDating, UnadmixedTargetShowsNoDecayAndThreadsDoNotMatter) {
  const std::string dir = scratch_dir("dating_null");
  const std::string prefix = simulate_pulse(dir, "ADM=A:0.3,B:0.7@30", "--n 50 --m 30000 --fst 0.2 --seed 9");
  const DateRow null_row = run_date(prefix, "--target B --sources A,ADM");
  EXPECT_LT(std::fabs(null_row.z), 3) << null_row.generations;
  const DateRow one = run_date(prefix, "--target ADM --sources A,B --threads 1");
  const std::string summary = read_text(prefix + ".date"), curve = read_text(prefix + ".date.curve");
  const DateRow two = run_date(prefix, "--target ADM --sources A,B --threads 2");
  EXPECT_EQ(summary, read_text(prefix + ".date"));
  EXPECT_EQ(curve, read_text(prefix + ".date.curve"));
  EXPECT_NEAR(one.generations, 30, 2 * one.se);
  EXPECT_EQ(one.generations, two.generations);
}

void rewrite_bim(const std::string& prefix,
                 const std::function<void(std::vector<std::string>&, std::size_t)>& edit) {
  std::istringstream in(read_text(prefix + ".bim"));
  std::string line, out;
  std::size_t row = 0;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<std::string> f;
    std::string x;
    while (ss >> x) f.push_back(x);
    edit(f, row++);
    for (std::size_t k = 0; k < f.size(); ++k) out += (k ? "\t" : "") + f[k];
    out += "\n";
  }
  write_text(prefix + ".bim", out);
}

// A non-uniform genetic map (cM growing with the square of the position along each chromosome): simulate
// --map recombines at the .bim's cM, the tracts switch at the rate the map implies, and date recovers the
// pulse with the .bim's map while a uniform map (the wrong one) gives a date far off.
TEST(AdmixtureDating, NonUniformMapFromTheBim) {
  const std::string dir = scratch_dir("dating_map");
  const std::string layout = simulate_pulse(dir, "ADM=A:0.5,B:0.5@5", "--n 1 --m 60000 --seed 1");
  std::map<std::string, double> chrom_bp;
  rewrite_bim(layout, [&](std::vector<std::string>& f, std::size_t) {
    chrom_bp[f[0]] = std::max(chrom_bp[f[0]], std::stod(f[3]));
  });
  rewrite_bim(layout, [&](std::vector<std::string>& f, std::size_t) {
    const double x = std::stod(f[3]) / chrom_bp[f[0]];
    f[2] = std::to_string(1.5 * chrom_bp[f[0]] / 1e6 * x * x);
  });
  const std::string map = dir + "/map.bim";
  write_text(map, read_text(layout + ".bim"));
  const std::string prefix = dir + "/nm";
  CommandResult r = run_genomap("simulate --pulse ADM=A:0.3,B:0.7@100 --n 50 --map " + map +
                                " --fst 0.2 --seed 3 --quiet --threads 2 --out " + prefix);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table in = read_table_headerless(map), out = read_table_headerless(prefix + ".bim");
  ASSERT_EQ(in.rows.size(), out.rows.size());
  for (std::size_t j = 0; j < in.rows.size(); j += 97) {
    EXPECT_EQ(in.rows[j][1], out.rows[j][1]);
    EXPECT_EQ(in.rows[j][3], out.rows[j][3]);
    EXPECT_NEAR(std::stod(in.rows[j][2]), std::stod(out.rows[j][2]), 1e-6);
  }
  // Switches between sources: rate 100 (1 - 0.3^2 - 0.7^2) per Morgan of the map's length.
  const Table tracts = read_table(prefix + ".tracts");
  double length = 0, switches = 0;
  for (std::size_t t = 0; t < tracts.rows.size(); ++t) {
    length += tracts.number(t, "END_CM") - tracts.number(t, "START_CM");
    if (t > 0 && tracts.text(t, "IID") == tracts.text(t - 1, "IID") &&
        tracts.text(t, "HAP") == tracts.text(t - 1, "HAP") &&
        tracts.text(t, "CHR") == tracts.text(t - 1, "CHR"))
      ++switches;
  }
  double map_length = 0;
  for (const auto& [chrom, bp] : chrom_bp) map_length += 1.5 * bp / 1e6;
  EXPECT_NEAR(length, 100 * map_length, 0.01 * map_length);
  EXPECT_NEAR(switches / (length / 100 * 100 * 0.42), 1.0, 0.02);

  const DateRow with_map = run_date(prefix, "--target ADM --sources A,B");
  EXPECT_LE(std::fabs(with_map.generations - 100), 2 * with_map.se)
      << with_map.generations << " SE " << with_map.se;
  EXPECT_LT(with_map.se, 10);
  const DateRow uniform = run_date(prefix, "--target ADM --sources A,B --uniform-map 1");
  EXPECT_GT(std::fabs(uniform.generations - 100), 5 * uniform.se)
      << uniform.generations << " SE " << uniform.se;
}

TEST(AdmixtureDating, BadInputFailsWithOneLineAndNoFiles) {
  const std::string dir = scratch_dir("dating_bad");
  const std::string prefix = simulate_pulse(dir, "ADM=A:0.3,B:0.7@30", "--n 20 --m 8000 --fst 0.2 --seed 2");
  const DateRow with_map = run_date(prefix, "--target ADM --sources A,B");
  auto fails = [&](const std::string& args, const std::string& expected) {
    const std::string out = dir + "/bad";
    const CommandResult r =
        run_genomap("date --bfile " + prefix + " --pop " + prefix + ".pop " + args + " --quiet --out " + out);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.output.find(expected), std::string::npos) << args << ": " << r.output;
    EXPECT_FALSE(std::ifstream(out + ".date").good()) << "no partial output";
  };
  // A target with too few samples: keep 4 of the ADM samples.
  std::string keep;
  for (int i = 1; i <= 20; ++i) keep += "A_" + std::to_string(i) + "\nB_" + std::to_string(i) + "\n";
  for (int i = 1; i <= 4; ++i) keep += "ADM_" + std::to_string(i) + "\n";
  write_text(dir + "/keep.txt", keep);
  fails("--target ADM --sources A,B --keep " + dir + "/keep.txt", "at least 5");
  fails("--target ADM --sources A,C", "unknown population 'C'");
  fails("--target ADM --sources A", "two reference populations");
  fails("--target ADM --sources A,B --min-cm 5 --max-cm 2", "--max-cm");

  // No genetic map: a clear error; --uniform-map 1 reproduces the simulated map (1 cM per Mb).
  rewrite_bim(prefix, [](std::vector<std::string>& f, std::size_t) { f[2] = "0"; });
  fails("--target ADM --sources A,B", "--uniform-map");
  const DateRow uniform = run_date(prefix, "--target ADM --sources A,B --uniform-map 1");
  EXPECT_NEAR(uniform.generations, with_map.generations, 1e-3 * with_map.generations);

  // Positions that decrease within a chromosome: the error names the .bim and the line.
  rewrite_bim(prefix, [](std::vector<std::string>& f, std::size_t row) {
    if (row == 99) f[3] = "1000";
  });
  fails("--target ADM --sources A,B --uniform-map 1", "sim.bim:100:");

  // A chromosome that comes back after another one.
  rewrite_bim(prefix, [](std::vector<std::string>& f, std::size_t row) {
    if (row == 99) f[3] = "35478593";
    if (row == 199) f[0] = "2";
  });
  fails("--target ADM --sources A,B --uniform-map 1", "sim.bim:201: chromosome 1 appears again");
}

}  // namespace
}  // namespace genomap::test
