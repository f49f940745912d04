// genomap het: observed and expected homozygous counts and F per sample, as plink2 --het (.het).
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "invocation.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "genomap/qc/qc_files.hpp"

namespace genomap::cli {
namespace {

struct HetOptions {
  InputOptions input;
};

void run_het(const HetOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  const HeterozygosityResult result = compute_heterozygosity(data, inv.context());
  inv.log().note(fmt::format("--het: {} autosomal variants used, {} monomorphic ones skipped", result.variants_used,
                             result.monomorphic_skipped));
  if (result.variants_used == 0) throw Error("het: no polymorphic autosomal variants");
  inv.log().phase_done("count homozygous calls");
  write_het(inv.outputs().open(".het"), data, result);
  inv.log().phase_done("write .het");
}

const bool registered = register_command({"het", "Homozygosity and inbreeding coefficient F per sample (.het)",
                                          [](CLI::App& app) {
  auto o = std::make_shared<HetOptions>();
  add_input_options(app, o->input);
  return Runner([o](Invocation& inv) { run_het(*o, inv); });
}, 13});

}  // namespace
}  // namespace genomap::cli
