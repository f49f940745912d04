#include "genomap/geno/variant_table.hpp"

#include <fmt/format.h>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

VariantTable read_bim(const std::string& path) {
  LineReader reader(path);
  std::vector<Variant> variants;
  std::string line;
  while (reader.next(line)) {
    auto f = split_whitespace(line);
    if (f.empty()) continue;
    if (f.size() != 6)
      reader.fail(fmt::format("expected 6 columns (chrom ID cM position allele1 allele2), found {}", f.size()));
    Variant v;
    v.chrom = f[0];
    v.chrom_code = chromosome_code(f[0]);
    v.id = f[1];
    if (!parse_double(f[2], v.cm)) reader.fail("non-numeric genetic position '" + std::string(f[2]) + "'");
    long long pos = 0;
    if (!parse_int64(f[3], pos)) reader.fail("non-numeric base-pair position '" + std::string(f[3]) + "'");
    if (pos < 0) reader.fail("negative base-pair position '" + std::string(f[3]) + "'");
    v.pos = pos;
    v.allele1 = f[4];
    v.allele2 = f[5];
    variants.push_back(std::move(v));
  }
  if (variants.empty()) throw Error(path, 0, "no variants (empty file)");
  return VariantTable(std::move(variants));
}

void write_bim_line(const Variant& v, std::FILE* out) {
  fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\n", v.chrom, v.id, v.cm, v.pos, v.allele1, v.allele2);
}

}  // namespace genomap
