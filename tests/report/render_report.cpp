// Test helper: writes the HTML report of a data document (JSON file) with the library's writer, so the
// browser tests load exactly what `genomap analyze` would write. Usage: render_report DATA.json OUT.html
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "genomap/core/error.hpp"
#include "genomap/report/report_html.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: render_report DATA.json OUT.html\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw genomap::Error(argv[1], 0, "cannot read file");
    const auto data = nlohmann::json::parse(in);
    genomap::report::write_report_html(data, argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "render_report: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
