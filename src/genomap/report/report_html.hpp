// The HTML report: one self-contained page = the embedded page template (report_template.hpp) + the report's
// data document (docs/report-data.md) as JSON in <script type="application/json" id="genomap-data">.
// Nothing on the page is fetched when it is viewed.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace genomap::report {

struct ReportHtmlOptions {
  // Floating-point numbers are written with this many significant digits (0 = as many as round-trip needs);
  // six keep the page small at 50,000 samples and are more than any figure shows.
  int significant_digits = 6;
};

// The data element's text: `data` as JSON, every '<' written as \u003c so no "</script" or "<!--" can end
// or alter the element; invalid UTF-8 in strings is replaced (U+FFFD).
std::string report_data_json(const nlohmann::json& data, const ReportHtmlOptions& options = {});

// The whole page. Throws genomap::Error if `data` is not a JSON object.
std::string render_report_html(const nlohmann::json& data, const ReportHtmlOptions& options = {});

// Writes the page to `path` through a temporary name and a rename, so a failure leaves no partial file.
void write_report_html(const nlohmann::json& data, const std::filesystem::path& path,
                       const ReportHtmlOptions& options = {});

}  // namespace genomap::report
