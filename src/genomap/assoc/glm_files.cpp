#include "genomap/assoc/glm_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genomap/assoc/multiple_testing.hpp"
#include "genomap/core/error.hpp"
#include "genomap/geno/sample_table_file.hpp"
#include "genomap/qc/qc_files.hpp"

namespace genomap {
namespace {

// Values of the dataset's selected samples, in sample_idx order.
std::vector<double> select_samples(const Dataset& data, const std::vector<double>& by_uidx) {
  std::vector<double> out(data.sample_ct());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = by_uidx[data.samples.uidx(i)];
  return out;
}

void note_unknown(const Context& ctx, const SampleColumns& cols) {
  if (cols.unknown_ct == 0) return;
  ctx.note(
      fmt::format("warning: {} rows of {} name samples not in the fileset (first: {}); ignored, as plink2 "
                  "does",
                  cols.unknown_ct, cols.path, cols.first_unknown));
}

std::string fmt_num(double v) { return std::isnan(v) ? "NA" : fmt::format("{:.6g}", v); }

std::string tested_allele(const Variant& var, bool a1_is_ref) {
  return a1_is_ref ? var.allele2 : var.allele1 == "0" ? "." : var.allele1;
}

// The .adjusted table of one phenotype (plink2 --adjust).
void write_adjusted(OutputSet& outputs, const std::string& suffix, const Dataset& data,
                    const GlmPhenotypeResult& res, const std::vector<double>& p_values, const Context& ctx) {
  AdjustedPValues adj = adjust_p_values(p_values);
  std::FILE* fa = outputs.open(suffix + ".adjusted").stream();
  fmt::print(fa, "#CHROM\tID\tA1\tUNADJ\tGC\tBONF\tHOLM\tSIDAK_SS\tSIDAK_SD\tFDR_BH\tFDR_BY\n");
  for (std::size_t i = 0; i < adj.order.size(); ++i) {
    const Variant& var = data.variant(adj.order[i]);
    fmt::print(fa, "{}\t{}\t{}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\n",
               plink2_chromosome_text(var), var.id, tested_allele(var, res.variants[adj.order[i]].a1_is_ref),
               adj.unadjusted[i], adj.gc[i], adj.bonferroni[i], adj.holm[i], adj.sidak_single_step[i],
               adj.sidak_step_down[i], adj.fdr_bh[i], adj.fdr_by[i]);
  }
  ctx.note(fmt::format("phenotype {}: --adjust genomic control lambda used = {:.6g}", res.name, adj.lambda));
}

}  // namespace

std::vector<GlmPhenotype> read_glm_phenotypes(const std::string& path, const std::vector<std::string>& names,
                                              const Dataset& data, bool require_binary, const Context& ctx) {
  SampleColumns pheno = read_sample_columns(path, data.store->samples(), names);
  note_unknown(ctx, pheno);
  std::vector<GlmPhenotype> phenotypes;
  for (std::size_t c = 0; c < pheno.names.size(); ++c) {
    GlmPhenotype p;
    p.name = pheno.names[c];
    p.source = path;
    BinaryCoding coding = detect_binary(pheno.values[c]);
    if (require_binary && coding == BinaryCoding::NotBinary)
      throw Error(path, 0,
                  "--binary: phenotype " + p.name + " has values other than 1/2 (or 0/1) and missing");
    p.binary = coding != BinaryCoding::NotBinary;
    p.values = select_samples(data, p.binary ? recode_binary(pheno.values[c], coding) : pheno.values[c]);
    ctx.note(fmt::format("phenotype {}: {}", p.name,
                         !p.binary                        ? "quantitative (linear regression)"
                         : coding == BinaryCoding::OneTwo ? "case/control coded 1/2 (logistic regression)"
                                                          : "case/control coded 0/1 (logistic regression)"));
    phenotypes.push_back(std::move(p));
  }
  return phenotypes;
}

GlmCovariates read_glm_covariates(const std::string& path, const std::vector<std::string>& names,
                                  const Dataset& data, const Context& ctx) {
  SampleColumns cov = read_sample_columns(path, data.store->samples(), names);
  note_unknown(ctx, cov);
  GlmCovariates covariates;
  covariates.source = path;
  covariates.names = cov.names;
  for (const auto& col : cov.values) covariates.values.push_back(select_samples(data, col));
  ctx.note(fmt::format("{} covariates: {}", cov.names.size(), fmt::join(cov.names, " ")));
  return covariates;
}

void add_principal_component_covariates(GlmCovariates& covariates,
                                        const std::vector<std::vector<double>>& columns) {
  for (std::size_t k = 0; k < columns.size(); ++k) {
    std::string name = "PC" + std::to_string(k + 1);
    if (std::find(covariates.names.begin(), covariates.names.end(), name) != covariates.names.end())
      throw Error(covariates.source, 0, "--covar-pcs: the covariate file already has a column " + name);
    covariates.values.push_back(columns[k]);
    covariates.names.push_back(std::move(name));
  }
}

std::string glm_table_suffix(const GlmPhenotypeResult& res, FirthMode firth) {
  const std::string model = res.binary ? (firth == FirthMode::Fallback ? ".glm.logistic.hybrid"
                                          : firth == FirthMode::Always ? ".glm.firth"
                                                                       : ".glm.logistic")
                                       : ".glm.linear";
  return "." + res.name + model;
}

GlmSummaryRow write_glm_tables(OutputSet& outputs, const Dataset& data, const GlmPhenotypeResult& res,
                               FirthMode firth, bool adjust, const Context& ctx) {
  const std::string suffix = glm_table_suffix(res, firth);
  std::FILE* f = outputs.open(suffix).stream();
  const bool firth_col = res.binary && firth == FirthMode::Fallback;
  fmt::print(f, "#CHROM\tPOS\tID\tREF\tALT\tA1\t{}TEST\tOBS_CT\t{}\t{}\t{}\tP\tERRCODE\n",
             firth_col ? "FIRTH?\t" : "", res.binary ? "OR" : "BETA", res.binary ? "LOG(OR)_SE" : "SE",
             res.binary ? "Z_STAT" : "T_STAT");
  std::vector<double> p_values(res.variants.size(), std::nan(""));
  GlmSummaryRow row{res.name, res.binary ? "logistic" : "linear", res.sample_ct, res.case_ct, 0, 0, 0, 0};
  for (std::size_t v = 0; v < res.variants.size(); ++v) {
    const Variant& var = data.variant(v);
    const GlmVariantResult& r = res.variants[v];
    const std::string alt = var.allele1 == "0" ? "." : var.allele1;
    fmt::print(f, "{}\t{}\t{}\t{}\t{}\t{}\t", plink2_chromosome_text(var), var.pos, var.id, var.allele2, alt,
               tested_allele(var, r.a1_is_ref));
    if (firth_col) fmt::print(f, "{}\t", r.firth ? "Y" : "N");
    if (r.has_values()) {
      p_values[v] = r.p;
      fmt::print(f, "ADD\t{}\t{}\t{}\t{}\t{}\t{}\n", r.obs_ct,
                 fmt_num(res.binary ? std::exp(r.beta) : r.beta), fmt_num(r.se), fmt_num(r.stat),
                 fmt_num(r.p), glm_errcode_text(r.error));
    } else {
      fmt::print(f, "ADD\t{}\tNA\tNA\tNA\tNA\t{}\n", r.obs_ct, glm_errcode_text(r.error));
    }
    row.tested += r.has_values();
    row.firth += r.firth && r.has_values();
    row.errcode += !r.has_values();
  }
  row.lambda = genomic_inflation(p_values);
  ctx.note(
      fmt::format("phenotype {}: {} variants tested{}, {} not (ERRCODE); genomic inflation lambda "
                  "(median chisq / 0.456) = {:.6g}",
                  res.name, row.tested, res.binary ? fmt::format(" ({} by Firth regression)", row.firth) : "",
                  row.errcode, row.lambda));
  ctx.note(fmt::format("lambda_gc {} {:.6g}", res.name, row.lambda));
  if (adjust) write_adjusted(outputs, suffix, data, res, p_values, ctx);
  return row;
}

void write_glm_summary(std::FILE* f, const std::vector<GlmSummaryRow>& rows) {
  fmt::print(f, "#PHENO\tMODEL\tOBS_CT\tCASE_CT\tTESTED_CT\tFIRTH_CT\tERRCODE_CT\tLAMBDA_GC\n");
  for (const auto& r : rows)
    fmt::print(f, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.name, r.model, r.samples,
               r.model == "logistic" ? std::to_string(r.cases) : std::string("NA"), r.tested, r.firth,
               r.errcode, fmt_num(r.lambda));
}

}  // namespace genomap
