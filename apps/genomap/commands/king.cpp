// genomap king: KING-robust kinship of every pair of samples as plink2's .kin0 (--make-king-table), with
// --king-table-filter, relationship degrees (--degree) and the square matrix in binary (--king-matrix).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>

#include "command_registry.hpp"
#include "invocation.hpp"
#include "genomap/core/error.hpp"
#include "genomap/relate/king.hpp"

namespace genomap::cli {
namespace {

struct KingOptions {
  InputOptions input;
  std::optional<double> table_filter;
  bool degree = false;
  bool matrix = false;
  double po_max_ibs0 = kKingPoMaxIbs0;
};

constexpr std::array<KingDegree, 6> kDegrees = {KingDegree::Duplicate, KingDegree::ParentOffspring,
                                                KingDegree::FullSibling, KingDegree::Second, KingDegree::Third,
                                                KingDegree::Unrelated};

// Appends a tab and `value` as printf's %.6g (std::to_chars is exact and much faster than a format string).
void append_g6(std::string& text, double value) {
  char buffer[32];
  buffer[0] = '\t';
  if (std::isnan(value)) {
    text.append("\tnan");
    return;
  }
  const auto result = std::to_chars(buffer + 1, buffer + sizeof buffer, value, std::chars_format::general, 6);
  text.append(buffer, result.ptr);
}

// Formats the .kin0 lines of rows [row_begin, row_end) of a band, one string per row, in parallel; counts degrees
// on the way.
void format_rows(const KingBand& band, std::size_t row_begin, std::size_t row_end, const Dataset& data,
                 const KingOptions& o, int threads, std::vector<std::string>& lines,
                 std::array<std::size_t, 6>& degree_counts) {
  const auto row_ct = static_cast<std::ptrdiff_t>(row_end - row_begin);
  lines.assign(static_cast<std::size_t>(row_ct), std::string());
  std::vector<std::array<std::size_t, 6>> per_row(static_cast<std::size_t>(row_ct), std::array<std::size_t, 6>{});
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
  for (std::ptrdiff_t r = 0; r < row_ct; ++r) {
    const std::size_t j = row_begin + static_cast<std::size_t>(r);
    std::string& text = lines[static_cast<std::size_t>(r)];
    const Sample& sj = data.sample(j);
    for (std::size_t i = 0; i < j; ++i) {
      const KingPairCounts& c = band.at(j, i);
      const double kinship = king_kinship(c);
      const double hethet = c.nsnp ? static_cast<double>(c.hethet) / c.nsnp : std::nan("");
      const double ibs0 = c.nsnp ? static_cast<double>(c.ibs0) / c.nsnp : std::nan("");
      const KingDegree degree = king_degree(kinship, ibs0, o.po_max_ibs0);
      if (o.degree) ++per_row[static_cast<std::size_t>(r)][static_cast<std::size_t>(degree)];
      if (o.table_filter && !(kinship >= *o.table_filter)) continue;
      const Sample& si = data.sample(i);
      text += sj.fid;
      text += '\t';
      text += sj.iid;
      text += '\t';
      text += si.fid;
      text += '\t';
      text += si.iid;
      text += '\t';
      text += fmt::format_int(c.nsnp).c_str();
      append_g6(text, hethet);
      append_g6(text, ibs0);
      append_g6(text, kinship);
      if (o.degree) {
        const int number = king_degree_number(degree);
        if (number < 0) text += "\tNA";
        else fmt::format_to(std::back_inserter(text), "\t{}", number);
        text += '\t';
        text += king_relationship_name(degree);
      }
      text += '\n';
    }
  }
  for (const auto& counts : per_row)
    for (std::size_t d = 0; d < degree_counts.size(); ++d) degree_counts[d] += counts[d];
}

void run_king(const KingOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  std::size_t excluded = 0;
  const Dataset data = king_variants(inv.load_dataset(o.input), &excluded);
  if (excluded > 0) ctx.note(fmt::format("Excluding {} variants on X, Y and MT from KING-robust kinship.", excluded));
  if (data.sample_ct() < 2) throw Error(o.input.bfile + ".fam", 0, "KING kinship needs at least 2 samples");
  const std::size_t n = data.sample_ct();
  std::vector<double> matrix;
  if (o.matrix) {
    ctx.memory.require(n * n * sizeof(double), "--king-matrix (N x N doubles)");
    matrix.assign(n * n, 0.0);
    for (std::size_t s = 0; s < n; ++s) matrix[s * n + s] = 0.5;
  }
  const KingPlan plan = plan_king(data, ctx);
  ctx.note(fmt::format("KING: {} samples ({} pairs), {} variants; {} band(s) of pair counts, at most {:.1f} MiB of "
                       "counts and {:.1f} MiB of bit-planes{}.",
                       n, n * (n - 1) / 2, data.variant_ct(), plan.bands.size(),
                       static_cast<double>(plan.band_count_bytes) / 1048576.0,
                       static_cast<double>(plan.planes_bytes) / 1048576.0,
                       o.matrix ? fmt::format(", plus {:.1f} MiB for the matrix",
                                              static_cast<double>(n * n * sizeof(double)) / 1048576.0)
                                : std::string()));
  std::FILE* table = inv.outputs().open(".kin0").stream();
  fmt::print(table, "#FID1\tIID1\tFID2\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP{}\n", o.degree ? "\tDEGREE\tRELATIONSHIP" : "");
  std::array<std::size_t, 6> degree_counts{};
  std::vector<std::string> lines;
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    // About 256k pairs of text (~16 MB) at a time keeps the text buffers small whatever N is.
    const std::size_t rows_per_chunk = std::max<std::size_t>(1, (std::size_t{1} << 18) / band.row_end);
    for (std::size_t r0 = band.row_begin; r0 < band.row_end; r0 += rows_per_chunk) {
      format_rows(band, r0, std::min(band.row_end, r0 + rows_per_chunk), data, o, ctx.threads, lines, degree_counts);
      for (const auto& line : lines) std::fwrite(line.data(), 1, line.size(), table);
    }
    if (o.matrix) {
      for (std::size_t j = band.row_begin; j < band.row_end; ++j)
        for (std::size_t i = 0; i < j; ++i) matrix[j * n + i] = matrix[i * n + j] = king_kinship(band.at(j, i));
    }
  });
  inv.log().phase_done("KING-robust kinship");
  if (o.degree) {
    for (KingDegree d : kDegrees)
      ctx.note(fmt::format("{:>17} pairs: {}", king_relationship_name(d), degree_counts[static_cast<std::size_t>(d)]));
  }
  if (o.matrix) {
    std::FILE* bin = inv.outputs().open(".king.bin").stream();
    if (std::fwrite(matrix.data(), sizeof(double), matrix.size(), bin) != matrix.size())
      throw Error(inv.out_prefix() + ".king.bin", 0, "write failed");
    std::FILE* ids = inv.outputs().open(".king.id").stream();
    fmt::print(ids, "#FID\tIID\n");
    for (std::size_t s = 0; s < n; ++s) fmt::print(ids, "{}\t{}\n", data.sample(s).fid, data.sample(s).iid);
  }
}

const bool registered = register_command({"king", "KING-robust kinship of all pairs (.kin0), degrees, matrix",
                                          [](CLI::App& app) {
  auto o = std::make_shared<KingOptions>();
  add_input_options(app, o->input);
  app.add_option("--king-table-filter", o->table_filter, "Write only pairs with kinship >= this");
  app.add_flag("--degree", o->degree, "Add DEGREE and RELATIONSHIP columns and log counts per degree");
  app.add_option("--po-max-ibs0", o->po_max_ibs0,
                 "With --degree: first-degree pairs with an IBS0 proportion below this are parent-offspring")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--king-matrix", o->matrix, "Also write the N x N kinship matrix as doubles (.king.bin, .king.id)");
  return Runner([o](Invocation& inv) { run_king(*o, inv); });
}, 40});

}  // namespace
}  // namespace genomap::cli
