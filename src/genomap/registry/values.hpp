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
// The same, in the future too (a time limit, an expiry).
std::string parse_calendar_date(std::string_view text);
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

// A decimal number written plainly: optional sign, digits, optional fraction and exponent ("-0.25", "1e3").
// nan, inf, hexadecimal and trailing text are refused. Throws Error(message).
double parse_number(std::string_view text);

// A text field as stored: valid UTF-8, surrounding white space removed, no control characters (NUL, escape,
// line breaks, ...). Throws Error(message) naming the problem.
std::string clean_text(std::string_view text);
// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF).
bool valid_utf8(std::string_view text);
// Offset of the first byte that is not valid UTF-8 (npos when the text is valid).
std::size_t utf8_error_offset(std::string_view text);

// Who acts when no --actor is given: the OS user ($USER, else the account of the effective user ID).
std::string default_actor();

// Splits one CSV line (RFC 4180 quoting within the line). Throws Error(message) on an unterminated quote.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace genomap::registry
