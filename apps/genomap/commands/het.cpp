// genomap het: observed and expected homozygous counts and F per sample, as plink2 --het (.het).
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "invocation.hpp"
#include "qc_tables.hpp"

namespace genomap::cli {
namespace {

struct HetOptions {
  InputOptions input;
};

void run_het(const HetOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  const HeterozygosityResult result = compute_heterozygosity(data, inv.context());
  inv.log().note(fmt::format("--het: {} autosomal variants used, {} monomorphic ones skipped",
                             result.variants_used, result.monomorphic_skipped));
  if (result.variants_used == 0) throw Error("het: no polymorphic autosomal variants");
  inv.log().phase_done("count homozygous calls");
  const bool with_fid = has_family_ids(data);
  std::string text =
      with_fid ? "#FID\tIID\tO(HOM)\tE(HOM)\tOBS_CT\tF\n" : "#IID\tO(HOM)\tE(HOM)\tOBS_CT\tF\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const SampleHeterozygosity& s = result.samples[i];
    append_sample_ids(text, data, i, with_fid);
    text.push_back('\t');
    append_uint(text, s.observed_hom);
    text.push_back('\t');
    append_g6(text, s.expected_hom);
    text.push_back('\t');
    append_uint(text, s.obs_ct);
    text.push_back('\t');
    append_g6(text, s.f());
    text.push_back('\n');
  }
  inv.outputs().open(".het").write(text);
  inv.log().phase_done("write .het");
}

const bool registered =
    register_command({"het", "Homozygosity and inbreeding coefficient F per sample (.het)",
                      [](CLI::App& app) {
                        auto o = std::make_shared<HetOptions>();
                        add_input_options(app, o->input);
                        return Runner([o](Invocation& inv) { run_het(*o, inv); });
                      },
                      13});

}  // namespace
}  // namespace genomap::cli
