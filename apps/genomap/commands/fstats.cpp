// genomap fstats: f2 between all populations, and f3, outgroup f3, f4 and D statistics with block-jackknife
// standard errors, from PLINK (--bfile + --pop) or EIGENSTRAT (--eigenstrat, populations from the .ind)
// input.
#include "genomap/popstats/fstats.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/popstats/f2_store.hpp"
#include "genomap/popstats/jackknife.hpp"
#include "genomap/popstats/population_file.hpp"
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
};

bool is_analysed_chromosome(int code) { return code >= 1 && code <= 22; }

std::string format_value(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : "nan"; }

void write_statistic(std::FILE* f, const StatisticResult& r, const PopulationAssignment& pops) {
  const std::size_t k = population_count(r.request.kind);
  fmt::print(f, "{}", statistic_name(r.request.kind));
  for (std::size_t i = 0; i < std::max<std::size_t>(k, 4); ++i)
    fmt::print(f, "\t{}", i < k ? pops.names[r.request.pops[i]] : ".");
  fmt::print(f, "\t{}\t{}\t{}\t{}\t{}\n", format_value(r.value), format_value(r.se), format_value(r.z),
             r.snp_ct, r.block_ct);
}

// The statistics asked for, computed from `pd` over the given jackknife blocks, and their output files.
void compute_and_write(const FstatsCommandOptions& o, const PopulationData& pd,
                       const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                       Invocation& inv) {
  const Context& ctx = inv.context();
  const PopulationAssignment& pops = pd.populations;
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

  inv.log().note(fmt::format("{} populations, {} variants, {} requested statistics", pops.pop_ct(),
                             pd.variants.size(), requests.size()));
  FstatsOptions options;
  options.qp_compat = o.qp_compat;
  const FstatsResult result = compute_fstats(pd, block_of_variant, block_ct, requests, options, ctx);
  inv.log().phase_done("f-statistics");
  if (result.no_call_variant_ct)
    inv.log().note(fmt::format("{} variants without any call skipped", result.no_call_variant_ct));

  const char* header = "#STATISTIC\tPOP1\tPOP2\tPOP3\tPOP4\tVALUE\tSE\tZ\tN_SNPS\tN_BLOCKS\n";
  std::FILE* f2 = inv.outputs().open(".f2").stream();
  fmt::print(f2, "{}", header);
  for (const auto& r : result.f2) write_statistic(f2, r, pops);
  std::FILE* f = nullptr;
  std::FILE* ratios = nullptr;
  for (const auto& r : result.requested) {
    if (r.request.kind == StatisticKind::F4Ratio) {
      if (!ratios) {
        ratios = inv.outputs().open(".f4ratio").stream();
        fmt::print(
            ratios,
            "#STATISTIC\tPOP1\tPOP2\tPOP3\tPOP4\tPOP5\tPOP6\tPOP7\tPOP8\tVALUE\tSE\tZ\tN_SNPS\tN_BLOCKS\n");
      }
      write_statistic(ratios, r, pops);
      continue;
    }
    if (!f) {
      f = inv.outputs().open(".fstats").stream();
      fmt::print(f, "{}", header);
    }
    write_statistic(f, r, pops);
  }
  inv.log().phase_done("write outputs");
}

// The f2 store of --f2-store for these inputs, reused when its key matches and built otherwise.
F2Store open_or_build_store(const FstatsCommandOptions& o, const PopulationData& pd,
                            const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                            const std::string& blocking, Invocation& inv) {
  F2StoreKey key;
  std::vector<std::string> files;
  if (!o.input.bfile.empty())
    files = {o.input.bfile + ".bed", o.input.bfile + ".bim", o.input.bfile + ".fam"};
  else
    files = {o.eigenstrat + ".geno", o.eigenstrat + ".snp", o.eigenstrat + ".ind"};
  if (!o.pop_file.empty()) files.push_back(o.pop_file);
  for (const auto& path : files)
    key.inputs.push_back(std::filesystem::path(path).filename().string() + "\t" + describe_file(path));
  const auto& in = o.input;
  const auto& f = in.filters;
  key.sample_filters = fmt::format(
      "pop-column={} keep={} remove={} extract={} exclude={} chr={} maf={} geno={} "
      "mind={} hwe={} registry={} purpose={}",
      o.pop_column, f.keep, f.remove, f.extract, f.exclude, f.chromosomes, in.maf, in.geno, in.mind, in.hwe,
      in.registry, in.purpose);
  key.blocking = blocking;
  key.filters = o.store_filters;
  bool built = false;
  F2Store store =
      open_or_build_f2_store(o.f2_store, pd, block_of_variant, block_ct, key, inv.context(), built);
  inv.log().note(
      fmt::format("f2 store {} {}: {} populations, {} variants ({} dropped by the store filters), {} blocks",
                  o.f2_store, built ? "built" : "read", store.pop_ct(), store.variants.size(),
                  store.filtered_variant_ct, store.block_ct));
  return store;
}

void run_fstats(const FstatsCommandOptions& o, Invocation& inv) {
  const bool store_filters = o.store_filters.max_missing != 1.0 || o.store_filters.min_maf != 0.0 ||
                             o.store_filters.transversions_only;
  if (store_filters && o.f2_store.empty())
    throw Error("fstats: --max-missing, --min-maf and --transversions-only apply to --f2-store only");
  if (o.eigenstrat.empty() && o.input.bfile.empty() && !o.f2_store.empty()) {
    if (!o.block_size.empty() || store_filters || !o.pop_file.empty())
      throw Error(
          "fstats: reading --f2-store without genotypes, the store's populations, blocks and filters "
          "apply (--pop, --block-size and store filters need --bfile or --eigenstrat)");
    const F2Store store = read_f2_store(o.f2_store);
    for (const char* name : {"manifest.tsv", "populations.tsv", "variants.tsv", "counts.bin", "f2.bin"})
      inv.log().add_input((std::filesystem::path(o.f2_store) / name).string());
    inv.log().note(fmt::format("f2 store {} read: {} populations, {} variants, {} blocks", o.f2_store,
                               store.pop_ct(), store.variants.size(), store.block_ct));
    compute_and_write(o, store.population_data(), store.block_of_variant, store.block_ct, inv);
    return;
  }
  if (o.eigenstrat.empty() == o.input.bfile.empty())
    throw Error(
        "fstats: give exactly one of --bfile (with --pop) or --eigenstrat, or an existing --f2-store");
  const Context& ctx = inv.context();
  PopulationData pd;
  Dataset data;
  std::unique_ptr<EigenstratReader> reader;
  std::vector<bool> keep;
  std::vector<std::int32_t> pop_of_ind;
  std::string pop_source = o.pop_file;
  std::size_t left_out = 0;
  if (!o.input.bfile.empty()) {
    if (o.pop_file.empty()) throw Error("fstats: --bfile needs --pop FILE");
    data = inv.load_dataset(o.input, Purpose::Ancestry);
    std::vector<std::uint32_t> kept;
    for (std::uint32_t uidx : data.variant_uidx)
      if (is_analysed_chromosome(data.store->variants()[uidx].chrom_code)) kept.push_back(uidx);
    left_out = data.variant_uidx.size() - kept.size();
    data.variant_uidx = std::move(kept);
    pd.populations =
        read_population_file(o.pop_file, o.pop_column, data.store->samples(), data.samples.uidx_list());
    inv.log().add_input(o.pop_file);
    for (std::size_t v = 0; v < data.variant_ct(); ++v) pd.variants.push_back(data.variant(v));
    pd.pass = plink_population_pass(data, pd.populations, ctx);
  } else {
    const auto& in = o.input;
    const auto& f = in.filters;
    if (!f.keep.empty() || !f.remove.empty() || !f.extract.empty() || !f.exclude.empty() ||
        !f.chromosomes.empty() || f.autosomes_only || in.maf >= 0 || in.geno >= 0 || in.mind >= 0 ||
        in.hwe >= 0 || !in.registry.empty())
      throw Error("fstats: sample and variant filters apply to --bfile input only (not to --eigenstrat)");
    reader = std::make_unique<EigenstratReader>(o.eigenstrat);
    for (const char* suffix : {".geno", ".snp", ".ind"}) inv.log().add_input(o.eigenstrat + suffix);
    inv.log().note(fmt::format("{} samples and {} variants in {} ({} .geno)", reader->samples().size(),
                               reader->variants().size(), o.eigenstrat,
                               reader->packed() ? "packed" : "text"));
    const auto& samples = reader->samples();
    if (o.pop_file.empty()) {
      std::vector<std::string> labels;
      for (const auto& s : samples) labels.push_back(s.label == "Ignore" ? std::string() : s.label);
      pd.populations = assign_populations(labels);
      pop_source = o.eigenstrat + ".ind";
    } else {
      std::vector<Sample> table;
      std::vector<std::uint32_t> all;
      for (const auto& s : samples) {
        all.push_back(static_cast<std::uint32_t>(table.size()));
        table.push_back(Sample{s.id, s.id});
      }
      pd.populations =
          read_population_file(o.pop_file, o.pop_column, SampleTable(std::move(table)), all, false);
      inv.log().add_input(o.pop_file);
    }
    keep.resize(reader->variants().size());
    for (std::size_t v = 0; v < keep.size(); ++v) {
      keep[v] = is_analysed_chromosome(reader->variants()[v].chrom_code);
      if (keep[v])
        pd.variants.push_back(reader->variants()[v]);
      else
        ++left_out;
    }
    pd.pass =
        eigenstrat_population_pass(*reader, keep, pd.populations.pop_of_sample, pd.populations.pop_ct(), ctx);
  }
  pd.populations.sort_by_name();  // the pass reads pop_of_sample when it runs, after this renumbering
  if (left_out) inv.log().note(fmt::format("{} variants outside chromosomes 1-22 left out", left_out));
  if (pd.variants.empty()) throw Error("fstats: no variants on chromosomes 1-22");
  const PopulationAssignment& pops = pd.populations;
  if (pops.pop_ct() < 2) throw Error(pop_source, 0, "fewer than 2 populations among the analysed samples");
  if (pops.unassigned_ct)
    inv.log().note(fmt::format("{} samples without a population left out", pops.unassigned_ct));

  BlockSpec fallback;
  const bool genetic = has_genetic_positions(pd.variants);
  fallback.genetic = genetic;
  const BlockSpec spec = parse_block_spec(o.block_size, fallback);
  if (spec.genetic && !genetic)
    throw Error("--block-size: a genetic distance needs genetic positions, and all are 0");
  const double scale = genetic_unit_scale(pd.variants, o.genetic_unit);
  std::vector<std::uint32_t> block_of_variant;
  const std::size_t block_ct = assign_jackknife_blocks(pd.variants, spec, scale, block_of_variant);
  const std::string blocking =
      spec.genetic ? fmt::format("jackknife blocks of {} Morgans (genetic positions read as {}): {} blocks",
                                 spec.morgans, scale == 1.0 ? "Morgans" : "cM", block_ct)
                   : fmt::format("jackknife blocks of {} variants: {} blocks", spec.variants, block_ct);
  inv.log().note(blocking);

  if (!o.f2_store.empty()) {
    const F2Store store = open_or_build_store(o, pd, block_of_variant, block_ct, blocking, inv);
    compute_and_write(o, store.population_data(), store.block_of_variant, store.block_ct, inv);
    return;
  }
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
       app.add_option("--pop", o->pop_file,
                      "Population file: header FID IID POP (or IID POP), matched by IID");
       app.add_option("--pop-column", o->pop_column, "Column of --pop holding the population")
           ->capture_default_str();
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
       return Runner([o](Invocation& inv) { run_fstats(*o, inv); });
     },
     61});

}  // namespace
}  // namespace genomap::cli
