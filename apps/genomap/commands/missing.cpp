// genomap missing: missing call counts per sample (.smiss) and per variant (.vmiss), as plink2 --missing.
#include "command_registry.hpp"
#include "genomap/qc/missingness.hpp"
#include "invocation.hpp"
#include "qc_tables.hpp"

namespace genomap::cli {
namespace {

// The .fam phenotype as plink2 reads it: case/control when every value is 0, 1, 2 or -9 (0 and -9 missing),
// quantitative otherwise (-9 and NA missing). Empty when no sample has a phenotype (plink2 then writes no
// PHENO1 column); otherwise one flag per sample of the fileset, true when missing.
std::vector<char> phenotype_missing(const SampleTable& samples) {
  bool binary = true;
  for (const auto& s : samples.all()) {
    const std::string& v = s.phenotype;
    if (v != "0" && v != "1" && v != "2" && v != "-9" && v != "NA" && v != "nan") binary = false;
  }
  std::vector<char> missing(samples.size());
  bool any_present = false;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::string& v = samples[i].phenotype;
    missing[i] = v == "-9" || v == "NA" || v == "nan" || (binary && v == "0");
    any_present = any_present || !missing[i];
  }
  if (!any_present) missing.clear();
  return missing;
}

struct MissingOptions {
  InputOptions input;
};

void run_missing(const MissingOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  OutputFile& smiss = inv.outputs().open(".smiss");
  OutputFile& vmiss = inv.outputs().open(".vmiss");
  vmiss.write("#CHROM\tID\tMISSING_CT\tOBS_CT\tF_MISS\n");
  std::string text;
  const SampleMissingness samples = compute_missingness(
      data, inv.context(), [&](std::size_t first, std::span<const VariantMissingness> rows) {
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
  const std::vector<char> pheno_missing = phenotype_missing(data.store->samples());
  text = with_fid ? "#FID\tIID" : "#IID";
  text += pheno_missing.empty() ? "\tMISSING_CT\tOBS_CT\tF_MISS\n" : "\tPHENO1\tMISSING_CT\tOBS_CT\tF_MISS\n";
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    append_sample_ids(text, data, i, with_fid);
    if (!pheno_missing.empty()) text += pheno_missing[data.samples.uidx(i)] ? "\tY" : "\tN";
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

const bool registered =
    register_command({"missing", "Missing call rates per sample and variant (.smiss, .vmiss)",
                      [](CLI::App& app) {
                        auto o = std::make_shared<MissingOptions>();
                        add_input_options(app, o->input);
                        return Runner([o](Invocation& inv) { run_missing(*o, inv); });
                      },
                      11});

}  // namespace
}  // namespace genomap::cli
