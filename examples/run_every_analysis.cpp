// Runs genomap's analyses through the library alone, without the command line, on a PLINK fileset and a
// population table (FID/IID/POP header). Built with the project and run by ctest on the bundled HapMap 3
// data:
//
//   genomap_example tests/data/hapmap3_admixture/hapmap3 tests/data/hapmap3_admixture/hapmap3_populations.tsv
//   OUT
//
// Each step is one call over the Dataset (or the population counts) with typed options, returning a result
// struct; the library's writers turn some of them into plink2-format files under OUT. Exits 1 with the error
// when a step fails or a result is not what the data must give.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "genomap/genomap.hpp"

namespace {

using namespace genomap;

void check(bool ok, const std::string& what) {
  if (!ok) throw Error("example: unexpected result: " + what);
}

void run(const std::string& bfile, const std::string& population_file, const std::string& out) {
  Context ctx;
  ctx.threads = 2;
  ctx.seed = 7;

  // Open the fileset and select samples and variants once: every analysis below sees this view.
  auto store = std::make_shared<const GenotypeStore>(GenotypeStore::open_bfile(bfile));
  FilterOptions filters;
  filters.autosomes_only = true;
  filters.min_maf = 0.01;
  const Dataset data = apply_filters(store, filters, ctx);
  std::printf("dataset: %zu samples, %zu variants\n", data.sample_ct(), data.variant_ct());

  OutputSet outputs(out);
  {  // QC tables, written block by block as plink2 writes them.
    AfreqWriter afreq(outputs.open(".afreq"), data);
    count_alleles_by_ploidy(data, ctx, [&](std::size_t first, auto counts) { afreq.write(first, counts); });
    VmissWriter vmiss(outputs.open(".vmiss"), data);
    const SampleMissingness missing =
        compute_missingness(data, ctx, [&](std::size_t first, auto rows) { vmiss.write(first, rows); });
    write_smiss(outputs.open(".smiss"), data, missing);
    std::size_t hardy_rows = 0;
    compute_hardy_weinberg(data, ctx, false, [&](std::size_t, auto rows) { hardy_rows += rows.size(); });
    check(hardy_rows == data.variant_ct(), "one Hardy-Weinberg test per variant");
    const HeterozygosityResult het = compute_heterozygosity(data, ctx);
    write_het(outputs.open(".het"), data, het);
    std::printf("qc: freq, missing, hardy (%zu tests), het (%zu variants used)\n", hardy_rows,
                het.variants_used);
  }

  const PruneResult pruned = indep_pairwise(data, parse_indep_pairwise({"50", "5", "0.2"}), ctx);
  check(pruned.kept_ct > 0 && pruned.removed_ct > 0, "LD pruning keeps some variants and removes some");
  std::printf("prune: %zu kept, %zu removed\n", pruned.kept_ct, pruned.removed_ct);

  PcaOptions pca_options;
  pca_options.components = 4;
  const PcaResult pca = run_pca(data, pca_options, ctx);
  write_eigenvec(outputs.open(".eigenvec").stream(), data, pca.sample_scores);
  write_eigenval(outputs.open(".eigenval").stream(), pca.eigenvalues);
  check(pca.eigenvalues[0] >= pca.eigenvalues[1], "eigenvalues in decreasing order");
  std::printf("pca: top eigenvalues %.4g %.4g\n", pca.eigenvalues[0], pca.eigenvalues[1]);

  const Dataset king_data = king_variants(data);
  double max_kinship = -1.0;
  compute_king(king_data, ctx, plan_king(king_data, ctx), [&](const KingBand& band) {
    for (std::size_t j = band.row_begin; j < band.row_end; ++j)
      for (std::size_t i = 0; i < j; ++i) max_kinship = std::max(max_kinship, king_kinship(band.at(j, i)));
  });
  check(max_kinship > 0.177, "HapMap 3 holds first-degree relatives");
  std::printf("king: largest kinship %.4f\n", max_kinship);

  // Population statistics read counts per population, from a PLINK pass here (EIGENSTRAT input works alike).
  PopulationData populations;
  populations.populations = read_population_labels(population_file, data);
  for (std::size_t v = 0; v < data.variant_ct(); ++v) populations.variants.push_back(data.variant(v));
  populations.pass = plink_population_pass(data, populations.populations, ctx);
  populations.populations.sort_by_name();
  const FstResult fst = compute_fst(populations, FstOptions{}, ctx);
  check(!fst.pairs.empty() && fst.pairs[0].fst > 0.0, "populations differ");
  std::printf("fst: %zu pairs, between-population share %.4f\n", fst.pairs.size(),
              fst.variance_share.between);

  std::vector<std::uint32_t> block_of_variant;
  const std::size_t block_ct =
      assign_jackknife_blocks(populations.variants, BlockSpec{}, 1.0, block_of_variant);
  const FstatsResult f = compute_fstats(populations, block_of_variant, block_ct, {}, FstatsOptions{}, ctx);
  check(f.f2.size() == fst.pairs.size(), "one f2 per pair of populations");
  std::printf("fstats: f2 of %zu pairs over %zu jackknife blocks\n", f.f2.size(), block_ct);

  // Admixture LD of the African Americans (ASW) against CEU and YRI; the bundled .bim has no genetic map, so
  // a uniform 1 cM per Mb stands in for one.
  DatingOptions dating;
  dating.target = "ASW";
  dating.sources = {"CEU", "YRI"};
  dating.uniform_map_cm_per_mb = 1.0;
  const DatingResult date = date_admixture(data, read_population_labels(population_file, data), dating, ctx);
  check(date.amplitude_z > 2 && date.generations > 2 && date.generations < 20, "ASW admixture LD decays");
  std::printf("date: ASW %.1f generations (SE %.1f), amplitude Z %.1f\n", date.generations,
              date.generations_se, date.amplitude_z);

  AdmixOptions admix_options;
  admix_options.k = 3;
  const AdmixResult admix = fit_admixture(load_admix_genotypes(data, ctx), admix_options, ctx);
  check(admix.converged && std::isfinite(admix.log_likelihood), "ADMIXTURE-model fit converges");
  std::printf("admix: K=3 log-likelihood %.6g after %zu passes\n", admix.log_likelihood, admix.iterations);

  outputs.commit_all();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s BFILE_PREFIX POPULATION_FILE OUT_PREFIX\n", argv[0]);
    return 2;
  }
  try {
    run(argv[1], argv[2], argv[3]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
