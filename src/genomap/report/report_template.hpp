// The report page's template: web/ bundled by web/build.mjs (D3, topojson-client, the Natural Earth world
// outline, the page's JS and CSS), embedded in the binary by a source generated at build time.
#pragma once
#include <string>

namespace genomap::report {

// The whole page with one data marker (kReportDataMarker) where the data element goes.
const std::string& report_template();

inline constexpr const char* kReportDataMarker = "<!--GENOMAP-DATA-->";

}  // namespace genomap::report
