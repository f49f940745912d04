// genomap fst against plink2 --fst (Hudson and Weir-Cockerham, summary, jackknife SE and per-variant values)
// on real data, the variance share against its two-population special case, and bad population files.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "genomap/popstats/fst.hpp"
#include "genomap/popstats/jackknife.hpp"
#include "test_support.hpp"

namespace genomap {
namespace {

using test::data_path;
using test::read_table;
using test::run_command;
using test::run_genomap;
using test::scratch_dir;

// Values are printed with 6 significant digits by both tools: from the same value they differ by at most one
// unit in the 6th digit (two roundings of values that agree to ~1e-12). A true zero (a variant with no
// differentiation) comes out of the difference of O(1) sums as rounding noise of either sign up to ~1e-15, so
// agreement is never asked below 1e-14.
void expect_close(double ours, double theirs, const std::string& what) {
  if (std::isnan(theirs)) {
    EXPECT_TRUE(std::isnan(ours)) << what;
    return;
  }
  const double unit = theirs == 0.0 ? 1e-300 : std::pow(10.0, std::floor(std::log10(std::fabs(theirs))) - 5);
  EXPECT_NEAR(ours, theirs, std::max(unit * 1.0001, 1e-14)) << what;
}

double number_or_nan(const test::Table& t, std::size_t row, const std::string& col) {
  const std::string& s = t.text(row, col);
  if (s == "nan" || s == "NaN") return std::nan("");
  return t.number(row, col);
}

// Writes a plink2 phenotype file "#FID IID POP" from .fam rows whose label (given by `label_of`) is kept.
std::string write_pheno(const std::string& dir, const std::string& fam,
                        const std::map<std::string, std::string>& label_of_iid,
                        const std::set<std::string>& drop = {}) {
  const std::string path = dir + "/pops.txt";
  std::ofstream out(path);
  out << "#FID\tIID\tPOP\n";
  std::ifstream in(fam);
  std::string fid, iid, rest;
  while (in >> fid >> iid) {
    std::getline(in, rest);
    auto it = label_of_iid.find(iid);
    if (it == label_of_iid.end() || drop.count(it->second)) continue;
    out << fid << '\t' << iid << '\t' << it->second << '\n';
  }
  return path;
}

void compare_with_plink2(const std::string& bfile, const std::string& pop_file, const std::string& method,
                         const std::string& dir, bool per_variant) {
  const std::string ours = dir + "/ours_" + method, theirs = dir + "/plink2_" + method;
  auto r = run_genomap("fst --bfile " + bfile + " --pop " + pop_file + " --method " + method +
                       " --block-size 100 --threads 2 --out " + ours + (per_variant ? " --per-variant" : ""));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto p = run_command("plink2 --bfile " + bfile + " --pheno " + pop_file + " --fst POP method=" + method +
                       " blocksize=100 cols=+nobs" + (per_variant ? " report-variants" : "") +
                       " --threads 2 --out " + theirs);
  ASSERT_EQ(p.exit_code, 0) << p.output;
  const auto a = read_table(ours + ".fst.summary"), b = read_table(theirs + ".fst.summary");
  const std::string col = method == "wc" ? "WC_FST" : "HUDSON_FST";
  ASSERT_EQ(a.rows.size(), b.rows.size());
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;
  std::size_t skipped_se = 0;
  for (std::size_t i = 0; i < b.rows.size(); ++i) row_of[{b.text(i, "POP1"), b.text(i, "POP2")}] = i;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    auto key = std::make_pair(a.text(i, "POP1"), a.text(i, "POP2"));
    auto it = row_of.find(key);
    if (it == row_of.end()) it = row_of.find({key.second, key.first});
    ASSERT_NE(it, row_of.end()) << key.first << " " << key.second;
    const std::string what = method + " " + key.first + "-" + key.second;
    expect_close(number_or_nan(a, i, col), number_or_nan(b, it->second, col), what);
    // plink2 2.00a3.5 adds an empty block to its jackknife when a pair's usable-variant count is an exact
    // multiple of blocksize (its loop runs one block past the last); genomap does not, so SEs differ there.
    if (static_cast<long>(b.number(it->second, "OBS_CT")) % 100 == 0) {
      ++skipped_se;
      continue;
    }
    expect_close(number_or_nan(a, i, "SE"), number_or_nan(b, it->second, "SE"), what + " SE");
  }
  EXPECT_LT(skipped_se * 20, a.rows.size()) << "most pairs must have their SE compared";
  if (!per_variant) return;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const std::string pair = a.text(i, "POP1") + "." + a.text(i, "POP2");
    const auto va = read_table(ours + "." + pair + ".fst.var"),
               vb = read_table(theirs + "." + pair + ".fst.var");
    ASSERT_EQ(va.rows.size(), vb.rows.size()) << pair;
    for (std::size_t k = 0; k < va.rows.size(); ++k) {
      ASSERT_EQ(va.text(k, "ID"), vb.text(k, "ID"));
      EXPECT_EQ(va.text(k, "OBS_CT"), vb.text(k, "OBS_CT")) << va.text(k, "ID");
      expect_close(number_or_nan(va, k, col), number_or_nan(vb, k, col), pair + " " + va.text(k, "ID"));
    }
  }
}

std::map<std::string, std::string> hapmap3_labels() {
  std::map<std::string, std::string> out;
  auto t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  for (std::size_t i = 0; i < t.rows.size(); ++i) out[t.text(i, "IID")] = t.text(i, "POP");
  return out;
}

TEST(PopstatsFst, Hapmap3MatchesPlink2BothMethods) {
  if (!test::have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("popstats_fst_hapmap3");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const std::string pops = write_pheno(dir, bfile + ".fam", hapmap3_labels());
  compare_with_plink2(bfile, pops, "hudson", dir, true);
  compare_with_plink2(bfile, pops, "wc", dir, true);
}

TEST(PopstatsFst, Hapmap3PopulationTableMatchedByIid) {
  // hapmap3_populations.tsv has IID first and no FID: samples are matched by IID alone.
  const std::string dir = scratch_dir("popstats_fst_iid");
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " +
                       data_path("hapmap3_admixture/hapmap3_populations.tsv") + " --out " + dir + "/x");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto t = read_table(dir + "/x.fst.summary");
  ASSERT_EQ(t.rows.size(), 6u);
  EXPECT_EQ(t.text(4, "POP1"), "CEU");
  EXPECT_EQ(t.text(4, "POP2"), "YRI");
  EXPECT_GT(t.number(4, "HUDSON_FST"), 0.1);       // CEU-YRI are far apart...
  EXPECT_LT(t.number(0 + 2, "HUDSON_FST"), 0.03);  // ...ASW-YRI close
}

TEST(PopstatsFst, Panel7MatchesPlink2BothMethods) {
  if (!test::have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 not installed (CI installs it)");
  const std::string dir = scratch_dir("popstats_fst_panel7");
  const std::string bfile = data_path("human_origins_panel7/panel7");
  // FID is the population; populations of one genome (Chimp, Href, ...) cannot enter Fst.
  std::map<std::string, std::string> labels;
  std::map<std::string, int> sizes;
  std::ifstream fam(bfile + ".fam");
  std::string fid, iid, rest;
  while (fam >> fid >> iid) {
    std::getline(fam, rest);
    labels[iid] = fid;
    ++sizes[fid];
  }
  std::set<std::string> singletons;
  for (auto& [pop, n] : sizes)
    if (n < 2) singletons.insert(pop);
  ASSERT_FALSE(singletons.empty());
  const std::string pops = write_pheno(dir, bfile + ".fam", labels, singletons);
  compare_with_plink2(bfile, pops, "hudson", dir, false);
  compare_with_plink2(bfile, pops, "wc", dir, false);
}

TEST(PopstatsFst, VarianceShareOfTwoPopulationsIsTheirWcFst) {
  const std::string dir = scratch_dir("popstats_fst_share");
  std::ofstream out(dir + "/two.txt");
  auto t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  out << "IID\tPOP\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string& pop = t.text(i, "POP");
    out << t.text(i, "IID") << '\t' << ((pop == "CEU" || pop == "YRI") ? pop : "NA") << '\n';
  }
  out.close();
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                       "/two.txt --method wc --out " + dir + "/x");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto s = read_table(dir + "/x.fst.summary"), a = read_table(dir + "/x.fst.amova");
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_NEAR(a.number(0, "BETWEEN_SHARE"), s.number(0, "WC_FST"), 2e-6);
  EXPECT_GT(a.number(0, "SE"), 0.0);
  EXPECT_LT(a.number(0, "SE"), 0.01);
  EXPECT_NE(test::read_text(dir + "/x.log").find("share of genetic variance between populations"),
            std::string::npos);
}

TEST(PopstatsFst, FourPopulationVarianceShareIsBetweenPairwiseExtremes) {
  const std::string dir = scratch_dir("popstats_fst_share4");
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " +
                       data_path("hapmap3_admixture/hapmap3_populations.tsv") + " --method wc --out " + dir +
                       "/x");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto s = read_table(dir + "/x.fst.summary"), a = read_table(dir + "/x.fst.amova");
  double lo = 1, hi = 0;
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    lo = std::min(lo, s.number(i, "WC_FST"));
    hi = std::max(hi, s.number(i, "WC_FST"));
  }
  const double share = a.number(0, "BETWEEN_SHARE");
  EXPECT_GT(share, lo);
  EXPECT_LT(share, hi);
  EXPECT_NEAR(share + a.number(0, "WITHIN_SHARE"), 1.0, 1e-5);
}

TEST(PopstatsFst, WeightedJackknifeWithEqualBlocksIsTheClassicJackknife) {
  std::vector<double> numer = {1.0, 2.5, 0.7, 1.9, 3.3}, denom = {4.0, 5.0, 3.5, 6.0, 7.5}, weight(5, 10.0);
  const auto est = ratio_jackknife(numer, denom, weight);
  double n = 0, d = 0;
  for (std::size_t j = 0; j < 5; ++j) n += numer[j], d += denom[j];
  std::vector<double> left(5);
  double mean = 0;
  for (std::size_t j = 0; j < 5; ++j) mean += (left[j] = (n - numer[j]) / (d - denom[j])) / 5;
  double ss = 0;
  for (double x : left) ss += (x - mean) * (x - mean);
  EXPECT_NEAR(est.value, n / d, 1e-15);
  EXPECT_NEAR(est.se, std::sqrt(4.0 / 5.0 * ss), 1e-12);
  EXPECT_NEAR(est.jackknife, 5 * (n / d) - 4 * mean, 1e-12);  // classic bias-corrected estimate
  EXPECT_EQ(est.block_ct, 5u);
}

// Under MPI each rank cuts its usable terms into the pieces of the jackknife blocks (cut_fst_slice) and rank
// 0 joins them (join_fst_slices): for any cut of the variants into slices, and any block size, the blocks are
// bit for bit those of one pass over all terms.
TEST(PopstatsFst, SlicedBlocksJoinToTheBlocksOfOnePass) {
  std::vector<FstTerm> terms;
  std::uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < 1000; ++i) terms.push_back({next() - 0.3, next() + 0.1, true});
  for (std::size_t block_size : {0u, 1u, 7u, 37u, 500u, 1000u, 2000u}) {
    const std::vector<FstSlicePieces> whole{cut_fst_slice(terms, 0, block_size)};
    const FstBlocks expected = join_fst_slices(whole, block_size);
    // One pass, as compute_fst accumulates: blocks of `block_size` terms (one block when 0).
    const std::size_t size = block_size ? block_size : terms.size();
    ASSERT_EQ(expected.numer.size(), (terms.size() + size - 1) / size) << block_size;
    EXPECT_EQ(expected.obs, terms.size());
    std::vector<double> numer, denom;  // one pass, folded from zero in each block
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (i % size == 0) numer.push_back(0), denom.push_back(0);
      numer.back() += terms[i].numer;
      denom.back() += terms[i].denom;
    }
    EXPECT_EQ(expected.numer, numer) << block_size;
    EXPECT_EQ(expected.denom, denom) << block_size;
    for (const std::vector<std::size_t>& cuts :
         std::vector<std::vector<std::size_t>>{{0, 500, 1000},
                                               {0, 1, 999, 1000},
                                               {0, 333, 666, 1000},
                                               {0, 0, 10, 10, 517, 1000},
                                               {0, 36, 37, 38, 1000}}) {
      std::vector<FstSlicePieces> slices;
      for (std::size_t s = 0; s + 1 < cuts.size(); ++s)
        slices.push_back(
            cut_fst_slice(std::vector<FstTerm>(terms.begin() + static_cast<std::ptrdiff_t>(cuts[s]),
                                               terms.begin() + static_cast<std::ptrdiff_t>(cuts[s + 1])),
                          cuts[s], block_size));
      const FstBlocks joined = join_fst_slices(slices, block_size);
      EXPECT_EQ(joined.numer, expected.numer) << block_size;  // exactly: the same sums in the same order
      EXPECT_EQ(joined.denom, expected.denom) << block_size;
      EXPECT_EQ(joined.weight, expected.weight) << block_size;
      EXPECT_EQ(joined.obs, expected.obs) << block_size;
    }
  }
}

TEST(PopstatsFst, PopulationWithOneSampleIsAnError) {
  const std::string dir = scratch_dir("popstats_fst_single");
  auto t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  std::ofstream out(dir + "/pops.txt");
  out << "#IID POP\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    out << t.text(i, "IID") << ' ' << (i == 0 ? "LONE" : t.text(i, "POP")) << '\n';
  out.close();
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                       "/pops.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/pops.txt: population 'LONE' has 1 sample; Fst needs at least 2"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(test::list_files(dir), std::vector<std::string>{"pops.txt"});
}

TEST(PopstatsFst, UnknownSampleNamesFileAndLine) {
  const std::string dir = scratch_dir("popstats_fst_unknown");
  test::write_text(dir + "/pops.txt", "FID IID POP\nA1 NA19916 ASW\nX NOBODY CEU\n");
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                       "/pops.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/pops.txt:3: sample 'X NOBODY' is not in the genotype data"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(test::list_files(dir), std::vector<std::string>{"pops.txt"});
}

TEST(PopstatsFst, BadHeaderAndMissingColumn) {
  const std::string dir = scratch_dir("popstats_fst_header");
  test::write_text(dir + "/a.txt", "SAMPLE POP\nNA19916 ASW\n");
  auto r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                       "/a.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/a.txt:1: header must start with"), std::string::npos) << r.output;
  test::write_text(dir + "/b.txt", "IID GROUP\nNA19916 ASW\n");
  r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                  "/b.txt --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(dir + "/b.txt:1: no column named 'POP'"), std::string::npos) << r.output;
  // --pop-column picks another column.
  auto t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  std::ofstream out(dir + "/c.txt");
  out << "IID GROUP\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) out << t.text(i, "IID") << ' ' << t.text(i, "POP") << '\n';
  out.close();
  r = run_genomap("fst --bfile " + data_path("hapmap3_admixture/hapmap3") + " --pop " + dir +
                  "/c.txt --pop-column GROUP --out " + dir + "/x");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read_table(dir + "/x.fst.summary").rows.size(), 6u);
}

}  // namespace
}  // namespace genomap
