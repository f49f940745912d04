#include "genomap/relate/unrelated_set.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "genomap/relate/king.hpp"

namespace genomap {

std::vector<bool> remove_relatives(std::size_t sample_ct, const std::vector<RelatedPair>& pairs) {
  std::vector<std::vector<std::uint32_t>> relatives(sample_ct);
  for (const auto& p : pairs) {
    if (p.first == p.second) continue;
    relatives[p.first].push_back(p.second);
    relatives[p.second].push_back(p.first);
  }
  std::vector<std::size_t> remaining(sample_ct);
  // Ordered by (most relatives, latest sample) first: the set's last element is the next to remove.
  std::set<std::pair<std::size_t, std::uint32_t>> queue;
  for (std::uint32_t s = 0; s < sample_ct; ++s) {
    remaining[s] = relatives[s].size();
    if (remaining[s] > 0) queue.emplace(remaining[s], s);
  }
  std::vector<bool> removed(sample_ct, false);
  while (!queue.empty()) {
    const auto [count, s] = *queue.rbegin();
    queue.erase(std::prev(queue.end()));
    removed[s] = true;
    for (std::uint32_t r : relatives[s]) {
      if (removed[r] || remaining[r] == 0) continue;
      queue.erase({remaining[r], r});
      if (--remaining[r] > 0) queue.emplace(remaining[r], r);
    }
    remaining[s] = 0;
  }
  // The greedy order can remove a sample whose relatives were all removed after it; such a sample is taken
  // back (in input order), so the kept set is maximal.
  for (std::uint32_t s = 0; s < sample_ct; ++s) {
    if (!removed[s]) continue;
    bool kept_relative = false;
    for (std::uint32_t r : relatives[s]) kept_relative = kept_relative || !removed[r];
    if (!kept_relative) removed[s] = false;
  }
  return removed;
}

UnrelatedSet choose_unrelated(const Dataset& data, double kinship_cutoff, const Context& ctx) {
  std::vector<RelatedPair> related;
  compute_king(data, ctx, plan_king(data, ctx), [&](const KingBand& band) {
    for (std::size_t j = band.row_begin; j < band.row_end; ++j)
      for (std::size_t i = 0; i < j; ++i)
        if (king_kinship(band.at(j, i)) > kinship_cutoff)
          related.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
  });
  UnrelatedSet out;
  out.related_pair_ct = related.size();
  out.removed = remove_relatives(data.sample_ct(), related);
  for (bool r : out.removed) out.removed_ct += r;
  return out;
}

void write_sample_list(std::FILE* out, const Dataset& data, const std::vector<bool>& removed,
                       bool want_removed) {
  fmt::print(out, "#FID\tIID\n");
  for (std::size_t s = 0; s < data.sample_ct(); ++s)
    if (removed[s] == want_removed) fmt::print(out, "{}\t{}\n", data.sample(s).fid, data.sample(s).iid);
}

}  // namespace genomap
