// genomap import: VCF/BCF to a PLINK 1 fileset (.bed/.bim/.fam), as plink2 --vcf FILE --make-bed.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/vcf/vcf_import.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

struct ImportCommandOptions {
  std::string vcf;
  bool split_multiallelic = false;
  bool double_id = false;
  std::string id_delim;
  std::string half_call = "missing";
};

void run_import(const ImportCommandOptions& c, Invocation& inv) {
  VcfImportOptions o;
  o.path = c.vcf;
  o.split_multiallelic = c.split_multiallelic;
  o.double_id = c.double_id;
  if (!c.id_delim.empty()) {
    if (c.id_delim.size() != 1) throw CLI::ValidationError("--id-delim", "must be a single character");
    if (c.double_id) throw CLI::ValidationError("--id-delim", "cannot be combined with --double-id");
    o.id_delim = c.id_delim[0];
  }
  if (c.half_call == "missing")
    o.half_call = HalfCallMode::Missing;
  else if (c.half_call == "error")
    o.half_call = HalfCallMode::Error;
  else if (c.half_call == "haploid")
    o.half_call = HalfCallMode::Haploid;
  else if (c.half_call == "reference")
    o.half_call = HalfCallMode::Reference;
  else
    throw CLI::ValidationError("--vcf-half-call", "must be missing, error, haploid or reference");
  const VcfImportCounts n = import_vcf(o, inv.outputs(), inv.context());
  inv.log().add_input(c.vcf);
  inv.log().note(fmt::format("{} samples; {} records read", n.sample_ct, n.records));
  inv.log().note(fmt::format("{} biallelic records written ({} of them with ALT '.')", n.biallelic + n.no_alt,
                             n.no_alt));
  if (o.split_multiallelic)
    inv.log().note(fmt::format("{} multiallelic records split into {} biallelic variants",
                               n.multiallelic_split, n.split_variants));
  else
    inv.log().note(fmt::format("{} multiallelic records skipped (--split-multiallelic keeps them)",
                               n.multiallelic_skipped));
  inv.log().note(fmt::format("{} variants written", n.variants_written));
  inv.log().note(
      fmt::format("{} half-missing GT calls ({}), {} haploid calls read as homozygous, {} calls with "
                  "more than two alleles set missing, {} records without GT",
                  n.half_calls, c.half_call, n.haploid_calls, n.polyploid_calls, n.records_without_gt));
  inv.log().phase_done("import");
}

const bool registered = register_command(
    {"import", "VCF/BCF to .bed/.bim/.fam (as plink2 --vcf --make-bed)",
     [](CLI::App& app) {
       auto o = std::make_shared<ImportCommandOptions>();
       app.add_option("--vcf,--bcf", o->vcf, "Input .vcf, .vcf.gz or .bcf")->required();
       app.add_flag("--split-multiallelic", o->split_multiallelic,
                    "Split multiallelic records into one biallelic variant per ALT (other ALTs become REF); "
                    "default: skip them");
       app.add_flag("--double-id", o->double_id, "FID = IID = the VCF sample ID (default: FID 0)");
       app.add_option("--id-delim", o->id_delim, "Split VCF sample IDs into FID and IID at the first C");
       app.add_option(
              "--vcf-half-call", o->half_call,
              "Half-missing calls such as 0/.: missing, error, haploid or reference (as plink2's modes)")
           ->capture_default_str();
       return Runner([o](Invocation& inv) { run_import(*o, inv); });
     },
     5});

}  // namespace
}  // namespace genomap::cli
