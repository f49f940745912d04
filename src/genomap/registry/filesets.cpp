#include "genomap/registry/filesets.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "genomap/core/error.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/geno/sample_table.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

std::int64_t count_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, 0, "cannot open file");
  std::int64_t lines = 0;
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++lines;
  return lines;
}

}  // namespace

FilesetHashes hash_fileset(const std::string& prefix) {
  return {describe_file(prefix + ".bed"), describe_file(prefix + ".bim"), describe_file(prefix + ".fam")};
}

FilesetRegistration add_fileset(Database& db, const std::string& prefix, const std::string& given_id,
                                const std::string& actor) {
  const FilesetHashes hashes = hash_fileset(prefix);
  const SampleTable fam = read_fam(prefix + ".fam");
  const std::int64_t variants = count_lines(prefix + ".bim");
  RegistryWrite write(db, actor, "fileset");
  if (const auto existing = find_fileset(db, hashes))
    throw Error(prefix, 0, fmt::format("these genotype files are already registered as fileset '{}'",
                                       existing->fileset_id));
  std::string id = clean_text(given_id);
  if (id.find('#') != std::string::npos) throw Error(fmt::format("fileset ID '{}': '#' is kept for IDs genomap generates", id));
  if (id.empty()) id = fmt::format("{}#{}", std::filesystem::path(prefix).filename().string(), write.entry_seq());
  if (!write.find("fileset", id).is_null()) throw Error(db.path(), 0, fmt::format("fileset '{}' already exists", id));
  // Each .fam line: the sample whose genotype IDs it carries (an IID linked to two donors was refused when
  // the samples were recorded; one linked to two samples of one donor takes the first by ID).
  nlohmann::json links = nlohmann::json::array();
  std::int64_t linked = 0;
  auto st = db.prepare(
      "SELECT sample_id FROM sample WHERE genotype_iid = ? AND (genotype_fid IS NULL OR genotype_fid = ?) "
      "ORDER BY sample_id LIMIT 1");
  for (std::size_t i = 0; i < fam.size(); ++i) {
    st.bind(1, fam[i].iid).bind(2, fam[i].fid);
    const bool found = st.step();
    links.push_back({fam[i].fid, fam[i].iid, found ? nlohmann::json(st.text(0)) : nlohmann::json(nullptr)});
    linked += found ? 1 : 0;
    st.reset();
  }
  write.insert("fileset", {{"fileset_id", id},
                           {"prefix", prefix},
                           {"bed_xxh128", hashes.bed},
                           {"bim_xxh128", hashes.bim},
                           {"fam_xxh128", hashes.fam},
                           {"samples", static_cast<std::int64_t>(fam.size())},
                           {"variants", variants},
                           {"sample_links", links.dump()}});
  write.commit("fileset", {{"fileset_id", id}});
  return {id, static_cast<std::int64_t>(fam.size()), variants, linked};
}

std::optional<RegisteredFileset> find_fileset(Database& db, const FilesetHashes& hashes) {
  auto st = db.prepare(
      "SELECT fileset_id, sample_links FROM fileset WHERE bed_xxh128 = ? AND bim_xxh128 = ? AND fam_xxh128 = ?");
  st.bind(1, hashes.bed).bind(2, hashes.bim).bind(3, hashes.fam);
  if (!st.step()) return std::nullopt;
  RegisteredFileset f;
  f.fileset_id = st.text(0);
  for (const auto& link : nlohmann::json::parse(st.text(1)))
    f.sample_of_line.push_back(link.at(2).is_string() ? link.at(2).get<std::string>() : "");
  return f;
}

}  // namespace genomap::registry
