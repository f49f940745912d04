#include "genomap/registry/values.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap::registry {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string today_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string parse_date(std::string_view text) {
  std::string date = parse_calendar_date(text);
  if (date > today_utc())
    throw Error(fmt::format("date {} is in the future (today is {})", date, today_utc()));
  return date;
}

std::string parse_calendar_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) ||
      !digits(text, 5, 2, m) || !digits(text, 8, 2, d))
    throw Error(fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
  using namespace std::chrono;
  if (!year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}.ok())
    throw Error(fmt::format("'{}' is not a calendar date", text));
  return std::string(text);
}

std::string parse_time(std::string_view text) {
  if (text.size() == 10) return parse_date(text);
  std::string_view t = text;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.remove_suffix(1);
  int hh = 0, mm = 0, ss = 0;
  const bool shape = t.size() >= 16 && (t[10] == 'T' || t[10] == ' ') && t[13] == ':' &&
                     digits(t, 11, 2, hh) && digits(t, 14, 2, mm) &&
                     (t.size() == 16 || (t.size() == 19 && t[16] == ':' && digits(t, 17, 2, ss)));
  if (!shape || hh > 23 || mm > 59 || ss > 60)
    throw Error(fmt::format("'{}' is not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z], UTC)", text));
  const std::string date = parse_date(t.substr(0, 10));
  std::tm tm{};
  tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(date.substr(8, 2));
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  if (timegm(&tm) > std::time(nullptr)) throw Error(fmt::format("time {} is in the future", text));
  return std::string(text);
}

Unit parse_unit(std::string_view text) {
  std::string u = lower(text);
  for (const char* micro : {"\xc2\xb5", "\xce\xbc"})  // µ (micro sign) and μ (Greek mu)
    if (u.rfind(micro, 0) == 0) u.replace(0, 2, 1, 'u');
  if (u == "mcg") u = "ug";
  static const Unit units[] = {{"ng", "mass", 1e-9},   {"ug", "mass", 1e-6},   {"mg", "mass", 1e-3},
                               {"g", "mass", 1},       {"kg", "mass", 1e3},    {"nL", "volume", 1e-9},
                               {"uL", "volume", 1e-6}, {"mL", "volume", 1e-3}, {"L", "volume", 1}};
  for (const auto& unit : units)
    if (lower(unit.name) == u) return unit;
  throw Error(fmt::format("unknown unit '{}' (ng ug mg g kg nL uL mL L)", text));
}

Amount parse_amount(std::string_view text) {
  std::string s(text);
  std::size_t split = s.find_first_not_of("0123456789.eE+-");
  if (split == std::string::npos) throw Error(fmt::format("amount '{}' has no unit (e.g. 0.25 g)", text));
  std::string number = s.substr(0, split);
  while (!number.empty() && number.back() == ' ') number.pop_back();
  std::string unit = s.substr(split);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  Amount a;
  if (!parse_double(number, a.value))
    throw Error(fmt::format("amount '{}' does not start with a number", text));
  if (a.value < 0) throw Error(fmt::format("amount '{}' is negative", text));
  a.unit = parse_unit(unit);
  return a;
}

double parse_number(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++int_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++frac_digits;
  }
  bool ok = int_digits + frac_digits > 0;
  if (ok && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++exp_digits;
    ok = exp_digits > 0;
  }
  if (!ok || i != text.size()) throw Error(fmt::format("'{}' is not a number", text));
  std::string_view digits_only = text;
  if (!digits_only.empty() && digits_only[0] == '+') digits_only.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits_only.data(), digits_only.data() + digits_only.size(), value);
  if (ec != std::errc() || end != digits_only.data() + digits_only.size() || !std::isfinite(value))
    throw Error(fmt::format("'{}' is not a finite number", text));
  return value;
}

bool valid_utf8(std::string_view s) { return utf8_error_offset(s) == std::string_view::npos; }

std::size_t utf8_error_offset(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf)
      n = 1, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
      n = 2, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 3, cp = c & 0x07;
    else
      return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

std::string default_actor() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) return pw->pw_name;
  return fmt::format("uid {}", ::geteuid());
}

std::string clean_text(std::string_view text) {
  if (!valid_utf8(text)) throw Error("is not valid UTF-8");
  const auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = text.find_last_not_of(" \t\r\n");
  std::string out(text.substr(b, e - b + 1));
  for (char ch : out) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) throw Error(fmt::format("contains a control character (byte 0x{:02x})", c));
  }
  return out;
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"' && !quoted && field.find_first_not_of(" \t") == std::string::npos) {
      field.clear();  // spaces before an opening quote are not data
      in_quotes = quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      quoted = false;
    } else {
      field += c;
    }
  }
  if (in_quotes) throw Error("unterminated quoted field");
  fields.push_back(std::move(field));
  for (auto& f : fields) {  // surrounding spaces are not data
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

}  // namespace genomap::registry
