// genomap fstats: f2 between all populations, and f3, outgroup f3, f4 and D statistics with block-jackknife
// standard errors, from PLINK (--bfile + --pop) or EIGENSTRAT (--eigenstrat, populations from the .ind)
// input.
#include "genomap/popstats/fstats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/popstats/f2_store.hpp"
#include "genomap/popstats/popstats_files.hpp"
#include "genomap/popstats/population_input.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct FstatsCommandOptions {
  InputOptions input;
  std::string eigenstrat;
  std::string pop_file;
  std::string pop_column = "POP";
  std::vector<std::string> f3, f4, d, f4_ratio;
  std::vector<std::string> f3_file, f4_file, d_file, f4_ratio_file;
  std::string outgroup_f3;
  std::string block_size;
  std::string genetic_unit = "auto";
  bool qp_compat = false;
  std::string f2_store;  // folder of a cached f2 store: built from the genotypes, or read instead of them
  F2StoreFilters store_filters;
  bool pseudohaploid = false;  // count samples without heterozygous calls as one allele (ADMIXTOOLS 2)
};

// Samples tested for heterozygous calls by --pseudohaploid: the first 1000 analysed variants, as
// ADMIXTOOLS 2.
constexpr std::size_t kPseudohaploidTestVariants = 1000;

// The statistics asked for, over the populations `pops`.
std::vector<StatisticRequest> requested_statistics(const FstatsCommandOptions& o,
                                                   const PopulationAssignment& pops) {
  std::vector<StatisticRequest> requests;
  for (const auto& s : o.f3) requests.push_back(parse_statistic(StatisticKind::F3, s, pops, "--f3"));
  for (const auto& s : o.f4) requests.push_back(parse_statistic(StatisticKind::F4, s, pops, "--f4"));
  for (const auto& s : o.d) requests.push_back(parse_statistic(StatisticKind::D, s, pops, "--d"));
  for (const auto& s : o.f4_ratio)
    requests.push_back(parse_statistic(StatisticKind::F4Ratio, s, pops, "--f4-ratio"));
  auto append = [&](std::vector<StatisticRequest> more) {
    requests.insert(requests.end(), more.begin(), more.end());
  };
  for (const auto& path : o.f3_file) append(read_statistic_file(StatisticKind::F3, path, pops));
  for (const auto& path : o.f4_file) append(read_statistic_file(StatisticKind::F4, path, pops));
  for (const auto& path : o.d_file) append(read_statistic_file(StatisticKind::D, path, pops));
  for (const auto& path : o.f4_ratio_file) append(read_statistic_file(StatisticKind::F4Ratio, path, pops));
  if (!o.outgroup_f3.empty()) {
    const std::uint32_t out = pops.index_of(o.outgroup_f3, "--outgroup-f3");
    for (std::uint32_t a = 0; a < pops.pop_ct(); ++a)
      for (std::uint32_t b = a + 1; b < pops.pop_ct(); ++b)
        if (a != out && b != out) requests.push_back({StatisticKind::F3, {out, a, b, 0}});
  }
  return requests;
}

FstatsOptions fstats_options(const FstatsCommandOptions& o) {
  FstatsOptions options;
  options.qp_compat = o.qp_compat;
  return options;
}

// The log lines and output files of computed statistics.
void write_statistics(const FstatsResult& result, const PopulationAssignment& pops, std::size_t variant_ct,
                      std::size_t request_ct, Invocation& inv) {
  inv.log().note(fmt::format("{} populations, {} variants, {} requested statistics", pops.pop_ct(),
                             variant_ct, request_ct));
  inv.log().phase_done("f-statistics");
  if (result.no_call_variant_ct)
    inv.log().note(fmt::format("{} variants without any call skipped", result.no_call_variant_ct));
  write_fstats_files(inv.outputs(), result, pops);
  inv.log().phase_done("write outputs");
}

// The statistics asked for, computed from `pd` over the given jackknife blocks, and their output files.
void compute_and_write(const FstatsCommandOptions& o, const PopulationData& pd,
                       const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                       Invocation& inv) {
  const std::vector<StatisticRequest> requests = requested_statistics(o, pd.populations);
  const FstatsResult result =
      compute_fstats(pd, block_of_variant, block_ct, requests, fstats_options(o), inv.context());
  write_statistics(result, pd.populations, pd.variants.size(), requests.size(), inv);
}

// The f2 store of --f2-store for these inputs, reused when its key matches and built otherwise.
F2Store open_or_build_store(const FstatsCommandOptions& o, const PopulationData& pd,
                            const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                            const std::string& blocking, const std::string& pseudohaploid, Invocation& inv,
                            StatisticsAlongside* alongside) {
  F2StoreKey key;
  key.pseudohaploid = pseudohaploid;
  std::vector<std::string> files;
  if (!o.input.bfile.empty())
    files = {o.input.bfile + ".bed", o.input.bfile + ".bim", o.input.bfile + ".fam"};
  else
    files = {o.eigenstrat + ".geno", o.eigenstrat + ".snp", o.eigenstrat + ".ind"};
  if (!o.pop_file.empty()) files.push_back(o.pop_file);
  const auto& in = o.input;
  const auto& f = in.filters;
  key.sample_filters = fmt::format(
      "pop-column={} keep={} remove={} extract={} exclude={} chr={} maf={} geno={} "
      "mind={} hwe={} registry={} purpose={}",
      o.pop_column, f.keep, f.remove, f.extract, f.exclude, f.chromosomes, f.min_maf.value_or(-1),
      f.max_variant_missing.value_or(-1), f.max_sample_missing.value_or(-1), f.min_hwe_p.value_or(-1),
      in.registry, in.purpose);
  key.blocking = blocking;
  key.filters = o.store_filters;
  bool built = false;
  F2Store store = open_or_build_f2_store(
      o.f2_store, pd, block_of_variant, block_ct, key, inv.context(), built,
      [&](F2StoreKey& k) {
        for (const auto& path : files)
          k.inputs.push_back(std::filesystem::path(path).filename().string() + "\t" +
                             inv.log().input_description(path));
      },
      alongside);
  inv.log().note(
      fmt::format("f2 store {} {}: {} populations, {} variants ({} dropped by the store filters), {} blocks",
                  o.f2_store, built ? "built" : "read", store.pop_ct(), store.variants.size(),
                  store.filtered_variant_ct, store.block_ct));
  return store;
}

// Under MPI: rank r of R computes the whole jackknife blocks [floor(rB/R), floor((r+1)B/R)) of the B blocks;
// each block's sums lie on one rank, so summing them over the ranks (zeros elsewhere) is exact, and rank 0
// writes the files of one process, bit for bit.
void compute_and_write_ranks(const FstatsCommandOptions& o, PopulationInput& input,
                             const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                             Invocation& inv) {
  const PopulationData& pd = input.data;
  const std::size_t variant_ct = pd.variants.size();
  if (!std::is_sorted(block_of_variant.begin(), block_of_variant.end()))
    throw Error("fstats: the jackknife blocks are not contiguous (an internal error)");
  const auto ranks = static_cast<std::size_t>(mpi::size()), rank = static_cast<std::size_t>(mpi::rank());
  const std::size_t b0 = block_ct * rank / ranks, b1 = block_ct * (rank + 1) / ranks;
  const auto first = static_cast<std::size_t>(
      std::lower_bound(block_of_variant.begin(), block_of_variant.end(), b0) - block_of_variant.begin());
  const auto last = static_cast<std::size_t>(
      std::lower_bound(block_of_variant.begin(), block_of_variant.end(), b1) - block_of_variant.begin());
  inv.distribute_range("jackknife blocks", block_ct, {b0, b1},
                       fmt::format("{} populations, {} variants and {} jackknife blocks",
                                   pd.populations.pop_ct(), variant_ct, block_ct));
  const std::vector<StatisticRequest> requests = requested_statistics(o, pd.populations);
  input.keep_variant_range(first, last);
  const std::vector<std::uint32_t> blocks(block_of_variant.begin() + static_cast<std::ptrdiff_t>(first),
                                          block_of_variant.begin() + static_cast<std::ptrdiff_t>(last));
  const FstatsResult result = compute_fstats(pd, blocks, block_ct, requests, fstats_options(o), inv.context(),
                                             [&](std::span<double> s) {
                                               inv.join_ranks();
                                               mpi::allreduce_sum(s);
                                             });
  if (inv.writes_outputs()) write_statistics(result, pd.populations, variant_ct, requests.size(), inv);
}

void run_fstats(const FstatsCommandOptions& o, Invocation& inv) {
  if (mpi::distributed() && !o.f2_store.empty())
    throw UsageError(fmt::format(
        "fstats: --f2-store is built or read by one process, not by {} MPI ranks: run it without mpirun",
        mpi::size()));
  const bool store_filters = o.store_filters.max_missing != 1.0 || o.store_filters.min_maf != 0.0 ||
                             o.store_filters.transversions_only;
  if (store_filters && o.f2_store.empty())
    throw UsageError("fstats: --max-missing, --min-maf and --transversions-only apply to --f2-store only");
  if (o.eigenstrat.empty() && o.input.bfile.empty() && !o.f2_store.empty()) {
    if (!o.block_size.empty() || store_filters || !o.pop_file.empty() || o.pseudohaploid)
      throw UsageError(
          "fstats: reading --f2-store without genotypes, the store's populations, blocks and filters "
          "apply (--pop, --block-size, --pseudohaploid and store filters need --bfile or --eigenstrat)");
    const F2Store store = read_f2_store(o.f2_store);
    for (const char* name : {"manifest.tsv", "populations.tsv", "variants.tsv", "counts.bin", "f2.bin"})
      inv.log().add_input((std::filesystem::path(o.f2_store) / name).string());
    inv.log().note(fmt::format("f2 store {} read: {} populations, {} variants, {} blocks", o.f2_store,
                               store.pop_ct(), store.variants.size(), store.block_ct));
    compute_and_write(o, store.population_data(), store.block_of_variant, store.block_ct, inv);
    return;
  }
  if (o.eigenstrat.empty() == o.input.bfile.empty())
    throw UsageError(
        "fstats: give exactly one of --bfile (with --pop) or --eigenstrat, or an existing --f2-store");
  const Context& ctx = inv.context();
  const PopulationLabels labels{o.pop_file, o.pop_column};
  std::unique_ptr<PopulationInput> input;
  if (!o.input.bfile.empty()) {
    if (o.pop_file.empty()) throw UsageError("fstats: --bfile needs --pop FILE");
    input = PopulationInput::from_plink(inv.load_dataset(o.input, Purpose::Ancestry), labels,
                                        AnalysedChromosomes::Autosomes, ctx);
  } else {
    const auto& in = o.input;
    const auto& f = in.filters;
    if (!f.keep.empty() || !f.remove.empty() || !f.extract.empty() || !f.exclude.empty() ||
        !f.chromosomes.empty() || f.autosomes_only || f.min_maf || f.max_variant_missing ||
        f.max_sample_missing || f.min_hwe_p || !in.registry.empty())
      throw UsageError(
          "fstats: sample and variant filters apply to --bfile input only (not to --eigenstrat)");
    input = PopulationInput::from_eigenstrat(o.eigenstrat, labels, AnalysedChromosomes::Autosomes, ctx);
    const EigenstratReader& reader = *input->eigenstrat_reader();
    inv.log().note(fmt::format("{} samples and {} variants in {} ({} .geno)", reader.samples().size(),
                               reader.variants().size(), o.eigenstrat, reader.packed() ? "packed" : "text"));
  }
  for (const auto& path : input->input_files) inv.log().add_input(path);
  std::string pseudohaploid = "no";
  if (o.pseudohaploid) {
    const std::size_t ct = input->detect_pseudohaploid(kPseudohaploidTestVariants, ctx);
    pseudohaploid = fmt::format("first {} variants: {} samples", kPseudohaploidTestVariants, ct);
    inv.log().note(
        fmt::format("{} samples without a heterozygous call in the first {} variants counted as "
                    "pseudohaploid (one allele per call)",
                    ct, kPseudohaploidTestVariants));
  }
  const PopulationData& pd = input->data;
  if (input->left_out_variant_ct)
    inv.log().note(fmt::format("{} variants outside chromosomes 1-22 left out", input->left_out_variant_ct));
  if (pd.variants.empty()) throw Error("fstats: no variants on chromosomes 1-22");
  const PopulationAssignment& pops = pd.populations;
  if (pops.pop_ct() < 2)
    throw Error(input->label_source, 0, "fewer than 2 populations among the analysed samples");
  if (pops.unassigned_ct)
    inv.log().note(fmt::format("{} samples without a population left out", pops.unassigned_ct));

  const JackknifeBlocks blocks = jackknife_blocks(pd.variants, o.block_size, o.genetic_unit);
  const BlockSpec& spec = blocks.spec;
  const std::vector<std::uint32_t>& block_of_variant = blocks.block_of_variant;
  const std::size_t block_ct = blocks.block_ct;
  const double scale = blocks.morgans_per_unit;
  const std::string blocking =
      spec.genetic ? fmt::format("jackknife blocks of {} Morgans (genetic positions read as {}): {} blocks",
                                 spec.morgans, scale == 1.0 ? "Morgans" : "cM", block_ct)
                   : fmt::format("jackknife blocks of {} variants: {} blocks", spec.variants, block_ct);
  inv.log().note(blocking);

  if (!o.f2_store.empty()) {
    // Built here, the store's pass computes the requested statistics too; read, they come from its counts.
    StatisticsAlongside alongside{requested_statistics(o, pops), fstats_options(o), std::nullopt};
    const F2Store store =
        open_or_build_store(o, pd, block_of_variant, block_ct, blocking, pseudohaploid, inv, &alongside);
    if (alongside.result)
      write_statistics(*alongside.result, pops, store.variants.size(), alongside.requests.size(), inv);
    else
      compute_and_write(o, store.population_data(), store.block_of_variant, store.block_ct, inv);
    return;
  }
  if (mpi::distributed())
    compute_and_write_ranks(o, *input, block_of_variant, block_ct, inv);
  else
    compute_and_write(o, pd, block_of_variant, block_ct, inv);
}

const bool registered = register_command(
    {"fstats", "f2, f3, f4 and D statistics with block jackknife",
     [](CLI::App& app) {
       auto o = std::make_shared<FstatsCommandOptions>();
       add_input_options(app, o->input);
       app.get_option("--bfile")->required(false);
       app.add_option("--eigenstrat", o->eigenstrat,
                      "EIGENSTRAT prefix (.geno packed or text, .snp, .ind); populations from .ind");
       add_population_options(app, o->pop_file, o->pop_column, false);
       app.add_option("--f3", o->f3, "f3(C;A,B) as \"C;A,B\" (repeatable)");
       app.add_option("--f4", o->f4, "f4(A,B;C,D) as \"A,B;C,D\" (repeatable)");
       app.add_option("--d", o->d, "D(A,B;C,D) as \"A,B;C,D\" (repeatable)");
       app.add_option("--f3-file", o->f3_file, "qp3Pop list: lines 'A B C' = f3(C;A,B) (repeatable)");
       app.add_option("--f4-file", o->f4_file, "qpDstat list: lines 'A B C D' = f4(A,B;C,D) (repeatable)");
       app.add_option("--d-file", o->d_file, "qpDstat list: lines 'A B C D' = D(A,B;C,D) (repeatable)");
       app.add_option("--f4-ratio", o->f4_ratio,
                      "f4(A,B;C,D)/f4(E,F;G,H) as \"A,B;C,D/E,F;G,H\" (repeatable)");
       app.add_option("--f4-ratio-file", o->f4_ratio_file,
                      "qpF4ratio list: lines 'A O : X C :: A O : B C' (repeatable)");
       app.add_option("--outgroup-f3", o->outgroup_f3,
                      "Outgroup f3(O;A,B) for every pair A,B of the other populations");
       app.add_option(
           "--block-size", o->block_size,
           "Jackknife block: N variants, or a distance such as 5cM / 0.05M (default 0.05M with genetic "
           "positions, else 1000 variants)");
       app.add_option("--genetic-unit", o->genetic_unit,
                      "Unit of the genetic positions: auto (cM if any > 100), cm, morgan")
           ->capture_default_str();
       app.add_flag(
           "--qp-compat", o->qp_compat,
           "ADMIXTOOLS 1 conventions: f3 normalized by the target's heterozygosity (qp3Pop), values as "
           "jackknife estimates");
       app.add_option(
           "--f2-store", o->f2_store,
           "Folder of a cached f2 store: built from the genotypes (or reused when built from the same "
           "inputs and options), or read alone instead of genotypes");
       app.add_option("--max-missing", o->store_filters.max_missing,
                      "f2 store: largest share of populations without a call at a kept variant (default 1)");
       app.add_option("--min-maf", o->store_filters.min_maf,
                      "f2 store: smallest minor allele frequency over all analysed samples (default 0)");
       app.add_flag("--transversions-only", o->store_filters.transversions_only,
                    "f2 store: keep transversions only");
       app.add_flag("--pseudohaploid", o->pseudohaploid,
                    "Count samples without a heterozygous call in the first 1000 variants as pseudohaploid "
                    "(one allele per call; ADMIXTOOLS 2's adjust_pseudohaploid)");
       return Runner([o](Invocation& inv) { run_fstats(*o, inv); });
     },
     61, true});

}  // namespace
}  // namespace genomap::cli
