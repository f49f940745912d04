// Validation of everything a client sends: chromosome names, positions, alleles, variant IDs, regions, page
// cursors, numbers. Every function throws BadRequest (answered as 400 with a JSON body) on anything it does
// not accept; nothing here trusts the length, the characters or the encoding of its input.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "genomap/freqdb/frequency_database.hpp"

namespace genomap::serve {

class BadRequest : public std::runtime_error {
 public:
  explicit BadRequest(const std::string& message) : std::runtime_error(message) {}
};

// "chr1", "1", "23", "X", "chrM", "MT" -> the release's names ("1", "X", "MT").
std::string parse_chromosome(std::string_view text);
// A 1-based position in [1, 2^31).
std::int64_t parse_position(std::string_view text, const char* what);
// An unsigned integer in [low, high].
std::int64_t parse_integer(std::string_view text, std::int64_t low, std::int64_t high, const char* what);
// Alleles: 1 to 1,000 letters, digits or '*' (a, c, g, t, n upper-cased).
std::string parse_alleles(std::string_view text, const char* what);
// A variant ID: 1 to 200 printable ASCII characters other than space, quotes, '<', '>', '\' and '/'.
std::string parse_variant_id(std::string_view text);

struct VariantLocus {
  std::string chrom;
  std::int64_t pos = 0;
  std::optional<std::string> ref, alt;
};
// "CHROM:POS" or "CHROM:POS:REF:ALT"; nullopt when `text` does not look like a locus (then it is an ID).
std::optional<VariantLocus> parse_locus(std::string_view text);

struct Region {
  std::string chrom;
  std::int64_t start = 0, end = 0;  // 1-based, inclusive
};
// "CHROM:START-END"; throws when END < START or the span exceeds `max_span`.
Region parse_region(std::string_view text, std::int64_t max_span);

// Page cursors are "POS.INDEX" as returned in a page's `next`.
std::string format_cursor(const freqdb::RegionCursor& cursor);
freqdb::RegionCursor parse_cursor(std::string_view text);

// Text safe to echo back in an error message: printable ASCII only, at most 80 characters.
std::string printable(std::string_view text);

}  // namespace genomap::serve
