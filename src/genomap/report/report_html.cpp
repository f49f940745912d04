#include "genomap/report/report_html.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "genomap/core/error.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/report/report_template.hpp"

namespace genomap::report {
namespace {

double round_significant(double value, int digits) {
  if (!std::isfinite(value) || value == 0.0) return value;
  char buffer[64];
  auto written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits);
  double rounded = value;
  std::from_chars(buffer, written.ptr, rounded);
  return rounded;
}

void round_numbers(nlohmann::json& node, int digits) {
  if (node.is_number_float()) {
    node = round_significant(node.get<double>(), digits);
  } else if (node.is_array() || node.is_object()) {
    for (auto& child : node) round_numbers(child, digits);
  }
}

}  // namespace

std::string report_data_json(const nlohmann::json& data, const ReportHtmlOptions& options) {
  std::string text;
  if (options.significant_digits > 0) {
    nlohmann::json rounded = data;
    round_numbers(rounded, options.significant_digits);
    text = rounded.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out;
  out.reserve(text.size() + text.size() / 64);
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

std::string render_report_html(const nlohmann::json& data, const ReportHtmlOptions& options) {
  if (!data.is_object()) throw Error("report: the report data must be a JSON object");
  const std::string& page = report_template();
  const std::string marker = kReportDataMarker;
  const auto at = page.find(marker);
  if (at == std::string::npos) throw Error("report: the embedded page template has no data marker");
  const std::string element_open = "<script type=\"application/json\" id=\"genomap-data\">";
  const std::string element_close = "</script>";
  const std::string json = report_data_json(data, options);
  std::string html;
  html.reserve(page.size() + json.size() + element_open.size() + element_close.size());
  html.append(page, 0, at);
  html += element_open;
  html += json;
  html += element_close;
  html.append(page, at + marker.size());
  return html;
}

void write_report_html(const nlohmann::json& data, const std::filesystem::path& path,
                       const ReportHtmlOptions& options) {
  const std::string html = render_report_html(data, options);
  OutputFile file(path.string());
  file.write(html);
  file.commit();
}

}  // namespace genomap::report
