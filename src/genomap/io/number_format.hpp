// Numbers printed the way plink2 prints them, so that genomap's tables are byte-identical to plink2's.
//
// plink2 writes most real numbers with 6 significant digits ("%g"-like: trailing zeros dropped, exponent form
// below 1e-4 and from 999999.5 up), but rounds half to even with a small tolerance on the value scaled to 6
// digits instead of rounding the exact binary value: 93/640 = 0.1453125 prints as 0.145312 (printf's %.6g gives
// 0.145313, because the double just above 0.1453125 rounds up). A scaled value within 5e-9 of a half is a tie.
#pragma once
#include <cstdint>
#include <string>

namespace genomap {

// Appends `value` with 6 significant digits as plink2 does ("nan", "inf", "-inf" for non-finite values).
void append_g6(std::string& out, double value);
std::string format_g6(double value);

// Appends an unsigned integer in decimal.
void append_uint(std::string& out, std::uint64_t value);

}  // namespace genomap
