#include "genomap/sim/pulse_simulation.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/bed_writer.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/sim/genome_layout.hpp"
#include "genomap/sim/random_stream.hpp"

namespace genomap {
namespace {

// Stream of admixed individual i: kFirstTractStream + i; of variant j: kFirstVariantStream + j. The two
// ranges never meet for any realistic size (2^40 individuals).
constexpr std::uint64_t kFirstTractStream = 1ULL << 20;
constexpr std::uint64_t kFirstVariantStream = 1ULL << 60;

constexpr const char* kAllelePairs[8][2] = {{"A", "C"}, {"A", "G"}, {"C", "A"}, {"C", "T"},
                                            {"G", "A"}, {"G", "T"}, {"T", "C"}, {"T", "G"}};

// Ancestry tracts of every admixed haplotype, chromosome by chromosome: tract t covers [end of t-1,
// end_cm[t]) with ancestry source[t]; the tracts of haplotype h on chromosome c are [offset[h*C+c],
// offset[h*C+c+1]).
struct AncestryTracts {
  std::size_t chromosome_ct = 0;
  std::vector<float> end_cm;
  std::vector<std::uint8_t> source;
  std::vector<std::size_t> offset{0};
  std::size_t first(std::size_t hap, std::size_t chrom) const { return offset[hap * chromosome_ct + chrom]; }
  std::size_t last(std::size_t hap, std::size_t chrom) const {
    return offset[hap * chromosome_ct + chrom + 1];
  }
};

// Where the variants sit and their genetic positions: the default layout on a uniform map, or the variants of
// a .bim with its cM (--map). Chromosomes are numbered 0..C-1 in order of appearance.
class PulseMap {
 public:
  PulseMap(std::size_t variant_ct, std::size_t chromosome_ct, double cm_per_mb)
      : layout_(variant_ct, chromosome_ct), cm_per_mb_(cm_per_mb), variant_ct_(variant_ct) {
    for (std::size_t c = 1; c <= chromosome_ct; ++c) {
      first_.push_back(layout_.first_variant(static_cast<int>(c)));
      length_cm_.push_back(static_cast<double>(layout_.length(static_cast<int>(c))) / 1e6 * cm_per_mb);
      code_.push_back(static_cast<int>(c));
    }
    first_.push_back(variant_ct);
    for (std::size_t c = 0; c < chromosome_ct; ++c)
      if (first_[c] == first_[c + 1])
        throw UsageError(
            fmt::format("simulate --pulse: --m {} leaves chromosome {} without variants", variant_ct, c + 1));
  }

  explicit PulseMap(const std::string& bim)
      : table_(read_bim(bim)), from_bim_(true), variant_ct_(table_.size()) {
    if (variant_ct_ == 0) throw Error(bim, 0, "no variants");
    std::vector<char> seen(kChromMT + 1, 0);
    for (std::size_t j = 0; j < variant_ct_; ++j) {
      const Variant& v = table_[j];
      if (!is_autosome(v.chrom_code))
        throw Error(bim, j + 1, fmt::format("chromosome '{}': --map takes autosomes 1-22 only", v.chrom));
      if (!std::isfinite(v.cm) || v.cm < 0) throw Error(bim, j + 1, "genetic position is not a number >= 0");
      if (j == 0 || v.chrom_code != table_[j - 1].chrom_code) {
        if (seen[static_cast<std::size_t>(v.chrom_code)])
          throw Error(bim, j + 1,
                      fmt::format("chromosome {} appears again after another: not sorted", v.chrom));
        seen[static_cast<std::size_t>(v.chrom_code)] = 1;
        first_.push_back(j);
        code_.push_back(v.chrom_code);
        length_cm_.push_back(0);
      } else if (v.cm < table_[j - 1].cm) {
        throw Error(bim, j + 1, "genetic positions decrease within a chromosome: not sorted");
      }
      length_cm_.back() = v.cm;
    }
    first_.push_back(variant_ct_);
    for (std::size_t c = 0; c < code_.size(); ++c)
      if (!(length_cm_[c] > 0))
        throw Error(bim, first_[c] + 1,
                    fmt::format("chromosome {} has no genetic map (every cM is 0): --map needs cM positions",
                                code_[c]));
  }

  std::size_t variant_ct() const { return variant_ct_; }
  std::size_t chromosome_ct() const { return code_.size(); }
  int code(std::size_t c) const { return code_[c]; }
  double chromosome_cm(std::size_t c) const { return length_cm_[c]; }
  std::size_t chromosome_of(std::size_t j) const {
    return static_cast<std::size_t>(std::upper_bound(first_.begin(), first_.end(), j) - first_.begin()) - 1;
  }
  double cm(std::size_t j) const {
    return from_bim_ ? table_[j].cm : static_cast<double>(layout_.position(j)) / 1e6 * cm_per_mb_;
  }
  // The .bim line of the variant (--map), or a generated one; draws the alleles from `rng` either way so the
  // rest of the variant's stream is the same.
  void describe(std::size_t j, RandomStream& rng, Variant& var) const {
    const auto& pair = kAllelePairs[rng.below(8)];
    if (from_bim_) {
      var = table_[j];
      return;
    }
    const int chrom = code_[chromosome_of(j)];
    var.chrom = std::to_string(chrom);
    var.chrom_code = chrom;
    var.id = fmt::format("snp{}", j + 1);
    var.pos = layout_.position(j);
    var.cm = cm(j);
    var.allele1 = pair[0];
    var.allele2 = pair[1];
  }

 private:
  GenomeLayout layout_{1, 1};
  double cm_per_mb_ = 1;
  VariantTable table_;
  bool from_bim_ = false;
  std::size_t variant_ct_ = 0;
  std::vector<std::size_t> first_;  // first variant of each chromosome, plus the end
  std::vector<double> length_cm_;
  std::vector<int> code_;
};

std::uint8_t draw_source(RandomStream& rng, const std::vector<double>& cumulative) {
  const double u = rng.uniform();
  std::size_t k = 0;
  while (k + 1 < cumulative.size() && u >= cumulative[k]) ++k;
  return static_cast<std::uint8_t>(k);
}

AncestryTracts draw_tracts(const PulseSimulationOptions& o, const PulseMap& layout, std::size_t admixed_ct) {
  std::vector<double> cumulative;
  double sum = 0;
  for (const auto& s : o.pulse.sources) cumulative.push_back(sum += s.proportion);
  AncestryTracts t;
  t.chromosome_ct = layout.chromosome_ct();
  const double rate_per_cm = o.pulse.generations / 100.0;
  for (std::size_t i = 0; i < admixed_ct; ++i) {
    RandomStream rng(o.seed, kFirstTractStream + i);
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t c = 0; c < t.chromosome_ct; ++c) {
        const double length = layout.chromosome_cm(c);
        std::uint8_t current = draw_source(rng, cumulative);
        double pos = 0;
        for (;;) {
          pos += -std::log(rng.uniform_positive()) / rate_per_cm;
          if (pos >= length) break;
          const std::uint8_t next = draw_source(rng, cumulative);
          if (next == current) continue;
          t.end_cm.push_back(static_cast<float>(pos));
          t.source.push_back(current);
          current = next;
        }
        t.end_cm.push_back(static_cast<float>(length));
        t.source.push_back(current);
        t.offset.push_back(t.end_cm.size());
      }
  }
  return t;
}

std::string sample_id(const std::string& pop, std::size_t i) { return fmt::format("{}_{}", pop, i + 1); }

struct PulseChunk {
  std::size_t first = 0, count = 0;
  std::vector<std::uint8_t> packed;
  std::vector<Variant> variants;
};

// Where every founder haplotype's ancestry comes from: a source population, or (target founders) the tracts
// of tract-haplotype pair `tract`.
struct FounderAncestry {
  std::size_t k_ct = 0, per_pop = 0;
  const PulseFamilies* families = nullptr;
  std::vector<long> hidden_tract;  // per hidden founder: its tract index, or -1 (a source founder)

  FounderAncestry(const PulseFamilies& f, std::size_t k, std::size_t n) : k_ct(k), per_pop(n), families(&f) {
    std::size_t next = n;
    for (const std::uint32_t pop : f.hidden_pop)
      hidden_tract.push_back(pop == k ? static_cast<long>(next++) : -1);
  }
  std::size_t target_founder_ct() const {
    std::size_t ct = per_pop;
    for (const long t : hidden_tract) ct += t >= 0;
    return ct;
  }
  // -1: founder haplotype f is of source population pop(f); else the tract haplotype 2 t + (f % 2).
  long tract_hap(std::uint32_t f) const {
    const std::size_t member = f / 2;
    long t = -1;
    if (member < families->written_ct) {
      if (member / per_pop == k_ct) t = static_cast<long>(member - k_ct * per_pop);
    } else {
      t = hidden_tract[member - families->written_ct];
    }
    return t < 0 ? -1 : 2 * t + static_cast<long>(f % 2);
  }
  std::size_t pop(std::uint32_t f) const { return families->founder_pop(f, per_pop); }
};

std::uint8_t tract_source_at(const AncestryTracts& tracts, std::size_t hap, std::size_t c, float cm) {
  const auto begin = tracts.end_cm.begin() + static_cast<std::ptrdiff_t>(tracts.first(hap, c));
  const auto end = tracts.end_cm.begin() + static_cast<std::ptrdiff_t>(tracts.last(hap, c));
  const auto it = std::upper_bound(begin, end, cm);
  return tracts.source[static_cast<std::size_t>(std::min(it, end - 1) - tracts.end_cm.begin())];
}

class PulseChunkGenerator {
 public:
  PulseChunkGenerator(const PulseSimulationOptions& o, const PulseMap& layout, const AncestryTracts& tracts,
                      const FounderAncestry& ancestry)
      : o_(o), layout_(layout), tracts_(tracts), ancestry_(ancestry), freq_(o.pulse.sources.size()) {
    cursor_.resize(2 * o.sample_ct);
    allele_.resize(ancestry.families->founder_hap_ct());
    missing_.resize(ancestry.families->written_ct);
  }

  void generate(PulseChunk& chunk) {
    const PulseFamilies& fam = *ancestry_.families;
    const std::size_t k_ct = o_.pulse.sources.size();
    const std::size_t n = (k_ct + 1) * o_.sample_ct;
    const std::size_t bytes = (n + 3) / 4;
    chunk.packed.assign(chunk.count * bytes, 0);
    chunk.variants.resize(chunk.count);
    const std::size_t c = layout_.chromosome_of(chunk.first);  // chunks never cross chromosomes
    for (std::size_t h = 0; h < cursor_.size(); ++h) {
      const double cm = layout_.cm(chunk.first);
      const auto begin = tracts_.end_cm.begin() + static_cast<std::ptrdiff_t>(tracts_.first(h, c));
      const auto end = tracts_.end_cm.begin() + static_cast<std::ptrdiff_t>(tracts_.last(h, c));
      const auto it = std::upper_bound(begin, end, static_cast<float>(cm));
      cursor_[h] = static_cast<std::size_t>(std::min(it, end - 1) - tracts_.end_cm.begin());
    }
    const double shape_scale = (1.0 - o_.fst) / o_.fst;
    for (std::size_t v = 0; v < chunk.count; ++v) {
      const std::size_t j = chunk.first + v;
      RandomStream rng(o_.seed, kFirstVariantStream + j);
      layout_.describe(j, rng, chunk.variants[v]);
      const double p = 0.05 + 0.9 * rng.uniform();
      for (std::size_t k = 0; k < k_ct; ++k) freq_[k] = rng.beta(p * shape_scale, (1.0 - p) * shape_scale);
      std::uint8_t* row = chunk.packed.data() + v * bytes;
      const auto cm = static_cast<float>(layout_.cm(j));
      auto put = [&](std::size_t i, int dosage, bool missing) {
        const std::uint8_t code = missing ? 1 : bed_code_from_allele1_dosage(dosage);
        row[i >> 2] |= static_cast<std::uint8_t>(code << (2 * (i & 3)));
      };
      // Founder haplotypes of the written rows, in row order (each row draws its alleles and its missingness
      // whether or not it is a founder, so that adding relatives leaves the other rows' draws in place).
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t pop = i / o_.sample_ct;
        if (pop < k_ct) {
          allele_[2 * i] = rng.uniform() < freq_[pop];
          allele_[2 * i + 1] = rng.uniform() < freq_[pop];
        } else {
          const std::size_t a = i - k_ct * o_.sample_ct;
          for (std::size_t h = 2 * a; h < 2 * a + 2; ++h) {
            std::size_t& t = cursor_[h];
            while (tracts_.end_cm[t] <= cm && t + 1 < tracts_.last(h, c)) ++t;
            allele_[2 * i + h - 2 * a] = rng.uniform() < freq_[tracts_.source[t]];
          }
        }
        missing_[i] = o_.missing > 0 && rng.uniform() < o_.missing;
        if (fam.descendant_of_row[i] < 0) put(i, allele_[2 * i] + allele_[2 * i + 1], missing_[i]);
      }
      // Founders that are not written, then the written descendants.
      for (auto f = static_cast<std::uint32_t>(2 * n); f < allele_.size(); ++f) {
        const long th = ancestry_.tract_hap(f);
        const std::size_t src =
            th < 0 ? ancestry_.pop(f) : tract_source_at(tracts_, static_cast<std::size_t>(th), c, cm);
        allele_[f] = rng.uniform() < freq_[src];
      }
      for (std::size_t d = 0; d < fam.descendant_row.size(); ++d) {
        const std::size_t i = fam.descendant_row[d];
        const int dosage = allele_[founder_at(fam.descendants[2 * d], c, cm)] +
                           allele_[founder_at(fam.descendants[2 * d + 1], c, cm)];
        put(i, dosage, missing_[i]);
      }
    }
  }

 private:
  const PulseSimulationOptions& o_;
  const PulseMap& layout_;
  const AncestryTracts& tracts_;
  const FounderAncestry& ancestry_;
  std::vector<double> freq_;
  std::vector<std::size_t> cursor_;   // per admixed haplotype: its current tract
  std::vector<std::uint8_t> allele_;  // per founder haplotype: allele 1 (1) or 2 (0) at the current variant
  std::vector<char> missing_;         // per written row
};

// Chunks of about `target` variants that start at every chromosome's first variant.
std::vector<std::size_t> chunk_starts(const PulseMap& layout, std::size_t variant_ct, std::size_t target) {
  std::vector<std::size_t> starts{0};
  for (std::size_t j = 1; j < variant_ct; ++j)
    if (j - starts.back() >= target || layout.chromosome_of(j) != layout.chromosome_of(j - 1))
      starts.push_back(j);
  starts.push_back(variant_ct);
  return starts;
}

// Calls emit(start_cm, end_cm, source) for the ancestry along founder haplotype f on chromosome c within
// [begin, end).
template <typename Emit>
void founder_ancestry(const FounderAncestry& ancestry, const AncestryTracts& tracts, std::uint32_t f,
                      std::size_t c, float begin, float end, Emit&& emit) {
  const long th = ancestry.tract_hap(f);
  if (th < 0) {
    emit(begin, end, ancestry.pop(f));
    return;
  }
  float start = 0;
  for (std::size_t t = tracts.first(static_cast<std::size_t>(th), c);
       t < tracts.last(static_cast<std::size_t>(th), c); ++t) {
    const float lo = std::max(start, begin), hi = std::min(tracts.end_cm[t], end);
    if (hi > lo) emit(lo, hi, std::size_t{tracts.source[t]});
    start = tracts.end_cm[t];
  }
}

// The ancestry tracts of haplotype h of a written descendant: its founder stretches' tracts, consecutive
// pieces of one source merged.
struct SourceTract {
  float start = 0, end = 0;
  std::size_t source = 0;
};
std::vector<SourceTract> descendant_tracts(const FounderAncestry& ancestry, const AncestryTracts& tracts,
                                           const FounderMosaic& mosaic, std::size_t c) {
  std::vector<SourceTract> out;
  float begin = 0;
  for (const FounderStretch& s : mosaic[c]) {
    founder_ancestry(ancestry, tracts, s.founder, c, begin, s.end_cm,
                     [&](float lo, float hi, std::size_t src) {
                       if (!out.empty() && out.back().source == src && out.back().end == lo)
                         out.back().end = hi;
                       else
                         out.push_back({lo, hi, src});
                     });
    begin = s.end_cm;
  }
  return out;
}

void write_truth(const PulseSimulationOptions& o, const PulseMap& layout, const AncestryTracts& tracts,
                 const FounderAncestry& ancestry, OutputSet& outputs) {
  const auto& sources = o.pulse.sources;
  const std::size_t k_ct = sources.size();
  const PulseFamilies& fam = *ancestry.families;
  std::FILE* pop = outputs.open(".pop").stream();
  std::FILE* q = outputs.open(".Q").stream();
  std::FILE* tr = outputs.open(".tracts").stream();
  fmt::print(pop, "FID\tIID\tPOP\n");
  fmt::print(tr, "IID\tHAP\tCHR\tSTART_CM\tEND_CM\tSOURCE\n");
  std::vector<double> share(k_ct);
  // A written descendant's share of each source, and (target rows) its tracts.
  auto descendant = [&](std::size_t row, const std::string& id, bool write_tracts) {
    std::fill(share.begin(), share.end(), 0.0);
    double total = 0;
    const auto d = static_cast<std::size_t>(fam.descendant_of_row[row]);
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t c = 0; c < tracts.chromosome_ct; ++c)
        for (const SourceTract& t : descendant_tracts(ancestry, tracts, fam.descendants[2 * d + h], c)) {
          const double length = static_cast<double>(t.end) - static_cast<double>(t.start);
          share[t.source] += length;
          total += length;
          if (write_tracts)
            fmt::print(tr, "{}\t{}\t{}\t{:.5f}\t{:.5f}\t{}\n", id, h + 1, layout.code(c), t.start, t.end,
                       sources[t.source].name);
        }
    for (std::size_t k = 0; k < k_ct; ++k) fmt::print(q, "{}{:.6f}", k ? " " : "", share[k] / total);
    fmt::print(q, "\n");
  };
  for (std::size_t k = 0; k < k_ct; ++k)
    for (std::size_t i = 0; i < o.sample_ct; ++i) {
      const std::string id = sample_id(sources[k].name, i);
      fmt::print(pop, "{0}\t{0}\t{1}\n", id, sources[k].name);
      if (fam.descendant_of_row[k * o.sample_ct + i] >= 0) {
        descendant(k * o.sample_ct + i, id, false);
        continue;
      }
      for (std::size_t kk = 0; kk < k_ct; ++kk)
        fmt::print(q, "{}{}", kk ? " " : "", kk == k ? "1.000000" : "0.000000");
      fmt::print(q, "\n");
    }
  for (std::size_t i = 0; i < o.sample_ct; ++i) {
    const std::string id = sample_id(o.pulse.target, i);
    fmt::print(pop, "{0}\t{0}\t{1}\n", id, o.pulse.target);
    if (fam.descendant_of_row[k_ct * o.sample_ct + i] >= 0) {
      descendant(k_ct * o.sample_ct + i, id, true);
      continue;
    }
    std::fill(share.begin(), share.end(), 0.0);
    double total = 0;
    for (std::size_t h = 2 * i; h < 2 * i + 2; ++h)
      for (std::size_t c = 0; c < tracts.chromosome_ct; ++c) {
        float start = 0;
        for (std::size_t t = tracts.first(h, c); t < tracts.last(h, c); ++t) {
          const double length = static_cast<double>(tracts.end_cm[t]) - static_cast<double>(start);
          share[tracts.source[t]] += length;
          total += length;
          fmt::print(tr, "{}\t{}\t{}\t{:.5f}\t{:.5f}\t{}\n", id, h - 2 * i + 1, layout.code(c), start,
                     tracts.end_cm[t], sources[tracts.source[t]].name);
          start = tracts.end_cm[t];
        }
      }
    for (std::size_t k = 0; k < k_ct; ++k) fmt::print(q, "{}{:.6f}", k ? " " : "", share[k] / total);
    fmt::print(q, "\n");
  }
  if (fam.pairs.empty()) return;
  std::vector<std::string> ids, pops;
  for (std::size_t k = 0; k <= k_ct; ++k)
    for (std::size_t i = 0; i < o.sample_ct; ++i) {
      const std::string& name = k < k_ct ? sources[k].name : o.pulse.target;
      ids.push_back(sample_id(name, i));
      pops.push_back(name);
    }
  std::vector<int> codes;
  std::vector<double> lengths;
  for (std::size_t c = 0; c < layout.chromosome_ct(); ++c) {
    codes.push_back(layout.code(c));
    lengths.push_back(layout.chromosome_cm(c));
  }
  write_family_truth(outputs.open(".ibd.truth").stream(), outputs.open(".relatives").stream(), fam, ids, pops,
                     codes, lengths);
}

}  // namespace

PulseSpec parse_pulse(const std::string& text) {
  auto fail = [&](const std::string& why) -> void {
    throw UsageError(fmt::format("--pulse '{}': {} (expected TARGET=A:0.3,B:0.7@GENERATIONS)", text, why));
  };
  PulseSpec spec;
  const std::size_t eq = text.find('=');
  const std::size_t at = text.rfind('@');
  if (eq == std::string::npos || at == std::string::npos || at < eq) fail("missing '=' or '@'");
  spec.target = text.substr(0, eq);
  if (spec.target.empty()) fail("no target name");
  if (!parse_double(std::string_view(text).substr(at + 1), spec.generations) || !(spec.generations > 0) ||
      spec.generations > 1e5)
    fail("generations must be a number in (0, 100000]");
  double total = 0;
  for (std::string_view part : split_on(std::string_view(text).substr(eq + 1, at - eq - 1), ',')) {
    const std::size_t colon = part.find(':');
    PulseSource s;
    if (colon == std::string_view::npos || colon == 0 ||
        !parse_double(part.substr(colon + 1), s.proportion) || !(s.proportion > 0) || !(s.proportion < 1))
      fail(fmt::format("cannot read source '{}' (NAME:PROPORTION, proportion in (0, 1))", part));
    s.name = std::string(part.substr(0, colon));
    if (s.name == spec.target) fail(fmt::format("source '{}' is the target", s.name));
    for (const auto& other : spec.sources)
      if (other.name == s.name) fail(fmt::format("source '{}' is given twice", s.name));
    total += s.proportion;
    spec.sources.push_back(std::move(s));
  }
  if (spec.sources.size() < 2) fail("at least two sources are needed");
  if (spec.sources.size() > 255) fail("at most 255 sources");
  if (std::abs(total - 1) > 1e-9) fail(fmt::format("proportions sum to {}, not 1", total));
  return spec;
}

void simulate_pulse_dataset(const PulseSimulationOptions& o, OutputSet& outputs, const Context& ctx) {
  if (o.sample_ct == 0) throw UsageError("simulate --pulse: --n must be positive");
  if (o.map_bim.empty() && o.variant_ct == 0) throw UsageError("simulate --pulse: --m must be positive");
  if (o.chromosome_ct < 1 || o.chromosome_ct > 22)
    throw UsageError("simulate: --chromosomes must be in 1..22");
  if (!(o.fst > 0 && o.fst < 1)) throw UsageError("simulate: --fst must be in (0, 1)");
  if (!(o.cm_per_mb > 0 && o.cm_per_mb <= 100))
    throw UsageError("simulate: --map-rate must be in (0, 100] cM per Mb");
  if (!(o.missing >= 0 && o.missing < 1)) throw UsageError("simulate: --missing must be in [0, 1)");
  if (o.pulse.sources.size() < 2) throw UsageError("simulate --pulse: at least two sources are needed");
  const PulseMap layout =
      o.map_bim.empty() ? PulseMap(o.variant_ct, o.chromosome_ct, o.cm_per_mb) : PulseMap(o.map_bim);
  const std::size_t variant_ct = layout.variant_ct();
  const std::size_t k_ct = o.pulse.sources.size();
  const std::size_t n = (k_ct + 1) * o.sample_ct;

  // Expected tracts: per haplotype and chromosome one, plus T switches per Morgan (fewer once merged).
  double genome_cm = 0;
  for (std::size_t c = 0; c < layout.chromosome_ct(); ++c) genome_cm += layout.chromosome_cm(c);
  const double expected_tracts =
      2.0 * static_cast<double>(o.sample_ct) *
      (static_cast<double>(layout.chromosome_ct()) + o.pulse.generations * genome_cm / 100);
  const std::size_t bytes_per_variant = (n + 3) / 4;
  const auto threads = static_cast<std::size_t>(std::max(1, ctx.threads));
  const std::size_t target = std::clamp<std::size_t>((std::size_t{1} << 20) / bytes_per_variant, 16, 8192);
  ctx.memory.require(static_cast<std::size_t>(expected_tracts * 1.2 * 5) +
                         2 * threads * (target * (bytes_per_variant + 64) + 16 * o.sample_ct),
                     "ancestry tracts and simulation buffers");

  std::vector<double> chromosome_cm;
  for (std::size_t c = 0; c < layout.chromosome_ct(); ++c) chromosome_cm.push_back(layout.chromosome_cm(c));
  std::vector<std::string> pop_names;
  for (const auto& s : o.pulse.sources) pop_names.push_back(s.name);
  pop_names.push_back(o.pulse.target);
  const PulseFamilies families =
      build_pulse_families(o.relatives, o.migrants, k_ct + 1, o.sample_ct, chromosome_cm, pop_names, o.seed);
  const FounderAncestry ancestry(families, k_ct, o.sample_ct);
  const AncestryTracts tracts = draw_tracts(o, layout, ancestry.target_founder_ct());
  ctx.note(
      fmt::format("simulate --pulse: {} = mixture of {} sources {} generations ago; {} samples, {} variants, "
                  "{} ancestry tracts",
                  o.pulse.target, k_ct, o.pulse.generations, n, variant_ct, tracts.end_cm.size()));

  std::vector<Sample> samples;
  samples.reserve(n);
  for (std::size_t k = 0; k <= k_ct; ++k)
    for (std::size_t i = 0; i < o.sample_ct; ++i) {
      Sample s;
      s.fid = s.iid = sample_id(k < k_ct ? o.pulse.sources[k].name : o.pulse.target, i);
      samples.push_back(std::move(s));
    }
  BedWriter bed(outputs, SampleTable(std::move(samples)));
  write_truth(o, layout, tracts, ancestry, outputs);

  const std::vector<std::size_t> starts = chunk_starts(layout, variant_ct, target);
  const std::size_t chunk_ct = starts.size() - 1;
  const std::size_t wave = 2 * threads;
  std::vector<PulseChunk> chunks(wave);
  std::vector<std::unique_ptr<PulseChunkGenerator>> generators(threads);
  for (auto& g : generators) g = std::make_unique<PulseChunkGenerator>(o, layout, tracts, ancestry);
  for (std::size_t first_chunk = 0; first_chunk < chunk_ct; first_chunk += wave) {
    const std::size_t in_wave = std::min(wave, chunk_ct - first_chunk);
    for (std::size_t c = 0; c < in_wave; ++c) {
      chunks[c].first = starts[first_chunk + c];
      chunks[c].count = starts[first_chunk + c + 1] - starts[first_chunk + c];
    }
#pragma omp parallel for num_threads(static_cast <int>(threads)) schedule(dynamic, 1)
    for (std::size_t c = 0; c < in_wave; ++c)
      generators[static_cast<std::size_t>(omp_get_thread_num())]->generate(chunks[c]);
    for (std::size_t c = 0; c < in_wave; ++c) {
      for (std::size_t v = 0; v < chunks[c].count; ++v)
        bed.add_packed_variant(chunks[c].variants[v], chunks[c].packed.data() + v * bytes_per_variant);
      ctx.report("simulate", chunks[c].first + chunks[c].count, variant_ct);
    }
  }
}

}  // namespace genomap
