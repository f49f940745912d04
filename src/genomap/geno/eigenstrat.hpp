// EIGENSTRAT filesets (ADMIXTOOLS / EIGENSOFT): PREFIX.geno, PREFIX.snp, PREFIX.ind.
//   .ind: sample ID, sex (M/F/U), population label (label "Ignore" excludes the sample, as ADMIXTOOLS does).
//   .snp: variant ID, chromosome (1-22, 23 = X, 24 = Y, 90 = MT, 91 = XY, or names), genetic position
//   (Morgans,
//         or cM when any exceeds 100), base-pair position, and optionally allele 1 and allele 2.
//   .geno: either packed (PACKEDANCESTRYMAP: a header record "GENO <nind> <nsnp> <hashes>", then one record
//   of
//         max(48, ceil(nind/4)) bytes per SNP, 2 bits per sample, first sample in the high bits, value =
//         copies of allele 1, 3 = missing), or text (one line per SNP, one character 0/1/2/9 per sample).
// Allele 1 of the .snp is read as allele 1 of a .bim (genotype 2 = homozygous allele 1 = .bed code 00).
// The hash fields of a packed header are not checked.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/geno/variant_table.hpp"

namespace genomap {

struct EigenstratSample {
  std::string id;
  std::string sex;
  std::string label;
};

class EigenstratReader {
 public:
  // Reads .ind and .snp and checks the .geno header and size; throws Error naming the file (and line).
  explicit EigenstratReader(const std::string& prefix);

  const std::vector<EigenstratSample>& samples() const { return samples_; }
  const std::vector<Variant>& variants() const { return variants_; }
  bool packed() const { return packed_; }
  const std::string& geno_path() const { return geno_path_; }

  // Calls `row` for each variant in file order whose `keep[variant]` is true (all when `keep` is empty), with
  // the variant's index and one value per sample: copies of allele 1 (0, 1, 2), or 3 when missing.
  template <typename Fn>
  void for_each_variant(const std::vector<bool>& keep, Fn&& row) const;

 private:
  void read_rows(const std::vector<bool>& keep, void (*callback)(void*, std::size_t, const std::uint8_t*),
                 void* state) const;

  std::string geno_path_;
  std::vector<EigenstratSample> samples_;
  std::vector<Variant> variants_;
  bool packed_ = false;
  std::size_t record_bytes_ = 0;  // packed: bytes per record
};

template <typename Fn>
void EigenstratReader::for_each_variant(const std::vector<bool>& keep, Fn&& row) const {
  read_rows(
      keep,
      [](void* state, std::size_t variant, const std::uint8_t* values) {
        (*static_cast<Fn*>(state))(variant, values);
      },
      &row);
}

}  // namespace genomap
