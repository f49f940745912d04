// Runs one step of `genomap analyze`: reads its cached result when the key matches (step_cache.hpp), or
// computes it into an OutputSet and stores it; tells the observer and the log; errors are rethrown naming the
// step.
#pragma once
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/pipeline/analysis.hpp"
#include "genomap/pipeline/step_cache.hpp"

namespace genomap {

class StepRunner {
 public:
  StepRunner(StepCache& cache, StepObserver* observer, std::size_t step_ct, const Context& ctx)
      : cache_(cache), observer_(observer), step_ct_(step_ct), ctx_(ctx) {}

  // Reads the step's cached result or computes it with `compute(outputs)`; errors are rethrown naming the
  // step.
  template <class Compute>
  nlohmann::json run(const std::string& name, const std::string& key, const std::string& prefix,
                     Compute compute) {
    if (observer_) observer_->step_started(name, index_++, step_ct_);
    const auto start = std::chrono::steady_clock::now();
    if (auto cached = cache_.lookup(file_name(name), key)) {
      ctx_.note(fmt::format("step {}: cached (key {})", name, key));
      finish(name, cache_.recorded_seconds(file_name(name)), true);
      return std::move(*cached);
    }
    nlohmann::json result;
    std::vector<std::string> files;
    try {
      OutputSet outputs(prefix);
      result = compute(outputs);
      outputs.commit_all();
      files = outputs.paths();
      // Files a step wrote and committed itself (the report page).
      if (result.contains("written_files"))
        for (const auto& f : result["written_files"]) files.push_back(f.get<std::string>());
    } catch (const std::exception& e) {
      if (observer_) observer_->step_finished(name, seconds_since(start), false);
      throw Error(fmt::format("analyze step '{}' failed: {}", name, e.what()));
    }
    const double seconds = seconds_since(start);
    cache_.store(file_name(name), key, result, files, seconds);
    ctx_.note(fmt::format("step {}: computed in {:.2f} s", name, seconds));
    finish(name, seconds, false);
    return result;
  }

  const std::vector<StepRecord>& records() const { return records_; }
  // Every file the steps run so far wrote (computed now or earlier), for the registry's record.
  std::vector<std::string> files() const {
    std::vector<std::string> all;
    for (const auto& r : records_)
      for (auto& f : cache_.files(file_name(r.name))) all.push_back(std::move(f));
    return all;
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  static std::string file_name(const std::string& name) {
    std::string s = name;
    for (char& c : s)
      if (c == ' ' || c == '=') c = '-';
    return s;
  }
  void finish(const std::string& name, double seconds, bool cached) {
    records_.push_back({name, seconds, cached});
    if (observer_) observer_->step_finished(name, seconds, cached);
  }

  StepCache& cache_;
  StepObserver* observer_;
  std::size_t step_ct_;
  std::size_t index_ = 0;
  const Context& ctx_;
  std::vector<StepRecord> records_;
};

}  // namespace genomap
