#include "genomap/geno/chromosome.hpp"

#include <algorithm>
#include <cctype>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

int chromosome_code(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n.rfind("CHR", 0) == 0) n = n.substr(3);
  if (n == "X") return kChromX;
  if (n == "Y") return kChromY;
  if (n == "XY" || n == "PAR1" || n == "PAR2") return kChromXY;
  if (n == "MT" || n == "M") return kChromMT;
  long long v = 0;
  if (parse_int64(n, v) && v >= 1 && v <= 26) return static_cast<int>(v);
  return 0;
}

std::string chromosome_name(int code, std::string_view fallback) {
  if (code >= 1 && code <= 22) return std::to_string(code);
  switch (code) {
    case kChromX: return "X";
    case kChromY: return "Y";
    case kChromXY: return "XY";
    case kChromMT: return "MT";
    default: return std::string(fallback);
  }
}

bool is_autosome(int code) { return code >= 1 && code <= 22; }
bool is_haploid_or_sex(int code) { return code == kChromX || code == kChromY || code == kChromMT; }

bool ChromosomeSelection::matches(int code, std::string_view name) const {
  if (code > 0) return codes[static_cast<std::size_t>(code)];
  return std::find(other_names.begin(), other_names.end(), name) != other_names.end();
}

ChromosomeSelection parse_chromosome_list(std::string_view text) {
  ChromosomeSelection sel;
  for (auto part : split_on(text, ',')) {
    if (part.empty()) throw UsageError("--chr: empty element in list '" + std::string(text) + "'");
    auto dash = part.find('-');
    if (dash != std::string_view::npos) {
      int a = chromosome_code(part.substr(0, dash));
      int b = chromosome_code(part.substr(dash + 1));
      if (a == 0 || b == 0 || a > b) throw UsageError("--chr: invalid range '" + std::string(part) + "'");
      for (int c = a; c <= b; ++c) sel.codes[static_cast<std::size_t>(c)] = true;
    } else {
      int c = chromosome_code(part);
      if (c > 0) sel.codes[static_cast<std::size_t>(c)] = true;
      else sel.other_names.emplace_back(part);
    }
  }
  return sel;
}

}  // namespace genomap
