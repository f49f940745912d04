#include "genomap/geno/sample_view.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace genomap {

SampleView SampleView::all(std::size_t raw_sample_ct) {
  std::vector<std::uint32_t> idx(raw_sample_ct);
  std::iota(idx.begin(), idx.end(), 0u);
  return SampleView(raw_sample_ct, std::move(idx));
}

SampleView::SampleView(std::size_t raw_sample_ct, std::vector<std::uint32_t> sample_uidx)
    : raw_sample_ct_(raw_sample_ct), sample_uidx_(std::move(sample_uidx)) {
  std::sort(sample_uidx_.begin(), sample_uidx_.end());
  sample_uidx_.erase(std::unique(sample_uidx_.begin(), sample_uidx_.end()), sample_uidx_.end());
}

void SampleView::compact_row(const std::uint8_t* raw_row, std::uint64_t* out) const {
  const std::size_t words = words_per_row();
  if (words == 0) return;
  if (is_all()) {
    const std::size_t bytes = (raw_sample_ct_ + 3) / 4;
    out[words - 1] = 0;
    std::memcpy(out, raw_row, bytes);
    const std::size_t used_bits = 2 * (raw_sample_ct_ % 32);
    if (used_bits) out[words - 1] &= (std::uint64_t{1} << used_bits) - 1;  // clear .bed padding beyond N
    return;
  }
  std::fill(out, out + words, 0);
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t s = sample_uidx_[i];
    const std::uint64_t code = (raw_row[s >> 2] >> (2 * (s & 3))) & 3u;
    out[i >> 5] |= code << (2 * (i & 31));
  }
}

}  // namespace genomap
