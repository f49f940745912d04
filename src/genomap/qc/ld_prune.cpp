#include "genomap/qc/ld_prune.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/kernels.hpp"
#include "genomap/geno/sample_view.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

// ---------------------------------------------------------------------------------------------------------------
// Arguments

namespace {

bool parse_number(std::string_view text, double& value) {
  if (text.empty()) return false;
  std::string s(text);
  char* end = nullptr;
  value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(value);
}

bool is_kb(std::string_view s) {
  return s.size() == 2 && (s[0] == 'k' || s[0] == 'K') && (s[1] == 'b' || s[1] == 'B');
}

}  // namespace

PruneOptions parse_indep_pairwise(const std::vector<std::string>& args) {
  const std::string all = fmt::format("'{}'", fmt::join(args, " "));
  if (args.size() < 2 || args.size() > 4)
    throw UsageError("--indep-pairwise takes WINDOW[kb] [STEP] R2, got " + all);
  PruneOptions o;
  std::string first = args[0];
  std::size_t next = 1;
  if (first.size() > 2 && is_kb(std::string_view(first).substr(first.size() - 2))) {
    o.window_kb = true;
    first.resize(first.size() - 2);
  } else if (is_kb(args[1])) {
    o.window_kb = true;
    next = 2;
  }
  double window = 0;
  if (!parse_number(first, window) || window < 0)
    throw UsageError("--indep-pairwise: invalid window size '" + args[0] + "'");
  if (args.size() - next > 2 || args.size() == next)
    throw UsageError("--indep-pairwise: invalid argument sequence " + all);
  if (o.window_kb) {
    // plink2 scales by (1 + 2^-44) before truncating so that e.g. "0.3kb" is 300 bp.
    const double bp = window * 1000 * (1 + 0x1p-44);
    o.window_bp = bp > 2147483646.0 ? 2147483646u : static_cast<std::uint32_t>(bp);
    if (o.window_bp < 2) throw UsageError("--indep-pairwise: window size cannot be smaller than 2 bp");
  } else {
    if (window != std::floor(window) || window < 2)
      throw UsageError("--indep-pairwise: window size must be an integer of at least 2 variants, got '" + args[0] +
                  "'");
    o.window_variants = window > 2147483647.0 ? 2147483647u : static_cast<std::size_t>(window);
  }
  o.step = 1;
  if (args.size() - next == 2) {
    double step = 0;
    if (!parse_number(args[next], step) || step < 1 || step != std::floor(step))
      throw UsageError("--indep-pairwise: invalid window step '" + args[next] + "'");
    o.step = static_cast<std::size_t>(step);
    if (o.window_kb && o.step != 1)
      throw UsageError("--indep-pairwise: the step must be 1 when the window is in kilobases");
    if (!o.window_kb && o.step > o.window_variants)
      throw UsageError("--indep-pairwise: the step cannot be larger than the window");
    ++next;
  }
  if (!parse_number(args[next], o.r2_threshold) || o.r2_threshold < 0 || o.r2_threshold >= 1)
    throw UsageError("--indep-pairwise: invalid r^2 threshold '" + args[next] + "' (must be in [0, 1))");
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Pruning

using namespace ld_detail;

namespace {

constexpr double kTieEpsilon = 0x1p-44;  // plink2's kSmallEpsilon: major-allele frequencies this close tie

// A run of consecutive variants processed with one sliding window: a chromosome, or in kb mode a stretch of
// it without a gap longer than the window.
struct Subcontig {
  std::size_t first = 0;  // variant_idx
  std::size_t length = 0;
  int chrom_code = 0;
};

// Founder groups of a subcontig: group 0 is every founder (autosomes, MT) or the male founders (X, Y); group
// 1 the non-male founders on X, whose calls count twice. Group 0 is haploid on X, Y and MT.
struct Groups {
  SampleView view[2];
  std::size_t sample_ct[2] = {0, 0};
  std::size_t words[2] = {0, 0};
  bool two = false;
  bool haploid_group0 = false;  // males on X/Y: one allele copy for allele frequencies
};

struct SharedInput {
  const Dataset* data;
  const PruneOptions* options;
  Groups autosomal, x, y, mt;
};

class WindowPruner {
 public:
  WindowPruner(const SharedInput& in, std::vector<PruneStatus>& status) : in_(in), status_(status) {}

  void run(const Subcontig& sc) {
    sc_ = sc;
    groups_ = &in_.autosomal;
    if (sc.chrom_code == kChromX) groups_ = &in_.x;
    if (sc.chrom_code == kChromY) groups_ = &in_.y;
    if (sc.chrom_code == kChromMT) groups_ = &in_.mt;
    stride_ = 3 * (groups_->words[0] + groups_->words[1]);
    row_.assign(std::max((groups_->sample_ct[0] + 31) / 32, (groups_->sample_ct[1] + 31) / 32) + 1, 0);
    window_.clear();
    free_buffers_.clear();
    buffers_.clear();  // the layout depends on the subcontig's groups
    released_ = 0;
    buffer_ct_ = 0;
    const std::size_t L = sc.length;
    std::size_t start = 0, end = first_window_end();
    std::size_t end_variant = end < L ? end : L - 1;  // kb mode: first variant past the window
    std::size_t loaded = 0;
    for (;;) {
      for (; loaded < end; ++loaded) load(loaded);
      prune_window(end);
      if (end == L) break;
      if (in_.options->window_kb) {
        advance_kb_window(start, end, end_variant);
      } else {
        start += in_.options->step;
        end = std::min(start + in_.options->window_variants, L);
      }
      std::erase_if(window_, [&](const Slot& s) {
        if (s.removed || s.t < start) {
          free_buffers_.push_back(s.buffer);
          return true;
        }
        return false;
      });
      release_rows(start, false);
    }
    release_rows(L, true);
  }

 private:
  struct Slot {
    std::size_t t = 0;                // position in the subcontig
    std::size_t first_unchecked = 0;  // pairs with partners before this position were already tested
    std::size_t buffer = 0;
    double major_freq = 0;
    bool removed = false;
    PlaneTotals totals[2];
  };

  // Hands the .bed pages of rows the window has passed back to the kernel (in chunks of about 4 MB), so the
  // resident memory stays bounded by the window, not the file.
  void release_rows(std::size_t upto, bool force) {
    const std::size_t row_bytes = in_.data->store->bytes_per_variant();
    if (upto <= released_ || (!force && (upto - released_) * row_bytes < (std::size_t{4} << 20))) return;
    const auto& uidx = in_.data->variant_uidx;
    in_.data->store->release_rows(uidx[sc_.first + released_], uidx[sc_.first + upto - 1] + 1);
    released_ = upto;
  }

  std::int64_t pos(std::size_t t) const { return in_.data->variant(sc_.first + t).pos; }

  std::size_t first_window_end() const {
    const std::size_t L = sc_.length;
    if (!in_.options->window_kb) return std::min(L, in_.options->window_variants);
    const std::int64_t limit = pos(0) + in_.options->window_bp;
    std::size_t len = 1;
    while (len < L && pos(len) <= limit) ++len;
    return len;
  }

  // plink2's kb window step: the start moves until the first variant past the old window fits, then the end
  // grows to the last variant within window_bp of the new start (at least one new variant).
  void advance_kb_window(std::size_t& start, std::size_t& end, std::size_t& end_variant) const {
    const std::size_t L = sc_.length;
    const std::int64_t start_min = pos(end_variant) - in_.options->window_bp;
    do ++start;
    while (pos(start) < start_min);
    const std::int64_t limit = pos(start) + in_.options->window_bp;
    for (;;) {
      if (++end == L) break;
      end_variant = end;
      if (pos(end) > limit) break;
    }
  }

  std::uint64_t* planes(std::size_t buffer) { return buffers_.data() + buffer * stride_; }
  LdBitPlanes group_planes(std::size_t buffer, int g) {
    std::uint64_t* base = planes(buffer) + (g == 1 ? 3 * groups_->words[0] : 0);
    const std::size_t w = groups_->words[g];
    return {base, base + w, base + 2 * w};
  }

  MissingList missing(std::size_t buffer, int g) const {
    const auto& v = missing_[2 * buffer + static_cast<std::size_t>(g)];
    if (v.size() == 1 && v[0] == kNotListed) return {nullptr, std::numeric_limits<std::size_t>::max() / 4};
    return {v.data(), v.size()};
  }

  std::size_t take_buffer() {
    if (free_buffers_.empty()) {
      buffers_.resize((buffer_ct_ + 1) * stride_);
      missing_.resize(2 * (buffer_ct_ + 1));
      free_buffers_.push_back(buffer_ct_++);
    }
    const std::size_t b = free_buffers_.back();
    free_buffers_.pop_back();
    return b;
  }

  void load(std::size_t t) {
    Slot s;
    s.t = t;
    s.first_unchecked = t + 1;
    s.buffer = take_buffer();
    const std::size_t variant_idx = sc_.first + t;
    const std::uint8_t* raw = in_.data->store->variant_row(in_.data->variant_uidx[variant_idx]);
    std::int64_t n = 0, plus = 0, minus = 0;  // weighted counts for the variance test
    std::int64_t ref2 = 0, alt2 = 0;          // allele counts, doubled for haploid groups
    for (int g = 0; g < (groups_->two ? 2 : 1); ++g) {
      const std::size_t ns = groups_->sample_ct[g];
      groups_->view[g].compact_row(raw, row_.data());
      // Allele counts for the major-allele frequency, from all calls (a haploid het counts half, as in
      // plink2).
      const GenotypeCounts c = count_genotypes(row_.data(), ns);
      const std::int64_t copies = (g == 0 && groups_->haploid_group0) ? 1 : 2;
      ref2 += (2 * static_cast<std::int64_t>(c.hom2) + c.het) * copies;
      alt2 += (2 * static_cast<std::int64_t>(c.hom1) + c.het) * copies;
      std::uint64_t* base = planes(s.buffer) + (g == 1 ? 3 * groups_->words[0] : 0);
      const std::size_t w = groups_->words[g];
      split_ld_planes(row_.data(), ns, base, base + w, base + 2 * w);
      // Haploid calls (males on X and Y, everyone on MT): a het is an error and is left out, as plink2 does.
      if (g == 0 && groups_->haploid_group0) std::copy(base + w, base + 2 * w, base);
      const PlaneTotals tot = plane_totals(group_planes(s.buffer, g), w, ns);
      s.totals[g] = tot;
      // The sparse route needs the missing positions only when they are fewer than the words of a plane.
      auto& miss = missing_[2 * s.buffer + static_cast<std::size_t>(g)];
      if (2 * (ns - static_cast<std::size_t>(tot.called)) <= w)
        list_missing(base, ns, miss);
      else
        miss.assign(1, kNotListed);
      const std::int64_t weight = g == 1 ? 2 : 1;
      n += weight * tot.called;
      plus += weight * tot.plus;
      minus += weight * (tot.hom - tot.plus);
    }
    if ((plus == 0 && minus == 0) || plus == n || minus == n) {
      s.removed = true;  // no variance among the founders
      status_[variant_idx] = PruneStatus::Removed;
    } else {
      s.major_freq = static_cast<double>(std::max(ref2, alt2)) / static_cast<double>(ref2 + alt2);
    }
    window_.push_back(s);
  }

  bool exceeds(std::size_t i, std::size_t j) {
    const Slot& a = window_[i];
    const Slot& b = window_[j];
    LdPairSums s = pair_sums(group_planes(a.buffer, 0), a.totals[0], missing(a.buffer, 0),
                             group_planes(b.buffer, 0), b.totals[0], missing(b.buffer, 0), groups_->words[0]);
    if (groups_->two) {
      const LdPairSums f =
          pair_sums(group_planes(a.buffer, 1), a.totals[1], missing(a.buffer, 1), group_planes(b.buffer, 1),
                    b.totals[1], missing(b.buffer, 1), groups_->words[1]);
      s.n += 2 * f.n;
      s.sum1 += 2 * f.sum1;
      s.sum2 += 2 * f.sum2;
      s.ssq1 += 2 * f.ssq1;
      s.ssq2 += 2 * f.ssq2;
      s.dot += 2 * f.dot;
    }
    return ld_r2_exceeds(s, in_.options->r2_threshold);
  }

  std::size_t next_kept(std::size_t j) const {
    ++j;
    while (j < window_.size() && window_[j].removed) ++j;
    return j;
  }

  void remove(std::size_t i) {
    window_[i].removed = true;
    status_[sc_.first + window_[i].t] = PruneStatus::Removed;
    ++removed_ct_;
  }

  // One window, as plink2 walks it: each kept variant is tested against the later kept variants it has not
  // met yet; the first pair over the threshold loses one member and the walk moves to the next variant;
  // passes repeat until a pass removes nothing.
  void prune_window(std::size_t window_end) {
    const std::size_t size = window_.size();
    for (;;) {
      const std::size_t removed_before = removed_ct_;
      for (std::size_t i = 0; i < size; ++i) {
        if (window_[i].removed) continue;
        std::size_t j = next_kept(i);
        while (j < size && window_[j].t < window_[i].first_unchecked) j = next_kept(j);
        if (j == size) continue;
        bool pruned = false;
        for (; j < size; j = next_kept(j)) {
          if (!exceeds(i, j)) continue;
          pruned = true;
          if (window_[i].major_freq > window_[j].major_freq * (1 + kTieEpsilon)) {
            remove(i);
          } else {
            remove(j);
            const std::size_t k = next_kept(j);
            window_[i].first_unchecked = k < size ? window_[k].t : window_end;
          }
          break;
        }
        if (!pruned) window_[i].first_unchecked = window_end;
      }
      if (removed_ct_ == removed_before) break;
    }
  }

  const SharedInput& in_;
  std::vector<PruneStatus>& status_;
  Subcontig sc_;
  const Groups* groups_ = nullptr;
  std::size_t stride_ = 0;
  std::vector<Slot> window_;
  std::vector<std::uint64_t> buffers_;
  std::size_t buffer_ct_ = 0;
  std::vector<std::size_t> free_buffers_;
  std::vector<std::vector<std::uint32_t>> missing_;  // missing sample positions per buffer and group
  std::vector<std::uint64_t> row_;
  std::size_t removed_ct_ = 0;
  std::size_t released_ = 0;  // rows [0, released_) of the subcontig were handed back
};

Groups make_groups(const Dataset& data, const std::vector<std::uint32_t>& founders, int mode) {
  // mode 0 autosomal, 1 X (males + non-males), 2 Y (males only)
  Groups g;
  std::vector<std::uint32_t> a, b;
  for (std::uint32_t idx : founders) {
    const Sample& s = data.sample(idx);
    const std::uint32_t uidx = data.samples.uidx(idx);
    if (mode == 0 || s.sex == 1)
      a.push_back(uidx);
    else if (mode == 1)
      b.push_back(uidx);
  }
  g.view[0] = SampleView(data.store->sample_ct(), a);
  g.sample_ct[0] = a.size();
  g.words[0] = ld_plane_words(a.size());
  if (mode == 1) {
    g.two = true;
    g.view[1] = SampleView(data.store->sample_ct(), b);
    g.sample_ct[1] = b.size();
    g.words[1] = ld_plane_words(b.size());
  }
  g.haploid_group0 = mode != 0;
  return g;
}

std::vector<Subcontig> split_subcontigs(const Dataset& data, const PruneOptions& o,
                                        std::vector<PruneStatus>& status, std::size_t& skipped) {
  std::vector<Subcontig> out;
  std::unordered_set<std::string> seen;
  std::size_t v = 0;
  const std::size_t m = data.variant_ct();
  while (v < m) {
    const Variant& first = data.variant(v);
    std::size_t e = v + 1;
    while (e < m && data.variant(e).chrom == first.chrom) ++e;
    if (!seen.insert(first.chrom).second)
      throw Error(data.store->bim_path(), 0,
                  "--indep-pairwise needs each chromosome's variants together; chromosome " + first.chrom +
                      " appears in more than one block (sort the fileset)");
    if (first.chrom_code == 0 && (first.chrom == "0" || first.chrom == "chr0")) {
      for (std::size_t k = v; k < e; ++k) status[k] = PruneStatus::Skipped;
      skipped += e - v;
    } else if (o.window_kb &&
               std::adjacent_find(data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(v),
                                  data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(e),
                                  [&](std::uint32_t a, std::uint32_t b) {
                                    return data.store->variants()[b].pos < data.store->variants()[a].pos;
                                  }) != data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(e)) {
      throw Error(
          data.store->bim_path(), 0,
          "--indep-pairwise with a kb window needs positions sorted within each chromosome; chromosome " +
              first.chrom + " is not sorted");
    } else if (!o.window_kb) {
      if (e - v > 1) out.push_back({v, e - v, first.chrom_code});
    } else {
      // A gap longer than the window starts a new stretch (plink2 splits "subcontigs" the same way).
      std::size_t s = v;
      for (std::size_t k = v + 1; k <= e; ++k) {
        const bool split = k == e || (data.variant(k).pos >= static_cast<std::int64_t>(o.window_bp) &&
                                      data.variant(k).pos - o.window_bp > data.variant(k - 1).pos);
        if (split) {
          if (k - s > 1) out.push_back({s, k - s, first.chrom_code});
          s = k;
        }
      }
    }
    v = e;
  }
  return out;
}

}  // namespace

PruneResult indep_pairwise(const Dataset& data, const PruneOptions& options, const Context& ctx) {
  PruneResult result;
  result.status.assign(data.variant_ct(), PruneStatus::Kept);
  std::vector<std::uint32_t> founders;
  for (std::size_t i = 0; i < data.sample_ct(); ++i) {
    const Sample& s = data.sample(i);
    if (s.father == "0" && s.mother == "0") founders.push_back(static_cast<std::uint32_t>(i));
  }
  result.founder_ct = founders.size();
  if (founders.size() < 2)
    throw Error(
        data.store->fam_path(), 0,
        fmt::format("--indep-pairwise needs at least two founders (samples whose parents are both '0'); "
                    "{} selected",
                    founders.size()));
  std::vector<Subcontig> subcontigs = split_subcontigs(data, options, result.status, result.skipped_ct);
  {
    std::unordered_set<std::string_view> ids;
    ids.reserve(data.variant_ct());
    for (std::size_t v = 0; v < data.variant_ct(); ++v) {
      if (result.status[v] == PruneStatus::Skipped) continue;
      if (!ids.insert(data.variant(v).id).second)
        throw Error(data.store->bim_path(), 0,
                    "--indep-pairwise writes variant ID lists, so IDs must be unique; '" +
                        data.variant(v).id + "' occurs more than once");
    }
  }
  SharedInput in{&data,
                 &options,
                 make_groups(data, founders, 0),
                 make_groups(data, founders, 1),
                 make_groups(data, founders, 2),
                 make_groups(data, founders, 0)};
  in.mt.haploid_group0 = true;
  // Longest stretches first, so threads finish together; each stretch is independent of the others.
  std::vector<std::size_t> order(subcontigs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return subcontigs[a].length > subcontigs[b].length; });
  std::atomic<std::size_t> done{0};
  const int threads =
      std::max(1, std::min<int>(ctx.threads, static_cast<int>(std::max<std::size_t>(1, order.size()))));
#pragma omp parallel num_threads(threads)
  {
    WindowPruner pruner(in, result.status);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t k = 0; k < order.size(); ++k) {
      pruner.run(subcontigs[order[k]]);
      const std::size_t d = done.fetch_add(subcontigs[order[k]].length) + subcontigs[order[k]].length;
      if (omp_get_thread_num() == 0) ctx.report("prune", d, data.variant_ct());
    }
  }
  for (auto s : result.status) {
    if (s == PruneStatus::Kept)
      ++result.kept_ct;
    else if (s == PruneStatus::Removed)
      ++result.removed_ct;
  }
  return result;
}

}  // namespace genomap
