// A PLINK 1 fileset (.bed/.bim/.fam) opened for reading: the .bed is memory-mapped and read in variant-major
// rows of ceil(N/4) bytes, 2 bits per genotype (00 hom. allele 1, 01 missing, 10 het, 11 hom. allele 2).
// Naming follows plink2: `variant_uidx` is a row of the file; `variant_idx` a position after filters.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "genomap/geno/sample_table.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/io/mapped_file.hpp"

namespace genomap {

class GenotypeStore {
 public:
  // Opens PREFIX.bed/.bim/.fam; checks the magic bytes, the variant-major mode and that the .bed size matches
  // the .bim and .fam counts. Throws Error naming the offending file.
  static GenotypeStore open_bfile(const std::string& prefix);

  const SampleTable& samples() const { return samples_; }
  const VariantTable& variants() const { return variants_; }
  std::size_t sample_ct() const { return samples_.size(); }
  std::size_t variant_ct() const { return variants_.size(); }
  std::size_t bytes_per_variant() const { return bytes_per_variant_; }
  // The packed row of one variant (not aligned; padding bits in the last byte are zero).
  const std::uint8_t* variant_row(std::size_t variant_uidx) const {
    return bed_.data() + 3 + variant_uidx * bytes_per_variant_;
  }
  // Hands the pages of rows [first, end) back to the kernel once a pass is done with them.
  void release_rows(std::size_t first_uidx, std::size_t end_uidx) const;
  // Starts reading rows [first, end) from disk ahead of their use (a hint).
  void prefetch_rows(std::size_t first_uidx, std::size_t end_uidx) const;

  const std::string& bed_path() const { return bed_path_; }
  const std::string& bim_path() const { return bim_path_; }
  const std::string& fam_path() const { return fam_path_; }

 private:
  SampleTable samples_;
  VariantTable variants_;
  MappedFile bed_;
  std::size_t bytes_per_variant_ = 0;
  std::string bed_path_, bim_path_, fam_path_;
};

}  // namespace genomap
