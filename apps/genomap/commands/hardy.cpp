// genomap hardy: Hardy-Weinberg exact tests as plink2 --hardy (.hardy; .hardy.x for chrX).
#include "genomap/qc/hardy.hpp"

#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/qc/qc_files.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct HardyOptions {
  InputOptions input;
  std::string split;  // --split I/N
  bool midp = false;
};

void run_hardy(const HardyOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
  inv.split_variants(o.split, data);
  bool any_x = false, any_diploid = false;
  std::size_t haploid_ct = 0;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    const auto ploidy = chromosome_ploidy(data.variant(v).chrom_code);
    any_x = any_x || ploidy == ChromosomePloidy::X;
    any_diploid = any_diploid || ploidy == ChromosomePloidy::Diploid;
    haploid_ct += ploidy == ChromosomePloidy::Y || ploidy == ChromosomePloidy::MT;
  }
  // As plink2: haploid variants are skipped, and with nothing else left only the log is written.
  if (haploid_ct)
    inv.log().note(fmt::format("hardy: skipping {} haploid (chrY, chrMT) variants", haploid_ct));
  if (!any_x && !any_diploid) return;
  // Under MPI: this rank's variants, after the files are chosen from all of them (rank 0 writes the rows of
  // every rank under its headers).
  inv.distribute_variants(data);
  OutputFile* hardy = any_diploid ? &inv.outputs().open(".hardy") : nullptr;
  OutputFile* hardy_x = any_x ? &inv.outputs().open(".hardy.x") : nullptr;
  HardyWriter writer(hardy, hardy_x, data, o.midp);
  compute_hardy_weinberg(
      data, inv.context(), o.midp,
      [&](std::size_t first, std::span<const HardyResult> rows) { writer.write(first, rows); });
  inv.log().phase_done(o.midp ? "exact tests (mid-p) and write" : "exact tests and write");
}

const bool registered =
    register_command({"hardy", "Hardy-Weinberg exact tests (.hardy, .hardy.x)",
                      [](CLI::App& app) {
                        auto o = std::make_shared<HardyOptions>();
                        add_input_options(app, o->input);
                        add_split_option(app, o->split);
                        app.add_flag("--midp", o->midp, "Mid-p adjusted p-values (as plink2 --hardy midp)");
                        return Runner([o](Invocation& inv) { run_hardy(*o, inv); });
                      },
                      12, true});

}  // namespace
}  // namespace genomap::cli
