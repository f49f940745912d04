// genomap king: KING-robust kinship of every pair of samples as plink2's .kin0 (--make-king-table), with
// --king-table-filter, relationship degrees (--degree) and the square matrix in binary (--king-matrix).
#include "genomap/relate/king.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/relate/king_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct KingOptions {
  InputOptions input;
  std::optional<double> table_filter;
  bool degree = false;
  bool matrix = false;
  double po_max_ibs0 = kKingPoMaxIbs0;
  std::string split;  // --split I/N: rows of pairs
};

// Pairs (j, i < j) in rows [first, last).
std::size_t pairs_in_rows(std::size_t first, std::size_t last) {
  return last * (last - (last > 0)) / 2 - first * (first - (first > 0)) / 2;
}

// --king-matrix under MPI: each rank above 0 sends the kinship of its rows of pairs (the rows of
// split_pair_rows, as distribute_pair_rows gave them), and rank 0 places them in its N x N matrix, rank by
// rank.
void gather_matrix_rows(std::size_t n, const std::vector<double>& rank_pairs, std::vector<double>& matrix) {
  const std::size_t ranks = static_cast<std::size_t>(mpi::size());
  if (mpi::rank() != 0) {
    mpi::send(0, std::string_view(reinterpret_cast<const char*>(rank_pairs.data()),
                                  rank_pairs.size() * sizeof(double)));
    return;
  }
  for (std::size_t r = 1; r < ranks; ++r) {
    const auto [first, last] = split_pair_rows(n, SplitSlice{r + 1, ranks});
    std::size_t j = first, i = 0;
    // Pieces hold whole doubles (mpi::kPieceBytes is a multiple of 8).
    mpi::receive(static_cast<int>(r), pairs_in_rows(first, last) * sizeof(double),
                 [&](std::string_view piece) {
                   for (std::size_t at = 0; at + sizeof(double) <= piece.size(); at += sizeof(double)) {
                     while (i >= j) {
                       ++j;
                       i = 0;
                     }
                     double kinship = 0.0;
                     std::memcpy(&kinship, piece.data() + at, sizeof kinship);
                     matrix[j * n + i] = matrix[i * n + j] = kinship;
                     ++i;
                   }
                 });
  }
}

void run_king(const KingOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  std::size_t excluded = 0;
  const Dataset data = king_variants(inv.load_dataset(o.input), &excluded);
  if (excluded > 0)
    ctx.note(fmt::format("Excluding {} variants on X, Y and MT from KING-robust kinship.", excluded));
  if (data.sample_ct() < 2) throw Error(o.input.bfile + ".fam", 0, "KING kinship needs at least 2 samples");
  const std::size_t n = data.sample_ct();
  // The matrix, where it is written: one process, or rank 0 under MPI (the other ranks send their pairs).
  const bool whole_matrix = o.matrix && inv.writes_outputs();
  std::vector<double> matrix;
  if (whole_matrix) {
    ctx.memory.require(n * n * sizeof(double), "--king-matrix (N x N doubles)");
    matrix.assign(n * n, 0.0);
    for (std::size_t s = 0; s < n; ++s) matrix[s * n + s] = 0.5;
  }
  if (!o.split.empty() && o.matrix)
    throw UsageError(
        "--split does not apply to --king-matrix (the matrix needs every pair): split the .kin0 only");
  KingPlan plan = plan_king(data, ctx);
  // --split, or under MPI this rank: a range of rows of pairs, the bands clipped to it.
  const auto [first, last] = o.split.empty() ? inv.distribute_pair_rows(n) : inv.split_pair_rows(o.split, n);
  if (first != 0 || last != n) {
    std::vector<std::pair<std::size_t, std::size_t>> bands;
    for (const auto& [b0, b1] : plan.bands)
      if (std::max(b0, first) < std::min(b1, last))
        bands.emplace_back(std::max(b0, first), std::min(b1, last));
    plan.bands = std::move(bands);
  }
  // Under MPI, ranks above 0 with --king-matrix: the kinship of their pairs, row by row, for rank 0.
  std::vector<double> rank_pairs;
  if (o.matrix && !whole_matrix) {
    const std::size_t pairs = pairs_in_rows(first, last);
    ctx.memory.require(pairs * sizeof(double), "--king-matrix (this rank's pairs)");
    rank_pairs.reserve(pairs);
  }
  ctx.note(fmt::format(
      "KING: {} samples ({} pairs), {} variants; {} band(s) of pair counts, at most {:.1f} MiB of "
      "counts and {:.1f} MiB of bit-planes{}.",
      n, n * (n - 1) / 2, data.variant_ct(), plan.bands.size(),
      static_cast<double>(plan.band_count_bytes) / 1048576.0,
      static_cast<double>(plan.planes_bytes) / 1048576.0,
      o.matrix ? fmt::format(", plus {:.1f} MiB for the matrix",
                             static_cast<double>(n * n * sizeof(double)) / 1048576.0)
               : std::string()));
  Kin0Options table_options;
  table_options.min_kinship = o.table_filter;
  table_options.degree = o.degree;
  table_options.po_max_ibs0 = o.po_max_ibs0;
  Kin0Writer table(inv.outputs().open(".kin0"), data, table_options, ctx.threads);
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    table.write(band);
    if (whole_matrix) {
      for (std::size_t j = band.row_begin; j < band.row_end; ++j)
        for (std::size_t i = 0; i < j; ++i)
          matrix[j * n + i] = matrix[i * n + j] = king_kinship(band.at(j, i));
    } else if (o.matrix) {
      for (std::size_t j = band.row_begin; j < band.row_end; ++j)
        for (std::size_t i = 0; i < j; ++i) rank_pairs.push_back(king_kinship(band.at(j, i)));
    }
  });
  table.finish();
  inv.log().phase_done("KING-robust kinship");
  if (o.degree) {
    std::array<std::uint64_t, 6> counts{};
    std::copy(table.degree_counts().begin(), table.degree_counts().end(), counts.begin());
    inv.join_ranks();
    mpi::allreduce_sum(counts);  // under MPI: the pairs of every rank
    for (KingDegree d : kKingDegrees)
      ctx.note(
          fmt::format("{:>17} pairs: {}", king_relationship_name(d), counts[static_cast<std::size_t>(d)]));
  }
  if (o.matrix && mpi::distributed()) {
    inv.join_ranks();
    gather_matrix_rows(n, rank_pairs, matrix);
  }
  if (whole_matrix) {
    OutputFile& bin = inv.outputs().open(".king.bin");
    write_king_matrix(bin, inv.outputs().open(".king.id"), data, matrix);
  }
}

const bool registered = register_command(
    {"king", "KING-robust kinship of all pairs (.kin0), degrees, matrix",
     [](CLI::App& app) {
       auto o = std::make_shared<KingOptions>();
       add_input_options(app, o->input);
       add_split_option(app, o->split);
       app.add_option("--king-table-filter", o->table_filter, "Write only pairs with kinship >= this");
       app.add_flag("--degree", o->degree, "Add DEGREE and RELATIONSHIP columns and log counts per degree");
       app.add_option(
              "--po-max-ibs0", o->po_max_ibs0,
              "With --degree: first-degree pairs with an IBS0 proportion below this are parent-offspring")
           ->capture_default_str()
           ->check(CLI::Range(0.0, 1.0));
       app.add_flag("--king-matrix", o->matrix,
                    "Also write the N x N kinship matrix as doubles (.king.bin, .king.id)");
       return Runner([o](Invocation& inv) { run_king(*o, inv); });
     },
     40, true});

}  // namespace
}  // namespace genomap::cli
