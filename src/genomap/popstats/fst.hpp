// Pairwise Fst between populations, as plink2 --fst computes it: Hudson's estimator as a ratio of averages
// (Bhatia, Patterson, Sankararaman & Price 2013, eq. 10) or Weir & Cockerham (1984); each pair's estimate is
// sum(numerators) / sum(denominators) over the variants where it is defined. Standard errors: weighted block
// jackknife over blocks of `block_size` consecutive usable variants of the pair (plink2's blocksize=).
// Also the share of genetic variance between populations over all of them at once (AMOVA-style: the
// Weir-Cockerham theta of r populations, sum a / sum (a + b + c)), with a block-jackknife SE.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap {

enum class FstMethod { Hudson, WeirCockerham };

struct FstOptions {
  FstMethod method = FstMethod::Hudson;
  std::size_t block_size = 500;  // usable variants per jackknife block; 0: no standard errors
  bool per_variant = false;      // keep each variant's numerator/denominator for the .fst.var files
};

// One variant's contribution for one pair of populations; `valid` false where Fst is undefined there
// (no variation between the pair, a population without calls).
struct FstTerm {
  double numer = 0, denom = 0;
  bool valid = false;
};

// Per-variant terms from the counts of two populations (called genotypes n, hets h, allele-1 copies x).
FstTerm hudson_fst_term(std::uint32_t n1, std::uint32_t x1, std::uint32_t n2, std::uint32_t x2);
FstTerm wc_fst_term(std::uint32_t n1, std::uint32_t h1, std::uint32_t x1, std::uint32_t n2, std::uint32_t h2,
                    std::uint32_t x2);
// Weir-Cockerham a and a + b + c over all populations with calls (at least two needed).
FstTerm wc_multi_population_term(const std::uint32_t* called, const std::uint32_t* het,
                                 const std::uint32_t* allele1, std::size_t pop_ct);

struct FstPair {
  std::uint32_t pop1 = 0, pop2 = 0;
  double fst = 0, se = 0;
  std::size_t obs_ct = 0;  // variants with a defined estimate
  // With per_variant: one entry per analysed variant.
  std::vector<FstTerm> terms;
  std::vector<std::uint32_t> called_ct;  // called genotypes of the two populations
};

struct VarianceShare {
  double between = 0, se = 0;  // share of genetic variance between populations (0..1), jackknife SE
  std::size_t variant_ct = 0, block_ct = 0;
};

struct FstResult {
  std::vector<FstPair> pairs;  // (0,1), (0,2), ..., (1,2), ... in population order
  VarianceShare variance_share;
  std::size_t no_call_variant_ct = 0;  // variants without any call in the analysed samples (skipped)
};

// The jackknife blocks of one accumulator (a pair, or the variance share): each block's sums of numerators
// and denominators and its usable variants, in variant order, and the usable variants in all.
struct FstBlocks {
  std::vector<double> numer, denom, weight;
  std::size_t obs = 0;
};

// Run over a slice of the variants (a rank of an MPI run), the blocks of one accumulator in three pieces:
// the usable terms that complete the block the slices before it left open (`head`, as they are), the blocks
// that lie wholly in the slice (`full`, summed in variant order from zero as one pass sums them) and the
// terms after the last whole block (`tail`). `before`: the usable terms of the slices before this one;
// `block_size` 0 (one block) keeps every term in `head`.
struct FstSlicePieces {
  std::vector<FstTerm> head, tail;
  FstBlocks full;
};
FstSlicePieces cut_fst_slice(const std::vector<FstTerm>& valid, std::size_t before, std::size_t block_size);
// The pieces of consecutive slices joined, in slice order: exactly the blocks one pass over all the slices'
// variants builds.
FstBlocks join_fst_slices(const std::vector<FstSlicePieces>& slices, std::size_t block_size);

// Under MPI, what compute_fst hands the ranks' exchange: this slice's usable terms of each accumulator (the
// pairs in order, then the variance share) with its block size, and the variants without any call. It returns
// the blocks over all slices (FstBlocks per accumulator) and the variants without any call over all slices;
// the result is then complete on the rank that joined the slices and empty on the others.
struct FstSliceTerms {
  std::vector<std::vector<FstTerm>> valid;
  std::vector<std::size_t> block_size;
  std::size_t no_call_variant_ct = 0;
};
struct FstJoined {
  std::vector<FstBlocks> blocks;
  std::size_t no_call_variant_ct = 0;
};
using FstSliceExchange = std::function<FstJoined(const FstSliceTerms&)>;

// `exchange` empty: one pass over all variants (the single-process run).
FstResult compute_fst(const PopulationData& data, const FstOptions& options, const Context& ctx,
                      const FstSliceExchange& exchange = {});

}  // namespace genomap
