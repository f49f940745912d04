// Which populations analyze's dating step dates, and with which sources (dating_plan, analysis_steps.hpp):
// qpAdm's best feasible model when it has two sources, else the most negative admixture f3 below Z = -3.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "genomap/pipeline/analysis_steps.hpp"

namespace genomap {
namespace {

using nlohmann::json;

json model(std::vector<std::string> sources, double p) {
  return {{"sources", sources}, {"weights", json::array()}, {"se", json::array()}, {"p", p}, {"chisq", 1.0},
          {"dof", 1},           {"feasible", true}};
}

TEST(DatingPlan, QpadmBestFeasibleModelWithTwoSourcesIsDatedWithThem) {
  const json qpadm = {
      {"right", {"R1", "R2"}},
      {"max_sources", 2},
      {"targets",
       {{{"target", "ADM"}, {"fitted", 3}, {"models", {model({"A", "B"}, 0.31), model({"A"}, 0.01)}}},
        {{"target", "A"}, {"fitted", 3}, {"models", {model({"C"}, 0.6), model({"B", "C"}, 0.5)}}},
        {{"target", "C"}, {"fitted", 3}, {"models", json::array()}}}}};
  const DatingPlan plan = dating_plan(&qpadm, json::object());
  EXPECT_EQ(plan.sources_from, "qpadm");
  ASSERT_EQ(plan.candidates.size(), 1u);
  EXPECT_EQ(plan.candidates[0].target, "ADM");
  EXPECT_EQ(plan.candidates[0].sources, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(plan.candidates[0].chosen_by, "qpadm");
  EXPECT_EQ(plan.candidates[0].evidence, "qpAdm p = 0.31");
  ASSERT_EQ(plan.not_dated.size(), 2u);
  EXPECT_EQ(plan.not_dated[0]["target"], "A");
  EXPECT_EQ(plan.not_dated[0]["reason"], "qpAdm's best feasible model has 1 source(s), not two");
  EXPECT_EQ(plan.not_dated[1]["reason"], "qpAdm found no feasible model");
  EXPECT_TRUE(plan.skipped.empty());
  const json none = {{"targets", json::array()}};
  EXPECT_EQ(dating_plan(&none, json::object()).skipped, "qpAdm fitted no target population");
}

TEST(DatingPlan, WithoutQpadmTheMostNegativeAdmixtureF3BelowMinus3ChoosesTheSources) {
  // Outgroup f3 rows are not admixture tests and are passed over, however negative.
  const json popstats = {{"f3",
                          {{"target", {"ADM", "ADM", "ADM", "A", "A", "B"}},
                           {"a", {"A", "A", "B", "B", "ADM", "A"}},
                           {"b", {"B", "C", "C", "C", "C", "C"}},
                           {"f3", {-0.01, -0.02, -0.03, 0.01, -0.001, 0.02}},
                           {"se", {0.001, 0.001, 0.001, 0.001, 0.001, 0.001}},
                           {"z", {-10.0, -20.0, -30.0, 10.0, -1.0, 20.0}},
                           {"snps", {1, 1, 1, 1, 1, 1}},
                           {"outgroup_f3", {false, false, true, false, false, false}}}}};
  const DatingPlan plan = dating_plan(nullptr, popstats);
  EXPECT_EQ(plan.sources_from, "f3");
  ASSERT_EQ(plan.candidates.size(), 1u);
  EXPECT_EQ(plan.candidates[0].target, "ADM");
  EXPECT_EQ(plan.candidates[0].sources, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(plan.candidates[0].evidence, "f3 Z = -20.00");
  ASSERT_EQ(plan.not_dated.size(), 2u);
  EXPECT_EQ(plan.not_dated[0]["target"], "A");
  EXPECT_EQ(plan.not_dated[0]["reason"], "no admixture f3 with Z < -3 (lowest -1.00)");
  EXPECT_EQ(plan.not_dated[1]["reason"], "no admixture f3 with Z < -3 (lowest 20.00)");
  const json empty = {{"f3",
                       {{"target", json::array()},
                        {"a", json::array()},
                        {"b", json::array()},
                        {"z", json::array()},
                        {"outgroup_f3", json::array()}}}};
  EXPECT_EQ(dating_plan(nullptr, empty).skipped,
            "no admixture f3 was computed (it needs at least 3 populations)");
}

}  // namespace
}  // namespace genomap
