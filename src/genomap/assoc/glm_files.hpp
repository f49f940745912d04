// The files of an association study as plink2 --glm reads and writes them: phenotype and covariate tables
// (--pheno/--covar, read as plink2 reads them) turned into the inputs of run_glm, and the result tables
// (PREFIX.PHENO.glm.linear / .glm.logistic(.hybrid) / .glm.firth, their .adjusted, PREFIX.glm.summary).
// Shared by `genomap glm` and the GWAS step of `genomap analyze`, so both write the same bytes.
#pragma once
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/assoc/glm.hpp"
#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap {

// The columns `names` (all when empty) of a phenotype table, one GlmPhenotype each over the selected samples
// of `data`. Case/control columns (1/2 or 0/1) are logistic, others linear, as plink2 decides;
// `require_binary` (glm --binary) makes a quantitative column an Error. Logs the model of each and rows
// naming samples outside the fileset.
std::vector<GlmPhenotype> read_glm_phenotypes(const std::string& path, const std::vector<std::string>& names,
                                              const Dataset& data, bool require_binary, const Context& ctx);

// The columns `names` (all when empty) of a covariate table over the selected samples of `data`.
GlmCovariates read_glm_covariates(const std::string& path, const std::vector<std::string>& names,
                                  const Dataset& data, const Context& ctx);

// Appends `columns` (one value per selected sample) as covariates PC1..PCn; an Error when the covariate file
// already has a column of one of those names.
void add_principal_component_covariates(GlmCovariates& covariates,
                                        const std::vector<std::vector<double>>& columns);

// One row of PREFIX.glm.summary.
struct GlmSummaryRow {
  std::string name, model;
  std::size_t samples = 0, cases = 0, tested = 0, firth = 0, errcode = 0;
  double lambda = 0;  // genomic inflation of the P column
};

// The file name suffix of a phenotype's table: ".PHENO.glm.linear", ".PHENO.glm.logistic.hybrid", ...
std::string glm_table_suffix(const GlmPhenotypeResult& result, FirthMode firth);

// Writes the phenotype's table (and with `adjust` its .adjusted table) into `outputs`; logs the counts and
// lambda.
GlmSummaryRow write_glm_tables(OutputSet& outputs, const Dataset& data, const GlmPhenotypeResult& result,
                               FirthMode firth, bool adjust, const Context& ctx);

void write_glm_summary(std::FILE* f, const std::vector<GlmSummaryRow>& rows);

}  // namespace genomap
