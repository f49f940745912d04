#include "genomap/geno/block_loop.hpp"

#include <algorithm>

namespace genomap {

void GenotypeBlock::load(const Dataset& data, std::size_t first, std::size_t count, int threads) {
  first_ = first;
  count_ = count;
  sample_ct_ = data.sample_ct();
  words_per_row_ = data.samples.words_per_row();
  words_.resize(count * words_per_row_);
  const auto& store = *data.store;
  const auto n = static_cast<std::ptrdiff_t>(count);
#pragma omp parallel for num_threads(threads) schedule(static) if (count * words_per_row_ > 4096)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    data.samples.compact_row(store.variant_row(data.variant_uidx[first + k]), words_.data() + k * words_per_row_);
  }
}

void for_each_block(const Dataset& data, const Context& ctx, std::size_t block_variants, std::string_view phase,
                    const std::function<void(const GenotypeBlock&)>& kernel, VariantRange range) {
  if (range.end == 0) range.end = data.variant_ct();
  block_variants = std::max<std::size_t>(1, block_variants);
  GenotypeBlock block;
  const std::size_t total = range.end - range.begin;
  for (std::size_t first = range.begin; first < range.end; first += block_variants) {
    const std::size_t count = std::min(block_variants, range.end - first);
    const std::size_t next = first + count;
    if (next < range.end) {  // the disk reads the next block while this one is counted
      const std::size_t next_end = std::min(block_variants, range.end - next) + next;
      data.store->prefetch_rows(data.variant_uidx[next], data.variant_uidx[next_end - 1] + 1);
    }
    block.load(data, first, count, ctx.threads);
    data.store->release_rows(data.variant_uidx[first], data.variant_uidx[first + count - 1] + 1);
    kernel(block);
    ctx.report(phase, first + count - range.begin, total);
  }
}

std::size_t default_block_variants(const Dataset& data, const Context& ctx, std::size_t extra_bytes_per_variant) {
  const std::size_t row_bytes = data.samples.words_per_row() * 8 + extra_bytes_per_variant;
  // Blocks of about 8 MiB keep the working set in cache-friendly chunks while amortizing per-block overhead.
  const std::size_t target = std::max<std::size_t>(64, (std::size_t{8} << 20) / std::max<std::size_t>(1, row_bytes));
  return ctx.memory.block_variants(row_bytes, 0, 2, std::min<std::size_t>(target, 65536));
}

}  // namespace genomap
