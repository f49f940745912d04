// genomap built with MPI (GENOMAP_MPI=ON) under mpirun on this machine: freq, missing, hardy, king, fst,
// fstats and glm with 2 and 3 ranks write byte for byte the files of the single-process run (the rows of each
// rank in rank order, the per-sample counts of .smiss summed, Fst's jackknife blocks joined, the
// f-statistics' block sums summed, glm's results gathered), rank 0 logs the ranks and their timings, and no
// rank leaves a file behind. A rank that fails, ranks that disagree on their inputs and commands that do not
// run as ranks end the whole job with one error line, printed by rank 0, and no output.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kBfile = data_path("hapmap3_admixture/hapmap3");
const std::string kPop = data_path("hapmap3_admixture/hapmap3.pop");

// The files of `fst --per-variant` for the four populations of kPop.
std::vector<std::string> fst_outputs(bool per_variant) {
  std::vector<std::string> out{".fst.summary", ".fst.amova"};
  if (per_variant)
    for (const char* pair : {"ASW.CEU", "ASW.MEX", "ASW.YRI", "CEU.MEX", "CEU.YRI", "MEX.YRI"})
      out.push_back(std::string(".") + pair + ".fst.var");
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
    ++count;
  return count;
}

// Lines of `text` that begin with `start` (genomap's own lines, among mpirun's).
std::size_t lines_starting(const std::string& text, const std::string& start) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    if (text.compare(at, start.size(), start) == 0) ++count;
    if (text.find('\n', at) == std::string::npos) break;
  }
  return count;
}

// As root (CI containers), more ranks than cores, shared memory on this machine without cross-memory attach
// (which containers often forbid).
const std::string kMpirunOptions =
    " --allow-run-as-root --oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none ";

// mpirun with `ranks` processes of genomap on this machine, with
// TMPDIR set to `tmpdir` (where the ranks above 0 keep their outputs until they send them).
CommandResult run_mpi(int ranks, const std::string& arguments, const std::string& tmpdir) {
  return run_command("env TMPDIR=" + tmpdir + " " + GENOMAP_MPIEXEC + kMpirunOptions + "-np " +
                     std::to_string(ranks) + " " + GENOMAP_BINARY + " " + arguments);
}

// What ranks above 0 left under $TMPDIR (their temporary outputs are removed when the run ends).
std::vector<std::string> rank_files(const std::string& tmpdir) {
  std::vector<std::string> out;
  for (const auto& f : list_files(tmpdir))
    if (f.rfind("genomap-rank", 0) == 0) out.push_back(f);
  return out;
}

// The lines of a log that contain `part` (king --degree: the pairs per degree, counted over every rank).
std::vector<std::string> log_lines_with(const std::string& path, const std::string& part) {
  std::vector<std::string> out;
  std::istringstream lines(read_text(path));
  for (std::string line; std::getline(lines, line);)
    if (contains(line, part)) out.push_back(line);
  return out;
}

struct MpiCase {
  std::string command;               // with its own options; {pop} stands for kPop
  std::vector<std::string> outputs;  // suffixes the single run writes
};

void PrintTo(const MpiCase& c, std::ostream* os) { *os << c.command; }

class MpiRanks : public ::testing::TestWithParam<MpiCase> {};

TEST_P(MpiRanks, RanksWriteTheSingleRunsFiles) {
  const MpiCase& c = GetParam();
  std::string folder = c.command;  // one folder per case: the cases run concurrently under ctest -j
  std::replace_if(
      folder.begin(), folder.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
      '_');
  const std::string dir = scratch_dir("mpi_" + folder);
  const std::string tmpdir = scratch_dir("mpi_tmp_" + folder);
  std::string command = c.command;
  if (const auto at = command.find("{pop}"); at != std::string::npos) command.replace(at, 5, kPop);
  auto r = run_genomap(command + " --bfile " + kBfile + " --out " + dir + "/single --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const auto& suffix : c.outputs)
    ASSERT_TRUE(std::filesystem::exists(dir + "/single" + suffix)) << suffix;
  if (contains(c.command, "--degree")) {
    ASSERT_EQ(log_lines_with(dir + "/single.log", " pairs: ").size(), 6u);
  }
  for (int ranks : {2, 3}) {
    const std::string out = dir + "/np" + std::to_string(ranks);
    r = run_mpi(ranks, command + " --bfile " + kBfile + " --threads 1 --out " + out + " --quiet", tmpdir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const auto& suffix : c.outputs)
      EXPECT_EQ(read_text(out + suffix), read_text(dir + "/single" + suffix))
          << c.command << " with " << ranks << " ranks: " << suffix;
    // Rank 0 alone wrote: the outputs and one log, which names every rank with its slice and time.
    const std::string log = read_text(out + ".log");
    EXPECT_TRUE(contains(log, "MPI: " + std::to_string(ranks) + " ranks")) << log;
    for (int rank = 0; rank < ranks; ++rank)
      EXPECT_TRUE(contains(log, "MPI rank " + std::to_string(rank) + ": ")) << log;
    EXPECT_FALSE(contains(log, "MPI rank " + std::to_string(ranks) + ": ")) << log;
    EXPECT_TRUE(contains(log, "MPI: rank 0 received ")) << log;
    EXPECT_EQ(log_lines_with(out + ".log", " pairs: "), log_lines_with(dir + "/single.log", " pairs: "));
  }
  std::vector<std::string> files = list_files(dir);
  std::sort(files.begin(), files.end());
  std::vector<std::string> expected;
  for (const char* run : {"single", "np2", "np3"}) {
    expected.push_back(std::string(run) + ".log");
    for (const auto& suffix : c.outputs) expected.push_back(run + suffix);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(files, expected);
  EXPECT_TRUE(rank_files(tmpdir).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Commands, MpiRanks,
    ::testing::Values(MpiCase{"freq", {".afreq"}}, MpiCase{"freq --maf 0.05 --chr 1-22", {".afreq"}},
                      MpiCase{"missing", {".smiss", ".vmiss"}}, MpiCase{"hardy", {".hardy", ".hardy.x"}},
                      MpiCase{"hardy --maf 0.05 --hwe-midp", {".hardy", ".hardy.x"}},
                      MpiCase{"king", {".kin0"}},
                      MpiCase{"king --degree --king-table-filter 0.02", {".kin0"}},
                      MpiCase{"king --king-matrix", {".kin0", ".king.bin", ".king.id"}},
                      // Blocks of 37 usable variants straddle the ranks' slices.
                      MpiCase{"fst --pop {pop} --block-size 37 --per-variant", fst_outputs(true)},
                      MpiCase{"fst --pop {pop} --method wc --maf 0.1", fst_outputs(false)},
                      MpiCase{"fst --pop {pop} --block-size 0", fst_outputs(false)},
                      // Whole jackknife blocks a rank: 365 blocks of 37 variants.
                      MpiCase{"fstats --pop {pop} --block-size 37 --f3 'ASW;CEU,YRI' --f4 "
                              "'ASW,CEU;MEX,YRI' --d 'ASW,CEU;MEX,YRI' --outgroup-f3 YRI",
                              {".f2", ".fstats"}},
                      MpiCase{"fstats --pop {pop} --qp-compat --f4-ratio "
                              "'ASW,YRI;MEX,CEU/ASW,YRI;CEU,MEX'",
                              {".f2", ".f4ratio"}}),
    [](const ::testing::TestParamInfo<MpiCase>& case_info) {
      std::string name = case_info.param.command;
      std::replace_if(
          name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
          '_');
      return name;
    });

// fstats from EIGENSTRAT input (a packed .geno, 62 populations with --pseudohaploid): the ranks' whole
// jackknife blocks give the single run's files.
TEST(MpiRanks, FstatsFromEigenstratWriteTheSingleRunsFiles) {
  const std::string dir = scratch_dir("mpi_fstats_eigenstrat");
  const std::string tmpdir = scratch_dir("mpi_fstats_eigenstrat_tmp");
  const std::string args =
      "fstats --eigenstrat " + data_path("human_origins_panel7/panel7") +
      " --f4 'French,Han;Yoruba,Papuan' --outgroup-f3 Chimp --pseudohaploid --quiet --out ";
  auto r = run_genomap(args + dir + "/single");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (int ranks : {2, 3}) {
    const std::string out = dir + "/np" + std::to_string(ranks);
    r = run_mpi(ranks, args + out + " --threads 1", tmpdir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* suffix : {".f2", ".fstats"})
      EXPECT_EQ(read_text(out + suffix), read_text(dir + "/single" + suffix))
          << ranks << " ranks: " << suffix;
    EXPECT_TRUE(
        contains(read_text(out + ".log"), "MPI rank " + std::to_string(ranks - 1) + ": jackknife blocks ["));
  }
  EXPECT_TRUE(rank_files(tmpdir).empty());
}

// glm: a quantitative phenotype (some missing) and a case/control one (Firth where logistic regression
// fails), two covariates and --adjust. Each rank fits its variants; rank 0 writes every table, the adjusted
// p-values and the genomic inflation over all variants: the single run's files.
TEST(MpiRanks, GlmWritesTheSingleRunsFiles) {
  const std::string dir = scratch_dir("mpi_glm");
  const std::string tmpdir = scratch_dir("mpi_glm_tmp");
  const std::string inputs = scratch_dir("mpi_glm_inputs");
  std::istringstream fam(read_text(kBfile + ".fam"));
  std::ostringstream pheno, covar;
  pheno << "#FID\tIID\tQT\tCC\n";
  covar << "#FID\tIID\tC1\tC2\n";
  int i = 0;
  for (std::string line; std::getline(fam, line);) {
    ++i;
    std::istringstream fields(line);
    std::string fid, iid;
    fields >> fid >> iid;
    pheno << fid << '\t' << iid << '\t'
          << (i % 29 == 0 ? std::string("NA") : std::to_string(i * 37 % 101 / 10.0)) << '\t'
          << (i % 3 == 0 ? 2 : 1) << '\n';
    covar << fid << '\t' << iid << '\t' << i * 13 % 17 << '\t' << i % 2 << '\n';
  }
  write_text(inputs + "/p.txt", pheno.str());
  write_text(inputs + "/c.txt", covar.str());
  const std::string args = "glm --bfile " + kBfile + " --pheno " + inputs + "/p.txt --covar " + inputs +
                           "/c.txt --adjust --quiet --out ";
  auto r = run_genomap(args + dir + "/single");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> outputs{".QT.glm.linear", ".QT.glm.linear.adjusted",
                                         ".CC.glm.logistic.hybrid", ".CC.glm.logistic.hybrid.adjusted",
                                         ".glm.summary"};
  // Firth regression ran for some variants, and the summary counts every variant.
  EXPECT_TRUE(contains(read_text(dir + "/single.CC.glm.logistic.hybrid"), "\tY\tADD\t"));
  for (int ranks : {2, 3}) {
    const std::string out = dir + "/np" + std::to_string(ranks);
    r = run_mpi(ranks, args + out + " --threads 1", tmpdir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const auto& suffix : outputs)
      EXPECT_EQ(read_text(out + suffix), read_text(dir + "/single" + suffix))
          << ranks << " ranks: " << suffix;
    EXPECT_TRUE(contains(read_text(out + ".log"), "MPI rank " + std::to_string(ranks - 1) + ": variants ["));
  }
  EXPECT_EQ(list_files(dir).size(), 3 * (outputs.size() + 1));
  EXPECT_TRUE(rank_files(tmpdir).empty());
}

// One rank cannot do its part: the job ends on every rank, rank 0 prints that rank's error once, and nothing
// is written (no output, no temporary file, no rank folder).
TEST(MpiRanks, AFailingRankEndsTheJobWithOneErrorAndNoOutput) {
  const std::string dir = scratch_dir("mpi_failing_rank");
  const std::string tmpdir = scratch_dir("mpi_failing_rank_tmp");
  const std::string binary = GENOMAP_BINARY;
  const std::string mpirun = "env TMPDIR=" + tmpdir + " " + GENOMAP_MPIEXEC + kMpirunOptions;
  const std::string args = " --threads 1 --quiet --out " + dir + "/f";
  // Rank 2 has nowhere to write its outputs (its node's TMPDIR is missing).
  auto r =
      run_command(mpirun + "-np 2 " + binary + " missing --bfile " + kBfile + args +
                  " : -np 1 env TMPDIR=" + dir + "/absent " + binary + " missing --bfile " + kBfile + args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap missing: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;  // the other ranks end silently
  const std::string why = "cannot write its outputs here ($TMPDIR) before it sends them: No such file";
  EXPECT_TRUE(contains(r.output, "genomap missing: error: rank 2 of 3: " + dir + "/absent: rank 2 " + why))
      << r.output;
  // Rank 1 cannot read the fileset (it is not there on its node).
  r = run_command(mpirun + "-np 1 " + binary + " freq --bfile " + kBfile + args + " : -np 1 " + binary +
                  " freq --bfile " + dir + "/absent" + args + " : -np 1 " + binary + " freq --bfile " +
                  kBfile + args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap freq: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(
      contains(r.output, "genomap freq: error: rank 1 of 3: " + dir + "/absent.fam: cannot open file"))
      << r.output;
  // Rank 1 of fst cannot read its population file: the job ends before the ranks exchange their blocks.
  r = run_command(mpirun + "-np 1 " + binary + " fst --pop " + kPop + " --bfile " + kBfile + args +
                  " : -np 1 " + binary + " fst --pop " + dir + "/absent.pop --bfile " + kBfile + args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(contains(r.output, "genomap fst: error: rank 1 of 2: " + dir + "/absent.pop")) << r.output;
  // Ranks that read other inputs (here other filters) would write a wrong file: refused.
  r = run_command(mpirun + "-np 1 " + binary + " hardy --bfile " + kBfile + args + " : -np 1 " + binary +
                  " hardy --maf 0.2 --bfile " + kBfile + args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap hardy: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(contains(r.output, "genomap hardy: error: rank 1 of 2 has 324 samples and ")) << r.output;
  EXPECT_TRUE(contains(r.output, "where rank 0 has 324 samples and ")) << r.output;
  EXPECT_TRUE(contains(r.output, "every rank must read the same inputs with the same options")) << r.output;
  EXPECT_TRUE(list_files(dir).empty());
  EXPECT_TRUE(rank_files(tmpdir).empty());
}

// Commands without ranks and --split under mpirun: usage errors (exit 2), printed once.
TEST(MpiRanks, WhatDoesNotRunAsRanksIsAUsageErrorPrintedOnce) {
  const std::string dir = scratch_dir("mpi_usage");
  const std::string tmpdir = scratch_dir("mpi_usage_tmp");
  const std::string tail = " --bfile " + kBfile + " --threads 1 --quiet --out " + dir + "/u";
  auto r = run_mpi(2, "het" + tail, tmpdir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap het: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(
      contains(r.output,
               "genomap het: error: rank 0 of 2: het does not run as several MPI ranks (2 "
               "here): run it as one process; freq, missing, hardy, king, fst, glm and fstats run under "
               "mpirun"))
      << r.output;
  r = run_mpi(3, "glm --pheno " + kPop + " --covar-pcs 2" + tail, tmpdir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(contains(r.output,
                       "genomap glm: error: rank 0 of 3: --covar-pcs is not divided between MPI ranks (3 "
                       "here): run pca first and give its .eigenvec as --covar"))
      << r.output;
  r = run_mpi(2, "fstats --f2-store " + dir + "/store --pop " + kPop + " --f4 'ASW,CEU;MEX,YRI'" + tail,
              tmpdir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(contains(r.output,
                       "genomap fstats: error: rank 0 of 2: fstats: --f2-store is built or read by one "
                       "process, not by 2 MPI ranks: run it without mpirun"))
      << r.output;
  r = run_mpi(3, "freq --split 1/2" + tail, tmpdir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap freq: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(contains(r.output,
                       "--split is for job arrays without MPI: under mpirun the 3 ranks divide the "
                       "work themselves"))
      << r.output;
  r = run_mpi(2, "freq --no-such-option" + tail, tmpdir);  // a bad command line
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(occurrences(r.output, "genomap freq: error: "), 1u) << r.output;
  EXPECT_EQ(lines_starting(r.output, "genomap"), 1u) << r.output;
  EXPECT_TRUE(list_files(dir).empty());
  EXPECT_TRUE(rank_files(tmpdir).empty());
}

// One rank under mpirun is the single-process run.
TEST(MpiRanks, OneRankIsTheSingleProcessRun) {
  const std::string dir = scratch_dir("mpi_one_rank");
  auto r = run_genomap("missing --bfile " + kBfile + " --out " + dir + "/single --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_mpi(1, "missing --bfile " + kBfile + " --out " + dir + "/np1 --quiet", dir);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* suffix : {".smiss", ".vmiss"})
    EXPECT_EQ(read_text(dir + "/np1" + suffix), read_text(dir + "/single" + suffix)) << suffix;
  EXPECT_FALSE(contains(read_text(dir + "/np1.log"), "MPI"));
}

}  // namespace
}  // namespace genomap::test
