#include "test_support.hpp"

#include <dirent.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace genomap::test {

CommandResult run_command(const std::string& command_line) {
  CommandResult r;
  std::string cmd = command_line + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command_line);
  char buf[4096];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, got);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

CommandResult run_genomap(const std::string& arguments) {
  return run_command(std::string(GENOMAP_BINARY) + " " + arguments + " --quiet");
}

bool have_program(const std::string& name) { return run_command("command -v " + name).exit_code == 0; }

bool tools_required() {
  const auto set = [](const char* name, const char* value) {
    const char* v = std::getenv(name);
    return v != nullptr && std::string(v) == value;
  };
  return set("CI", "true") || set("GENOMAP_REQUIRE_TOOLS", "1");
}

std::string scratch_dir(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(GENOMAP_TEST_SCRATCH) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

std::string data_path(const std::string& relative) { return std::string(GENOMAP_TEST_DATA) + "/" + relative; }

std::vector<std::string> list_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::size_t Table::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw std::runtime_error("no column " + name);
}

double Table::number(std::size_t row, const std::string& name) const {
  const std::string& s = rows.at(row).at(column(name));
  if (s == "NA" || s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  return std::stod(s);
}

const std::string& Table::text(std::size_t row, const std::string& name) const {
  return rows.at(row).at(column(name));
}

Table read_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  Table t;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<std::string> fields;
    std::string f;
    while (ss >> f) fields.push_back(f);
    if (fields.empty()) continue;
    if (header) {
      if (!fields[0].empty() && fields[0][0] == '#') fields[0] = fields[0].substr(1);
      t.columns = fields;
      header = false;
    } else {
      t.rows.push_back(fields);
    }
  }
  return t;
}

std::vector<std::vector<double>> read_number_rows(const std::string& path) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<double> row;
    for (double v; fields >> v;) row.push_back(v);
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace genomap::test
