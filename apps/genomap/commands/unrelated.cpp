// genomap unrelated: a maximal set of samples with no pair related above --king-cutoff (KING-robust kinship),
// written as plink2's --king-cutoff keep/remove lists (.king.cutoff.in.id / .king.cutoff.out.id).
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/relate/king.hpp"
#include "genomap/relate/unrelated_set.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct UnrelatedOptions {
  InputOptions input;
  double cutoff = 0.0884;
};

void run_unrelated(const UnrelatedOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  std::size_t excluded = 0;
  const Dataset data = king_variants(inv.load_dataset(o.input), &excluded);
  if (excluded > 0)
    ctx.note(fmt::format("Excluding {} variants on X, Y and MT from KING-robust kinship.", excluded));
  if (data.sample_ct() == 0) throw Error(o.input.bfile + ".fam", 0, "no samples left to choose from");
  const UnrelatedSet chosen = choose_unrelated(data, o.cutoff, ctx);
  inv.log().phase_done("KING-robust kinship");
  const std::size_t removed_ct = chosen.removed_ct;
  ctx.note(
      fmt::format("--king-cutoff {}: {} related pairs; removed {} samples (most relatives first, ties: the "
                  "later sample), kept {}.",
                  o.cutoff, chosen.related_pair_ct, removed_ct, data.sample_ct() - removed_ct));
  write_sample_list(inv.outputs().open(".king.cutoff.in.id").stream(), data, chosen.removed, false);
  write_sample_list(inv.outputs().open(".king.cutoff.out.id").stream(), data, chosen.removed, true);
}

const bool registered = register_command(
    {"unrelated", "Maximal unrelated sample set (--king-cutoff keep list)",
     [](CLI::App& app) {
       auto o = std::make_shared<UnrelatedOptions>();
       add_input_options(app, o->input);
       app.add_option("--king-cutoff", o->cutoff, "Remove samples until no pair has kinship above this")
           ->required()
           ->check(CLI::Range(-1.0, 0.5));
       return Runner([o](Invocation& inv) { run_unrelated(*o, inv); });
     },
     41});

}  // namespace
}  // namespace genomap::cli
