#include "genomap/qc/qc_files.hpp"

#include <limits>

#include "genomap/geno/chromosome.hpp"
#include "genomap/io/number_format.hpp"

namespace genomap {
namespace {

void append_sample_ids(std::string& line, const Dataset& data, std::size_t i, bool with_fid) {
  const Sample& s = data.sample(i);
  if (with_fid) {
    line += s.fid;
    line.push_back('\t');
  }
  line += s.iid;
}

// Appends "\t" and a ratio num/den in plink2's 6-significant-digit form ("nan" when den is 0).
void append_ratio(std::string& line, double num, double den) {
  line.push_back('\t');
  append_g6(line, den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den);
}

void append_count(std::string& line, std::uint64_t value) {
  line.push_back('\t');
  append_uint(line, value);
}

// plink2 names A1 the REF allele (.bim column 6) and AX the other.
void append_variant_alleles(std::string& line, const Variant& var) {
  line += plink2_chromosome_text(var);
  line.push_back('\t');
  line += var.id;
  line.push_back('\t');
  line += plink2_allele_text(var.allele2);
  line.push_back('\t');
  line += plink2_allele_text(var.allele1);
}

// Observed and expected heterozygote fractions and the REF frequency of a diploid genotype count.
void append_het_fractions(std::string& line, const GenotypeCounts& c) {
  const double n = c.called();
  append_ratio(line, c.het, n);
  const double p = n > 0 ? (2.0 * c.hom2 + c.het) / (2.0 * n) : 0.0;
  line.push_back('\t');
  append_g6(line, n > 0 ? 2.0 * p * (1.0 - p) : 0.0);
}

// The .fam phenotype as plink2 reads it: case/control when every value is 0, 1, 2 or -9 (0 and -9 missing),
// quantitative otherwise (-9 and NA missing). Empty when no sample has a phenotype (plink2 then writes no
// PHENO1 column); otherwise one flag per sample of the fileset, true when missing.
std::vector<char> phenotype_missing(const SampleTable& samples) {
  bool binary = true;
  for (const auto& s : samples.all()) {
    const std::string& v = s.phenotype;
    if (v != "0" && v != "1" && v != "2" && v != "-9" && v != "NA" && v != "nan") binary = false;
  }
  std::vector<char> missing(samples.size());
  bool any_present = false;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::string& v = samples[i].phenotype;
    missing[i] = v == "-9" || v == "NA" || v == "nan" || (binary && v == "0");
    any_present = any_present || !missing[i];
  }
  if (!any_present) missing.clear();
  return missing;
}

}  // namespace

std::string_view plink2_allele_text(const std::string& allele) {
  return allele == "0" ? std::string_view(".") : std::string_view(allele);
}

std::string plink2_chromosome_text(const Variant& variant) {
  return chromosome_name(variant.chrom_code, variant.chrom);
}

// A .fam always has an FID column, and plink2 (2.00a3) writes #FID even when every FID is "0" (checked in
// library_api_test); the samples of a GenotypeStore always come from its .fam.
bool has_family_ids(const Dataset& data) { return !data.store->fam_path().empty(); }

AfreqWriter::AfreqWriter(OutputFile& out, const Dataset& data) : out_(out), data_(data) {
  out_.write("#CHROM\tID\tREF\tALT\tALT_FREQS\tOBS_CT\n");
}

void AfreqWriter::write(std::size_t first, std::span<const PloidyCounts> counts) {
  text_.clear();
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const Variant& var = data_.variant(first + k);
    const std::uint64_t obs = counts[k].allele_obs();
    text_ += plink2_chromosome_text(var);
    text_.push_back('\t');
    text_ += var.id;
    text_.push_back('\t');
    text_ += plink2_allele_text(var.allele2);
    text_.push_back('\t');
    text_ += plink2_allele_text(var.allele1);
    append_ratio(text_, counts[k].allele1_count(), static_cast<double>(obs));
    append_count(text_, obs);
    text_.push_back('\n');
  }
  out_.write(text_);
}

VmissWriter::VmissWriter(OutputFile& out, const Dataset& data) : out_(out), data_(data) {
  out_.write("#CHROM\tID\tMISSING_CT\tOBS_CT\tF_MISS\n");
}

void VmissWriter::write(std::size_t first, std::span<const VariantMissingness> rows) {
  text_.clear();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Variant& var = data_.variant(first + k);
    text_ += plink2_chromosome_text(var);
    text_.push_back('\t');
    text_ += var.id;
    append_count(text_, rows[k].missing_ct);
    append_count(text_, rows[k].obs_ct);
    append_ratio(text_, rows[k].missing_ct, rows[k].obs_ct);
    text_.push_back('\n');
  }
  out_.write(text_);
}

void write_smiss(OutputFile& out, const Dataset& data, const SampleMissingness& samples) {
  const bool with_fid = has_family_ids(data);
  const std::vector<char> pheno_missing = phenotype_missing(data.store->samples());
  std::string text = with_fid ? "#FID\tIID" : "#IID";
  text += pheno_missing.empty() ? "\tMISSING_CT\tOBS_CT\tF_MISS\n" : "\tPHENO1\tMISSING_CT\tOBS_CT\tF_MISS\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    append_sample_ids(text, data, i, with_fid);
    if (!pheno_missing.empty()) text += pheno_missing[data.samples.uidx(i)] ? "\tY" : "\tN";
    append_count(text, samples.missing_ct[i]);
    append_count(text, samples.obs_ct[i]);
    append_ratio(text, samples.missing_ct[i], samples.obs_ct[i]);
    text.push_back('\n');
  }
  out.write(text);
}

HardyWriter::HardyWriter(OutputFile* hardy, OutputFile* hardy_x, const Dataset& data, bool midp)
    : hardy_(hardy), hardy_x_(hardy_x), data_(data) {
  const std::string p_column = midp ? "MIDP\n" : "P\n";
  if (hardy_)
    hardy_->write("#CHROM\tID\tA1\tAX\tHOM_A1_CT\tHET_A1_CT\tTWO_AX_CT\tO(HET_A1)\tE(HET_A1)\t" + p_column);
  if (hardy_x_)
    hardy_x_->write(
        "#CHROM\tID\tA1\tAX\tFEMALE_HOM_A1_CT\tFEMALE_HET_A1_CT\tFEMALE_TWO_AX_CT\tMALE_A1_CT\tMALE_AX_CT\t"
        "O(FEMALE_HET_A1)\tE(FEMALE_HET_A1)\tFEMALE_A1_FREQ\tMALE_A1_FREQ\t" +
        p_column);
}

void HardyWriter::write(std::size_t first, std::span<const HardyResult> rows) {
  text_.clear();
  text_x_.clear();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const HardyResult& r = rows[k];
    const Variant& var = data_.variant(first + k);
    const GenotypeCounts& c = r.diploid;
    if (r.ploidy == ChromosomePloidy::Diploid) {
      append_variant_alleles(text_, var);
      append_count(text_, c.hom2);
      append_count(text_, c.het);
      append_count(text_, c.hom1);
      append_het_fractions(text_, c);
      text_.push_back('\t');
      append_g6(text_, r.p);
      text_.push_back('\n');
    } else if (r.ploidy == ChromosomePloidy::X) {
      append_variant_alleles(text_x_, var);
      append_count(text_x_, c.hom2);
      append_count(text_x_, c.het);
      append_count(text_x_, c.hom1);
      append_count(text_x_, r.male.hom2);
      append_count(text_x_, r.male.hom1);
      append_het_fractions(text_x_, c);
      append_ratio(text_x_, 2.0 * c.hom2 + c.het, 2.0 * c.called());
      append_ratio(text_x_, r.male.hom2, static_cast<double>(r.male.hom1) + r.male.hom2);
      text_x_.push_back('\t');
      append_g6(text_x_, r.p);
      text_x_.push_back('\n');
    }
  }
  if (hardy_) hardy_->write(text_);
  if (hardy_x_) hardy_x_->write(text_x_);
}

void write_het(OutputFile& out, const Dataset& data, const HeterozygosityResult& result) {
  const bool with_fid = has_family_ids(data);
  std::string text =
      with_fid ? "#FID\tIID\tO(HOM)\tE(HOM)\tOBS_CT\tF\n" : "#IID\tO(HOM)\tE(HOM)\tOBS_CT\tF\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const SampleHeterozygosity& s = result.samples[i];
    append_sample_ids(text, data, i, with_fid);
    append_count(text, s.observed_hom);
    text.push_back('\t');
    append_g6(text, s.expected_hom);
    append_count(text, s.obs_ct);
    text.push_back('\t');
    append_g6(text, s.f());
    text.push_back('\n');
  }
  out.write(text);
}

void write_prune_lists(const Dataset& data, const PruneResult& result, OutputSet& outputs) {
  std::string in, out;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    if (result.status[v] == PruneStatus::Kept)
      in += data.variant(v).id + "\n";
    else if (result.status[v] == PruneStatus::Removed)
      out += data.variant(v).id + "\n";
  }
  outputs.open(".prune.in").write(in);
  outputs.open(".prune.out").write(out);
}

}  // namespace genomap
