// genomap prune: LD pruning as plink2 --indep-pairwise, writing .prune.in and .prune.out.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/qc/ld_prune.hpp"
#include "genomap/qc/qc_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct PruneCommandOptions {
  InputOptions input;
  std::vector<std::string> indep_pairwise;
};

void run_prune(const PruneCommandOptions& o, Invocation& inv) {
  PruneOptions prune;
  try {
    prune = parse_indep_pairwise(o.indep_pairwise);
  } catch (const Error& e) {
    throw UsageError(e.what());  // the message names --indep-pairwise
  }
  Dataset data = inv.load_dataset(o.input);
  const PruneResult r = indep_pairwise(data, prune, inv.context());
  inv.log().note(fmt::format("--indep-pairwise: window {}{}, step {}, r^2 threshold {}; {} founders",
                             prune.window_kb ? prune.window_bp : prune.window_variants,
                             prune.window_kb ? " bp" : " variants", prune.step, prune.r2_threshold,
                             r.founder_ct));
  if (r.skipped_ct) inv.log().note(fmt::format("{} chromosome 0 variants ignored", r.skipped_ct));
  inv.log().note(
      fmt::format("{}/{} variants removed, {} kept", r.removed_ct, r.removed_ct + r.kept_ct, r.kept_ct));
  inv.log().phase_done("prune");
  write_prune_lists(data, r, inv.outputs());
  inv.log().phase_done("write .prune.in/.prune.out");
}

const bool registered = register_command(
    {"prune", "LD pruning (--indep-pairwise; .prune.in/.prune.out)",
     [](CLI::App& app) {
       auto o = std::make_shared<PruneCommandOptions>();
       add_input_options(app, o->input);
       app.add_option(
              "--indep-pairwise", o->indep_pairwise,
              "WINDOW[kb] [STEP] R2: window in variants (or kb), step in variants (default 1; must be 1 "
              "with kb), r^2 threshold, as plink2")
           ->expected(2, 4)
           ->required();
       return Runner([o](Invocation& inv) { run_prune(*o, inv); });
     },
     50});

}  // namespace
}  // namespace genomap::cli
