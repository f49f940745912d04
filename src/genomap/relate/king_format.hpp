// Fast text for the .kin0 table: printf's %.6g (as std::to_chars(general, 6) writes it) without the general
// algorithm in the common case, and unsigned integers.
#pragma once
#include <cstdint>

namespace genomap {

// Writes `value` as std::to_chars(first, last, value, std::chars_format::general, 6) would (and "nan" for NaN,
// "inf"/"-inf" for infinities) at `out`, returns the end. Needs 16 bytes of room. The fast path rounds the value
// scaled to 6 significant digits with double arithmetic; where the scaled value lies within 1e-6 of a rounding
// tie or of a power-of-ten boundary, or the exponent is out of the common range, it calls std::to_chars, so the
// text is always identical to to_chars.
char* write_g6(char* out, double value);

// Writes the decimal digits of `value` at `out` (needs 10 bytes), returns the end.
char* write_u32(char* out, std::uint32_t value);

}  // namespace genomap
