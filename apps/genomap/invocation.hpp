// One run of one command: the shared options (--out, --threads, --memory, --quiet, --seed), the run log, the
// outputs (committed together at the end), progress on the terminal, and loading the input dataset with filters
// and registry consent applied.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "genomap/core/context.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/qc/filters.hpp"
#include "genomap/io/output_file.hpp"

namespace genomap::cli {

struct RunOptions {
  std::string out = "genomap";
  int threads = 0;  // 0: all cores
  std::size_t memory_mb = 0;  // 0: half of physical memory
  bool quiet = false;
  std::uint64_t seed = 1;
};

// What kind of analysis consumes the samples, for consent checks (DUO: ancestry work needs explicit cover).
enum class Purpose { General, Ancestry };

struct InputOptions {
  std::string bfile;
  FilterOptions filters;
  double maf = -1, geno = -1, mind = -1, hwe = -1;  // negative: not given
  std::string registry;
  std::string purpose;
};

void add_run_options(CLI::App& app, RunOptions& options);
// --bfile plus every filter and --registry/--purpose.
void add_input_options(CLI::App& app, InputOptions& options);

class Invocation {
 public:
  Invocation(const RunOptions& options, std::string command_line, std::string parameters);
  ~Invocation();

  const RunOptions& options() const { return options_; }
  Context& context() { return context_; }
  RunLog& log() { return log_; }
  OutputSet& outputs() { return outputs_; }
  const std::string& out_prefix() const { return options_.out; }

  // Opens the fileset named by --bfile, logs its files, resolves registry consent for `kind` and applies filters.
  Dataset load_dataset(const InputOptions& input, Purpose kind = Purpose::General);

  // Writes the log to `path` instead of <out>.log (analyze: --out names a folder, the log goes inside it).
  void set_log_path(std::string path) { log_path_ = std::move(path); }

  // Writes <out>.log and renames every output into place; with --registry, then records the analysis (samples
  // used, inputs, outputs with hashes) in the registry's audit log.
  void finish();

 private:
  struct RegistryTrace;  // the consent selection of this run, recorded when it ends (or as failed)
  std::unique_ptr<RegistryTrace> registry_trace_;
  RunOptions options_;
  std::string log_path_;
  RunLog log_;
  OutputSet outputs_;
  std::unique_ptr<Progress> progress_;
  Context context_;
};

}  // namespace genomap::cli
