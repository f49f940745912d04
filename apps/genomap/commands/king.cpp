// genomap king: KING-robust kinship of every pair of samples as plink2's .kin0 (--make-king-table), with
// --king-table-filter, relationship degrees (--degree) and the square matrix in binary (--king-matrix).
#include "genomap/relate/king.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <future>
#include <limits>
#include <optional>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/relate/king_format.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct KingOptions {
  InputOptions input;
  std::optional<double> table_filter;
  bool degree = false;
  bool matrix = false;
  double po_max_ibs0 = kKingPoMaxIbs0;
};

constexpr std::array<KingDegree, 6> kDegrees = {KingDegree::Duplicate,   KingDegree::ParentOffspring,
                                                KingDegree::FullSibling, KingDegree::Second,
                                                KingDegree::Third,       KingDegree::Unrelated};

// One row of .kin0 text (the pairs of sample j with every earlier sample), written into a buffer that keeps
// its capacity from chunk to chunk.
struct RowText {
  std::vector<char> bytes;
  std::size_t size = 0;
};

// "FID\tIID\t" of every sample, back to back with 32 bytes of padding at the end, and the longest one. Labels
// of at most 32 bytes are copied as one fixed 32-byte block (the output buffer keeps that much room).
class SampleLabels {
 public:
  explicit SampleLabels(const Dataset& data) {
    offset_.reserve(data.sample_ct() + 1);
    offset_.push_back(0);
    for (std::size_t s = 0; s < data.sample_ct(); ++s) {
      const std::string label = data.sample(s).fid + '\t' + data.sample(s).iid + '\t';
      bytes_.insert(bytes_.end(), label.begin(), label.end());
      offset_.push_back(bytes_.size());
      longest_ = std::max(longest_, label.size());
    }
    bytes_.resize(bytes_.size() + 32, '\0');
  }
  std::size_t longest() const { return longest_; }
  // Copies the label of sample s to p (which has at least max(size, 32) bytes of room); returns the end.
  char* put(char* p, std::size_t s) const {
    const std::size_t size = offset_[s + 1] - offset_[s];
    if (size <= 32)
      std::memcpy(p, bytes_.data() + offset_[s], 32);
    else
      std::memcpy(p, bytes_.data() + offset_[s], size);
    return p + size;
  }

 private:
  std::vector<char> bytes_;
  std::vector<std::size_t> offset_;
  std::size_t longest_ = 0;
};

// Formats the .kin0 lines of rows [row_begin, row_end) of a band, one buffer per row, in parallel; counts
// degrees on the way.
void format_rows(const KingBand& band, std::size_t row_begin, std::size_t row_end, const SampleLabels& labels,
                 const KingOptions& o, int threads, std::vector<RowText>& rows,
                 std::array<std::size_t, 6>& degree_counts) {
  const auto row_ct = static_cast<std::ptrdiff_t>(row_end - row_begin);
  if (rows.size() < static_cast<std::size_t>(row_ct)) rows.resize(static_cast<std::size_t>(row_ct));
  // Longest line: two labels, NSNP (10 digits), three %.6g numbers (at most 13 characters each with the tab),
  // the degree columns and the newline.
  // Plus 32 bytes of room for the fixed-size label copies.
  const std::size_t max_line = 2 * labels.longest() + 10 + 3 * 16 + 32 + 32;
  std::vector<std::array<std::size_t, 6>> per_row(static_cast<std::size_t>(row_ct),
                                                  std::array<std::size_t, 6>{});
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4)
  for (std::ptrdiff_t r = 0; r < row_ct; ++r) {
    const std::size_t j = row_begin + static_cast<std::size_t>(r);
    RowText& row = rows[static_cast<std::size_t>(r)];
    char* p = row.bytes.data();
    char* end = p + row.bytes.size();
    auto& degrees = per_row[static_cast<std::size_t>(r)];
    for (std::size_t i = 0; i < j; ++i) {
      const KingPairCounts& c = band.at(j, i);
      const double kinship = king_kinship(c);
      const double ibs0 = c.nsnp ? static_cast<double>(c.ibs0) / c.nsnp : std::nan("");
      const KingDegree degree = king_degree(kinship, ibs0, o.po_max_ibs0);
      if (o.degree) ++degrees[static_cast<std::size_t>(degree)];
      if (o.table_filter && !(kinship >= *o.table_filter)) continue;
      const double hethet = c.nsnp ? static_cast<double>(c.hethet) / c.nsnp : std::nan("");
      if (static_cast<std::size_t>(end - p) <
          max_line) {  // grow geometrically; capacity is kept across chunks
        const auto used = static_cast<std::size_t>(p - row.bytes.data());
        row.bytes.resize(std::max(2 * row.bytes.size(), used + 256 * max_line));
        p = row.bytes.data() + used;
        end = row.bytes.data() + row.bytes.size();
      }
      p = labels.put(p, j);
      p = labels.put(p, i);
      p = write_u32(p, c.nsnp);
      *p++ = '\t';
      p = write_g6(p, hethet);
      *p++ = '\t';
      p = write_g6(p, ibs0);
      *p++ = '\t';
      p = write_g6(p, kinship);
      if (o.degree) {
        const int number = king_degree_number(degree);
        *p++ = '\t';
        if (number < 0) {
          *p++ = 'N';
          *p++ = 'A';
        } else {
          *p++ = static_cast<char>('0' + number);
        }
        *p++ = '\t';
        const char* name = king_relationship_name(degree);
        const std::size_t len = std::strlen(name);
        std::memcpy(p, name, len);
        p += len;
      }
      *p++ = '\n';
    }
    row.size = static_cast<std::size_t>(p - row.bytes.data());
  }
  for (const auto& counts : per_row)
    for (std::size_t d = 0; d < degree_counts.size(); ++d) degree_counts[d] += counts[d];
}

// Writes formatted chunks on a second thread while the next chunk is formatted (double buffering).
class KingTableWriter {
 public:
  KingTableWriter(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  ~KingTableWriter() {
    if (pending_.valid()) pending_.wait();
  }
  // The buffer to format the next chunk into.
  std::vector<RowText>& next() { return buffers_[current_]; }
  // Hands next()'s first `row_ct` rows to the writer thread (after the previous chunk is written).
  void submit(std::size_t row_ct) {
    finish();
    pending_ = std::async(std::launch::async, [this, buffer = &buffers_[current_], row_ct] {
      for (std::size_t r = 0; r < row_ct; ++r) {
        const RowText& row = (*buffer)[r];
        if (row.size != 0 && std::fwrite(row.bytes.data(), 1, row.size, file_) != row.size)
          throw Error(path_, 0, "write failed");
      }
    });
    current_ ^= 1;
  }
  // Waits for the chunk being written; rethrows its error.
  void finish() {
    if (pending_.valid()) pending_.get();
  }

 private:
  std::FILE* file_;
  std::string path_;
  std::vector<RowText> buffers_[2];
  int current_ = 0;
  std::future<void> pending_;
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
  const KingPlan plan = plan_king(data, ctx);
  ctx.note(fmt::format(
      "KING: {} samples ({} pairs), {} variants; {} band(s) of pair counts, at most {:.1f} MiB of "
      "counts and {:.1f} MiB of bit-planes{}.",
      n, n * (n - 1) / 2, data.variant_ct(), plan.bands.size(),
      static_cast<double>(plan.band_count_bytes) / 1048576.0,
      static_cast<double>(plan.planes_bytes) / 1048576.0,
      o.matrix ? fmt::format(", plus {:.1f} MiB for the matrix",
                             static_cast<double>(n * n * sizeof(double)) / 1048576.0)
               : std::string()));
  std::FILE* table = inv.outputs().open(".kin0").stream();
  fmt::print(table, "#FID1\tIID1\tFID2\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP{}\n",
             o.degree ? "\tDEGREE\tRELATIONSHIP" : "");
  std::array<std::size_t, 6> degree_counts{};
  const SampleLabels labels(data);
  KingTableWriter writer(table, inv.out_prefix() + ".kin0");
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    // About 256k pairs of text (~16 MB) at a time, two chunks in flight, keeps the text buffers small
    // whatever N is.
    const std::size_t rows_per_chunk = std::max<std::size_t>(1, (std::size_t{1} << 18) / band.row_end);
    for (std::size_t r0 = band.row_begin; r0 < band.row_end; r0 += rows_per_chunk) {
      const std::size_t r1 = std::min(band.row_end, r0 + rows_per_chunk);
      format_rows(band, r0, r1, labels, o, ctx.threads, writer.next(), degree_counts);
      writer.submit(r1 - r0);
    }
    if (o.matrix) {
      for (std::size_t j = band.row_begin; j < band.row_end; ++j)
        for (std::size_t i = 0; i < j; ++i)
          matrix[j * n + i] = matrix[i * n + j] = king_kinship(band.at(j, i));
    }
  });
  writer.finish();
  inv.log().phase_done("KING-robust kinship");
  if (o.degree) {
    for (KingDegree d : kDegrees)
      ctx.note(fmt::format("{:>17} pairs: {}", king_relationship_name(d),
                           degree_counts[static_cast<std::size_t>(d)]));
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

const bool registered = register_command(
    {"king", "KING-robust kinship of all pairs (.kin0), degrees, matrix",
     [](CLI::App& app) {
       auto o = std::make_shared<KingOptions>();
       add_input_options(app, o->input);
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
     40});

}  // namespace
}  // namespace genomap::cli
