// A frequency release opened for serving: read-only (SQLite's immutable mode, so no lock or journal is ever
// touched), safe to query from many threads at once (a pool of connections, one per concurrent query).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "genomap/freqdb/frequency_release.hpp"

namespace genomap::freqdb {

struct ReleaseInfo {
  std::string format, version, created, genomap_version, content_hash;
  std::uint32_t min_count = 0;
  std::uint64_t variant_ct = 0, samples_counted = 0;
  std::vector<std::string> hidden_populations;
  nlohmann::json parameters;
};

// Where a region page stops: the next page starts after (pos, variant_idx).
struct RegionCursor {
  std::int64_t pos = 0;
  std::int64_t variant_idx = -1;
};

struct RegionPage {
  std::vector<ReleaseVariant> variants;
  std::optional<RegionCursor> next;  // set when more variants lie in the region
};

class FrequencyDatabase {
 public:
  // Throws Error naming the file when it is missing, not a release, or of another format version.
  explicit FrequencyDatabase(const std::string& path);
  ~FrequencyDatabase();
  FrequencyDatabase(const FrequencyDatabase&) = delete;
  FrequencyDatabase& operator=(const FrequencyDatabase&) = delete;

  const ReleaseInfo& info() const { return info_; }
  const std::vector<ReleasePopulation>& populations() const { return populations_; }
  const std::string& path() const { return path_; }

  // Variants with this ID (at most `limit`), in release order.
  std::vector<ReleaseVariant> find_by_id(std::string_view id, std::size_t limit) const;
  // Variants at a 1-based position, optionally with the given REF and ALT (at most `limit`).
  std::vector<ReleaseVariant> find_at(std::string_view chrom, std::int64_t pos,
                                      std::optional<std::string_view> ref,
                                      std::optional<std::string_view> alt, std::size_t limit) const;
  // Variants with start <= pos <= end on `chrom`, by position, after `after`, at most `limit`.
  RegionPage region(std::string_view chrom, std::int64_t start, std::int64_t end, RegionCursor after,
                    std::size_t limit) const;
  // Recomputes the content hash from the stored rows (reads the whole release).
  std::string recompute_content_hash() const;

 private:
  struct Connection;
  class Lease;
  std::unique_ptr<Connection> open_connection() const;

  std::string path_;
  ReleaseInfo info_;
  std::vector<ReleasePopulation> populations_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace genomap::freqdb
