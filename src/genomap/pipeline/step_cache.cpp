#include "genomap/pipeline/step_cache.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "genomap/core/error.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap {

namespace fs = std::filesystem;

std::string content_key(const std::string& text) {
  const XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

namespace {

std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

StepCache::StepCache(std::string dir, const Context& ctx)
    : dir_(std::move(dir)), manifest_path_(dir_ + "/analyze.manifest.json"), ctx_(ctx) {
  const auto text = read_whole_file(manifest_path_);
  if (!text) return;
  try {
    nlohmann::json manifest = nlohmann::json::parse(*text);
    if (!manifest.is_object() || manifest.value("schema", "") != kSchema || !manifest["steps"].is_object())
      throw std::runtime_error("not a " + std::string(kSchema) + " manifest");
    steps_ = manifest["steps"];
  } catch (const std::exception& e) {
    ctx_.note(fmt::format("{}: ignored ({}); every step is recomputed", manifest_path_, e.what()));
    steps_ = nlohmann::json::object();
  }
}

std::string StepCache::result_path(const std::string& step) const {
  return dir_ + "/.analyze-cache/" + step + ".cbor";
}

std::optional<nlohmann::json> StepCache::lookup(const std::string& step, const std::string& key) const {
  const auto entry = steps_.find(step);
  if (entry == steps_.end() || !entry->is_object()) return std::nullopt;
  try {
    if (entry->at("key").get<std::string>() != key) return std::nullopt;
    for (const auto& f : entry->at("files")) {
      const fs::path path = fs::path(dir_) / f.at("name").get<std::string>();
      std::error_code ec;
      const auto size = fs::file_size(path, ec);
      if (ec || size != f.at("bytes").get<std::uintmax_t>()) {
        ctx_.note(fmt::format("{}: {} is missing or changed; recomputing", step, path.string()));
        return std::nullopt;
      }
    }
    const auto bytes = read_whole_file(result_path(step));
    if (!bytes) return std::nullopt;
    nlohmann::json result = nlohmann::json::from_cbor(*bytes);
    if (content_key(*bytes) != entry->at("result_key").get<std::string>()) return std::nullopt;
    return result;
  } catch (const std::exception& e) {
    ctx_.note(fmt::format("{}: cached result unreadable ({}); recomputing", step, e.what()));
    return std::nullopt;
  }
}

void StepCache::store(const std::string& step, const std::string& key, const nlohmann::json& result,
                      const std::vector<std::string>& files, double seconds) {
  fs::create_directories(fs::path(dir_) / ".analyze-cache");
  const std::vector<std::uint8_t> cbor = nlohmann::json::to_cbor(result);
  const std::string bytes(cbor.begin(), cbor.end());
  OutputFile out(result_path(step));
  out.write(bytes);
  out.commit();
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& path : files) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error(path, 0, "step output missing after the step");
    listed.push_back({{"name", fs::path(path).filename().string()}, {"bytes", size}});
  }
  steps_[step] = {{"key", key}, {"result_key", content_key(bytes)}, {"files", listed}, {"seconds", seconds}};
  write_manifest();
}

double StepCache::recorded_seconds(const std::string& step) const {
  const auto entry = steps_.find(step);
  if (entry == steps_.end() || !entry->is_object()) return 0.0;
  return entry->value("seconds", 0.0);
}

std::vector<std::string> StepCache::files(const std::string& step) const {
  std::vector<std::string> paths;
  const auto entry = steps_.find(step);
  if (entry == steps_.end() || !entry->is_object() || !entry->contains("files")) return paths;
  for (const auto& f : entry->at("files"))
    paths.push_back((fs::path(dir_) / f.at("name").get<std::string>()).string());
  return paths;
}

void StepCache::write_manifest() const {
  const nlohmann::json manifest = {{"schema", kSchema}, {"steps", steps_}};
  OutputFile out(manifest_path_);
  out.write(manifest.dump(1) + "\n");
  out.commit();
}

}  // namespace genomap
