// genomap missing: missing call counts per sample (.smiss) and per variant (.vmiss), as plink2 --missing.
#include "command_registry.hpp"
#include "invocation.hpp"
#include "genomap/qc/missingness.hpp"
#include "qc_tables.hpp"

namespace genomap::cli {
namespace {

struct MissingOptions {
  InputOptions input;
};

void run_missing(const MissingOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  OutputFile& smiss = inv.outputs().open(".smiss");
  OutputFile& vmiss = inv.outputs().open(".vmiss");
  vmiss.write("#CHROM\tID\tMISSING_CT\tOBS_CT\tF_MISS\n");
  std::string text;
  const SampleMissingness samples =
      compute_missingness(data, inv.context(), [&](std::size_t first, std::span<const VariantMissingness> rows) {
        text.clear();
        for (std::size_t k = 0; k < rows.size(); ++k) {
          const Variant& var = data.variant(first + k);
          text += chromosome_text(var);
          text.push_back('\t');
          text += var.id;
          text.push_back('\t');
          append_uint(text, rows[k].missing_ct);
          text.push_back('\t');
          append_uint(text, rows[k].obs_ct);
          append_ratio(text, rows[k].missing_ct, rows[k].obs_ct);
          text.push_back('\n');
        }
        vmiss.write(text);
      });
  inv.log().phase_done("count missing calls and write .vmiss");
  const bool with_fid = has_family_ids(data);
  text = with_fid ? "#FID\tIID\tMISSING_CT\tOBS_CT\tF_MISS\n" : "#IID\tMISSING_CT\tOBS_CT\tF_MISS\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    append_sample_ids(text, data, i, with_fid);
    text.push_back('\t');
    append_uint(text, samples.missing_ct[i]);
    text.push_back('\t');
    append_uint(text, samples.obs_ct[i]);
    append_ratio(text, samples.missing_ct[i], samples.obs_ct[i]);
    text.push_back('\n');
  }
  smiss.write(text);
  inv.log().phase_done("write .smiss");
}

const bool registered = register_command({"missing", "Missing call rates per sample and variant (.smiss, .vmiss)",
                                          [](CLI::App& app) {
  auto o = std::make_shared<MissingOptions>();
  add_input_options(app, o->input);
  return Runner([o](Invocation& inv) { run_missing(*o, inv); });
}, 11});

}  // namespace
}  // namespace genomap::cli
