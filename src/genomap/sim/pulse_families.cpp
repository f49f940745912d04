#include "genomap/sim/pulse_families.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genomap/core/usage_error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/sim/random_stream.hpp"

namespace genomap {
namespace {

// Family f draws its meioses from stream kFirstFamilyStream + f: above the tract streams of any realistic
// sample count (2^20 + individuals) and below the variant streams (2^60 + variant).
constexpr std::uint64_t kFirstFamilyStream = 1ULL << 50;

struct FamilyMember {
  int parent[2] = {-1, -1};
  std::size_t pop = 0;
  long row = -1;  // written row, or -1
  FounderMosaic hap[2];
};

class FamilyBuilder {
 public:
  FamilyBuilder(std::size_t pop_ct, std::size_t per_pop, const std::vector<double>& chromosome_cm,
                const std::vector<std::string>& pop_names, std::uint64_t seed)
      : per_pop_(per_pop), chromosome_cm_(chromosome_cm), pop_names_(pop_names), seed_(seed),
        next_row_(pop_ct, per_pop) {
    out_.written_ct = pop_ct * per_pop;
    out_.descendant_of_row.assign(out_.written_ct, -1);
  }

  void family(FamilyKind kind, std::size_t home, std::size_t away) {
    members_.clear();
    RandomStream rng(seed_, kFirstFamilyStream + family_ct_++);
    int a = -1, b = -1;
    switch (kind) {
      case FamilyKind::ParentOffspring: {
        a = founder(home, true);
        b = child(a, founder(away, false), away, true, rng);
        break;
      }
      case FamilyKind::FullSibling: {
        const int f = founder(home, false), m = founder(home, false);
        a = child(f, m, home, true, rng);
        b = child(f, m, away, true, rng);
        break;
      }
      case FamilyKind::HalfSibling: {
        const int shared = founder(home, false);
        a = child(shared, founder(home, false), home, true, rng);
        b = child(shared, founder(away, false), away, true, rng);
        break;
      }
      case FamilyKind::FirstCousin: {
        const int g1 = founder(home, false), g2 = founder(home, false);
        const int s1 = child(g1, g2, home, false, rng), s2 = child(g1, g2, home, false, rng);
        a = child(s1, founder(home, false), home, true, rng);
        b = child(s2, founder(away, false), away, true, rng);
        break;
      }
      case FamilyKind::SecondCousin: {
        const int g1 = founder(home, false), g2 = founder(home, false);
        const int s1 = child(g1, g2, home, false, rng), s2 = child(g1, g2, home, false, rng);
        const int c1 = child(s1, founder(home, false), home, false, rng);
        const int c2 = child(s2, founder(away, false), away, false, rng);
        a = child(c1, founder(home, false), home, true, rng);
        b = child(c2, founder(away, false), away, true, rng);
        break;
      }
    }
    for (const int m : {a, b}) {
      FamilyMember& member = members_[static_cast<std::size_t>(m)];
      if (member.parent[0] < 0) continue;  // a written founder keeps its own haplotypes
      const auto row = static_cast<std::size_t>(member.row);
      out_.descendant_of_row[row] = static_cast<long>(out_.descendant_row.size());
      out_.descendant_row.push_back(row);
      out_.descendants.push_back(std::move(member.hap[0]));
      out_.descendants.push_back(std::move(member.hap[1]));
    }
    out_.pairs.push_back({static_cast<std::size_t>(members_[static_cast<std::size_t>(a)].row),
                          static_cast<std::size_t>(members_[static_cast<std::size_t>(b)].row), kind});
  }

  PulseFamilies take() { return std::move(out_); }

 private:
  long take_row(std::size_t pop) {
    if (next_row_[pop] == 0)
      throw UsageError(fmt::format(
          "simulate: --relatives and --migrants need more than --n {} samples in population {}", per_pop_,
          pop_names_[pop]));
    return static_cast<long>(pop * per_pop_ + --next_row_[pop]);
  }

  int founder(std::size_t pop, bool written) {
    FamilyMember m;
    m.pop = pop;
    std::uint32_t id = 0;
    if (written) {
      m.row = take_row(pop);
      id = static_cast<std::uint32_t>(2 * m.row);
    } else {
      id = static_cast<std::uint32_t>(2 * (out_.written_ct + out_.hidden_pop.size()));
      out_.hidden_pop.push_back(static_cast<std::uint32_t>(pop));
    }
    for (int h = 0; h < 2; ++h) {
      m.hap[h].resize(chromosome_cm_.size());
      for (std::size_t c = 0; c < chromosome_cm_.size(); ++c)
        m.hap[h][c] = {{static_cast<float>(chromosome_cm_[c]), id + static_cast<std::uint32_t>(h)}};
    }
    members_.push_back(std::move(m));
    return static_cast<int>(members_.size() - 1);
  }

  int child(int p1, int p2, std::size_t pop, bool written, RandomStream& rng) {
    FamilyMember m;
    m.parent[0] = p1;
    m.parent[1] = p2;
    m.pop = pop;
    if (written) m.row = take_row(pop);
    m.hap[0] = gamete(members_[static_cast<std::size_t>(p1)], rng);
    m.hap[1] = gamete(members_[static_cast<std::size_t>(p2)], rng);
    members_.push_back(std::move(m));
    return static_cast<int>(members_.size() - 1);
  }

  // Appends the stretches of `from` that lie in [begin, end) to `out`, merging a stretch with the previous one
  // when they carry the same founder haplotype.
  static void copy_range(const std::vector<FounderStretch>& from, float begin, float end,
                         std::vector<FounderStretch>& out) {
    for (const FounderStretch& s : from) {
      if (s.end_cm <= begin) continue;
      const float stop = std::min(s.end_cm, end);
      if (!out.empty() && out.back().founder == s.founder)
        out.back().end_cm = stop;
      else
        out.push_back({stop, s.founder});
      if (s.end_cm >= end) break;
    }
  }

  FounderMosaic gamete(const FamilyMember& parent, RandomStream& rng) const {
    FounderMosaic g(chromosome_cm_.size());
    for (std::size_t c = 0; c < chromosome_cm_.size(); ++c) {
      const auto length = static_cast<float>(chromosome_cm_[c]);
      std::size_t strand = rng.below(2);
      double pos = 0;
      float begin = 0;
      for (;;) {
        pos += -std::log(rng.uniform_positive()) * 100.0;  // rate 1 per Morgan
        const float end = pos >= chromosome_cm_[c] ? length : static_cast<float>(pos);
        copy_range(parent.hap[strand][c], begin, end, g[c]);
        if (end >= length) break;
        begin = end;
        strand ^= 1;
      }
    }
    return g;
  }

  std::size_t per_pop_;
  const std::vector<double>& chromosome_cm_;
  const std::vector<std::string>& pop_names_;
  std::uint64_t seed_;
  std::vector<std::size_t> next_row_;
  std::vector<FamilyMember> members_;
  std::uint64_t family_ct_ = 0;
  PulseFamilies out_;
};

constexpr struct {
  const char* code;
  FamilyKind kind;
} kFamilyCodes[] = {{"po", FamilyKind::ParentOffspring},
                    {"fs", FamilyKind::FullSibling},
                    {"hs", FamilyKind::HalfSibling},
                    {"c1", FamilyKind::FirstCousin},
                    {"c2", FamilyKind::SecondCousin}};

// The haplotypes of written row r: its descendant mosaics, or its own founder identities.
struct RowHaplotypes {
  const FounderMosaic* mosaic[2] = {nullptr, nullptr};
  std::uint32_t own[2] = {0, 0};
  std::uint32_t at(int h, std::size_t chrom, float cm) const {
    return mosaic[h] ? founder_at(*mosaic[h], chrom, cm) : own[h];
  }
};

RowHaplotypes row_haplotypes(const PulseFamilies& f, std::size_t row) {
  RowHaplotypes r;
  const long d = f.descendant_of_row[row];
  for (int h = 0; h < 2; ++h) {
    if (d >= 0) r.mosaic[h] = &f.descendants[2 * static_cast<std::size_t>(d) + static_cast<std::size_t>(h)];
    r.own[h] = static_cast<std::uint32_t>(2 * row + static_cast<std::size_t>(h));
  }
  return r;
}

void add_breaks(const RowHaplotypes& r, std::size_t chrom, std::vector<float>& breaks) {
  for (int h = 0; h < 2; ++h)
    if (r.mosaic[h])
      for (const FounderStretch& s : (*r.mosaic[h])[chrom]) breaks.push_back(s.end_cm);
}

}  // namespace

std::vector<FamilyRequest> parse_family_requests(const std::string& text, const char* option) {
  std::vector<FamilyRequest> out;
  for (std::string_view part : split_on(text, ',')) {
    const std::size_t colon = part.find(':');
    FamilyRequest r;
    bool known = false;
    if (colon != std::string_view::npos)
      for (const auto& code : kFamilyCodes)
        if (part.substr(0, colon) == code.code) {
          r.kind = code.kind;
          known = true;
        }
    double count = 0;
    if (!known || !parse_double(part.substr(colon + 1), count) || !(count >= 1) || count > 1e6 ||
        count != std::floor(count))
      throw UsageError(fmt::format("{} '{}': expected TYPE:COUNT, TYPE one of po, fs, hs, c1, c2 and COUNT >= 1",
                                   option, part));
    r.count = static_cast<std::size_t>(count);
    out.push_back(r);
  }
  return out;
}

const char* family_kind_name(FamilyKind kind) {
  switch (kind) {
    case FamilyKind::ParentOffspring: return "parent-offspring";
    case FamilyKind::FullSibling: return "full-sibling";
    case FamilyKind::HalfSibling: return "half-sibling";
    case FamilyKind::FirstCousin: return "first-cousin";
    case FamilyKind::SecondCousin: return "second-cousin";
  }
  return "";
}

int family_kind_degree(FamilyKind kind) {
  switch (kind) {
    case FamilyKind::ParentOffspring:
    case FamilyKind::FullSibling: return 1;
    case FamilyKind::HalfSibling: return 2;
    case FamilyKind::FirstCousin: return 3;
    case FamilyKind::SecondCousin: return 5;
  }
  return 0;
}

double family_kind_kinship(FamilyKind kind) { return std::ldexp(1.0, -(family_kind_degree(kind) + 1)); }

PulseFamilies build_pulse_families(const std::vector<FamilyRequest>& relatives,
                                   const std::vector<FamilyRequest>& migrants, std::size_t pop_ct,
                                   std::size_t per_pop, const std::vector<double>& chromosome_cm,
                                   const std::vector<std::string>& pop_names, std::uint64_t seed) {
  FamilyBuilder b(pop_ct, per_pop, chromosome_cm, pop_names, seed);
  for (std::size_t p = 0; p < pop_ct; ++p)
    for (const FamilyRequest& r : relatives)
      for (std::size_t i = 0; i < r.count; ++i) b.family(r.kind, p, p);
  for (std::size_t p = 0; p < pop_ct; ++p)
    for (std::size_t q = p + 1; q < pop_ct; ++q)
      for (const FamilyRequest& r : migrants)
        for (std::size_t i = 0; i < r.count; ++i) b.family(r.kind, p, q);
  return b.take();
}

std::uint32_t founder_at(const FounderMosaic& mosaic, std::size_t chrom, float cm) {
  const auto& stretches = mosaic[chrom];
  auto it = std::upper_bound(stretches.begin(), stretches.end(), cm,
                             [](float x, const FounderStretch& s) { return x < s.end_cm; });
  if (it == stretches.end()) --it;
  return it->founder;
}

void write_family_truth(std::FILE* segments, std::FILE* pairs, const PulseFamilies& families,
                        const std::vector<std::string>& row_ids, const std::vector<std::string>& row_pops,
                        const std::vector<int>& chrom_codes, const std::vector<double>& chromosome_cm) {
  fmt::print(segments, "IID1\tIID2\tCHR\tSTART_CM\tEND_CM\tTYPE\n");
  fmt::print(pairs, "IID1\tIID2\tPOP1\tPOP2\tRELATIONSHIP\tDEGREE\tKINSHIP\tIBD1\tIBD2\n");
  double genome = 0;
  for (double l : chromosome_cm) genome += l;
  std::vector<float> breaks;
  for (const PlantedIbdPair& p : families.pairs) {
    const RowHaplotypes a = row_haplotypes(families, p.row1), b = row_haplotypes(families, p.row2);
    double ibd1 = 0, ibd2 = 0;
    for (std::size_t c = 0; c < chromosome_cm.size(); ++c) {
      breaks.clear();
      add_breaks(a, c, breaks);
      add_breaks(b, c, breaks);
      breaks.push_back(static_cast<float>(chromosome_cm[c]));
      std::sort(breaks.begin(), breaks.end());
      breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
      // Sweep the elementary intervals; open[k] is where the current run of state >= k + 1 began (-1: none).
      float begin = 0, open[2] = {-1, -1};
      auto close = [&](int k, float end) {
        if (open[k] < 0) return;
        fmt::print(segments, "{}\t{}\t{}\t{:.5f}\t{:.5f}\t{}\n", row_ids[p.row1], row_ids[p.row2], chrom_codes[c],
                   open[k], end, k == 0 ? "IBD" : "IBD2");
        (k == 0 ? ibd1 : ibd2) += static_cast<double>(end) - static_cast<double>(open[k]);
        open[k] = -1;
      };
      for (const float end : breaks) {
        if (!(end > begin)) continue;
        const float mid = begin + (end - begin) / 2;
        const std::uint32_t a0 = a.at(0, c, mid), a1 = a.at(1, c, mid);
        const std::uint32_t b0 = b.at(0, c, mid), b1 = b.at(1, c, mid);
        const int state = ((a0 == b0 && a1 == b1) || (a0 == b1 && a1 == b0))
                              ? 2
                              : (a0 == b0 || a0 == b1 || a1 == b0 || a1 == b1) ? 1 : 0;
        for (int k = 0; k < 2; ++k) {
          if (state > k && open[k] < 0) open[k] = begin;
          if (state <= k) close(k, begin);
        }
        begin = end;
      }
      close(1, begin);
      close(0, begin);
    }
    // ibd1 so far holds the length shared on at least one haplotype.
    fmt::print(pairs, "{}\t{}\t{}\t{}\t{}\t{}\t{:.6f}\t{:.6f}\t{:.6f}\n", row_ids[p.row1], row_ids[p.row2],
               row_pops[p.row1], row_pops[p.row2], family_kind_name(p.kind), family_kind_degree(p.kind),
               family_kind_kinship(p.kind), (ibd1 - ibd2) / genome, ibd2 / genome);
  }
}

}  // namespace genomap
