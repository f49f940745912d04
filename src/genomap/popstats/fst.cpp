#include "genomap/popstats/fst.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "genomap/core/error.hpp"
#include "genomap/popstats/jackknife.hpp"

namespace genomap {

FstTerm hudson_fst_term(std::uint32_t n1, std::uint32_t x1, std::uint32_t n2, std::uint32_t x2) {
  // Allele counts: haplotypes a1, a2; allele-1 copies x1, x2.
  const std::uint64_t a1 = 2ull * n1, a2 = 2ull * n2;
  FstTerm t;
  const std::uint64_t pairs = a1 * a2;
  const std::uint64_t same = static_cast<std::uint64_t>(x1) * x2 + (a1 - x1) * (a2 - x2);
  if (pairs == 0 || pairs == same || a1 < 2 || a2 < 2) return t;
  // Between-population mismatch probability minus the unbiased within-population ones (halved).
  const double within1 =
      static_cast<double>(static_cast<std::uint64_t>(x1) * (a1 - x1)) / static_cast<double>(a1 * (a1 - 1));
  const double within2 =
      static_cast<double>(static_cast<std::uint64_t>(x2) * (a2 - x2)) / static_cast<double>(a2 * (a2 - 1));
  t.denom = static_cast<double>(pairs - same) / static_cast<double>(pairs);
  t.numer = t.denom - (within1 + within2);
  t.valid = true;
  return t;
}

FstTerm wc_fst_term(std::uint32_t n1, std::uint32_t h1, std::uint32_t x1, std::uint32_t n2, std::uint32_t h2,
                    std::uint32_t x2) {
  if (n1 == 0 || n2 == 0) return {};
  const std::uint32_t called[2] = {n1, n2}, het[2] = {h1, h2}, allele1[2] = {x1, x2};
  return wc_multi_population_term(called, het, allele1, 2);
}

FstTerm wc_multi_population_term(const std::uint32_t* called, const std::uint32_t* het,
                                 const std::uint32_t* allele1, std::size_t pop_ct) {
  // Weir & Cockerham 1984, eqs. 2-4, for one allele of a biallelic variant (the other gives the same values).
  FstTerm t;
  double r = 0, n_total = 0, n_sq = 0, x_total = 0, h_total = 0;
  for (std::size_t p = 0; p < pop_ct; ++p) {
    if (called[p] == 0) continue;
    r += 1;
    n_total += called[p];
    n_sq += static_cast<double>(called[p]) * called[p];
    x_total += allele1[p];
    h_total += het[p];
  }
  if (r < 2 || x_total == 0 || x_total == 2 * n_total) return t;
  const double n_bar = n_total / r;
  if (n_bar <= 1) return t;
  const double n_c = (n_total - n_sq / n_total) / (r - 1);
  const double p_bar = x_total / (2 * n_total);
  double s2 = 0;
  for (std::size_t p = 0; p < pop_ct; ++p) {
    if (called[p] == 0) continue;
    const double d = allele1[p] / (2.0 * called[p]) - p_bar;
    s2 += called[p] * d * d;
  }
  s2 /= (r - 1) * n_bar;
  const double h_bar = h_total / n_total;
  const double pq = p_bar * (1 - p_bar);
  const double a = n_bar / n_c * (s2 - (pq - (r - 1) / r * s2 - 0.25 * h_bar) / (n_bar - 1));
  const double b = n_bar / (n_bar - 1) * (pq - (r - 1) / r * s2 - (2 * n_bar - 1) / (4 * n_bar) * h_bar);
  const double c = 0.5 * h_bar;
  t.numer = a;
  t.denom = a + b + c;
  t.valid = t.denom != 0 && std::isfinite(t.numer) && std::isfinite(t.denom);
  return t;
}

namespace {

// Running sums of one pair, cut into jackknife blocks of `block_size` usable variants as plink2 does. With
// `keep` (a slice of an MPI run), also every usable term, for the exchange between the ranks.
struct PairAccumulator {
  FstBlocks blocks;
  double numer = 0, denom = 0;
  std::size_t in_block = 0;
  bool keep = false;
  std::vector<FstTerm> valid;

  void add(const FstTerm& t, std::size_t block_size) {
    if (!t.valid) return;
    if (keep) valid.push_back(t);
    numer += t.numer;
    denom += t.denom;
    ++blocks.obs;
    ++in_block;
    if (block_size && in_block == block_size) close();
  }
  void close() {
    if (in_block == 0) return;
    blocks.numer.push_back(numer);
    blocks.denom.push_back(denom);
    blocks.weight.push_back(static_cast<double>(in_block));
    numer = denom = 0;
    in_block = 0;
  }
};

}  // namespace

FstSlicePieces cut_fst_slice(const std::vector<FstTerm>& valid, std::size_t before, std::size_t block_size) {
  FstSlicePieces out;
  const std::size_t n = valid.size();
  const std::size_t open = block_size ? (block_size - before % block_size) % block_size : n;
  const std::size_t head = std::min(n, open);
  const std::size_t whole = block_size ? (n - head) / block_size * block_size : 0;
  out.head.assign(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(head));
  PairAccumulator acc;
  for (std::size_t i = head; i < head + whole; ++i) acc.add(valid[i], block_size);
  out.full = std::move(acc.blocks);
  out.tail.assign(valid.begin() + static_cast<std::ptrdiff_t>(head + whole), valid.end());
  return out;
}

FstBlocks join_fst_slices(const std::vector<FstSlicePieces>& slices, std::size_t block_size) {
  PairAccumulator acc;
  for (const FstSlicePieces& s : slices) {
    for (const FstTerm& t : s.head) acc.add(t, block_size);
    // The whole blocks begin where a block ended (the head completed the open one).
    if (!s.full.numer.empty() && acc.in_block != 0)
      throw Error("Fst: the slices' blocks do not line up (an internal error)");
    FstBlocks& b = acc.blocks;
    b.numer.insert(b.numer.end(), s.full.numer.begin(), s.full.numer.end());
    b.denom.insert(b.denom.end(), s.full.denom.begin(), s.full.denom.end());
    b.weight.insert(b.weight.end(), s.full.weight.begin(), s.full.weight.end());
    b.obs += s.full.obs;
    for (const FstTerm& t : s.tail) acc.add(t, block_size);
  }
  acc.close();
  return std::move(acc.blocks);
}

FstResult compute_fst(const PopulationData& data, const FstOptions& options, const Context& ctx,
                      const FstSliceExchange& exchange) {
  const std::size_t pop_ct = data.populations.pop_ct();
  FstResult result;
  for (std::uint32_t i = 0; i < pop_ct; ++i)
    for (std::uint32_t j = i + 1; j < pop_ct; ++j) {
      FstPair pair;
      pair.pop1 = i;
      pair.pop2 = j;
      result.pairs.push_back(std::move(pair));
    }
  const std::size_t pair_ct = result.pairs.size();
  std::vector<PairAccumulator> acc(pair_ct);
  PairAccumulator share_acc;
  for (auto& a : acc) a.keep = static_cast<bool>(exchange);
  share_acc.keep = static_cast<bool>(exchange);
  const std::size_t share_block = options.block_size ? options.block_size : 500;
  const bool wc = options.method == FstMethod::WeirCockerham;
  std::size_t no_call = 0;

  data.pass([&](const PopulationCounts& c) {
    for (std::size_t v = 0; v < c.variant_ct; ++v) {
      std::uint64_t any = 0;
      for (std::size_t p = 0; p < pop_ct; ++p) any += c.called[c.at(v, p)];
      if (any == 0) ++no_call;
      share_acc.add(
          wc_multi_population_term(&c.called[c.at(v, 0)], &c.het[c.at(v, 0)], &c.allele1[c.at(v, 0)], pop_ct),
          share_block);
    }
    const auto n_pairs = static_cast<std::ptrdiff_t>(pair_ct);
#pragma omp parallel for num_threads(ctx.threads) schedule(dynamic, 4) if (pair_ct > 1)
    for (std::ptrdiff_t ip = 0; ip < n_pairs; ++ip) {
      const auto k = static_cast<std::size_t>(ip);
      FstPair& pair = result.pairs[k];
      for (std::size_t v = 0; v < c.variant_ct; ++v) {
        const std::size_t i1 = c.at(v, pair.pop1), i2 = c.at(v, pair.pop2);
        const FstTerm t =
            wc ? wc_fst_term(c.called[i1], c.het[i1], c.allele1[i1], c.called[i2], c.het[i2], c.allele1[i2])
               : hudson_fst_term(c.called[i1], c.allele1[i1], c.called[i2], c.allele1[i2]);
        acc[k].add(t, options.block_size);
        if (options.per_variant) {
          pair.terms.push_back(t);
          pair.called_ct.push_back(c.called[i1] + c.called[i2]);
        }
      }
    }
  });

  std::vector<FstBlocks> blocks(pair_ct + 1);
  if (exchange) {
    FstSliceTerms mine;
    for (auto& a : acc) {
      mine.valid.push_back(std::move(a.valid));
      mine.block_size.push_back(options.block_size);
    }
    mine.valid.push_back(std::move(share_acc.valid));
    mine.block_size.push_back(share_block);
    mine.no_call_variant_ct = no_call;
    FstJoined joined = exchange(mine);
    if (joined.blocks.empty()) return result;  // a rank that does not write: nothing more to compute
    blocks = std::move(joined.blocks);
    no_call = joined.no_call_variant_ct;
  } else {
    for (std::size_t k = 0; k < pair_ct; ++k) {
      acc[k].close();
      blocks[k] = std::move(acc[k].blocks);
    }
    share_acc.close();
    blocks[pair_ct] = std::move(share_acc.blocks);
  }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < pair_ct; ++k) {
    const FstBlocks& b = blocks[k];
    FstPair& pair = result.pairs[k];
    pair.obs_ct = b.obs;
    const JackknifeEstimate est = ratio_jackknife(b.numer, b.denom, b.weight);
    pair.fst = est.value;
    // plink2 reports no SE unless there is more than one block's worth of variants.
    pair.se = options.block_size && b.obs > options.block_size ? est.se : nan;
  }
  const FstBlocks& s = blocks[pair_ct];
  const JackknifeEstimate share = ratio_jackknife(s.numer, s.denom, s.weight);
  result.variance_share = {share.value, share.se, s.obs, share.block_ct};
  result.no_call_variant_ct = no_call;
  return result;
}

}  // namespace genomap
