// Every command registers itself here from its own file under commands/, so adding a command touches no
// other file. A command's setup adds its options to its CLI11 subcommand and returns the function that runs
// it.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace genomap::cli {

class Invocation;
using Runner = std::function<void(Invocation&)>;

struct Command {
  std::string name;
  std::string summary;
  std::function<Runner(CLI::App&)> setup;
  int order = 100;  // position in --help
  // Whether it runs as R ranks under mpirun/srun (genomap/dist/mpi.hpp); the others refuse to.
  bool distributed = false;
};

bool register_command(Command command);
const std::vector<Command>& registered_commands();

}  // namespace genomap::cli
