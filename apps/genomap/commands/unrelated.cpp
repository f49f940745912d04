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

void write_ids(std::FILE* f, const Dataset& data, const std::vector<bool>& removed, bool want_removed) {
  fmt::print(f, "#FID\tIID\n");
  for (std::size_t s = 0; s < data.sample_ct(); ++s)
    if (removed[s] == want_removed) fmt::print(f, "{}\t{}\n", data.sample(s).fid, data.sample(s).iid);
}

void run_unrelated(const UnrelatedOptions& o, Invocation& inv) {
  const Context& ctx = inv.context();
  std::size_t excluded = 0;
  const Dataset data = king_variants(inv.load_dataset(o.input), &excluded);
  if (excluded > 0)
    ctx.note(fmt::format("Excluding {} variants on X, Y and MT from KING-robust kinship.", excluded));
  if (data.sample_ct() == 0) throw Error(o.input.bfile + ".fam", 0, "no samples left to choose from");
  std::vector<RelatedPair> related;
  const KingPlan plan = plan_king(data, ctx);
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    for (std::size_t j = band.row_begin; j < band.row_end; ++j)
      for (std::size_t i = 0; i < j; ++i)
        if (king_kinship(band.at(j, i)) > o.cutoff)
          related.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
  });
  inv.log().phase_done("KING-robust kinship");
  const std::vector<bool> removed = remove_relatives(data.sample_ct(), related);
  std::size_t removed_ct = 0;
  for (bool r : removed) removed_ct += r;
  ctx.note(
      fmt::format("--king-cutoff {}: {} related pairs; removed {} samples (most relatives first, ties: the "
                  "later sample), kept {}.",
                  o.cutoff, related.size(), removed_ct, data.sample_ct() - removed_ct));
  write_ids(inv.outputs().open(".king.cutoff.in.id").stream(), data, removed, false);
  write_ids(inv.outputs().open(".king.cutoff.out.id").stream(), data, removed, true);
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
