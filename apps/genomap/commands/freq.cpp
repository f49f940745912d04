// genomap freq: allele frequencies as plink2's .afreq.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "invocation.hpp"
#include "genomap/qc/allele_frequency.hpp"

namespace genomap::cli {
namespace {

struct FreqOptions {
  InputOptions input;
};

void run_freq(const FreqOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  auto counts = count_all_genotypes(data, inv.context());
  inv.log().phase_done("count genotypes");
  OutputFile& out = inv.outputs().open(".afreq");
  std::FILE* f = out.stream();
  fmt::print(f, "#CHROM\tID\tREF\tALT\tALT_FREQS\tOBS_CT\n");
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    const Variant& var = data.variant(v);
    const auto& c = counts[v];
    const std::uint32_t obs = 2 * c.called();
    const std::string alt = var.allele1 == "0" ? "." : var.allele1;
    if (obs == 0) fmt::print(f, "{}\t{}\t{}\t{}\tNaN\t0\n", var.chrom, var.id, var.allele2, alt);
    else fmt::print(f, "{}\t{}\t{}\t{}\t{:.6g}\t{}\n", var.chrom, var.id, var.allele2, alt,
                    static_cast<double>(c.allele1_count()) / obs, obs);
  }
  inv.log().phase_done("write .afreq");
}

const bool registered = register_command({"freq", "Allele frequencies (.afreq)", [](CLI::App& app) {
  auto o = std::make_shared<FreqOptions>();
  add_input_options(app, o->input);
  return Runner([o](Invocation& inv) { run_freq(*o, inv); });
}, 10});

}  // namespace
}  // namespace genomap::cli
