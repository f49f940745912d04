// The fast paths of the core I/O: whole-file .bim/.fam parsing against a naive line-by-line parser (values and
// error messages, plain and gzip files, CRLF, blank lines, odd number formats), the input hashes in the run log
// against XXH3-128 computed here over the files, and the OpenMP wait policy the binary sets for itself.
#include <gtest/gtest.h>
#include <xxhash.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/sample_table.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/qc/sample_counters.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

// The .bim reading rules written the slow, obvious way: one line at a time, fields by split_whitespace,
// cM by strtod over the whole field. Returns the variants, or the error message.
std::string naive_bim(const std::string& path, std::vector<Variant>& out) {
  try {
    LineReader reader(path);
    std::string line;
    while (reader.next(line)) {
      auto f = split_whitespace(line);
      if (f.empty()) continue;
      if (f.size() != 6)
        reader.fail("expected 6 columns (chrom ID cM position allele1 allele2), found " + std::to_string(f.size()));
      Variant v;
      v.chrom = f[0];
      v.chrom_code = chromosome_code(f[0]);
      v.id = f[1];
      std::string cm(f[2]);
      char* end = nullptr;
      errno = 0;
      v.cm = std::strtod(cm.c_str(), &end);
      if (cm.empty() || end != cm.c_str() + cm.size() || errno == ERANGE)
        reader.fail("non-numeric genetic position '" + cm + "'");
      long long pos = 0;
      if (!parse_int64(f[3], pos)) reader.fail("non-numeric base-pair position '" + std::string(f[3]) + "'");
      if (pos < 0) reader.fail("negative base-pair position '" + std::string(f[3]) + "'");
      v.pos = pos;
      v.allele1 = f[4];
      v.allele2 = f[5];
      out.push_back(v);
    }
    if (out.empty()) throw Error(path, 0, "no variants (empty file)");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string fast_bim(const std::string& path, std::vector<Variant>& out) {
  try {
    out = read_bim(path).all();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

void expect_same_bim(const std::string& path, const std::string& what) {
  std::vector<Variant> a, b;
  const std::string ea = naive_bim(path, a), eb = fast_bim(path, b);
  EXPECT_EQ(eb, ea) << what;
  ASSERT_EQ(b.size(), a.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i].chrom, a[i].chrom) << what << " row " << i;
    EXPECT_EQ(b[i].chrom_code, a[i].chrom_code) << what << " row " << i;
    EXPECT_EQ(b[i].id, a[i].id) << what << " row " << i;
    if (std::isnan(a[i].cm)) EXPECT_TRUE(std::isnan(b[i].cm)) << what << " row " << i;
    else EXPECT_EQ(b[i].cm, a[i].cm) << what << " row " << i;  // bit-identical doubles
    EXPECT_EQ(b[i].pos, a[i].pos) << what << " row " << i;
    EXPECT_EQ(b[i].allele1, a[i].allele1) << what << " row " << i;
    EXPECT_EQ(b[i].allele2, a[i].allele2) << what << " row " << i;
  }
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  gzclose(f);
}

TEST(QcCoreIo, BimMatchesNaiveParserOnRandomFiles) {
  const std::string dir = scratch_dir("qc_core_io_bim_random");
  std::mt19937_64 rng(7);
  const char* chroms[] = {"1", "2", "chr3", "X", "Y", "XY", "MT", "chrX", "22", "scaffold_9", "0"};
  const char* cms[] = {"0", "0.5", "-1.25", "1e-3", "+2.5", "12345.678901234567", "0x1p3", "nan", "inf",
                       "-0", "0.1234567890123456789", "7"};
  const char* alleles[] = {"A", "C", "G", "T", "0", "AT", "ACGTACGTACGTACGTACGT", "<DEL>"};
  for (int file = 0; file < 6; ++file) {
    std::ostringstream text;
    const int rows = 500;
    for (int r = 0; r < rows; ++r) {
      if (rng() % 50 == 0) text << (rng() % 2 ? "\n" : " \t \n");  // blank lines are skipped
      const char* sep = (rng() % 3 == 0) ? " " : (rng() % 2 ? "\t" : "  \t");
      text << chroms[rng() % 11] << sep << (rng() % 4 == 0 ? "." : "rs" + std::to_string(rng() % 100000000))
           << sep << cms[rng() % 12] << sep << rng() % 250000000 << sep << alleles[rng() % 8] << sep
           << alleles[rng() % 8] << (file % 2 ? "\r\n" : "\n");
    }
    std::string s = text.str();
    if (file == 2) s.pop_back();  // last line without its terminator
    const std::string path = dir + "/f" + std::to_string(file) + ".bim";
    write_text(path, s);
    expect_same_bim(path, "plain file " + std::to_string(file));
    write_gzip(path + ".gz", s);
    expect_same_bim(path + ".gz", "gzip file " + std::to_string(file));
  }
}

TEST(QcCoreIo, BimErrorsNameTheSameLineAsTheNaiveParser) {
  const std::string dir = scratch_dir("qc_core_io_bim_errors");
  const std::string good = "1\trs1\t0\t100\tA\tG\n\n1\trs2\t0\t200\tC\tT\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"columns", good + "1\trs3\t0\t300\tG\n"},
      {"extra_columns", good + "1 rs3 0 300 G T X Y\n"},
      {"cm", good + "1\trs3\tabc\t300\tG\tT\n"},
      {"cm_range", good + "1\trs3\t1e999\t300\tG\tT\n"},
      {"cm_partial", good + "1\trs3\t1.5cM\t300\tG\tT\n"},
      {"cm_subnormal", good + "1\trs3\t1e-320\t300\tG\tT\n"},
      {"pos", good + "1\trs3\t0\t3e2\tG\tT\n"},
      {"negative", "1\trs3\t0\t-5\tG\tT\r\n"},
      {"empty", "\n \n"},
  };
  for (const auto& [name, text] : cases) {
    const std::string path = dir + "/" + name + ".bim";
    write_text(path, text);
    std::vector<Variant> a, b;
    const std::string ea = naive_bim(path, a), eb = fast_bim(path, b);
    EXPECT_FALSE(ea.empty()) << name;
    EXPECT_EQ(eb, ea) << name;
  }
  std::vector<Variant> v;
  EXPECT_NE(fast_bim(dir + "/absent.bim", v).find("cannot open file"), std::string::npos);
}

TEST(QcCoreIo, FamParsesLinesAndReportsLineNumbers) {
  const std::string dir = scratch_dir("qc_core_io_fam");
  write_text(dir + "/ok.fam", "F1 S1 0 0 1 -9\r\n\nF2\tS2\tS1\t0\t2\t1.5\nF3 S3 0 0 NA 2");
  const SampleTable t = read_fam(dir + "/ok.fam");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].fid, "F1");
  EXPECT_EQ(t[0].phenotype, "-9");
  EXPECT_EQ(t[1].father, "S1");
  EXPECT_EQ(t[1].sex, 2);
  EXPECT_EQ(t[1].phenotype, "1.5");
  EXPECT_EQ(t[2].iid, "S3");
  EXPECT_EQ(t[2].sex, 0);
  EXPECT_EQ(t[2].phenotype, "2");
  auto message = [&](const std::string& name, const std::string& text) {
    write_text(dir + "/" + name + ".fam", text);
    try {
      read_fam(dir + "/" + name + ".fam");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message("dup", "F1 S1 0 0 1 -9\n\nF1 S1 0 0 1 -9\n"),
            dir + "/dup.fam:3: duplicate sample ID 'F1 S1' (first on line 1)");
  EXPECT_EQ(message("sex", "F1 S1 0 0 1 -9\nF2 S2 0 0 3 -9\n"),
            dir + "/sex.fam:2: invalid sex code '3' (expected 1, 2 or 0)");
  EXPECT_EQ(message("cols", "F1 S1 0 0 1\n"),
            dir + "/cols.fam:1: expected 6 columns (FID IID father mother sex phenotype), found 5");
  EXPECT_EQ(message("empty", ""), dir + "/empty.fam: no samples (empty file)");
}

std::string xxh128_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char hex[40];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::to_string(bytes.size()) + " bytes xxh128:" + hex;
}

TEST(QcCoreIo, LogNamesSizeAndHashOfEveryInput) {
  const std::string dir = scratch_dir("qc_core_io_log");
  const std::string prefix = data_path("hapmap3_admixture/hapmap3");
  const CommandResult r = run_genomap("freq --bfile " + prefix + " --threads 2 --out " + dir + "/f");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string log = read_text(dir + "/f.log");
  for (const char* suffix : {".bed", ".bim", ".fam"}) {
    const std::string line = "  " + prefix + suffix + "  " + xxh128_of(prefix + suffix) + "\n";
    EXPECT_NE(log.find(line), std::string::npos) << "missing line:\n" << line << "in log:\n" << log;
  }
}

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

// The multi-word vertical counters against a per-genotype loop, for counts crossing the 255-variant flush.
TEST(QcCoreIo, MultiWordSampleCountersMatchNaiveLoop) {
  std::mt19937_64 rng(11);
  for (std::size_t variants : {0u, 1u, 2u, 3u, 4u, 254u, 255u, 256u, 1000u}) {
    constexpr std::size_t W = 8;  // also checks kWordGroup's width below
    std::vector<std::uint64_t> rows(variants * W);
    for (auto& x : rows) x = rng() & rng();
    auto flags = [&](std::size_t v, std::size_t j) { return rows[v * W + j] & 0x5555555555555555ULL; };
    std::vector<std::uint32_t> fast(32 * W, 7), fast1(32 * W, 7), naive(32 * W, 7);
    add_sample_flag_counts_words<W>(variants, flags, fast.data());
    for (std::size_t j = 0; j < W; ++j)
      add_sample_flag_counts_words<1>(variants, [&](std::size_t v, std::size_t) { return flags(v, j); },
                                      fast1.data() + 32 * j);
    for (std::size_t v = 0; v < variants; ++v)
      for (std::size_t j = 0; j < W; ++j)
        for (std::size_t s = 0; s < 32; ++s)
          naive[32 * j + s] += static_cast<std::uint32_t>((flags(v, j) >> (2 * s)) & 1u);
    EXPECT_EQ(fast, naive) << variants << " variants";
    EXPECT_EQ(fast1, naive) << variants << " variants";
    std::vector<std::uint32_t> grouped(32 * W, 7);
    for (std::size_t j = 0; j < W; j += kWordGroup)
      add_sample_flag_counts_words<kWordGroup>(
          variants, [&](std::size_t v, std::size_t i) { return flags(v, j + i); }, grouped.data() + 32 * j);
    EXPECT_EQ(grouped, naive) << variants << " variants";
  }
}

TEST(QcCoreIo, WordGroupsCoverEveryWordOnce) {
  for (std::size_t words : {0u, 1u, 3u, 4u, 5u, 8u, 9u, 313u}) {
    std::vector<int> seen(words, 0);
    for_each_word_group(words, 2, [&](std::size_t first, std::size_t width) {
      EXPECT_TRUE(width == 1 || width == kWordGroup);
      for (std::size_t j = 0; j < width; ++j) {
        ASSERT_LT(first + j, words);
#pragma omp atomic
        ++seen[first + j];
      }
    });
    EXPECT_EQ(seen, std::vector<int>(words, 1)) << words << " words";
  }
}

}  // namespace
}  // namespace genomap::test
