#include "genomap/relate/unrelated_set.hpp"

#include <set>
#include <utility>

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

}  // namespace genomap
