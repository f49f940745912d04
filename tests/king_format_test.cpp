// The fast %.6g writer of the .kin0 table against std::to_chars(general, 6) (the reference: exact, and what
// printf("%.6g") prints) on millions of values: random magnitudes, the ratios and kinships the table prints,
// values next to rounding ties and powers of ten, and the special cases.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "genomap/relate/king_format.hpp"
#include "genomap/relate/king_kernel.hpp"

namespace genomap {
namespace {

std::string reference(double value) {
  if (std::isnan(value)) return "nan";
  char buffer[64];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6).ptr);
}

std::string fast(double value) {
  char buffer[64];
  return std::string(buffer, write_g6(buffer, value));
}

TEST(KingFormat, SpecialValues) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.5, 0.25, 0.1, 1e-4, 1e-5, 9.99999e-5, 9.999995e-5, 9.9999949e-5,
                   9.9999951e-5, 0.0001, 0.00010000049, 0.9999996, 0.9999995, 0.99999949999, 0.99999950001, 999999.4,
                   999999.5, 999999.6, 1e6, 123456.5, 0.1234565, 0.1234575, -0.21718749999999998, -0.2171875,
                   1e-20, 1e-21, 1e20, 1e21, 5e-324, std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(fast(v), reference(v)) << v;
    EXPECT_EQ(fast(-v), reference(-v)) << -v;
  }
}

TEST(KingFormat, RandomValuesMatchToChars) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-25, 25);
  for (int t = 0; t < 2000000; ++t) {
    double v;
    switch (t % 4) {
      case 0: v = unit(rng); break;
      case 1: v = (unit(rng) - 0.5) * std::pow(10.0, exponent(rng)); break;
      case 2: {  // exactly on or next to a 6-digit rounding tie at a random scale
        const double tie = (100000.0 + static_cast<double>(rng() % 900000) + 0.5) * std::pow(10.0, exponent(rng) - 5);
        const int steps = static_cast<int>(rng() % 7) - 3;
        v = tie;
        for (int s = 0; s < std::abs(steps); ++s) v = std::nextafter(v, steps > 0 ? 1e300 : -1e300);
        break;
      }
      default: {  // next to a power of ten
        v = std::pow(10.0, exponent(rng)) * (1.0 + (unit(rng) - 0.5) * 2e-6);
        break;
      }
    }
    if (rng() & 1) v = -v;
    ASSERT_EQ(fast(v), reference(v)) << "value " << v;
  }
}

TEST(KingFormat, TableRatiosAndKinshipsMatchToChars) {
  std::mt19937_64 rng(23);
  for (int t = 0; t < 1000000; ++t) {
    const auto nsnp = static_cast<std::uint32_t>(1 + rng() % 200000);
    const auto part = static_cast<std::uint32_t>(rng() % (nsnp + 1));
    const double ratio = static_cast<double>(part) / nsnp;
    ASSERT_EQ(fast(ratio), reference(ratio)) << part << "/" << nsnp;
    KingPairCounts c{nsnp, static_cast<std::uint32_t>(rng() % 5000), static_cast<std::uint32_t>(rng() % 3000),
                     static_cast<std::uint32_t>(rng() % 5000), static_cast<std::uint32_t>(rng() % 5000)};
    const double kinship = king_kinship(c);
    ASSERT_EQ(fast(kinship), reference(kinship)) << c.hethet << " " << c.ibs0;
  }
}

TEST(KingFormat, UnsignedIntegers) {
  std::mt19937_64 rng(29);
  for (std::uint32_t v : {0u, 1u, 9u, 10u, 99u, 100u, 4294967295u}) {
    char buffer[16], expect[16];
    EXPECT_EQ(std::string(buffer, write_u32(buffer, v)), std::string(expect, std::to_chars(expect, expect + 16, v).ptr));
  }
  for (int t = 0; t < 100000; ++t) {
    const auto v = static_cast<std::uint32_t>(rng() >> (rng() % 32));
    char buffer[16], expect[16];
    ASSERT_EQ(std::string(buffer, write_u32(buffer, v)), std::string(expect, std::to_chars(expect, expect + 16, v).ptr));
  }
}

}  // namespace
}  // namespace genomap
