#include "genomap/geno/sample_table.hpp"

#include <fmt/format.h>

#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"

namespace genomap {

SampleTable::SampleTable(std::vector<Sample> samples) : samples_(std::move(samples)) {
  for (std::uint32_t i = 0; i < samples_.size(); ++i) {
    const auto& s = samples_[i];
    if (!by_fid_iid_.emplace(s.fid + '\t' + s.iid, i).second)
      throw Error("duplicate sample ID '" + s.fid + " " + s.iid + "'");
    auto [it, inserted] = by_iid_.emplace(s.iid, i);
    if (!inserted) it->second = -1;
  }
}

std::optional<std::uint32_t> SampleTable::find(const std::string& iid, const std::string* fid) const {
  if (fid) {
    auto it = by_fid_iid_.find(*fid + '\t' + iid);
    if (it == by_fid_iid_.end()) return std::nullopt;
    return it->second;
  }
  auto it = by_iid_.find(iid);
  if (it == by_iid_.end()) return std::nullopt;
  if (it->second < 0) throw Error("sample IID '" + iid + "' occurs in several families; give FID and IID");
  return static_cast<std::uint32_t>(it->second);
}

SampleTable read_fam(const std::string& path) {
  const std::string text = read_text_file(path);
  std::vector<Sample> samples;
  std::unordered_map<std::string, std::size_t> seen;
  for_each_line(text, [&](std::string_view line, std::size_t line_number) {
    auto fail = [&](const std::string& message) { throw Error(path, line_number, message); };
    std::string_view f[6];
    const std::size_t fields = split_whitespace(line, f, 6);
    if (fields == 0) return;
    if (fields != 6) fail(fmt::format("expected 6 columns (FID IID father mother sex phenotype), found {}", fields));
    Sample s;
    s.fid = f[0];
    s.iid = f[1];
    s.father = f[2];
    s.mother = f[3];
    if (f[4] == "1") s.sex = 1;
    else if (f[4] == "2") s.sex = 2;
    else if (f[4] == "0" || f[4] == "-9" || f[4] == "NA") s.sex = 0;
    else fail("invalid sex code '" + std::string(f[4]) + "' (expected 1, 2 or 0)");
    s.phenotype = f[5];
    auto key = s.fid + '\t' + s.iid;
    auto [it, inserted] = seen.emplace(key, line_number);
    if (!inserted) fail(fmt::format("duplicate sample ID '{} {}' (first on line {})", s.fid, s.iid, it->second));
    samples.push_back(std::move(s));
  });
  if (samples.empty()) throw Error(path, 0, "no samples (empty file)");
  return SampleTable(std::move(samples));
}

void write_fam(const SampleTable& samples, std::FILE* out) {
  for (const auto& s : samples.all())
    fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\n", s.fid, s.iid, s.father, s.mother, s.sex, s.phenotype);
}

}  // namespace genomap
