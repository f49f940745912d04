// genomap freq: allele frequencies as plink2's .afreq (byte-identical output).
#include "command_registry.hpp"
#include "genomap/qc/allele_frequency.hpp"
#include "invocation.hpp"
#include "qc_tables.hpp"

namespace genomap::cli {
namespace {

struct FreqOptions {
  InputOptions input;
};

void run_freq(const FreqOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  OutputFile& out = inv.outputs().open(".afreq");
  out.write("#CHROM\tID\tREF\tALT\tALT_FREQS\tOBS_CT\n");
  std::string text;
  count_alleles_by_ploidy(data, inv.context(), [&](std::size_t first, std::span<const PloidyCounts> counts) {
    text.clear();
    for (std::size_t k = 0; k < counts.size(); ++k) {
      const Variant& var = data.variant(first + k);
      const std::uint64_t obs = counts[k].allele_obs();
      text += chromosome_text(var);
      text.push_back('\t');
      text += var.id;
      text.push_back('\t');
      text += allele_text(var.allele2);
      text.push_back('\t');
      text += allele_text(var.allele1);
      append_ratio(text, counts[k].allele1_count(), static_cast<double>(obs));
      text.push_back('\t');
      append_uint(text, obs);
      text.push_back('\n');
    }
    out.write(text);
  });
  inv.log().phase_done("count alleles and write .afreq");
}

const bool registered = register_command({"freq", "Allele frequencies (.afreq, as plink2 --freq)",
                                          [](CLI::App& app) {
                                            auto o = std::make_shared<FreqOptions>();
                                            add_input_options(app, o->input);
                                            return Runner([o](Invocation& inv) { run_freq(*o, inv); });
                                          },
                                          10});

}  // namespace
}  // namespace genomap::cli
