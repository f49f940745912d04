// genomap glm: per-variant association tests as plink2 --glm (.glm.linear, .glm.logistic.hybrid, --adjust).
#include "genomap/assoc/glm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "command_registry.hpp"
#include "genomap/assoc/multiple_testing.hpp"
#include "genomap/core/error.hpp"
#include "genomap/geno/sample_table_file.hpp"
#include "genomap/pca/pca.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct GlmCommandOptions {
  InputOptions input;
  std::string pheno_file;
  std::vector<std::string> pheno_names;
  std::string covar_file;
  std::vector<std::string> covar_names;
  bool binary = false;
  bool adjust = false;
  bool firth = false, firth_fallback = false, no_firth = false;
  double vif = 50.0, max_corr = 0.999;
  bool omit_ref = false;
  std::size_t covar_pcs = 0;
};

// Values of the dataset's selected samples, in sample_idx order.
std::vector<double> select_samples(const Dataset& data, const std::vector<double>& by_uidx) {
  std::vector<double> out(data.sample_ct());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = by_uidx[data.samples.uidx(i)];
  return out;
}

void note_unknown(Invocation& inv, const SampleColumns& cols) {
  if (cols.unknown_ct == 0) return;
  inv.log().note(
      fmt::format("warning: {} rows of {} name samples not in the fileset (first: {}); ignored, as plink2 "
                  "does",
                  cols.unknown_ct, cols.path, cols.first_unknown));
}

std::string fmt_num(double v) { return std::isnan(v) ? "NA" : fmt::format("{:.6g}", v); }

// One row of PREFIX.glm.summary per phenotype.
struct SummaryRow {
  std::string name, model;
  std::size_t samples = 0, cases = 0, tested = 0, firth = 0, errcode = 0;
  double lambda = 0;
};

SummaryRow write_results(Invocation& inv, const Dataset& data, const GlmPhenotypeResult& res, FirthMode firth,
                         bool adjust) {
  std::string suffix = res.binary ? (firth == FirthMode::Fallback ? ".glm.logistic.hybrid"
                                     : firth == FirthMode::Always ? ".glm.firth"
                                                                  : ".glm.logistic")
                                  : ".glm.linear";
  suffix = "." + res.name + suffix;
  OutputFile& out = inv.outputs().open(suffix);
  std::FILE* f = out.stream();
  const bool firth_col = res.binary && firth == FirthMode::Fallback;
  fmt::print(f, "#CHROM\tPOS\tID\tREF\tALT\tA1\t{}TEST\tOBS_CT\t{}\t{}\t{}\tP\tERRCODE\n",
             firth_col ? "FIRTH?\t" : "", res.binary ? "OR" : "BETA", res.binary ? "LOG(OR)_SE" : "SE",
             res.binary ? "Z_STAT" : "T_STAT");
  std::vector<double> p_values(res.variants.size(), std::nan(""));
  for (std::size_t v = 0; v < res.variants.size(); ++v) {
    const Variant& var = data.variant(v);
    const GlmVariantResult& r = res.variants[v];
    const std::string alt = var.allele1 == "0" ? "." : var.allele1;
    fmt::print(f, "{}\t{}\t{}\t{}\t{}\t{}\t", var.chrom, var.pos, var.id, var.allele2, alt,
               r.a1_is_ref ? var.allele2 : alt);
    if (firth_col) fmt::print(f, "{}\t", r.firth ? "Y" : "N");
    if (r.has_values()) {
      p_values[v] = r.p;
      fmt::print(f, "ADD\t{}\t{}\t{}\t{}\t{}\t{}\n", r.obs_ct,
                 fmt_num(res.binary ? std::exp(r.beta) : r.beta), fmt_num(r.se), fmt_num(r.stat),
                 fmt_num(r.p), glm_errcode_text(r.error));
    } else {
      fmt::print(f, "ADD\t{}\tNA\tNA\tNA\tNA\t{}\n", r.obs_ct, glm_errcode_text(r.error));
    }
  }
  std::size_t tested = 0, firth_ct = 0, failed = 0;
  for (const auto& r : res.variants) {
    tested += r.has_values();
    firth_ct += r.firth && r.has_values();
    failed += !r.has_values();
  }
  const double lambda = genomic_inflation(p_values);
  inv.log().note(
      fmt::format("phenotype {}: {} variants tested{}, {} not (ERRCODE); genomic inflation lambda "
                  "(median chisq / 0.456) = {:.6g}",
                  res.name, tested, res.binary ? fmt::format(" ({} by Firth regression)", firth_ct) : "",
                  failed, lambda));
  inv.log().note(fmt::format("lambda_gc {} {:.6g}", res.name, lambda));
  SummaryRow row{
      res.name, res.binary ? "logistic" : "linear", res.sample_ct, res.case_ct, tested, firth_ct, failed,
      lambda};
  if (!adjust) return row;
  AdjustedPValues adj = adjust_p_values(p_values);
  OutputFile& out_adj = inv.outputs().open(suffix + ".adjusted");
  std::FILE* fa = out_adj.stream();
  fmt::print(fa, "#CHROM\tID\tA1\tUNADJ\tGC\tBONF\tHOLM\tSIDAK_SS\tSIDAK_SD\tFDR_BH\tFDR_BY\n");
  for (std::size_t i = 0; i < adj.order.size(); ++i) {
    const Variant& var = data.variant(adj.order[i]);
    const bool ref = res.variants[adj.order[i]].a1_is_ref;
    fmt::print(fa, "{}\t{}\t{}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\n", var.chrom,
               var.id,
               ref                  ? var.allele2
               : var.allele1 == "0" ? "."
                                    : var.allele1,
               adj.unadjusted[i], adj.gc[i], adj.bonferroni[i], adj.holm[i], adj.sidak_single_step[i],
               adj.sidak_step_down[i], adj.fdr_bh[i], adj.fdr_by[i]);
  }
  inv.log().note(
      fmt::format("phenotype {}: --adjust genomic control lambda used = {:.6g}", res.name, adj.lambda));
  return row;
}

void run_glm_command(const GlmCommandOptions& o, Invocation& inv) {
  if (int(o.firth) + int(o.firth_fallback) + int(o.no_firth) > 1)
    throw Error("--firth, --firth-fallback and --no-firth exclude each other");
  Dataset data = inv.load_dataset(o.input);
  const SampleTable& fam = data.store->samples();
  SampleColumns pheno = read_sample_columns(o.pheno_file, fam, o.pheno_names);
  inv.log().add_input(o.pheno_file);
  note_unknown(inv, pheno);
  std::vector<GlmPhenotype> phenotypes;
  for (std::size_t c = 0; c < pheno.names.size(); ++c) {
    GlmPhenotype p;
    p.name = pheno.names[c];
    p.source = o.pheno_file;
    BinaryCoding coding = detect_binary(pheno.values[c]);
    if (o.binary && coding == BinaryCoding::NotBinary)
      throw Error(o.pheno_file, 0,
                  "--binary: phenotype " + p.name + " has values other than 1/2 (or 0/1) and missing");
    p.binary = coding != BinaryCoding::NotBinary;
    p.values = select_samples(data, p.binary ? recode_binary(pheno.values[c], coding) : pheno.values[c]);
    inv.log().note(fmt::format("phenotype {}: {}", p.name,
                               !p.binary ? "quantitative (linear regression)"
                               : coding == BinaryCoding::OneTwo
                                   ? "case/control coded 1/2 (logistic regression)"
                                   : "case/control coded 0/1 (logistic regression)"));
    phenotypes.push_back(std::move(p));
  }
  GlmCovariates covariates;
  if (!o.covar_file.empty()) {
    SampleColumns cov = read_sample_columns(o.covar_file, fam, o.covar_names);
    inv.log().add_input(o.covar_file);
    note_unknown(inv, cov);
    covariates.source = o.covar_file;
    covariates.names = cov.names;
    for (const auto& col : cov.values) covariates.values.push_back(select_samples(data, col));
    inv.log().note(fmt::format("{} covariates: {}", cov.names.size(), fmt::join(cov.names, " ")));
  } else if (!o.covar_names.empty()) {
    throw Error("--covar-name needs --covar");
  }
  if (o.covar_pcs > 0) {
    // The top principal components of the analysed samples' genotypes as extra covariates PC1..PCN, as plink2
    // users add the .eigenvec of --pca (run_pca: plink2 --pca conventions, autosomes only).
    if (o.covar_pcs >= data.sample_ct())
      throw Error(fmt::format("--covar-pcs {}: needs fewer components than the {} samples", o.covar_pcs,
                              data.sample_ct()));
    PcaOptions pca_options;
    pca_options.components = o.covar_pcs;
    const PcaResult pca = run_pca(data, pca_options, inv.context());
    inv.log().phase_done("principal components");
    std::vector<std::string> pc_names;
    for (std::size_t k = 0; k < o.covar_pcs; ++k) {
      std::string name = "PC" + std::to_string(k + 1);
      if (std::find(covariates.names.begin(), covariates.names.end(), name) != covariates.names.end())
        throw Error(o.covar_file, 0, "--covar-pcs: the covariate file already has a column " + name);
      const auto col = pca.sample_scores.col(static_cast<Eigen::Index>(k));
      covariates.values.emplace_back(col.data(), col.data() + col.size());
      covariates.names.push_back(name);
      pc_names.push_back(std::move(name));
    }
    if (covariates.source.empty()) covariates.source = "--covar-pcs";
    inv.log().note(
        fmt::format("--covar-pcs {}: covariates {} ({} PCA, eigenvalues {:.6g})", o.covar_pcs,
                    fmt::join(pc_names, " "), pca.randomized ? "randomized" : "exact",
                    fmt::join(std::vector<double>(pca.eigenvalues.begin(), pca.eigenvalues.end()), " ")));
  }
  GlmOptions options;
  options.firth = o.firth ? FirthMode::Always : o.no_firth ? FirthMode::Never : FirthMode::Fallback;
  options.vif_threshold = o.vif;
  options.max_corr = o.max_corr;
  options.omit_ref = o.omit_ref;
  auto results = run_glm(data, phenotypes, covariates, options, inv.context());
  inv.log().phase_done("regressions");
  std::vector<SummaryRow> summary;
  for (const auto& r : results) summary.push_back(write_results(inv, data, r, options.firth, o.adjust));
  std::FILE* fs = inv.outputs().open(".glm.summary").stream();
  fmt::print(fs, "#PHENO\tMODEL\tOBS_CT\tCASE_CT\tTESTED_CT\tFIRTH_CT\tERRCODE_CT\tLAMBDA_GC\n");
  for (const auto& r : summary)
    fmt::print(fs, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.name, r.model, r.samples,
               r.model == "logistic" ? std::to_string(r.cases) : std::string("NA"), r.tested, r.firth,
               r.errcode, fmt_num(r.lambda));
  inv.log().phase_done("write results");
}

const bool registered = register_command(
    {"glm", "Association tests: linear / logistic-Firth regression (.glm.*)",
     [](CLI::App& app) {
       auto o = std::make_shared<GlmCommandOptions>();
       add_input_options(app, o->input);
       app.add_option("--pheno", o->pheno_file, "Phenotype file (#FID IID ... or IID ...; NA/-9 missing)")
           ->required();
       app.add_option("--pheno-name", o->pheno_names, "Phenotype columns to test (default: all)")
           ->delimiter(',');
       app.add_option("--covar", o->covar_file, "Covariate file (same format)");
       app.add_option("--covar-name", o->covar_names, "Covariate columns to use (default: all)")
           ->delimiter(',');
       app.add_flag("--binary", o->binary, "Require every phenotype to be case/control (1/2 or 0/1)");
       app.add_flag("--adjust", o->adjust,
                    "Also write .adjusted files (genomic control, Bonferroni, Holm, Sidak, BH, BY)");
       app.add_flag("--firth", o->firth, "Firth regression for every variant of a case/control phenotype");
       app.add_flag("--firth-fallback", o->firth_fallback,
                    "Logistic regression, Firth where it fails (default)");
       app.add_flag("--no-firth", o->no_firth, "Logistic regression only");
       app.add_flag("--omit-ref", o->omit_ref, "Always test ALT (default, as plink2: the minor allele)");
       app.add_option(
           "--covar-pcs", o->covar_pcs,
           "Add the top N principal components of the genotypes (plink2 --pca) as covariates PC1..PCN");
       app.add_option("--vif", o->vif, "Variance inflation factor limit (plink2 --vif)")
           ->capture_default_str();
       app.add_option("--max-corr", o->max_corr, "Predictor correlation limit (plink2 --max-corr)")
           ->capture_default_str();
       return Runner([o](Invocation& inv) { run_glm_command(*o, inv); });
     },
     60});

}  // namespace
}  // namespace genomap::cli
