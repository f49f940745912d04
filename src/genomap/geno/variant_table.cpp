#include "genomap/geno/variant_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

namespace {

// parse_double's result, faster for plain decimals: std::from_chars rounds correctly as strtod does; anything it
// does not take whole (a leading '+', hex, out of range, subnormal) goes to parse_double itself.
bool parse_position_cm(std::string_view field, double& value) {
  if (field.size() == 1 && field[0] == '0') {
    value = 0.0;
    return true;
  }
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (ec == std::errc() && ptr == field.data() + field.size() && (v == 0.0 || !(std::fabs(v) < DBL_MIN))) {
    value = v;
    return true;
  }
  return parse_double(field, value);
}

}  // namespace

VariantTable read_bim(const std::string& path) {
  const std::string text = read_text_file(path);
  std::vector<Variant> variants;
  variants.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::string_view last_chrom;
  int last_chrom_code = 0;
  for_each_line(text, [&](std::string_view line, std::size_t line_number) {
    auto fail = [&](const std::string& message) { throw Error(path, line_number, message); };
    std::string_view f[6];
    const std::size_t fields = split_whitespace(line, f, 6);
    if (fields == 0) return;
    if (fields != 6)
      fail(fmt::format("expected 6 columns (chrom ID cM position allele1 allele2), found {}", fields));
    Variant& v = variants.emplace_back();
    v.chrom = f[0];
    if (last_chrom.data() == nullptr || f[0] != last_chrom) {
      last_chrom = f[0];
      last_chrom_code = chromosome_code(f[0]);
    }
    v.chrom_code = last_chrom_code;
    v.id = f[1];
    if (!parse_position_cm(f[2], v.cm)) fail("non-numeric genetic position '" + std::string(f[2]) + "'");
    long long pos = 0;
    if (!parse_int64(f[3], pos)) fail("non-numeric base-pair position '" + std::string(f[3]) + "'");
    if (pos < 0) fail("negative base-pair position '" + std::string(f[3]) + "'");
    v.pos = pos;
    v.allele1 = f[4];
    v.allele2 = f[5];
  });
  if (variants.empty()) throw Error(path, 0, "no variants (empty file)");
  return VariantTable(std::move(variants));
}

void write_bim_line(const Variant& v, std::FILE* out) {
  fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\n", v.chrom, v.id, v.cm, v.pos, v.allele1, v.allele2);
}

}  // namespace genomap
