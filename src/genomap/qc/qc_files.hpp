// QC results as files, in plink2's layouts (byte-identical to plink2 2.00a3 on the same input):
// .afreq (--freq), .vmiss and .smiss (--missing), .hardy and .hardy.x (--hardy), .het (--het).
// The per-variant tables are written block by block, as the analyses hand their rows over, so memory does not
// grow with the number of variants: a writer's constructor writes the header, `write` appends one block.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/qc/hardy.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/qc/missingness.hpp"
#include "genomap/qc/ploidy.hpp"

namespace genomap {

// plink2 prints a missing allele code ("0") as ".".
std::string_view plink2_allele_text(const std::string& allele);
// plink2's chromosome name of a variant (23 -> X, 24 -> Y, 25 -> XY, 26 -> MT).
std::string plink2_chromosome_text(const Variant& variant);
// Whether sample tables get an FID column: plink2 writes one whenever the samples come with family IDs, which
// a .fam always does (even when every FID is "0").
bool has_family_ids(const Dataset& data);

// .afreq: #CHROM ID REF ALT ALT_FREQS OBS_CT (plink2's REF is .bim column 6, ALT column 5).
class AfreqWriter {
 public:
  AfreqWriter(OutputFile& out, const Dataset& data);
  void write(std::size_t first_variant_idx, std::span<const PloidyCounts> counts);

 private:
  OutputFile& out_;
  const Dataset& data_;
  std::string text_;
};

// .vmiss: #CHROM ID MISSING_CT OBS_CT F_MISS.
class VmissWriter {
 public:
  VmissWriter(OutputFile& out, const Dataset& data);
  void write(std::size_t first_variant_idx, std::span<const VariantMissingness> rows);

 private:
  OutputFile& out_;
  const Dataset& data_;
  std::string text_;
};

// .smiss: #FID IID [PHENO1] MISSING_CT OBS_CT F_MISS; PHENO1 (Y/N: phenotype missing) when the .fam has any
// phenotype, as plink2 writes it.
void write_smiss(OutputFile& out, const Dataset& data, const SampleMissingness& samples);

// .hardy (diploid chromosomes) and .hardy.x (chrX); either may be absent (nullptr) when no variant needs it.
// The p-value column is named MIDP with mid-p values, P otherwise, as plink2 names it.
class HardyWriter {
 public:
  HardyWriter(OutputFile* hardy, OutputFile* hardy_x, const Dataset& data, bool midp);
  void write(std::size_t first_variant_idx, std::span<const HardyResult> rows);

 private:
  OutputFile* hardy_;
  OutputFile* hardy_x_;
  const Dataset& data_;
  std::string text_, text_x_;
};

// .het: #FID IID O(HOM) E(HOM) OBS_CT F.
void write_het(OutputFile& out, const Dataset& data, const HeterozygosityResult& result);

// .prune.in / .prune.out (plink2 --indep-pairwise): the IDs of the kept and of the removed variants, one a
// line; chromosome 0 variants (skipped) in neither.
void write_prune_lists(const Dataset& data, const PruneResult& result, OutputSet& outputs);

}  // namespace genomap
