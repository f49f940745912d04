// The HTML report writer: the page is the embedded template with the data element inlined; the data comes
// back out of the page unchanged (numbers to six significant digits); nothing in the data can close the
// element; writing is atomic.
#include "genomap/report/report_html.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "genomap/core/error.hpp"
#include "genomap/report/report_template.hpp"
#include "test_support.hpp"

namespace genomap::report {
namespace {

const std::string kOpen = "<script type=\"application/json\" id=\"genomap-data\">";

std::string data_element_text(const std::string& html) {
  const auto begin = html.find(kOpen);
  EXPECT_NE(begin, std::string::npos);
  const auto start = begin + kOpen.size();
  const auto end = html.find("</script>", start);
  EXPECT_NE(end, std::string::npos);
  return html.substr(start, end - start);
}

TEST(ReportHtml, TemplateIsTheBundledPageWithOneMarker) {
  const std::string& page = report_template();
  EXPECT_GT(page.size(), 200'000u);  // D3, topojson-client and the world outline are inlined
  EXPECT_EQ(page.find(kReportDataMarker), page.rfind(kReportDataMarker));
  EXPECT_NE(page.find("<div id=\"app\"></div>"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
}

TEST(ReportHtml, DataRoundTripsThroughThePage) {
  nlohmann::json data = {{"schema", "genomap-report/1"},
                         {"title", "hapmap3 \xCE\xBB"},
                         {"pca", {{"eigenvalues", {8.123456789, 3.2}}}},
                         {"samples", {{"iid", {"NA1", "NA2"}}, {"pop", {"CEU", nullptr}}}},
                         {"n", 324}};
  const std::string html = render_report_html(data);
  EXPECT_EQ(html.find(kReportDataMarker), std::string::npos);
  const auto back = nlohmann::json::parse(data_element_text(html));
  EXPECT_EQ(back["title"], "hapmap3 \xCE\xBB");
  EXPECT_EQ(back["n"], 324);
  EXPECT_EQ(back["samples"]["pop"][1], nullptr);
  EXPECT_DOUBLE_EQ(back["pca"]["eigenvalues"][0].get<double>(), 8.12346);
  EXPECT_DOUBLE_EQ(back["pca"]["eigenvalues"][1].get<double>(), 3.2);
  // The data element comes before the page's script, which reads it.
  EXPECT_LT(html.find(kOpen), html.rfind("<script>"));
}

TEST(ReportHtml, FullPrecisionWhenAsked) {
  nlohmann::json data = {{"x", 0.123456789012345}, {"tiny", 1.234567e-300}, {"nan", std::nan("")}};
  auto back = nlohmann::json::parse(report_data_json(data, {.significant_digits = 0}));
  EXPECT_EQ(back["x"].get<double>(), 0.123456789012345);
  EXPECT_TRUE(back["nan"].is_null());
  back = nlohmann::json::parse(report_data_json(data));
  EXPECT_DOUBLE_EQ(back["tiny"].get<double>(), 1.23457e-300);
}

TEST(ReportHtml, NoStringCanCloseOrAlterTheDataElement) {
  nlohmann::json data = {{"title", "</script><script>alert(1)</script>"}, {"note", "<!-- <script>"}};
  const std::string html = render_report_html(data);
  const std::string text = data_element_text(html);
  EXPECT_EQ(text.find('<'), std::string::npos);
  const auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["title"], "</script><script>alert(1)</script>");
  EXPECT_EQ(back["note"], "<!-- <script>");
}

TEST(ReportHtml, InvalidUtf8IsReplacedNotFatal) {
  nlohmann::json data = {{"title", std::string("bad \xFF byte")}};
  const auto back = nlohmann::json::parse(report_data_json(data));
  EXPECT_EQ(back["title"], "bad \xEF\xBF\xBD byte");
}

TEST(ReportHtml, RejectsDataThatIsNotAnObject) {
  EXPECT_THROW(render_report_html(nlohmann::json::array()), Error);
}

TEST(ReportHtml, WritesThroughATemporaryNameAndLeavesNothingOnFailure) {
  const std::string dir = test::scratch_dir("report_html_write");
  const auto path = std::filesystem::path(dir) / "report.html";
  write_report_html({{"title", "t"}}, path);
  EXPECT_EQ(test::read_text(path.string()), render_report_html({{"title", "t"}}));
  EXPECT_EQ(test::list_files(dir).size(), 1u);

  const auto missing_dir = std::filesystem::path(dir) / "no-such-folder" / "report.html";
  try {
    write_report_html({{"title", "t"}}, missing_dir);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("no-such-folder/report.html"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(test::list_files(dir).size(), 1u);
}

}  // namespace
}  // namespace genomap::report
