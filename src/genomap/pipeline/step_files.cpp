#include "genomap/pipeline/step_files.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/number_format.hpp"
#include "genomap/qc/hardy.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "genomap/relate/king_format.hpp"

namespace genomap {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::string_view allele_text(const std::string& allele) {
  return allele == "0" ? std::string_view(".") : std::string_view(allele);
}

void append_ids(std::string& line, const Dataset& data, std::size_t i) {
  const Sample& s = data.sample(i);
  line += s.fid;
  line.push_back('\t');
  line += s.iid;
}

void append_ratio(std::string& line, double num, double den) {
  line.push_back('\t');
  append_g6(line, den == 0 ? kNan : num / den);
}

void append_count(std::string& line, std::uint64_t v) {
  line.push_back('\t');
  append_uint(line, v);
}

// The .fam phenotype as plink2 reads it for the .smiss PHENO1 column (see genomap missing): one flag per sample of
// the fileset, true when missing; empty when no sample has a phenotype.
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

void write_missingness(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  OutputFile& smiss = outputs.open(".smiss");
  OutputFile& vmiss = outputs.open(".vmiss");
  vmiss.write("#CHROM\tID\tMISSING_CT\tOBS_CT\tF_MISS\n");
  std::string text;
  const SampleMissingness samples =
      compute_missingness(data, ctx, [&](std::size_t first, std::span<const VariantMissingness> rows) {
        text.clear();
        for (std::size_t k = 0; k < rows.size(); ++k) {
          const Variant& var = data.variant(first + k);
          text += chromosome_name(var.chrom_code, var.chrom);
          text.push_back('\t');
          text += var.id;
          append_count(text, rows[k].missing_ct);
          append_count(text, rows[k].obs_ct);
          append_ratio(text, rows[k].missing_ct, rows[k].obs_ct);
          text.push_back('\n');
        }
        vmiss.write(text);
      });
  const std::vector<char> pheno_missing = phenotype_missing(data.store->samples());
  text = "#FID\tIID";
  text += pheno_missing.empty() ? "\tMISSING_CT\tOBS_CT\tF_MISS\n" : "\tPHENO1\tMISSING_CT\tOBS_CT\tF_MISS\n";
  tables.missing_rate.resize(data.sample_ct());
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    append_ids(text, data, i);
    if (!pheno_missing.empty()) text += pheno_missing[data.samples.uidx(i)] ? "\tY" : "\tN";
    append_count(text, samples.missing_ct[i]);
    append_count(text, samples.obs_ct[i]);
    append_ratio(text, samples.missing_ct[i], samples.obs_ct[i]);
    text.push_back('\n');
    tables.missing_rate[i] =
        samples.obs_ct[i] ? static_cast<double>(samples.missing_ct[i]) / samples.obs_ct[i] : kNan;
  }
  smiss.write(text);
}

void append_variant_alleles(std::string& line, const Variant& var) {
  line += chromosome_name(var.chrom_code, var.chrom);
  line.push_back('\t');
  line += var.id;
  line.push_back('\t');
  line += allele_text(var.allele2);
  line.push_back('\t');
  line += allele_text(var.allele1);
}

void append_het_fractions(std::string& line, const GenotypeCounts& c) {
  const double n = c.called();
  append_ratio(line, c.het, n);
  const double p = n > 0 ? (2.0 * c.hom2 + c.het) / (2.0 * n) : 0.0;
  line.push_back('\t');
  append_g6(line, n > 0 ? 2.0 * p * (1.0 - p) : 0.0);
}

// As genomap hardy (without --midp): .hardy for diploid chromosomes, .hardy.x for chrX, haploid ones skipped.
void write_hardy(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  bool any_x = false, any_diploid = false;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    const auto ploidy = chromosome_ploidy(data.variant(v).chrom_code);
    any_x = any_x || ploidy == ChromosomePloidy::X;
    any_diploid = any_diploid || ploidy == ChromosomePloidy::Diploid;
  }
  tables.hwe_p.assign(data.variant_ct(), kNan);
  if (!any_x && !any_diploid) return;
  OutputFile* hardy = any_diploid ? &outputs.open(".hardy") : nullptr;
  OutputFile* hardy_x = any_x ? &outputs.open(".hardy.x") : nullptr;
  if (hardy) hardy->write("#CHROM\tID\tA1\tAX\tHOM_A1_CT\tHET_A1_CT\tTWO_AX_CT\tO(HET_A1)\tE(HET_A1)\tP\n");
  if (hardy_x)
    hardy_x->write(
        "#CHROM\tID\tA1\tAX\tFEMALE_HOM_A1_CT\tFEMALE_HET_A1_CT\tFEMALE_TWO_AX_CT\tMALE_A1_CT\tMALE_AX_CT\t"
        "O(FEMALE_HET_A1)\tE(FEMALE_HET_A1)\tFEMALE_A1_FREQ\tMALE_A1_FREQ\tP\n");
  std::string text, text_x;
  compute_hardy_weinberg(data, ctx, false, [&](std::size_t first, std::span<const HardyResult> rows) {
    text.clear();
    text_x.clear();
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const HardyResult& r = rows[k];
      const Variant& var = data.variant(first + k);
      const GenotypeCounts& c = r.diploid;
      if (r.ploidy != ChromosomePloidy::Diploid && r.ploidy != ChromosomePloidy::X) continue;
      tables.hwe_p[first + k] = r.p;
      std::string& t = r.ploidy == ChromosomePloidy::Diploid ? text : text_x;
      append_variant_alleles(t, var);
      append_count(t, c.hom2);
      append_count(t, c.het);
      append_count(t, c.hom1);
      if (r.ploidy == ChromosomePloidy::X) {
        append_count(t, r.male.hom2);
        append_count(t, r.male.hom1);
      }
      append_het_fractions(t, c);
      if (r.ploidy == ChromosomePloidy::X) {
        append_ratio(t, 2.0 * c.hom2 + c.het, 2.0 * c.called());
        append_ratio(t, r.male.hom2, static_cast<double>(r.male.hom1) + r.male.hom2);
      }
      t.push_back('\t');
      append_g6(t, r.p);
      t.push_back('\n');
    }
    if (hardy) hardy->write(text);
    if (hardy_x) hardy_x->write(text_x);
  });
  for (double p : tables.hwe_p) tables.hwe_tested += !std::isnan(p);
}

void write_het(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  const HeterozygosityResult result = compute_heterozygosity(data, ctx);
  tables.het_f.assign(data.sample_ct(), kNan);
  if (result.variants_used == 0) {
    ctx.note("het: no polymorphic autosomal variants; no .het written");
    return;
  }
  std::string text = "#FID\tIID\tO(HOM)\tE(HOM)\tOBS_CT\tF\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const SampleHeterozygosity& s = result.samples[i];
    append_ids(text, data, i);
    append_count(text, s.observed_hom);
    text.push_back('\t');
    append_g6(text, s.expected_hom);
    append_count(text, s.obs_ct);
    text.push_back('\t');
    append_g6(text, s.f());
    text.push_back('\n');
    tables.het_f[i] = s.f();
  }
  outputs.open(".het").write(text);
}

}  // namespace

QcTables write_qc_tables(const Dataset& data, OutputSet& outputs, const Context& ctx) {
  QcTables tables;
  write_missingness(data, outputs, ctx, tables);
  write_hardy(data, outputs, ctx, tables);
  write_het(data, outputs, ctx, tables);
  return tables;
}

void write_prune_lists(const Dataset& data, const PruneResult& result, OutputSet& outputs) {
  std::string in, out;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    if (result.status[v] == PruneStatus::Kept) in += data.variant(v).id + "\n";
    else if (result.status[v] == PruneStatus::Removed) out += data.variant(v).id + "\n";
  }
  outputs.open(".prune.in").write(in);
  outputs.open(".prune.out").write(out);
}

std::vector<KinshipPair> kinship_pairs_at_least(const Dataset& data, double keep_min, std::FILE* kin0,
                                                std::size_t background_ct, const Context& ctx) {
  std::vector<KinshipPair> pairs;
  const std::size_t n = data.sample_ct();
  const std::size_t pair_ct = n * (n - 1) / 2;
  const std::size_t every = background_ct ? std::max<std::size_t>(1, pair_ct / background_ct) : 0;
  std::size_t pair_index = 0;
  fmt::print(kin0, "#FID1\tIID1\tFID2\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP\n");
  const KingPlan plan = plan_king(data, ctx);
  std::string line;
  char number[32];
  auto put_g6 = [&](double v) {
    line.push_back('\t');
    line.append(number, write_g6(number, v));
  };
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    for (std::size_t j = band.row_begin; j < band.row_end; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        const KingPairCounts& c = band.at(j, i);
        const double kinship = king_kinship(c);
        const bool background = every && pair_index++ % every == 0;
        if (!(kinship >= keep_min)) {
          if (background) pairs.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), c, false});
          continue;
        }
        pairs.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), c, true});
        line.clear();
        append_ids(line, data, j);
        line.push_back('\t');
        append_ids(line, data, i);
        line.push_back('\t');
        line.append(number, write_u32(number, c.nsnp));
        put_g6(c.nsnp ? static_cast<double>(c.hethet) / c.nsnp : kNan);
        put_g6(c.nsnp ? static_cast<double>(c.ibs0) / c.nsnp : kNan);
        put_g6(kinship);
        line.push_back('\n');
        fmt::print(kin0, "{}", line);
      }
    }
  });
  return pairs;
}

void write_sample_list(std::FILE* out, const Dataset& data, const std::vector<bool>& removed, bool want_removed) {
  fmt::print(out, "#FID\tIID\n");
  for (std::size_t s = 0; s < data.sample_ct(); ++s)
    if (removed[s] == want_removed) fmt::print(out, "{}\t{}\n", data.sample(s).fid, data.sample(s).iid);
}

void write_admixture_matrix(OutputFile& out, const RowMatrix& m) {
  std::string text;
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) text += fmt::format("{}{:.6f}", c ? " " : "", m(r, c));
    text.push_back('\n');
  }
  out.write(text);
}

void write_fst_summary(std::FILE* out, const FstResult& result, const PopulationAssignment& pops,
                       const FstOptions& options) {
  const char* column = options.method == FstMethod::WeirCockerham ? "WC_FST" : "HUDSON_FST";
  fmt::print(out, "#POP1\tPOP2\t{}{}\n", column, options.block_size ? "\tSE" : "");
  for (const auto& pair : result.pairs) {
    fmt::print(out, "{}\t{}\t{:.6g}", pops.names[pair.pop1], pops.names[pair.pop2], pair.fst);
    if (options.block_size) fmt::print(out, "\t{:.6g}", pair.se);
    fmt::print(out, "\n");
  }
}

void write_statistic_table(std::FILE* out, const std::vector<StatisticResult>& results,
                           const PopulationAssignment& pops) {
  auto value = [](double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : std::string("nan"); };
  fmt::print(out, "#STATISTIC\tPOP1\tPOP2\tPOP3\tPOP4\tVALUE\tSE\tZ\tN_SNPS\tN_BLOCKS\n");
  for (const auto& r : results) {
    const std::size_t k = population_count(r.request.kind);
    fmt::print(out, "{}", statistic_name(r.request.kind));
    for (std::size_t i = 0; i < std::max<std::size_t>(k, 4); ++i)
      fmt::print(out, "\t{}", i < k ? pops.names[r.request.pops[i]] : ".");
    fmt::print(out, "\t{}\t{}\t{}\t{}\t{}\n", value(r.value), value(r.se), value(r.z), r.snp_ct, r.block_ct);
  }
}

}  // namespace genomap
