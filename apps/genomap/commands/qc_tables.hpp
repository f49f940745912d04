// Helpers shared by the QC commands for writing plink2-style tables.
#pragma once
#include <string>
#include <limits>
#include <string_view>

#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/number_format.hpp"

namespace genomap::cli {

// plink2 prints a missing allele code ("0") as ".".
inline std::string_view allele_text(const std::string& allele) {
  return allele == "0" ? std::string_view(".") : std::string_view(allele);
}

// plink2's chromosome name of a variant (23 -> X, 24 -> Y, 25 -> XY, 26 -> MT).
inline std::string chromosome_text(const Variant& v) { return chromosome_name(v.chrom_code, v.chrom); }

// plink2 writes the FID column of sample tables whenever the samples came from a .fam (even if every FID is
// "0"); kept as a function for inputs without family IDs.
inline bool has_family_ids(const Dataset&) { return true; }

inline void append_sample_ids(std::string& line, const Dataset& data, std::size_t i, bool with_fid) {
  const Sample& s = data.sample(i);
  if (with_fid) {
    line += s.fid;
    line.push_back('\t');
  }
  line += s.iid;
}

// Appends "\t" and a ratio num/den in plink2's 6-significant-digit form ("nan" when den is 0).
inline void append_ratio(std::string& line, double num, double den) {
  line.push_back('\t');
  append_g6(line, den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den);
}

}  // namespace genomap::cli
