// genomap analyze on the bundled HapMap3 data: the same numbers as the single commands, the cache (a second
// run recomputes nothing; a new --k reruns only admixture and the report; a corrupt manifest is recomputed),
// the report data document, and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "registry_fixtures.hpp"
#include "test_support.hpp"

namespace genomap {
namespace {

namespace fs = std::filesystem;
using test::data_path;
using test::read_text;
using test::run_command;
using test::run_genomap;
using test::scratch_dir;

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");
const std::string kPops = data_path("hapmap3_admixture/hapmap3_populations.tsv");
const std::string kCoords = data_path("hapmap3_admixture/hapmap3_coordinates.tsv");
const std::string kFilters = " --geno 0.05 --mind 0.1 --maf 0.01 --hwe 1e-6";

std::string analyze_args(const std::string& dir, const std::string& k = "2..3",
                         const std::string& extra = "") {
  return "analyze --bfile " + kBfile + " --pop " + kPops + " --pop-coords " + kCoords + " --k " + k +
         " --threads 2 --seed 7 --out " + dir + (extra.empty() ? " --starts 2 --cv 0" : extra);
}

// Runs analyze without --quiet, so stderr's step lines are in the output.
test::CommandResult analyze_loud(const std::string& args) {
  return run_command(std::string(GENOMAP_BINARY) + " " + args);
}

std::map<std::string, fs::file_time_type> mtimes(const std::string& dir) {
  std::map<std::string, fs::file_time_type> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != "analyze.log")
      out[e.path().filename()] = e.last_write_time();
  return out;
}

// Lines of the log saying which steps were computed ("step NAME: computed") and which cached.
std::vector<std::string> steps_with(const std::string& log, const std::string& what) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = log.find("step ", at)) != std::string::npos) {
    const auto colon = log.find(": ", at);
    const auto end = log.find('\n', at);
    if (colon != std::string::npos && colon < end && log.compare(colon + 2, what.size(), what) == 0)
      out.push_back(log.substr(at + 5, colon - at - 5));
    at = end;
  }
  return out;
}

TEST(PipelineAnalyze, FilesMatchTheSingleCommands) {
  const std::string dir = scratch_dir("analyze_equal_" + std::to_string(::getpid()));
  auto r = run_genomap(analyze_args(dir + "/out", "2..3", " --cv 5 --starts 1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string out = dir + "/out/hapmap3";
  const std::string single = dir + "/single";
  // QC tables of the input as it is; pruning, kinship, Fst on the QC'd data.
  ASSERT_EQ(run_genomap("missing --bfile " + kBfile + " --out " + single).exit_code, 0);
  ASSERT_EQ(run_genomap("hardy --bfile " + kBfile + " --out " + single).exit_code, 0);
  ASSERT_EQ(run_genomap("het --bfile " + kBfile + " --out " + single).exit_code, 0);
  ASSERT_EQ(run_genomap("prune --bfile " + kBfile + kFilters + " --indep-pairwise 50 5 0.2 --out " + single)
                .exit_code,
            0);
  ASSERT_EQ(run_genomap("king --bfile " + kBfile + kFilters + " --king-table-filter 0.0442 --out " + single)
                .exit_code,
            0);
  ASSERT_EQ(run_genomap("unrelated --bfile " + kBfile + kFilters + " --king-cutoff 0.0884 --out " + single)
                .exit_code,
            0);
  ASSERT_EQ(
      run_genomap("fst --bfile " + kBfile + kFilters + " --pop " + kPops + " --out " + single).exit_code, 0);
  for (const char* suffix : {".smiss", ".vmiss", ".hardy", ".hardy.x", ".het", ".prune.in", ".prune.out",
                             ".kin0", ".king.cutoff.in.id", ".king.cutoff.out.id", ".fst.summary"})
    EXPECT_EQ(read_text(out + suffix), read_text(single + suffix)) << suffix;
  // PCA of the unrelated samples on the pruned variants.
  ASSERT_EQ(run_genomap("pca --bfile " + kBfile + " --keep " + out + ".king.cutoff.in.id --extract " + out +
                        ".prune.in --pcs 10 --var-wts --out " + single)
                .exit_code,
            0);
  for (const char* suffix : {".eigenvec", ".eigenval", ".eigenvec.var"})
    EXPECT_EQ(read_text(out + suffix), read_text(single + suffix)) << suffix;
  // ADMIXTURE on the QC'd samples and pruned autosomal variants (HapMap3 loses no sample to --mind), seed 7,
  // 5-fold CV.
  ASSERT_EQ(run_genomap("admix --bfile " + kBfile + " --extract " + out +
                        ".prune.in --autosome --k 2..3 --cv 5 --seed 7 "
                        "--threads 2 --out " +
                        single)
                .exit_code,
            0);
  // The ADMIXTURE fit is not bit-reproducible from run to run (its parallel sums round differently and the EM
  // stops once the log-likelihood rises by less than 1e-4), so two runs of the single command differ too:
  // on this data by up to ~4e-4 in Q and 0.03 in the log-likelihood at K=3. Compared within that.
  for (const char* suffix : {".2.Q", ".2.P", ".3.Q", ".3.P"}) {
    const auto a = test::read_number_rows(out + suffix), b = test::read_number_rows(single + suffix);
    ASSERT_EQ(a.size(), b.size()) << suffix;
    double worst = 0;
    for (std::size_t row = 0; row < a.size(); ++row) {
      ASSERT_EQ(a[row].size(), b[row].size()) << suffix;
      for (std::size_t c = 0; c < a[row].size(); ++c)
        worst = std::max(worst, std::abs(a[row][c] - b[row][c]));
    }
    EXPECT_LT(worst, 2e-3) << suffix;
  }
  const auto summary = test::read_table(single + ".admix.summary");
  const auto data = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  for (std::size_t row = 0; row < 2; ++row) {
    const auto& k = data["admixture"]["ks"][row];
    EXPECT_NEAR(k["loglik"].get<double>(), summary.number(row, "LOGLIK"), 0.2);
    EXPECT_NEAR(k["cv_error"].get<double>(), summary.number(row, "CV_ERROR"), 1e-4);
  }
  // f3 of every triple, in the order genomap fstats gets them from a qp3Pop list ("A B C" = f3(C; A, B)).
  const std::vector<std::string> names = {"ASW", "CEU", "MEX", "YRI"};
  std::string list;
  for (const auto& c : names)
    for (std::size_t a = 0; a < names.size(); ++a)
      for (std::size_t b = a + 1; b < names.size(); ++b)
        if (names[a] != c && names[b] != c) list += names[a] + " " + names[b] + " " + c + "\n";
  test::write_text(dir + "/f3.list", list);
  ASSERT_EQ(run_genomap("fstats --bfile " + kBfile + kFilters + " --pop " + kPops + " --f3-file " + dir +
                        "/f3.list --out " + single)
                .exit_code,
            0);
  EXPECT_EQ(read_text(out + ".fstats"), read_text(single + ".fstats"));
  // Without --outgroup the report's f3 are the 12 admixture triples; ASW is admixed between CEU and YRI.
  ASSERT_EQ(data["f3"]["target"].size(), 12u);
  double asw_min_z = 0;
  for (std::size_t i = 0; i < 12; ++i)
    if (data["f3"]["target"][i] == "ASW") asw_min_z = std::min(asw_min_z, data["f3"]["z"][i].get<double>());
  EXPECT_LT(asw_min_z, -10);
  EXPECT_EQ(read_text(out + ".f2"), read_text(single + ".f2"));
}

TEST(PipelineAnalyze, SecondRunRecomputesNothingAndNewKOnlyAdmixtureAndReport) {
  const std::string dir = scratch_dir("analyze_cache_" + std::to_string(::getpid())) + "/out";
  const std::string fast = " --starts 1 --cv 0";
  auto first = analyze_loud(analyze_args(dir, "2", fast));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const std::vector<std::string> all = {"qc",       "prune",  "kinship", "pca",   "admixture K=2",
                                        "popstats", "dating", "ibd",     "report"};
  EXPECT_EQ(steps_with(read_text(dir + "/analyze.log"), "computed"), all);
  const auto before = mtimes(dir);

  auto second = analyze_loud(analyze_args(dir, "2", fast));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const std::string log = read_text(dir + "/analyze.log");
  EXPECT_EQ(steps_with(log, "cached"), all);
  EXPECT_TRUE(steps_with(log, "computed").empty());
  for (const auto& step : all) EXPECT_NE(second.output.find(step), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("[9/9] report             cached"), std::string::npos) << second.output;
  EXPECT_EQ(mtimes(dir), before) << "a cached run rewrote files";

  // K 2..3: only the new K and the report are computed.
  auto third = analyze_loud(analyze_args(dir, "2..3", fast));
  ASSERT_EQ(third.exit_code, 0) << third.output;
  EXPECT_EQ(steps_with(read_text(dir + "/analyze.log"), "computed"),
            (std::vector<std::string>{"admixture K=3", "report"}));
  const auto data = nlohmann::json::parse(read_text(dir + "/report-data.json"));
  ASSERT_EQ(data["admixture"]["ks"].size(), 2u);
  EXPECT_EQ(data["admixture"]["ks"][1]["colour"], nlohmann::json({0, 1, 2}));
  const auto& steps = data["provenance"]["steps"];
  ASSERT_EQ(steps.size(), 9u);  // the report's own time is not in itself
  EXPECT_EQ(steps[0]["name"], "qc");
  EXPECT_EQ(steps[0]["cached"], true);
  EXPECT_EQ(steps[5]["name"], "admixture K=3");
  EXPECT_EQ(steps[5]["cached"], false);

  // A truncated cached result: that step alone (and nothing downstream of an unchanged result) is recomputed.
  fs::resize_file(dir + "/.analyze-cache/pca.cbor", 10);
  ASSERT_EQ(run_genomap(analyze_args(dir, "2..3", fast)).exit_code, 0);
  EXPECT_EQ(steps_with(read_text(dir + "/analyze.log"), "computed"), (std::vector<std::string>{"pca"}));
  // A step file changed on disk: recomputed.
  test::write_text(dir + "/hapmap3.prune.in", "rs1\n");
  ASSERT_EQ(run_genomap(analyze_args(dir, "2..3", fast)).exit_code, 0);
  EXPECT_EQ(steps_with(read_text(dir + "/analyze.log"), "computed"), (std::vector<std::string>{"prune"}));
  // A manifest that is not ours: every step recomputed, and the log says why.
  test::write_text(dir + "/analyze.manifest.json", "{\"schema\": \"something-else\"}");
  auto fourth = run_genomap(analyze_args(dir, "2", fast));
  ASSERT_EQ(fourth.exit_code, 0) << fourth.output;
  const std::string log4 = read_text(dir + "/analyze.log");
  EXPECT_EQ(steps_with(log4, "computed"), all);
  EXPECT_NE(log4.find("analyze.manifest.json: ignored (not a genomap-analyze-cache/1 manifest)"),
            std::string::npos);
}

// The contract's keys and JSON types (docs/report-data.md).
void expect_type(const nlohmann::json& doc, const nlohmann::json::json_pointer& at,
                 nlohmann::json::value_t type) {
  ASSERT_TRUE(doc.contains(at)) << at.to_string();
  EXPECT_EQ(doc.at(at).type(), type) << at.to_string();
}

// Rows of a whitespace-separated table of numbers without a header (ADMIXTURE's .Q).
std::vector<std::vector<double>> read_table_rows(const std::string& path) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<double> row;
    double x = 0;
    while (fields >> x) row.push_back(x);
    rows.push_back(row);
  }
  return rows;
}

TEST(PipelineAnalyze, ReportDataHasTheContractsSections) {
  const std::string dir = scratch_dir("analyze_report_" + std::to_string(::getpid())) + "/out";
  auto r = run_genomap(analyze_args(dir, "2", " --starts 2 --cv 2 --outgroup YRI"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(fs::exists(dir + "/report.html"));
  const auto d = nlohmann::json::parse(read_text(dir + "/report-data.json"));
  using V = nlohmann::json::value_t;
  using P = nlohmann::json::json_pointer;
  EXPECT_EQ(d["schema"], "genomap-report/1");
  for (const char* key :
       {"/dataset/populations", "/dataset/exclusions", "/samples/iid", "/samples/pop", "/qc/missing_rate",
        "/pca/eigenvalues", "/pca/pcs", "/pca/projected", "/admixture/ks", "/kinship/bands", "/fst/pops",
        "/fst/matrix", "/f3/target", "/f3/z", "/provenance/inputs", "/provenance/steps"})
    expect_type(d, P(key), V::array);
  for (const char* key : {"/dataset/samples_before", "/dataset/variants_after", "/dataset/unassigned",
                          "/qc/hwe_failed", "/kinship/unrelated_n", "/admixture/best_k"})
    expect_type(d, P(key), V::number_unsigned);
  EXPECT_EQ(d["dataset"]["samples_before"], 324);
  EXPECT_EQ(d["dataset"]["variants_before"], 13928);
  const std::size_t n = d["samples"]["iid"].size();
  EXPECT_EQ(n, d["dataset"]["samples_after"].get<std::size_t>());
  for (const auto& pc : d["pca"]["pcs"]) EXPECT_EQ(pc.size(), n);
  EXPECT_EQ(d["admixture"]["ks"][0]["q"].size(), 2u);
  EXPECT_EQ(d["admixture"]["ks"][0]["q"][0].size(), n);
  // Each aligned column is a column of the .2.Q file (to its 6 printed decimals), sample by sample: alignment
  // permutes clusters, never samples.
  {
    const auto file_q = read_table_rows(dir + "/hapmap3.2.Q");
    ASSERT_EQ(file_q.size(), n);
    const auto& q = d["admixture"]["ks"][0]["q"];
    for (std::size_t c = 0; c < q.size(); ++c) {
      bool found = false;
      for (std::size_t fc = 0; fc < 2 && !found; ++fc) {
        bool same = true;
        for (std::size_t i = 0; i < n && same; ++i)
          same = std::abs(q[c][i].get<double>() - file_q[i][fc]) <= 5e-7;
        found = same;
      }
      EXPECT_TRUE(found) << "report column " << c << " is no column of hapmap3.2.Q";
    }
  }
  // Populations in pop-file order, with sizes and places.
  const auto& pops = d["dataset"]["populations"];
  ASSERT_EQ(pops.size(), 4u);
  EXPECT_EQ(pops[0]["name"], "ASW");
  EXPECT_EQ(pops[0]["n"], 49);
  EXPECT_EQ(pops[3]["name"], "YRI");
  EXPECT_NEAR(pops[3]["lat"].get<double>(), 7.3775, 1e-9);
  // Fst: symmetric, zero diagonal; CEU-YRI the largest pair of the four.
  const auto& m = d["fst"]["matrix"];
  EXPECT_EQ(m[1][3], m[3][1]);
  EXPECT_EQ(m[0][0], 0.0);
  EXPECT_GT(m[1][3].get<double>(), m[0][1].get<double>());
  // With --outgroup the section holds the outgroup f3(YRI; A, B) of the 3 other pairs; CEU and MEX share the
  // most drift apart from YRI (ASW is mostly of West African ancestry).
  const auto& f3 = d["f3"];
  ASSERT_EQ(f3["target"].size(), 3u);
  EXPECT_EQ(f3["outgroup"], "YRI");
  std::map<std::string, double> outgroup_f3;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(f3["target"][i], "YRI");
    outgroup_f3[f3["a"][i].get<std::string>() + "," + f3["b"][i].get<std::string>()] =
        f3["f3"][i].get<double>();
  }
  EXPECT_GT(outgroup_f3.at("CEU,MEX"), outgroup_f3.at("ASW,CEU"));
  EXPECT_GT(outgroup_f3.at("CEU,MEX"), outgroup_f3.at("ASW,MEX"));
  EXPECT_GT(outgroup_f3.at("ASW,CEU"), 0.0);
  // Parameters are a flat table of numbers and strings.
  EXPECT_EQ(d["provenance"]["parameters"]["maf"], 0.01);
  EXPECT_EQ(d["provenance"]["parameters"]["k"], "2..2");
  // Exclusions: one row per filter that removed something (HapMap3: --hwe and --maf remove variants).
  for (const auto& e : d["dataset"]["exclusions"])
    EXPECT_GT(e["samples"].get<std::size_t>() + e["variants"].get<std::size_t>(), 0u) << e.dump();
  // Kinship: every related pair (the table's) and a background of unrelated pairs, each with its degree.
  const auto& pairs = d["kinship"]["pairs"];
  std::size_t related = 0;
  for (std::size_t i = 0; i < pairs["kinship"].size(); ++i) {
    const double k = pairs["kinship"][i].get<double>();
    const int degree = pairs["degree"][i].get<int>();
    EXPECT_EQ(degree == -1, k < 0.0442) << k;
    related += k >= 0.0442;
  }
  EXPECT_EQ(related, test::read_table(dir + "/hapmap3.kin0").rows.size());
  EXPECT_GT(pairs["kinship"].size(), 1000u);
  // The page carries the same document, with "</" escaped.
  const std::string page = read_text(dir + "/report.html");
  EXPECT_NE(page.find("<script type=\"application/json\" id=\"genomap-data\">{"), std::string::npos);
}

TEST(PipelineAnalyze, PartialPopulationFileLeavesTheRestUnassigned) {
  const std::string dir = scratch_dir("analyze_partial_" + std::to_string(::getpid()));
  // Only the CEU and YRI rows.
  std::string text = "IID\tPOP\n";
  const auto table = test::read_table(kPops);
  for (std::size_t i = 0; i < table.rows.size(); ++i)
    if (table.text(i, "POP") == "CEU" || table.text(i, "POP") == "YRI")
      text += table.text(i, "IID") + "\t" + table.text(i, "POP") + "\n";
  test::write_text(dir + "/two.pop", text);
  auto r = run_genomap("analyze --bfile " + kBfile + " --pop " + dir +
                       "/two.pop --k 2 --starts 1 --cv 0 --threads 2 --out " + dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  EXPECT_EQ(d["dataset"]["unassigned"], 99);  // ASW 49 + MEX 50
  EXPECT_TRUE(d["samples"]["pop"][0].is_null());
  EXPECT_EQ(d["fst"]["pops"], nlohmann::json({"CEU", "YRI"}));
  // The IBD table covers the labelled samples only: CEU and YRI, within and between.
  const auto& sharing = d["ibd"]["sharing"];
  ASSERT_EQ(sharing.size(), 3u);
  EXPECT_EQ(sharing[1]["pairs"], 112 * 113);
  EXPECT_EQ(d["ibd"]["sample_pairs"], 324 * 323 / 2);
  // --no-dating and --no-ibd: neither step runs, neither section nor file is written.
  r = run_genomap("analyze --bfile " + kBfile + " --pop " + dir +
                  "/two.pop --k 2 --starts 1 --cv 0 --threads 2 --no-dating --no-ibd --out " + dir + "/skip");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto skipped = nlohmann::json::parse(read_text(dir + "/skip/report-data.json"));
  EXPECT_FALSE(skipped.contains("dates"));
  EXPECT_FALSE(skipped.contains("ibd"));
  EXPECT_FALSE(fs::exists(dir + "/skip/hapmap3.seg"));
  EXPECT_EQ(skipped["provenance"]["parameters"]["no-ibd"], true);
  EXPECT_EQ(skipped["provenance"]["steps"].size(), 6u);
  EXPECT_NE(read_text(dir + "/out/analyze.log").find("99 analysed samples have no population label"),
            std::string::npos);
}

// Every key of `expected` is in `actual` with the same JSON type (numbers: any number, as JSON does not tell
// 1 from 1.0), arrays compared by their first element; `where` names the path.
void expect_same_shape(const nlohmann::json& expected, const nlohmann::json& actual,
                       const std::string& where) {
  const auto kind = [](const nlohmann::json& j) {
    return j.is_number() ? std::string("number") : j.type_name();
  };
  ASSERT_EQ(kind(expected), kind(actual)) << where;
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << where << "/" << key;
      expect_same_shape(value, actual.at(key), where + "/" + key);
    }
    for (const auto& [key, value] : actual.items())
      EXPECT_TRUE(expected.contains(key)) << where << "/" << key << " is not in the example document";
  } else if (expected.is_array() && !expected.empty() && !actual.empty()) {
    expect_same_shape(expected.front(), actual.front(), where + "/0");
  }
}

// The dating and IBD steps: the files genomap date and genomap ibd write on the same data (a uniform map of
// 1 cM/Mb: the HapMap3 .bim has no cM), and the report's dates and ibd sections made of them; the example
// document of the web side has these sections' keys and types.
TEST(PipelineAnalyze, DatingAndIbdStepsMatchTheSingleCommands) {
  const std::string dir = scratch_dir("analyze_history_" + std::to_string(::getpid()));
  auto r = run_genomap(analyze_args(dir + "/out", "2", " --starts 1 --cv 0"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string out = dir + "/out/hapmap3", single = dir + "/single";
  ASSERT_EQ(run_genomap("date --bfile " + kBfile + kFilters + " --pop " + kPops +
                        " --target ASW --sources CEU,YRI --uniform-map 1 --threads 2 --out " + single)
                .exit_code,
            0);
  for (const char* suffix : {".date", ".date.curve", ".date.jackknife"})
    EXPECT_EQ(read_text(out + ".ASW" + suffix), read_text(single + suffix)) << suffix;
  ASSERT_EQ(run_genomap("ibd --bfile " + kBfile + kFilters + " --pop " + kPops +
                        " --uniform-map 1 --threads 2 --out " + single)
                .exit_code,
            0);
  for (const char* suffix : {".seg", ".ibd", ".ibd.pops"})
    EXPECT_EQ(read_text(out + suffix), read_text(single + suffix)) << suffix;

  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  // Dates: ASW, the one population with an admixture f3 below -3 (f3(ASW; CEU, YRI)), dated as genomap date
  // dates it; the other three are listed with the reason.
  const auto& dates = d["dates"];
  EXPECT_EQ(dates["map"], "uniform 1 cM/Mb");
  EXPECT_EQ(dates["sources_from"], "f3");
  ASSERT_EQ(dates["targets"].size(), 1u);
  const auto& asw = dates["targets"][0];
  EXPECT_EQ(asw["target"], "ASW");
  EXPECT_EQ(asw["sources"], nlohmann::json({"CEU", "YRI"}));
  EXPECT_EQ(asw["chosen_by"], "f3");
  const auto summary = test::read_table(single + ".date");
  const double generations = asw["generations"].get<double>(), se = asw["se"].get<double>();
  EXPECT_TRUE(std::isfinite(generations) && generations > 0 && se > 0 && se < generations) << asw.dump();
  EXPECT_NEAR(generations, summary.number(0, "GENERATIONS"), 5e-6 * generations);
  EXPECT_NEAR(se, summary.number(0, "SE"), 5e-6 * se);
  EXPECT_NEAR(asw["amplitude_z"].get<double>(), summary.number(0, "AMPLITUDE_Z"), 1e-4);
  EXPECT_GT(asw["amplitude_z"].get<double>(), 5.0);
  EXPECT_EQ(asw["n_target"], 49);
  ASSERT_EQ(dates["not_dated"].size(), 3u);
  for (const auto& t : dates["not_dated"])
    EXPECT_EQ(t["reason"].get<std::string>().rfind("no admixture f3 with Z < -3 (lowest ", 0), 0u)
        << t.dump();
  // The curve: the .date.curve's 1,000 bins merged 4 by 4 into 250 points, weighted by their pairs.
  const auto curve_file = test::read_table(single + ".date.curve");
  ASSERT_EQ(curve_file.rows.size(), 1000u);
  const auto& curve = asw["curve"];
  ASSERT_EQ(curve["distance_cm"].size(), 250u);
  for (const char* key : {"weighted_ld", "fitted", "in_fit"}) EXPECT_EQ(curve[key].size(), 250u) << key;
  for (std::size_t point : {0u, 1u, 60u, 249u}) {
    double pairs = 0, distance = 0, ld = 0;
    for (std::size_t row = 4 * point; row < 4 * point + 4; ++row) {
      if (curve_file.text(row, "WEIGHTED_LD") == "NA") continue;
      const double n = curve_file.number(row, "PAIRS");
      pairs += n;
      distance += n * curve_file.number(row, "DIST_CM");
      ld += n * curve_file.number(row, "WEIGHTED_LD");
    }
    EXPECT_NEAR(curve["distance_cm"][point].get<double>(), distance / pairs, 1e-9 * distance / pairs)
        << point;
    EXPECT_NEAR(curve["weighted_ld"][point].get<double>(), ld / pairs, 1e-5 * std::abs(ld / pairs)) << point;
    const double fitted = summary.number(0, "AMPLITUDE") * std::exp(-generations * distance / pairs / 100) +
                          summary.number(0, "OFFSET");
    EXPECT_NEAR(curve["fitted"][point].get<double>(), fitted, 1e-5 * std::abs(fitted)) << point;
  }
  EXPECT_EQ(curve["in_fit"][0], false);  // 0.05-0.2 cM: below the fit's 0.5 cM
  EXPECT_EQ(curve["in_fit"][60], true);
  EXPECT_EQ(curve["in_fit"][249], true);  // up to 50 cM
  // IBD: every pair of populations, with n(n-1)/2 pairs within and n_a n_b between; the means per pair are
  // the .ibd.pops columns; the segment count is the .seg's IBD lines.
  const auto& ibd = d["ibd"];
  EXPECT_EQ(ibd["map"], "uniform 1 cM/Mb");
  const std::size_t n = d["dataset"]["samples_after"].get<std::size_t>();
  EXPECT_EQ(ibd["sample_pairs"].get<std::size_t>(), n * (n - 1) / 2);
  std::map<std::string, std::size_t> size;
  for (const auto& p : d["dataset"]["populations"]) size[p["name"]] = p["n"].get<std::size_t>();
  const auto pops_file = test::read_table(single + ".ibd.pops");
  const auto& sharing = ibd["sharing"];
  ASSERT_EQ(sharing.size(), 10u);
  ASSERT_EQ(pops_file.rows.size(), 10u);
  const char* bins[] = {"2_4", "4_6", "6_10", "10_"};
  for (std::size_t i = 0; i < sharing.size(); ++i) {
    const auto& row = sharing[i];
    const std::size_t a = size.at(row["pop1"]), b = size.at(row["pop2"]);
    EXPECT_EQ(row["pairs"].get<std::size_t>(), row["pop1"] == row["pop2"] ? a * (a - 1) / 2 : a * b) << row;
    EXPECT_EQ(row["pop1"], pops_file.text(i, "POP1"));
    for (std::size_t bin = 0; bin < 4; ++bin) {
      const double seg = pops_file.number(i, std::string("SEG_") + bins[bin]);
      const double cm = pops_file.number(i, std::string("CM_") + bins[bin]);
      EXPECT_NEAR(row["segments"][bin].get<double>(), seg, 5e-6 * seg) << row;
      EXPECT_NEAR(row["cm"][bin].get<double>(), cm, 5e-6 * cm) << row;
    }
  }
  const auto seg_table = test::read_table(single + ".seg");
  std::size_t segments = 0;
  for (std::size_t i = 0; i < seg_table.rows.size(); ++i) segments += seg_table.text(i, "TYPE") == "IBD";
  EXPECT_EQ(ibd["segments"].get<std::size_t>(), segments);
  EXPECT_GT(segments, 100u);  // the HapMap families' parent-offspring pairs
  EXPECT_EQ(ibd["pairs_with_segments"].get<std::size_t>(), test::read_table(single + ".ibd").rows.size());

  // The web side's example document has the same keys and types in these sections.
  const auto example =
      nlohmann::json::parse(read_text(data_path("../../web/test/fixtures/report-data.example.json")));
  for (const char* section : {"dates", "ibd"}) {
    ASSERT_TRUE(example.contains(section)) << section;
    expect_same_shape(example[section], d[section], section);
  }
}

// A population found admixed but too small to date is listed with the library's reason; the analysis goes on.
TEST(PipelineAnalyze, AnAdmixedPopulationTooSmallToDateIsListedWithTheReason) {
  const std::string dir = scratch_dir("analyze_small_" + std::to_string(::getpid()));
  std::string text = "IID\tPOP\n";
  const auto table = test::read_table(kPops);
  std::size_t asw = 0;
  for (std::size_t i = 0; i < table.rows.size(); ++i)
    if (table.text(i, "POP") != "ASW" || ++asw <= 4)
      text += table.text(i, "IID") + "\t" + table.text(i, "POP") + "\n";
  test::write_text(dir + "/small.pop", text);
  auto r = run_genomap("analyze --bfile " + kBfile + " --pop " + dir +
                       "/small.pop --k 2 --starts 1 --cv 0 --threads 2 --no-ibd --out " + dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  EXPECT_EQ(d["dates"]["targets"].size(), 0u);
  const auto& not_dated = d["dates"]["not_dated"];
  ASSERT_EQ(not_dated.size(), 4u);
  EXPECT_EQ(not_dated[3]["target"], "ASW");
  EXPECT_EQ(not_dated[3]["reason"], "date: target 'ASW' has 4 analysed samples; dating needs at least 5");
  EXPECT_FALSE(fs::exists(dir + "/out/hapmap3.ASW.date"));
}

TEST(PipelineAnalyze, BadInputIsOneClearError) {
  const std::string dir = scratch_dir("analyze_bad_" + std::to_string(::getpid()));
  // Exit 2 for options that are wrong whatever the data (usage), 1 for input or options this data cannot
  // meet.
  auto expect_error = [&](const std::string& args, const std::string& message, int exit_code = 1) {
    auto r = run_genomap(args);
    EXPECT_EQ(r.exit_code, exit_code) << args << "\n" << r.output;
    EXPECT_EQ(r.output, "genomap analyze: error: " + message + "\n") << args;
  };
  const std::string base =
      "analyze --bfile " + kBfile + " --cv 0 --starts 1 --threads 2 --out " + dir + "/out";
  test::write_text(dir + "/none.pop", "IID\tPOP\nNOBODY\tX\n");
  expect_error(base + " --pop " + dir + "/none.pop --k 2",
               dir + "/none.pop:2: sample 'NOBODY' is not in the genotype data");
  test::write_text(dir + "/unlabelled.pop", "IID\tPOP\nNA19916\tNA\n");
  expect_error(base + " --pop " + dir + "/unlabelled.pop --k 2",
               dir + "/unlabelled.pop: no sample of the fileset has a population label");
  expect_error(base + " --pop " + kPops + " --k 1..3", "--k must be at least 2 (got 1)", 2);
  expect_error(base + " --pop " + kPops + " --k 2..400",
               "--k 2..400: K cannot exceed the number of samples (324)");
  expect_error(
      base + " --pop " + kPops + " --k 2 --outgroup PAPUAN",
      "--outgroup: unknown population 'PAPUAN' (not in the population labels of the analysed samples)");
  test::write_text(dir + "/coords.tsv", "POP\tLAT\tLON\nCEU\t40.76\t-111.89\nYRI\t97.4\t3.9\n");
  expect_error(base + " --pop " + kPops + " --k 2 --pop-coords " + dir + "/coords.tsv",
               dir + "/coords.tsv:3: latitude 97.4 out of range [-90, 90]");
  test::write_text(dir + "/coords2.tsv", "CEU 40.76 -111.89\nYRI 7.4 203.9\n");
  expect_error(base + " --pop " + kPops + " --k 2 --pop-coords " + dir + "/coords2.tsv",
               dir + "/coords2.tsv:2: longitude 203.9 out of range [-180, 180]");
  // The GWAS and qpAdm options, checked before any step runs.
  expect_error(base + " --pop " + kPops + " --k 2 --covar " + kPops,
               "analyze: --covar, --pheno-name and --covar-name need --pheno", 2);
  test::write_text(dir + "/pheno.txt", "IID QT\nNA19916 1.5\nNA19835 high\n");
  expect_error(base + " --pop " + kPops + " --k 2 --pheno " + dir + "/pheno.txt",
               dir + "/pheno.txt:3: column QT: 'high' is not a number");
  expect_error(base + " --pop " + kPops + " --k 2 --pheno " + dir + "/pheno.txt --pcs 4 --gwas-pcs 5",
               "--gwas-pcs 5: the PCA step computes only --pcs 4 components", 2);
  expect_error(base + " --pop " + kPops + " --k 2 --qpadm-right CEU,PAPUAN",
               "--qpadm-right: unknown population 'PAPUAN' (not in the population labels of the analysed "
               "samples)");
  expect_error(base + " --pop " + kPops + " --k 2 --qpadm-right CEU",
               "--qpadm-right needs at least two populations", 2);
  expect_error(base + " --pop " + kPops + " --k x", "--k: expected a number or a range such as 2..6, got 'x'",
               2);
  expect_error(base + " --pop " + kPops + " --k 2 --pheno " + dir + "/pheno.txt --covar-name C1",
               "analyze: --covar-name needs --covar", 2);
  // Labels only for samples that --keep leaves out.
  test::write_text(dir + "/one_label.pop", "IID\tPOP\nNA19916\tASW\n");
  std::string keep;
  const auto pops = test::read_table(kPops);
  for (std::size_t i = 1; i <= 20; ++i) keep += pops.text(i, "IID") + "\n";
  test::write_text(dir + "/keep.txt", keep);
  expect_error(base + " --pop " + dir + "/one_label.pop --keep " + dir + "/keep.txt --k 2",
               dir + "/one_label.pop: no analysed sample has a population label");
  // Only the pseudo-autosomal variants (XY): PCA runs on them, ADMIXTURE takes chromosomes 1-22 only.
  expect_error(base + " --pop " + kPops + " --k 2 --no-ibd --no-dating --chr XY",
               "analyze: no autosomal variants left after pruning for ADMIXTURE");
  // Variants on chromosome 0 only: pruning skips them, as plink2 does, and nothing is left.
  test::write_text(dir + "/u.fam",
                   "F1 S1 0 0 1 -9\nF2 S2 0 0 2 -9\nF3 S3 0 0 0 -9\nF4 S4 0 0 1 -9\nF5 S5 0 0 2 -9\n");
  test::write_text(dir + "/u.bim", "0\trs1\t0\t100\tA\tG\n0\trs2\t0\t200\tC\tT\n0\trs3\t0\t300\tG\tT\n");
  test::write_text(dir + "/u.bed", std::string("\x6c\x1b\x01\x1b\x02\xe4\x01\x00\x03", 9));
  test::write_text(dir + "/u.pop", "IID\tPOP\nS1\tA\nS2\tA\nS3\tB\nS4\tB\nS5\tB\n");
  expect_error("analyze --bfile " + dir + "/u --pop " + dir +
                   "/u.pop --k 2 --starts 1 --cv 0 --no-ibd --no-dating "
                   "--maf 0 --hwe 0 --geno 1 --mind 1 --out " +
                   dir + "/u_out",
               "analyze step 'prune' failed: no variants left after LD pruning");
  // The same samples with the three variants on chromosome 1: the PCA step has fewer components than the 10
  // the GWAS takes by default.
  test::write_text(dir + "/u.bim", "1\trs1\t0\t100\tA\tG\n1\trs2\t0\t200\tC\tT\n1\trs3\t0\t300\tG\tT\n");
  test::write_text(dir + "/y.txt", "IID Y\nS1 1.5\nS2 0.3\nS3 2.2\nS4 1.1\nS5 0.7\n");
  expect_error("analyze --bfile " + dir + "/u --pop " + dir +
                   "/u.pop --k 2 --starts 1 --cv 0 --no-ibd --no-dating "
                   "--maf 0 --hwe 0 --geno 1 --mind 1 --pheno " +
                   dir + "/y.txt --out " + dir + "/y_out",
               "analyze step 'gwas' failed: --gwas-pcs 10: the PCA step has only 2 components");
  // Every population is a right population: no target is left for the rotation.
  expect_error(
      base + " --pop " + kPops + " --k 2 --no-ibd --no-dating --qpadm-right CEU,YRI,MEX,ASW",
      "analyze step 'qpadm' failed: --qpadm-right: no population outside the right populations has a "
      "model to fit");
  EXPECT_FALSE(fs::exists(dir + "/out/report.html"));
}

TEST(PipelineAnalyze, AnInputErrorLeavesNoOutputFolder) {
  // A population file naming a sample the fileset does not have fails before any step: the output folder this
  // run would have created is not left behind, and one that existed before stays.
  const std::string dir = scratch_dir("analyze_nofolder_" + std::to_string(::getpid()));
  test::write_text(dir + "/bad.pop", "IID\tPOP\nNOT_A_SAMPLE\tCEU\n");
  const std::string args = "analyze --bfile " + kBfile + " --pop " + dir + "/bad.pop --k 2 --starts 1 --cv 0 --out ";
  auto r = run_genomap(args + dir + "/new_out");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("NOT_A_SAMPLE"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir + "/new_out"));
  fs::create_directories(dir + "/old_out");
  r = run_genomap(args + dir + "/old_out");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(fs::is_directory(dir + "/old_out"));
}

TEST(PipelineAnalyze, UnknownCoordinatesAreWarnedAndAFailedStepKeepsTheEarlierOnes) {
  const std::string dir = scratch_dir("analyze_fail_" + std::to_string(::getpid()));
  // One population only: every step before popstats runs, popstats fails and no report is written.
  std::string text = "IID\tPOP\n";
  const auto table = test::read_table(kPops);
  for (std::size_t i = 0; i < table.rows.size(); ++i)
    if (table.text(i, "POP") == "CEU") text += table.text(i, "IID") + "\tCEU\n";
  test::write_text(dir + "/one.pop", text);
  test::write_text(dir + "/coords.tsv", "CEU 40.76 -111.89 Salt Lake City\nATLANTIS 0 0\n");
  const std::string args = "analyze --bfile " + kBfile + " --pop " + dir + "/one.pop --pop-coords " + dir +
                           "/coords.tsv --k 2 --starts 1 --cv 0 --threads 2 --out " + dir + "/out";
  auto r = run_genomap(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, "genomap analyze: error: analyze step 'popstats' failed: " + dir +
                          "/one.pop: Fst and f3 need at least 2 populations of 2 or more samples\n");
  EXPECT_FALSE(fs::exists(dir + "/out/report.html"));
  EXPECT_TRUE(fs::exists(dir + "/out/hapmap3.2.Q"));
  // The completed steps are reused by the next run (which fails the same way, computing nothing before it).
  const auto manifest = nlohmann::json::parse(read_text(dir + "/out/analyze.manifest.json"));
  for (const char* step : {"qc", "prune", "kinship", "pca", "admixture-K-2"})
    EXPECT_TRUE(manifest["steps"].contains(step)) << step;
  // With two populations it completes; the unknown place is warned about in the log.
  test::write_text(dir + "/one.pop", text + "NA19916\tASW\nNA19835\tASW\n");
  r = run_genomap(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string log = read_text(dir + "/out/analyze.log");
  EXPECT_NE(log.find("coords.tsv: population 'ATLANTIS' has no analysed sample; ignored"), std::string::npos);
  EXPECT_EQ(steps_with(log, "computed"), (std::vector<std::string>{"popstats", "dating", "ibd", "report"}));
  // Two populations: no admixture f3, so nothing to date, and the document says why.
  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  EXPECT_EQ(d["dates"]["targets"].size(), 0u);
  EXPECT_EQ(d["dates"]["skipped"], "no admixture f3 was computed (it needs at least 3 populations)");
}

TEST(PipelineAnalyze, RegistryConsentDecidesTheSamplesAndIsCounted) {
  const std::string dir = scratch_dir("analyze_consent_" + std::to_string(::getpid()));
  // Every sample's donor consents to general research use (GRU), except sample 5 (HMB: health research only,
  // which does not cover ancestry) and sample 6 (not in the registry).
  std::string donors = test::kDonorHeader, samples = test::kSampleHeader, consents = test::kConsentHeader;
  std::istringstream lines(read_text(kBfile + ".fam"));
  std::string line;
  for (std::size_t i = 0; std::getline(lines, line); ++i) {
    std::istringstream f(line);
    std::string fid, iid;
    f >> fid >> iid;
    if (i == 6) continue;
    const std::string id = std::to_string(i);
    donors += "D" + id + ",unknown,,,,,,,\n";
    samples += "S" + id + ",D" + id + "," + fid + "," + iid + ",DNA,1,ug,2008-01-01,,HapMap,,frozen,-80\n";
    consents += "C" + id + ",D" + id + "," + (i == 5 ? "HMB" : "GRU") + ",2007-01-01,,\n";
  }
  test::write_text(dir + "/d.csv", donors);
  test::write_text(dir + "/s.csv", samples);
  test::write_text(dir + "/c.csv", consents);
  const std::string db = dir + "/hapmap.db";
  ASSERT_EQ(run_genomap("registry init --db " + db + " --out " + dir + "/init").exit_code, 0);
  auto r = run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --samples " + dir +
                       "/s.csv " + "--consents " + dir + "/c.csv --out " + dir + "/import");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry fileset add --db " + db + " --bfile " + kBfile + " --out " + dir + "/fileset");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("analyze --bfile " + kBfile + " --pop " + kPops +
                  " --k 2 --starts 1 --cv 0 --threads 2 --registry " + db + " --purpose GRU --out " + dir +
                  "/out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  EXPECT_EQ(d["dataset"]["samples_after"], 322);
  EXPECT_EQ(d["consent"]["purpose"], "GRU");
  EXPECT_EQ(d["consent"]["analysed"], 322);
  std::size_t excluded = 0, not_in_registry = 0;
  for (const auto& e : d["consent"]["excluded"]) {
    excluded += e["n"].get<std::size_t>();
    if (e["reason"] == "not in the registry") not_in_registry = e["n"];
  }
  EXPECT_EQ(excluded, 2u);
  EXPECT_EQ(not_in_registry, 1u);
  const std::string excluded_iid5 = [&] {
    std::istringstream l(read_text(kBfile + ".fam"));
    std::string row, fid, iid;
    for (int i = 0; i <= 5; ++i) std::getline(l, row);
    std::istringstream f(row);
    f >> fid >> iid;
    return iid;
  }();
  const auto& iids = d["samples"]["iid"];
  EXPECT_EQ(std::find(iids.begin(), iids.end(), excluded_iid5), iids.end())
      << "the HMB-only sample was analysed";
  // One registry entry, written after the run: completed, the 322 samples used, the report among the outputs.
  const auto analyses = [&] {
    return test::query_count(db, "SELECT count(*) FROM audit_log WHERE action = 'analysis'");
  };
  const auto last_entry = [&] {
    return test::query_text(db, "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1");
  };
  EXPECT_EQ(analyses(), 1);
  std::string entry = last_entry();
  EXPECT_NE(entry.find("\"status\":\"completed\""), std::string::npos) << entry;
  EXPECT_NE(entry.find("\"samples_used\":322"), std::string::npos) << entry;
  EXPECT_NE(entry.find("report.html  "), std::string::npos) << entry;
  EXPECT_NE(entry.find("hapmap3.2.Q  "), std::string::npos) << entry;
  EXPECT_NE(entry.find("hapmap3.bed  "), std::string::npos) << entry;
  // A run whose popstats step fails (one population) is recorded as failed, without outputs.
  std::string one_pop = "IID\tPOP\n";
  const auto table = test::read_table(kPops);
  for (std::size_t i = 0; i < table.rows.size(); ++i)
    if (table.text(i, "POP") == "CEU") one_pop += table.text(i, "IID") + "\tCEU\n";
  test::write_text(dir + "/one.pop", one_pop);
  r = run_genomap("analyze --bfile " + kBfile + " --pop " + dir +
                  "/one.pop --k 2 --starts 1 --cv 0 --threads 2 --registry " + db + " --purpose GRU --out " +
                  dir + "/failed");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(analyses(), 2);
  entry = last_entry();
  EXPECT_NE(entry.find("\"status\":\"failed\""), std::string::npos) << entry;
  EXPECT_NE(entry.find("analyze step 'popstats' failed"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\"outputs\":[]"), std::string::npos) << entry;
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);
}

// Phenotypes made up from the .fam (deterministic): QT quantitative with some missing, BT case/control 1/2.
void write_phenotypes(const std::string& path) {
  std::istringstream lines(read_text(kBfile + ".fam"));
  std::string line, text = "#FID IID QT BT\n";
  for (std::size_t i = 0; std::getline(lines, line); ++i) {
    std::istringstream f(line);
    std::string fid, iid;
    f >> fid >> iid;
    const double qt = 10 + std::sin(static_cast<double>(i) * 1.7) + 0.01 * static_cast<double>(i % 13);
    text += fid + " " + iid + " " + (i % 37 == 5 ? std::string("NA") : std::to_string(qt)) + " " +
            (std::cos(static_cast<double>(i) * 2.3) > 0 ? "2" : "1") + "\n";
  }
  test::write_text(path, text);
}

// The GWAS step writes what genomap glm writes on the same QC'd data with the same covariates (its
// .gwas.covar: the PCA step's PCs at full precision), and the qpAdm step what genomap qpadm --rotate --no-se
// writes (the step refits only the models it shows for their SE); the report carries both sections.
TEST(PipelineAnalyze, GwasAndQpadmStepsMatchTheSingleCommands) {
  const std::string dir = scratch_dir("analyze_gwas_" + std::to_string(::getpid()));
  write_phenotypes(dir + "/pheno.txt");
  {
    std::istringstream fam(read_text(kBfile + ".fam"));
    std::string line, text = "FID IID AGE\n";
    for (int i = 0; std::getline(fam, line); ++i) {
      std::istringstream f(line);
      std::string fid, iid;
      f >> fid >> iid;
      text += fid + " " + iid + " " + std::to_string(20 + (i * 7) % 50) + "\n";
    }
    test::write_text(dir + "/covar.txt", text);
  }
  auto r = run_genomap(analyze_args(dir + "/out", "2", " --starts 1 --cv 0") + " --pheno " + dir +
                       "/pheno.txt --covar " + dir + "/covar.txt --gwas-pcs 4 --qpadm-right CEU,YRI");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string out = dir + "/out/hapmap3";
  // The covariates: AGE, then the PCA step's PC1..PC4 (the unrelated samples' as in .eigenvec).
  const auto covar = test::read_table(out + ".gwas.covar");
  ASSERT_EQ(covar.rows.size(), 324u);
  const auto eigenvec = test::read_table(out + ".eigenvec");
  for (std::size_t i = 0; i < 5; ++i) {
    std::size_t row = 0;
    while (covar.text(row, "IID") != eigenvec.text(i, "IID")) ++row;
    EXPECT_NEAR(covar.number(row, "PC1"), eigenvec.number(i, "PC1"), 5e-6);
    EXPECT_NEAR(covar.number(row, "PC4"), eigenvec.number(i, "PC4"), 5e-6);
  }
  const std::string single = dir + "/single";
  ASSERT_EQ(run_genomap("glm --bfile " + kBfile + kFilters + " --pheno " + dir + "/pheno.txt --covar " + out +
                        ".gwas.covar --threads 2 --out " + single)
                .exit_code,
            0);
  for (const char* suffix : {".QT.glm.linear", ".BT.glm.logistic.hybrid", ".glm.summary"})
    EXPECT_EQ(read_text(out + suffix), read_text(single + suffix)) << suffix;
  ASSERT_EQ(run_genomap("qpadm --bfile " + kBfile + kFilters + " --pop " + kPops +
                        " --target ASW --rotate MEX --right CEU,YRI --no-se --out " + single)
                .exit_code,
            0);
  EXPECT_EQ(read_text(out + ".ASW.qpadm.rotate"), read_text(single + ".qpadm.rotate"));
  ASSERT_EQ(run_genomap("qpadm --bfile " + kBfile + kFilters + " --pop " + kPops +
                        " --target ASW --sources MEX --right CEU,YRI --out " + single)
                .exit_code,
            0);

  const auto d = nlohmann::json::parse(read_text(dir + "/out/report-data.json"));
  const auto& gwas = d["gwas"];
  EXPECT_EQ(gwas["phenotype"], "QT");
  EXPECT_EQ(gwas["covariates"], nlohmann::json({"AGE", "PC1", "PC2", "PC3", "PC4"}));
  const auto linear = test::read_table(out + ".QT.glm.linear");
  ASSERT_EQ(gwas["p"].size(), linear.rows.size());
  ASSERT_EQ(gwas["p"].size(), d["dataset"]["variants_after"].get<std::size_t>());
  for (std::size_t v = 0; v < linear.rows.size(); v += 97) {
    EXPECT_EQ(gwas["id"][v], linear.text(v, "ID"));
    if (linear.text(v, "P") == "NA")
      EXPECT_TRUE(gwas["p"][v].is_null());
    else
      EXPECT_NEAR(gwas["p"][v].get<double>(), linear.number(v, "P"), 5e-6 * linear.number(v, "P"));
  }
  const auto summary = test::read_table(out + ".glm.summary");
  EXPECT_NEAR(gwas["lambda"].get<double>(), summary.number(0, "LAMBDA_GC"), 5e-6);
  // qpAdm: ASW and MEX are the targets; each one-source model's weight is 1 and its SE is the full fit's.
  const auto& targets = d["qpadm"]["targets"];
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0]["target"], "ASW");
  EXPECT_EQ(targets[1]["target"], "MEX");
  const auto weights = test::read_table(single + ".qpadm.weights");
  const auto& model = targets[0]["models"][0];
  EXPECT_EQ(model["sources"], nlohmann::json({"MEX"}));
  EXPECT_NEAR(model["weights"][0].get<double>(), weights.number(0, "WEIGHT"), 1e-12);
  EXPECT_NEAR(model["se"][0].get<double>(), weights.number(0, "SE"), 1e-12);

  // Dating with qpAdm's sources: each target's best feasible model has one source (MEX or ASW) with these
  // rights, so nothing is dated and the document says why for each.
  const auto& dates = d["dates"];
  EXPECT_EQ(dates["sources_from"], "qpadm");
  EXPECT_EQ(dates["targets"].size(), 0u);
  ASSERT_EQ(dates["not_dated"].size(), 2u);
  EXPECT_EQ(dates["not_dated"][0]["target"], "ASW");
  EXPECT_EQ(dates["not_dated"][0]["reason"], "qpAdm's best feasible model has 1 source(s), not two");

  // A new phenotype file reruns the GWAS and the report only.
  test::write_text(dir + "/pheno.txt", read_text(dir + "/pheno.txt") + "\n");
  r = run_genomap(analyze_args(dir + "/out", "2", " --starts 1 --cv 0") + " --pheno " + dir +
                  "/pheno.txt --covar " + dir + "/covar.txt --gwas-pcs 4 --qpadm-right CEU,YRI");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(steps_with(read_text(dir + "/out/analyze.log"), "computed"),
            (std::vector<std::string>{"gwas", "report"}));
}

}  // namespace
}  // namespace genomap

namespace genomap {
namespace {

// --vcf: HapMap3 written as a VCF by plink2 and analysed from it gives the numbers the .bed gives. Autosomes
// only: a VCF carries no sex, so chromosome X's Hardy-Weinberg test (males haploid) differs by design.
TEST(PipelineAnalyze, VcfInputGivesTheSameNumbersAsTheBed) {
  const std::string dir = scratch_dir("analyze_vcf_" + std::to_string(::getpid()));
  auto r =
      run_command("plink2 --bfile " + kBfile + " --export vcf bgz id-paste=iid --out " + dir + "/hapmap3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string common =
      " --autosome --pop " + kPops + " --k 2 --starts 1 --cv 0 --threads 2 --seed 7 --out ";
  r = run_genomap("analyze --vcf " + dir + "/hapmap3.vcf.gz" + common + dir + "/vcf");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("analyze --bfile " + kBfile + common + dir + "/bed");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto vcf = nlohmann::json::parse(read_text(dir + "/vcf/report-data.json"));
  const auto bed = nlohmann::json::parse(read_text(dir + "/bed/report-data.json"));
  EXPECT_EQ(vcf["provenance"]["steps"][0]["name"], "import");
  EXPECT_EQ(vcf["samples"]["iid"], bed["samples"]["iid"]);
  for (const char* section : {"qc", "pca", "admixture", "kinship", "fst", "f3"})
    EXPECT_EQ(vcf[section], bed[section]) << section;
  for (const char* key : {"samples_after", "variants_after", "exclusions", "populations"})
    EXPECT_EQ(vcf["dataset"][key], bed["dataset"][key]) << key;
  EXPECT_EQ(vcf["dataset"]["variants_after"], 12210);  // of 13,928: X, Y, MT and the QC filters out
  // The files without a FID column are the same bytes (the VCF's samples have FID 0).
  for (const char* suffix :
       {".vmiss", ".hardy", ".prune.in", ".eigenval", ".fst.summary", ".fstats", ".f2", ".2.Q", ".2.P"})
    EXPECT_EQ(read_text(dir + "/vcf/hapmap3" + suffix), read_text(dir + "/bed/hapmap3" + suffix)) << suffix;
}

}  // namespace
}  // namespace genomap
