// A frequency release: per-population allele counts of every variant, as published. Nothing individual-level
// exists in a release: only counts that were rounded to a multiple of the release's minimum count at build
// time (see docs/open-data.md for what that guarantees).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace genomap::freqdb {

// The format tag stored in every release; a reader refuses anything else.
inline constexpr const char* kReleaseFormat = "genomap-freqdb/1";

struct ReleasePopulation {
  std::string name;
  std::uint32_t sample_ct = 0;  // samples counted (at least the release's minimum population size)
  std::optional<double> latitude, longitude;
  std::vector<std::string> merged_from;  // source populations of a merged group (empty otherwise)
};

// Published counts of the ALT allele (allele 1 of the .bim) in one population. All three are multiples of the
// release's minimum count, so no count, and no sum or difference of counts, lies in 1..min_count-1.
struct PublishedCounts {
  std::uint32_t alt_count = 0;      // AC
  std::uint32_t allele_number = 0;  // AN (called allele copies)
  std::uint32_t hom_alt_count = 0;  // samples homozygous for ALT
  bool operator==(const PublishedCounts&) const = default;
};

struct ReleaseVariant {
  std::string chrom;
  std::int64_t pos = 0;  // 1-based
  std::string id;
  std::string ref, alt;
  std::vector<PublishedCounts> counts;  // one per population, in release population order
};

// Rounds a true count to the nearest multiple of `grid` (halves up): 1..grid/2-1 become 0, so a count below
// the threshold is never published as such, and every published value is a multiple of `grid`.
std::uint32_t round_to_grid(std::uint64_t count, std::uint32_t grid);

// The published counts of one population from true counts (called genotypes, heterozygotes, ALT copies).
// hom_alt is capped at the largest multiple of `grid` not above AC/2 so that AC - 2 * hom_alt (heterozygotes)
// is never negative.
PublishedCounts publish_counts(std::uint64_t called, std::uint64_t het, std::uint64_t alt_copies,
                               std::uint32_t grid);

// The same with hemizygous calls (males on chromosome X): `called`, `het` and `alt_copies` count the diploid
// genotypes, `haploid_called` and `haploid_alt` the hemizygous ones, one allele each (AN = 2 called +
// haploid_called, AC = alt_copies + haploid_alt, hom-ALT diploid only), as plink2 --freq/--geno-counts count
// chromosome X with sexes from the .fam.
PublishedCounts publish_counts(std::uint64_t called, std::uint64_t het, std::uint64_t alt_copies,
                               std::uint64_t haploid_called, std::uint64_t haploid_alt, std::uint32_t grid);

}  // namespace genomap::freqdb
