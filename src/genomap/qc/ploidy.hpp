// Ploidy of each genotype as plink2 sees it: chrX is haploid in males (diploid in females and in samples of
// unknown sex), chrY is haploid in males and absent in everyone else, chrMT is haploid in everyone; autosomes,
// the pseudo-autosomal region (XY) and unplaced contigs are diploid. A heterozygous call where the genotype is
// haploid counts, as in plink2 2.00a3 --freq, as one observed allele of dosage 0.5.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/geno/kernels.hpp"

namespace genomap {

enum class ChromosomePloidy { Diploid, X, Y, MT };
ChromosomePloidy chromosome_ploidy(int chrom_code);

// Masks over a compact packed row (one bit per selected sample, at the low bit of its 2-bit field).
struct SexMasks {
  std::vector<std::uint64_t> male, female, not_male, all;
  std::size_t male_ct = 0, female_ct = 0, sample_ct = 0;
  static SexMasks of(const Dataset& data);
};

// A variant's genotype counts split by ploidy: `diploid` over samples carrying two copies, `haploid` over
// samples carrying one (their heterozygous calls are errors, counted as missing in allele counts).
struct PloidyCounts {
  GenotypeCounts diploid;
  GenotypeCounts haploid;
  // Allele-1 (ALT) copies and called allele copies, as plink2 --freq counts them.
  double allele1_count() const {
    return 2.0 * diploid.hom1 + diploid.het + haploid.hom1 + 0.5 * haploid.het;
  }
  std::uint64_t allele_obs() const { return 2ULL * diploid.called() + haploid.called(); }
};

PloidyCounts count_by_ploidy(const std::uint64_t* row, std::size_t sample_ct, ChromosomePloidy ploidy,
                             const SexMasks& masks);

}  // namespace genomap
