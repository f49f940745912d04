// genomap king: KING-robust kinship of every pair of samples as plink2's .kin0 (--make-king-table), with
// --king-table-filter, relationship degrees (--degree) and the square matrix in binary (--king-matrix).
#include "genomap/relate/king.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

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

void run_king(const KingOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  std::size_t excluded = 0;
  const Dataset data = king_variants(inv.load_dataset(o.input), &excluded);
  if (excluded > 0)
    ctx.note(fmt::format("Excluding {} variants on X, Y and MT from KING-robust kinship.", excluded));
  if (data.sample_ct() < 2) throw Error(o.input.bfile + ".fam", 0, "KING kinship needs at least 2 samples");
  const std::size_t n = data.sample_ct();
  std::vector<double> matrix;
  if (o.matrix) {
    ctx.memory.require(n * n * sizeof(double), "--king-matrix (N x N doubles)");
    matrix.assign(n * n, 0.0);
    for (std::size_t s = 0; s < n; ++s) matrix[s * n + s] = 0.5;
  }
  if (!o.split.empty() && o.matrix)
    throw UsageError(
        "--split does not apply to --king-matrix (the matrix needs every pair): split the .kin0 only");
  if (mpi::distributed() && o.matrix)
    throw UsageError("--king-matrix needs every pair in one process: run it without mpirun");
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
    if (o.matrix) {
      for (std::size_t j = band.row_begin; j < band.row_end; ++j)
        for (std::size_t i = 0; i < j; ++i)
          matrix[j * n + i] = matrix[i * n + j] = king_kinship(band.at(j, i));
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
  if (o.matrix) {
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
