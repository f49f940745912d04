// The membership attack of Shringarpure & Bustamante (2015, AJHG 97:631) against releases built from
// `genomap simulate` data: an attacker holding a genome asks the Beacon, for each ALT allele the genome
// carries, whether the allele exists, and runs their likelihood-ratio test against reference frequencies. Its
// power (members detected at a 5% false-positive rate set on non-members) is measured on an undefended
// release (every count published exactly) and on the default release (counts rounded to multiples of 20), for
// the original test and for an attacker who knows the rounding rule. The numbers are quoted in
// docs/open-data.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "genomap/core/context.hpp"
#include "genomap/freqdb/frequency_database.hpp"
#include "genomap/freqdb/release_builder.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/serve/frequency_api.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

constexpr std::size_t kSamples = 600, kVariants = 20000;
constexpr std::size_t kMembers =
    100;                              // samples 0..99 are in the beacon; 100..299 are not; 300..599 reference
constexpr std::size_t kTested = 300;  // members and non-members whose statistic is computed
constexpr double kDelta = 1e-6;  // S&B's allowance for a member's allele answered "no" (sequencing error)

// ALT (allele 1) copies per variant and sample, -1 when missing.
std::vector<std::vector<int>> alt_copies(const Dataset& data) {
  std::vector<std::vector<int>> g(data.variant_ct(), std::vector<int>(data.sample_ct()));
  Context ctx;
  for_each_block(data, ctx, 4096, "read", [&](const GenotypeBlock& block) {
    for (std::size_t v = 0; v < block.variant_ct(); ++v) {
      const std::uint64_t* row = block.row(v);
      for (std::size_t i = 0; i < data.sample_ct(); ++i) {
        const unsigned code =
            (row[i / 32] >> (2 * (i % 32))) & 3u;  // PLINK: 0 hom A1, 1 missing, 2 het, 3 hom A2
        g[block.first_variant_idx() + v][i] = code == 0 ? 2 : code == 2 ? 1 : code == 3 ? 0 : -1;
      }
    }
  });
  return g;
}

// log P(Binomial(n, f) >= t) for small t, and its complement.
double upper_tail(int n, double f, int t) {
  if (t <= 0) return 1.0;
  double below = 0, log_term = n * std::log1p(-f);  // k = 0
  for (int k = 0; k < t && k <= n; ++k) {
    below += std::exp(log_term);
    log_term += std::log(static_cast<double>(n - k) / (k + 1)) + std::log(f) - std::log1p(-f);
  }
  return std::clamp(1.0 - below, 0.0, 1.0);
}

// The test statistic for one genome: sum over carried alleles of log P(answer | not in beacon) / P(answer |
// in beacon), where the beacon says "yes" when at least `threshold` copies are counted. threshold 1 is S&B's
// original model (a member's allele is always present, up to kDelta); a release rounding to multiples of 20
// says "yes" from 10 copies, which an informed attacker models with threshold 10. Low values mean "member".
double attack_statistic(const std::vector<int>& copies, const std::vector<double>& ref_freq,
                        const std::vector<bool>& beacon_yes, int beacon_samples, int threshold,
                        std::size_t max_queries) {
  double lambda = 0;
  std::size_t queries = 0;
  for (std::size_t v = 0; v < copies.size() && queries < max_queries; ++v) {
    if (copies[v] <= 0) continue;
    ++queries;
    const double f = ref_freq[v];
    const double p0 = upper_tail(2 * beacon_samples, f, threshold);
    double p1 = upper_tail(2 * beacon_samples - 2, f, threshold - copies[v]);
    const double no1 = std::max(1.0 - p1, kDelta * std::pow(1 - f, 2 * beacon_samples - 2));
    p1 = 1.0 - no1;
    lambda +=
        beacon_yes[v] ? std::log(std::max(p0, 1e-300) / p1) : std::log(std::max(1.0 - p0, 1e-300) / no1);
  }
  return lambda;
}

struct Power {
  double power = 0;
  double threshold = 0;
};

Power power_at_5_percent(const std::vector<double>& members, std::vector<double> others) {
  std::sort(others.begin(), others.end());
  const double cut = others[others.size() / 20];  // 5% of non-members fall below
  const auto hits = std::count_if(members.begin(), members.end(), [&](double x) { return x < cut; });
  return {static_cast<double>(hits) / static_cast<double>(members.size()), cut};
}

TEST(MembershipAttack, RoundingDefeatsTheBeaconLikelihoodRatioTest) {
  const std::string dir = scratch_dir("membership_attack");
  auto r = run_genomap("simulate --n " + std::to_string(kSamples) + " --m " + std::to_string(kVariants) +
                       " --k 1 --fst 0.3 --seed 11 --quiet --out " + dir + "/sim");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(dir + "/sim"));
  const Dataset all = Dataset::whole(store);
  const auto g = alt_copies(all);

  std::vector<std::uint32_t> member_uidx(kMembers);
  for (std::uint32_t i = 0; i < kMembers; ++i) member_uidx[i] = i;
  Dataset members = all;
  members.samples = SampleView(kSamples, member_uidx);
  const PopulationAssignment labels = assign_populations(std::vector<std::string>(kMembers, "SIM"));

  // The attacker's reference frequencies: samples 300..599, never in the beacon.
  std::vector<double> ref_freq(kVariants);
  std::size_t rare = 0;
  for (std::size_t v = 0; v < kVariants; ++v) {
    double ac = 0, an = 0;
    for (std::size_t i = kTested; i < kSamples; ++i)
      if (g[v][i] >= 0) ac += g[v][i], an += 2;
    ref_freq[v] = (ac + 0.5) / (an + 1);
    rare += ref_freq[v] < 0.01;
  }

  struct Arm {
    const char* name;
    std::uint32_t min_count;
    int model_threshold;
  };
  const Arm arms[] = {{"no defence, S&B test", 1, 1},
                      {"rounding to 20, S&B test", 20, 1},
                      {"rounding to 20, informed attacker", 20, 10}};
  std::vector<double> power, power_1000;
  std::cout << "membership attack: " << kMembers << " beacon members, " << kVariants << " variants (" << rare
            << " with reference frequency < 1%), " << kMembers << " members vs " << kTested - kMembers
            << " non-members tested\n";
  for (const Arm& arm : arms) {
    freqdb::ReleaseBuildOptions options;
    options.min_count = arm.min_count;
    options.min_population_size = 1;
    const std::string path = dir + "/beacon_" + std::to_string(arm.min_count) + ".freqdb";
    Context ctx;
    freqdb::build_release(members, labels, {}, options, path, ctx);
    freqdb::FrequencyDatabase db(path);
    serve::FrequencyApi api(db, {});
    // The beacon's boolean answer for every variant's ALT allele, through the service's Beacon v2 handler.
    std::vector<bool> yes(kVariants);
    for (std::size_t v = 0; v < kVariants; ++v) {
      const Variant& var = all.variant(v);
      const nlohmann::json request = {{"requestParameters",
                                       {{"referenceName", var.chrom},
                                        {"start", var.pos - 1},
                                        {"referenceBases", var.allele2},
                                        {"alternateBases", var.allele1}}},
                                      {"pagination", nlohmann::json::object()}};
      yes[v] =
          api.beacon_variants(request, serve::Tier::Anonymous).body["responseSummary"]["exists"].get<bool>();
    }
    // Power by the number of queries the attacker may make (the ALT alleles their genome carries, in genome
    // order; a query budget caps it).
    std::cout << "  " << arm.name << " (" << std::count(yes.begin(), yes.end(), true)
              << " alleles answered yes):";
    for (std::size_t max_queries : {std::size_t{300}, std::size_t{1000}, std::size_t{3000}, kVariants}) {
      std::vector<double> in, out;
      std::vector<int> copies(kVariants);
      for (std::size_t i = 0; i < kTested; ++i) {
        for (std::size_t v = 0; v < kVariants; ++v) copies[v] = g[v][i];
        (i < kMembers ? in : out)
            .push_back(attack_statistic(copies, ref_freq, yes, kMembers, arm.model_threshold, max_queries));
      }
      const Power p = power_at_5_percent(in, out);
      std::cout << " power " << p.power << " with "
                << (max_queries == kVariants ? "all" : std::to_string(max_queries)) << " queries;";
      if (max_queries == kVariants) power.push_back(p.power);
      if (max_queries == 1000) power_1000.push_back(p.power);
    }
    std::cout << "\n";
  }
  // Undefended, every member is found. Rounding halves the original test's power; an attacker who models the
  // rounding keeps most of it when unlimited queries are allowed, and loses most of it under a query budget.
  EXPECT_GE(power[0], 0.95);
  EXPECT_LE(power[1], 0.6);
  EXPECT_LT(power[2], power[0]);
  EXPECT_LT(power_1000[2], power_1000[0]);
}

}  // namespace
}  // namespace genomap::test
