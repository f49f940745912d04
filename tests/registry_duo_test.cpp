// DUO semantics of the registry (GA4GH Data Use Ontology definitions, docs/registry.md) and the consent filter
// that every analysis goes through, called directly as the ancestry analyses (pca, admix, fst) will call it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "genomap/core/error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/consent_filter.hpp"
#include "genomap/registry/duo.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/schema.hpp"
#include "registry_fixtures.hpp"

namespace genomap::registry {
namespace {

bool allowed(const std::string& consent, const std::string& purpose, bool ancestry = false) {
  return decide(parse_consent_codes(consent), parse_purpose(purpose), ancestry).allowed;
}
std::string reason(const std::string& consent, const std::string& purpose, bool ancestry = false) {
  return decide(parse_consent_codes(consent), parse_purpose(purpose), ancestry).reason;
}
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(RegistryDuo, GeneralResearchUseCoversEverythingIncludingAncestry) {
  for (const char* purpose : {"GRU", "HMB", "DS-T2D", "POA"}) EXPECT_TRUE(allowed("GRU", purpose)) << purpose;
  EXPECT_TRUE(allowed("GRU", "HMB", true));
  EXPECT_TRUE(allowed("NRES", "POA", true));
}

TEST(RegistryDuo, HealthMedicalBiomedicalExcludesAncestry) {
  EXPECT_TRUE(allowed("HMB", "HMB"));
  EXPECT_TRUE(allowed("HMB", "DS-T2D"));  // disease research is health research
  EXPECT_FALSE(allowed("HMB", "GRU"));    // general research is broader than HMB
  EXPECT_FALSE(allowed("HMB", "POA"));
  // An ancestry analysis is refused even when the user states a purpose HMB covers.
  EXPECT_FALSE(allowed("HMB", "HMB", true));
  EXPECT_EQ(reason("HMB", "HMB", true), "HMB consent does not cover population origins/ancestry research");
  EXPECT_TRUE(allowed("HMB;POA", "HMB", true));  // explicit POA alongside HMB covers it
}

TEST(RegistryDuo, PopulationOriginsAncestryOnlyCoversAncestry) {
  EXPECT_TRUE(allowed("POA", "POA"));
  EXPECT_TRUE(allowed("POA", "POA", true));
  EXPECT_FALSE(allowed("POA", "HMB"));
  EXPECT_FALSE(allowed("POA", "GRU"));
  EXPECT_FALSE(allowed("POA", "GRU", true));  // ancestry is covered but the stated purpose is not
}

TEST(RegistryDuo, DiseaseSpecificCoversOnlyThatDisease) {
  EXPECT_TRUE(allowed("DS-T2D", "DS-T2D"));
  EXPECT_TRUE(allowed("DS-t2d", "ds-T2D"));  // codes are case-insensitive
  EXPECT_FALSE(allowed("DS-T2D", "DS-CANCER"));
  EXPECT_FALSE(allowed("DS-T2D", "HMB"));
  EXPECT_FALSE(allowed("DS-T2D", "DS-T2D", true));
  EXPECT_TRUE(allowed("DS-T2D;DS-CAD", "DS-CAD"));
}

TEST(RegistryDuo, NoPopulationOriginsForbidsAncestryWhateverElseIsConsented) {
  EXPECT_TRUE(allowed("GRU;NPOA", "HMB"));
  EXPECT_FALSE(allowed("GRU;NPOA", "POA"));
  EXPECT_FALSE(allowed("GRU;NPOA", "GRU", true));
  // POA;NPOA permits nothing: refused as a consent (issue 14, defect 11).
  EXPECT_NE(error_of([] { parse_consent_codes("POA;NPOA"); }).find("permit nothing"), std::string::npos);
  EXPECT_EQ(reason("GRU;NPOA", "HMB", true), "NPOA forbids population origins/ancestry research");
}

TEST(RegistryDuo, RequesterConditionsMustBeDeclared) {
  EXPECT_FALSE(allowed("HMB;NPU", "HMB"));
  EXPECT_NE(reason("HMB;NPU", "HMB").find("NPU"), std::string::npos);
  EXPECT_TRUE(allowed("HMB;NPU", "HMB+NPU"));
  EXPECT_TRUE(allowed("HMB;NPU", "HMB+NPUNCU"));
  EXPECT_FALSE(allowed("GRU;NPUNCU", "GRU+NPU"));
  EXPECT_TRUE(allowed("GRU;NPUNCU", "GRU+NPU+NCU"));
  EXPECT_FALSE(allowed("GRU;IRB;PUB", "GRU+IRB"));
  EXPECT_TRUE(allowed("GRU;IRB;PUB", "GRU+IRB+PUB"));
  EXPECT_TRUE(allowed("GRU;GSO", "GRU"));  // every genomap analysis is a genetic study
}

TEST(RegistryDuo, DuoIdentifiersAreAccepted) {
  EXPECT_EQ(parse_consent_codes("DUO:0000042").text(), "GRU");
  EXPECT_EQ(parse_consent_codes("DUO:0000006, DUO:0000044").text(), "HMB;NPOA");
  EXPECT_EQ(parse_purpose("DUO:0000011").kind, ResearchPurpose::Kind::Ancestry);
}

TEST(RegistryDuo, UnknownAndMalformedCodesAreErrors) {
  EXPECT_NE(error_of([] { parse_consent_codes("GRU;XYZ"); }).find("unknown DUO code 'XYZ'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_consent_codes("DS"); }).find("DS needs a disease"), std::string::npos);
  EXPECT_NE(error_of([] { parse_consent_codes("NPU;IRB"); }).find("no data use permission"), std::string::npos);
  EXPECT_NE(error_of([] { parse_purpose("NPOA"); }).find("not a research purpose"), std::string::npos);
  EXPECT_NE(error_of([] { parse_purpose("HMB+POA"); }).find("only requester conditions"), std::string::npos);
  EXPECT_NE(error_of([] { parse_purpose("ANCESTRY"); }).find("unknown DUO code 'ANCESTRY'"), std::string::npos);
}

// The library hook as the ancestry analyses call it (ancestry_analysis = true).
TEST(RegistryDuo, AncestryAnalysisRefusesHmbOnlyAndNpoaDonors) {
  const std::string dir = test::scratch_dir("registry_duo_ancestry");
  const std::string path = dir + "/r.db";
  {
    auto db = create_registry(path, "tester");
    const std::vector<std::pair<std::string, std::string>> donors = {
        {"G", "GRU"}, {"H", "HMB"}, {"N", "GRU;NPOA"}, {"P", "POA"}, {"HP", "HMB;POA"}, {"W", "GRU"}};
    for (const auto& [id, codes] : donors) {
      add_record(*db, RecordType::Donor, {{"donor_id", id}}, "tester");
      add_record(*db, RecordType::Sample, {{"sample_id", "S" + id}, {"donor_id", id}, {"genotype_iid", "I" + id},
                                           {"material", "DNA"}, {"collection_date", "2020-01-01"},
                                           {"organisation", "Lab"}}, "tester");
      add_record(*db, RecordType::Consent, {{"consent_id", "C" + id}, {"donor_id", id}, {"codes", codes},
                                            {"consent_date", "2019-01-01"}}, "tester");
    }
    withdraw_consent(*db, "W", "", "", "test", "tester");
  }
  // .fam order: IG IH IN IP IHP IW IX (IX is not in the registry).
  std::vector<Sample> fam;
  for (const char* iid : {"IG", "IH", "IN", "IP", "IHP", "IW", "IX"}) fam.push_back(Sample{"F", iid});
  const SampleTable samples(fam);
  RunLog log;
  log.set_command_line("genomap pca --bfile x --registry r.db --purpose HMB");
  Context ctx;
  ctx.log = &log;

  const auto kept = consented_samples({path, "HMB", true, "tester"}, samples, ctx);
  // G (GRU) and HP (HMB;POA) cover HMB and ancestry; H is HMB-only, N forbids ancestry, P does not cover HMB.
  EXPECT_EQ(kept, (std::vector<std::uint32_t>{0, 4}));
  auto has_note = [&](const std::string& text) {
    return std::any_of(log.notes().begin(), log.notes().end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has_note("2 of 7 genotyped samples have consent, 5 excluded"));
  EXPECT_TRUE(has_note("1 samples excluded: HMB consent does not cover population origins/ancestry research"));
  EXPECT_TRUE(has_note("1 samples excluded: NPOA forbids population origins/ancestry research"));
  EXPECT_TRUE(has_note("1 samples excluded: consent withdrawn"));
  EXPECT_TRUE(has_note("1 samples excluded: not in the registry"));
  EXPECT_TRUE(has_note("1 samples excluded: consent POA does not cover health/medical/biomedical research (HMB)"));

  // The same purpose for a general analysis keeps the HMB-only donor.
  const auto general = consented_samples({path, "HMB", false, "tester"}, samples, ctx);
  EXPECT_EQ(general, (std::vector<std::uint32_t>{0, 1, 2, 4}));

  // Both analyses are in the audit log, with command, purpose and counts, and the chain verifies.
  auto db = open_registry(path, false);
  const auto entries = read_audit(*db);
  ASSERT_GE(entries.size(), 2u);
  const auto& last = entries.back();
  EXPECT_EQ(last.action, "analysis");
  EXPECT_NE(last.details.find("\"samples_used\":4"), std::string::npos) << last.details;
  EXPECT_NE(last.details.find("\"purpose\":\"HMB\""), std::string::npos);
  EXPECT_NE(last.details.find("genomap pca"), std::string::npos);
  EXPECT_NE(entries[entries.size() - 2].details.find("\"ancestry_analysis\":true"), std::string::npos);
  EXPECT_TRUE(verify_audit(*db).ok);

  // A purpose nobody consented to is an error naming the registry, not an empty analysis.
  const SampleTable refused(std::vector<Sample>{Sample{"F", "IH"}, Sample{"F", "IN"}});
  const std::string e = error_of([&] { consented_samples({path, "HMB", true, "tester"}, refused, ctx); });
  EXPECT_NE(e.find("no genotyped sample has consent for purpose HMB, an ancestry analysis"), std::string::npos) << e;
  const std::string bad = error_of([&] { consented_samples({path, "XYZ", false, "tester"}, samples, ctx); });
  EXPECT_NE(bad.find("--purpose XYZ: unknown DUO code"), std::string::npos) << bad;
}

}  // namespace
}  // namespace genomap::registry
