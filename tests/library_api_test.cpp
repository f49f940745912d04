// The library as a program calls it, without the command line: thread settings scoped to one call, QC tables
// written by the library's writers byte for byte as the command writes them, family IDs decided by the sample
// source, and filter values checked when the options are parsed (exit 2, nothing written).
#include <gtest/gtest.h>
#include <omp.h>

#include <Eigen/Core>
#include <memory>
#include <stdexcept>
#include <string>

#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/qc/allele_frequency.hpp"
#include "genomap/qc/filters.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "genomap/qc/missingness.hpp"
#include "genomap/qc/qc_files.hpp"
#include "test_support.hpp"

extern "C" int openblas_get_num_threads(void);
extern "C" void openblas_set_num_threads(int);

namespace genomap::test {
namespace {

const char* const kHapmap = "hapmap3_admixture/hapmap3";

struct ThreadCounts {
  int openmp, blas, eigen;
  bool operator==(const ThreadCounts&) const = default;
};
ThreadCounts current_thread_counts() {
  return {omp_get_max_threads(), openblas_get_num_threads(), Eigen::nbThreads()};
}

TEST(LibraryThreads, ScopeSetsEveryPoolAndRestoresThem) {
  omp_set_num_threads(2);
  openblas_set_num_threads(2);
  Eigen::setNbThreads(2);
  const ThreadCounts before = current_thread_counts();
  {
    const ThreadScope scope(3, 1);  // Eigen follows OpenMP; OpenBLAS is narrowed on its own
    EXPECT_EQ(current_thread_counts(), (ThreadCounts{3, 1, 3}));
    {
      const ThreadScope inner(1);
      EXPECT_EQ(current_thread_counts(), (ThreadCounts{1, 1, 1}));
    }
    EXPECT_EQ(current_thread_counts(), (ThreadCounts{3, 1, 3}));
  }
  EXPECT_EQ(current_thread_counts(), before);
}

TEST(LibraryThreads, ScopeRestoresWhenTheCallThrows) {
  omp_set_num_threads(2);
  openblas_set_num_threads(2);
  const ThreadCounts before = current_thread_counts();
  EXPECT_THROW(
      {
        const ThreadScope scope(1, 1);
        throw Error("analysis failed");
      },
      Error);
  EXPECT_EQ(current_thread_counts(), before);
}

Dataset whole_fileset(const std::string& prefix) {
  auto store = std::make_shared<const GenotypeStore>(GenotypeStore::open_bfile(prefix));
  Context ctx;
  return apply_filters(store, FilterOptions{}, ctx);
}

// The library's writers give the bytes the command gives (which the golden tests compare with plink2).
TEST(LibraryQcFiles, WritersMatchTheCommandByteForByte) {
  const std::string dir = scratch_dir("library_qc_files");
  const std::string bfile = data_path(kHapmap);
  for (const char* command : {"freq", "missing", "het"}) {
    auto r = run_genomap(std::string(command) + " --bfile " + bfile + " --threads 2 --out " + dir + "/cli");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const Dataset data = whole_fileset(bfile);
  Context ctx;
  ctx.threads = 3;
  {
    OutputSet outputs(dir + "/lib");
    AfreqWriter afreq(outputs.open(".afreq"), data);
    count_alleles_by_ploidy(data, ctx, [&](std::size_t first, auto counts) { afreq.write(first, counts); });
    VmissWriter vmiss(outputs.open(".vmiss"), data);
    const SampleMissingness samples =
        compute_missingness(data, ctx, [&](std::size_t first, auto rows) { vmiss.write(first, rows); });
    write_smiss(outputs.open(".smiss"), data, samples);
    write_het(outputs.open(".het"), data, compute_heterozygosity(data, ctx));
    outputs.commit_all();
  }
  for (const char* suffix : {".afreq", ".vmiss", ".smiss", ".het"})
    EXPECT_EQ(read_text(dir + "/lib" + suffix), read_text(dir + "/cli" + suffix)) << suffix;
}

// plink2 writes the FID column for a .fam even when every FID is "0": the same bytes as plink2 on such a
// copy.
TEST(LibraryQcFiles, FamilyIdColumnAsPlink2WritesIt) {
  const std::string dir = scratch_dir("library_family_ids");
  const std::string source = data_path(kHapmap);
  ASSERT_EQ(run_command("cp " + source + ".bed " + source + ".bim " + dir + "/").exit_code, 0);
  ASSERT_EQ(run_command("awk '{$1 = \"0\"; print}' " + source + ".fam > " + dir + "/hapmap3.fam").exit_code,
            0);
  const std::string bfile = dir + "/hapmap3";
  EXPECT_TRUE(has_family_ids(whole_fileset(bfile)));
  auto r = run_genomap("missing --bfile " + bfile + " --out " + dir + "/g");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_command("plink2 --bfile " + bfile + " --missing --out " + dir + "/p");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string smiss = read_text(dir + "/g.smiss");
  EXPECT_EQ(smiss.rfind("#FID\tIID\t", 0), 0u) << smiss.substr(0, 40);
  EXPECT_EQ(smiss, read_text(dir + "/p.smiss"));
}

TEST(LibraryOptions, FilterValuesOutOfRangeAreUsageErrors) {
  const std::string dir = scratch_dir("library_filter_values");
  const std::string bfile = data_path(kHapmap);
  struct Case {
    std::string args, message;
  } cases[] = {
      {"--maf -0.1", "--maf: must be between 0 and 0.5 (got -0.1)"},
      {"--maf 0.6", "--maf: must be between 0 and 0.5 (got 0.6)"},
      {"--geno 1.5", "--geno: must be between 0 and 1 (got 1.5)"},
      {"--mind -1", "--mind: must be between 0 and 1 (got -1)"},
      {"--hwe -0.001", "--hwe: must be between 0 and 1 (got -0.001)"},
  };
  for (const auto& c : cases) {
    auto r = run_genomap("freq --bfile " + bfile + " " + c.args + " --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << ": " << r.output;
  }
  EXPECT_TRUE(list_files(dir).empty());
  // Zero is a value, not "not given": --geno 0 removes every variant with a missing call.
  auto r = run_genomap("freq --bfile " + bfile + " --geno 0 --out " + dir + "/g0");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(read_text(dir + "/g0.log").find("--geno"), std::string::npos);
}

TEST(LibraryOptions, UsageErrorsAfterParsingExitTwo) {
  const std::string dir = scratch_dir("library_usage_errors");
  const std::string bfile = data_path(kHapmap);
  struct Case {
    std::string args, message;
  } cases[] = {
      {"pca --approx --exact", "--approx and --exact cannot be given together"},
      {"freq --registry x.db", "--registry and --purpose must be given together"},
      {"admix --k 1", "--k must be at least 2"},
  };
  for (const auto& c : cases) {
    auto r = run_genomap(c.args + " --bfile " + bfile + " --out " + dir + "/x");
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << ": " << r.output;
  }
  EXPECT_TRUE(list_files(dir).empty());
}

}  // namespace
}  // namespace genomap::test
