// Where simulated variants sit: spread over chromosomes 1..C in proportion to the human (GRCh37) autosome
// lengths, evenly spaced, with 1 cM per Mb. This gives LD pruning windows in kb and block-jackknife blocks in
// Mb their usual meaning (100,000 variants over 22 chromosomes: one every ~29 kb).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace genomap {

class GenomeLayout {
 public:
  GenomeLayout(std::size_t variant_ct, std::size_t chromosome_ct);
  int chromosome(std::size_t variant) const;                   // 1-based
  std::size_t index_in_chromosome(std::size_t variant) const;  // 0-based
  std::int64_t position(std::size_t variant) const;            // bp, 1-based, increasing within a chromosome
  std::size_t chromosome_ct() const { return length_.size(); }
  std::int64_t length(int chromosome) const {
    return length_[static_cast<std::size_t>(chromosome - 1)];
  }  // bp
  std::size_t first_variant(int chromosome) const { return first_[static_cast<std::size_t>(chromosome - 1)]; }

 private:
  std::vector<std::size_t> first_;  // first variant of each chromosome, plus the end
  std::vector<std::int64_t> length_;
};

}  // namespace genomap
