#include "genomap/relate/king.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "genomap/core/error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"

namespace genomap {

namespace {

constexpr std::size_t kTileRows = 32;
constexpr std::size_t kTileCols = 32;
constexpr std::size_t kBlockVariants = 4096;

struct Tile {
  std::size_t row_begin, row_end, col_begin, col_end;
};

// Tiles covering pairs (i, j), i < j, of rows [row_begin, row_end).
std::vector<Tile> band_tiles(std::size_t row_begin, std::size_t row_end) {
  std::vector<Tile> tiles;
  for (std::size_t r = row_begin; r < row_end; r += kTileRows) {
    const std::size_t r_end = std::min(row_end, r + kTileRows);
    for (std::size_t c = 0; c + 1 < r_end; c += kTileCols) tiles.push_back({r, r_end, c, std::min(c + kTileCols, r_end)});
  }
  // Biggest tiles first balances the dynamic schedule; then tiles of one column group follow each other, so the
  // column samples' planes and bit slabs stay in cache from tile to tile.
  std::stable_sort(tiles.begin(), tiles.end(), [](const Tile& a, const Tile& b) {
    const bool full_a = a.col_end <= a.row_begin, full_b = b.col_end <= b.row_begin;
    if (full_a != full_b) return full_a;
    return a.col_begin < b.col_begin;
  });
  return tiles;
}

}  // namespace

Dataset king_variants(const Dataset& data, std::size_t* excluded) {
  Dataset out{data.store, data.samples, {}};
  out.variant_uidx.reserve(data.variant_ct());
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    if (!is_haploid_or_sex(data.variant(v).chrom_code)) out.variant_uidx.push_back(data.variant_uidx[v]);
  }
  if (excluded) *excluded = data.variant_ct() - out.variant_ct();
  return out;
}

KingPlan plan_king(const Dataset& data, const Context& ctx, std::size_t max_band_bytes) {
  const std::size_t n = data.sample_ct();
  KingPlan plan;
  plan.block_variants = kBlockVariants;
  // Bit-planes (kKingPlanes bits per genotype) plus the sparse path's het and missing slabs (2 bits per genotype).
  plan.planes_bytes = n * (kKingPlanes + 2) * kBlockVariants / 8;
  const std::size_t block_bytes = data.samples.words_per_row() * 8 * kBlockVariants;
  if (max_band_bytes == 0) max_band_bytes = std::min<std::size_t>(ctx.memory.bytes() / 4, std::size_t{1} << 30);
  const std::size_t pair_bytes = sizeof(KingPairCounts);
  ctx.memory.require(plan.planes_bytes + block_bytes + n * pair_bytes, "KING kinship: one row of pair counts");
  const double cap_pairs = static_cast<double>(std::max(max_band_bytes / pair_bytes, n));
  for (std::size_t a = 0; a < n;) {
    // Rows r with r * (a + r) <= cap: a band of later samples against all earlier ones.
    const double af = static_cast<double>(a);
    auto rows = static_cast<std::size_t>((-af + std::sqrt(af * af + 4.0 * cap_pairs)) / 2.0);
    rows = std::clamp<std::size_t>(rows, 1, n - a);
    plan.bands.emplace_back(a, a + rows);
    plan.band_count_bytes = std::max(plan.band_count_bytes, rows * (a + rows) * pair_bytes);
    a += rows;
  }
  return plan;
}

void compute_king(const Dataset& data, const Context& ctx, const KingPlan& plan,
                  const std::function<void(const KingBand&)>& sink) {
  KingBitPlanes planes;
  KingBand band;
  for (std::size_t b = 0; b < plan.bands.size(); ++b) {
    const std::size_t row_begin = plan.bands[b].first, row_end = plan.bands[b].second;
    band.row_begin = row_begin;
    band.row_end = row_end;
    band.stride = row_end;
    band.counts.assign((row_end - row_begin) * row_end, KingPairCounts{});
    const std::vector<Tile> tiles = band_tiles(row_begin, row_end);
    const auto tile_ct = static_cast<std::ptrdiff_t>(tiles.size());
    const std::string phase = plan.bands.size() == 1 ? std::string("KING kinship")
                                                     : fmt::format("KING kinship, band {}/{}", b + 1, plan.bands.size());
    KingSampleTotals totals;
    for_each_block(data, ctx, plan.block_variants, phase, [&](const GenotypeBlock& block) {
      planes.load(block.row(0), block.variant_ct(), block.words_per_row(), row_end, ctx.threads);
      totals.add(planes);
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 1)
      for (std::ptrdiff_t t = 0; t < tile_ct; ++t) {
        const Tile& tile = tiles[static_cast<std::size_t>(t)];
        accumulate_king_tile(planes, tile.row_begin, tile.row_end, tile.col_begin, tile.col_end,
                             band.counts.data() + (tile.row_begin - row_begin) * band.stride, band.stride);
      }
    });
    if (totals.het.size() < row_end) {  // no variants: every count is zero
      totals.het.assign(row_end, 0);
      totals.missing.assign(row_end, 0);
    }
    finalize_king_counts(band.counts.data(), band.stride, row_begin, row_end, totals, ctx.threads);
    sink(band);
  }
}

KingDegree king_degree(double kinship, double ibs0_proportion, double po_max_ibs0) {
  if (std::isnan(kinship)) return KingDegree::Unrelated;
  if (kinship > 0.354) return KingDegree::Duplicate;
  if (kinship > 0.177) return ibs0_proportion < po_max_ibs0 ? KingDegree::ParentOffspring : KingDegree::FullSibling;
  if (kinship > 0.0884) return KingDegree::Second;
  if (kinship > 0.0442) return KingDegree::Third;
  return KingDegree::Unrelated;
}

int king_degree_number(KingDegree degree) {
  switch (degree) {
    case KingDegree::Duplicate: return 0;
    case KingDegree::ParentOffspring:
    case KingDegree::FullSibling: return 1;
    case KingDegree::Second: return 2;
    case KingDegree::Third: return 3;
    case KingDegree::Unrelated: break;
  }
  return -1;
}

const char* king_relationship_name(KingDegree degree) {
  switch (degree) {
    case KingDegree::Duplicate: return "duplicate";
    case KingDegree::ParentOffspring: return "parent-offspring";
    case KingDegree::FullSibling: return "full-sibling";
    case KingDegree::Second: return "second-degree";
    case KingDegree::Third: return "third-degree";
    case KingDegree::Unrelated: break;
  }
  return "unrelated";
}

}  // namespace genomap
