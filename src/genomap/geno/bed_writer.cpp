#include "genomap/geno/bed_writer.hpp"

namespace genomap {

BedWriter::BedWriter(OutputSet& outputs, const SampleTable& samples)
    : bed_(&outputs.open(".bed")), bim_(&outputs.open(".bim")), sample_ct_(samples.size()) {
  OutputFile& fam = outputs.open(".fam");
  write_fam(samples, fam.stream());
  const std::uint8_t header[3] = {0x6c, 0x1b, 0x01};
  bed_->write(std::string_view(reinterpret_cast<const char*>(header), 3));
  row_.resize((sample_ct_ + 3) / 4);
}

void BedWriter::add_variant(const Variant& variant, const std::uint8_t* codes) {
  std::fill(row_.begin(), row_.end(), 0);
  for (std::size_t i = 0; i < sample_ct_; ++i) row_[i >> 2] |= static_cast<std::uint8_t>((codes[i] & 3u) << (2 * (i & 3)));
  add_packed_variant(variant, row_.data());
}

void BedWriter::add_packed_variant(const Variant& variant, const std::uint8_t* packed_row) {
  bed_->write(std::string_view(reinterpret_cast<const char*>(packed_row), row_.size()));
  write_bim_line(variant, bim_->stream());
  ++variant_ct_;
}

}  // namespace genomap
