// VCF/BCF (.vcf, .vcf.gz, .bcf, through htslib) to a PLINK 1 fileset, streaming: one record is decoded,
// written and dropped, so memory does not grow with the number of variants.
//
// Conventions follow `plink2 --vcf FILE --make-bed`: allele 1 (.bim column 5) is ALT, allele 2 is REF; an ALT
// of
// '.' stays '.'; IDs are copied as written ('.' stays '.'); the FID is "0" unless --double-id or --id-delim;
// sex 0 and phenotype -9 in the .fam. GT calls only; phased and unphased calls are the same hardcall. A
// haploid call ("0", "1", on any chromosome, X/Y/MT in practice) is homozygous. Multiallelic records are
// skipped, or split into one biallelic record per ALT allele (as `bcftools norm -m-`: other ALT alleles
// become REF).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "genomap/core/context.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap {

// How a call with one allele missing ("0/.", "./1") is read; plink2's --vcf-half-call modes.
enum class HalfCallMode {
  Missing,    // the whole call is missing (genomap's default; plink2 must be told, its default is 'error')
  Error,      // stop with an error naming the line
  Haploid,    // the known allele as a haploid call: "0/." is hom. REF, "./1" hom. ALT
  Reference,  // the missing allele is REF: "./1" is het
};

struct VcfImportOptions {
  std::string path;
  bool split_multiallelic = false;
  bool double_id = false;  // FID = IID = the VCF sample ID
  char id_delim = 0;       // nonzero: FID and IID are the parts before and after the first delimiter
  HalfCallMode half_call = HalfCallMode::Missing;
};

struct VcfImportCounts {
  std::size_t sample_ct = 0;
  std::size_t records = 0;    // data lines read
  std::size_t biallelic = 0;  // written as they are
  std::size_t no_alt = 0;     // ALT '.': written with allele 1 '.', all calls REF or missing
  std::size_t multiallelic_skipped = 0;
  std::size_t multiallelic_split = 0;  // records split
  std::size_t split_variants = 0;      // biallelic variants written from split records
  std::size_t variants_written = 0;
  std::size_t half_calls = 0;
  std::size_t haploid_calls = 0;
  std::size_t polyploid_calls = 0;     // more than two alleles: set missing
  std::size_t records_without_gt = 0;  // no GT field: every call missing
};

// Reads options.path and writes PREFIX.bed/.bim/.fam through `outputs` (committed by the caller). Throws
// Error naming the file, and the line for a malformed data line (record number for BCF).
VcfImportCounts import_vcf(const VcfImportOptions& options, OutputSet& outputs, const Context& ctx);

}  // namespace genomap
