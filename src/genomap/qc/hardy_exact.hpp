// Hardy-Weinberg exact test for a biallelic variant (Wigginton, Cutler & Abecasis 2005, Am J Hum Genet 76:887).
#pragma once
#include <cstdint>

namespace genomap {

// p-value of the exact test given heterozygote and homozygote counts; with `midp` the mid-p adjustment
// (Graffelman & Moreno 2013) is applied as plink2's `midp` modifier does. Returns 1 when no genotypes are called.
double hardy_weinberg_exact_p(std::uint32_t het, std::uint32_t hom1, std::uint32_t hom2, bool midp = false);

}  // namespace genomap

namespace genomap {

// p-value of the exact test for a chrX variant given female genotype counts and male allele counts
// (Graffelman & Weir 2016, Heredity 116:558): all configurations of male allele counts and female genotype
// counts with the observed total allele counts are enumerated, with probability proportional to
// 2^het / (hom1! het! hom2! male1! male2!), and those no more likely than the observed one are summed.
// `midp` subtracts half the probability of the configurations as likely as the observed one.
double hardy_weinberg_x_exact_p(std::uint32_t female_hom1, std::uint32_t female_het, std::uint32_t female_hom2,
                                std::uint32_t male1, std::uint32_t male2, bool midp = false);

}  // namespace genomap
