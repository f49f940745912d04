#include "genomap/relate/king_format.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

namespace genomap {

namespace {

constexpr int kMinExp = -20, kMaxExp = 20;

// 10^k for k in [kMinExp, kMaxExp + 1]: the doubles nearest to them.
constexpr double kPow10[] = {1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10,
                             1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
                             1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,
                             1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21};
static_assert(sizeof kPow10 / sizeof kPow10[0] == kMaxExp - kMinExp + 2);

// 10^k exactly, k in [0, 22].
constexpr double kExact10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

char* slow_g6(char* out, double value) {
  return std::to_chars(out, out + 16, value, std::chars_format::general, 6).ptr;
}

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

}  // namespace

char* write_u32(char* out, std::uint32_t value) {
  char buffer[10];
  char* p = buffer + 10;
  while (value >= 100) {
    const std::uint32_t r = value % 100;
    value /= 100;
    p -= 2;
    std::memcpy(p, kDigitPairs + 2 * r, 2);
  }
  if (value >= 10) {
    p -= 2;
    std::memcpy(p, kDigitPairs + 2 * value, 2);
  } else {
    *--p = static_cast<char>('0' + value);
  }
  const auto len = static_cast<std::size_t>(buffer + 10 - p);
  std::memcpy(out, p, len);
  return out + len;
}

char* write_g6(char* out, double value) {
  if (std::isnan(value)) {
    std::memcpy(out, "nan", 3);
    return out + 3;
  }
  const double a = std::fabs(value);
  if (!(a >= kPow10[0] && a < kPow10[kMaxExp - kMinExp])) return slow_g6(out, value);  // 0, tiny, huge, inf
  // e = floor(log10(a)): floor(binary exponent * log10(2)) is e or e - 1 (78913 / 2^18 = log10(2) to 1e-7).
  const int binary_exponent = static_cast<int>((std::bit_cast<std::uint64_t>(a) >> 52) & 0x7ff) - 1023;
  int e = (binary_exponent * 78913) >> 18;
  if (a >= kPow10[e + 1 - kMinExp]) ++e;
  const int shift = 5 - e;  // scaled = a * 10^shift, one rounding
  const double scaled = shift >= 0 ? a * kExact10[shift] : a / kExact10[-shift];
  if (!(scaled >= 100000.0 + 1e-6 && scaled < 1000000.0)) return slow_g6(out, value);
  const double whole = std::floor(scaled);
  const double frac = scaled - whole;
  // `scaled` is within 1e-9 of the exact product; near a rounding tie only the exact algorithm decides.
  if (std::fabs(frac - 0.5) < 1e-6) return slow_g6(out, value);
  auto q = static_cast<std::uint32_t>(whole) + (frac > 0.5 ? 1u : 0u);
  if (q == 1000000) {
    q = 100000;
    ++e;
  }
  char digits[6];
  const std::uint32_t high = q / 10000, rest = q % 10000;
  std::memcpy(digits, kDigitPairs + 2 * high, 2);
  std::memcpy(digits + 2, kDigitPairs + 2 * (rest / 100), 2);
  std::memcpy(digits + 4, kDigitPairs + 2 * (rest % 100), 2);
  int ndig = 6;
  while (ndig > 1 && digits[ndig - 1] == '0') --ndig;
  char* p = out;
  if (value < 0) *p++ = '-';
  if (e < -4 || e >= 6) {
    *p++ = digits[0];
    if (ndig > 1) {
      *p++ = '.';
      std::memcpy(p, digits + 1, static_cast<std::size_t>(ndig - 1));
      p += ndig - 1;
    }
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    const int ae = e < 0 ? -e : e;
    std::memcpy(p, kDigitPairs + 2 * ae, 2);  // |e| <= 20 here: two digits
    return p + 2;
  }
  if (e >= 0) {
    const int int_digits = e + 1;
    std::memcpy(p, digits, static_cast<std::size_t>(int_digits));
    p += int_digits;
    if (ndig > int_digits) {
      *p++ = '.';
      std::memcpy(p, digits + int_digits, static_cast<std::size_t>(ndig - int_digits));
      p += ndig - int_digits;
    }
    return p;
  }
  *p++ = '0';
  *p++ = '.';
  for (int k = 0; k < -e - 1; ++k) *p++ = '0';
  std::memcpy(p, digits, static_cast<std::size_t>(ndig));
  return p + ndig;
}

}  // namespace genomap
