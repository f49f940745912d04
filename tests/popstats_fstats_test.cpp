// genomap fstats: the per-population genotype counting kernel and f2/f3/f4/D with their block jackknife
// against naive loops on hand-made populations, ADMIXTOOLS' expected outputs on panel 7, PLINK vs EIGENSTRAT
// (packed and text) input, simulated admixture and tree-like data, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "genomap/geno/bed_writer.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/popstats/population_counts.hpp"
#include "test_support.hpp"

namespace genomap {
namespace {

using test::data_path;
using test::read_table;
using test::run_genomap;
using test::scratch_dir;

// A genotype matrix: dosage of allele 1 (0, 1, 2) or -1 for missing, [variant][sample].
struct Genotypes {
  std::vector<std::vector<int>> dosage;
  std::vector<std::string> pop_of_sample;
  std::vector<std::string> chrom;  // per variant
};

void write_plink(const std::string& prefix, const Genotypes& g) {
  std::vector<Sample> samples;
  for (std::size_t i = 0; i < g.pop_of_sample.size(); ++i)
    samples.push_back(Sample{"F" + std::to_string(i), "S" + std::to_string(i)});
  SampleTable table(samples);
  {
    OutputSet outputs(prefix);
    BedWriter writer(outputs, table);
    std::vector<std::uint8_t> codes(samples.size());
    for (std::size_t v = 0; v < g.dosage.size(); ++v) {
      for (std::size_t i = 0; i < samples.size(); ++i)
        codes[i] = bed_code_from_allele1_dosage(g.dosage[v][i]);
      Variant var;
      var.chrom = g.chrom.empty() ? "1" : g.chrom[v];
      var.id = "v" + std::to_string(v);
      var.pos = static_cast<std::int64_t>(1000 * (v + 1));
      var.allele1 = "A";
      var.allele2 = "G";
      writer.add_variant(var, codes.data());
    }
    outputs.commit_all();
  }
  std::ofstream pop(prefix + ".pop");
  pop << "#FID IID POP\n";
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (!g.pop_of_sample[i].empty())
      pop << samples[i].fid << ' ' << samples[i].iid << ' ' << g.pop_of_sample[i] << '\n';
}

// Rows of an fstats output keyed by "STAT(POP1,POP2,POP3,POP4)".
std::map<std::string, std::map<std::string, double>> read_stats(const std::string& path) {
  std::map<std::string, std::map<std::string, double>> out;
  auto t = read_table(path);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string key = t.text(i, "STATISTIC") + "(" + t.text(i, "POP1") + "," + t.text(i, "POP2") + "," +
                            t.text(i, "POP3") + "," + t.text(i, "POP4") + ")";
    for (const char* col : {"VALUE", "SE", "Z", "N_SNPS", "N_BLOCKS"}) out[key][col] = t.number(i, col);
  }
  return out;
}

// ---- counting kernel ----

TEST(PopstatsFstats, PopulationCountsMatchNaiveLoop) {
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 5u, 33u, 67u, 130u}) {
    const std::string dir = scratch_dir("popstats_counts_" + std::to_string(n));
    Genotypes g;
    std::uniform_int_distribution<int> geno(-1, 2), pop(-1, 3);
    std::vector<std::int32_t> pop_of(n);
    for (std::size_t i = 0; i < n; ++i) {
      pop_of[i] = pop(rng);
      // Appended rather than "P" + ...: GCC 12 -O3 warns falsely (-Wrestrict) on that concatenation here.
      std::string label;
      if (pop_of[i] >= 0) label.append("P").append(std::to_string(pop_of[i]));
      g.pop_of_sample.push_back(label);
    }
    for (std::size_t v = 0; v < 37; ++v) {
      g.dosage.emplace_back(n);
      for (auto& d : g.dosage.back()) d = geno(rng);
    }
    write_plink(dir + "/x", g);
    auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(dir + "/x"));
    Dataset data = Dataset::whole(store);
    Context ctx;
    ctx.threads = 2;
    PopulationCounts counts;
    for_each_block(data, ctx, 10, "test", [&](const GenotypeBlock& block) {
      count_block_by_population(block, pop_of, 4, counts, 2);
      for (std::size_t v = 0; v < block.variant_ct(); ++v)
        for (std::size_t p = 0; p < 4; ++p) {
          std::uint32_t called = 0, het = 0, x = 0;
          for (std::size_t i = 0; i < n; ++i) {
            const int d = g.dosage[block.first_variant_idx() + v][i];
            if (pop_of[i] != static_cast<std::int32_t>(p) || d < 0) continue;
            ++called;
            het += d == 1;
            x += static_cast<std::uint32_t>(d);
          }
          const std::size_t k = counts.at(v, p);
          EXPECT_EQ(counts.called[k], called);
          EXPECT_EQ(counts.het[k], het);
          EXPECT_EQ(counts.allele1[k], x);
        }
    });
  }
}

// ---- formulas on hand-made populations ----

struct NaiveFrequency {
  double p, n, h;
};

NaiveFrequency naive_frequency(const Genotypes& g, std::size_t v, const std::string& pop) {
  double x = 0, n = 0;
  for (std::size_t i = 0; i < g.pop_of_sample.size(); ++i) {
    if (g.pop_of_sample[i] != pop || g.dosage[v][i] < 0) continue;
    x += g.dosage[v][i];
    n += 2;
  }
  return {x / n, n, x * (n - x) / (n * (n - 1))};
}

double naive_f2(const Genotypes& g, std::size_t v, const std::string& a, const std::string& b) {
  const auto fa = naive_frequency(g, v, a), fb = naive_frequency(g, v, b);
  return (fa.p - fb.p) * (fa.p - fb.p) - fa.h / fa.n - fb.h / fb.n;
}

// The classic delete-one-block jackknife of sum(numer)/sum(denom) for blocks of equal size.
void naive_jackknife(const std::vector<double>& numer, const std::vector<double>& denom, double& value,
                     double& se, double& jack) {
  double n = 0, d = 0;
  for (std::size_t j = 0; j < numer.size(); ++j) n += numer[j], d += denom[j];
  value = n / d;
  const double g = static_cast<double>(numer.size());
  std::vector<double> left;
  double mean = 0;
  for (std::size_t j = 0; j < numer.size(); ++j) {
    left.push_back((n - numer[j]) / (d - denom[j]));
    mean += left.back() / g;
  }
  double ss = 0;
  for (double x : left) ss += (x - mean) * (x - mean);
  se = std::sqrt((g - 1) / g * ss);
  jack = g * value - (g - 1) * mean;
}

Genotypes hand_made_populations(std::mt19937_64& rng) {
  // Five small populations of uneven size; every population keeps calls at every variant.
  const std::vector<std::pair<std::string, int>> pops = {{"A", 3}, {"B", 4}, {"C", 5}, {"D", 2}, {"E", 6}};
  Genotypes g;
  for (const auto& [name, size] : pops)
    for (int i = 0; i < size; ++i) g.pop_of_sample.push_back(name);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t v = 0; v < 200; ++v) {
    std::vector<int> row;
    for (const auto& [name, size] : pops) {
      const double p = u(rng);
      for (int i = 0; i < size; ++i) {
        int d = (u(rng) < p) + (u(rng) < p);
        if (i > 0 && u(rng) < 0.1) d = -1;  // the first sample of each population is always called
        row.push_back(d);
      }
    }
    g.dosage.push_back(row);
  }
  return g;
}

TEST(PopstatsFstats, StatisticsMatchDirectFormulasOnHandMadePopulations) {
  std::mt19937_64 rng(5);
  const Genotypes g = hand_made_populations(rng);
  const std::string dir = scratch_dir("popstats_fstats_hand");
  write_plink(dir + "/x", g);
  const std::string common = "fstats --bfile " + dir + "/x --pop " + dir +
                             "/x.pop --block-size 20 --f3 'C;A,B' "
                             "--f3 'E;D,A' --f4 'A,B;C,D' --f4 'E,C;B,A' --d 'A,B;C,D' --d 'E,C;B,A' "
                             "--f4-ratio 'A,E;B,C/A,E;D,C' --out ";
  auto r = run_genomap(common + dir + "/plain");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap(common + dir + "/qp --qp-compat");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The same numbers whatever the thread count.
  r = run_genomap(common + dir + "/one --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap(common + dir + "/two --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_text(dir + "/one.fstats"), test::read_text(dir + "/two.fstats"));
  EXPECT_EQ(test::read_text(dir + "/one.f2"), test::read_text(dir + "/two.f2"));
  const auto plain = read_stats(dir + "/plain.fstats"), qp = read_stats(dir + "/qp.fstats");
  const auto f2 = read_stats(dir + "/plain.f2");
  ASSERT_EQ(f2.size(), 10u);  // all pairs of five populations

  const std::size_t blocks = 10, per_block = 20;
  auto check = [&](const std::string& key, const std::map<std::string, std::map<std::string, double>>& table,
                   const std::function<void(std::size_t, double&, double&)>& term, bool jackknife_value) {
    std::vector<double> numer(blocks, 0), denom(blocks, 0);
    for (std::size_t v = 0; v < g.dosage.size(); ++v) {
      double n = 0, d = 0;
      term(v, n, d);
      numer[v / per_block] += n;
      denom[v / per_block] += d;
    }
    double value, se, jack;
    naive_jackknife(numer, denom, value, se, jack);
    ASSERT_TRUE(table.count(key)) << key;
    const auto& row = table.at(key);
    const double expected = jackknife_value ? jack : value;
    EXPECT_NEAR(row.at("VALUE"), expected, 1e-5 * std::fabs(expected) + 1e-9) << key;
    EXPECT_NEAR(row.at("SE"), se, 1e-5 * se) << key;
    EXPECT_NEAR(row.at("Z"), expected / se, 1e-4 * std::fabs(expected / se) + 1e-6) << key;
    EXPECT_EQ(row.at("N_BLOCKS"), static_cast<double>(blocks)) << key;
  };
  const std::vector<std::string> names = {"A", "B", "C", "D", "E"};
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = i + 1; j < names.size(); ++j)
      check(
          "f2(" + names[i] + "," + names[j] + ",.,.)", f2,
          [&](std::size_t v, double& n, double& d) { n = naive_f2(g, v, names[i], names[j]), d = 1; }, false);
  // f3 through f2: f3(C;A,B) = (f2(C,A) + f2(C,B) - f2(A,B)) / 2 at each variant.
  auto f3 = [&](const std::string& c, const std::string& a, const std::string& b) {
    return [&g, c, a, b](std::size_t v, double& n, double& d) {
      n = (naive_f2(g, v, c, a) + naive_f2(g, v, c, b) - naive_f2(g, v, a, b)) / 2;
      d = 1;
    };
  };
  check("f3(C,A,B,.)", plain, f3("C", "A", "B"), false);
  check("f3(E,D,A,.)", plain, f3("E", "D", "A"), false);
  // qp3Pop: the same numerator over twice the target's unbiased heterozygosity, reported as jackknife
  // estimate.
  auto f3_normalized = [&](const std::string& c, const std::string& a, const std::string& b) {
    return [&g, c, a, b, f = f3(c, a, b)](std::size_t v, double& n, double& d) {
      f(v, n, d);
      d = 2 * naive_frequency(g, v, c).h;
    };
  };
  check("f3(C,A,B,.)", qp, f3_normalized("C", "A", "B"), true);
  // f4 and D from ABBA and BABA pattern probabilities.
  auto patterns = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d,
                      double& abba, double& baba, std::size_t v) {
    const double pa = naive_frequency(g, v, a).p, pb = naive_frequency(g, v, b).p,
                 pc = naive_frequency(g, v, c).p, pd = naive_frequency(g, v, d).p;
    baba = pa * (1 - pb) * pc * (1 - pd) + (1 - pa) * pb * (1 - pc) * pd;
    abba = (1 - pa) * pb * pc * (1 - pd) + pa * (1 - pb) * (1 - pc) * pd;
  };
  // f4 ratio: ratio of the two f4 sums, read from the .f4ratio file.
  {
    std::map<std::string, std::map<std::string, double>> ratio;
    const auto t = read_table(dir + "/plain.f4ratio");
    ASSERT_EQ(t.rows.size(), 1u);
    for (const char* col : {"VALUE", "SE", "Z", "N_SNPS", "N_BLOCKS"})
      ratio["f4ratio"][col] = t.number(0, col);
    check(
        "f4ratio", ratio,
        [&](std::size_t v, double& n, double& d) {
          double abba, baba;
          patterns("A", "E", "B", "C", abba, baba, v);
          n = baba - abba;
          patterns("A", "E", "D", "C", abba, baba, v);
          d = baba - abba;
        },
        false);
  }
  for (auto q : std::vector<std::vector<std::string>>{{"A", "B", "C", "D"}, {"E", "C", "B", "A"}}) {
    const std::string key = "(" + q[0] + "," + q[1] + "," + q[2] + "," + q[3] + ")";
    check(
        "f4" + key, plain,
        [&](std::size_t v, double& n, double& d) {
          double abba, baba;
          patterns(q[0], q[1], q[2], q[3], abba, baba, v);
          n = baba - abba;
          d = 1;
        },
        false);
    check(
        "D" + key, plain,
        [&](std::size_t v, double& n, double& d) {
          double abba, baba;
          patterns(q[0], q[1], q[2], q[3], abba, baba, v);
          n = baba - abba;
          d = baba + abba;
        },
        false);
    check(
        "D" + key, qp,
        [&](std::size_t v, double& n, double& d) {
          double abba, baba;
          patterns(q[0], q[1], q[2], q[3], abba, baba, v);
          n = baba - abba;
          d = baba + abba;
        },
        true);
  }
}

// ---- ADMIXTOOLS expected outputs ----

// "f3(French,Han;Uygur)" -> our f3 request "Uygur;French,Han"; "D(A,B;C,D)" -> "A,B;C,D".
std::string request_of(const std::string& statistic, const std::string& populations) {
  const auto open = populations.find('('), semi = populations.find(';');
  const std::string left = populations.substr(open + 1, semi - open - 1);
  const std::string right = populations.substr(semi + 1, populations.size() - semi - 2);
  return statistic == "f3" ? right + ";" + left : left + ";" + right;
}

std::string key_of(const std::string& statistic, const std::string& request) {
  std::string s = request;
  for (auto& c : s)
    if (c == ';') c = ',';
  if (statistic == "f3") s += ",.";
  return statistic + "(" + s + ")";
}

// A tab-separated table whose fields may be empty (the expected ADMIXTOOLS values leave std_err blank for D).
test::Table read_tsv(const std::string& path) {
  test::Table t;
  std::istringstream in(test::read_text(path));
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream s(l);
    while (std::getline(s, field, '\t')) out.push_back(field);
    if (!l.empty() && l.back() == '\t') out.emplace_back();
    return out;
  };
  std::getline(in, line);
  t.columns = split(line);
  while (std::getline(in, line))
    if (!line.empty()) t.rows.push_back(split(line));
  return t;
}

TEST(PopstatsFstats, Panel7MatchesAdmixtoolsQp3PopAndQpDstat) {
  const std::string dir = scratch_dir("popstats_fstats_admixtools");
  const std::string expected_dir = data_path("human_origins_panel7/expected_admixtools");
  auto expected = read_tsv(expected_dir + "/expected_fstats_panel7.tsv");
  std::string args;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const std::string stat = expected.text(i, "statistic");
    if (stat == "f4ratio") continue;  // checked below through the qpF4ratio list file
    args += " --" + std::string(stat == "D" ? "d" : stat) + " '" +
            request_of(stat, expected.text(i, "populations")) + "'";
    rows.push_back(i);
  }
  ASSERT_GE(rows.size(), 30u);
  auto r = run_genomap("fstats --eigenstrat " + data_path("human_origins_panel7/panel7") + " --qp-compat" +
                       args + " --out " + dir + "/p7");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ours = read_stats(dir + "/p7.fstats");
  for (std::size_t i : rows) {
    const std::string stat = expected.text(i, "statistic");
    const std::string key = key_of(stat, request_of(stat, expected.text(i, "populations")));
    ASSERT_TRUE(ours.count(key)) << key;
    const auto& row = ours.at(key);
    // ADMIXTOOLS prints f3/f4 with 6 decimals, D with 4, Z with 3: tolerances are those roundings plus ours.
    const double value_tol = stat == "D" ? 5.1e-5 : 5.1e-7 + 5e-6 * std::fabs(row.at("VALUE"));
    EXPECT_NEAR(row.at("VALUE"), expected.number(i, "value"), value_tol) << key;
    EXPECT_NEAR(row.at("Z"), expected.number(i, "Z"), 5.1e-4 + 5e-6 * std::fabs(row.at("Z"))) << key;
    if (stat == "f3") {
      EXPECT_NEAR(row.at("SE"), expected.number(i, "std_err"), 5.1e-7 + 5e-6 * row.at("SE")) << key;
    }
    EXPECT_EQ(row.at("N_SNPS"), expected.number(i, "n_snps")) << key;
  }
  // The same f3 and D through ADMIXTOOLS list files.
  r = run_genomap("fstats --eigenstrat " + data_path("human_origins_panel7/panel7") +
                  " --qp-compat --f3-file " + expected_dir + "/list_qp3Pop --f3-file " + expected_dir +
                  "/list_qp3Pop_extra --d-file " + expected_dir + "/list_qpDstat_extra --out " + dir +
                  "/lists");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lists = read_stats(dir + "/lists.fstats");
  EXPECT_EQ(lists.size(), 6u + 8u + 8u);
  for (const auto& [key, row] : lists) {
    ASSERT_TRUE(ours.count(key)) << key;
    EXPECT_EQ(row.at("VALUE"), ours.at(key).at("VALUE")) << key;
  }
  // qpF4ratio: alpha = f4(A,O;X,C) / f4(A,O;B,C), value, SE and Z as printed (6, 6 and 3 decimals).
  r = run_genomap("fstats --eigenstrat " + data_path("human_origins_panel7/panel7") +
                  " --qp-compat --f4-ratio-file " + expected_dir + "/list_qpF4ratio --out " + dir + "/ratio");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ratios = read_table(dir + "/ratio.f4ratio");
  ASSERT_EQ(ratios.rows.size(), 2u);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    if (expected.text(i, "statistic") != "f4ratio") continue;
    const std::string& pops = expected.text(i, "populations");  // f4(A,O;X,C)/f4(A,O;B,C)
    for (std::size_t k = 0; k < ratios.rows.size(); ++k) {
      const std::string ours_pops = "f4(" + ratios.text(k, "POP1") + "," + ratios.text(k, "POP2") + ";" +
                                    ratios.text(k, "POP3") + "," + ratios.text(k, "POP4") + ")/f4(" +
                                    ratios.text(k, "POP5") + "," + ratios.text(k, "POP6") + ";" +
                                    ratios.text(k, "POP7") + "," + ratios.text(k, "POP8") + ")";
      if (ours_pops != pops) continue;
      ++checked;
      EXPECT_NEAR(ratios.number(k, "VALUE"), expected.number(i, "value"),
                  5.1e-7 + 5e-6 * expected.number(i, "value"));
      EXPECT_NEAR(ratios.number(k, "SE"), expected.number(i, "std_err"),
                  5.1e-7 + 5e-6 * expected.number(i, "std_err"));
      EXPECT_NEAR(ratios.number(k, "Z"), expected.number(i, "Z"), 5.1e-4 + 5e-6 * expected.number(i, "Z"));
      EXPECT_EQ(ratios.number(k, "N_SNPS"), expected.number(i, "n_snps"));
    }
  }
  EXPECT_EQ(checked, 2u);
}

// ---- PLINK and EIGENSTRAT input agree ----

// Decodes the packed .geno naively and writes it as text EIGENSTRAT (one line per SNP).
void packed_to_text_geno(const std::string& packed, const std::string& text, std::size_t nind,
                         std::size_t nsnp) {
  std::ifstream in(packed, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t rlen = std::max<std::size_t>(48, (nind + 3) / 4);
  ASSERT_EQ(bytes.size(), rlen * (nsnp + 1));
  std::ofstream out(text);
  for (std::size_t v = 0; v < nsnp; ++v) {
    for (std::size_t i = 0; i < nind; ++i) {
      const int g = (static_cast<unsigned char>(bytes[rlen * (v + 1) + i / 4]) >> (6 - 2 * (i % 4))) & 3;
      out << (g == 3 ? '9' : static_cast<char>('0' + g));
    }
    out << '\n';
  }
}

TEST(PopstatsFstats, PlinkPackedAndTextEigenstratGiveTheSameStatistics) {
  const std::string dir = scratch_dir("popstats_fstats_formats");
  const std::string p7 = data_path("human_origins_panel7/panel7");
  // PLINK population file from the .fam (FID = population).
  {
    std::ifstream fam(p7 + ".fam");
    std::ofstream pop(dir + "/pops.txt");
    pop << "FID IID POP\n";
    std::string fid, iid, rest;
    while (fam >> fid >> iid) {
      std::getline(fam, rest);
      pop << fid << ' ' << iid << ' ' << fid << '\n';
    }
  }
  for (const char* ext : {".snp", ".ind"}) test::run_command("cp " + p7 + ext + " " + dir + "/text" + ext);
  packed_to_text_geno(p7 + ".geno", dir + "/text.geno", 881, 2635);
  const std::string stats =
      " --f3 'Uygur;French,Han' --d 'Chimp,Neander;Yoruba,Han' --f4 'Yoruba,French;Han,Uygur' "
      "--outgroup-f3 MbutiPygmy";
  auto a = run_genomap("fstats --bfile " + p7 + " --pop " + dir + "/pops.txt" + stats + " --out " + dir +
                       "/plink");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  auto b = run_genomap("fstats --eigenstrat " + p7 + stats + " --out " + dir + "/packed");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  auto c = run_genomap("fstats --eigenstrat " + dir + "/text" + stats + " --out " + dir + "/text");
  ASSERT_EQ(c.exit_code, 0) << c.output;
  EXPECT_EQ(test::read_text(dir + "/packed.fstats"), test::read_text(dir + "/text.fstats"));
  EXPECT_EQ(test::read_text(dir + "/packed.f2"), test::read_text(dir + "/text.f2"));
  // PLINK alleles are flipped at some SNPs (A1 = minor allele); the statistics do not depend on which allele
  // is counted, up to rounding.
  const auto plink = read_stats(dir + "/plink.fstats"), packed = read_stats(dir + "/packed.fstats");
  ASSERT_EQ(plink.size(), packed.size());
  ASSERT_GT(plink.size(), 1000u);  // outgroup f3 of all pairs
  for (const auto& [key, row] : packed)
    for (const char* col : {"VALUE", "SE", "N_SNPS"}) {
      ASSERT_TRUE(std::isfinite(row.at(col))) << key << col;
      EXPECT_NEAR(plink.at(key).at(col), row.at(col), 2e-6 * std::fabs(row.at(col)) + 1e-12) << key << col;
    }
  EXPECT_NE(test::read_text(dir + "/packed.log").find("packed .geno"), std::string::npos);
  EXPECT_NE(test::read_text(dir + "/text.log").find("text .geno"), std::string::npos);
}

// ---- simulated truth ----

double beta_draw(std::mt19937_64& rng, double a, double b) {
  std::gamma_distribution<double> ga(a, 1.0), gb(b, 1.0);
  const double x = ga(rng), y = gb(rng);
  return x / (x + y);
}

// Balding-Nichols drift of frequency p by F.
double drift(std::mt19937_64& rng, double p, double f) {
  const double p_clamped = std::min(std::max(p, 1e-4), 1 - 1e-4);
  return beta_draw(rng, p_clamped * (1 - f) / f, (1 - p_clamped) * (1 - f) / f);
}

TEST(PopstatsFstats, SimulatedAdmixtureGivesNegativeF3AndTreeGivesZeroF4) {
  // Tree ((A,B),(C,D)); E is a 50/50 mixture of A and C with a little drift of its own.
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<std::string> pops = {"A", "B", "C", "D", "E"};
  const int per_pop = 20;
  Genotypes g;
  for (const auto& p : pops)
    for (int i = 0; i < per_pop; ++i) g.pop_of_sample.push_back(p);
  for (std::size_t v = 0; v < 6000; ++v) {
    const double root = 0.1 + 0.8 * u(rng);
    const double x = drift(rng, root, 0.08), y = drift(rng, root, 0.08);
    const double a = drift(rng, x, 0.05), b = drift(rng, x, 0.05), c = drift(rng, y, 0.05),
                 d = drift(rng, y, 0.05);
    const double e = drift(rng, 0.5 * a + 0.5 * c, 0.01);
    std::vector<int> row;
    for (double p : {a, b, c, d, e})
      for (int i = 0; i < per_pop; ++i) row.push_back(u(rng) < 0.01 ? -1 : (u(rng) < p) + (u(rng) < p));
    g.dosage.push_back(row);
    g.chrom.push_back(std::to_string(1 + v / 2000));
  }
  const std::string dir = scratch_dir("popstats_fstats_sim");
  write_plink(dir + "/sim", g);
  auto r = run_genomap("fstats --bfile " + dir + "/sim --pop " + dir +
                       "/sim.pop --block-size 100 --f3 'E;A,C' "
                       "--f3 'B;A,C' --f4 'A,B;C,D' --f4 'A,C;B,D' --d 'A,B;C,D' --out " +
                       dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto s = read_stats(dir + "/out.fstats");
  EXPECT_LT(s.at("f3(E,A,C,.)").at("Z"), -10.0) << "admixed E must give a clearly negative f3";
  EXPECT_GT(s.at("f3(B,A,C,.)").at("Z"), 3.0) << "unadmixed B gives a positive f3";
  EXPECT_LT(std::fabs(s.at("f4(A,B,C,D)").at("Z")), 3.0) << "tree-like quartet gives f4 ~ 0";
  EXPECT_LT(std::fabs(s.at("D(A,B,C,D)").at("Z")), 3.0);
  EXPECT_GT(s.at("f4(A,C,B,D)").at("Z"), 10.0) << "the wrong split has large f4";
  EXPECT_EQ(s.at("f4(A,B,C,D)").at("N_BLOCKS"), 60.0);
}

// ---- bad input ----

class PopstatsFstatsBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir(std::string("popstats_bad_") +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::mt19937_64 rng(3);
    g_ = hand_made_populations(rng);
    write_plink(dir_ + "/x", g_);
    before_ = test::list_files(dir_);
  }
  test::CommandResult run(const std::string& extra) {
    return run_genomap("fstats --bfile " + dir_ + "/x --pop " + dir_ + "/x.pop --block-size 20 --out " +
                       dir_ + "/o " + extra);
  }
  // Exit 1 for bad input, 2 for bad usage.
  void expect_failure(const test::CommandResult& r, const std::string& message, int exit_code = 1) {
    EXPECT_EQ(r.exit_code, exit_code) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_EQ(test::list_files(dir_), before_) << "no output may be written";
  }
  std::string dir_;
  Genotypes g_;
  std::vector<std::string> before_;
};

TEST_F(PopstatsFstatsBadInput, UnknownPopulationInF3) {
  expect_failure(run("--f3 'C;A,Atlantis'"), "--f3: unknown population 'Atlantis'");
}

TEST_F(PopstatsFstatsBadInput, MalformedAndRepeatedStatistics) {
  expect_failure(run("--f4 'A,B,C,D'"), "--f4: cannot read 'A,B,C,D' as f4 (expected \"A,B;C,D\")");
  expect_failure(run("--d 'A,B;C,A'"), "--d: population 'A' appears twice in one D statistic");
}

TEST_F(PopstatsFstatsBadInput, F4RatioListLayout) {
  test::write_text(dir_ + "/ratio", "A B : C D :: A B : E D\nA B C D A B E D\n");
  before_ = test::list_files(dir_);
  expect_failure(run("--f4-ratio-file " + dir_ + "/ratio"),
                 dir_ + "/ratio:2: expected 'A O : X C :: A O : B C' (qpF4ratio list layout)");
  expect_failure(run("--f4-ratio 'A,B;C,D'"), "--f4-ratio: cannot read 'A,B;C,D' as f4ratio");
}

TEST_F(PopstatsFstatsBadInput, ListFileErrorsNameFileAndLine) {
  test::write_text(dir_ + "/list", "A B C\nA B\n");
  before_ = test::list_files(dir_);
  expect_failure(run("--f3-file " + dir_ + "/list"), dir_ + "/list:2: expected 3 population names, found 2");
  test::write_text(dir_ + "/list", "A B C D\nA B C Nowhere\n");
  expect_failure(run("--d-file " + dir_ + "/list"), dir_ + "/list:2: unknown population 'Nowhere'");
}

TEST_F(PopstatsFstatsBadInput, InputChoice) {
  auto r = run_genomap("fstats --pop " + dir_ + "/x.pop --out " + dir_ + "/o");
  expect_failure(r, "give exactly one of --bfile (with --pop) or --eigenstrat", 2);
  r = run_genomap("fstats --bfile " + dir_ + "/x --out " + dir_ + "/o");
  expect_failure(r, "--bfile needs --pop FILE", 2);
  const std::string base = "fstats --bfile " + dir_ + "/x --pop " + dir_ + "/x.pop --out " + dir_ + "/o";
  expect_failure(run_genomap(base + " --block-size 5cM"), "a genetic distance needs genetic positions");
  expect_failure(run_genomap(base + " --block-size lots"),
                 "--block-size: expected a positive number of variants", 2);
  expect_failure(run_genomap("fstats --eigenstrat " + data_path("human_origins_panel7/panel7") +
                             " --maf 0.05 --out " + dir_ + "/o"),
                 "filters apply to --bfile input only", 2);
}

TEST_F(PopstatsFstatsBadInput, AllMissingVariantsAreSkippedAndCounted) {
  // Three variants without any call, on a chromosome of their own: skipped, counted, and the statistics of
  // the other variants unchanged.
  Genotypes g = g_;
  g.chrom.assign(g.dosage.size(), "1");
  for (int k = 0; k < 3; ++k) {
    g.dosage.emplace_back(g.pop_of_sample.size(), -1);
    g.chrom.push_back("2");
  }
  write_plink(dir_ + "/m", g);
  const std::string stats = " --block-size 20 --f3 'C;A,B' --d 'A,B;C,D'";
  auto a = run_genomap("fstats --bfile " + dir_ + "/m --pop " + dir_ + "/m.pop" + stats + " --out " + dir_ +
                       "/with");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  auto b = run_genomap("fstats --bfile " + dir_ + "/x --pop " + dir_ + "/x.pop" + stats + " --out " + dir_ +
                       "/without");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(test::read_text(dir_ + "/with.fstats"), test::read_text(dir_ + "/without.fstats"));
  EXPECT_EQ(test::read_text(dir_ + "/with.f2"), test::read_text(dir_ + "/without.f2"));
  EXPECT_NE(test::read_text(dir_ + "/with.log").find("3 variants without any call skipped"),
            std::string::npos);
}

// ---- pseudohaploid samples (ADMIXTOOLS 2 adjust_pseudohaploid) ----

// The same genotypes as a text EIGENSTRAT fileset (.geno digits per variant, 9 missing; .ind labels).
void write_eigenstrat_text(const std::string& prefix, const Genotypes& g) {
  std::ofstream geno(prefix + ".geno"), snp(prefix + ".snp"), ind(prefix + ".ind");
  for (std::size_t v = 0; v < g.dosage.size(); ++v) {
    for (int d : g.dosage[v]) geno << (d < 0 ? 9 : d);
    geno << '\n';
    snp << "v" << v << " 1 0 " << 1000 * (v + 1) << " A G\n";
  }
  for (std::size_t i = 0; i < g.pop_of_sample.size(); ++i)
    ind << "S" << i << " U " << (g.pop_of_sample[i].empty() ? "Ignore" : g.pop_of_sample[i]) << '\n';
}

// Population frequency and observed alleles with `haploid` samples counting one allele (dosage / 2) and the
// others two, and the per-variant f2 of ADMIXTOOLS 2: (pA - pB)^2 - pA(1 - pA)/(nA - 1) - pB(1 - pB)/(nB -
// 1).
double ploidy_aware_f2(const Genotypes& g, const std::vector<bool>& haploid, std::size_t v,
                       const std::string& a, const std::string& b) {
  auto freq = [&](const std::string& pop, double& n) {
    double x = 0;
    n = 0;
    for (std::size_t i = 0; i < g.pop_of_sample.size(); ++i) {
      const int d = g.dosage[v][i];
      if (g.pop_of_sample[i] != pop || d < 0) continue;
      x += haploid[i] ? d / 2 : d;
      n += haploid[i] ? 1 : 2;
    }
    return x / n;
  };
  double na = 0, nb = 0;
  const double pa = freq(a, na), pb = freq(b, nb);
  return (pa - pb) * (pa - pb) - pa * (1 - pa) / (na - 1) - pb * (1 - pb) / (nb - 1);
}

// Three populations mixing pseudohaploid samples (codes 0/2 only) and diploid ones (a heterozygous call at
// variant 0): with --pseudohaploid every f2 equals the ploidy-aware formula above, averaged over variants
// (relative 1e-5, the printed precision), from PLINK and EIGENSTRAT alike; without it, the diploid formula.
TEST(PopstatsFstats, PseudohaploidSamplesCountOneAllele) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0, 1);
  // A: 2 pseudohaploid + 1 diploid; B: 3 diploid; C: 4 pseudohaploid.
  const std::vector<std::pair<std::string, bool>> samples = {
      {"A", true},  {"A", true}, {"A", false}, {"B", false}, {"B", false},
      {"B", false}, {"C", true}, {"C", true},  {"C", true},  {"C", true}};
  Genotypes g;
  std::vector<bool> haploid;
  for (const auto& [pop, h] : samples) g.pop_of_sample.push_back(pop), haploid.push_back(h);
  for (std::size_t v = 0; v < 300; ++v) {
    const double p = 0.1 + 0.8 * u(rng);
    std::vector<int> row;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      int d = haploid[i] ? 2 * (u(rng) < p) : (u(rng) < p) + (u(rng) < p);
      if (!haploid[i] && v == 0) d = 1;
      if (i % 3 == 2 && u(rng) < 0.2) d = -1;  // two samples of each population are always called
      row.push_back(d);
    }
    g.dosage.push_back(row);
  }
  const std::string dir = scratch_dir("popstats_pseudohaploid");
  write_plink(dir + "/x", g);
  write_eigenstrat_text(dir + "/e", g);
  const std::string plink = "fstats --bfile " + dir + "/x --pop " + dir + "/x.pop --block-size 30 --quiet";
  auto r = run_genomap(plink + " --pseudohaploid --out " + dir + "/adj");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(test::read_text(dir + "/adj.log").find("6 samples without a heterozygous call"),
            std::string::npos);
  r = run_genomap("fstats --eigenstrat " + dir + "/e --block-size 30 --pseudohaploid --quiet --out " + dir +
                  "/eig");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap(plink + " --out " + dir + "/plain");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_text(dir + "/adj.f2"), test::read_text(dir + "/eig.f2"));
  const auto adjusted = read_stats(dir + "/adj.f2"), plain = read_stats(dir + "/plain.f2");
  const std::vector<bool> diploid(samples.size(), false);
  for (const auto& [a, b] :
       std::vector<std::pair<std::string, std::string>>{{"A", "B"}, {"A", "C"}, {"B", "C"}}) {
    double with = 0, without = 0;
    for (std::size_t v = 0; v < g.dosage.size(); ++v) {
      with += ploidy_aware_f2(g, haploid, v, a, b) / static_cast<double>(g.dosage.size());
      without += naive_f2(g, v, a, b) / static_cast<double>(g.dosage.size());
    }
    const std::string key = "f2(" + a + "," + b + ",.,.)";
    EXPECT_NEAR(adjusted.at(key).at("VALUE"), with, 1e-5 * std::abs(with)) << key;
    EXPECT_NEAR(plain.at(key).at("VALUE"), without, 1e-5 * std::abs(without)) << key;
    EXPECT_GT(std::abs(with - without), 0.01) << key;
  }
}

// Truth: two populations of 6 pseudohaploid samples each (one allele drawn per sample and variant, coded 0/2)
// at known frequencies pA, pB. f2 with --pseudohaploid is unbiased for the mean (pA - pB)^2 (within 3 SE);
// treating the samples as diploid under-corrects the sampling noise and overshoots by more than 10 SE.
TEST(PopstatsFstats, PseudohaploidF2IsUnbiasedOnSimulatedData) {
  std::mt19937_64 rng(23);
  std::uniform_real_distribution<double> u(0, 1);
  Genotypes g;
  for (int i = 0; i < 12; ++i) g.pop_of_sample.push_back(i < 6 ? "A" : "B");
  double truth = 0;
  const std::size_t variants = 20000;
  for (std::size_t v = 0; v < variants; ++v) {
    const double pa = 0.05 + 0.9 * u(rng), pb = std::clamp(pa + 0.2 * (u(rng) - 0.5), 0.0, 1.0);
    truth += (pa - pb) * (pa - pb) / static_cast<double>(variants);
    std::vector<int> row;
    for (int i = 0; i < 12; ++i) row.push_back(2 * (u(rng) < (i < 6 ? pa : pb)));
    g.dosage.push_back(row);
  }
  const std::string dir = scratch_dir("popstats_pseudohaploid_truth");
  write_plink(dir + "/x", g);
  const std::string plink = "fstats --bfile " + dir + "/x --pop " + dir + "/x.pop --block-size 200 --quiet";
  auto r = run_genomap(plink + " --pseudohaploid --f2-store " + dir + "/store --out " + dir + "/adj");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap(plink + " --out " + dir + "/plain");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto adj = read_stats(dir + "/adj.f2").at("f2(A,B,.,.)");
  const auto plain = read_stats(dir + "/plain.f2").at("f2(A,B,.,.)");
  std::printf("pseudohaploid f2: truth %.6f, adjusted %.6f (SE %.6f), unadjusted %.6f (SE %.6f)\n", truth,
              adj.at("VALUE"), adj.at("SE"), plain.at("VALUE"), plain.at("SE"));
  EXPECT_LT(std::abs(adj.at("VALUE") - truth), 3 * adj.at("SE"));
  EXPECT_GT(plain.at("VALUE") - truth, 10 * plain.at("SE"));
  // The adjustment is part of the store's key: the same store asked for without it is stale.
  r = run_genomap(plink + " --f2-store " + dir + "/store --out " + dir + "/stale");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("stale f2 store: it was built from other inputs or options (differs in "
                          "'pseudohaploid')"),
            std::string::npos)
      << r.output;
  // Read alone, the store gives the adjusted values.
  r = run_genomap("fstats --f2-store " + dir + "/store --quiet --out " + dir + "/alone");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_text(dir + "/alone.f2"), test::read_text(dir + "/adj.f2"));
}

}  // namespace
}  // namespace genomap
