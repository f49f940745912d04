#include "genomap/sim/random_stream.hpp"

#include <algorithm>
#include <cmath>

namespace genomap {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed ^ (stream * 0xd1b54a32d192ed03ULL + 0x8bb84b93962eacc9ULL);
  state = splitmix64(state);
  for (auto& s : s_) s = splitmix64(state);
}

double RandomStream::normal() {
  if (have_spare_normal_) {
    have_spare_normal_ = false;
    return spare_normal_;
  }
  double x, y, r;
  do {
    x = 2.0 * uniform() - 1.0;
    y = 2.0 * uniform() - 1.0;
    r = x * x + y * y;
  } while (r >= 1.0 || r == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r) / r);
  spare_normal_ = y * f;
  have_spare_normal_ = true;
  return x * f;
}

double RandomStream::log_gamma_variate(double shape) {
  // Marsaglia and Tsang (2000): for shape a >= 1, d = a - 1/3, c = 1/sqrt(9d); accept d*v with v = (1+cx)^3.
  double boost = 0.0;
  if (shape < 1.0) {
    boost = std::log(uniform_positive()) / shape;
    shape += 1.0;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_positive();
    if (u < 1.0 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v)))
      return std::log(d * v) + boost;
  }
}

double RandomStream::beta(double a, double b) {
  const double la = log_gamma_variate(a);
  const double lb = log_gamma_variate(b);
  return 1.0 / (1.0 + std::exp(lb - la));
}

void RandomStream::dirichlet(const std::vector<double>& alpha, std::vector<double>& out) {
  out.resize(alpha.size());
  double top = -INFINITY;
  for (std::size_t k = 0; k < alpha.size(); ++k) {
    out[k] = log_gamma_variate(alpha[k]);
    top = std::max(top, out[k]);
  }
  double sum = 0.0;
  for (auto& x : out) sum += (x = std::exp(x - top));
  for (auto& x : out) x /= sum;
}

}  // namespace genomap
