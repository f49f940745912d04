#include "genomap/assoc/polygenic_score.hpp"

#include <algorithm>
#include <unordered_map>

#include "genomap/core/error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

ScoreWeights read_score_weights(const std::string& path, const Dataset& data, const ScoreColumns& columns) {
  if (columns.id == 0 || columns.allele == 0 || columns.first_score == 0 || columns.last_score < columns.first_score)
    throw Error(path, 0, "bad score column numbers");
  std::unordered_map<std::string, std::int64_t> by_id;  // -1: ID used by several variants
  for (std::size_t v = 0; v < data.variant_ct(); ++v) {
    auto [it, inserted] = by_id.emplace(data.variant(v).id, static_cast<std::int64_t>(v));
    if (!inserted) it->second = -1;
  }
  ScoreWeights w;
  const std::size_t score_ct = columns.last_score - columns.first_score + 1;
  for (std::size_t s = 0; s < score_ct; ++s) w.score_names.push_back("SCORE" + std::to_string(s + 1));
  const std::size_t needed = std::max({columns.id, columns.allele, columns.last_score});
  LineReader in(path);
  std::string line;
  bool first = true;
  std::vector<char> used(data.variant_ct(), 0);
  while (in.next(line)) {
    auto fields = split_whitespace(line);
    if (fields.empty()) continue;
    if (first) {
      first = false;
      if (columns.header || fields[0][0] == '#') {
        if (fields.size() >= needed)
          for (std::size_t s = 0; s < score_ct; ++s) w.score_names[s] = std::string(fields[columns.first_score - 1 + s]);
        continue;
      }
    }
    if (fields.size() < needed)
      in.fail("expected at least " + std::to_string(needed) + " fields, found " + std::to_string(fields.size()));
    const std::string id(fields[columns.id - 1]);
    std::vector<double> weights(score_ct);
    for (std::size_t s = 0; s < score_ct; ++s) {
      std::string_view f = fields[columns.first_score - 1 + s];
      if (!parse_double(f, weights[s])) in.fail("column " + std::to_string(columns.first_score + s) + ": '" +
                                                std::string(f) + "' is not a number");
    }
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      ++w.unknown_variant_ct;
      continue;
    }
    if (it->second < 0) in.fail("variant ID " + id + " names several variants of the fileset");
    const auto v = static_cast<std::size_t>(it->second);
    const std::string_view allele = fields[columns.allele - 1];
    const Variant& var = data.variant(v);
    char named_allele1;
    if (allele == var.allele1 && var.allele1 != "0") named_allele1 = 1;
    else if (allele == var.allele2) named_allele1 = 0;
    else {
      ++w.allele_mismatch_ct;
      continue;
    }
    if (used[v]) in.fail("variant " + id + " appears more than once");
    used[v] = 1;
    w.variant_idx.push_back(static_cast<std::uint32_t>(v));
    w.named_is_allele1.push_back(named_allele1);
    w.weights.push_back(std::move(weights));
    w.entry_ids.push_back(id);
  }
  return w;
}

ScoreResult compute_scores(const Dataset& data, const ScoreWeights& weights, const ScoreOptions& options,
                           const Context& ctx) {
  const std::size_t n = data.sample_ct();
  const std::size_t score_ct = weights.score_names.size();
  ScoreResult r;
  r.variant_ct = weights.variant_idx.size();
  r.allele_ct.assign(n, 0);
  r.named_allele_dosage_sum.assign(n, 0.0);
  r.sums.assign(score_ct, std::vector<double>(n, 0.0));
  // Entries in dataset order, so one pass over the selected variants serves them all.
  std::vector<std::int64_t> entry_of(data.variant_ct(), -1);
  for (std::size_t e = 0; e < weights.variant_idx.size(); ++e) entry_of[weights.variant_idx[e]] = static_cast<std::int64_t>(e);
  std::vector<double> dosage(n);
  for_each_block(data, ctx, default_block_variants(data, ctx), "score", [&](const GenotypeBlock& blk) {
    for (std::size_t b = 0; b < blk.variant_ct(); ++b) {
      const std::int64_t e = entry_of[blk.first_variant_idx() + b];
      if (e < 0) continue;
      const auto entry = static_cast<std::size_t>(e);
      decode_allele1_dosage(blk.row(b), n, -1.0, dosage.data());
      const bool allele1 = weights.named_is_allele1[entry] != 0;
      // The imputed dosage is twice the named allele's frequency; on chrX males count as haploid, as in
      // plink2's frequency computation.
      const bool chr_x = data.variant(blk.first_variant_idx() + b).chrom_code == kChromX;
      double total = 0, alleles = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (dosage[i] < 0) continue;
        if (!allele1) dosage[i] = 2.0 - dosage[i];
        const bool haploid = chr_x && data.sample(i).sex == 1;
        total += haploid ? 0.5 * dosage[i] : dosage[i];
        alleles += haploid ? 1.0 : 2.0;
      }
      const double imputed = options.mean_impute && alleles > 0 ? 2.0 * total / alleles : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        double d = dosage[i];
        if (d < 0) {
          d = imputed;
        } else {
          r.allele_ct[i] += 2;
          r.named_allele_dosage_sum[i] += d;
        }
        for (std::size_t s = 0; s < score_ct; ++s) r.sums[s][i] += weights.weights[entry][s] * d;
      }
    }
  });
  return r;
}

}  // namespace genomap
