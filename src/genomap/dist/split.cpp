#include "genomap/dist/split.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/io/number_format.hpp"

namespace genomap {
namespace {

constexpr const char* kManifestFormat = "genomap split manifest 1";

std::size_t parse_size(const std::string& text, const std::string& path, std::size_t line, const char* what) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty())
    throw Error(path, line, fmt::format("{}: '{}' is not a whole number", what, text));
  return value;
}

std::vector<std::string> tab_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// floor(t * total / n) without overflow (t <= n, n below 2^32).
std::size_t scaled(std::size_t t, std::size_t total, std::size_t n) {
  return t * (total / n) + t * (total % n) / n;
}

// Pairs (j, i < j) in rows [0, r).
std::size_t pairs_before(std::size_t r) { return r == 0 ? 0 : r * (r - 1) / 2; }

// The whole text of a file, split into its first line and the rest.
std::pair<std::string, std::string> header_and_body(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, 0, "cannot open the slice's output (it is listed in its manifest)");
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  const std::size_t newline = all.find('\n');
  if (newline == std::string::npos) return {all, ""};
  return {all.substr(0, newline + 1), all.substr(newline + 1)};
}

// .smiss: the per-sample counts of the slices summed, F_MISS recomputed as the single run prints it.
std::string merge_smiss(const std::vector<std::string>& paths) {
  std::string header;
  std::vector<std::vector<std::string>> rows;  // fields of slice 1, counts replaced by the sums
  std::size_t missing_col = 0;
  for (std::size_t s = 0; s < paths.size(); ++s) {
    const auto [head, body] = header_and_body(paths[s]);
    if (s == 0) {
      header = head;
      const auto columns = tab_fields(head.substr(0, head.size() - 1));
      const auto at = std::find(columns.begin(), columns.end(), "MISSING_CT");
      if (at == columns.end() || at + 3 != columns.end())
        throw Error(paths[s], 1, "not a .smiss header (... MISSING_CT OBS_CT F_MISS)");
      missing_col = static_cast<std::size_t>(at - columns.begin());
    } else if (head != header) {
      throw Error(paths[s], 1, fmt::format("the header differs from {}'s", paths[0]));
    }
    std::istringstream lines(body);
    std::size_t row = 0;
    for (std::string line; std::getline(lines, line); ++row) {
      auto fields = tab_fields(line);
      if (fields.size() != missing_col + 3) throw Error(paths[s], row + 2, "not a .smiss row");
      if (s == 0) {
        rows.push_back(fields);
        continue;
      }
      if (row >= rows.size()) throw Error(paths[s], row + 2, fmt::format("more samples than {}", paths[0]));
      auto& sum = rows[row];
      for (std::size_t c = 0; c < missing_col; ++c)
        if (fields[c] != sum[c])
          throw Error(paths[s], row + 2,
                      fmt::format("sample '{}' where {} has '{}'", fields[c], paths[0], sum[c]));
      for (std::size_t c : {missing_col, missing_col + 1})
        sum[c] = std::to_string(parse_size(sum[c], paths[0], row + 2, "count") +
                                parse_size(fields[c], paths[s], row + 2, "count"));
    }
    if (row != rows.size()) throw Error(paths[s], 0, fmt::format("fewer samples than {}", paths[0]));
  }
  std::string text = header;
  for (auto& fields : rows) {
    const double missing = static_cast<double>(parse_size(fields[missing_col], paths[0], 0, "count"));
    const double observed = static_cast<double>(parse_size(fields[missing_col + 1], paths[0], 0, "count"));
    fields[missing_col + 2].clear();
    append_g6(fields[missing_col + 2],
              observed == 0 ? std::numeric_limits<double>::quiet_NaN() : missing / observed);
    text += fmt::format("{}\n", fmt::join(fields, "\t"));
  }
  return text;
}

// A table of variants or pair rows: one header, the slices' bodies in order.
std::string merge_rows(const std::vector<std::string>& paths) {
  std::string header, text;
  for (std::size_t s = 0; s < paths.size(); ++s) {
    auto [head, body] = header_and_body(paths[s]);
    if (s == 0) {
      header = head;
      text = head;
    } else if (head != header) {
      throw Error(paths[s], 1, fmt::format("the header differs from {}'s", paths[0]));
    }
    text += body;
  }
  return text;
}

}  // namespace

SplitSlice parse_split(const std::string& text) {
  static const std::regex form("([0-9]{1,9})/([0-9]{1,9})");
  std::smatch m;
  SplitSlice s;
  if (std::regex_match(text, m, form)) {
    s.index = std::stoul(m[1].str());
    s.count = std::stoul(m[2].str());
    if (s.index >= 1 && s.index <= s.count) return s;
  }
  throw UsageError(
      fmt::format("--split: expected I/N with 1 <= I <= N (slice I of N, e.g. 3/10), got '{}'", text));
}

std::string split_prefix(const std::string& out, const SplitSlice& slice) {
  return fmt::format("{}.split{}-of-{}", out, slice.index, slice.count);
}

std::pair<std::size_t, std::size_t> split_range(std::size_t total, const SplitSlice& s) {
  const auto bound = [&](std::size_t t) { return scaled(t, total, s.count); };
  return {bound(s.index - 1), bound(s.index)};
}

std::pair<std::size_t, std::size_t> split_pair_rows(std::size_t samples, const SplitSlice& s) {
  const std::size_t pairs = pairs_before(samples);
  // The first row r whose earlier rows hold at least t/N of the pairs.
  const auto bound = [&](std::size_t t) -> std::size_t {
    if (t == s.count) return samples;
    const std::size_t target = scaled(t, pairs, s.count);
    std::size_t lo = 0, hi = samples;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (pairs_before(mid) >= target)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  };
  return {bound(s.index - 1), bound(s.index)};
}

std::string split_key(const std::string& command, const std::string& parameters,
                      const std::vector<std::string>& inputs) {
  static const std::set<std::string> ignored = {"out", "split", "threads", "memory", "quiet"};
  std::string text = "command=" + command + "\n";
  std::istringstream lines(parameters);
  for (std::string line; std::getline(lines, line);)
    if (!ignored.count(line.substr(0, line.find('=')))) text += line + "\n";
  for (const auto& input : inputs) text += "input=" + input + "\n";
  const XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

std::string render_split_manifest(const SplitManifest& m) {
  std::string text =
      fmt::format("{}\ncommand\t{}\nslice\t{}/{}\nkey\t{}\nrange\t{}\t{}\t{}\t{}\n", kManifestFormat,
                  m.command, m.slice.index, m.slice.count, m.key, m.unit, m.first, m.last, m.total);
  for (const auto& suffix : m.outputs) text += "output\t" + suffix + "\n";
  return text;
}

SplitManifest read_split_manifest(const std::string& path) {
  LineReader reader(path);
  SplitManifest m;
  std::string line;
  if (!reader.next(line) || line != kManifestFormat)
    throw Error(path, 1, fmt::format("not a genomap split manifest (first line '{}')", kManifestFormat));
  std::set<std::string> seen;
  while (reader.next(line)) {
    const auto f = tab_fields(line);
    const std::size_t at = reader.line_number();
    if (f[0] == "command" && f.size() == 2) {
      m.command = f[1];
    } else if (f[0] == "slice" && f.size() == 2) {
      try {
        m.slice = parse_split(f[1]);
      } catch (const Error&) {
        throw Error(path, at, fmt::format("slice '{}' is not I/N", f[1]));
      }
    } else if (f[0] == "key" && f.size() == 2) {
      m.key = f[1];
    } else if (f[0] == "range" && f.size() == 5) {
      m.unit = f[1];
      m.first = parse_size(f[2], path, at, "range");
      m.last = parse_size(f[3], path, at, "range");
      m.total = parse_size(f[4], path, at, "range");
      if (m.first > m.last || m.last > m.total)
        throw Error(path, at, "the range is not first <= last <= total");
    } else if (f[0] == "output" && f.size() == 2 && !f[1].empty() && f[1].find('/') == std::string::npos) {
      m.outputs.push_back(f[1]);
      continue;
    } else {
      throw Error(path, at, fmt::format("unexpected line '{}'", line));
    }
    if (!seen.insert(f[0]).second) throw Error(path, at, fmt::format("'{}' given twice", f[0]));
  }
  if (seen.size() != 4)
    throw Error(path, 0, "incomplete manifest (command, slice, key and range are required)");
  return m;
}

SplitMerge merge_split_outputs(const std::string& out, OutputSet& outputs) {
  namespace fs = std::filesystem;
  const fs::path out_path(out);
  const fs::path dir = out_path.has_parent_path() ? out_path.parent_path() : fs::path(".");
  const std::string base = out_path.filename().string();
  static const std::regex name_form("\\.split([0-9]+)-of-([0-9]+)\\.split");
  std::map<std::size_t, std::map<std::size_t, std::string>> by_count;  // N -> I -> manifest path
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::smatch m;
    const std::string rest = name.size() > base.size() && name.compare(0, base.size(), base) == 0
                                 ? name.substr(base.size())
                                 : std::string();
    if (!std::regex_match(rest, m, name_form)) continue;
    by_count[std::stoul(m[2].str())][std::stoul(m[1].str())] =
        (out_path.has_parent_path() ? (dir / name).string() : name);
  }
  if (ec) throw Error(dir.string(), 0, "cannot list the folder of --out");
  if (by_count.empty())
    throw Error(fmt::format(
        "no slices {}.splitI-of-N.split found (run the command with --split I/N first)", out));
  if (by_count.size() > 1) {
    auto a = by_count.begin(), b = std::next(a);
    throw Error(fmt::format("slices of two splits are present ({} and {}): remove the stale ones",
                            a->second.begin()->second, b->second.begin()->second));
  }
  const std::size_t count = by_count.begin()->first;
  const auto& files = by_count.begin()->second;
  SplitMerge merge;
  merge.slice_count = count;
  std::vector<SplitManifest> manifests;
  for (std::size_t i = 1; i <= count; ++i) {
    const auto it = files.find(i);
    if (it == files.end())
      throw Error(fmt::format("slice {} of {} is missing ({}.split{}-of-{}.split)", i, count, out, i, count));
    SplitManifest m = read_split_manifest(it->second);
    if (m.slice.index != i || m.slice.count != count)
      throw Error(it->second, 0, fmt::format("the manifest says slice {}/{}", m.slice.index, m.slice.count));
    if (!manifests.empty()) {
      const SplitManifest& first = manifests.front();
      if (m.command != first.command || m.key != first.key || m.unit != first.unit || m.total != first.total)
        throw Error(it->second, 0,
                    fmt::format("made by another command, inputs or parameters than {} (key {} against {})",
                                merge.manifests.front(), m.key, first.key));
      if (m.first != manifests.back().last)
        throw Error(it->second, 0,
                    fmt::format("its range starts at {} where slice {} ended at {}", m.first, i - 1,
                                manifests.back().last));
    } else if (m.first != 0) {
      throw Error(it->second, 0, "slice 1 does not start at the first item");
    }
    merge.manifests.push_back(it->second);
    manifests.push_back(std::move(m));
  }
  if (manifests.back().last != manifests.back().total)
    throw Error(merge.manifests.back(), 0, "the last slice does not end at the last item");
  merge.command = manifests.front().command;
  // A slice writes only the tables it has rows for (hardy: .hardy.x only where chromosome X falls), as the
  // single run does; per-sample tables come from every slice.
  std::vector<std::string> suffixes;
  for (const auto& m : manifests)
    for (const auto& suffix : m.outputs)
      if (std::find(suffixes.begin(), suffixes.end(), suffix) == suffixes.end()) suffixes.push_back(suffix);
  for (const auto& suffix : suffixes) {
    std::vector<std::string> paths;
    for (const auto& m : manifests)
      if (std::find(m.outputs.begin(), m.outputs.end(), suffix) != m.outputs.end())
        paths.push_back(split_prefix(out, m.slice) + suffix);
    if (suffix == ".smiss" && paths.size() != count)
      throw Error(fmt::format("{} is missing from some slices' manifests", suffix));
    outputs.open(suffix).write(suffix == ".smiss" ? merge_smiss(paths) : merge_rows(paths));
  }
  return merge;
}

}  // namespace genomap
