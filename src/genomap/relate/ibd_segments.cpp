#include "genomap/relate/ibd_segments.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/block_loop.hpp"
#include "genomap/geno/chromosome.hpp"

namespace genomap {
namespace {

// Genotype states from the two planes: state = 2 hom + alt (1, hom = 0 with alt = 1, is a missing call).
constexpr int kHet = 0, kHomA1 = 2, kHomA2 = 3;

// The analysed variants as sample-major bit-planes: sample s, chromosome c, variant k of the chromosome sits
// at bit k % 64 of word s * word_ct() + first_word(c) + k / 64 of the homozygous plane and of the allele-2
// plane (missing: not homozygous, allele 2; padding bits are missing).
class IbdPlanes {
 public:
  IbdPlanes(std::size_t sample_ct, const std::vector<IbdChromosome>& chroms) {
    for (const auto& c : chroms) {
      first_word_.push_back(word_ct_);
      word_ct_ += (c.variant_idx.size() + 63) / 64;
    }
    first_word_.push_back(word_ct_);
    hom_.assign(sample_ct * word_ct_, 0);
    alt_.assign(sample_ct * word_ct_, ~std::uint64_t{0});
  }
  std::size_t word_ct() const { return word_ct_; }
  std::size_t first_word(std::size_t c) const { return first_word_[c]; }
  const std::uint64_t* hom(std::size_t s) const { return hom_.data() + s * word_ct_; }
  const std::uint64_t* alt(std::size_t s) const { return alt_.data() + s * word_ct_; }
  std::uint64_t* hom(std::size_t s) { return hom_.data() + s * word_ct_; }
  std::uint64_t* alt(std::size_t s) { return alt_.data() + s * word_ct_; }
  int state(std::size_t s, std::size_t c, std::size_t k) const {
    const std::size_t w = s * word_ct_ + first_word_[c] + k / 64;
    return static_cast<int>(2 * ((hom_[w] >> (k % 64)) & 1) + ((alt_[w] >> (k % 64)) & 1));
  }

 private:
  std::size_t word_ct_ = 0;
  std::vector<std::size_t> first_word_;
  std::vector<std::uint64_t> hom_, alt_;
};

// Per analysed variant, the log10 likelihood ratios of a pair's genotype states (index 4 a + b): IBD1 against
// IBD0 and IBD2 against IBD1, with genotype error `error`.
struct IbdScores {
  std::vector<float> ibd1, ibd2;  // 16 per variant
  void add(double p, double error) {
    float s1[16] = {}, s2[16] = {};
    if (p > 0 && p < 1) {
      p = std::clamp(p, 0.01, 0.99);
      const double q = 1 - p;
      const double hwe[4] = {2 * p * q, 0, p * p, q * q};
      auto p1 = [&](int a, int b) {
        if (a == kHomA1 && b == kHomA1) return p * p * p;
        if (a == kHomA2 && b == kHomA2) return q * q * q;
        if (a == kHet && b == kHet) return p * q;
        if ((a == kHomA1 && b == kHet) || (a == kHet && b == kHomA1)) return p * p * q;
        if ((a == kHomA2 && b == kHet) || (a == kHet && b == kHomA2)) return p * q * q;
        return 0.0;  // opposite homozygotes
      };
      for (int a : {kHet, kHomA1, kHomA2})
        for (int b : {kHet, kHomA1, kHomA2}) {
          const double pr0 = hwe[a] * hwe[b];
          const double pr1 = (1 - error) * p1(a, b) + error * pr0;
          const double pr2 = (1 - error) * (a == b ? hwe[a] : 0.0) + error * pr1;
          s1[4 * a + b] = static_cast<float>(std::log10(pr1 / pr0));
          s2[4 * a + b] = static_cast<float>(std::log10(pr2 / pr1));
        }
    }
    ibd1.insert(ibd1.end(), s1, s1 + 16);
    ibd2.insert(ibd2.end(), s2, s2 + 16);
  }
};

struct Seed {
  std::uint32_t sample2, sample1, chrom, begin, end;  // variants [begin, end) of the chromosome
  auto key() const { return std::tie(sample2, sample1, chrom, begin); }
};

// The scan state of one pair along a chromosome.
struct PairScan {
  std::uint64_t last_z = 0;
  std::int64_t last_word = -1;  // chromosome-local word of the last IBS0, -1: none yet
  bool zero_since = false;      // a word without IBS0 came after it
};

std::vector<IbdChromosome> ibd_chromosomes(const Dataset& data, const IbdOptions& o) {
  const std::string& bim = data.store->bim_path();
  std::vector<IbdChromosome> chroms;
  std::vector<char> seen(kChromMT + 1, 0);
  bool any_cm = false;
  double previous_cm = 0;
  std::int64_t previous_pos = 0;
  for (std::size_t j = 0; j < data.variant_ct(); ++j) {
    const Variant& v = data.variant(j);
    if (!is_autosome(v.chrom_code)) continue;
    const double cm =
        o.uniform_map_cm_per_mb > 0 ? static_cast<double>(v.pos) / 1e6 * o.uniform_map_cm_per_mb : v.cm;
    const std::size_t line = data.variant_uidx[j] + 1;
    if (!std::isfinite(cm) || cm < 0) throw Error(bim, line, fmt::format("genetic position '{}' is not valid", v.cm));
    if (cm != 0) any_cm = true;
    if (chroms.empty() || chroms.back().code != v.chrom_code) {
      if (seen[static_cast<std::size_t>(v.chrom_code)])
        throw Error(bim, line,
                    fmt::format("chromosome {} appears again after another chromosome: the .bim is not sorted",
                                v.chrom));
      seen[static_cast<std::size_t>(v.chrom_code)] = 1;
      chroms.push_back({v.chrom_code, v.chrom, {}, {}});
    } else if (cm < previous_cm || v.pos < previous_pos) {
      throw Error(bim, line,
                  fmt::format("positions decrease within chromosome {} ({} cM, {} bp after {} cM, {} bp): the "
                              ".bim is not sorted",
                              v.chrom, cm, v.pos, previous_cm, previous_pos));
    }
    previous_cm = cm;
    previous_pos = v.pos;
    chroms.back().variant_idx.push_back(j);
    chroms.back().cm.push_back(cm);
  }
  if (chroms.empty()) throw Error(bim, 0, "no variants on chromosomes 1-22 to find IBD segments on");
  if (!any_cm)
    throw Error(bim, 0,
                "no genetic map positions (column 3 is 0 for every autosomal variant): add a genetic map to the "
                ".bim or give --uniform-map RATE (cM per Mb)");
  return chroms;
}

// Fills the planes and the per-variant scores from one pass over the analysed variants.
void load_planes(const Dataset& data, const Context& ctx, const std::vector<IbdChromosome>& chroms,
                 const IbdOptions& o, IbdPlanes& planes, IbdScores& scores) {
  // Where each dataset variant goes: chromosome and index within it (-1: not analysed).
  std::vector<std::pair<std::int32_t, std::uint32_t>> place(data.variant_ct(), {-1, 0});
  for (std::size_t c = 0; c < chroms.size(); ++c)
    for (std::size_t k = 0; k < chroms[c].variant_idx.size(); ++k)
      place[chroms[c].variant_idx[k]] = {static_cast<std::int32_t>(c), static_cast<std::uint32_t>(k)};
  const std::size_t n = data.sample_ct();
  const int threads = std::max(1, ctx.threads);
  std::vector<double> freq;
  for_each_block(data, ctx, default_block_variants(data, ctx), "IBD: genotypes", [&](const GenotypeBlock& block) {
    const std::size_t first = block.first_variant_idx();
    freq.assign(block.variant_ct(), -1.0);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::ptrdiff_t vv = 0; vv < static_cast<std::ptrdiff_t>(block.variant_ct()); ++vv) {
      const auto v = static_cast<std::size_t>(vv);
      if (place[first + v].first < 0) continue;
      std::size_t het = 0, hom2 = 0, missing = 0;
      const std::uint64_t* row = block.row(v);
      for (std::size_t w = 0; w < block.words_per_row(); ++w) {
        const std::uint64_t lo = row[w] & 0x5555555555555555ULL, hi = (row[w] >> 1) & 0x5555555555555555ULL;
        het += static_cast<std::size_t>(std::popcount(hi & ~lo));
        hom2 += static_cast<std::size_t>(std::popcount(hi & lo));
        missing += static_cast<std::size_t>(std::popcount(~hi & lo));
      }
      const std::size_t called = n - missing;
      const double allele1 = static_cast<double>(2 * (called - het - hom2) + het);
      freq[v] = called ? allele1 / static_cast<double>(2 * called) : 0.0;
    }
    for (std::size_t v = 0; v < block.variant_ct(); ++v)
      if (place[first + v].first >= 0) scores.add(freq[v], o.error);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::ptrdiff_t sb = 0; sb < static_cast<std::ptrdiff_t>((n + 31) / 32); ++sb) {
      const auto word = static_cast<std::size_t>(sb);
      const std::size_t s_end = std::min(n, 32 * word + 32);
      for (std::size_t v = 0; v < block.variant_ct(); ++v) {
        const auto [c, k] = place[first + v];
        if (c < 0) continue;
        const std::uint64_t genotypes = block.row(v)[word];
        const std::size_t w = planes.first_word(static_cast<std::size_t>(c)) + k / 64;
        const std::uint64_t bit = std::uint64_t{1} << (k % 64);
        for (std::size_t s = 32 * word; s < s_end; ++s) {
          const auto code = static_cast<unsigned>((genotypes >> (2 * (s % 32))) & 3);
          if ((code >> 1) == (code & 1)) planes.hom(s)[w] |= bit;
          if (!(code & 1)) planes.alt(s)[w] &= ~bit;
        }
      }
    }
  });
}

// z[w] = the IBS0 variants of word w of a pair, and bit w of `zero` set where z[w] is 0 (count <= 256). Compiled
// for AVX-512, AVX2 and the baseline; the loader picks the best the CPU has.
[[gnu::target_clones("avx512f", "avx2", "default")]] void ibs0_words(
    const std::uint64_t* hi, const std::uint64_t* ai, const std::uint64_t* hj, const std::uint64_t* aj,
    std::size_t count, std::uint64_t* z, std::uint64_t* zero) {
  for (std::size_t w = 0; w < count; ++w) z[w] = hi[w] & hj[w] & (ai[w] ^ aj[w]);
  for (std::size_t b = 0; b * 64 < count; ++b) {
    std::uint64_t m = 0;
    const std::size_t end = std::min<std::size_t>(64, count - b * 64);
    for (std::size_t k = 0; k < end; ++k) m |= static_cast<std::uint64_t>(z[b * 64 + k] == 0) << k;
    zero[b] = m;
  }
}

// The first position >= p (< count) whose bit in `bits` is `value`, or count.
std::size_t next_bit(const std::uint64_t* bits, std::size_t p, std::size_t count, bool value) {
  while (p < count) {
    std::uint64_t word = value ? bits[p / 64] : ~bits[p / 64];
    word &= ~std::uint64_t{0} << (p % 64);
    if (word) return std::min(count, (p / 64) * 64 + static_cast<std::size_t>(std::countr_zero(word)));
    p = (p / 64 + 1) * 64;
  }
  return count;
}

// Scans the pairs (i, j), i < j, j in [row_begin, row_end) for seeds.
std::vector<Seed> find_seeds(const IbdPlanes& planes, const std::vector<IbdChromosome>& chroms,
                             const IbdOptions& o, std::size_t row_begin, std::size_t row_end,
                             const Context& ctx) {
  const std::size_t pair_ct = (row_end - row_begin) * (row_begin + row_end - 1) / 2;
  std::vector<PairScan> state(pair_ct);
  auto pair_index = [&](std::size_t j, std::size_t i) {
    return (j - row_begin) * (row_begin + j - 1) / 2 + i;  // pairs of the rows before j, then i
  };
  const int threads = std::max(1, ctx.threads);
  std::vector<std::vector<Seed>> found(static_cast<std::size_t>(threads));
  constexpr std::size_t kChunkWords = 256;
  std::size_t words_done = 0;
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    const std::size_t n_var = chroms[c].variant_idx.size();
    const std::size_t chrom_words = (n_var + 63) / 64;
    const std::size_t base = planes.first_word(c);
    const std::vector<double>& cm = chroms[c].cm;
    std::fill(state.begin(), state.end(), PairScan{});
    auto check = [&](std::vector<Seed>& out, std::size_t j, std::size_t i, const PairScan& s, std::size_t end) {
      const std::size_t begin =
          s.last_word < 0 ? 0
                          : static_cast<std::size_t>(s.last_word) * 64 + 64 -
                                static_cast<std::size_t>(std::countl_zero(s.last_z));
      end = std::min(end, n_var);
      if (end >= begin + o.seed_variants && cm[end - 1] - cm[begin] >= o.seed_cm)
        out.push_back({static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(c),
                       static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
    };
    for (std::size_t w0 = 0; w0 < chrom_words; w0 += kChunkWords) {
      const std::size_t w1 = std::min(chrom_words, w0 + kChunkWords);
      const bool last_chunk = w1 == chrom_words;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
      for (std::ptrdiff_t jj = static_cast<std::ptrdiff_t>(row_end) - 1; jj >= static_cast<std::ptrdiff_t>(row_begin);
           --jj) {
        const auto j = static_cast<std::size_t>(jj);
        std::vector<Seed>& out = found[static_cast<std::size_t>(omp_get_thread_num())];
        const std::uint64_t* hj = planes.hom(j) + base;
        const std::uint64_t* aj = planes.alt(j) + base;
        std::uint64_t z[kChunkWords], zero[kChunkWords / 64];
        for (std::size_t i = 0; i < j; ++i) {
          PairScan s = state[pair_index(j, i)];
          ibs0_words(planes.hom(i) + base + w0, planes.alt(i) + base + w0, hj + w0, aj + w0, w1 - w0, z, zero);
          // Runs of words with an IBS0 [p, next zero word), then runs of words without.
          for (std::size_t p = 0, count = w1 - w0; p < count;) {
            const std::size_t q = next_bit(zero, p, count, true);  // first word without IBS0 at or after p
            if (q > p) {
              if (s.zero_since) {
                check(out, j, i, s, (w0 + p) * 64 + static_cast<std::size_t>(std::countr_zero(z[p])));
                s.zero_since = false;
              }
              s.last_z = z[q - 1];
              s.last_word = static_cast<std::int64_t>(w0 + q - 1);
            }
            if (q == count) break;
            s.zero_since = true;
            p = next_bit(zero, q, count, false);
          }
          if (last_chunk && (s.zero_since || s.last_word < 0)) check(out, j, i, s, n_var);
          state[pair_index(j, i)] = s;
        }
      }
      words_done += w1 - w0;
      ctx.report("IBD: pairs", words_done, planes.word_ct());
    }
  }
  std::vector<Seed> seeds;
  for (auto& f : found) seeds.insert(seeds.end(), f.begin(), f.end());
  std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) { return a.key() < b.key(); });
  return seeds;
}

class PairScorer {
 public:
  PairScorer(const IbdPlanes& planes, const IbdScores& scores, const std::vector<std::size_t>& chrom_offset,
             std::size_t s1, std::size_t s2)
      : planes_(planes), scores_(scores), offset_(chrom_offset), s1_(s1), s2_(s2) {}
  // Score of variant k of chromosome c: IBD1 vs IBD0, or IBD2 vs IBD1.
  float score(std::size_t c, std::size_t k, bool ibd2) const {
    const int a = planes_.state(s1_, c, k), b = planes_.state(s2_, c, k);
    const std::size_t g = offset_[c] + k;
    return (ibd2 ? scores_.ibd2 : scores_.ibd1)[16 * g + static_cast<std::size_t>(4 * a + b)];
  }

 private:
  const IbdPlanes& planes_;
  const IbdScores& scores_;
  const std::vector<std::size_t>& offset_;
  std::size_t s1_, s2_;
};

// Extends [begin, end) to the best-scoring ends; returns first, last (inclusive) and the LOD.
IbdSegment extend_seed(const PairScorer& scorer, const Seed& seed, std::size_t n_var, double x_drop) {
  double core = 0;
  for (std::size_t k = seed.begin; k < seed.end; ++k) core += scorer.score(seed.chrom, k, false);
  double cum = 0, best_right = 0;
  std::size_t last = seed.end - 1;
  for (std::size_t k = seed.end; k < n_var; ++k) {
    cum += scorer.score(seed.chrom, k, false);
    if (cum > best_right) {
      best_right = cum;
      last = k;
    } else if (cum < best_right - x_drop) {
      break;
    }
  }
  cum = 0;
  double best_left = 0;
  std::size_t first = seed.begin;
  for (std::size_t k = seed.begin; k-- > 0;) {
    cum += scorer.score(seed.chrom, k, false);
    if (cum > best_left) {
      best_left = cum;
      first = k;
    } else if (cum < best_left - x_drop) {
      break;
    }
  }
  IbdSegment s;
  s.sample1 = seed.sample1;
  s.sample2 = seed.sample2;
  s.chrom = seed.chrom;
  s.first = static_cast<std::uint32_t>(first);
  s.last = static_cast<std::uint32_t>(last);
  s.lod = core + best_left + best_right;
  return s;
}

double sum_scores(const PairScorer& scorer, std::size_t c, std::size_t first, std::size_t last, bool ibd2) {
  double sum = 0;
  for (std::size_t k = first; k <= last; ++k) sum += scorer.score(c, k, ibd2);
  return sum;
}

// The IBD2 stretches within IBD segment `seg`.
void find_ibd2(const PairScorer& scorer, const IbdSegment& seg, const std::vector<double>& cm,
               const IbdOptions& o, std::vector<IbdSegment>& out) {
  std::size_t k = seg.first;
  while (k <= seg.last) {
    double cum = 0, best = 0;
    std::size_t start = k, best_end = k;
    bool found = false;
    std::size_t m = k;
    for (; m <= seg.last; ++m) {
      cum += scorer.score(seg.chrom, m, true);
      if (cum > best) {
        best = cum;
        best_end = m;
        found = true;
      }
      if (cum <= 0 && !found) {
        start = m + 1;
        cum = 0;
        continue;
      }
      if (cum <= 0 || cum < best - o.x_drop) break;
    }
    if (found && best >= o.ibd2_min_lod && cm[best_end] - cm[start] >= o.min_cm) {
      IbdSegment s = seg;
      s.first = static_cast<std::uint32_t>(start);
      s.last = static_cast<std::uint32_t>(best_end);
      s.start_cm = cm[start];
      s.end_cm = cm[best_end];
      s.lod = best;
      s.ibd2 = true;
      out.push_back(s);
    }
    k = found ? best_end + 1 : m + 1;
  }
}

}  // namespace

void classify_ibd_pair(IbdPair& p) {
  const double phi = p.kinship();
  if (phi > 0.354) {
    p.degree = 0;
    p.relationship = "duplicate";
  } else if (phi > 0.177) {
    p.degree = 1;
    p.relationship = p.ibd2 < 0.08 ? "parent-offspring" : "full-sibling";
  } else if (phi > 0.0884) {
    p.degree = 2;
    p.relationship = "second-degree";
  } else if (phi > 0.0442) {
    p.degree = 3;
    p.relationship = "third-degree";
  } else if (phi > 0.0221) {
    p.degree = 4;
    p.relationship = "fourth-degree";
  } else {
    p.degree = -1;
    p.relationship = "unrelated";
  }
}

IbdResult detect_ibd_segments(const Dataset& data, const IbdOptions& o, const Context& ctx) {
  if (!(o.min_cm > 0)) throw UsageError("--min-cm must be positive");
  if (!(o.error > 0 && o.error < 0.5)) throw UsageError("--error must be in (0, 0.5)");
  if (o.seed_variants < 128) throw UsageError("--seed-variants must be at least 128");
  if (!(o.x_drop > 0)) throw UsageError("--x-drop must be positive");
  if (!(o.uniform_map_cm_per_mb >= 0)) throw UsageError("--uniform-map: the rate must be positive (cM per Mb)");
  const std::size_t n = data.sample_ct();
  if (n < 2) throw Error("at least two samples are needed to find IBD segments");
  IbdResult r;
  r.chromosomes = ibd_chromosomes(data, o);
  std::vector<std::size_t> offset;
  for (const auto& c : r.chromosomes) {
    offset.push_back(r.variant_ct);
    r.variant_ct += c.variant_idx.size();
    r.genome_cm += c.span_cm();
  }
  if (!(r.genome_cm > 0)) throw Error(data.store->bim_path(), 0, "the analysed variants span 0 cM");
  r.pair_ct = n * (n - 1) / 2;
  r.min_lod = o.min_lod >= 0 ? o.min_lod
                             : std::log10(static_cast<double>(r.pair_ct) * static_cast<double>(r.variant_ct)) + 1;

  IbdPlanes planes(n, r.chromosomes);
  const std::size_t plane_bytes = n * planes.word_ct() * 16;
  const std::size_t score_bytes = r.variant_ct * 32 * sizeof(float);
  ctx.memory.require(plane_bytes + score_bytes + data.samples.words_per_row() * 8 * 4096,
                     "IBD: genotype bit-planes of every sample");
  // Bands of later samples so the scan state (16 bytes a pair) fits a quarter of what is left.
  const std::size_t state_budget =
      std::max<std::size_t>((ctx.memory.bytes() - std::min(ctx.memory.bytes(), plane_bytes + score_bytes)) / 4,
                            n * sizeof(PairScan));
  IbdScores scores;
  load_planes(data, ctx, r.chromosomes, o, planes, scores);

  std::vector<Seed> seeds;
  for (std::size_t a = 1; a < n;) {
    std::size_t b = a + 1;
    while (b < n && (b + 1 - a) * (a + b) / 2 * sizeof(PairScan) <= state_budget) ++b;
    std::vector<Seed> band = find_seeds(planes, r.chromosomes, o, a, b, ctx);
    seeds.insert(seeds.end(), band.begin(), band.end());
    a = b;
  }
  std::sort(seeds.begin(), seeds.end(), [](const Seed& x, const Seed& y) { return x.key() < y.key(); });
  r.seed_ct = seeds.size();

  // Seeds of one pair are extended, merged and called together.
  std::vector<std::size_t> group{0};
  for (std::size_t s = 1; s < seeds.size(); ++s)
    if (seeds[s].sample2 != seeds[s - 1].sample2 || seeds[s].sample1 != seeds[s - 1].sample1) group.push_back(s);
  group.push_back(seeds.size());
  const std::size_t group_ct = seeds.empty() ? 0 : group.size() - 1;
  std::vector<std::vector<IbdSegment>> per_pair(group_ct);
#pragma omp parallel for num_threads(std::max(1, ctx.threads)) schedule(dynamic, 16)
  for (std::ptrdiff_t gg = 0; gg < static_cast<std::ptrdiff_t>(group_ct); ++gg) {
    const auto g = static_cast<std::size_t>(gg);
    const Seed& s0 = seeds[group[g]];
    const PairScorer scorer(planes, scores, offset, s0.sample1, s0.sample2);
    std::vector<IbdSegment> found;
    for (std::size_t s = group[g]; s < group[g + 1]; ++s) {
      if (!found.empty() && found.back().chrom == seeds[s].chrom && seeds[s].begin <= found.back().last) continue;
      IbdSegment seg = extend_seed(scorer, seeds[s], r.chromosomes[seeds[s].chrom].variant_idx.size(), o.x_drop);
      if (!found.empty() && found.back().chrom == seg.chrom && seg.first <= found.back().last + 1) {
        IbdSegment& prev = found.back();
        prev.first = std::min(prev.first, seg.first);
        prev.last = std::max(prev.last, seg.last);
        prev.lod = sum_scores(scorer, prev.chrom, prev.first, prev.last, false);
      } else {
        found.push_back(seg);
      }
    }
    std::vector<IbdSegment>& out = per_pair[g];
    for (IbdSegment& seg : found) {
      const std::vector<double>& cm = r.chromosomes[seg.chrom].cm;
      seg.start_cm = cm[seg.first];
      seg.end_cm = cm[seg.last];
      if (seg.length_cm() < o.min_cm || seg.lod < r.min_lod) continue;
      out.push_back(seg);
      find_ibd2(scorer, seg, cm, o, out);
    }
  }
  for (auto& segs : per_pair) {
    if (segs.empty()) continue;
    IbdPair p;
    p.sample1 = segs.front().sample1;
    p.sample2 = segs.front().sample2;
    double ibd = 0, ibd2 = 0;
    for (const IbdSegment& s : segs) {
      (s.ibd2 ? ibd2 : ibd) += s.length_cm();
      p.segment_ct += !s.ibd2;
    }
    p.ibd1 = (ibd - ibd2) / r.genome_cm;
    p.ibd2 = ibd2 / r.genome_cm;
    classify_ibd_pair(p);
    r.pairs.push_back(p);
    r.segments.insert(r.segments.end(), segs.begin(), segs.end());
  }
  return r;
}

std::vector<IbdPopulationSharing> summarise_ibd_by_population(const IbdResult& r, const PopulationAssignment& pops) {
  const std::size_t k = pops.pop_ct();
  std::vector<IbdPopulationSharing> table;
  std::vector<std::size_t> index(k * k, 0);
  for (std::uint32_t a = 0; a < k; ++a)
    for (std::uint32_t b = a; b < k; ++b) {
      IbdPopulationSharing s;
      s.pop1 = a;
      s.pop2 = b;
      const double na = pops.sizes[a], nb = pops.sizes[b];
      s.pair_ct = a == b ? na * (na - 1) / 2 : na * nb;
      index[a * k + b] = index[b * k + a] = table.size();
      table.push_back(s);
    }
  for (const IbdSegment& s : r.segments) {
    if (s.ibd2) continue;
    const std::int32_t a = pops.pop_of_sample[s.sample1], b = pops.pop_of_sample[s.sample2];
    if (a < 0 || b < 0) continue;
    const double len = s.length_cm();
    if (len < kIbdBinEdges[0]) continue;
    std::size_t bin = kIbdBinCount - 1;
    while (bin > 0 && len < kIbdBinEdges[bin]) --bin;
    IbdPopulationSharing& t = table[index[static_cast<std::size_t>(a) * k + static_cast<std::size_t>(b)]];
    t.segments[bin] += 1;
    t.length_cm[bin] += len;
  }
  return table;
}

void write_ibd_segments(std::FILE* out, const Dataset& data, const IbdResult& r) {
  fmt::print(out, "#FID1\tIID1\tFID2\tIID2\tCHR\tSTART\tEND\tSTART_CM\tEND_CM\tCM\tTYPE\tN_VARIANTS\tLOD\n");
  for (const IbdSegment& s : r.segments) {
    const Sample& a = data.sample(s.sample1);
    const Sample& b = data.sample(s.sample2);
    const IbdChromosome& c = r.chromosomes[s.chrom];
    fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}\t{:.4f}\t{:.4f}\t{}\t{}\t{:.2f}\n", a.fid, a.iid, b.fid, b.iid,
               c.name, data.variant(c.variant_idx[s.first]).pos, data.variant(c.variant_idx[s.last]).pos,
               s.start_cm, s.end_cm, s.length_cm(), s.ibd2 ? "IBD2" : "IBD", s.last - s.first + 1, s.lod);
  }
}

void write_ibd_pairs(std::FILE* out, const Dataset& data, const IbdResult& r) {
  fmt::print(out, "#FID1\tIID1\tFID2\tIID2\tN_SEG\tIBD1\tIBD2\tKINSHIP\tDEGREE\tRELATIONSHIP\n");
  for (const IbdPair& p : r.pairs) {
    const Sample& a = data.sample(p.sample1);
    const Sample& b = data.sample(p.sample2);
    fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{:.5f}\t{:.5f}\t{:.5f}\t{}\t{}\n", a.fid, a.iid, b.fid, b.iid, p.segment_ct,
               p.ibd1, p.ibd2, p.kinship(), p.degree < 0 ? std::string("NA") : std::to_string(p.degree),
               p.relationship);
  }
}

void write_ibd_population_sharing(std::FILE* out, const PopulationAssignment& pops,
                                  const std::vector<IbdPopulationSharing>& sharing) {
  fmt::print(out, "#POP1\tPOP2\tPAIRS");
  const char* bins[kIbdBinCount] = {"2_4", "4_6", "6_10", "10_"};
  for (const char* b : bins) fmt::print(out, "\tSEG_{0}\tCM_{0}", b);
  fmt::print(out, "\n");
  for (const IbdPopulationSharing& s : sharing) {
    fmt::print(out, "{}\t{}\t{:.0f}", pops.names[s.pop1], pops.names[s.pop2], s.pair_ct);
    for (std::size_t b = 0; b < kIbdBinCount; ++b) {
      const double d = s.pair_ct > 0 ? s.pair_ct : 1;
      fmt::print(out, "\t{:.6g}\t{:.6g}", s.segments[b] / d, s.length_cm[b] / d);
    }
    fmt::print(out, "\n");
  }
}

}  // namespace genomap
