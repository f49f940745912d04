// The one reader of population labels (geno/population_labels): a POP table or ADMIXTURE's .pop, the same
// missing codes for both, samples outside the analysed selection ignored, errors naming file and line.
#include "genomap/geno/population_labels.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "genomap/core/error.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

SampleTable four_samples() {
  return SampleTable({Sample{"F1", "a"}, Sample{"F1", "b"}, Sample{"F2", "c"}, Sample{"F3", "d"}});
}

std::string error_of(const std::string& path, const std::vector<std::uint32_t>& selected) {
  try {
    read_population_labels(path, four_samples(), selected);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(PopulationLabels, TableAndPopFileGiveTheSameAssignment) {
  const std::string dir = scratch_dir("population_labels_same");
  write_text(dir + "/t.tsv", "#FID IID POP\nF2 c YRI\nF1 a CEU\nF1 b NA\nF3 d CEU\n");
  write_text(dir + "/t.pop", "CEU\n-\nYRI\nCEU\n");
  const std::vector<std::uint32_t> selected = {0, 1, 2, 3};
  for (const std::string& path : {dir + "/t.tsv", dir + "/t.pop"}) {
    const PopulationAssignment p = read_population_labels(path, four_samples(), selected);
    EXPECT_EQ(p.label_of_sample(), (std::vector<std::string>{"CEU", "", "YRI", "CEU"})) << path;
    EXPECT_EQ(p.unassigned_ct, 1u) << path;
    EXPECT_EQ(p.sizes[p.index_of("CEU", "test")], 2u) << path;
  }
  // Rows in file order, whatever the sample order.
  EXPECT_EQ(read_population_labels(dir + "/t.tsv", four_samples(), selected).labels_in_row_order,
            (std::vector<std::string>{"YRI", "CEU"}));
}

TEST(PopulationLabels, FilteredSamplesAndIidOnlyTables) {
  const std::string dir = scratch_dir("population_labels_filtered");
  write_text(dir + "/t.tsv", "IID GROUP POP\na x P1\nc x P2\nd x .\n");
  const PopulationAssignment p = read_population_labels(dir + "/t.tsv", four_samples(), {2, 3});
  EXPECT_EQ(p.label_of_sample(), (std::vector<std::string>{"P2", ""}));
  EXPECT_EQ(p.names, (std::vector<std::string>{"P2"}));  // P1 has no analysed sample
  const PopulationAssignment g = read_population_labels(dir + "/t.tsv", four_samples(), {0, 1, 2, 3}, "GROUP");
  EXPECT_EQ(g.sizes, (std::vector<std::uint32_t>{3}));
}

TEST(PopulationLabels, ErrorsNameFileAndLine) {
  const std::string dir = scratch_dir("population_labels_errors");
  const std::vector<std::uint32_t> all = {0, 1, 2, 3};
  write_text(dir + "/short.pop", "CEU\nYRI\nCEU\n");
  EXPECT_EQ(error_of(dir + "/short.pop", all),
            dir + "/short.pop:3: 3 lines but the .fam has 4 samples (a .pop has one line per sample)");
  write_text(dir + "/two.pop", "CEU\nYRI x\n");
  EXPECT_EQ(error_of(dir + "/two.pop", all),
            dir + "/two.pop:2: expected one population label per line (ADMIXTURE .pop), found 2 fields");
  write_text(dir + "/twice.tsv", "FID IID POP\nF1 a CEU\nF1 a YRI\n");
  EXPECT_EQ(error_of(dir + "/twice.tsv", all), dir + "/twice.tsv:3: sample 'a' is listed twice");
  write_text(dir + "/unknown.tsv", "FID IID POP\nF9 a CEU\n");
  EXPECT_EQ(error_of(dir + "/unknown.tsv", all),
            dir + "/unknown.tsv:2: sample 'F9 a' is not in the genotype data");
  write_text(dir + "/header.tsv", "SAMPLE POP\na CEU\n");
  EXPECT_EQ(error_of(dir + "/header.tsv", all),
            dir + "/header.tsv:1: header must start with '#FID IID', 'FID IID' or 'IID' (found 'SAMPLE')");
  write_text(dir + "/narrow.tsv", "IID POP\na\n");
  EXPECT_EQ(error_of(dir + "/narrow.tsv", all), dir + "/narrow.tsv:2: expected at least 2 columns, found 1");
}

}  // namespace
}  // namespace genomap::test
