// genomap fst: pairwise Fst between populations (Hudson or Weir-Cockerham), as plink2 --fst writes it, with
// block-jackknife standard errors and the share of genetic variance between populations.
#include "genomap/popstats/fst.hpp"

#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/popstats/popstats_files.hpp"
#include "genomap/popstats/population_input.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct FstCommandOptions {
  InputOptions input;
  std::string pop_file;
  std::string pop_column = "POP";
  std::string method = "hudson";
  std::size_t block_size = 500;
  bool per_variant = false;
};

void run_fst(const FstCommandOptions& o, Invocation& inv) {
  FstOptions options;
  if (o.method == "hudson")
    options.method = FstMethod::Hudson;
  else if (o.method == "wc")
    options.method = FstMethod::WeirCockerham;
  else
    throw UsageError("--method: expected hudson or wc (got '" + o.method + "')");
  options.block_size = o.block_size;
  options.per_variant = o.per_variant;

  const std::unique_ptr<PopulationInput> input = PopulationInput::from_plink(
      inv.load_dataset(o.input, Purpose::Ancestry), PopulationLabels{o.pop_file, o.pop_column},
      AnalysedChromosomes::AutosomesAndXY, inv.context());
  const PopulationData& pd = input->data;
  if (input->left_out_variant_ct)
    inv.log().note(fmt::format("{} variants on X, Y, MT or unplaced contigs left out (Fst uses 1-22 and XY)",
                               input->left_out_variant_ct));
  if (pd.variants.empty()) throw Error(o.input.bfile + ".bim", 0, "no variants on chromosomes 1-22 or XY");
  for (const auto& path : input->input_files) inv.log().add_input(path);
  const PopulationAssignment& pops = pd.populations;
  pops.require_min_size(2, o.pop_file, "Fst");
  if (pops.pop_ct() < 2)
    throw Error(o.pop_file, 0,
                fmt::format("{} population among the analysed samples; Fst needs at least 2", pops.pop_ct()));
  if (pops.unassigned_ct)
    inv.log().note(fmt::format("{} samples without a population label left out", pops.unassigned_ct));
  inv.log().note(fmt::format("{} populations, {} variants", pops.pop_ct(), pd.variants.size()));

  const FstResult result = compute_fst(pd, options, inv.context());
  inv.log().phase_done("Fst");
  if (result.no_call_variant_ct)
    inv.log().note(fmt::format("{} variants without any call skipped", result.no_call_variant_ct));

  write_fst_summary(inv.outputs().open(".fst.summary").stream(), result, pops, options);
  if (options.per_variant)
    for (const auto& pair : result.pairs)
      write_fst_variants(inv.outputs().open(fst_variant_suffix(pair, pops)).stream(), pd.variants, pair,
                         options.method);
  const VarianceShare& share = result.variance_share;
  write_variance_share(inv.outputs().open(".fst.amova").stream(), share, pops);
  inv.log().note(
      fmt::format("share of genetic variance between populations (Weir-Cockerham theta over all {} "
                  "populations): {:.4f} (SE {:.4f}), within: {:.4f}",
                  pops.pop_ct(), share.between, share.se, 1 - share.between));
  inv.log().phase_done("write .fst.summary");
}

const bool registered = register_command(
    {"fst", "Pairwise Fst between populations (.fst.summary)",
     [](CLI::App& app) {
       auto o = std::make_shared<FstCommandOptions>();
       add_input_options(app, o->input);
       add_population_options(app, o->pop_file, o->pop_column, true);
       app.add_option("--method", o->method, "hudson (Bhatia et al. 2013) or wc (Weir & Cockerham 1984)")
           ->capture_default_str();
       app.add_option("--block-size", o->block_size,
                      "Usable variants per jackknife block for the SE column (plink2 blocksize=); 0: no SE")
           ->capture_default_str();
       app.add_flag("--per-variant", o->per_variant, "Also write PREFIX.POP1.POP2.fst.var per pair");
       return Runner([o](Invocation& inv) { run_fst(*o, inv); });
     },
     60});

}  // namespace
}  // namespace genomap::cli
