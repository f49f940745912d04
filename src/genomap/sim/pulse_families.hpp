// Relatives for `genomap simulate --pulse`: small pedigrees whose members inherit their chromosomes through
// meioses along the genetic map, so that relatives share segments identical by descent (IBD) and the truth of
// those segments is known exactly.
//
// Every founder haplotype gets an identity. A founder written out as a sample keeps its row's haplotypes
// (identities 2 row and 2 row + 1); founders that are not written (the other parents, grandparents, in-laws)
// get identities after those. A child's haplotype from parent P is a gamete of P: along each chromosome it
// starts on one of P's two haplotypes, chosen at random, and switches at crossovers that form a Poisson process
// of rate 1 per Morgan (Haldane's map, no interference). Two written samples share a segment IBD where a
// haplotype of one carries the same founder identity as a haplotype of the other; IBD2 where both do.
//
// Families: --relatives TYPE:COUNT,... plants COUNT families of each TYPE in every population (sources and
// target); --migrants TYPE:COUNT,... plants them between every pair of populations: one relative lives in the
// first population and the other, with the in-laws of that side of the family, in the second (a migrant line).
// TYPE: po (parent-offspring), fs (full siblings), hs (half siblings), c1 (first cousins), c2 (second
// cousins). The written relatives take the last sample rows of their population.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace genomap {

enum class FamilyKind { ParentOffspring, FullSibling, HalfSibling, FirstCousin, SecondCousin };

struct FamilyRequest {
  FamilyKind kind = FamilyKind::FullSibling;
  std::size_t count = 0;
};

// Parses "po:2,fs:1,c2:3" (names po, fs, hs, c1, c2). Throws UsageError naming `option` when malformed.
std::vector<FamilyRequest> parse_family_requests(const std::string& text, const char* option);

const char* family_kind_name(FamilyKind kind);  // parent-offspring, full-sibling, ...
int family_kind_degree(FamilyKind kind);        // 1, 1, 2, 3, 5
double family_kind_kinship(FamilyKind kind);    // 1/4, 1/4, 1/8, 1/16, 1/64

// One stretch of a haplotype: up to end_cm (from the previous stretch's end, or 0) it carries founder
// haplotype `founder`.
struct FounderStretch {
  float end_cm = 0;
  std::uint32_t founder = 0;
};
// A haplotype, chromosome by chromosome.
using FounderMosaic = std::vector<std::vector<FounderStretch>>;

struct PlantedIbdPair {
  std::size_t row1 = 0, row2 = 0;  // written sample rows
  FamilyKind kind = FamilyKind::FullSibling;
};

struct PulseFamilies {
  std::size_t written_ct = 0;              // rows of the fileset: populations x samples per population
  std::vector<std::uint32_t> hidden_pop;   // population of each founder that is not written
  std::vector<long> descendant_of_row;     // per row: index into `descendants`, or -1 (the row is a founder)
  std::vector<std::size_t> descendant_row;
  std::vector<FounderMosaic> descendants;  // two haplotypes per descendant: [2 d], [2 d + 1]
  std::vector<PlantedIbdPair> pairs;

  std::size_t founder_hap_ct() const { return 2 * (written_ct + hidden_pop.size()); }
  // The population of founder haplotype f (rows are population-major, `per_pop` rows each).
  std::size_t founder_pop(std::uint32_t f, std::size_t per_pop) const {
    const std::size_t member = f / 2;
    return member < written_ct ? member / per_pop : hidden_pop[member - written_ct];
  }
};

// Builds the families of `relatives` (in every population) and `migrants` (between every pair of populations,
// in population order) over `pop_ct` populations of `per_pop` rows each; chromosome c runs from 0 to
// chromosome_cm[c]. Throws UsageError when the relatives need more rows than a population has.
PulseFamilies build_pulse_families(const std::vector<FamilyRequest>& relatives,
                                   const std::vector<FamilyRequest>& migrants, std::size_t pop_ct,
                                   std::size_t per_pop, const std::vector<double>& chromosome_cm,
                                   const std::vector<std::string>& pop_names, std::uint64_t seed);

// The founder haplotype that haplotype `mosaic` carries at `cm` on chromosome c.
std::uint32_t founder_at(const FounderMosaic& mosaic, std::size_t chrom, float cm);

// The true IBD segments of every planted pair: IID1 IID2 CHR START_CM END_CM TYPE (IBD: at least one
// haplotype shared; IBD2: both), and the pairs themselves (IID1 IID2 POP1 POP2 RELATIONSHIP DEGREE KINSHIP
// IBD1 IBD2, the last two the true shares of the genome).
void write_family_truth(std::FILE* segments, std::FILE* pairs, const PulseFamilies& families,
                        const std::vector<std::string>& row_ids, const std::vector<std::string>& row_pops,
                        const std::vector<int>& chrom_codes, const std::vector<double>& chromosome_cm);

}  // namespace genomap
