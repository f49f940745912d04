// Consent enforced in an analysis: `genomap freq --registry DB --purpose CODE` on the HapMap 3 admixture data.
// Withdrawing a donor's consent removes exactly that sample's genotypes from the next run, and the consented
// frequencies match plink2 run on the consented sample list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "genomap/registry/audit_log.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

struct FamRow {
  std::string fid, iid;
};

std::vector<FamRow> read_fam_ids(const std::string& path) {
  std::vector<FamRow> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    FamRow r;
    f >> r.fid >> r.iid;
    rows.push_back(r);
  }
  return rows;
}

// Registry for the fileset: every sample has a donor with GRU consent, except sample 5 (HMB only) and sample 6
// (not in the registry).
std::string hapmap_registry(const std::string& dir, const std::vector<FamRow>& fam) {
  const std::string db = dir + "/hapmap.db";
  std::string donors = kDonorHeader, samples = kSampleHeader, consents = kConsentHeader;
  for (std::size_t i = 0; i < fam.size(); ++i) {
    if (i == 6) continue;
    const std::string id = std::to_string(i);
    donors += "D" + id + ",unknown,,,,,,,\n";
    samples += "S" + id + ",D" + id + "," + fam[i].fid + "," + fam[i].iid + ",DNA,1,ug,2008-01-01,,HapMap,,frozen,-80\n";
    consents += "C" + id + ",D" + id + "," + (i == 5 ? "HMB" : "GRU") + ",2007-01-01,,\n";
  }
  write_text(dir + "/d.csv", donors);
  write_text(dir + "/s.csv", samples);
  write_text(dir + "/c.csv", consents);
  EXPECT_EQ(run_genomap("registry init --db " + db).exit_code, 0);
  auto r = run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --samples " + dir + "/s.csv " +
                       "--consents " + dir + "/c.csv");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry fileset add --db " + db + " --bfile " + data_path("hapmap3_admixture/hapmap3"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return db;
}

std::vector<long long> obs_counts(const std::string& afreq) {
  const Table t = read_table(afreq);
  std::vector<long long> obs;
  for (std::size_t i = 0; i < t.rows.size(); ++i) obs.push_back(std::stoll(t.text(i, "OBS_CT")));
  return obs;
}

TEST(RegistryConsentAnalysis, WithdrawnSampleIsExcludedFromTheNextAnalysis) {
  const std::string dir = scratch_dir("registry_consent_freq");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const auto fam = read_fam_ids(bfile + ".fam");
  ASSERT_EQ(fam.size(), 324u);
  const std::string db = hapmap_registry(dir, fam);

  auto r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --out " + dir + "/before");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string log = read_text(dir + "/before.log");
  EXPECT_NE(log.find("purpose GRU: 322 of 324 genotyped samples have consent, 2 excluded"), std::string::npos) << log;
  EXPECT_NE(log.find("1 samples excluded: not in the registry"), std::string::npos);
  EXPECT_NE(log.find("1 samples excluded: consent HMB does not cover general research (GRU)"), std::string::npos);

  // The HMB donor counts for a health purpose.
  r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose HMB --out " + dir + "/hmb");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(read_text(dir + "/hmb.log").find("323 of 324"), std::string::npos);

  // Donor D0 (the first .fam sample) withdraws.
  r = run_genomap("registry withdraw --db " + db + " --donor D0 --reason asked");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --out " + dir + "/after");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(read_text(dir + "/after.log").find("321 of 324 genotyped samples have consent"), std::string::npos);
  EXPECT_NE(read_text(dir + "/after.log").find("1 samples excluded: consent withdrawn"), std::string::npos);

  // The withdrawn sample's own calls, variant by variant (2 where called, 0 where missing).
  write_text(dir + "/first.txt", fam[0].fid + " " + fam[0].iid + "\n");
  r = run_genomap("freq --bfile " + bfile + " --keep " + dir + "/first.txt --out " + dir + "/first");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto before = obs_counts(dir + "/before.afreq");
  const auto after = obs_counts(dir + "/after.afreq");
  const auto own = obs_counts(dir + "/first.afreq");
  ASSERT_EQ(before.size(), after.size());
  ASSERT_EQ(before.size(), own.size());
  long long called = 0;
  for (std::size_t v = 0; v < before.size(); ++v) {
    ASSERT_EQ(before[v] - after[v], own[v]) << "variant " << v;
    called += own[v] == 2;
  }
  EXPECT_GT(called, 13000);  // the sample is called at nearly all 13,928 variants

  // The audit log holds the three analyses with their sample counts and input hashes.
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM audit_log WHERE action = 'analysis'"), 3);
  const std::string last = query_text(db, "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1");
  EXPECT_NE(last.find("\"samples_used\":321"), std::string::npos) << last;
  EXPECT_NE(last.find("hapmap3.bed"), std::string::npos) << last;
  EXPECT_NE(last.find("xxh128:"), std::string::npos) << last;
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);

  // Bad purpose and missing registry: one-line errors, no outputs.
  r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRX --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 2);  // a purpose that is not one is a usage error
  EXPECT_NE(r.output.find("genomap freq: error: --purpose GRX: unknown DUO code 'GRX'"), std::string::npos) << r.output;
  r = run_genomap("freq --bfile " + bfile + " --registry " + dir + "/none.db --purpose GRU --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("none.db: no such registry database"), std::string::npos) << r.output;
  for (const auto& f : list_files(dir)) EXPECT_EQ(f.rfind("bad.", 0), std::string::npos) << f;
}

// Defect 7: the analysis entry is written after the run, with the registry IDs of the samples it used (after
// --keep), its filter lists among the inputs, and its outputs with their hashes; a failed run is recorded as such.
TEST(RegistryConsentAnalysis, AnalysisEntryHoldsTheSamplesUsedInputsAndOutputs) {
  const std::string dir = scratch_dir("registry_consent_trace");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const auto fam = read_fam_ids(bfile + ".fam");
  const std::string db = hapmap_registry(dir, fam);
  std::string keep;
  for (std::size_t i = 0; i < 10; ++i) keep += fam[i].fid + " " + fam[i].iid + "\n";
  write_text(dir + "/keep.txt", keep);
  auto r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --keep " + dir +
                       "/keep.txt --out " + dir + "/kept");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string last = query_text(db, "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1");
  EXPECT_NE(last.find("\"status\":\"completed\""), std::string::npos) << last;
  // Samples 5 (HMB only) and 6 (not in the registry) are excluded by consent; --keep leaves 8 of the rest.
  EXPECT_NE(last.find("\"samples_used\":8"), std::string::npos) << last;
  EXPECT_NE(last.find("\"sample_ids\":[\"S0\",\"S1\",\"S2\",\"S3\",\"S4\",\"S7\",\"S8\",\"S9\"]"),
            std::string::npos) << last;
  EXPECT_NE(last.find("\"sample_ids_sha256\":\"" + registry::sha256_hex("S0\nS1\nS2\nS3\nS4\nS7\nS8\nS9\n") + "\""),
            std::string::npos) << last;
  EXPECT_NE(last.find("keep.txt  "), std::string::npos) << last;
  EXPECT_NE(last.find("kept.afreq  "), std::string::npos) << last;
  const auto entries_before = query_count(db, "SELECT count(*) FROM audit_log WHERE action = 'analysis'");
  // A run that fails after the selection (a missing --extract list) is recorded as failed, with no outputs.
  r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --extract " + dir +
                  "/missing.txt --out " + dir + "/failed");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM audit_log WHERE action = 'analysis'"), entries_before + 1);
  const std::string failed = query_text(db, "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1");
  EXPECT_NE(failed.find("\"status\":\"failed\""), std::string::npos) << failed;
  EXPECT_NE(failed.find("\"outputs\":[]"), std::string::npos) << failed;
  EXPECT_EQ(run_genomap("registry audit verify --db " + db).exit_code, 0);

  // Tracing: D0 withdraws; the completed and the failed analysis used S0 before, so both are listed.
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D0").exit_code, 0);
  r = run_genomap("registry trace --db " + db + " --withdrawn --out " + dir + "/withdrawn");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table withdrawn = read_table(dir + "/withdrawn.registry_trace.tsv");
  ASSERT_EQ(withdrawn.rows.size(), 1u);  // the failed run had used no samples yet
  EXPECT_EQ(withdrawn.text(0, "kind"), "analysis");
  EXPECT_EQ(withdrawn.text(0, "sample_id"), "S0");
  EXPECT_NE(read_text(dir + "/withdrawn.registry_trace.tsv").find("(completed, purpose GRU); donor withdrew"),
            std::string::npos);
  r = run_genomap("registry trace --db " + db + " --donor D0 --out " + dir + "/d0");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table d0 = read_table(dir + "/d0.registry_trace.tsv");
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i < d0.rows.size(); ++i) kinds.push_back(d0.text(i, "kind"));
  // In time order; a date (the withdrawal's, today) sorts before the times of that day.
  EXPECT_EQ(kinds, (std::vector<std::string>{"consent", "collected", "withdrawal", "analysis"}));
}

TEST(RegistryConsentAnalysis, ConsentedFrequenciesMatchPlink2OnTheConsentedSamples) {
  if (!have_program("plink2")) GENOMAP_MISSING_TOOL("plink2 is not installed (CI installs it)");
  const std::string dir = scratch_dir("registry_consent_plink2");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const auto fam = read_fam_ids(bfile + ".fam");
  const std::string db = hapmap_registry(dir, fam);
  ASSERT_EQ(run_genomap("registry withdraw --db " + db + " --donor D10").exit_code, 0);
  // Autosomes only: chrX hemizygous counting is a matter of freq itself, not of consent.
  auto r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --autosome --out " + dir + "/g");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string keep;
  for (std::size_t i = 0; i < fam.size(); ++i)
    if (i != 5 && i != 6 && i != 10) keep += fam[i].fid + " " + fam[i].iid + "\n";
  write_text(dir + "/keep.txt", keep);
  r = run_command("plink2 --bfile " + bfile + " --keep " + dir + "/keep.txt --autosome --freq --out " + dir + "/p");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Table g = read_table(dir + "/g.afreq"), p = read_table(dir + "/p.afreq");
  ASSERT_EQ(g.rows.size(), p.rows.size());
  for (std::size_t v = 0; v < g.rows.size(); ++v) {
    ASSERT_EQ(g.text(v, "ID"), p.text(v, "ID"));
    ASSERT_EQ(g.text(v, "OBS_CT"), p.text(v, "OBS_CT")) << g.text(v, "ID");
    // Both tools print 6 significant digits: values may differ by one unit in the last place.
    ASSERT_NEAR(g.number(v, "ALT_FREQS"), p.number(v, "ALT_FREQS"), 1.5e-6) << g.text(v, "ID");
  }
}

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Registered filesets: an analysis finds its genotype files by their hashes and takes each genotype's sample
// from the link recorded at registration, so files that were changed, or others that merely share IIDs, are
// refused rather than matched by IID alone.
TEST(RegistryConsentAnalysis, GenotypesAreMatchedThroughTheRegisteredFileset) {
  const std::string dir = scratch_dir("registry_consent_fileset");
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const auto fam = read_fam_ids(bfile + ".fam");
  const std::string db = hapmap_registry(dir, fam);
  // A copy whose .fam swaps the first two individuals: the same IIDs, other genotypes.
  for (const char* ext : {".bed", ".bim"}) {
    std::filesystem::remove(dir + "/swapped" + ext);
    std::filesystem::copy_file(bfile + ext, dir + "/swapped" + ext);
  }
  std::string text = read_text(bfile + ".fam");
  const auto first = text.find('\n'), second = text.find('\n', first + 1);
  text = text.substr(first + 1, second - first) + text.substr(0, first + 1) + text.substr(second + 1);
  write_text(dir + "/swapped.fam", text);
  const long long entries = query_count(db, "SELECT count(*) FROM audit_log");
  auto r = run_genomap("freq --bfile " + dir + "/swapped --registry " + db + " --purpose GRU --out " + dir + "/s");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, dir + "/swapped: these genotype files are not a fileset registered in " + db +
                                     " (their hashes match none; genotypes are not matched to donors by IID "
                                     "alone): register them with `genomap registry fileset add"))
      << r.output;
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM audit_log"), entries);
  EXPECT_FALSE(std::filesystem::exists(dir + "/s.afreq"));

  r = run_genomap("registry fileset add --db " + db + " --bfile " + bfile + " --out " + dir + "/again");
  EXPECT_TRUE(contains(r.output, "these genotype files are already registered as fileset 'hapmap3#")) << r.output;
  EXPECT_EQ(query_text(db, "SELECT samples || ' ' || variants || ' ' || json_array_length(sample_links) || ' ' || "
                           "(SELECT count(*) FROM json_each(sample_links) WHERE json_extract(value, '$[2]') IS "
                           "NOT NULL) FROM fileset"),
            "324 " + std::to_string(query_count(db, "SELECT variants FROM fileset")) + " 324 323");

  // The link is the one recorded: a sample re-linked to another IID afterwards keeps its genotypes.
  ASSERT_EQ(run_genomap("registry amend sample --db " + db + " sample_id=S0 genotype_iid=ELSEWHERE").exit_code, 0);
  r = run_genomap("freq --bfile " + bfile + " --registry " + db + " --purpose GRU --out " + dir + "/linked");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_text(db, "SELECT json_extract(details, '$.sample_ids[0]') || ' ' || "
                           "json_extract(details, '$.samples_used') FROM audit_log WHERE action = 'analysis'"),
            "S0 322");
  EXPECT_TRUE(contains(read_text(dir + "/linked.log"), "(registered fileset hapmap3#")) << read_text(dir + "/linked.log");
}

}  // namespace
}  // namespace genomap::test
