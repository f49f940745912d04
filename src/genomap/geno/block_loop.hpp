// The one pass every analysis makes: the selected variants in blocks, each block's rows compacted to the
// selected samples, handed to a kernel, then dropped (and its .bed pages released). A pass covers a range of
// variant_idx, so a pass can be split across threads, processes or MPI ranks by range.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

class GenotypeBlock {
 public:
  std::size_t first_variant_idx() const { return first_; }
  std::size_t variant_ct() const { return count_; }
  std::size_t sample_ct() const { return sample_ct_; }
  std::size_t words_per_row() const { return words_per_row_; }
  // Compact packed row of the block's i-th variant (variant_idx = first_variant_idx() + i).
  const std::uint64_t* row(std::size_t i) const { return words_.data() + i * words_per_row_; }

  // Fills the block with variants [first, first + count) of the dataset (rows compacted in parallel).
  void load(const Dataset& data, std::size_t first, std::size_t count, int threads);

 private:
  std::size_t first_ = 0, count_ = 0, sample_ct_ = 0, words_per_row_ = 0;
  std::vector<std::uint64_t> words_;
};

struct VariantRange {
  std::size_t begin = 0;
  std::size_t end = 0;  // exclusive
};

// Calls `kernel` on consecutive blocks of at most `block_variants` covering `range` (all variants when
// range.end == 0). The kernel runs on the calling thread and may use OpenMP inside. Progress is reported
// under `phase`.
void for_each_block(const Dataset& data, const Context& ctx, std::size_t block_variants,
                    std::string_view phase, const std::function<void(const GenotypeBlock&)>& kernel,
                    VariantRange range = {});

// A pass that is one parallel region: each of ctx.threads threads takes whole blocks in turn, loads each and
// runs `compute(block, result, thread)` on it alone (one thread per block: compute must not start OpenMP work
// of its own, and may touch only `result` and state indexed by `thread`, 0 <= thread < ctx.threads), and the
// results go to `write(first_variant_idx, result)` in block order, one call at a time, on whichever thread
// completes the next block in order while the others compute on. There is no barrier per block, and no thread
// spins idle while another formats text, whatever OpenMP's wait policy. At most 2 x threads results are held;
// a thread that would run further ahead sleeps. Blocks hold at most `block_variants` (0:
// default_block_variants), fewer when that would leave a thread without blocks. An exception from compute or
// write stops the pass and is rethrown.
template <class Result>
void for_each_block_in_order(const Dataset& data, const Context& ctx, std::string_view phase,
                             const std::function<void(const GenotypeBlock&, Result&, int thread)>& compute,
                             const std::function<void(std::size_t first_variant_idx, Result&)>& write,
                             std::size_t block_variants = 0);

namespace detail {
std::size_t ordered_pass_slots(const Context& ctx);
// Result slot s of ordered_pass_slots(ctx): compute fills slot `slot`, write writes it.
void ordered_pass(const Dataset& data, const Context& ctx, std::string_view phase, std::size_t block_variants,
                  const std::function<void(const GenotypeBlock&, std::size_t slot, int thread)>& compute,
                  const std::function<void(std::size_t first_variant_idx, std::size_t slot)>& write);
}  // namespace detail

template <class Result>
void for_each_block_in_order(const Dataset& data, const Context& ctx, std::string_view phase,
                             const std::function<void(const GenotypeBlock&, Result&, int thread)>& compute,
                             const std::function<void(std::size_t first_variant_idx, Result&)>& write,
                             std::size_t block_variants) {
  std::vector<Result> slots(detail::ordered_pass_slots(ctx));
  detail::ordered_pass(
      data, ctx, phase, block_variants,
      [&](const GenotypeBlock& block, std::size_t slot, int thread) { compute(block, slots[slot], thread); },
      [&](std::size_t first, std::size_t slot) { write(first, slots[slot]); });
}

// A block size for kernels that hold `extra_bytes_per_variant` per variant beyond the packed row.
std::size_t default_block_variants(const Dataset& data, const Context& ctx,
                                   std::size_t extra_bytes_per_variant = 0);

}  // namespace genomap
