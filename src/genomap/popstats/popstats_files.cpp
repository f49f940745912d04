#include "genomap/popstats/popstats_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace genomap {
namespace {

const char* fst_column(FstMethod method) {
  return method == FstMethod::WeirCockerham ? "WC_FST" : "HUDSON_FST";
}

std::string format_value(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : "nan"; }

// One row: the statistic, its populations (at least 4 columns, "." beyond the statistic's own), the values.
void write_statistic(std::FILE* out, const StatisticResult& r, const PopulationAssignment& pops) {
  const std::size_t k = population_count(r.request.kind);
  fmt::print(out, "{}", statistic_name(r.request.kind));
  for (std::size_t i = 0; i < std::max<std::size_t>(k, 4); ++i)
    fmt::print(out, "\t{}", i < k ? pops.names[r.request.pops[i]] : ".");
  fmt::print(out, "\t{}\t{}\t{}\t{}\t{}\n", format_value(r.value), format_value(r.se), format_value(r.z),
             r.snp_ct, r.block_ct);
}

constexpr const char* kStatisticHeader = "#STATISTIC\tPOP1\tPOP2\tPOP3\tPOP4\tVALUE\tSE\tZ\tN_SNPS\tN_BLOCKS\n";
constexpr const char* kRatioHeader =
    "#STATISTIC\tPOP1\tPOP2\tPOP3\tPOP4\tPOP5\tPOP6\tPOP7\tPOP8\tVALUE\tSE\tZ\tN_SNPS\tN_BLOCKS\n";

}  // namespace

void write_fst_summary(std::FILE* out, const FstResult& result, const PopulationAssignment& pops,
                       const FstOptions& options) {
  fmt::print(out, "#POP1\tPOP2\t{}{}\n", fst_column(options.method), options.block_size ? "\tSE" : "");
  for (const auto& pair : result.pairs) {
    fmt::print(out, "{}\t{}\t{:.6g}", pops.names[pair.pop1], pops.names[pair.pop2], pair.fst);
    if (options.block_size) fmt::print(out, "\t{:.6g}", pair.se);
    fmt::print(out, "\n");
  }
}

std::string fst_variant_suffix(const FstPair& pair, const PopulationAssignment& pops) {
  return fmt::format(".{}.{}.fst.var", pops.names[pair.pop1], pops.names[pair.pop2]);
}

void write_fst_variants(std::FILE* out, const std::vector<Variant>& variants, const FstPair& pair,
                        FstMethod method) {
  fmt::print(out, "#CHROM\tPOS\tID\tOBS_CT\t{}\n", fst_column(method));
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const Variant& var = variants[i];
    const FstTerm& t = pair.terms[i];
    fmt::print(out, "{}\t{}\t{}\t{}\t", var.chrom, var.pos, var.id, pair.called_ct[i]);
    if (t.valid)
      fmt::print(out, "{:.6g}\n", t.numer / t.denom);
    else
      fmt::print(out, "nan\n");
  }
}

void write_variance_share(std::FILE* out, const VarianceShare& share, const PopulationAssignment& pops) {
  fmt::print(out, "#POPULATIONS\tSAMPLES\tVARIANTS\tBETWEEN_SHARE\tSE\tWITHIN_SHARE\tJACKKNIFE_BLOCKS\n");
  std::size_t samples = 0;
  for (auto s : pops.sizes) samples += s;
  fmt::print(out, "{}\t{}\t{}\t{:.6g}\t{:.6g}\t{:.6g}\t{}\n", pops.pop_ct(), samples, share.variant_ct,
             share.between, share.se, 1 - share.between, share.block_ct);
}

void write_statistic_table(std::FILE* out, const std::vector<StatisticResult>& results,
                           const PopulationAssignment& pops) {
  fmt::print(out, "{}", kStatisticHeader);
  for (const auto& r : results) write_statistic(out, r, pops);
}

void write_fstats_files(OutputSet& outputs, const FstatsResult& result, const PopulationAssignment& pops) {
  write_statistic_table(outputs.open(".f2").stream(), result.f2, pops);
  std::FILE* statistics = nullptr;
  std::FILE* ratios = nullptr;
  for (const auto& r : result.requested) {
    std::FILE*& out = r.request.kind == StatisticKind::F4Ratio ? ratios : statistics;
    if (!out) {
      const bool ratio = r.request.kind == StatisticKind::F4Ratio;
      out = outputs.open(ratio ? ".f4ratio" : ".fstats").stream();
      fmt::print(out, "{}", ratio ? kRatioHeader : kStatisticHeader);
    }
    write_statistic(out, r, pops);
  }
}

}  // namespace genomap
