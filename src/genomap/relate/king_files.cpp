#include "genomap/relate/king_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "genomap/core/error.hpp"
#include "genomap/core/parallel_beside.hpp"
#include "genomap/relate/king_format.hpp"

namespace genomap {

// "FID\tIID\t" of every sample, back to back with 32 bytes of padding at the end, and the longest one. Labels
// of at most 32 bytes are copied as one fixed 32-byte block (the output buffer keeps that much room).
class Kin0Writer::SampleLabels {
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

Kin0Writer::Kin0Writer(OutputFile& out, const Dataset& data, const Kin0Options& options, int threads)
    : file_(out.stream()),
      path_(out.path()),
      options_(options),
      threads_(threads),
      labels_(std::make_unique<SampleLabels>(data)) {
  fmt::print(file_, "#FID1\tIID1\tFID2\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP{}\n",
             options_.degree ? "\tDEGREE\tRELATIONSHIP" : "");
}

Kin0Writer::~Kin0Writer() = default;

void Kin0Writer::write(const KingBand& band) {
  // About 256k pairs of text (~16 MB) at a time, two chunks in flight, keeps the text buffers small whatever
  // N is.
  const std::size_t rows_per_chunk = std::max<std::size_t>(1, (std::size_t{1} << 18) / band.row_end);
  for (std::size_t r0 = band.row_begin; r0 < band.row_end; r0 += rows_per_chunk) {
    const std::size_t r1 = std::min(band.row_end, r0 + rows_per_chunk);
    format_rows(band, r0, r1, buffers_[current_]);
    pending_rows_ = r1 - r0;
    current_ ^= 1;
  }
}

// Formats the .kin0 lines of rows [row_begin, row_end) of a band, one buffer per row, in parallel, while one
// thread of the team first writes the previous chunk (the other buffer); counts degrees on the way.
void Kin0Writer::format_rows(const KingBand& band, std::size_t row_begin, std::size_t row_end,
                             std::vector<RowText>& rows) {
  const Kin0Options& o = options_;
  const SampleLabels& labels = *labels_;
  const auto row_ct = static_cast<std::ptrdiff_t>(row_end - row_begin);
  if (rows.size() < static_cast<std::size_t>(row_ct)) rows.resize(static_cast<std::size_t>(row_ct));
  // Longest line: two labels, NSNP (10 digits), three %.6g numbers (at most 13 characters each with the tab),
  // the degree columns and the newline.
  // Plus 32 bytes of room for the fixed-size label copies.
  const std::size_t max_line = 2 * labels.longest() + 10 + 3 * 16 + 32 + 32;
  std::vector<std::array<std::size_t, 6>> per_row(static_cast<std::size_t>(row_ct),
                                                  std::array<std::size_t, 6>{});
  run_beside(
      threads_, row_ct, 4, [this] { write_pending(); },
      [&](std::ptrdiff_t r) {
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
          if (o.min_kinship && !(kinship >= *o.min_kinship)) continue;
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
      });
  for (const auto& counts : per_row)
    for (std::size_t d = 0; d < degree_counts_.size(); ++d) degree_counts_[d] += counts[d];
}

// Writes the chunk formatted last (the rows of the buffer not being filled), once.
void Kin0Writer::write_pending() {
  const std::vector<RowText>& buffer = buffers_[current_ ^ 1];
  for (std::size_t r = 0; r < pending_rows_; ++r) {
    const RowText& row = buffer[r];
    if (row.size != 0 && std::fwrite(row.bytes.data(), 1, row.size, file_) != row.size)
      throw Error(path_, 0, "write failed");
  }
  pending_rows_ = 0;
}

void Kin0Writer::finish() { write_pending(); }

void write_king_matrix(OutputFile& bin, OutputFile& ids, const Dataset& data,
                       const std::vector<double>& matrix) {
  if (std::fwrite(matrix.data(), sizeof(double), matrix.size(), bin.stream()) != matrix.size())
    throw Error(bin.path(), 0, "write failed");
  std::FILE* id_file = ids.stream();
  fmt::print(id_file, "#FID\tIID\n");
  for (std::size_t s = 0; s < data.sample_ct(); ++s)
    fmt::print(id_file, "{}\t{}\n", data.sample(s).fid, data.sample(s).iid);
}

}  // namespace genomap
