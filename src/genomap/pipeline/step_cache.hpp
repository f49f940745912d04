// The resumable cache of `genomap analyze`: every step's result is stored in the output folder under a key, a
// hash of the step's inputs' keys and its parameters. A later run whose step has the same key reads the
// stored result instead of recomputing it.
//
// DIR/analyze.manifest.json lists, per step, its key, the files it wrote (with sizes) and its run time;
// DIR/.analyze-cache/<step>.cbor holds the step's result struct in CBOR (RFC 8949, nlohmann::json's
// encoding), which keeps doubles exact and NaN as NaN. A manifest that does not parse or has another schema
// is ignored (and noted in the log), so every step is recomputed; a step whose files are missing, changed
// size or whose result does not decode is recomputed.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"

namespace genomap {

// XXH3-128 of `text` as 32 hex digits.
std::string content_key(const std::string& text);

class StepCache {
 public:
  static constexpr const char* kSchema = "genomap-analyze-cache/1";

  StepCache(std::string dir, const Context& ctx);

  // The stored result of `step` if its key is `key` and its files and result are intact.
  std::optional<nlohmann::json> lookup(const std::string& step, const std::string& key) const;
  // Records a finished step and rewrites the manifest (to a temporary name, then renamed).
  void store(const std::string& step, const std::string& key, const nlohmann::json& result,
             const std::vector<std::string>& files, double seconds);
  // Run time recorded when the step was computed.
  double recorded_seconds(const std::string& step) const;
  // Paths of the files the step wrote, as the manifest lists them (none for an unknown step).
  std::vector<std::string> files(const std::string& step) const;

  const std::string& manifest_path() const { return manifest_path_; }
  std::string result_path(const std::string& step) const;

 private:
  void write_manifest() const;

  std::string dir_;
  std::string manifest_path_;
  const Context& ctx_;
  nlohmann::json steps_ = nlohmann::json::object();
};

}  // namespace genomap
