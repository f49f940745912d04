// Per-sample counts over many variants without a per-genotype loop: vertical (bit-sliced) counters.
//
// For one 64-bit word of a compact row (32 samples, one flag per sample at the low bit of its 2-bit field),
// the flags of up to 3 variants are summed in the 2-bit fields themselves, those sums are split into 4-bit
// fields (even and odd samples apart) and summed 5 times, then into 8-bit fields summed 17 times, and only then
// added to the 32-bit counters: about one add per word per variant instead of 32.
#pragma once
#include <cstddef>
#include <cstdint>

namespace genomap {

// Adds to `counters[j]` (j < 32) the number of variants v < variant_ct whose flag word `flags_of(v)` has bit 2j
// set. Bits at odd positions of a flag word must be zero.
template <typename FlagsOf>
void add_sample_flag_counts(std::size_t variant_ct, FlagsOf&& flags_of, std::uint32_t* counters) {
  constexpr std::uint64_t k2 = 0x3333333333333333ULL;  // 2-bit fields of even samples, within 4-bit fields
  constexpr std::uint64_t k4 = 0x0F0F0F0F0F0F0F0FULL;
  std::uint64_t acc8[4] = {0, 0, 0, 0};  // 8-bit fields: samples 4k, 4k+2, 4k+1, 4k+3
  std::size_t v = 0;
  while (v < variant_ct) {
    for (int r8 = 0; r8 < 17 && v < variant_ct; ++r8) {
      std::uint64_t acc4_even = 0, acc4_odd = 0;  // 4-bit fields: samples 2i and 2i+1
      for (int r4 = 0; r4 < 5 && v < variant_ct; ++r4) {
        std::uint64_t sum2 = flags_of(v++);
        if (v < variant_ct) sum2 += flags_of(v++);
        if (v < variant_ct) sum2 += flags_of(v++);
        acc4_even += sum2 & k2;
        acc4_odd += (sum2 >> 2) & k2;
      }
      acc8[0] += acc4_even & k4;
      acc8[1] += (acc4_even >> 4) & k4;
      acc8[2] += acc4_odd & k4;
      acc8[3] += (acc4_odd >> 4) & k4;
    }
    static constexpr int kFirstSample[4] = {0, 2, 1, 3};
    for (int a = 0; a < 4; ++a) {
      for (int k = 0; k < 8; ++k)
        counters[4 * k + kFirstSample[a]] += static_cast<std::uint32_t>((acc8[a] >> (8 * k)) & 0xFFu);
      acc8[a] = 0;
    }
  }
}

}  // namespace genomap
