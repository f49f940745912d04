// The genomap command-line tool: parses arguments, runs the chosen command, turns errors into one line on
// stderr (exit 1; 2 for bad usage). All work happens in the library and the command files.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/dist/mpi.hpp"
#include "invocation.hpp"
#include "signal_handlers.hpp"

int main(int argc, char** argv) {
  using namespace genomap::cli;
  namespace mpi = genomap::mpi;
  // Under mpirun/srun (a build with GENOMAP_MPI): R ranks, each running this same command line.
  mpi::start(argc, argv);
  CLI::App app{
      "genomap: population genomics in one engine (QC, PCA, ancestry, relatedness, population "
      "statistics, association, biobank registry)"};
  app.set_version_flag("--version", std::string("genomap ") + GENOMAP_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  std::map<CLI::App*, Runner> runners;
  std::map<CLI::App*, bool> distributed;
  std::map<CLI::App*, std::unique_ptr<RunOptions>> run_options;
  std::vector<std::string> ranked;  // the commands that run as ranks, in --help order
  for (const auto& c : commands)
    if (c.distributed) ranked.push_back(c.name);
  std::string ranked_commands;
  for (std::size_t i = 0; i < ranked.size(); ++i)
    ranked_commands += (i == 0 ? "" : i + 1 == ranked.size() ? " and " : ", ") + ranked[i];
  for (const auto& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->option_defaults()->always_capture_default();
    auto& opts = run_options[sub] = std::make_unique<RunOptions>();
    add_run_options(*sub, *opts);
    runners[sub] = c.setup(*sub);
    distributed[sub] = c.distributed;
  }
  // A bad command line is one line on stderr naming the command, as every other error is, and exit 2 (CLI11's
  // own form adds a second line and no command name); --help and --version print as CLI11 prints them.
  const bool known = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                             [&](const Command& c) { return c.name == argv[1]; });
  const std::string command_name = known ? std::string(" ") + argv[1] : std::string();
  // One error line on stderr and the exit code. Under MPI with several ranks, a failure before the ranks
  // joined is reported to all of them (mpi::join) and rank 0 prints the first one; a failure after it (while
  // the ranks exchange their results) ends the whole job.
  // After a failed run of several ranks: mpirun stops the ranks still finishing (SIGTERM) as soon as one has
  // exited with an error; their outputs are removed already, so they end silently instead of adding a line.
  const auto end_quietly = [] { std::signal(SIGTERM, SIG_DFL); };
  const auto fail = [&](int exit_code, const std::string& prefix, const std::string& message) {
    if (!mpi::distributed()) {
      std::fprintf(stderr, "%s%s\n", prefix.c_str(), message.c_str());
      return exit_code;
    }
    if (mpi::joined()) {
      std::fprintf(stderr, "%srank %d of %d: %s (ending every rank)\n", prefix.c_str(), mpi::rank(),
                   mpi::size(), message.c_str());
      std::fflush(stderr);
      mpi::abort(exit_code);
    }
    mpi::RankReport mine;
    mine.exit_code = exit_code;
    mine.message = message;
    try {
      mpi::check_reports(mpi::join(mine));
    } catch (const mpi::RanksFailed& e) {
      if (mpi::rank() == 0) std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
      end_quietly();
      return e.exit_code();
    }
    return exit_code;  // not reached: this rank's own failure is among the reports
  };
  const auto usage_error = [&](const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    if (!known && argc > 1 && argv[1][0] != '-')
      return fail(2, "genomap: error: ",
                  std::string("unknown command '") + argv[1] + "' (genomap --help lists the commands)");
    return fail(2, "genomap" + command_name + ": error: ", e.what());
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return usage_error(e);
  }
  install_signal_handlers();
  std::string command_line = "genomap";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  for (auto& [sub, runner] : runners) {
    if (!sub->parsed()) continue;
    const std::string prefix = "genomap " + sub->get_name() + ": error: ";
    try {
      if (mpi::distributed() && !distributed[sub])
        throw genomap::UsageError(sub->get_name() + " does not run as several MPI ranks (" +
                                  std::to_string(mpi::size()) + " here): run it as one process; " +
                                  ranked_commands + " run under mpirun");
      Invocation invocation(*run_options[sub], command_line, sub->config_to_str(true, false));
      runner(invocation);
      invocation.finish();
    } catch (const CLI::ParseError& e) {
      return usage_error(e);
    } catch (const mpi::RanksFailed& e) {  // another rank failed: rank 0 prints its error
      if (mpi::rank() == 0) std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
      end_quietly();
      return e.exit_code();
    } catch (const genomap::UsageError& e) {
      return fail(2, prefix, e.what());
    } catch (const genomap::Error& e) {
      return fail(1, prefix, e.what());
    } catch (const std::exception& e) {
      return fail(1, prefix, e.what());
    }
  }
  return 0;
}
