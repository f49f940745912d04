// Chromosome names as PLINK numbers them: 1-22 autosomes, 23 X, 24 Y, 25 XY (pseudo-autosomal), 26 MT.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace genomap {

inline constexpr int kChromX = 23;
inline constexpr int kChromY = 24;
inline constexpr int kChromXY = 25;
inline constexpr int kChromMT = 26;

// Numeric code of a chromosome name ("chr7" -> 7, "X" -> 23, "chrM" -> 26); 0 for unplaced/unknown names
// ("0", contigs), which are then matched by name only.
int chromosome_code(std::string_view name);
// The name plink2 prints for a code (1-22, X, Y, XY, MT); `fallback` when the code is 0.
std::string chromosome_name(int code, std::string_view fallback);
bool is_autosome(int code);
bool is_haploid_or_sex(int code);  // X, Y, MT

// Parses a --chr list such as "1-22,X" or "1,2,5-7,MT" into the set of chromosome names/codes it selects.
struct ChromosomeSelection {
  std::vector<bool> codes = std::vector<bool>(27, false);
  std::vector<std::string> other_names;  // names without a numeric code
  bool matches(int code, std::string_view name) const;
};
ChromosomeSelection parse_chromosome_list(std::string_view text);  // throws Error on a malformed list

}  // namespace genomap
