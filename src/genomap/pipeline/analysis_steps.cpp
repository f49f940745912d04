#include "genomap/pipeline/analysis_steps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "genomap/admix/admixture.hpp"
#include "genomap/admix/cluster_alignment.hpp"
#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/pca/pca.hpp"
#include "genomap/pca/pca_files.hpp"
#include "genomap/pca/projection.hpp"
#include "genomap/pipeline/step_files.hpp"
#include "genomap/popstats/jackknife.hpp"
#include "genomap/popstats/population_counts.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/relate/unrelated_set.hpp"

namespace genomap {

using nlohmann::json;

Dataset dataset_view(std::shared_ptr<const GenotypeStore> store,
                     const std::vector<std::uint32_t>& sample_uidx,
                     const std::vector<std::uint32_t>& variant_uidx) {
  Dataset d;
  d.samples = SampleView(store->sample_ct(), sample_uidx);
  d.variant_uidx = variant_uidx;
  d.store = std::move(store);
  return d;
}

namespace {

json matrix_columns(const Eigen::MatrixXd& m) {
  json cols = json::array();
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    std::vector<double> col(static_cast<std::size_t>(m.rows()));
    for (Eigen::Index r = 0; r < m.rows(); ++r) col[static_cast<std::size_t>(r)] = m(r, c);
    cols.push_back(col);
  }
  return cols;
}

}  // namespace

json qc_step(std::shared_ptr<const GenotypeStore> store, const FilterOptions& filters, OutputSet& outputs,
             const Context& ctx) {
  FilterOptions selection = filters;
  selection.min_maf.reset();
  selection.max_variant_missing.reset();
  selection.max_sample_missing.reset();
  selection.min_hwe_p.reset();
  const Dataset selected = apply_filters(store, selection, ctx);
  const QcTables tables = write_qc_tables(selected, outputs, ctx);
  FilterCounts counts;
  const Dataset kept = apply_filters(store, filters, ctx, &counts);
  std::size_t hwe_failed = 0;
  if (filters.min_hwe_p)
    for (double p : tables.hwe_p) hwe_failed += p < *filters.min_hwe_p;
  return {{"selected_sample_uidx", selected.samples.uidx_list()},
          {"selected_variant_ct", selected.variant_ct()},
          {"sample_uidx", kept.samples.uidx_list()},
          {"variant_uidx", kept.variant_uidx},
          {"missing_rate", tables.missing_rate},
          {"het_f", tables.het_f},
          {"hwe_failed", hwe_failed},
          {"removed",
           {{"mind", counts.mind_removed},
            {"geno", counts.geno_removed},
            {"hwe", counts.hwe_removed},
            {"maf", counts.maf_removed}}}};
}

json prune_step(const Dataset& qc, OutputSet& outputs, const Context& ctx) {
  const PruneOptions options;  // --indep-pairwise 50 5 0.2
  const PruneResult r = indep_pairwise(qc, options, ctx);
  ctx.note(
      fmt::format("prune (--indep-pairwise 50 5 0.2): {} of {} variants kept", r.kept_ct, qc.variant_ct()));
  write_prune_lists(qc, r, outputs);
  std::vector<std::uint32_t> kept;
  for (std::size_t v = 0; v < qc.variant_ct(); ++v)
    if (r.status[v] == PruneStatus::Kept) kept.push_back(qc.variant_uidx[v]);
  if (kept.empty()) throw Error("no variants left after LD pruning");
  return {{"variant_uidx", kept}};
}

json kinship_step(const Dataset& qc, double cutoff, double report_min, OutputSet& outputs,
                  const Context& ctx) {
  std::size_t excluded = 0;
  const Dataset data = king_variants(qc, &excluded);
  if (data.sample_ct() < 2) throw Error("KING kinship needs at least 2 samples");
  if (excluded) ctx.note(fmt::format("kinship: {} variants on X, Y and MT left out", excluded));
  // Every pair at or above the lower kinship bound of the third degree, and about 2,000 others as the
  // background of the report's scatter.
  const auto pairs =
      kinship_pairs_at_least(data, std::min(report_min, cutoff), outputs.open(".kin0").stream(), 2000, ctx);
  std::vector<RelatedPair> related;
  json table = {{"uidx1", json::array()},
                {"uidx2", json::array()},
                {"kinship", json::array()},
                {"ibs0", json::array()},
                {"nsnp", json::array()}};
  for (const auto& p : pairs) {
    const double kinship = king_kinship(p.counts);
    if (p.in_table && kinship > cutoff) related.push_back({p.i, p.j});
    table["uidx1"].push_back(data.samples.uidx(p.i));
    table["uidx2"].push_back(data.samples.uidx(p.j));
    table["kinship"].push_back(kinship);
    table["ibs0"].push_back(p.counts.nsnp ? static_cast<double>(p.counts.ibs0) / p.counts.nsnp
                                          : std::numeric_limits<double>::quiet_NaN());
    table["nsnp"].push_back(p.counts.nsnp);
  }
  const std::vector<bool> removed = remove_relatives(data.sample_ct(), related);
  write_sample_list(outputs.open(".king.cutoff.in.id").stream(), data, removed, false);
  write_sample_list(outputs.open(".king.cutoff.out.id").stream(), data, removed, true);
  std::vector<std::uint32_t> kept_uidx, removed_uidx;
  for (std::size_t s = 0; s < data.sample_ct(); ++s)
    (removed[s] ? removed_uidx : kept_uidx).push_back(data.samples.uidx(s));
  ctx.note(fmt::format("kinship: {} pairs above {}; {} related samples set aside, {} unrelated",
                       related.size(), cutoff, removed_uidx.size(), kept_uidx.size()));
  return {{"pairs", table}, {"unrelated_uidx", kept_uidx}, {"relative_uidx", removed_uidx}};
}

json pca_step(const Dataset& unrelated, const Dataset& relatives, std::size_t pcs, const std::string& prefix,
              OutputSet& outputs, const Context& ctx) {
  PcaOptions options;
  options.components = std::min({pcs, unrelated.sample_ct(), unrelated.variant_ct()});
  options.variant_weights = true;
  const PcaResult pca = run_pca(unrelated, options, ctx);
  // The reference files are committed now: projection reads them back as genomap project does.
  OutputFile& eigenvec = outputs.open(".eigenvec");
  OutputFile& eigenval = outputs.open(".eigenval");
  OutputFile& weights = outputs.open(".eigenvec.var");
  write_eigenvec(eigenvec.stream(), unrelated, pca.sample_scores);
  write_eigenval(eigenval.stream(), pca.eigenvalues);
  write_variant_weights(weights.stream(), *unrelated.store, pca);
  eigenvec.commit();
  eigenval.commit();
  weights.commit();
  json result = {{"eigenvalues", std::vector<double>(pca.eigenvalues.data(),
                                                     pca.eigenvalues.data() + pca.eigenvalues.size())},
                 {"unrelated_uidx", unrelated.samples.uidx_list()},
                 {"unrelated_scores", matrix_columns(pca.sample_scores)},
                 {"relative_uidx", relatives.samples.uidx_list()},
                 {"relative_scores", json::array()},
                 {"variant_ct", pca.variant_uidx.size()}};
  if (relatives.sample_ct() > 0) {
    const ReferencePca reference = read_reference_pca(prefix);
    const ProjectionResult projected = project_samples(relatives, reference, ProjectionOptions{}, ctx);
    write_eigenvec(outputs.open(".projected.eigenvec").stream(), relatives, projected.scores);
    result["relative_scores"] = matrix_columns(projected.scores);
  }
  return result;
}

json admixture_step(const Dataset& data, std::size_t k, std::size_t starts, std::size_t cv_folds,
                    OutputSet& outputs, const Context& ctx) {
  const AdmixGenotypes genotypes = load_admix_genotypes(data, ctx);
  AdmixOptions options;
  options.k = k;
  std::vector<AdmixResult> fits;
  std::size_t best = 0;
  for (std::size_t s = 0; s < starts; ++s) {
    Context start_ctx = ctx;
    start_ctx.seed = ctx.seed + s;
    fits.push_back(fit_admixture(genotypes, options, start_ctx));
    if (fits.back().log_likelihood > fits[best].log_likelihood) best = s;
  }
  const AdmixResult& fit = fits[best];
  std::vector<double> logliks, similarity;
  for (const auto& f : fits) {
    logliks.push_back(f.log_likelihood);
    // CLUMPP's G' of each start with the best, after matching its clusters to the best's.
    similarity.push_back(clumpp_similarity(fit.q, permute_clusters(f.q, match_clusters(fit.q, f.q))));
  }
  Context cv_ctx = ctx;
  cv_ctx.seed = ctx.seed + best;
  const double cv = cv_folds ? admixture_cross_validation(genotypes, options, fit, cv_folds, cv_ctx)
                             : std::numeric_limits<double>::quiet_NaN();
  ctx.note(fmt::format("admixture K={}: best of {} starts (seed {}), log-likelihood {:.6f}, CV error {:.6f}",
                       k, starts, ctx.seed + best, fit.log_likelihood, cv));
  write_admixture_matrix(outputs.open(fmt::format(".{}.Q", k)), fit.q);
  write_admixture_matrix(outputs.open(fmt::format(".{}.P", k)), fit.p);
  json q = json::array();
  for (Eigen::Index c = 0; c < fit.q.cols(); ++c) {
    std::vector<double> col(static_cast<std::size_t>(fit.q.rows()));
    for (Eigen::Index r = 0; r < fit.q.rows(); ++r) col[static_cast<std::size_t>(r)] = fit.q(r, c);
    q.push_back(col);
  }
  return {{"k", k},
          {"loglik", fit.log_likelihood},
          {"cv_error", cv},
          {"starts", starts},
          {"best_start", best},
          {"start_logliks", logliks},
          {"start_similarity", similarity},
          {"converged", fit.converged},
          {"sample_uidx", data.samples.uidx_list()},
          {"q", q}};
}

namespace {

// Fst of every pair over chromosomes 1-22 and XY (as genomap fst).
json fst_of_pairs(const Dataset& qc, const PopulationAssignment& assignment, OutputSet& outputs,
                  const Context& ctx) {
  Dataset data = qc;
  data.variant_uidx.clear();
  for (std::uint32_t uidx : qc.variant_uidx) {
    const int code = qc.store->variants()[uidx].chrom_code;
    if ((code >= 1 && code <= 22) || code == kChromXY) data.variant_uidx.push_back(uidx);
  }
  PopulationData pd;
  pd.populations = assignment;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) pd.variants.push_back(data.variant(v));
  pd.pass = plink_population_pass(data, pd.populations, ctx);
  const FstOptions options;
  const FstResult fst = compute_fst(pd, options, ctx);
  write_fst_summary(outputs.open(".fst.summary").stream(), fst, assignment, options);
  json table = {
      {"pop1", json::array()}, {"pop2", json::array()}, {"fst", json::array()}, {"se", json::array()}};
  for (const auto& p : fst.pairs) {
    table["pop1"].push_back(assignment.names[p.pop1]);
    table["pop2"].push_back(assignment.names[p.pop2]);
    table["fst"].push_back(p.fst);
    table["se"].push_back(p.se);
  }
  return table;
}

// f3(C; A, B) of every triple, then outgroup f3(O; A, B) of every pair with an outgroup.
std::vector<StatisticRequest> f3_requests(const PopulationAssignment& assignment,
                                          const std::string& outgroup) {
  std::vector<StatisticRequest> requests;
  const auto pop_ct = static_cast<std::uint32_t>(assignment.pop_ct());
  for (std::uint32_t c = 0; c < pop_ct; ++c)
    for (std::uint32_t a = 0; a < pop_ct; ++a)
      for (std::uint32_t b = a + 1; b < pop_ct; ++b)
        if (a != c && b != c) requests.push_back({StatisticKind::F3, {c, a, b, 0}});
  if (!outgroup.empty()) {
    const std::uint32_t o = assignment.index_of(outgroup, "--outgroup");
    for (std::uint32_t a = 0; a < pop_ct; ++a)
      for (std::uint32_t b = a + 1; b < pop_ct; ++b)
        if (a != o && b != o) requests.push_back({StatisticKind::F3, {o, a, b, 0}});
  }
  return requests;
}

json f3_table(const FstatsResult& stats, const PopulationAssignment& assignment, std::size_t admixture_ct) {
  json f3 = {{"target", json::array()}, {"a", json::array()},          {"b", json::array()},
             {"f3", json::array()},     {"se", json::array()},         {"z", json::array()},
             {"snps", json::array()},   {"outgroup_f3", json::array()}};
  for (std::size_t i = 0; i < stats.requested.size(); ++i) {
    const StatisticResult& r = stats.requested[i];
    f3["outgroup_f3"].push_back(i >= admixture_ct);
    f3["target"].push_back(assignment.names[r.request.pops[0]]);
    f3["a"].push_back(assignment.names[r.request.pops[1]]);
    f3["b"].push_back(assignment.names[r.request.pops[2]]);
    f3["f3"].push_back(r.value);
    f3["se"].push_back(r.se);
    f3["z"].push_back(r.z);
    f3["snps"].push_back(r.snp_ct);
  }
  return f3;
}

}  // namespace

json popstats_step(const Dataset& qc, const PopulationAssignment& assignment, const std::string& outgroup,
                   OutputSet& outputs, const Context& ctx) {
  const json fst = fst_of_pairs(qc, assignment, outputs, ctx);
  // f-statistics over chromosomes 1-22 (as genomap fstats), blocks as genomap fstats makes them.
  Dataset data = qc;
  data.variant_uidx.clear();
  for (std::uint32_t uidx : qc.variant_uidx)
    if (const int code = qc.store->variants()[uidx].chrom_code; code >= 1 && code <= 22)
      data.variant_uidx.push_back(uidx);
  if (data.variant_uidx.empty()) throw Error("no variants on chromosomes 1-22");
  PopulationData pd;
  pd.populations = assignment;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) pd.variants.push_back(data.variant(v));
  pd.pass = plink_population_pass(data, pd.populations, ctx);
  const std::vector<StatisticRequest> requests = f3_requests(assignment, outgroup);
  const std::size_t admixture_ct = f3_requests(assignment, "").size();
  BlockSpec fallback;
  fallback.genetic = has_genetic_positions(pd.variants);
  const BlockSpec spec = parse_block_spec("", fallback);
  const double scale = genetic_unit_scale(pd.variants, "auto");
  std::vector<std::uint32_t> block_of_variant;
  const std::size_t block_ct = assign_jackknife_blocks(pd.variants, spec, scale, block_of_variant);
  const FstatsResult stats = compute_fstats(pd, block_of_variant, block_ct, requests, FstatsOptions{}, ctx);
  write_statistic_table(outputs.open(".f2").stream(), stats.f2, assignment);
  write_statistic_table(outputs.open(".fstats").stream(), stats.requested, assignment);
  return {{"fst", fst}, {"f3", f3_table(stats, assignment, admixture_ct)}, {"block_ct", block_ct}};
}

}  // namespace genomap
