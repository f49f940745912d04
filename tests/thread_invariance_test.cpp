// Every command gives byte-identical outputs for --threads 1, 2 and 7 (issue 20: results do not depend on the
// thread count). Each command runs three times into its own folder; every output file but the .log (which
// records the thread count and timings) must be the same bytes. 7 threads on a 2-core machine also checks an
// odd team larger than the processor count.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace genomap::test {
namespace {

const std::string kHapmap = data_path("hapmap3_admixture/hapmap3");
const std::string kPanel = data_path("human_origins_panel7/panel7");

struct InvarianceCase {
  std::string name;
  std::string arguments;  // without --threads and --out; $DIR is the test's scratch folder
};

// Prints the case name instead of gtest's byte dump of the struct.
void PrintTo(const InvarianceCase& c, std::ostream* os) { *os << c.name; }

std::string expand(std::string s, const std::string& dir) {
  for (auto at = s.find("$DIR"); at != std::string::npos; at = s.find("$DIR")) s.replace(at, 4, dir);
  return s;
}

// Inputs some commands need: phenotypes and covariates with missing values, score weights, PCA weights.
void write_inputs(const std::string& dir) {
  std::string pheno = "FID IID QT BT\n", covar = "FID IID AGE\n";
  std::size_t line = 0;
  std::string text = read_text(kHapmap + ".fam");
  for (std::size_t at = 0; at < text.size(); ++line) {
    const auto end = text.find('\n', at);
    const std::string row = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    const auto a = row.find_first_of(" \t"), b = row.find_first_of(" \t", a + 1);
    const std::string ids = row.substr(0, a) + " " + row.substr(a + 1, b - a - 1);
    const double qt = static_cast<double>((line * 7919) % 1000) / 500.0;
    pheno += ids + " " + (line % 17 == 0 ? std::string("NA") : std::to_string(qt)) + " " +
             std::to_string(1 + (line * 31) % 2) + "\n";
    covar += ids + " " + std::to_string(20 + (line * 13) % 40) + "\n";
  }
  write_text(dir + "/pheno.txt", pheno);
  write_text(dir + "/covar.txt", covar);
  std::string weights;
  std::string bim = read_text(kHapmap + ".bim");
  line = 0;
  for (std::size_t at = 0; at < bim.size(); ++line) {
    const auto end = bim.find('\n', at);
    const std::string row = bim.substr(at, end - at);
    at = end == std::string::npos ? bim.size() : end + 1;
    if (line % 3) continue;
    std::vector<std::string> f;
    for (std::size_t p = 0; p < row.size();) {
      const auto q = row.find_first_of(" \t", p);
      f.push_back(row.substr(p, q == std::string::npos ? std::string::npos : q - p));
      p = q == std::string::npos ? row.size() : q + 1;
    }
    weights += f[1] + " " + f[4] + " " + std::to_string(static_cast<double>(line % 7) / 7.0 - 0.4) + "\n";
  }
  write_text(dir + "/w.txt", weights);
  auto r =
      run_genomap("pca --bfile " + kHapmap + " --chr 1-6 --pcs 4 --var-wts --quiet --out " + dir + "/ref");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

class ThreadInvariance : public ::testing::TestWithParam<InvarianceCase> {};

TEST_P(ThreadInvariance, OutputsAreByteIdenticalFor1And2And7Threads) {
  const InvarianceCase& c = GetParam();
  const std::string dir = scratch_dir("thread_invariance_" + c.name);
  ASSERT_NO_FATAL_FAILURE(write_inputs(dir));
  for (const char* threads : {"1", "2", "7"}) {
    const std::string out = dir + "/t" + threads;
    run_command("mkdir -p " + out);
    auto r = run_genomap(expand(c.arguments, dir) + " --quiet --threads " + threads + " --out " + out + "/o");
    ASSERT_EQ(r.exit_code, 0) << c.name << " --threads " << threads << ": " << r.output;
  }
  std::size_t compared = 0;
  for (const std::string& file : list_files(dir + "/t1")) {
    if (file.size() > 4 && file.compare(file.size() - 4, 4, ".log") == 0) continue;
    const std::string one = read_text(dir + "/t1/" + file);
    EXPECT_FALSE(one.empty()) << file;
    EXPECT_EQ(read_text(dir + "/t2/" + file), one) << file << ": --threads 2 differs from --threads 1";
    EXPECT_EQ(read_text(dir + "/t7/" + file), one) << file << ": --threads 7 differs from --threads 1";
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

const std::string kPops = data_path("hapmap3_admixture/hapmap3_populations.tsv");

INSTANTIATE_TEST_SUITE_P(
    EveryCommand, ThreadInvariance,
    ::testing::Values(
        InvarianceCase{"freq", "freq --bfile " + kHapmap},
        InvarianceCase{"missing", "missing --bfile " + kHapmap},
        InvarianceCase{"hardy", "hardy --bfile " + kHapmap}, InvarianceCase{"het", "het --bfile " + kHapmap},
        InvarianceCase{"prune", "prune --bfile " + kHapmap + " --indep-pairwise 50 5 0.2"},
        InvarianceCase{"king", "king --bfile " + kHapmap + " --degree"},
        InvarianceCase{"king_matrix", "king --bfile " + kHapmap + " --chr 1-6 --king-matrix"},
        InvarianceCase{"unrelated", "unrelated --bfile " + kHapmap + " --king-cutoff 0.0884"},
        InvarianceCase{"pca_exact", "pca --bfile " + kHapmap + " --pcs 10 --exact --var-wts"},
        InvarianceCase{"pca_randomized", "pca --bfile " + kHapmap + " --pcs 10 --approx --var-wts"},
        InvarianceCase{"project", "project --bfile " + kHapmap + " --chr 1-6 --ref $DIR/ref"},
        InvarianceCase{"admix", "admix --bfile " + kHapmap + " --chr 1-4 --k 3 --seed 3 --max-iter 40"},
        InvarianceCase{"admix_cv",
                       "admix --bfile " + kHapmap + " --chr 1-2 --k 2 --seed 3 --max-iter 20 --cv 2"},
        InvarianceCase{"glm_linear",
                       "glm --bfile " + kHapmap +
                           " --chr 1-3 --pheno $DIR/pheno.txt --pheno-name QT --covar $DIR/covar.txt"},
        InvarianceCase{"glm_logistic",
                       "glm --bfile " + kHapmap +
                           " --chr 1-3 --pheno $DIR/pheno.txt --pheno-name BT --covar $DIR/covar.txt"},
        InvarianceCase{"glm_pcs", "glm --bfile " + kHapmap +
                                      " --chr 1-3 --pheno $DIR/pheno.txt --pheno-name QT --covar-pcs 3"},
        InvarianceCase{"score", "score --bfile " + kHapmap + " --weights $DIR/w.txt"},
        InvarianceCase{"fst", "fst --bfile " + kHapmap + " --pop " + kPops + " --per-variant"},
        InvarianceCase{"fstats",
                       "fstats --eigenstrat " + kPanel +
                           " --f4 'Yoruba,French;Han,Papuan' --f3 'Yoruba;French,Han' --outgroup-f3 Chimp"},
        InvarianceCase{"qpadm", "qpadm --eigenstrat " + kPanel +
                                    " --target French --sources Sardinian,Russian"
                                    " --right Yoruba,Han,Papuan,Karitiana,MbutiPygmy"},
        InvarianceCase{"date", "date --bfile " + kHapmap + " --pop " + kPops +
                                   " --target ASW --sources CEU,YRI --uniform-map 1"},
        InvarianceCase{"simulate_pulse", "simulate --pulse ADM=A:0.3,B:0.7@20 --n 60 --m 3000 --seed 5"},
        InvarianceCase{"freq_split", "freq --bfile " + kHapmap + " --split 2/3"},
        InvarianceCase{"king_split", "king --bfile " + kHapmap + " --split 3/4"}),
    [](const ::testing::TestParamInfo<InvarianceCase>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace genomap::test
