// genomap qpadm: qpWave rank tests and qpAdm admixture models (weights, standard errors, fit p-values, nested
// and rotated models) from a cached f2 store (genomap fstats --f2-store) or straight from genotypes.
#include "genomap/popstats/qpadm.hpp"

#include <fmt/format.h>

#include <memory>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/popstats/jackknife.hpp"
#include "genomap/popstats/population_input.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct QpadmCommandOptions {
  InputOptions input;
  std::string eigenstrat, pop_file, pop_column = "POP", block_size, genetic_unit = "auto";
  std::string f2_store;
  std::string target, sources, right, left, rotate;
  std::size_t max_sources = 3;
  double fudge = 1e-4;
  bool no_se = false, oracle = false, pseudohaploid = false;
};

std::vector<std::string> names(const std::string& list, const std::string& option) {
  std::vector<std::string> out;
  for (auto part : split_on(list, ',')) {
    if (part.empty()) throw UsageError(fmt::format("{}: empty population name in '{}'", option, list));
    out.emplace_back(part);
  }
  return out;
}

// The populations, variants and blocks of genotype input, as fstats reads them (chromosomes 1-22).
F2Store store_from_genotypes(const QpadmCommandOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  const PopulationLabels labels{o.pop_file, o.pop_column};
  std::unique_ptr<PopulationInput> input;
  if (!o.input.bfile.empty()) {
    if (o.pop_file.empty()) throw UsageError("qpadm: --bfile needs --pop FILE");
    input = PopulationInput::from_plink(inv.load_dataset(o.input, Purpose::Ancestry), labels,
                                        AnalysedChromosomes::Autosomes, ctx);
  } else {
    input = PopulationInput::from_eigenstrat(o.eigenstrat, labels, AnalysedChromosomes::Autosomes, ctx);
  }
  for (const auto& path : input->input_files) inv.log().add_input(path);
  if (o.pseudohaploid)
    inv.log().note(
        fmt::format("{} samples counted as pseudohaploid (no heterozygous call in the first 1000 "
                    "variants)",
                    input->detect_pseudohaploid(1000, ctx)));
  const PopulationData& pd = input->data;
  if (pd.variants.empty()) throw Error("qpadm: no variants on chromosomes 1-22");
  const JackknifeBlocks blocks = jackknife_blocks(pd.variants, o.block_size, o.genetic_unit);
  return build_f2_store(pd, blocks.block_of_variant, blocks.block_ct, F2StoreKey{}, ctx);
}

void run_qpadm(const QpadmCommandOptions& o, Invocation& inv) {
  const int inputs = !o.f2_store.empty() + !o.input.bfile.empty() + !o.eigenstrat.empty();
  if (inputs != 1)
    throw UsageError("qpadm: give exactly one of --f2-store, --bfile (with --pop) or --eigenstrat");
  if (o.pseudohaploid && !o.f2_store.empty())
    throw UsageError(
        "qpadm: --pseudohaploid applies to genotype input (a store was built with or without it)");
  if (o.right.empty() && o.rotate.empty()) throw UsageError("qpadm: --right is required (or --rotate POOL)");
  if (o.target.empty() == o.left.empty())
    throw UsageError("qpadm: give --target with --sources or --rotate (qpAdm), or --left alone (qpWave)");
  if (!o.target.empty() && o.sources.empty() == o.rotate.empty())
    throw UsageError("qpadm: give --target with exactly one of --sources or --rotate");
  if (o.max_sources < 1 || o.max_sources > 3) throw UsageError("qpadm: --max-sources must be 1, 2 or 3");
  F2Store store;
  if (!o.f2_store.empty()) {
    store = read_f2_store(o.f2_store);
    for (const char* name : {"manifest.tsv", "populations.tsv", "variants.tsv", "counts.bin", "f2.bin"})
      inv.log().add_input(o.f2_store + "/" + name);
  } else {
    store = store_from_genotypes(o, inv);
  }
  inv.log().phase_done("f2 blocks");
  QpadmOptions options;
  options.fudge = o.fudge;
  options.standard_errors = !o.no_se;
  options.rotate_standard_errors = true;
  options.oracle_shrinkage = o.oracle;
  const std::vector<std::string> rights =
      o.right.empty() ? std::vector<std::string>{} : names(o.right, "--right");

  if (!o.left.empty()) {  // qpWave
    const auto lefts = names(o.left, "--left");
    if (lefts.size() < 2) throw UsageError("qpadm: --left needs at least two populations");
    if (rights.size() < 2) throw UsageError("qpadm: --right needs at least two populations");
    std::vector<std::string> all = lefts;
    all.insert(all.end(), rights.begin(), rights.end());
    options.covariance_ridges = 2;  // as qpWave adds it
    const F2Blocks blocks = f2_blocks_for(store, all);
    inv.log().note(
        fmt::format("{} variants in {} blocks with data in all populations", blocks.snp_ct, blocks.block_ct));
    write_rank_tests(inv.outputs().open(".qpwave.rank").stream(), qpwave(blocks, lefts, rights, options));
    return;
  }
  if (!o.rotate.empty()) {
    const auto pool = names(o.rotate, "--rotate");
    if (pool.size() > 24) throw UsageError("qpadm: --rotate takes at most 24 populations");
    std::vector<std::string> all{o.target};
    all.insert(all.end(), pool.begin(), pool.end());
    all.insert(all.end(), rights.begin(), rights.end());
    const F2Blocks blocks = f2_blocks_for(store, all);
    inv.log().note(
        fmt::format("{} variants in {} blocks with data in all populations", blocks.snp_ct, blocks.block_ct));
    const auto models = qpadm_rotate(blocks, o.target, pool, rights, o.max_sources, options);
    if (models.empty()) throw Error("qpadm: --rotate: no model has enough right populations");
    write_qpadm_models(inv.outputs().open(".qpadm.rotate").stream(), o.target, models, nullptr);
    inv.log().note(fmt::format("{} models fitted", models.size()));
    return;
  }
  const auto sources = names(o.sources, "--sources");
  check_qpadm_model(o.target, sources, rights);
  std::vector<std::string> all{o.target};
  all.insert(all.end(), sources.begin(), sources.end());
  all.insert(all.end(), rights.begin(), rights.end());
  const F2Blocks blocks = f2_blocks_for(store, all);
  inv.log().note(
      fmt::format("{} variants in {} blocks with data in all populations", blocks.snp_ct, blocks.block_ct));
  const QpadmResult result = qpadm(blocks, o.target, sources, rights, options);
  write_rank_tests(inv.outputs().open(".qpadm.rank").stream(), result.ranks);
  write_qpadm_weights(inv.outputs().open(".qpadm.weights").stream(), result);
  std::vector<QpadmModel> models{result.model};
  models.insert(models.end(), result.nested.begin(), result.nested.end());
  write_qpadm_models(inv.outputs().open(".qpadm.models").stream(), o.target, models, &models[0]);
}

const bool registered = register_command(
    {"qpadm", "qpWave rank tests and qpAdm admixture models from an f2 store or genotypes",
     [](CLI::App& app) {
       auto o = std::make_shared<QpadmCommandOptions>();
       add_input_options(app, o->input);
       app.get_option("--bfile")->required(false);
       app.add_option("--f2-store", o->f2_store, "f2 store folder written by genomap fstats --f2-store");
       app.add_option("--eigenstrat", o->eigenstrat, "EIGENSTRAT prefix; populations from .ind (or --pop)");
       add_population_options(app, o->pop_file, o->pop_column, false);
       app.add_option("--block-size", o->block_size,
                      "Jackknife block for genotype input: N variants or a distance (default 0.05M)");
       app.add_option("--genetic-unit", o->genetic_unit, "Unit of genetic positions: auto, cm, morgan")
           ->capture_default_str();
       app.add_option("--target", o->target, "Target population (qpAdm)");
       app.add_option("--sources", o->sources, "Source populations S1,S2[,S3]");
       app.add_option("--right", o->right, "Right (outgroup) populations R1,...,Rn; R1 is the base");
       app.add_option("--left", o->left, "qpWave: left populations L1,...,Lm (L1 is the base), no --target");
       app.add_option("--rotate", o->rotate,
                      "Pool: fit every model of 1..--max-sources sources from it, the rest of the pool (and "
                      "--right) as rights");
       app.add_option("--max-sources", o->max_sources, "Largest model size for --rotate")
           ->capture_default_str();
       app.add_option(
              "--fudge", o->fudge,
              "Ridge added to the f4 covariance diagonal as a share of its trace (ADMIXTOOLS diagplus)")
           ->capture_default_str();
       app.add_flag("--pseudohaploid", o->pseudohaploid,
                    "Genotype input: samples without a heterozygous call in the first 1000 variants count "
                    "one allele per call (ADMIXTOOLS 2's adjust_pseudohaploid)");
       app.add_flag("--oracle", o->oracle,
                    "Shrink the f4 covariance by oracle approximating shrinkage instead of the --fudge "
                    "ridge (ADMIXTOOLS 1 qpAdm/qpWave's default, 'oracle: YES'; ADMIXTOOLS 2 does not)");
       app.add_flag("--no-se", o->no_se,
                    "Skip the block-jackknife SE of the weights (one refit per block per model; --rotate "
                    "runs faster without them)");
       return Runner([o](Invocation& inv) { run_qpadm(*o, inv); });
     },
     62});

}  // namespace
}  // namespace genomap::cli
