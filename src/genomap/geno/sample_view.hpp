// A selection of samples (ascending file positions). Analyses see only the selected samples, packed densely:
// `compact_row` turns a raw .bed row into a row of the selected samples' genotypes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace genomap {

class SampleView {
 public:
  SampleView() = default;
  // All samples of a fileset of `raw_sample_ct`.
  static SampleView all(std::size_t raw_sample_ct);
  // The given file positions (sorted and de-duplicated here).
  SampleView(std::size_t raw_sample_ct, std::vector<std::uint32_t> sample_uidx);

  std::size_t size() const { return sample_uidx_.size(); }
  std::size_t raw_sample_ct() const { return raw_sample_ct_; }
  bool is_all() const { return sample_uidx_.size() == raw_sample_ct_; }
  std::uint32_t uidx(std::size_t sample_idx) const { return sample_uidx_[sample_idx]; }
  const std::vector<std::uint32_t>& uidx_list() const { return sample_uidx_; }
  // Words of a compact row: 32 genotypes per 64-bit word.
  std::size_t words_per_row() const { return (size() + 31) / 32; }
  // Writes the selected genotypes of one raw row into `out` (words_per_row() words). Genotype i sits at bits
  // 2i..2i+1 of the row read as little-endian; bits past size() are zero.
  void compact_row(const std::uint8_t* raw_row, std::uint64_t* out) const;

 private:
  std::size_t raw_sample_ct_ = 0;
  std::vector<std::uint32_t> sample_uidx_;
};

}  // namespace genomap
