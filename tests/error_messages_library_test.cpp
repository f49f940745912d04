// Error messages of library calls that the command line never makes in that form (the front end checks the
// same first, or builds the arguments itself), asserted whole for a program that calls the library directly.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "genomap/admix/cluster_alignment.hpp"
#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/freqdb/frequency_release.hpp"
#include "genomap/freqdb/release_builder.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/pipeline/analysis.hpp"
#include "genomap/popstats/qpadm.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/report/report_html.hpp"
#include "genomap/sim/pulse_simulation.hpp"
#include "genomap/sim/simulation_options.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

// The call throws an Error (a UsageError when `usage`) whose message is exactly `message`.
void expect_error(const std::function<void()>& call, const std::string& message, bool usage) {
  try {
    call();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const UsageError& e) {
    EXPECT_TRUE(usage) << "a usage error: " << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  } catch (const Error& e) {
    EXPECT_FALSE(usage) << "not a usage error: " << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(LibraryErrors, IndepPairwiseArgumentCount) {
  // The front end takes 2 to 4 values; a program may pass any number.
  expect_error([] { parse_indep_pairwise({"50"}); }, "--indep-pairwise takes WINDOW[kb] [STEP] R2, got '50'",
               true);
  expect_error(
      [] {
        parse_indep_pairwise({"50", "5", "0.2", "x", "y"});
      },
      "--indep-pairwise takes WINDOW[kb] [STEP] R2, got '50 5 0.2 x y'", true);
}

TEST(LibraryErrors, QpadmModelWithoutSources) {
  // The front end refuses an empty --sources list before (an empty population name).
  expect_error([] { check_qpadm_model("T", {}, {"R1", "R2"}); }, "qpadm: no source populations", false);
}

TEST(LibraryErrors, SimulationAlphaCount) {
  // parse_alpha repeats one value K times or checks the count; options built by a program are checked again.
  SimulationOptions o;
  o.sample_ct = 10;
  o.variant_ct = 100;
  o.k = 3;
  o.fst = 0.1;
  o.alpha = {0.5};
  expect_error([&] { validate(o); }, "--alpha: 1 values for --k 3", true);
}

TEST(LibraryErrors, PulseWithOneSource) {
  // parse_pulse refuses one source; a program may build the specification itself. Nothing is written.
  const std::string dir = scratch_dir("library_errors_pulse");
  PulseSimulationOptions o;
  o.pulse.target = "T";
  o.pulse.sources = {PulseSource{"A", 1.0}};
  o.pulse.generations = 10;
  o.sample_ct = 5;
  o.variant_ct = 100;
  OutputSet outputs(dir + "/p");
  const Context ctx;
  expect_error([&] { simulate_pulse_dataset(o, outputs, ctx); },
               "simulate --pulse: at least two sources are needed", true);
  EXPECT_TRUE(list_files(dir).empty());
}

TEST(LibraryErrors, ClusterSeriesSkippingK) {
  // The admix front end fits K, K+1, ... and aligns them in order; a series that skips a K is refused.
  const RowMatrix k2 = RowMatrix::Constant(4, 2, 0.5);
  const RowMatrix k4 = RowMatrix::Constant(4, 4, 0.25);
  expect_error(
      [&] {
        align_cluster_series({k2, k4});
      },
      "align_cluster_series: K must rise by one from each fit to the next", false);
}

TEST(LibraryErrors, AnalysisOptions) {
  // The analyze front end requires --pop and limits --starts to 1..100; run_analysis checks options it is
  // given.
  const std::string dir = scratch_dir("library_errors_analysis");
  const Context ctx;
  AnalysisOptions o;
  o.bfile = data_path("hapmap3_admixture/hapmap3");
  o.out_dir = dir + "/out";
  expect_error([&] { run_analysis(o, nullptr, ctx); }, "analyze: --pop FILE is required", true);
  o.pop_file = data_path("hapmap3_admixture/hapmap3_populations.tsv");
  o.starts = 0;
  expect_error([&] { run_analysis(o, nullptr, ctx); }, "--starts must be at least 1", true);
  EXPECT_TRUE(list_files(dir).empty());
}

TEST(LibraryErrors, ReleaseCounts) {
  // The release builder rounds with the grid it checked (--min-count) and counts it made itself.
  expect_error([] { freqdb::round_to_grid(5, 0); }, "rounding grid must be at least 1", false);
  expect_error([] { freqdb::round_to_grid(std::uint64_t{1} << 40, 20); },
               "allele count too large for a release", false);
  expect_error([] { freqdb::publish_counts(1, 2, 0, 20); }, "inconsistent genotype counts", false);
}

TEST(LibraryErrors, ReleaseBuildOptions) {
  // The freqdb front end refuses --min-count below 20 and --min-pop-size 0; the builder checks its options
  // before it reads anything.
  const std::string dir = scratch_dir("library_errors_release");
  const Context ctx;
  const Dataset data;
  const PopulationAssignment labels;
  freqdb::ReleaseBuildOptions o;
  o.min_count = 0;
  expect_error([&] { freqdb::build_release(data, labels, {}, o, dir + "/r", ctx); },
               "the minimum count must be at least 1", true);
  o.min_count = 20;
  o.min_population_size = 0;
  expect_error([&] { freqdb::build_release(data, labels, {}, o, dir + "/r", ctx); },
               "the minimum population size must be at least 1", true);
  EXPECT_TRUE(list_files(dir).empty());
}

TEST(LibraryErrors, ReportDataNotAnObject) {
  expect_error([] { report::render_report_html(nlohmann::json::array()); },
               "report: the report data must be a JSON object", false);
}

}  // namespace
}  // namespace genomap::test
