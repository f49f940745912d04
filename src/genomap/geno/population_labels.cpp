#include "genomap/geno/population_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

std::vector<std::string> PopulationAssignment::label_of_sample() const {
  std::vector<std::string> labels(pop_of_sample.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (pop_of_sample[i] >= 0) labels[i] = names[static_cast<std::size_t>(pop_of_sample[i])];
  return labels;
}

std::uint32_t PopulationAssignment::index_of(const std::string& name, const std::string& where) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<std::uint32_t>(i);
  throw Error(fmt::format(
      "{}: unknown population '{}' (not in the population labels of the analysed samples)", where, name));
}

void PopulationAssignment::require_min_size(std::uint32_t min_size, const std::string& source,
                                            const std::string& why) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (sizes[i] < min_size)
      throw Error(source, 0,
                  fmt::format("population '{}' has {} sample{}; {} needs at least {} per population",
                              names[i], sizes[i], sizes[i] == 1 ? "" : "s", why, min_size));
}

namespace {

// Natural order, as plink2 sorts category names: runs of digits compare by value ("pop2" < "pop10").
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i0 = i, j0 = j;
      while (i0 < a.size() && a[i0] == '0') ++i0;
      while (j0 < b.size() && b[j0] == '0') ++j0;
      std::size_t i1 = i0, j1 = j0;
      while (i1 < a.size() && digit(a[i1])) ++i1;
      while (j1 < b.size() && digit(b[j1])) ++j1;
      if (i1 - i0 != j1 - j0) return i1 - i0 < j1 - j0;
      const int c = a.compare(i0, i1 - i0, b, j0, j1 - j0);
      if (c != 0) return c < 0;
      i = i1;
      j = j1;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;
}

}  // namespace

void PopulationAssignment::sort_by_name() {
  std::vector<std::size_t> order(names.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return natural_less(names[a], names[b]); });
  std::vector<std::int32_t> new_index(names.size());
  std::vector<std::string> new_names(names.size());
  std::vector<std::uint32_t> new_sizes(names.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    new_index[order[k]] = static_cast<std::int32_t>(k);
    new_names[k] = names[order[k]];
    new_sizes[k] = sizes[order[k]];
  }
  for (auto& p : pop_of_sample)
    if (p >= 0) p = new_index[static_cast<std::size_t>(p)];
  names = std::move(new_names);
  sizes = std::move(new_sizes);
}

namespace {

// NA, -9, .: plink2's missing values; NONE: plink2's missing category; -: ADMIXTURE's unknown population.
bool is_missing_label(std::string_view label) {
  return label == "NA" || label == "-9" || label == "." || label == "NONE" || label == "-";
}

// Builds the assignment from one optional label per analysed sample, naming populations in order of
// appearance.
PopulationAssignment from_labels(const std::vector<std::string>& labels, const std::vector<bool>& has_label) {
  PopulationAssignment out;
  out.pop_of_sample.assign(labels.size(), -1);
  std::unordered_map<std::string, std::int32_t> index;
  for (std::size_t s = 0; s < labels.size(); ++s) {
    if (!has_label[s]) {
      ++out.unassigned_ct;
      continue;
    }
    auto [it, inserted] = index.emplace(labels[s], static_cast<std::int32_t>(out.names.size()));
    if (inserted) {
      out.names.push_back(labels[s]);
      out.sizes.push_back(0);
    }
    out.pop_of_sample[s] = it->second;
    ++out.sizes[static_cast<std::size_t>(it->second)];
  }
  return out;
}

// The samples to label and where each analysed one goes.
struct LabelTarget {
  const SampleTable& samples;
  std::vector<std::int64_t> idx_of_uidx;  // analysed position of each .fam row, -1 when filtered out
  std::vector<std::string> labels;        // per analysed sample
  std::vector<bool> has_label;
  std::vector<std::string> labels_in_row_order;

  LabelTarget(const SampleTable& table, const std::vector<std::uint32_t>& selected_uidx)
      : samples(table), idx_of_uidx(table.size(), -1), labels(selected_uidx.size()),
        has_label(selected_uidx.size(), false) {
    for (std::size_t i = 0; i < selected_uidx.size(); ++i)
      idx_of_uidx[selected_uidx[i]] = static_cast<std::int64_t>(i);
  }
  void set(std::uint32_t uidx, std::string_view label) {
    if (is_missing_label(label)) return;
    if (std::find(labels_in_row_order.begin(), labels_in_row_order.end(), label) == labels_in_row_order.end())
      labels_in_row_order.emplace_back(label);
    const std::int64_t idx = idx_of_uidx[uidx];
    if (idx < 0) return;  // removed by a filter
    labels[static_cast<std::size_t>(idx)] = std::string(label);
    has_label[static_cast<std::size_t>(idx)] = true;
  }
  PopulationAssignment finish() {
    PopulationAssignment out = from_labels(labels, has_label);
    out.labels_in_row_order = std::move(labels_in_row_order);
    return out;
  }
};

// ADMIXTURE's .pop: line i labels .fam row i; `first` is the first line, already read.
void read_pop_lines(LineReader& reader, std::string line, LabelTarget& target) {
  std::size_t row = 0;
  do {
    const auto fields = split_whitespace(line);
    if (fields.size() != 1)
      reader.fail(fmt::format("expected one population label per line (ADMIXTURE .pop), found {} fields",
                              fields.size()));
    if (row == target.samples.size())
      reader.fail(fmt::format("more lines than the {} samples of the .fam", target.samples.size()));
    target.set(static_cast<std::uint32_t>(row++), fields[0]);
  } while (reader.next(line));
  if (row != target.samples.size())
    reader.fail(fmt::format("{} lines but the .fam has {} samples (a .pop has one line per sample)", row,
                            target.samples.size()));
}

// A table with a header line naming FID/IID and the population column.
void read_table(LineReader& reader, const std::vector<std::string_view>& header, const std::string& column,
                bool match_fid, LabelTarget& target) {
  std::string first(header[0]);
  if (!first.empty() && first[0] == '#') first.erase(0, 1);
  std::size_t fid_col = SIZE_MAX, iid_col = 0;
  if (first == "FID") {
    if (header.size() < 2 || header[1] != "IID")
      reader.fail("header starts with FID but its second column is not IID");
    fid_col = 0;
    iid_col = 1;
  } else if (first != "IID") {
    reader.fail("header must start with '#FID IID', 'FID IID' or 'IID' (found '" + std::string(header[0]) +
                "')");
  }
  std::size_t pop_col = SIZE_MAX;
  for (std::size_t c = 0; c < header.size(); ++c)
    if (header[c] == column) pop_col = c;
  if (pop_col == SIZE_MAX) reader.fail("no column named '" + column + "' in the header");
  const bool by_fid = fid_col != SIZE_MAX && match_fid;
  const std::size_t needed = std::max(pop_col, iid_col) + 1;
  std::vector<bool> seen(target.samples.size(), false);
  std::string line;
  while (reader.next(line)) {
    const auto fields = split_whitespace(line);
    if (fields.empty()) continue;
    if (fields.size() < needed)
      reader.fail(fmt::format("expected at least {} columns, found {}", needed, fields.size()));
    const std::string iid(fields[iid_col]);
    std::optional<std::uint32_t> uidx;
    try {
      const std::string fid(by_fid ? fields[fid_col] : std::string_view());
      uidx = target.samples.find(iid, by_fid ? &fid : nullptr);
    } catch (const Error& e) {
      reader.fail(e.what());
    }
    if (!uidx) {
      if (by_fid) reader.fail(fmt::format("sample '{} {}' is not in the genotype data", fields[fid_col], iid));
      reader.fail(fmt::format("sample '{}' is not in the genotype data", iid));
    }
    if (seen[*uidx]) reader.fail(fmt::format("sample '{}' is listed twice", iid));
    seen[*uidx] = true;
    target.set(*uidx, fields[pop_col]);
  }
}

}  // namespace

PopulationAssignment read_population_labels(const std::string& path, const SampleTable& samples,
                                            const std::vector<std::uint32_t>& selected_uidx,
                                            const std::string& column, bool match_fid) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string_view> first;
  while (reader.next(line)) {
    first = split_whitespace(line);
    if (!first.empty()) break;
  }
  if (first.empty())
    throw Error(path, 0, "empty population file (a header line such as 'FID IID POP' is needed)");
  LabelTarget target(samples, selected_uidx);
  if (first.size() == 1)
    read_pop_lines(reader, line, target);
  else
    read_table(reader, first, column, match_fid, target);
  return target.finish();
}

PopulationAssignment read_population_labels(const std::string& path, const Dataset& data,
                                            const std::string& column) {
  return read_population_labels(path, data.store->samples(), data.samples.uidx_list(), column);
}

PopulationAssignment assign_populations(const std::vector<std::string>& label_of_sample) {
  std::vector<bool> has(label_of_sample.size());
  for (std::size_t i = 0; i < has.size(); ++i) has[i] = !label_of_sample[i].empty();
  return from_labels(label_of_sample, has);
}

}  // namespace genomap
