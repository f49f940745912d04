// ISO 3166-1 country codes: every country field of the registry holds an officially assigned code.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace genomap::registry {

struct Country {
  const char* alpha2;
  const char* alpha3;
  const char* name;
};
// The officially assigned ISO 3166-1 codes, by alpha-2 code.
const std::vector<Country>& iso_countries();
// Alpha-2 or alpha-3, case-insensitive; throws Error(message) for anything else (names are not accepted: "Germany"
// and "Deutschland" are the same country, DE is one code).
const Country& parse_country(std::string_view text);

}  // namespace genomap::registry
