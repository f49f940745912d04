// Per-variant association tests as plink2 --glm: linear regression for quantitative phenotypes, logistic
// regression for case/control phenotypes with a Firth-penalized fallback (plink2's firth-fallback), both with
// covariates and the allele-1 (ALT) dosage as the tested predictor. Several phenotypes share one pass over the
// genotypes. Samples missing the phenotype or a covariate are dropped for that phenotype; samples missing the
// genotype are dropped for that variant (as plink2 does with hard calls).
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

struct GlmPhenotype {
  std::string name;
  std::string source;           // file it came from, for error messages
  std::vector<double> values;   // per selected sample (sample_idx); NaN missing; binary: 0 control, 1 case
  bool binary = false;
};

struct GlmCovariates {
  std::string source;
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // [covariate][sample_idx], NaN missing
};

enum class FirthMode { Fallback, Always, Never };

struct GlmOptions {
  FirthMode firth = FirthMode::Fallback;
  double max_corr = 0.999;      // plink2 --max-corr
  double vif_threshold = 50.0;  // plink2 --vif
  std::size_t block_variants = 0;  // 0: chosen from the memory budget
  // plink2 tests the minor allele: A1 is ALT unless ALT frequency >= 0.5 among the samples (then A1 = REF).
  // `omit_ref` (plink2's modifier of that name) always tests ALT.
  bool omit_ref = false;
};

// plink2's ERRCODE column values.
enum class GlmErrcode {
  None,
  ConstOmittedAllele,
  SampleCtLtePredictorCt,
  CorrTooHigh,
  VifInfinite,
  VifTooHigh,
  Separation,
  LogisticConvergeFail,
  FirthConvergeFail,
  Unfinished,
};
const char* glm_errcode_text(GlmErrcode code);

struct GlmVariantResult {
  double beta = std::numeric_limits<double>::quiet_NaN();  // log-odds for logistic
  double se = std::numeric_limits<double>::quiet_NaN();
  double stat = std::numeric_limits<double>::quiet_NaN();  // T_STAT or Z_STAT
  double p = std::numeric_limits<double>::quiet_NaN();
  std::uint32_t obs_ct = 0;
  GlmErrcode error = GlmErrcode::None;
  bool firth = false;
  bool a1_is_ref = false;  // the tested allele is REF (allele 2), ALT being the major allele
  // Whether BETA/SE/P are reported (plink2 prints them for no error and for UNFINISHED).
  bool has_values() const { return error == GlmErrcode::None || error == GlmErrcode::Unfinished; }
};

struct GlmPhenotypeResult {
  std::string name;
  bool binary = false;
  std::size_t sample_ct = 0;        // samples with phenotype and all covariates
  std::size_t case_ct = 0;          // binary only
  std::vector<GlmVariantResult> variants;  // one per selected variant
};

// Runs every phenotype over one pass of the genotypes. Throws Error (naming the phenotype or covariate file)
// for a constant phenotype, a case/control phenotype without cases or controls, a constant or collinear
// covariate, or no more samples than predictors.
std::vector<GlmPhenotypeResult> run_glm(const Dataset& data, const std::vector<GlmPhenotype>& phenotypes,
                                        const GlmCovariates& covariates, const GlmOptions& options,
                                        const Context& ctx);

}  // namespace genomap
