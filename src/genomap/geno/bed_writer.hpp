// Writes a PLINK 1 fileset (.bed/.bim/.fam) row by row through an OutputSet, so memory does not grow with the
// number of variants and nothing appears under the final names until the run commits.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/geno/sample_table.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap {

class BedWriter {
 public:
  // Opens PREFIX.bed/.bim/.fam in `outputs` (with their prefix) and writes the .fam and .bed header.
  BedWriter(OutputSet& outputs, const SampleTable& samples);
  std::size_t sample_ct() const { return sample_ct_; }
  // Appends a variant from 2-bit codes, one per sample (0 hom. allele 1, 1 missing, 2 het, 3 hom. allele 2).
  void add_variant(const Variant& variant, const std::uint8_t* codes);
  // Appends a variant from an already packed .bed row of ceil(N/4) bytes.
  void add_packed_variant(const Variant& variant, const std::uint8_t* packed_row);
  std::size_t variant_ct() const { return variant_ct_; }

 private:
  OutputFile* bed_;
  OutputFile* bim_;
  std::size_t sample_ct_;
  std::size_t variant_ct_ = 0;
  std::vector<std::uint8_t> row_;
};

// Allele-1 dosage (0, 1, 2; negative = missing) to the .bed 2-bit code.
inline std::uint8_t bed_code_from_allele1_dosage(int dosage) {
  switch (dosage) {
    case 2: return 0;
    case 1: return 2;
    case 0: return 3;
    default: return 1;
  }
}

}  // namespace genomap
