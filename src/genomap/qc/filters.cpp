#include "genomap/qc/filters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "genomap/core/error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/qc/hardy_exact.hpp"
#include "genomap/qc/missingness.hpp"
#include "genomap/qc/ploidy.hpp"

namespace genomap {

std::vector<std::uint32_t> read_sample_id_file(const std::string& path, const SampleTable& samples,
                                               std::size_t* missing_ct) {
  LineReader reader(path);
  std::string line;
  std::vector<std::uint32_t> out;
  std::size_t missing = 0;
  int id_columns = 0;  // 1: IID only, 2: FID IID; decided by the header or the first line
  bool first = true;
  while (reader.next(line)) {
    auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (first) {
      first = false;
      if (f[0] == "#FID" || f[0] == "FID") {
        id_columns = 2;
        continue;
      }
      if (f[0] == "#IID" || f[0] == "IID") {
        id_columns = 1;
        continue;
      }
      id_columns = f.size() >= 2 ? 2 : 1;
    }
    if (f[0].starts_with('#')) continue;
    if (static_cast<int>(f.size()) < id_columns)
      reader.fail(fmt::format("expected {} ID column(s), found {}", id_columns, f.size()));
    std::optional<std::uint32_t> idx;
    if (id_columns == 2) {
      std::string fid(f[0]);
      idx = samples.find(std::string(f[1]), &fid);
    } else {
      try {
        idx = samples.find(std::string(f[0]));
      } catch (const Error& e) {
        reader.fail(e.what());
      }
    }
    if (idx) out.push_back(*idx);
    else ++missing;
  }
  if (missing_ct) *missing_ct = missing;
  return out;
}

std::vector<std::string> read_variant_id_file(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> ids;
  while (reader.next(line)) {
    auto f = split_whitespace(line);
    if (!f.empty()) ids.emplace_back(f[0]);
  }
  return ids;
}

namespace {

std::vector<std::uint32_t> select_samples(const GenotypeStore& store, const FilterOptions& o, const Context& ctx) {
  const std::size_t n = store.sample_ct();
  std::vector<char> keep(n, 1);
  if (!o.keep.empty()) {
    std::size_t missing = 0;
    auto listed = read_sample_id_file(o.keep, store.samples(), &missing);
    std::fill(keep.begin(), keep.end(), 0);
    for (auto i : listed) keep[i] = 1;
    ctx.note(fmt::format("--keep: {} samples listed, {} of them not in the fileset", listed.size() + missing, missing));
  }
  if (!o.remove.empty()) {
    std::size_t missing = 0;
    auto listed = read_sample_id_file(o.remove, store.samples(), &missing);
    for (auto i : listed) keep[i] = 0;
    ctx.note(fmt::format("--remove: {} samples listed, {} of them not in the fileset", listed.size() + missing, missing));
  }
  if (o.allowed_samples) {
    std::vector<char> allowed(n, 0);
    for (auto i : *o.allowed_samples) allowed[i] = 1;
    for (std::size_t i = 0; i < n; ++i) keep[i] = keep[i] && allowed[i];
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i)
    if (keep[i]) out.push_back(i);
  return out;
}

std::vector<std::uint32_t> select_variants(const GenotypeStore& store, const FilterOptions& o, const Context& ctx) {
  const auto& variants = store.variants();
  const std::size_t m = variants.size();
  std::vector<char> keep(m, 1);
  if (!o.extract.empty()) {
    auto ids = read_variant_id_file(o.extract);
    std::unordered_set<std::string> set(ids.begin(), ids.end());
    for (std::size_t i = 0; i < m; ++i) keep[i] = set.count(variants[i].id) > 0;
  }
  if (!o.exclude.empty()) {
    auto ids = read_variant_id_file(o.exclude);
    std::unordered_set<std::string> set(ids.begin(), ids.end());
    for (std::size_t i = 0; i < m; ++i)
      if (set.count(variants[i].id)) keep[i] = 0;
  }
  if (!o.chromosomes.empty()) {
    auto sel = parse_chromosome_list(o.chromosomes);
    for (std::size_t i = 0; i < m; ++i)
      if (!sel.matches(variants[i].chrom_code, variants[i].chrom)) keep[i] = 0;
  }
  if (o.autosomes_only)
    for (std::size_t i = 0; i < m; ++i)
      if (!is_autosome(variants[i].chrom_code)) keep[i] = 0;
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < m; ++i)
    if (keep[i]) out.push_back(i);
  ctx.note(fmt::format("{} of {} variants selected by ID lists and chromosome filters", out.size(), m));
  return out;
}

void check_fraction(const std::optional<double>& v, const char* flag) {
  if (v && (*v < 0.0 || *v > 1.0)) throw Error(fmt::format("{} must be between 0 and 1 (got {})", flag, *v));
}

// --mind: per-sample missing call rates over the selected variants, counted as `genomap missing` counts them
// (vertical bit counters, parallel over samples; chrY left out for samples that are not male).
std::size_t apply_mind(Dataset& d, double max_missing, const Context& ctx) {
  const SampleMissingness m = compute_missingness(d, ctx, [](std::size_t, std::span<const VariantMissingness>) {});
  std::vector<std::uint32_t> kept;
  for (std::size_t i = 0; i < d.sample_ct(); ++i)
    if (static_cast<double>(m.missing_ct[i]) <= max_missing * static_cast<double>(m.obs_ct[i]))
      kept.push_back(d.samples.uidx(i));
  const std::size_t removed = d.sample_ct() - kept.size();
  ctx.note(fmt::format("--mind: {} samples removed", removed));
  d.samples = SampleView(d.store->sample_ct(), std::move(kept));
  return removed;
}

// --geno, --hwe and --maf with plink2's ploidy rules (see qc/ploidy.hpp): on chrX males count one allele and the
// exact test is the chrX one (females' genotypes and males' alleles); chrY counts males only; chrY and chrMT are
// not tested for Hardy-Weinberg equilibrium.
void apply_variant_qc(Dataset& d, const FilterOptions& o, const Context& ctx, FilterCounts& counts) {
  std::vector<char> keep(d.variant_ct(), 1);
  std::size_t by_geno = 0, by_hwe = 0, by_maf = 0;
  const SexMasks masks = SexMasks::of(d);
  const std::size_t words = masks.all.size();
  for_each_block(d, ctx, default_block_variants(d, ctx), "variant filters", [&](const GenotypeBlock& b) {
    const auto n = static_cast<std::ptrdiff_t>(b.variant_ct());
#pragma omp parallel for num_threads(ctx.threads) reduction(+ : by_geno, by_hwe, by_maf) schedule(dynamic, 64)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const auto v = static_cast<std::size_t>(i);
      const std::uint64_t* row = b.row(v);
      const auto ploidy = chromosome_ploidy(d.variant(b.first_variant_idx() + v).chrom_code);
      const PloidyCounts pc = count_by_ploidy(row, b.sample_ct(), ploidy, masks);
      char& k = keep[b.first_variant_idx() + v];
      if (o.max_variant_missing) {
        const double considered = ploidy == ChromosomePloidy::Y ? static_cast<double>(masks.male_ct)
                                                                : static_cast<double>(b.sample_ct());
        const double missing = static_cast<double>(pc.diploid.missing + pc.haploid.missing);
        if (missing > *o.max_variant_missing * considered) {
          k = 0;
          ++by_geno;
          continue;
        }
      }
      if (o.min_hwe_p && (ploidy == ChromosomePloidy::Diploid || ploidy == ChromosomePloidy::X)) {
        double p = 1.0;
        if (ploidy == ChromosomePloidy::Diploid) {
          p = hardy_weinberg_exact_p(pc.diploid.het, pc.diploid.hom1, pc.diploid.hom2, o.hwe_midp);
        } else {
          const GenotypeCounts f = count_genotypes_masked(row, masks.female.data(), words, masks.female_ct);
          p = hardy_weinberg_x_exact_p(f.hom1, f.het, f.hom2, pc.haploid.hom1, pc.haploid.hom2, o.hwe_midp);
        }
        if (p < *o.min_hwe_p) {
          k = 0;
          ++by_hwe;
          continue;
        }
      }
      if (o.min_maf) {
        const double obs = static_cast<double>(pc.allele_obs());
        const double f = obs > 0 ? pc.allele1_count() / obs : 0.0;
        if (obs == 0 || std::min(f, 1.0 - f) < *o.min_maf) {
          k = 0;
          ++by_maf;
        }
      }
    }
  });
  std::vector<std::uint32_t> kept;
  for (std::size_t i = 0; i < d.variant_ct(); ++i)
    if (keep[i]) kept.push_back(d.variant_uidx[i]);
  if (o.max_variant_missing) ctx.note(fmt::format("--geno: {} variants removed", by_geno));
  if (o.min_hwe_p) ctx.note(fmt::format("--hwe: {} variants removed", by_hwe));
  if (o.min_maf) ctx.note(fmt::format("--maf: {} variants removed", by_maf));
  counts.geno_removed = by_geno;
  counts.hwe_removed = by_hwe;
  counts.maf_removed = by_maf;
  d.variant_uidx = std::move(kept);
}

}  // namespace

Dataset apply_filters(std::shared_ptr<const GenotypeStore> store, const FilterOptions& o, const Context& ctx,
                      FilterCounts* counts) {
  FilterCounts local;
  FilterCounts& c = counts ? *counts : local;
  c = FilterCounts{};
  check_fraction(o.min_maf, "--maf");
  check_fraction(o.max_variant_missing, "--geno");
  check_fraction(o.max_sample_missing, "--mind");
  check_fraction(o.min_hwe_p, "--hwe");
  Dataset d;
  d.store = store;
  d.samples = SampleView(store->sample_ct(), select_samples(*store, o, ctx));
  d.variant_uidx = select_variants(*store, o, ctx);
  if (d.sample_ct() == 0) throw Error("no samples left after sample filters");
  if (d.variant_ct() == 0) throw Error("no variants left after variant filters");
  c.samples_selected = d.sample_ct();
  c.variants_selected = d.variant_ct();
  if (o.max_sample_missing) c.mind_removed = apply_mind(d, *o.max_sample_missing, ctx);
  if (d.sample_ct() == 0) throw Error("no samples left after --mind");
  if (o.max_variant_missing || o.min_hwe_p || o.min_maf) apply_variant_qc(d, o, ctx, c);
  if (d.variant_ct() == 0) throw Error("no variants left after --geno/--hwe/--maf");
  ctx.note(fmt::format("{} samples and {} variants pass filters", d.sample_ct(), d.variant_ct()));
  return d;
}

}  // namespace genomap
