#include "genomap/geno/eigenstrat.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {
namespace {

std::vector<EigenstratSample> read_ind(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::vector<EigenstratSample> out;
  while (reader.next(line)) {
    auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (f.size() < 3)
      reader.fail(fmt::format("expected 3 columns (ID, sex, population), found {}", f.size()));
    out.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
  }
  if (out.empty()) throw Error(path, 0, "no samples (empty file)");
  return out;
}

// ADMIXTOOLS numbers X 23, Y 24, MT 90 and XY 91.
int eigenstrat_chromosome(std::string_view name) {
  if (name == "90") return kChromMT;
  if (name == "91") return kChromXY;
  return chromosome_code(name);
}

std::vector<Variant> read_snp(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::vector<Variant> out;
  while (reader.next(line)) {
    auto f = split_whitespace(line);
    if (f.empty() || f[0].front() == '#') continue;
    if (f.size() < 4)
      reader.fail(
          fmt::format("expected at least 4 columns (ID, chromosome, genetic position, "
                      "position), found {}",
                      f.size()));
    Variant v;
    v.id = std::string(f[0]);
    v.chrom_code = eigenstrat_chromosome(f[1]);
    v.chrom = v.chrom_code ? chromosome_name(v.chrom_code, f[1]) : std::string(f[1]);
    long long pos = 0;
    if (!parse_double(f[2], v.cm))
      reader.fail("genetic position is not a number: '" + std::string(f[2]) + "'");
    if (!parse_int64(f[3], pos)) {
      double p = 0;
      if (!parse_double(f[3], p)) reader.fail("position is not a number: '" + std::string(f[3]) + "'");
      pos = static_cast<long long>(p);
    }
    v.pos = pos;
    v.allele1 = f.size() > 4 ? std::string(f[4]) : "0";
    v.allele2 = f.size() > 5 ? std::string(f[5]) : "0";
    out.push_back(std::move(v));
  }
  if (out.empty()) throw Error(path, 0, "no variants (empty file)");
  return out;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_or_throw(const std::string& path) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) throw Error(path, 0, "cannot open file");
  return f;
}

}  // namespace

EigenstratReader::EigenstratReader(const std::string& prefix) : geno_path_(prefix + ".geno") {
  samples_ = read_ind(prefix + ".ind");
  variants_ = read_snp(prefix + ".snp");
  FilePtr f = open_or_throw(geno_path_);
  char head[5] = {0, 0, 0, 0, 0};
  const std::size_t got = std::fread(head, 1, 5, f.get());
  if (got >= 4 && std::string_view(head, 4) == "GENO") {
    packed_ = true;
    record_bytes_ = std::max<std::size_t>(48, (samples_.size() + 3) / 4);
    std::vector<char> header(record_bytes_ + 1, 0);
    std::rewind(f.get());
    if (std::fread(header.data(), 1, record_bytes_, f.get()) != record_bytes_)
      throw Error(geno_path_, 0, "truncated packed header");
    unsigned long long nind = 0, nsnp = 0;
    if (std::sscanf(header.data(), "GENO %llu %llu", &nind, &nsnp) != 2)
      throw Error(geno_path_, 0, "unreadable packed header (expected 'GENO <samples> <SNPs> ...')");
    if (nind != samples_.size() || nsnp != variants_.size())
      throw Error(geno_path_, 0,
                  fmt::format("header says {} samples and {} SNPs, but the .ind has {} and the .snp {}", nind,
                              nsnp, samples_.size(), variants_.size()));
    std::fseek(f.get(), 0, SEEK_END);
    const long size = std::ftell(f.get());
    const auto expected = static_cast<long>(record_bytes_ * (variants_.size() + 1));
    if (size != expected)
      throw Error(geno_path_, 0,
                  fmt::format("file has {} bytes; {} samples x {} SNPs need {}", size, samples_.size(),
                              variants_.size(), expected));
  } else if (got >= 5 && std::string_view(head, 5) == "TGENO") {
    throw Error(geno_path_, 0,
                "transposed packed genotypes (TGENO) are not supported; convert with convertf");
  } else {
    packed_ = false;
  }
}

void EigenstratReader::read_rows(const std::vector<bool>& keep,
                                 void (*callback)(void*, std::size_t, const std::uint8_t*),
                                 void* state) const {
  FilePtr f = open_or_throw(geno_path_);
  const std::size_t n = samples_.size();
  std::vector<std::uint8_t> values(n);
  if (packed_) {
    std::vector<std::uint8_t> record(record_bytes_);
    std::fseek(f.get(), static_cast<long>(record_bytes_), SEEK_SET);
    for (std::size_t v = 0; v < variants_.size(); ++v) {
      if (std::fread(record.data(), 1, record_bytes_, f.get()) != record_bytes_)
        throw Error(geno_path_, 0, fmt::format("truncated at SNP {}", v + 1));
      if (!keep.empty() && !keep[v]) continue;
      for (std::size_t i = 0; i < n; ++i) values[i] = (record[i >> 2] >> (6 - 2 * (i & 3))) & 3u;
      callback(state, v, values.data());
    }
    return;
  }
  LineReader reader(geno_path_);
  std::string line;
  std::size_t v = 0;
  while (reader.next(line)) {
    if (line.empty()) continue;
    if (v >= variants_.size())
      reader.fail(fmt::format("more genotype lines than the {} SNPs of the .snp", variants_.size()));
    if (line.size() != n)
      reader.fail(fmt::format("expected {} genotype characters (one per sample), found {}", n, line.size()));
    if (keep.empty() || keep[v]) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = line[i];
        if (c >= '0' && c <= '2')
          values[i] = static_cast<std::uint8_t>(c - '0');
        else if (c == '9')
          values[i] = 3;
        else
          reader.fail(fmt::format("genotype '{}' of sample {} is not 0, 1, 2 or 9", c, i + 1));
      }
      callback(state, v, values.data());
    }
    ++v;
  }
  if (v != variants_.size())
    throw Error(geno_path_, 0, fmt::format("{} genotype lines for {} SNPs in the .snp", v, variants_.size()));
}

}  // namespace genomap
