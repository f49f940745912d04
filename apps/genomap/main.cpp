// The genomap command-line tool: parses arguments, runs the chosen command, turns errors into one line on
// stderr (exit 1; 2 for bad usage). All work happens in the library and the command files.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "invocation.hpp"
#include "signal_handlers.hpp"

int main(int argc, char** argv) {
  using namespace genomap::cli;
  CLI::App app{"genomap: population genomics in one engine (QC, PCA, ancestry, relatedness, population "
               "statistics, association, biobank registry)"};
  app.set_version_flag("--version", std::string("genomap ") + GENOMAP_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.order != b.order ? a.order < b.order : a.name < b.name; });
  std::map<CLI::App*, Runner> runners;
  std::map<CLI::App*, std::unique_ptr<RunOptions>> run_options;
  for (const auto& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->option_defaults()->always_capture_default();
    auto& opts = run_options[sub] = std::make_unique<RunOptions>();
    add_run_options(*sub, *opts);
    runners[sub] = c.setup(*sub);
  }
  // A bad command line is one line on stderr naming the command, as every other error is, and exit 2 (CLI11's
  // own form adds a second line and no command name); --help and --version print as CLI11 prints them.
  const bool known = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                             [&](const Command& c) { return c.name == argv[1]; });
  const std::string command_name = known ? std::string(" ") + argv[1] : std::string();
  const auto usage_error = [&](const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    if (!known && argc > 1 && argv[1][0] != '-')
      std::fprintf(stderr, "genomap: error: unknown command '%s' (genomap --help lists the commands)\n", argv[1]);
    else
      std::fprintf(stderr, "genomap%s: error: %s\n", command_name.c_str(), e.what());
    return 2;
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
    try {
      Invocation invocation(*run_options[sub], command_line, sub->config_to_str(true, false));
      runner(invocation);
      invocation.finish();
    } catch (const CLI::ParseError& e) {
      return usage_error(e);
    } catch (const genomap::UsageError& e) {
      std::fprintf(stderr, "genomap %s: error: %s\n", sub->get_name().c_str(), e.what());
      return 2;
    } catch (const genomap::Error& e) {
      std::fprintf(stderr, "genomap %s: error: %s\n", sub->get_name().c_str(), e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "genomap %s: error: %s\n", sub->get_name().c_str(), e.what());
      return 1;
    }
  }
  return 0;
}
