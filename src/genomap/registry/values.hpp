// Field values of registry records: ISO dates and times (never in the future), amounts with units, CSV lines.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace genomap::registry {

// Today's date in UTC as YYYY-MM-DD.
std::string today_utc();
// Validates YYYY-MM-DD (a real calendar date, not after today); returns it. Throws Error(message).
std::string parse_date(std::string_view text);
// Validates YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z] (UTC, not in the future); returns it as written.
std::string parse_time(std::string_view text);

// An amount unit: its canonical spelling, dimension ("mass" or "volume") and factor to grams or litres.
struct Unit {
  std::string name;
  std::string dimension;
  double factor = 1;
};
// ng ug mg g kg / nL uL mL L (case-insensitive; µ and μ accepted for u). Throws Error(message) if unknown.
Unit parse_unit(std::string_view text);
// "0.25 g" -> value 0.25, unit g.
struct Amount {
  double value = 0;
  Unit unit;
};
Amount parse_amount(std::string_view text);

// Splits one CSV line (RFC 4180 quoting within the line). Throws Error(message) on an unterminated quote.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace genomap::registry
