// KING-robust results as files: plink2's .kin0 (--make-king-table; byte-identical), with genomap's DEGREE and
// RELATIONSHIP columns when asked, and the N x N kinship matrix as doubles (.king.bin) with its sample list
// (.king.id).
#pragma once
#include <array>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/relate/king.hpp"

namespace genomap {

struct Kin0Options {
  std::optional<double> min_kinship;  // --king-table-filter: write only pairs with kinship >= this
  bool degree = false;                // add DEGREE and RELATIONSHIP, count pairs per degree
  double po_max_ibs0 = kKingPoMaxIbs0;
};

// Writes the .kin0 table band by band as compute_king hands the bands over: each chunk of rows is formatted
// in parallel (`threads`) while one thread of the same team writes the previous chunk (double buffering), so
// no thread waits idle through the writing. `finish` writes the last chunk.
class Kin0Writer {
 public:
  Kin0Writer(OutputFile& out, const Dataset& data, const Kin0Options& options, int threads);
  ~Kin0Writer();
  Kin0Writer(const Kin0Writer&) = delete;
  Kin0Writer& operator=(const Kin0Writer&) = delete;
  void write(const KingBand& band);
  void finish();
  // Pairs per degree (index: KingDegree), counted when options.degree.
  const std::array<std::size_t, 6>& degree_counts() const { return degree_counts_; }

 private:
  struct RowText {
    std::vector<char> bytes;
    std::size_t size = 0;
  };
  class SampleLabels;
  void format_rows(const KingBand& band, std::size_t row_begin, std::size_t row_end,
                   std::vector<RowText>& rows);
  void write_pending();

  std::FILE* file_;
  std::string path_;
  Kin0Options options_;
  int threads_;
  std::unique_ptr<SampleLabels> labels_;
  std::array<std::size_t, 6> degree_counts_{};
  std::vector<RowText> buffers_[2];
  int current_ = 0;  // the buffer being filled; the other holds the chunk not yet written
  std::size_t pending_rows_ = 0;
};

// Every KING degree, in the order of KingDegree.
inline constexpr std::array<KingDegree, 6> kKingDegrees = {
    KingDegree::Duplicate, KingDegree::ParentOffspring, KingDegree::FullSibling,
    KingDegree::Second,    KingDegree::Third,           KingDegree::Unrelated};

// .king.bin: the N x N matrix (row-major doubles, diagonal 0.5); .king.id: #FID IID of its rows.
void write_king_matrix(OutputFile& bin, OutputFile& ids, const Dataset& data,
                       const std::vector<double>& matrix);

}  // namespace genomap
