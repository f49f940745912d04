// genomap hardy: Hardy-Weinberg exact tests as plink2 --hardy (.hardy; .hardy.x for chrX).
#include "genomap/qc/hardy.hpp"

#include <fmt/format.h>

#include "command_registry.hpp"
#include "invocation.hpp"
#include "qc_tables.hpp"

namespace genomap::cli {
namespace {

struct HardyOptions {
  InputOptions input;
  bool midp = false;
};

void append_variant_alleles(std::string& line, const Variant& var) {
  // plink2 names A1 the REF allele (.bim column 6) and AX the other.
  line += chromosome_text(var);
  line.push_back('\t');
  line += var.id;
  line.push_back('\t');
  line += allele_text(var.allele2);
  line.push_back('\t');
  line += allele_text(var.allele1);
}

// Observed and expected heterozygote fractions and the REF frequency of a diploid genotype count.
void append_het_fractions(std::string& line, const GenotypeCounts& c) {
  const double n = c.called();
  append_ratio(line, c.het, n);
  const double p = n > 0 ? (2.0 * c.hom2 + c.het) / (2.0 * n) : 0.0;
  line.push_back('\t');
  append_g6(line, n > 0 ? 2.0 * p * (1.0 - p) : 0.0);
}

void append_count(std::string& line, std::uint64_t v) {
  line.push_back('\t');
  append_uint(line, v);
}

void run_hardy(const HardyOptions& o, Invocation& inv) {
  Dataset data = inv.load_dataset(o.input);
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
  OutputFile* hardy = any_diploid ? &inv.outputs().open(".hardy") : nullptr;
  OutputFile* hardy_x = any_x ? &inv.outputs().open(".hardy.x") : nullptr;
  const std::string p_column = o.midp ? "MIDP\n" : "P\n";  // plink2 names the column after the p-value kind
  if (hardy)
    hardy->write("#CHROM\tID\tA1\tAX\tHOM_A1_CT\tHET_A1_CT\tTWO_AX_CT\tO(HET_A1)\tE(HET_A1)\t" + p_column);
  if (hardy_x)
    hardy_x->write(
        "#CHROM\tID\tA1\tAX\tFEMALE_HOM_A1_CT\tFEMALE_HET_A1_CT\tFEMALE_TWO_AX_CT\tMALE_A1_CT\tMALE_AX_CT\t"
        "O(FEMALE_HET_A1)\tE(FEMALE_HET_A1)\tFEMALE_A1_FREQ\tMALE_A1_FREQ\t" +
        p_column);
  std::string text, text_x;
  compute_hardy_weinberg(
      data, inv.context(), o.midp, [&](std::size_t first, std::span<const HardyResult> rows) {
        text.clear();
        text_x.clear();
        for (std::size_t k = 0; k < rows.size(); ++k) {
          const HardyResult& r = rows[k];
          const Variant& var = data.variant(first + k);
          const GenotypeCounts& c = r.diploid;
          if (r.ploidy == ChromosomePloidy::Diploid) {
            append_variant_alleles(text, var);
            append_count(text, c.hom2);
            append_count(text, c.het);
            append_count(text, c.hom1);
            append_het_fractions(text, c);
            text.push_back('\t');
            append_g6(text, r.p);
            text.push_back('\n');
          } else if (r.ploidy == ChromosomePloidy::X) {
            append_variant_alleles(text_x, var);
            append_count(text_x, c.hom2);
            append_count(text_x, c.het);
            append_count(text_x, c.hom1);
            append_count(text_x, r.male.hom2);
            append_count(text_x, r.male.hom1);
            append_het_fractions(text_x, c);
            append_ratio(text_x, 2.0 * c.hom2 + c.het, 2.0 * c.called());
            append_ratio(text_x, r.male.hom2, static_cast<double>(r.male.hom1) + r.male.hom2);
            text_x.push_back('\t');
            append_g6(text_x, r.p);
            text_x.push_back('\n');
          }
        }
        if (hardy) hardy->write(text);
        if (hardy_x) hardy_x->write(text_x);
      });
  inv.log().phase_done(o.midp ? "exact tests (mid-p) and write" : "exact tests and write");
}

const bool registered =
    register_command({"hardy", "Hardy-Weinberg exact tests (.hardy, .hardy.x)",
                      [](CLI::App& app) {
                        auto o = std::make_shared<HardyOptions>();
                        add_input_options(app, o->input);
                        app.add_flag("--midp", o->midp, "Mid-p adjusted p-values (as plink2 --hardy midp)");
                        return Runner([o](Invocation& inv) { run_hardy(*o, inv); });
                      },
                      12});

}  // namespace
}  // namespace genomap::cli
