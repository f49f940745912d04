#include "genomap/pipeline/analysis_populations.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/pipeline/report_data.hpp"

namespace genomap {
namespace {

// The population names of a sample table's `column` in the order of the file's rows (read_population_file
// has already checked the file).
std::vector<std::string> names_in_row_order(const std::string& path, const std::string& column) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> names;
  std::size_t col = std::string::npos;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (col == std::string::npos) {
      for (std::size_t i = 0; i < f.size(); ++i)
        if (f[i] == column || f[i] == "#" + column) col = i;
      if (col == std::string::npos) return names;
      continue;
    }
    if (col < f.size() && std::find(names.begin(), names.end(), f[col]) == names.end())
      names.emplace_back(f[col]);
  }
  return names;
}

}  // namespace

Populations read_populations(const AnalysisOptions& o, const Dataset& qc, const Context& ctx) {
  Populations p;
  p.file_order = read_population_file(o.pop_file, o.pop_column, qc.store->samples(), qc.samples.uidx_list());
  if (p.file_order.pop_ct() == 0) throw Error(o.pop_file, 0, "no analysed sample has a population label");
  for (const auto& name : names_in_row_order(o.pop_file, o.pop_column))
    if (std::find(p.file_order.names.begin(), p.file_order.names.end(), name) != p.file_order.names.end())
      p.report_order.push_back(name);
  for (const auto& name : p.file_order.names)
    if (std::find(p.report_order.begin(), p.report_order.end(), name) == p.report_order.end())
      p.report_order.push_back(name);
  if (!o.pop_order.empty()) {
    std::vector<std::string> order = read_population_order(o.pop_order);
    for (const auto& name : p.report_order)
      if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
    std::vector<std::string> known;
    for (const auto& name : order) {
      if (std::find(p.report_order.begin(), p.report_order.end(), name) != p.report_order.end())
        known.push_back(name);
      else
        ctx.note(
            fmt::format("warning: {}: population '{}' has no analysed sample; ignored", o.pop_order, name));
    }
    p.report_order = known;
  }
  p.report_index.resize(qc.sample_ct(), -1);
  for (std::size_t i = 0; i < qc.sample_ct(); ++i) {
    const auto f = p.file_order.pop_of_sample[i];
    if (f < 0) continue;
    const auto& name = p.file_order.names[static_cast<std::size_t>(f)];
    p.report_index[i] = static_cast<std::int32_t>(
        std::find(p.report_order.begin(), p.report_order.end(), name) - p.report_order.begin());
  }
  return p;
}

PopulationAssignment popstats_populations(const PopulationAssignment& assignment, const Context& ctx) {
  std::vector<std::string> labels(assignment.pop_of_sample.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto p = assignment.pop_of_sample[i];
    if (p >= 0 && assignment.sizes[static_cast<std::size_t>(p)] >= 2)
      labels[i] = assignment.names[static_cast<std::size_t>(p)];
  }
  for (std::size_t p = 0; p < assignment.pop_ct(); ++p)
    if (assignment.sizes[p] < 2)
      ctx.note(fmt::format("popstats: population '{}' has {} analysed sample; left out of Fst and f3",
                           assignment.names[p], assignment.sizes[p]));
  PopulationAssignment out = assign_populations(labels);
  out.sort_by_name();
  return out;
}

}  // namespace genomap
