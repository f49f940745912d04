// f-statistics (Patterson et al. 2012, "Ancient admixture in human history", Genetics 192:1065):
//   f2(A,B)      = (a-b)^2 - h_A/n_A - h_B/n_B
//   f3(C;A,B)    = (c-a)(c-b) - h_C/n_C          (negative: C is admixed between relatives of A and B)
//   f4(A,B;C,D)  = (a-b)(c-d)
//   D(A,B;C,D)   = sum (a-b)(c-d) / sum (a+b-2ab)(c+d-2cd)
//   f4 ratio     = sum f4(A,O;X,C) / sum f4(A,O;B,C)   (admixture proportion, qpF4ratio; any two quartets)
// per variant, where a is the allele-1 frequency of A among its n_A called alleles and
// h_A = x(n_A-x)/(n_A(n_A-1)) the unbiased estimate of a(1-a); averaged over the variants where every
// population of the statistic has calls. Standard errors by the weighted block jackknife over contiguous
// blocks. f2 for all pairs is accumulated per block (as ADMIXTOOLS 2 precomputes it), so f3 and f4 of any
// populations follow from f2 sums: f3(C;A,B) = (f2(C,A) + f2(C,B) - f2(A,B)) / 2 on a common set of variants.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap {

enum class StatisticKind { F2, F3, F4, D, F4Ratio };

struct StatisticRequest {
  StatisticKind kind = StatisticKind::F2;
  // f2: (A, B); f3: (C, A, B) for f3(C; A, B); f4 and D: (A, B, C, D); f4 ratio: numerator quartet then
  // denominator quartet.
  std::array<std::uint32_t, 8> pops{};
};
std::size_t population_count(StatisticKind kind);
const char* statistic_name(StatisticKind kind);

// Parses "C;A,B" (f3), "A,B;C,D" (f4, D) or "A,B;C,D/E,F;G,H" (f4 ratio) against the population names; throws
// Error naming `where` for an unknown label, a malformed list or a population repeated within one statistic.
StatisticRequest parse_statistic(StatisticKind kind, const std::string& text,
                                 const PopulationAssignment& pops, const std::string& where);
// Reads a list file as ADMIXTOOLS does: qp3Pop lines "A B C" mean f3(C; A, B); qpDstat lines "A B C D" mean
// f4/D(A, B; C, D); qpF4ratio lines "A O : X C :: A O : B C" mean f4(A,O;X,C) / f4(A,O;B,C). Blank lines and
// lines starting with '#' are skipped. Errors name file and line.
std::vector<StatisticRequest> read_statistic_file(StatisticKind kind, const std::string& path,
                                                  const PopulationAssignment& pops);

struct FstatsOptions {
  // ADMIXTOOLS 1 conventions: f3 divided by the target's 2 h_C (qp3Pop's normalization), and values reported
  // as the bias-corrected jackknife estimate rather than the full-data ratio.
  bool qp_compat = false;
};

struct StatisticResult {
  StatisticRequest request;
  double value = 0, se = 0, z = 0;
  std::size_t snp_ct = 0;    // variants with data in all populations of the statistic (f3: polymorphic ones)
  std::size_t block_ct = 0;  // non-empty jackknife blocks
};

struct FstatsResult {
  std::vector<StatisticResult> f2;         // every pair (i < j) in population order
  std::vector<StatisticResult> requested;  // in request order
  std::size_t no_call_variant_ct = 0;      // variants without any call in the analysed samples (skipped)
  // Per-block f2 sums of every pair and the variants behind them, [pair * block_ct + block].
  std::size_t block_ct = 0;
  std::vector<double> f2_block_sum, f2_block_snps;
};

// Under MPI: sums each element over the ranks (mpi::allreduce_sum), called once after the pass with every
// per-block sum and count of this rank's slice.
using FstatsSumCombiner = std::function<void(std::span<double>)>;

// `block_of_variant`: jackknife block of each analysed variant (see assign_jackknife_blocks). A slice of an
// MPI run passes the blocks of its own variants (whole blocks: a block on one rank only) with the block_ct of
// all, and `combine`: the results are then bit for bit those of one process.
FstatsResult compute_fstats(const PopulationData& data, const std::vector<std::uint32_t>& block_of_variant,
                            std::size_t block_ct, const std::vector<StatisticRequest>& requests,
                            const FstatsOptions& options, const Context& ctx,
                            const FstatsSumCombiner& combine = {});

}  // namespace genomap
