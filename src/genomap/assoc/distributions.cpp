#include "genomap/assoc/distributions.hpp"

#include <cmath>
#include <limits>

namespace genomap {
namespace {

// Continued fraction of the incomplete beta function, modified Lentz's method.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

// Inverse of the standard normal lower tail (Acklam's rational approximation), refined by Newton steps below.
double normal_quantile_approx(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double plow = 0.02425;
  if (p < plow) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - plow) return -normal_quantile_approx(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_two_sided_p(double t, double df) {
  if (std::isnan(t) || df <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return 0.0;
  const double t2 = t * t;
  // I_{df/(df+t^2)}(df/2, 1/2); for small t use the complement to keep precision near p = 1.
  if (t2 < df) {
    return 1.0 - regularized_incomplete_beta(0.5, 0.5 * df, t2 / (df + t2));
  }
  return regularized_incomplete_beta(0.5 * df, 0.5, df / (df + t2));
}

double normal_two_sided_p(double z) {
  if (std::isnan(z)) return z;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double chisq1_upper_p(double chisq) {
  if (std::isnan(chisq)) return chisq;
  if (chisq <= 0) return 1.0;
  return std::erfc(std::sqrt(0.5 * chisq));
}

double chisq1_from_p(double p) {
  if (!(p > 0)) return std::numeric_limits<double>::infinity();
  if (p >= 1) return 0.0;
  // z with erfc(z / sqrt 2) = p, i.e. the upper p/2 quantile of the normal; Newton on log p for tiny p.
  double z = -normal_quantile_approx(0.5 * p);
  const double log_p = std::log(p);
  for (int i = 0; i < 6; ++i) {
    const double tail = std::erfc(z / std::sqrt(2.0));
    if (!(tail > 0)) break;
    const double density = std::sqrt(2.0 / M_PI) * std::exp(-0.5 * z * z);  // -d tail / dz
    const double step = (std::log(tail) - log_p) / (density / tail);
    z += step;
    if (std::fabs(step) < 1e-15 * std::fabs(z)) break;
  }
  return z * z;
}

}  // namespace genomap
