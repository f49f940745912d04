#include "invocation.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "genomap/core/error.hpp"
#include "genomap/core/thread_scope.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/mpi.hpp"
#include "genomap/dist/split.hpp"
#include "genomap/registry/consent_filter.hpp"

namespace genomap::cli {
namespace {

// Draws "phase: 42%" on stderr, at most every 200 ms, only when stderr is a terminal.
class TerminalProgress : public Progress {
 public:
  void update(std::string_view phase, std::size_t done, std::size_t total) override {
    auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
    std::fprintf(stderr, "\r%.*s: %5.1f%%   ", static_cast<int>(phase.size()), phase.data(), pct);
    std::fflush(stderr);
    drawn_ = true;
  }
  void finish() override {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }
  ~TerminalProgress() override { finish(); }

 private:
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

// A filter threshold in [0, max]; left unset when the option is not given. A value outside the range (or not
// a number) is a usage error naming the option.
void add_fraction_option(CLI::App& app, const std::string& name, std::optional<double>& target, double max,
                         const std::string& help) {
  app.add_option_function<double>(
      name,
      [&target, name, max](const double& value) {
        if (!(value >= 0.0 && value <= max))
          throw CLI::ValidationError(name, fmt::format("must be between 0 and {} (got {})", max, value));
        target = value;
      },
      help);
}

}  // namespace

struct Invocation::RegistryTrace {
  ConsentQuery query;
  ConsentSelection selection;
  std::vector<std::uint32_t> samples_used;
  bool recorded = false;
};

struct Invocation::Split {
  SplitManifest manifest;
};

struct Invocation::Ranks {
  std::string coverage;  // "variants [0, 334) of 1000"
  std::string totals;    // what every rank must agree on
};

void add_run_options(CLI::App& app, RunOptions& o) {
  app.add_option("--out", o.out, "Output prefix")->capture_default_str();
  app.add_option("--threads", o.threads, "Threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--memory", o.memory_mb, "Memory budget in MB (0: half of physical memory)")
      ->capture_default_str();
  app.add_flag("--quiet", o.quiet, "No progress on stderr");
  app.add_option("--seed", o.seed, "Random seed")->capture_default_str();
}

void add_split_option(CLI::App& app, std::string& split) {
  app.add_option(
      "--split", split,
      "Compute slice I of N only (I/N, for job arrays) into OUT.splitI-of-N.*; `genomap merge --out OUT` "
      "joins the N slices");
}

void add_population_options(CLI::App& app, std::string& pop_file, std::string& pop_column, bool required) {
  auto* pop =
      app.add_option("--pop", pop_file, "Population file: header FID IID POP (or IID POP), matched by IID");
  if (required) pop->required();
  app.add_option("--pop-column", pop_column, "Column of --pop holding the population")->capture_default_str();
}

void add_input_options(CLI::App& app, InputOptions& o) {
  auto& f = o.filters;
  app.add_option("--bfile", o.bfile, "PLINK 1 fileset prefix (.bed/.bim/.fam)")->required();
  app.add_option("--keep", f.keep, "Keep only samples listed in FILE (FID IID or IID)");
  app.add_option("--remove", f.remove, "Remove samples listed in FILE");
  app.add_option("--extract", f.extract, "Keep only variants whose IDs are listed in FILE");
  app.add_option("--exclude", f.exclude, "Remove variants whose IDs are listed in FILE");
  app.add_option("--chr", f.chromosomes, "Keep only these chromosomes, e.g. 1-22,X");
  app.add_flag("--autosome", f.autosomes_only, "Keep only chromosomes 1-22");
  add_fraction_option(app, "--maf", f.min_maf, 0.5, "Remove variants with minor allele frequency below this");
  add_fraction_option(app, "--geno", f.max_variant_missing, 1.0,
                      "Remove variants with missing call rate above this");
  add_fraction_option(app, "--mind", f.max_sample_missing, 1.0,
                      "Remove samples with missing call rate above this");
  add_fraction_option(app, "--hwe", f.min_hwe_p, 1.0,
                      "Remove variants with Hardy-Weinberg exact test p below this");
  app.add_flag("--hwe-midp", f.hwe_midp, "Use the mid-p adjusted Hardy-Weinberg p-value for --hwe");
  app.add_option("--registry", o.registry, "Biobank registry database: analyse only consented samples");
  app.add_option("--purpose", o.purpose, "Purpose of the analysis as a DUO code (with --registry)");
}

Invocation::Invocation(const RunOptions& options, std::string command_line, std::string parameters)
    : started_(std::chrono::steady_clock::now()),
      parameters_(parameters),
      options_(options),
      outputs_(options.out) {
  log_.set_command_line(std::move(command_line));
  log_.set_parameters(std::move(parameters));
  if (!options_.quiet && ::isatty(STDERR_FILENO)) progress_ = std::make_unique<TerminalProgress>();
  context_.threads = options_.threads > 0 ? options_.threads : available_threads();
  context_.memory = MemoryBudget(options_.memory_mb);
  context_.log = &log_;
  // --threads 1: one thread, hashing included. Under MPI only rank 0 writes a log: the other ranks never hash
  // their inputs (their logs are never rendered).
  log_.set_background_hashing(context_.threads > 1 && mpi::rank() == 0);
  context_.progress = progress_.get();
  context_.seed = options_.seed;
  log_.note(fmt::format("{} threads, memory budget {} MB", context_.threads, context_.memory.bytes() >> 20));
}

Invocation::~Invocation() {
  // A run that ends without finish() failed: the registry records that it was attempted with these samples
  // (under MPI, rank 0 records the run).
  if (registry_trace_ && !registry_trace_->recorded && mpi::rank() == 0) {
    try {
      AnalysisOutcome outcome{false,
                              "the run stopped with an error",
                              log_.command_line(),
                              registry_trace_->samples_used,
                              log_.inputs(),
                              {}};
      record_analysis(registry_trace_->query, registry_trace_->selection, outcome);
    } catch (...) {  // the run's own error is the one reported
    }
  }
}

Dataset Invocation::load_dataset(const InputOptions& input, Purpose kind) {
  auto store = std::make_shared<GenotypeStore>(GenotypeStore::open_bfile(input.bfile));
  log_.add_input(store->bed_path());
  log_.add_input(store->bim_path());
  log_.add_input(store->fam_path());
  log_.note(
      fmt::format("{} samples and {} variants in {}", store->sample_ct(), store->variant_ct(), input.bfile));
  FilterOptions filters = input.filters;
  if (!input.registry.empty() || !input.purpose.empty()) {
    if (input.registry.empty() || input.purpose.empty())
      throw UsageError("--registry and --purpose must be given together");
    // Held only once the selection succeeded: a refused selection (unregistered fileset, broken chain, no
    // role) is no analysis and records none.
    auto trace = std::make_unique<RegistryTrace>();
    trace->query = ConsentQuery{input.registry, input.purpose, kind == Purpose::Ancestry, "", input.bfile};
    trace->selection = select_consented_samples(trace->query, store->samples(), context_);
    registry_trace_ = std::move(trace);
    filters.allowed_samples = registry_trace_->selection.allowed;
  }
  for (const std::string* list : {&filters.keep, &filters.remove, &filters.extract, &filters.exclude})
    if (!list->empty()) log_.add_input(*list);
  Dataset data = apply_filters(store, filters, context_);
  if (registry_trace_)
    for (std::size_t i = 0; i < data.sample_ct(); ++i)
      registry_trace_->samples_used.push_back(static_cast<std::uint32_t>(data.samples.uidx(i)));
  log_.phase_done("load and filter");
  return data;
}

void Invocation::begin_split(const SplitSlice& slice, const std::string& unit, std::size_t total,
                             std::pair<std::size_t, std::size_t> range) {
  if (!outputs_.paths().empty()) throw Error("--split is applied before any output is opened");
  split_ = std::make_unique<Split>();
  SplitManifest& m = split_->manifest;
  const std::string& line = log_.command_line();  // "genomap COMMAND ..."
  const std::size_t start = line.find(' ') + 1;
  m.command = line.substr(start, line.find(' ', start) - start);
  m.slice = slice;
  m.unit = unit;
  m.total = total;
  std::tie(m.first, m.last) = range;
  options_.out = split_prefix(options_.out, slice);
  outputs_ = OutputSet(options_.out);
  log_.note(fmt::format("--split {}/{}: {} [{}, {}) of {}, outputs {}.*", slice.index, slice.count, unit,
                        m.first, m.last, total, options_.out));
}

namespace {

void refuse_split_under_mpi(const std::string& split) {
  if (!split.empty() && mpi::distributed())
    throw UsageError(fmt::format(
        "--split is for job arrays without MPI: under mpirun the {} ranks divide the work themselves",
        mpi::size()));
}

}  // namespace

void Invocation::split_variants(const std::string& split, Dataset& data) {
  refuse_split_under_mpi(split);
  if (split.empty()) return;
  const SplitSlice slice = parse_split(split);
  const auto range = split_range(data.variant_ct(), slice);
  begin_split(slice, "variants", data.variant_ct(), range);
  data.variant_uidx =
      std::vector<std::uint32_t>(data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(range.first),
                                 data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(range.second));
}

std::pair<std::size_t, std::size_t> Invocation::split_pair_rows(const std::string& split,
                                                                std::size_t samples) {
  refuse_split_under_mpi(split);
  if (split.empty()) return {0, samples};
  const SplitSlice slice = parse_split(split);
  const auto range = genomap::split_pair_rows(samples, slice);
  begin_split(slice, "pair rows", samples, range);
  return range;
}

void Invocation::begin_ranks(const std::string& unit, std::size_t total,
                             std::pair<std::size_t, std::size_t> range, std::string totals) {
  if (!outputs_.paths().empty()) throw Error("the ranks divide the work before any output is opened");
  ranks_ = std::make_unique<Ranks>();
  ranks_->coverage = fmt::format("{} [{}, {}) of {}", unit, range.first, range.second, total);
  ranks_->totals = std::move(totals);
  const int rank = mpi::rank();
  if (rank == 0) return;
  // The other ranks write under $TMPDIR (node-local scratch), as temporary files only: they are read back and
  // sent to rank 0 when the run ends, then removed (also when the rank is stopped by a signal).
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  if (::access(base.c_str(), W_OK | X_OK) != 0)
    throw Error(base, 0,
                fmt::format("rank {} cannot write its outputs here ($TMPDIR) before it sends them: {}", rank,
                            std::strerror(errno)));
  options_.out = fmt::format("{}/genomap-rank{}-{}-{}", base, rank, ::getpid(),
                             std::filesystem::path(options_.out).filename().string());
  outputs_ = OutputSet(options_.out);
}

void Invocation::distribute_variants(Dataset& data) {
  if (!mpi::distributed()) return;
  const SplitSlice slice{static_cast<std::size_t>(mpi::rank()) + 1, static_cast<std::size_t>(mpi::size())};
  const auto range = split_range(data.variant_ct(), slice);
  begin_ranks("variants", data.variant_ct(), range,
              fmt::format("{} samples and {} variants after filters", data.sample_ct(), data.variant_ct()));
  data.variant_uidx =
      std::vector<std::uint32_t>(data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(range.first),
                                 data.variant_uidx.begin() + static_cast<std::ptrdiff_t>(range.second));
}

std::pair<std::size_t, std::size_t> Invocation::distribute_pair_rows(std::size_t samples) {
  if (!mpi::distributed()) return {0, samples};
  const SplitSlice slice{static_cast<std::size_t>(mpi::rank()) + 1, static_cast<std::size_t>(mpi::size())};
  const auto range = genomap::split_pair_rows(samples, slice);
  begin_ranks("pair rows", samples, range, fmt::format("{} samples after filters", samples));
  return range;
}

void Invocation::distribute_range(const std::string& unit, std::size_t total,
                                  std::pair<std::size_t, std::size_t> range, std::string totals) {
  if (mpi::distributed()) begin_ranks(unit, total, range, std::move(totals));
}

bool Invocation::writes_outputs() const { return mpi::rank() == 0; }

void Invocation::join_ranks() {
  if (!mpi::distributed() || mpi::joined()) return;
  mpi::RankReport mine;
  mine.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (ranks_) {
    mine.coverage = ranks_->coverage;
    mine.totals = ranks_->totals;
  }
  const std::vector<mpi::RankReport> reports = mpi::join(mine);
  mpi::check_reports(reports);
  if (mpi::rank() != 0) return;
  log_.note(
      fmt::format("MPI: {} ranks; each computed its own slice, rank 0 writes the outputs", reports.size()));
  for (std::size_t r = 0; r < reports.size(); ++r)
    log_.note(
        fmt::format("MPI rank {}: {}, load and compute {:.3f} s", r,
                    reports[r].coverage.empty() ? std::string("nothing to compute") : reports[r].coverage,
                    reports[r].seconds));
}

void Invocation::send_outputs_to_root() {
  const std::vector<std::string> paths = outputs_.paths();
  mpi::send_size(0, paths.size());
  std::string buffer;
  for (const auto& path : paths) {
    const std::string suffix = path.substr(options_.out.size());
    mpi::send_size(0, suffix.size());
    mpi::send(0, suffix);
    // The rows after the header line, which rank 0 has written already, read from the temporary file.
    OutputFile& file = *outputs_.find(path);
    if (std::fflush(file.stream()) != 0)
      throw Error(file.temp_path(), 0, std::string("write failed: ") + std::strerror(errno));
    std::ifstream in(file.temp_path(), std::ios::binary);
    std::string header;
    std::getline(in, header);
    const std::uint64_t size = std::filesystem::file_size(file.temp_path());
    std::uint64_t rows = in.eof() ? 0 : size - std::min<std::uint64_t>(size, header.size() + 1);
    mpi::send_size(0, rows);
    while (rows > 0) {
      buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(rows, mpi::kPieceBytes)));
      if (!in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())))
        throw Error(path, 0, fmt::format("rank {} cannot read back its output", mpi::rank()));
      mpi::send(0, buffer);
      rows -= buffer.size();
    }
  }
}

void Invocation::receive_rank_outputs() {
  for (int r = 1; r < mpi::size(); ++r) {
    const std::uint64_t files = mpi::receive_size(r);
    for (std::uint64_t f = 0; f < files; ++f) {
      std::string suffix;
      mpi::receive(r, mpi::receive_size(r), [&](std::string_view piece) { suffix += piece; });
      const std::uint64_t rows = mpi::receive_size(r);
      OutputFile* file = outputs_.find(options_.out + suffix);
      if (!file)
        throw Error(fmt::format("rank {} wrote {}{}, which rank 0 did not write", r, options_.out, suffix));
      mpi::receive(r, rows, [&](std::string_view piece) { file->write(piece); });
    }
  }
}

void Invocation::finish() {
  if (progress_) progress_->finish();
  if (mpi::distributed()) {
    join_ranks();
    if (mpi::rank() != 0) {
      send_outputs_to_root();
      return;
    }
    const std::uint64_t before = mpi::bytes_received();  // the reports of join() and any sums
    receive_rank_outputs();
    log_.note(fmt::format(
        "MPI: rank 0 received {} bytes: {} of reports, sums and results, {} of the other ranks' rows",
        mpi::bytes_received(), before, mpi::bytes_received() - before));
    log_.phase_done("gather the other ranks' rows");
  }
  if (split_) {
    SplitManifest& m = split_->manifest;
    for (const auto& p : outputs_.paths()) m.outputs.push_back(p.substr(options_.out.size()));
    m.key = split_key(m.command, parameters_, log_.inputs());
    outputs_.open(".split").write(render_split_manifest(m));
  }
  for (const auto& p : outputs_.paths()) log_.add_output(p);
  const std::string log_path = log_path_.empty() ? options_.out + ".log" : log_path_;
  log_.add_output(log_path);
  OutputFile& log_file = outputs_.open_path(log_path);
  log_file.write(log_.render());
  outputs_.commit_all();
  if (registry_trace_) {
    std::vector<std::string> outputs;
    for (const auto& p : outputs_.paths()) outputs.push_back(p + "  " + describe_file(p));
    AnalysisOutcome outcome{true,          "",     log_.command_line(), registry_trace_->samples_used,
                            log_.inputs(), outputs};
    registry_trace_->recorded = true;  // a failure to record is reported as such, not as a failed analysis
    record_analysis(registry_trace_->query, registry_trace_->selection, outcome);
  }
}

}  // namespace genomap::cli
