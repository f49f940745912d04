// A small, fully specified random number generator and the distributions the simulator needs. The standard
// library's distributions differ between implementations, so simulated data would differ between compilers;
// these are written out here so that a seed names the same dataset everywhere.
#pragma once
#include <cstdint>
#include <vector>

namespace genomap {

__extension__ typedef unsigned __int128 uint128_for_random;

// SplitMix64 (Steele, Lea and Flood 2014): used to derive independent seeds from (seed, stream index).
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna 2018), seeded from a (seed, stream) pair so that, e.g., every variant has
// its own stream and results do not depend on which thread generated it.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_positive() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-64 * n, irrelevant here).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<uint128_for_random>(next()) * n) >> 64);
  }
  double normal();  // standard normal (Marsaglia polar method)
  // Logarithm of a Gamma(shape, 1) variate, shape > 0. The log keeps tiny shapes (strong drift, small Dirichlet
  // alpha) from underflowing to zero (Marsaglia and Tsang 2000, with the U^(1/a) boost for shape < 1).
  double log_gamma_variate(double shape);
  double beta(double a, double b);  // Beta(a, b) through two gamma variates
  // Dirichlet(alpha) into `out` (same size as alpha).
  void dirichlet(const std::vector<double>& alpha, std::vector<double>& out);

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  bool have_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace genomap
