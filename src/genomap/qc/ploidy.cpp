#include "genomap/qc/ploidy.hpp"


#include "genomap/geno/chromosome.hpp"

namespace genomap {

ChromosomePloidy chromosome_ploidy(int chrom_code) {
  switch (chrom_code) {
    case kChromX: return ChromosomePloidy::X;
    case kChromY: return ChromosomePloidy::Y;
    case kChromMT: return ChromosomePloidy::MT;
    default: return ChromosomePloidy::Diploid;
  }
}

SexMasks SexMasks::of(const Dataset& data) {
  SexMasks m;
  const std::size_t n = data.sample_ct();
  const std::size_t words = data.samples.words_per_row();
  m.sample_ct = n;
  m.male.assign(words, 0);
  m.female.assign(words, 0);
  m.not_male.assign(words, 0);
  m.all.assign(words, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << (2 * (i & 31));
    const int sex = data.sample(i).sex;
    m.all[i >> 5] |= bit;
    if (sex == 1) {
      m.male[i >> 5] |= bit;
      ++m.male_ct;
    } else {
      m.not_male[i >> 5] |= bit;
    }
    if (sex == 2) {
      m.female[i >> 5] |= bit;
      ++m.female_ct;
    }
  }
  return m;
}

PloidyCounts count_by_ploidy(const std::uint64_t* row, std::size_t sample_ct, ChromosomePloidy ploidy,
                             const SexMasks& masks) {
  PloidyCounts c;
  const std::size_t words = masks.all.size();
  switch (ploidy) {
    case ChromosomePloidy::Diploid: c.diploid = count_genotypes(row, sample_ct); break;
    case ChromosomePloidy::MT: c.haploid = count_genotypes(row, sample_ct); break;
    case ChromosomePloidy::X:
      c.diploid = count_genotypes_masked(row, masks.not_male.data(), words, sample_ct - masks.male_ct);
      c.haploid = count_genotypes_masked(row, masks.male.data(), words, masks.male_ct);
      break;
    case ChromosomePloidy::Y:
      c.haploid = count_genotypes_masked(row, masks.male.data(), words, masks.male_ct);
      break;
  }
  return c;
}

}  // namespace genomap
