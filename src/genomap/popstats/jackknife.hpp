// Block jackknife for ratios of sums over variants, and the contiguous blocks it drops one at a time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/geno/variant_table.hpp"

namespace genomap {

struct JackknifeEstimate {
  double value = 0;          // the full-data ratio: sum of numerators / sum of denominators
  double jackknife = 0;      // the bias-corrected jackknife estimate (what ADMIXTOOLS 1 reports)
  double se = 0;             // NaN with fewer than two non-empty blocks
  std::size_t block_ct = 0;  // non-empty blocks used
};

// Weighted delete-one-block jackknife of sum(numer) / sum(denom) for blocks of unequal size (Busing, Meijer &
// van der Leeden 1999, "Delete-m jackknife for unequal m"; the estimator of ADMIXTOOLS and of plink2 --fst
// blocksize=). `weight` is the block size (variants); blocks of weight 0 are left out.
JackknifeEstimate ratio_jackknife(const std::vector<double>& numer, const std::vector<double>& denom,
                                  const std::vector<double>& weight);

// The same weighted delete-one-block jackknife for any estimator: `full` on all blocks, `left_out[j]` on all
// but block j, `weight[j]` the size of block j (blocks of weight 0 are left out).
JackknifeEstimate delete_one_jackknife(double full, const std::vector<double>& left_out,
                                       const std::vector<double>& weight);

// How contiguous jackknife blocks are cut: by variant count, or by genetic distance (in Morgans) as
// ADMIXTOOLS does (a block ends at a chromosome change or once a variant lies `morgans` or more past the
// block's first).
struct BlockSpec {
  bool genetic = false;
  std::size_t variants = 1000;
  double morgans = 0.05;
};

// Parses "500" (variants), "5cM" or "0.05M"/"0.05morgan"; throws Error on anything else. Empty: `fallback`.
BlockSpec parse_block_spec(const std::string& text, const BlockSpec& fallback);

// Scale that turns a variant table's genetic positions into Morgans: "cm" 0.01, "morgan" 1, "auto" as
// ADMIXTOOLS decides (centimorgans when any position exceeds 100, else Morgans). Throws Error on an unknown
// unit.
double genetic_unit_scale(const std::vector<Variant>& variants, const std::string& unit);
bool has_genetic_positions(const std::vector<Variant>& variants);

// Block index of each variant (variants must be in file order); returns the number of blocks.
std::size_t assign_jackknife_blocks(const std::vector<Variant>& variants, const BlockSpec& spec,
                                    double morgans_per_unit, std::vector<std::uint32_t>& block_of_variant);

}  // namespace genomap
