// Packed-genotype kernels against naive loops on random data with missing genotypes and N not a multiple
// of 4.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <stdexcept>

#include "genomap/core/error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/genotype_store.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/geno/sample_view.hpp"

namespace genomap {
namespace {

std::vector<std::uint8_t> random_codes(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(0, 3);
  std::vector<std::uint8_t> codes(n);
  for (auto& c : codes) c = static_cast<std::uint8_t>(d(rng));
  return codes;
}

std::vector<std::uint8_t> pack_bed_row(const std::vector<std::uint8_t>& codes) {
  std::vector<std::uint8_t> row((codes.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < codes.size(); ++i)
    row[i / 4] |= static_cast<std::uint8_t>(codes[i] << (2 * (i % 4)));
  return row;
}

TEST(GenotypeKernels, CountsMatchNaiveLoop) {
  std::mt19937_64 rng(42);
  for (std::size_t n : {1u, 3u, 5u, 31u, 32u, 33u, 63u, 64u, 65u, 127u, 1001u}) {
    auto codes = random_codes(n, rng);
    auto row = pack_bed_row(codes);
    SampleView all = SampleView::all(n);
    std::vector<std::uint64_t> compact(all.words_per_row());
    all.compact_row(row.data(), compact.data());
    GenotypeCounts c = count_genotypes(compact.data(), n);
    std::uint32_t expect[4] = {0, 0, 0, 0};
    for (auto code : codes) ++expect[code];
    EXPECT_EQ(c.hom1, expect[0]) << n;
    EXPECT_EQ(c.missing, expect[1]) << n;
    EXPECT_EQ(c.het, expect[2]) << n;
    EXPECT_EQ(c.hom2, expect[3]) << n;
  }
}

TEST(GenotypeKernels, SubsetCompactionKeepsSelectedGenotypes) {
  std::mt19937_64 rng(7);
  const std::size_t n = 203;
  auto codes = random_codes(n, rng);
  auto row = pack_bed_row(codes);
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t i = 0; i < n; i += 3) chosen.push_back(i);
  SampleView view(n, chosen);
  std::vector<std::uint64_t> compact(view.words_per_row());
  view.compact_row(row.data(), compact.data());
  for (std::size_t k = 0; k < chosen.size(); ++k)
    EXPECT_EQ(genotype_code(compact.data(), k), codes[chosen[k]]);
  std::vector<double> dosage(chosen.size());
  decode_allele1_dosage(compact.data(), chosen.size(), std::nan(""), dosage.data());
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    switch (codes[chosen[k]]) {
      case 0:
        EXPECT_EQ(dosage[k], 2.0);
        break;
      case 1:
        EXPECT_TRUE(std::isnan(dosage[k]));
        break;
      case 2:
        EXPECT_EQ(dosage[k], 1.0);
        break;
      case 3:
        EXPECT_EQ(dosage[k], 0.0);
        break;
    }
  }
}

}  // namespace
}  // namespace genomap

// The ordered pass (geno/block_loop.hpp): every variant computed once, results written in variant order one
// call at a time, for any thread count; an error in compute or write stops the pass and reaches the caller.
namespace genomap::ordered_pass_test {

struct BlockSums {
  std::vector<std::uint64_t> per_variant;  // sum of genotype codes of each variant of the block
};

std::vector<std::uint64_t> run(const Dataset& data, int threads, std::size_t block_variants,
                               std::size_t* writes) {
  Context ctx;
  ctx.threads = threads;
  std::vector<std::uint64_t> out;
  std::atomic<int> writing{0};
  *writes = 0;
  for_each_block_in_order<BlockSums>(
      data, ctx, "test",
      [&](const GenotypeBlock& b, BlockSums& r, int thread) {
        EXPECT_GE(thread, 0);
        EXPECT_LT(thread, threads);
        r.per_variant.assign(b.variant_ct(), 0);
        for (std::size_t v = 0; v < b.variant_ct(); ++v)
          for (std::size_t i = 0; i < b.sample_ct(); ++i) r.per_variant[v] += genotype_code(b.row(v), i);
      },
      [&](std::size_t first, BlockSums& r) {
        EXPECT_EQ(writing.fetch_add(1), 0) << "two writes at once";
        EXPECT_EQ(first, out.size()) << "a block written out of order";
        out.insert(out.end(), r.per_variant.begin(), r.per_variant.end());
        ++*writes;
        writing.fetch_sub(1);
      },
      block_variants);
  return out;
}

TEST(GenotypeKernels, OrderedPassWritesEveryBlockInOrderForAnyThreadCount) {
  auto store = std::make_shared<GenotypeStore>(
      GenotypeStore::open_bfile(std::string(GENOMAP_TEST_DATA) + "/human_origins_panel7/panel7"));
  const Dataset data = Dataset::whole(store);
  ASSERT_GT(data.variant_ct(), 1000u);
  std::vector<std::uint64_t> naive(data.variant_ct(), 0);
  for (std::size_t v = 0; v < data.variant_ct(); ++v)
    for (std::size_t i = 0; i < data.sample_ct(); ++i)
      naive[v] += (store->variant_row(data.variant_uidx[v])[i / 4] >> (2 * (i % 4))) & 3u;
  for (int threads : {1, 2, 7}) {
    std::size_t writes = 0;
    EXPECT_EQ(run(data, threads, 97, &writes), naive) << threads << " threads";
    EXPECT_EQ(writes, (data.variant_ct() + 96) / 97) << threads << " threads";
    // Default blocks: at least four per thread, so that a small input still keeps every thread busy.
    EXPECT_EQ(run(data, threads, 0, &writes), naive) << threads << " threads";
    EXPECT_GE(writes, std::min<std::size_t>(4 * static_cast<std::size_t>(threads), data.variant_ct() / 64));
  }
}

TEST(GenotypeKernels, OrderedPassStopsAtTheFirstError) {
  auto store = std::make_shared<GenotypeStore>(
      GenotypeStore::open_bfile(std::string(GENOMAP_TEST_DATA) + "/human_origins_panel7/panel7"));
  const Dataset data = Dataset::whole(store);
  for (int threads : {1, 3}) {
    Context ctx;
    ctx.threads = threads;
    std::size_t written = 0;
    // A write that fails on the third block: no block after it is written.
    EXPECT_THROW(
        {
          try {
            for_each_block_in_order<int>(
                data, ctx, "test", [](const GenotypeBlock&, int& r, int) { r = 1; },
                [&](std::size_t first, int&) {
                  if (first == 2 * 100) throw Error("out.txt", 0, "write failed");
                  ++written;
                },
                100);
          } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("write failed"), std::string::npos);
            throw;
          }
        },
        Error);
    EXPECT_EQ(written, 2u) << threads << " threads";
    // A compute that fails: the error reaches the caller, and the blocks after it in order are not written.
    written = 0;
    EXPECT_THROW(for_each_block_in_order<int>(
                     data, ctx, "test",
                     [](const GenotypeBlock& b, int&, int) {
                       if (b.first_variant_idx() == 500) throw std::runtime_error("compute failed");
                     },
                     [&](std::size_t first, int&) {
                       EXPECT_LT(first, 500u);
                       ++written;
                     },
                     100),
                 std::runtime_error);
    EXPECT_LE(written, 5u) << threads << " threads";
  }
}

}  // namespace genomap::ordered_pass_test
