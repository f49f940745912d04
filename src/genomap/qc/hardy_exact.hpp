// Hardy-Weinberg exact test for a biallelic variant (Wigginton, Cutler & Abecasis 2005, Am J Hum Genet 76:887).
#pragma once
#include <cstdint>

namespace genomap {

// p-value of the exact test given heterozygote and homozygote counts; with `midp` the mid-p adjustment
// (Graffelman & Moreno 2013) is applied as plink2's `midp` modifier does. Returns 1 when no genotypes are called.
double hardy_weinberg_exact_p(std::uint32_t het, std::uint32_t hom1, std::uint32_t hom2, bool midp = false);

}  // namespace genomap
