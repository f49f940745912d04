#include "genomap/serve/request_parsing.hpp"

#include <charconv>

#include "genomap/geno/chromosome.hpp"

namespace genomap::serve {

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 80))
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  if (text.size() > 80) out += "...";
  return out;
}

std::string parse_chromosome(std::string_view text) {
  if (text.empty() || text.size() > 32) throw BadRequest("chromosome: expected a name such as 1, X or chr7");
  for (unsigned char c : text)
    if (!std::isalnum(c) && c != '_' && c != '.')
      throw BadRequest("chromosome '" + printable(text) + "': letters, digits, '_' and '.' only");
  const int code = chromosome_code(text);
  if (code == 0) return std::string(text);  // contigs are matched by name
  return chromosome_name(code, text);
}

std::int64_t parse_integer(std::string_view text, std::int64_t low, std::int64_t high, const char* what) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 19 || text[0] == '-' || text[0] == '+')
    throw BadRequest(std::string(what) + " '" + printable(text) + "': expected a whole number");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw BadRequest(std::string(what) + " '" + printable(text) + "': expected a whole number");
  if (value < low || value > high)
    throw BadRequest(std::string(what) + " " + std::to_string(value) + " is outside [" + std::to_string(low) +
                     ", " + std::to_string(high) + "]");
  return value;
}

std::int64_t parse_position(std::string_view text, const char* what) {
  return parse_integer(text, 1, (std::int64_t{1} << 31) - 1, what);
}

std::string parse_alleles(std::string_view text, const char* what) {
  if (text.empty() || text.size() > 1000) throw BadRequest(std::string(what) + ": expected 1 to 1000 bases");
  std::string out;
  for (unsigned char c : text) {
    // Bases (any case, stored upper-case), and the letters, digits and '*' of other allele codes (PLINK's
    // 1/2).
    if (!std::isalnum(c) && c != '*')
      throw BadRequest(std::string(what) + " '" + printable(text) + "': letters, digits and '*' only");
    const char u = static_cast<char>(std::toupper(c));
    out.push_back(u == 'A' || u == 'C' || u == 'G' || u == 'T' || u == 'N' ? u : static_cast<char>(c));
  }
  return out;
}

std::string parse_variant_id(std::string_view text) {
  if (text.empty() || text.size() > 200) throw BadRequest("variant ID: expected 1 to 200 characters");
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '/')
      throw BadRequest("variant ID '" + printable(text) +
                       "': printable ASCII without spaces, quotes, <, >, \\ or /");
  return std::string(text);
}

std::optional<VariantLocus> parse_locus(std::string_view text) {
  const auto first = text.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const std::string_view rest = text.substr(first + 1);
  if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) return std::nullopt;
  VariantLocus locus;
  locus.chrom = parse_chromosome(text.substr(0, first));
  const auto second = rest.find(':');
  locus.pos = parse_position(rest.substr(0, second), "position");
  if (second == std::string_view::npos) return locus;
  const std::string_view alleles = rest.substr(second + 1);
  const auto third = alleles.find(':');
  if (third == std::string_view::npos)
    throw BadRequest("variant '" + printable(text) + "': expected CHROM:POS or CHROM:POS:REF:ALT");
  locus.ref = parse_alleles(alleles.substr(0, third), "REF");
  locus.alt = parse_alleles(alleles.substr(third + 1), "ALT");
  return locus;
}

Region parse_region(std::string_view text, std::int64_t max_span) {
  const auto colon = text.find(':');
  const auto dash = colon == std::string_view::npos ? colon : text.find('-', colon);
  if (colon == std::string_view::npos || dash == std::string_view::npos)
    throw BadRequest("region '" + printable(text) + "': expected CHROM:START-END");
  Region r;
  r.chrom = parse_chromosome(text.substr(0, colon));
  r.start = parse_position(text.substr(colon + 1, dash - colon - 1), "region start");
  r.end = parse_position(text.substr(dash + 1), "region end");
  if (r.end < r.start) throw BadRequest("region end is before its start");
  if (r.end - r.start + 1 > max_span)
    throw BadRequest("region spans " + std::to_string(r.end - r.start + 1) + " bp; at most " +
                     std::to_string(max_span) + " per query");
  return r;
}

std::string format_cursor(const freqdb::RegionCursor& cursor) {
  return std::to_string(cursor.pos) + "." + std::to_string(cursor.variant_idx);
}

freqdb::RegionCursor parse_cursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos)
    throw BadRequest("page cursor '" + printable(text) + "': expected POS.INDEX");
  return {parse_integer(text.substr(0, dot), 0, (std::int64_t{1} << 31) - 1, "page cursor"),
          parse_integer(text.substr(dot + 1), 0, std::int64_t{1} << 40, "page cursor")};
}

}  // namespace genomap::serve
