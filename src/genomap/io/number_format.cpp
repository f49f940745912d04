#include "genomap/io/number_format.hpp"

#include <cfloat>
#include <cstdint>

namespace genomap {
namespace {

// Half-to-even rounding of a non-negative value below 2^31, where a fractional part within 5e-9 of one half
// counts as one half: a value that is a tie in decimal (an exact ratio such as 93/640) stays a tie even when its
// binary approximation lies a hair above or below.
std::uint32_t round_half_even(double scaled) {
  static constexpr double kTieThreshold[2] = {0.499999995, 0.500000005};
  const auto whole = static_cast<std::uint32_t>(static_cast<std::int32_t>(scaled));
  const double fraction = scaled - static_cast<double>(whole);
  return whole + static_cast<std::uint32_t>(static_cast<std::int32_t>(fraction + kTieThreshold[whole & 1]));
}

// Writes `value` as exactly `width` digits (leading zeros kept).
void append_fixed_digits(std::string& out, std::uint32_t value, int width) {
  char buf[16];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

// Writes a fraction of `width` digits (leading zeros kept) with its trailing zeros dropped.
void append_fraction_digits(std::string& out, std::uint32_t digits, int width) {
  while (width > 0 && digits % 10 == 0) {
    digits /= 10;
    --width;
  }
  if (width > 0) append_fixed_digits(out, digits, width);
}

// Rounds x * 10^(6 - int_digits) and writes it with `int_digits` digits before the point.
void append_six_digits(std::string& out, double x, int int_digits) {
  static constexpr std::uint32_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  const int frac_digits = 6 - int_digits;
  const std::uint32_t all = round_half_even(frac_digits ? x * kPow10[frac_digits] : x);
  const std::uint32_t whole = all / kPow10[frac_digits];
  const std::uint32_t fraction = all - whole * kPow10[frac_digits];
  append_fixed_digits(out, whole, int_digits);
  if (fraction) {
    out.push_back('.');
    append_fraction_digits(out, fraction, frac_digits);
  }
}

void append_exponent(std::string& out, char sign, unsigned exponent) {
  out.push_back('e');
  out.push_back(sign);
  if (exponent >= 100) {
    out.push_back(static_cast<char>('0' + exponent / 100));
    exponent %= 100;
  }
  append_fixed_digits(out, exponent, 2);
}

// Exponent steps as a binary decomposition; the intermediate products are rounded exactly as plink2's are.
constexpr unsigned kSteps[] = {256, 128, 64, 32, 16, 8, 4, 2, 1};
// A value is scaled by 10^step while below these bounds (10^-step less half a unit in the 6th digit, with a
// small gap so that a printed value never gains a digit).
constexpr double kSmallBound[] = {9.9999949999999e-256, 9.9999949999999e-128, 9.9999949999999e-64,
                                  9.9999949999999e-32,  9.9999949999999e-16,  9.9999949999999e-8,
                                  9.9999949999999e-4,   9.9999949999999e-2,   9.9999949999999e-1};
constexpr double kSmallScale[] = {1e256, 1e128, 1e64, 1e32, 1e16, 1e8, 1e4, 1e2, 1e1};
constexpr double kLargeBound[] = {9.9999949999999e255, 9.9999949999999e127, 9.9999949999999e63,
                                  9.9999949999999e31,  9.9999949999999e15,  9.9999949999999e7,
                                  9.9999949999999e3,   9.9999949999999e1,   9.9999949999999e0};
constexpr double kLargeScale[] = {1e-256, 1e-128, 1e-64, 1e-32, 1e-16, 1e-8, 1e-4, 1e-2, 1e-1};

}  // namespace

void append_g6(std::string& out, double x) {
  if (x != x) {
    out += "nan";
    return;
  }
  if (x < 0) {
    out.push_back('-');
    x = -x;
  }
  if (x < 9.9999949999999e-5) {
    if (x == 0.0) {
      out.push_back('0');
      return;
    }
    unsigned exponent = 0;
    for (int i = 0; i < 9; ++i)
      if (x < kSmallBound[i]) {
        x *= kSmallScale[i];
        exponent |= kSteps[i];
      }
    append_six_digits(out, x, 1);
    append_exponent(out, '-', exponent);
    return;
  }
  if (x >= 999999.49999999) {
    if (x > DBL_MAX) {
      out += "inf";
      return;
    }
    unsigned exponent = 0;
    for (int i = 0; i < 9; ++i)
      if (x >= kLargeBound[i]) {
        x *= kLargeScale[i];
        exponent |= kSteps[i];
      }
    append_six_digits(out, x, 1);
    append_exponent(out, '+', exponent);
    return;
  }
  if (x >= 0.99999949999999) {
    int int_digits = 6;
    if (x < 9.9999949999999) int_digits = 1;
    else if (x < 99.999949999999) int_digits = 2;
    else if (x < 999.99949999999) int_digits = 3;
    else if (x < 9999.9949999999) int_digits = 4;
    else if (x < 99999.949999999) int_digits = 5;
    append_six_digits(out, x, int_digits);
    return;
  }
  // Below 1: "0." and up to three zeros, then the 6 significant digits with trailing zeros dropped.
  out += "0.";
  if (x < 9.9999949999999e-3) {
    x *= 100;
    out += "00";
  }
  if (x < 9.9999949999999e-2) {
    x *= 10;
    out.push_back('0');
  }
  append_fraction_digits(out, round_half_even(x * 1000000), 6);
}

std::string format_g6(double value) {
  std::string s;
  append_g6(s, value);
  return s;
}

void append_uint(std::string& out, std::uint64_t value) {
  char buf[24];
  int i = 24;
  do {
    buf[--i] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value);
  out.append(buf + i, static_cast<std::size_t>(24 - i));
}

}  // namespace genomap
