// genomap freq: allele frequencies as plink2's .afreq (byte-identical output).
#include "command_registry.hpp"
#include "genomap/qc/allele_frequency.hpp"
#include "genomap/qc/qc_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct FreqOptions {
  InputOptions input;
  std::string split;  // --split I/N
};

void run_freq(const FreqOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  inv.split_variants(o.split, data);
  inv.distribute_variants(data);  // under MPI: this rank's variants; rank 0 writes the rows in rank order
  AfreqWriter afreq(inv.outputs().open(".afreq"), data);
  count_alleles_by_ploidy(data, inv.context(), [&](std::size_t first, std::span<const PloidyCounts> counts) {
    afreq.write(first, counts);
  });
  inv.log().phase_done("count alleles and write .afreq");
}

const bool registered = register_command({"freq", "Allele frequencies (.afreq, as plink2 --freq)",
                                          [](CLI::App& app) {
                                            auto o = std::make_shared<FreqOptions>();
                                            add_input_options(app, o->input);
                                            add_split_option(app, o->split);
                                            return Runner([o](Invocation& inv) { run_freq(*o, inv); });
                                          },
                                          10, true});

}  // namespace
}  // namespace genomap::cli
