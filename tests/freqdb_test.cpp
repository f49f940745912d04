// Frequency releases: rounding and suppression rules, counts against plink2 --geno-counts per population on
// the HapMap 3 data, small populations hidden or merged, the content hash, consent, and bad input to the
// command.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/freqdb/release_builder.hpp"
#include "genomap/geno/dataset.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

using freqdb::PublishedCounts;

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");

// FID IID POP for every .fam sample, labels from hapmap3_populations.tsv (matched by IID).
std::string write_pop_file(const std::string& dir) {
  std::map<std::string, std::string> pop_of;
  const Table t = read_table(data_path("hapmap3_admixture/hapmap3_populations.tsv"));
  for (std::size_t i = 0; i < t.rows.size(); ++i) pop_of[t.text(i, "IID")] = t.text(i, "POP");
  std::istringstream fam(read_text(kBfile + ".fam"));
  std::string line, out = "FID IID POP\n";
  while (std::getline(fam, line)) {
    std::istringstream f(line);
    std::string fid, iid;
    f >> fid >> iid;
    out += fid + " " + iid + " " + pop_of.at(iid) + "\n";
  }
  write_text(dir + "/pops.txt", out);
  return dir + "/pops.txt";
}

// True per-population counts from plink2: AC = HET + 2 * TWO_ALT (+ HAP_ALT), AN = 2 * diploid calls (+
// haploid calls), hom-alt = TWO_ALT. On chromosome X plink2 counts the .fam's males as haploid (HAP_REF_CT,
// HAP_ALT_CTS).
struct TrueCounts {
  std::uint64_t ac = 0, an = 0, hom = 0;
};
std::map<std::string, TrueCounts> plink2_counts(const std::string& dir, const std::string& pop_file,
                                                const std::string& pop,
                                                const std::string& chromosomes = "1-22") {
  std::istringstream in(read_text(pop_file));
  std::string line, keep;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string fid, iid, p;
    f >> fid >> iid >> p;
    if (p == pop) keep += fid + " " + iid + "\n";
  }
  write_text(dir + "/" + pop + ".keep", keep);
  auto r =
      run_command("plink2 --bfile " + kBfile + " --keep " + dir + "/" + pop + ".keep --chr " + chromosomes +
                  " --geno-counts --out " + dir + "/" + pop + "_" + chromosomes + " >/dev/null 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const Table g = read_table(dir + "/" + pop + "_" + chromosomes + ".gcount");
  std::map<std::string, TrueCounts> out;
  for (std::size_t i = 0; i < g.rows.size(); ++i) {
    const auto hom_ref = static_cast<std::uint64_t>(g.number(i, "HOM_REF_CT"));
    const auto het = static_cast<std::uint64_t>(g.number(i, "HET_REF_ALT_CTS"));
    const auto two_alt = static_cast<std::uint64_t>(g.number(i, "TWO_ALT_GENO_CTS"));
    const auto hap_ref = static_cast<std::uint64_t>(g.number(i, "HAP_REF_CT"));
    const auto hap_alt = static_cast<std::uint64_t>(g.number(i, "HAP_ALT_CTS"));
    out[g.text(i, "ID")] = {het + 2 * two_alt + hap_alt, 2 * (hom_ref + het + two_alt) + hap_ref + hap_alt,
                            two_alt};
  }
  return out;
}

Dataset hapmap_dataset() {
  auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(kBfile));
  return Dataset::whole(store);
}

// Every variant of a release, read back through the service's region query (all chromosomes).
std::vector<freqdb::ReleaseVariant> all_variants(const freqdb::FrequencyDatabase& db) {
  std::vector<freqdb::ReleaseVariant> out;
  for (int c = 1; c <= 26; ++c) {
    const std::string chrom =
        c <= 22 ? std::to_string(c) : std::vector<std::string>{"X", "Y", "XY", "MT"}[c - 23];
    freqdb::RegionCursor cursor{1, -1};
    for (int page = 0; page < 100000; ++page) {
      auto p = db.region(chrom, 1, (std::int64_t{1} << 31) - 1, cursor, 5000);
      out.insert(out.end(), p.variants.begin(), p.variants.end());
      if (!p.next) break;
      cursor = *p.next;
    }
  }
  return out;
}

TEST(FreqdbRounding, GridValuesAndNoCountBelowThreshold) {
  EXPECT_EQ(freqdb::round_to_grid(0, 20), 0u);
  EXPECT_EQ(freqdb::round_to_grid(1, 20), 0u);
  EXPECT_EQ(freqdb::round_to_grid(9, 20), 0u);
  EXPECT_EQ(freqdb::round_to_grid(10, 20), 20u);
  EXPECT_EQ(freqdb::round_to_grid(19, 20), 20u);
  EXPECT_EQ(freqdb::round_to_grid(29, 20), 20u);
  EXPECT_EQ(freqdb::round_to_grid(30, 20), 40u);
  EXPECT_EQ(freqdb::round_to_grid(7, 1), 7u);
  EXPECT_EQ(freqdb::round_to_grid(24, 25), 25u);
  EXPECT_EQ(freqdb::round_to_grid(12, 25), 0u);
  // Every genotype configuration of up to 60 samples: each field a multiple of the grid, AC <= AN, het >= 0.
  for (std::uint32_t grid : {20u, 30u}) {
    for (std::uint64_t called = 0; called <= 60; ++called)
      for (std::uint64_t het = 0; het <= called; ++het)
        for (std::uint64_t hom = 0; het + hom <= called; ++hom) {
          const PublishedCounts c = freqdb::publish_counts(called, het, het + 2 * hom, grid);
          ASSERT_EQ(c.alt_count % grid, 0u);
          ASSERT_EQ(c.allele_number % grid, 0u);
          ASSERT_EQ(c.hom_alt_count % grid, 0u);
          ASSERT_LE(c.alt_count, c.allele_number);
          ASSERT_LE(2 * c.hom_alt_count, c.alt_count);
        }
  }
  EXPECT_THROW(freqdb::publish_counts(5, 6, 6, 20), Error);
  EXPECT_THROW(freqdb::round_to_grid(5, 0), Error);
}

class FreqdbRelease : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = scratch_dir("freqdb_release_" +
                       std::to_string(::getpid()));  // ctest runs each test in its own process
    pop_file_ = write_pop_file(dir_);
    for (const char* pop : {"ASW", "CEU", "MEX", "YRI"}) truth_[pop] = plink2_counts(dir_, pop_file_, pop);
  }
  static freqdb::ReleaseBuildSummary build(const freqdb::ReleaseBuildOptions& options,
                                           const std::string& out) {
    Dataset data = hapmap_dataset();
    PopulationAssignment labels =
        read_population_labels(pop_file_, data);
    labels.sort_by_name();
    Context ctx;
    return freqdb::build_release(data, labels, {{"CEU", {40.76, -111.89}}}, options, out, ctx);
  }
  static inline std::string dir_, pop_file_;
  static inline std::map<std::string, std::map<std::string, TrueCounts>> truth_;
};

TEST_F(FreqdbRelease, UnroundedCountsEqualPlink2GenoCounts) {
  freqdb::ReleaseBuildOptions options;
  options.min_count = 1;
  options.min_population_size = 1;
  options.keep_unobserved = true;
  const auto summary = build(options, dir_ + "/exact.freqdb");
  ASSERT_EQ(summary.populations.size(), 4u);
  EXPECT_EQ(summary.samples_counted, 324u);
  freqdb::FrequencyDatabase db(dir_ + "/exact.freqdb");
  std::size_t compared = 0;
  for (const auto& v : all_variants(db)) {
    if (v.chrom == "X" || v.chrom == "Y" || v.chrom == "XY" || v.chrom == "MT") continue;
    for (std::size_t p = 0; p < 4; ++p) {
      const TrueCounts& t = truth_.at(db.populations()[p].name).at(v.id);
      ASSERT_EQ(v.counts[p].alt_count, t.ac) << v.id << " " << db.populations()[p].name;
      ASSERT_EQ(v.counts[p].allele_number, t.an) << v.id;
      ASSERT_EQ(v.counts[p].hom_alt_count, t.hom) << v.id;
      ++compared;
    }
  }
  EXPECT_EQ(compared, truth_.at("CEU").size() * 4);
  EXPECT_GT(compared, 40000u);
}

// Chromosome X: the .fam's 157 males are hemizygous (one allele per call, heterozygous male calls not
// counted), the 167 females diploid. Every X variant of every population equals plink2 --geno-counts --chr X
// (which reads the same sexes): AN, AC and hom-ALT exactly.
TEST_F(FreqdbRelease, ChromosomeXCountsMalesAsOneAllele) {
  freqdb::ReleaseBuildOptions options;
  options.min_count = 1;
  options.min_population_size = 1;
  options.keep_unobserved = true;
  build(options, dir_ + "/exact_x.freqdb");
  freqdb::FrequencyDatabase db(dir_ + "/exact_x.freqdb");
  std::map<std::string, std::map<std::string, TrueCounts>> truth;
  for (const char* pop : {"ASW", "CEU", "MEX", "YRI"}) truth[pop] = plink2_counts(dir_, pop_file_, pop, "X");
  std::size_t compared = 0, haploid_an = 0;
  for (const auto& v : all_variants(db)) {
    if (v.chrom != "X") continue;
    for (std::size_t p = 0; p < 4; ++p) {
      const std::string& pop = db.populations()[p].name;
      const TrueCounts& t = truth.at(pop).at(v.id);
      ASSERT_EQ(v.counts[p].alt_count, t.ac) << v.id << " " << pop;
      ASSERT_EQ(v.counts[p].allele_number, t.an) << v.id << " " << pop;
      ASSERT_EQ(v.counts[p].hom_alt_count, t.hom) << v.id << " " << pop;
      haploid_an += v.counts[p].allele_number % 2;  // odd AN: some hemizygous calls
      ++compared;
    }
  }
  EXPECT_EQ(compared, 722u * 4);
  EXPECT_GT(haploid_an, 100u);
}

// Subtraction across releases and groupings: (1) a release with one more sample than the previous one, (2) a
// release merging ASW and MEX into OTHER against one showing MEX alone (ASW hidden): OTHER - MEX would be
// ASW's counts, and release 2 - release 1 the added person's. Every difference of every field (AC, AN,
// hom-ALT, AN - AC, AC - 2 hom) at every variant is a multiple of 20, so none lies in 1..19; the published
// values still move, which is the boundary information docs/open-data.md describes.
TEST_F(FreqdbRelease, DifferencesBetweenReleasesAndGroupingsStayOnTheGrid) {
  auto build_with = [&](const freqdb::ReleaseBuildOptions& options, const std::string& out,
                        bool drop_one_sample) {
    Dataset data = hapmap_dataset();
    PopulationAssignment labels =
        read_population_labels(pop_file_, data);
    labels.sort_by_name();
    if (drop_one_sample) {  // the first CEU sample had not joined yet
      const std::uint32_t ceu = labels.index_of("CEU", "test");
      for (auto& p : labels.pop_of_sample)
        if (p == static_cast<std::int32_t>(ceu)) {
          p = -1;
          --labels.sizes[ceu];
          break;
        }
    }
    Context ctx;
    freqdb::build_release(data, labels, {}, options, out, ctx);
    std::map<std::string, std::map<std::string, PublishedCounts>> by_id;
    freqdb::FrequencyDatabase db(out);
    for (const auto& v : all_variants(db))
      for (std::size_t p = 0; p < db.populations().size(); ++p)
        by_id[v.id][db.populations()[p].name] = v.counts[p];
    return by_id;
  };
  auto on_grid = [](const PublishedCounts& a, const PublishedCounts& b) {
    const std::int64_t d[] = {
        std::int64_t{a.alt_count} - b.alt_count, std::int64_t{a.allele_number} - b.allele_number,
        std::int64_t{a.hom_alt_count} - b.hom_alt_count,
        (std::int64_t{a.allele_number} - a.alt_count) - (std::int64_t{b.allele_number} - b.alt_count),
        (std::int64_t{a.alt_count} - 2 * a.hom_alt_count) -
            (std::int64_t{b.alt_count} - 2 * b.hom_alt_count)};
    for (std::int64_t x : d)
      if (x % 20 != 0) return false;
    return true;
  };
  freqdb::ReleaseBuildOptions options;
  options.keep_unobserved = true;
  const auto before = build_with(options, dir_ + "/before.freqdb", true);
  const auto after = build_with(options, dir_ + "/after.freqdb", false);
  std::size_t compared = 0, moved = 0;
  for (const auto& [id, pops] : after)
    for (const auto& [pop, counts] : pops) {
      const PublishedCounts& old_counts = before.at(id).at(pop);
      ASSERT_TRUE(on_grid(counts, old_counts)) << id << " " << pop;
      moved += !(counts == old_counts);
      ++compared;
    }
  EXPECT_GT(compared, 40000u);
  EXPECT_GT(moved, 0u);  // one person still moves some values across a rounding boundary
  options.min_population_size = 60;
  options.small_populations = freqdb::SmallPopulationRule::Merge;
  const auto merged = build_with(options, dir_ + "/merged_sub.freqdb", false);
  options.min_population_size = 50;
  options.small_populations = freqdb::SmallPopulationRule::Hide;
  const auto separate = build_with(options, dir_ + "/separate_sub.freqdb", false);
  compared = 0;
  for (const auto& [id, pops] : merged) {
    ASSERT_EQ(separate.at(id).count("ASW"), 0u);
    ASSERT_TRUE(on_grid(pops.at("OTHER"), separate.at(id).at("MEX"))) << id;
    ++compared;
  }
  EXPECT_GT(compared, 10000u);
}

TEST_F(FreqdbRelease, RoundedReleaseNeverHoldsACountBelowTwenty) {
  freqdb::ReleaseBuildOptions options;  // defaults: min count 20, min population size 50 (ASW, 49, hidden)
  const auto summary = build(options, dir_ + "/rounded.freqdb");
  ASSERT_EQ(summary.populations.size(), 3u);
  EXPECT_EQ(summary.hidden, std::vector<std::string>{"ASW"});
  EXPECT_EQ(summary.samples_counted, 112u + 50u + 113u);
  freqdb::FrequencyDatabase db(dir_ + "/rounded.freqdb");
  EXPECT_EQ(db.info().min_count, 20u);
  EXPECT_EQ(db.populations()[0].name, "CEU");
  EXPECT_DOUBLE_EQ(*db.populations()[0].latitude, 40.76);
  EXPECT_FALSE(db.populations()[1].latitude.has_value());
  const auto variants = all_variants(db);
  ASSERT_EQ(variants.size(), summary.variant_ct);
  EXPECT_GT(summary.unobserved_dropped, 0u);
  std::size_t rare_hidden = 0;
  for (const auto& v : variants) {
    bool observed = false;
    for (std::size_t p = 0; p < 3; ++p) {
      const auto& c = v.counts[p];
      for (std::uint32_t value : {c.alt_count, c.allele_number, c.hom_alt_count,
                                  c.allele_number - c.alt_count, c.alt_count - 2 * c.hom_alt_count})
        ASSERT_EQ(value % 20, 0u) << v.id;  // so no value, sum or difference of values lies in 1..19
      observed = observed || c.alt_count > 0;
      if (v.chrom == "X" || v.chrom == "Y" || v.chrom == "XY" || v.chrom == "MT") continue;
      const TrueCounts& t = truth_.at(db.populations()[p].name).at(v.id);
      ASSERT_EQ(c.alt_count, freqdb::round_to_grid(t.ac, 20)) << v.id;
      ASSERT_EQ(c.allele_number, freqdb::round_to_grid(t.an, 20)) << v.id;
      rare_hidden += t.ac >= 1 && t.ac <= 9;
      // Differences between populations are multiples of 20 too.
      for (std::size_t q = 0; q < p; ++q) {
        const auto d =
            static_cast<std::int64_t>(c.alt_count) - static_cast<std::int64_t>(v.counts[q].alt_count);
        ASSERT_EQ(d % 20, 0) << v.id;
      }
    }
    ASSERT_TRUE(observed) << v.id << " has no published ALT copy and should have been dropped";
  }
  EXPECT_GT(rare_hidden, 100u);  // the data has rare alleles, and they were published as 0
  // The release facts: version, content hash, parameters.
  EXPECT_EQ(db.info().version, "1");
  EXPECT_EQ(db.info().content_hash, summary.content_hash);
  EXPECT_EQ(db.recompute_content_hash(), summary.content_hash);
  EXPECT_EQ(db.info().parameters.at("min_population_size"), 50);
  EXPECT_EQ(db.info().hidden_populations, std::vector<std::string>{"ASW"});
  // Nothing individual-level: the file holds exactly these tables, and no sample ID anywhere.
  EXPECT_EQ(query_text(dir_ + "/rounded.freqdb",
                       "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE "
                       "type='table' ORDER BY name)"),
            "population,release,variant");
  const std::string bytes = read_text(dir_ + "/rounded.freqdb");
  for (const char* iid : {"NA19916", "NA19835", "NA06984", "NA18486"})
    EXPECT_EQ(bytes.find(iid), std::string::npos) << iid;
}

TEST_F(FreqdbRelease, SmallPopulationsMergeIntoOneGroup) {
  freqdb::ReleaseBuildOptions options;
  options.min_population_size = 60;  // ASW (49) and MEX (50) are small, together 99
  options.small_populations = freqdb::SmallPopulationRule::Merge;
  const auto summary = build(options, dir_ + "/merged.freqdb");
  ASSERT_EQ(summary.populations.size(), 3u);
  EXPECT_TRUE(summary.hidden.empty());
  freqdb::FrequencyDatabase db(dir_ + "/merged.freqdb");
  EXPECT_EQ(db.populations()[2].name, "OTHER");
  EXPECT_EQ(db.populations()[2].sample_ct, 99u);
  EXPECT_EQ(db.populations()[2].merged_from, (std::vector<std::string>{"ASW", "MEX"}));
  const auto v = db.find_by_id(truth_.at("CEU").begin()->first, 10);
  if (!v.empty()) {
    const auto& a = truth_.at("ASW").at(v[0].id);
    const auto& m = truth_.at("MEX").at(v[0].id);
    EXPECT_EQ(v[0].counts[2].alt_count, freqdb::round_to_grid(a.ac + m.ac, 20));
  }
  // A merged group still too small is hidden.
  // Every population below 120: all merge into one group of 324; below 400 the group is hidden and nothing is
  // left.
  options.min_population_size = 120;
  const auto all_small = build(options, dir_ + "/merged2.freqdb");
  ASSERT_EQ(all_small.populations.size(), 1u);
  EXPECT_EQ(all_small.populations[0].sample_ct, 324u);
  options.min_population_size = 400;
  EXPECT_THROW(build(options, dir_ + "/merged3.freqdb"), Error);
}

TEST_F(FreqdbRelease, SameInputSameContentHashAndEditsAreDetected) {
  freqdb::ReleaseBuildOptions options;
  options.version = "2026-12";
  const auto a = build(options, dir_ + "/a.freqdb");
  const auto b = build(options, dir_ + "/b.freqdb");
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(a.content_hash.rfind("xxh128:", 0), 0u);
  EXPECT_EQ(exec_sql(dir_ + "/b.freqdb", "UPDATE variant SET counts = zeroblob(36) WHERE variant_idx = 7"),
            "");
  freqdb::FrequencyDatabase edited(dir_ + "/b.freqdb");
  EXPECT_NE(edited.recompute_content_hash(), edited.info().content_hash);
}

TEST(FreqdbCommand, BuildsAReleaseAndRefusesBadInput) {
  const std::string dir = scratch_dir("freqdb_command");
  const std::string pops = write_pop_file(dir);
  write_text(
      dir + "/coords.tsv",
      "POP\tLAT\tLON\tSOURCE\nCEU\t40.76\t-111.89\tHapMap 3 (Utah)\nYRI\t7.38\t3.95\tHapMap 3, Ibadan\n");
  auto r = run_genomap("freqdb build --bfile " + kBfile + " --pop " + pops + " --pop-coords " + dir +
                       "/coords.tsv --release-version v1 --out " + dir + "/r.freqdb");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  freqdb::FrequencyDatabase db(dir + "/r.freqdb");
  EXPECT_EQ(db.info().version, "v1");
  EXPECT_DOUBLE_EQ(*db.populations()[2].latitude, 7.38);
  EXPECT_EQ(db.populations().size(), 3u);
  EXPECT_NE(read_text(dir + "/r.freqdb.log").find("population ASW hidden: fewer than 50 samples"),
            std::string::npos);

  r = run_genomap("freqdb build --bfile " + kBfile + " --pop " + pops + " --min-count 19 --out " + dir +
                  "/low.freqdb");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--min-count 19 is below the lowest allowed, 20"), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(dir + "/low.freqdb").good());

  write_text(dir + "/bad_coords.tsv", "POP LAT LON\nCEU 140 10\n");
  r = run_genomap("freqdb build --bfile " + kBfile + " --pop " + pops + " --pop-coords " + dir +
                  "/bad_coords.tsv --out " + dir + "/bad.freqdb");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("bad_coords.tsv:2: LAT '140' is not a number in [-90, 90]"), std::string::npos)
      << r.output;
  EXPECT_FALSE(std::ifstream(dir + "/bad.freqdb").good());

  r = run_genomap("freqdb build --bfile " + kBfile + " --pop " + pops + " --min-pop-size 500 --out " + dir +
                  "/none.freqdb");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("no population has at least 500 samples"), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(dir + "/none.freqdb").good());
  for (const auto& f : list_files(dir))
    EXPECT_EQ(f.find(".tmp."), std::string::npos) << f;  // no partial output
  // Not a release: a text file, and a registry database.
  write_text(dir + "/text.freqdb", "hello");
  EXPECT_THROW({ freqdb::FrequencyDatabase db_text(dir + "/text.freqdb"); }, Error);
  EXPECT_THROW({ freqdb::FrequencyDatabase db_missing(dir + "/missing.freqdb"); }, Error);
}

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

// With --registry/--purpose only consented samples are counted, and the release records how many.
TEST(FreqdbCommand, CountsOnlyConsentedSamples) {
  const std::string dir = scratch_dir("freqdb_consent");
  const std::string pops = write_pop_file(dir);
  std::istringstream in(read_text(pops));
  std::string line, donors = kDonorHeader, samples = kSampleHeader, consents = kConsentHeader;
  std::getline(in, line);
  std::map<std::string, std::uint32_t> consented_per_pop;
  for (int i = 0; std::getline(in, line); ++i) {
    std::istringstream f(line);
    std::string fid, iid, pop;
    f >> fid >> iid >> pop;
    const std::string id = std::to_string(i);
    donors += "D" + id + ",unknown,,,,,,,\n";
    samples += "S" + id + ",D" + id + "," + fid + "," + iid + ",DNA,1,ug,2008-01-01,,HapMap,,frozen,-80\n";
    const bool general = i % 7 != 0;  // every 7th donor consented to health research only
    consents += "C" + id + ",D" + id + "," + (general ? "GRU" : "HMB") + ",2007-01-01,,\n";
    if (general) ++consented_per_pop[pop];
  }
  write_text(dir + "/d.csv", donors);
  write_text(dir + "/s.csv", samples);
  write_text(dir + "/c.csv", consents);
  const std::string db = dir + "/registry.db";
  ASSERT_EQ(run_genomap("registry init --db " + db + " --out " + dir + "/init").exit_code, 0);
  auto r = run_genomap("registry import --out " + dir + "/import --db " + db + " --donors " + dir +
                       "/d.csv --samples " + dir + "/s.csv --consents " + dir + "/c.csv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry fileset add --db " + db + " --bfile " + kBfile + " --out " + dir + "/fileset");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("freqdb build --bfile " + kBfile + " --pop " + pops + " --registry " + db +
                  " --purpose GRU --min-pop-size 40 --out " + dir + "/consented.freqdb");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  freqdb::FrequencyDatabase release(dir + "/consented.freqdb");
  std::uint64_t expected = 0;
  for (const auto& p : release.populations()) {
    EXPECT_EQ(p.sample_ct, consented_per_pop.at(p.name)) << p.name;
    expected += p.sample_ct;
  }
  EXPECT_EQ(release.info().samples_counted, expected);
  EXPECT_EQ(release.info().parameters.at("consent").at("purpose"), "GRU");
  std::uint32_t total = 0;
  for (const auto& [pop, n] : consented_per_pop) total += n;
  EXPECT_EQ(release.info().parameters.at("consent").at("samples_consented"), total);
  EXPECT_LT(total, 324u);
}

}  // namespace
}  // namespace genomap::test
