// genomap missing: missing call counts per sample (.smiss) and per variant (.vmiss), as plink2 --missing.
#include "command_registry.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/qc/missingness.hpp"
#include "genomap/qc/qc_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct MissingOptions {
  InputOptions input;
  std::string split;  // --split I/N
};

void run_missing(const MissingOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  inv.split_variants(o.split, data);
  inv.distribute_variants(data);  // under MPI: this rank's variants; the per-sample counts are summed
  OutputFile* smiss = inv.writes_outputs() ? &inv.outputs().open(".smiss") : nullptr;
  VmissWriter vmiss(inv.outputs().open(".vmiss"), data);
  SampleMissingness samples = compute_missingness(
      data, inv.context(),
      [&](std::size_t first, std::span<const VariantMissingness> rows) { vmiss.write(first, rows); });
  inv.log().phase_done("count missing calls and write .vmiss");
  inv.join_ranks();
  mpi::allreduce_sum(samples.missing_ct);
  mpi::allreduce_sum(samples.obs_ct);
  if (smiss) write_smiss(*smiss, data, samples);
  inv.log().phase_done("write .smiss");
}

const bool registered =
    register_command({"missing", "Missing call rates per sample and variant (.smiss, .vmiss)",
                      [](CLI::App& app) {
                        auto o = std::make_shared<MissingOptions>();
                        add_input_options(app, o->input);
                        add_split_option(app, o->split);
                        return Runner([o](Invocation& inv) { run_missing(*o, inv); });
                      },
                      11, true});

}  // namespace
}  // namespace genomap::cli
