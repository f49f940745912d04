#include "genomap/geno/sample_table_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_set>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {
namespace {

bool is_missing_code(std::string_view field) {
  return field == "NA" || field == "na" || field == "NaN" || field == "nan" || field == "-9" || field == ".";
}

struct Header {
  bool has_fid = true;
  std::size_t first_value_field = 2;
  std::vector<std::string> names;  // of the value columns
  bool is_data_line = false;       // no header: the first line already holds values
};

Header parse_header(const std::vector<std::string_view>& fields) {
  Header h;
  std::string first(fields[0]);
  if (!first.empty() && first[0] == '#') first.erase(0, 1);
  if (first == "FID" && fields.size() >= 2 && fields[1] == "IID") {
    h.has_fid = true;
    h.first_value_field = 2;
  } else if (first == "IID") {
    h.has_fid = false;
    h.first_value_field = 1;
  } else {
    // No header line: FID IID then unnamed columns, named as plink2 names them.
    h.is_data_line = true;
    for (std::size_t i = 2; i < fields.size(); ++i) h.names.push_back("PHENO" + std::to_string(i - 1));
    return h;
  }
  for (std::size_t i = h.first_value_field; i < fields.size(); ++i) h.names.emplace_back(fields[i]);
  return h;
}

}  // namespace

SampleColumns read_sample_columns(const std::string& path, const SampleTable& samples,
                                  const std::vector<std::string>& wanted) {
  LineReader in(path);
  SampleColumns out;
  out.path = path;
  std::string line;
  Header header;
  bool have_header = false;
  std::vector<std::size_t> field_of;  // field index of each selected column
  std::vector<char> seen(samples.size(), 0);
  const double nan = std::numeric_limits<double>::quiet_NaN();

  auto select_columns = [&]() {
    if (header.names.empty()) in.fail("no value columns after the sample ID columns");
    std::unordered_set<std::string> names(header.names.begin(), header.names.end());
    if (names.size() != header.names.size()) in.fail("duplicate column name in header");
    const std::vector<std::string>& chosen = wanted.empty() ? header.names : wanted;
    for (const auto& name : chosen) {
      std::size_t k = 0;
      while (k < header.names.size() && header.names[k] != name) ++k;
      if (k == header.names.size()) throw Error(path, in.line_number(), "no column named '" + name + "'");
      field_of.push_back(header.first_value_field + k);
      out.names.push_back(name);
    }
    out.values.assign(out.names.size(), std::vector<double>(samples.size(), nan));
  };

  auto read_row = [&](const std::vector<std::string_view>& fields) {
    const std::size_t expected = header.first_value_field + header.names.size();
    if (fields.size() != expected)
      in.fail("expected " + std::to_string(expected) + " fields, found " + std::to_string(fields.size()));
    std::string iid(fields[header.has_fid ? 1 : 0]);
    std::string fid = header.has_fid ? std::string(fields[0]) : std::string();
    std::optional<std::uint32_t> idx;
    try {
      idx = samples.find(iid, header.has_fid ? &fid : nullptr);
    } catch (const Error& e) {
      in.fail(e.what());  // an IID of several families: named at its line
    }
    if (!idx) {
      if (out.unknown_ct++ == 0) out.first_unknown = header.has_fid ? fid + " " + iid : iid;
      return;
    }
    if (seen[*idx]) in.fail("sample " + iid + " appears more than once");
    seen[*idx] = 1;
    ++out.matched_ct;
    for (std::size_t c = 0; c < field_of.size(); ++c) {
      std::string_view f = fields[field_of[c]];
      if (is_missing_code(f)) continue;
      double v;
      if (!parse_double(f, v) || !std::isfinite(v))
        in.fail("column " + out.names[c] + ": '" + std::string(f) + "' is not a number");
      out.values[c][*idx] = v;
    }
  };

  while (in.next(line)) {
    auto fields = split_whitespace(line);
    if (fields.empty()) continue;
    if (!have_header) {
      header = parse_header(fields);
      have_header = true;
      select_columns();
      if (!header.is_data_line) continue;
    }
    read_row(fields);
  }
  if (!have_header) throw Error(path, 0, "empty file");
  if (out.matched_ct == 0) throw Error(path, 0, "no entries correspond to samples of the fileset");
  return out;
}

BinaryCoding detect_binary(const std::vector<double>& column) {
  bool any0 = false, any1 = false, any2 = false;
  for (double v : column) {
    if (std::isnan(v)) continue;
    if (v == 0)
      any0 = true;
    else if (v == 1)
      any1 = true;
    else if (v == 2)
      any2 = true;
    else
      return BinaryCoding::NotBinary;
  }
  if (!any0 && !any1 && !any2) return BinaryCoding::NotBinary;
  if (any2 || !any0) return BinaryCoding::OneTwo;
  return BinaryCoding::ZeroOne;
}

std::vector<double> recode_binary(const std::vector<double>& column, BinaryCoding coding) {
  std::vector<double> out(column.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < column.size(); ++i) {
    const double v = column[i];
    if (std::isnan(v)) continue;
    if (coding == BinaryCoding::OneTwo) {
      if (v == 1)
        out[i] = 0;
      else if (v == 2)
        out[i] = 1;
    } else if (coding == BinaryCoding::ZeroOne) {
      if (v == 0 || v == 1) out[i] = v;
    }
  }
  return out;
}

}  // namespace genomap
