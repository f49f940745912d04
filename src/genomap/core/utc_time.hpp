// The current time for logs, provenance and release records.
#pragma once
#include <string>

namespace genomap {

// The current UTC time to the second, ISO 8601: "2026-12-04T15:05:28Z".
std::string utc_now_iso8601();

}  // namespace genomap
