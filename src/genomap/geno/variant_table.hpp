// The variants of a fileset, as in a PLINK .bim: chromosome, ID, genetic position (cM), base-pair position,
// allele 1 and allele 2. In the .bed encoding, genotype 00 is homozygous for allele 1. plink2 reads allele 1 as
// ALT and allele 2 as REF, and so does genomap's output (.afreq ALT_FREQS is the allele-1 frequency).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace genomap {

struct Variant {
  std::string chrom;  // as written
  int chrom_code = 0;  // see chromosome.hpp
  std::string id;
  double cm = 0.0;
  std::int64_t pos = 0;
  std::string allele1;  // ALT in plink2's terms
  std::string allele2;  // REF
};

class VariantTable {
 public:
  VariantTable() = default;
  explicit VariantTable(std::vector<Variant> variants) : variants_(std::move(variants)) {}
  std::size_t size() const { return variants_.size(); }
  const Variant& operator[](std::size_t i) const { return variants_[i]; }
  const std::vector<Variant>& all() const { return variants_; }

 private:
  std::vector<Variant> variants_;
};

// Reads a .bim file (6 columns). Throws Error naming file and line on malformed rows or non-numeric positions.
// Duplicate IDs are allowed in the file (as plink2 allows) but `.` IDs are kept as they are.
VariantTable read_bim(const std::string& path);
void write_bim_line(const Variant& v, std::FILE* out);

}  // namespace genomap
