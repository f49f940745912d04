// P-values of the test statistics reported by glm, in double precision, accurate for p far below 1e-300.
#pragma once

namespace genomap {

// Regularized incomplete beta function I_x(a, b) (continued fraction, Press et al., Numerical Recipes ch. 6.4).
double regularized_incomplete_beta(double a, double b, double x);
// Two-sided p-value of Student's t with `df` degrees of freedom.
double student_t_two_sided_p(double t, double df);
// Two-sided p-value of a standard normal z (equivalently, upper tail of chi-square(1) at z^2).
double normal_two_sided_p(double z);
// Upper tail of chi-square with 1 degree of freedom.
double chisq1_upper_p(double chisq);
// The chi-square(1) statistic whose upper tail is p (inverse of chisq1_upper_p), for 0 < p <= 1.
double chisq1_from_p(double p);

}  // namespace genomap
