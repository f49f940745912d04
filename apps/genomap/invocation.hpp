// One run of one command: the shared options (--out, --threads, --memory, --quiet, --seed), the run log, the
// outputs (committed together at the end), progress on the terminal, and loading the input dataset with
// filters and registry consent applied.
#pragma once
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "genomap/core/context.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/dist/split.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/qc/filters.hpp"

namespace genomap::cli {

struct RunOptions {
  std::string out = "genomap";
  int threads = 0;            // 0: all cores
  std::size_t memory_mb = 0;  // 0: half of physical memory
  bool quiet = false;
  std::uint64_t seed = 1;
};

// What kind of analysis consumes the samples, for consent checks (DUO: ancestry work needs explicit cover).
enum class Purpose { General, Ancestry };

struct InputOptions {
  std::string bfile;
  FilterOptions filters;  // --maf, --geno, --mind, --hwe: unset when not given
  std::string registry;
  std::string purpose;
};

void add_run_options(CLI::App& app, RunOptions& options);
// --split I/N (job arrays: slice I of N, merged by `genomap merge`), for the commands that can be sliced.
void add_split_option(CLI::App& app, std::string& split);
// --pop FILE (required or not) and --pop-column NAME, as every population-based command reads them.
void add_population_options(CLI::App& app, std::string& pop_file, std::string& pop_column, bool required);
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

  // Opens the fileset named by --bfile, logs its files, resolves registry consent for `kind` and applies
  // filters.
  Dataset load_dataset(const InputOptions& input, Purpose kind = Purpose::General);

  // --split I/N of a per-variant command: keeps slice I of N of the filtered variants and writes
  // OUT.splitI-of-N.* and its manifest (dist/split.hpp). Nothing happens when `split` is empty. Before any
  // output is opened.
  void split_variants(const std::string& split, Dataset& data);
  // --split I/N of a command over pairs of samples (king): the rows [first, last) of pairs (j, i < j) this
  // slice computes, all rows when `split` is empty; outputs are named as split_variants names them.
  std::pair<std::size_t, std::size_t> split_pair_rows(const std::string& split, std::size_t samples);

  // Under MPI with R > 1 ranks (genomap/dist/mpi.hpp): this rank keeps its contiguous slice of the filtered
  // variants, the slice --split r+1/R would keep. Rank 0 writes the outputs; the other ranks write theirs as
  // temporary files under $TMPDIR and send them to rank 0 in finish(), which appends them in rank order under
  // its own headers. Nothing happens with one rank. Before any output is opened.
  void distribute_variants(Dataset& data);
  // The same for a command over pairs of samples (king): this rank's rows [first, last) of pairs.
  std::pair<std::size_t, std::size_t> distribute_pair_rows(std::size_t samples);
  // The same for a command that cuts its own units (fstats: whole jackknife blocks): this rank computes
  // `range` of `total` units; every rank must report the same `totals`.
  void distribute_range(const std::string& unit, std::size_t total, std::pair<std::size_t, std::size_t> range,
                        std::string totals);
  // Rank 0 writes the outputs that are not concatenated rows (.smiss after the sums), the others do not.
  bool writes_outputs() const;
  // The end of this rank's local phase (mpi::join): when any rank failed, throws mpi::RanksFailed on every
  // rank. Exchanges between ranks (mpi::allreduce_sum) come after it; finish() calls it when the command did
  // not. Nothing with one rank.
  void join_ranks();

  // Writes the log to `path` instead of <out>.log (analyze: --out names a folder, the log goes inside it).
  void set_log_path(std::string path) { log_path_ = std::move(path); }

  // Writes <out>.log and renames every output into place; with --registry, then records the analysis (samples
  // used, inputs, outputs with hashes) in the registry's audit log.
  void finish();

 private:
  struct RegistryTrace;  // the consent selection of this run, recorded when it ends (or as failed)
  struct Split;          // --split: the slice's manifest, written when the run ends
  void begin_split(const SplitSlice& slice, const std::string& unit, std::size_t total,
                   std::pair<std::size_t, std::size_t> range);
  struct Ranks;  // under MPI: this rank's slice and what every rank must agree on
  void begin_ranks(const std::string& unit, std::size_t total, std::pair<std::size_t, std::size_t> range,
                   std::string totals);
  void send_outputs_to_root();
  void receive_rank_outputs();
  std::unique_ptr<Ranks> ranks_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<Split> split_;
  std::string parameters_;
  std::unique_ptr<RegistryTrace> registry_trace_;
  RunOptions options_;
  std::string log_path_;
  RunLog log_;
  OutputSet outputs_;
  std::unique_ptr<Progress> progress_;
  Context context_;
};

}  // namespace genomap::cli
