#include "genomap/geno/block_loop.hpp"

#include <omp.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>

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
    data.samples.compact_row(store.variant_row(data.variant_uidx[first + k]),
                             words_.data() + k * words_per_row_);
  }
}

void for_each_block(const Dataset& data, const Context& ctx, std::size_t block_variants,
                    std::string_view phase, const std::function<void(const GenotypeBlock&)>& kernel,
                    VariantRange range) {
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

namespace {

// Blocks of about 8 MiB in all for `holders` blocks held at once (one more in flight) keep the working set in
// cache-friendly chunks while amortizing per-block overhead, within --memory.
std::size_t shared_block_variants(const Dataset& data, const Context& ctx,
                                  std::size_t extra_bytes_per_variant, std::size_t holders) {
  const std::size_t row_bytes = data.samples.words_per_row() * 8 + extra_bytes_per_variant;
  const std::size_t target =
      std::max<std::size_t>(64, (std::size_t{8} << 20) / (std::max<std::size_t>(1, row_bytes) * holders));
  return ctx.memory.block_variants(row_bytes, 0, holders + 1, std::min<std::size_t>(target, 65536));
}

}  // namespace

namespace detail {

std::size_t ordered_pass_slots(const Context& ctx) {
  return 2 * static_cast<std::size_t>(std::max(1, ctx.threads));
}

void ordered_pass(const Dataset& data, const Context& ctx, std::string_view phase, std::size_t block_variants,
                  const std::function<void(const GenotypeBlock&, std::size_t, int)>& compute,
                  const std::function<void(std::size_t, std::size_t)>& write) {
  const std::size_t total = data.variant_ct();
  if (total == 0) return;
  const int threads = std::max(1, ctx.threads);
  const std::size_t slot_ct = ordered_pass_slots(ctx);
  // Every thread holds one block while it computes: about 8 MiB for all of them together (as the one block of
  // the serial loop), within --memory.
  if (block_variants == 0)
    block_variants = shared_block_variants(data, ctx, 0, static_cast<std::size_t>(threads));
  // At least four blocks a thread, so that small inputs still use every thread (blocks of 64 variants or
  // more).
  const std::size_t spread =
      (total + 4 * static_cast<std::size_t>(threads) - 1) / (4 * static_cast<std::size_t>(threads));
  block_variants = std::max<std::size_t>(1, std::min(block_variants, std::max<std::size_t>(64, spread)));
  const std::size_t block_ct = (total + block_variants - 1) / block_variants;
  const auto block_end = [&](std::size_t b) { return std::min(total, (b + 1) * block_variants); };

  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next_claim = 0, next_write = 0;
  bool writing = false;
  std::vector<char> ready(slot_ct, 0);
  std::exception_ptr error;
  const auto fail = [&](std::unique_lock<std::mutex>& lock) {
    if (!lock.owns_lock()) lock.lock();
    if (!error) error = std::current_exception();
    changed.notify_all();
  };
#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num();
    GenotypeBlock block;
    for (;;) {
      std::unique_lock lock(mutex);
      changed.wait(lock,
                   [&] { return error || next_claim >= block_ct || next_claim < next_write + slot_ct; });
      if (error || next_claim >= block_ct) break;
      const std::size_t b = next_claim++;
      lock.unlock();
      try {
        const std::size_t first = b * block_variants, end = block_end(b);
        if (b + 1 < block_ct)  // the disk reads the next block while this one is computed
          data.store->prefetch_rows(data.variant_uidx[end], data.variant_uidx[block_end(b + 1) - 1] + 1);
        block.load(data, first, end - first, 1);
        data.store->release_rows(data.variant_uidx[first], data.variant_uidx[end - 1] + 1);
        compute(block, b % slot_ct, thread);
      } catch (...) {
        fail(lock);
        break;
      }
      lock.lock();
      ready[b % slot_ct] = 1;
      if (writing) continue;  // the thread writing now writes this block in its turn
      writing = true;
      while (!error && next_write < block_ct && ready[next_write % slot_ct]) {
        const std::size_t w = next_write;
        lock.unlock();
        try {
          write(w * block_variants, w % slot_ct);
          ctx.report(phase, block_end(w), total);
        } catch (...) {
          fail(lock);
          break;
        }
        lock.lock();
        ready[w % slot_ct] = 0;
        ++next_write;
        changed.notify_all();
      }
      writing = false;
      if (error) break;
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace detail

std::size_t default_block_variants(const Dataset& data, const Context& ctx,
                                   std::size_t extra_bytes_per_variant) {
  return shared_block_variants(data, ctx, extra_bytes_per_variant, 1);
}

}  // namespace genomap
