#include "command_registry.hpp"

namespace genomap::cli {
namespace {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace

bool register_command(Command command) {
  registry().push_back(std::move(command));
  return true;
}

const std::vector<Command>& registered_commands() { return registry(); }

}  // namespace genomap::cli
