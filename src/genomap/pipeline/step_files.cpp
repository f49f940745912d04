#include "genomap/pipeline/step_files.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/number_format.hpp"
#include "genomap/qc/hardy.hpp"
#include "genomap/qc/heterozygosity.hpp"
#include "genomap/qc/qc_files.hpp"
#include "genomap/relate/king_format.hpp"

namespace genomap {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

void append_ids(std::string& line, const Dataset& data, std::size_t i) {
  const Sample& s = data.sample(i);
  line += s.fid;
  line.push_back('\t');
  line += s.iid;
}

// The QC tables are written by the qc module's writers (the same bytes as genomap missing/hardy/het); the
// pipeline keeps the per-sample and per-variant values the report shows.
void write_missingness(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  OutputFile& smiss = outputs.open(".smiss");
  VmissWriter vmiss(outputs.open(".vmiss"), data);
  const SampleMissingness samples =
      compute_missingness(data, ctx, [&](std::size_t first, std::span<const VariantMissingness> rows) {
        vmiss.write(first, rows);
      });
  write_smiss(smiss, data, samples);
  tables.missing_rate.resize(data.sample_ct());
  for (std::size_t i = 0; i < data.sample_ct(); ++i)
    tables.missing_rate[i] =
        samples.obs_ct[i] ? static_cast<double>(samples.missing_ct[i]) / samples.obs_ct[i] : kNan;
}

// As genomap hardy (without --midp): .hardy for diploid chromosomes, .hardy.x for chrX, haploid ones skipped.
void write_hardy(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  bool any_x = false, any_diploid = false;
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    const auto ploidy = chromosome_ploidy(data.variant(v).chrom_code);
    any_x = any_x || ploidy == ChromosomePloidy::X;
    any_diploid = any_diploid || ploidy == ChromosomePloidy::Diploid;
  }
  tables.hwe_p.assign(data.variant_ct(), kNan);
  if (!any_x && !any_diploid) return;
  HardyWriter writer(any_diploid ? &outputs.open(".hardy") : nullptr, any_x ? &outputs.open(".hardy.x") : nullptr,
                     data, false);
  compute_hardy_weinberg(data, ctx, false, [&](std::size_t first, std::span<const HardyResult> rows) {
    writer.write(first, rows);
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (rows[k].ploidy == ChromosomePloidy::Diploid || rows[k].ploidy == ChromosomePloidy::X)
        tables.hwe_p[first + k] = rows[k].p;
  });
  for (double p : tables.hwe_p) tables.hwe_tested += !std::isnan(p);
}

void write_het(const Dataset& data, OutputSet& outputs, const Context& ctx, QcTables& tables) {
  const HeterozygosityResult result = compute_heterozygosity(data, ctx);
  tables.het_f.assign(data.sample_ct(), kNan);
  if (result.variants_used == 0) {
    ctx.note("het: no polymorphic autosomal variants; no .het written");
    return;
  }
  write_het(outputs.open(".het"), data, result);
  for (std::size_t i = 0; i < data.sample_ct(); ++i) tables.het_f[i] = result.samples[i].f();
}

}  // namespace

QcTables write_qc_tables(const Dataset& data, OutputSet& outputs, const Context& ctx) {
  QcTables tables;
  write_missingness(data, outputs, ctx, tables);
  write_hardy(data, outputs, ctx, tables);
  write_het(data, outputs, ctx, tables);
  return tables;
}

std::vector<KinshipPair> kinship_pairs_at_least(const Dataset& data, double keep_min, std::FILE* kin0,
                                                std::size_t background_ct, const Context& ctx) {
  std::vector<KinshipPair> pairs;
  const std::size_t n = data.sample_ct();
  const std::size_t pair_ct = n * (n - 1) / 2;
  const std::size_t every = background_ct ? std::max<std::size_t>(1, pair_ct / background_ct) : 0;
  std::size_t pair_index = 0;
  fmt::print(kin0, "#FID1\tIID1\tFID2\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP\n");
  const KingPlan plan = plan_king(data, ctx);
  std::string line;
  char number[32];
  auto put_g6 = [&](double v) {
    line.push_back('\t');
    line.append(number, write_g6(number, v));
  };
  compute_king(data, ctx, plan, [&](const KingBand& band) {
    for (std::size_t j = band.row_begin; j < band.row_end; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        const KingPairCounts& c = band.at(j, i);
        const double kinship = king_kinship(c);
        const bool background = every && pair_index++ % every == 0;
        if (!(kinship >= keep_min)) {
          if (background)
            pairs.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), c, false});
          continue;
        }
        pairs.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), c, true});
        line.clear();
        append_ids(line, data, j);
        line.push_back('\t');
        append_ids(line, data, i);
        line.push_back('\t');
        line.append(number, write_u32(number, c.nsnp));
        put_g6(c.nsnp ? static_cast<double>(c.hethet) / c.nsnp : kNan);
        put_g6(c.nsnp ? static_cast<double>(c.ibs0) / c.nsnp : kNan);
        put_g6(kinship);
        line.push_back('\n');
        fmt::print(kin0, "{}", line);
      }
    }
  });
  return pairs;
}

}  // namespace genomap
