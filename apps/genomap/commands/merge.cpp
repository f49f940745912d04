// genomap merge: joins the slices a command wrote with --split I/N (OUT.splitI-of-N.*) into the single run's
// outputs OUT.*, after checking that all N slices of the same inputs and parameters are there.
#include <fmt/format.h>

#include "command_registry.hpp"
#include "genomap/dist/split.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

void run_merge(Invocation& inv) {
  const SplitMerge merge = merge_split_outputs(inv.out_prefix(), inv.outputs());
  for (const auto& manifest : merge.manifests) inv.log().add_input(manifest);
  const std::string line = fmt::format("merged {} slices of genomap {} into {}.*", merge.slice_count,
                                       merge.command, inv.out_prefix());
  inv.log().note(line);
  fmt::print("{}\n", line);
}

const bool registered =
    register_command({"merge", "Join the slices of a --split I/N run into its outputs",
                      [](CLI::App&) { return Runner([](Invocation& inv) { run_merge(inv); }); }, 90});

}  // namespace
}  // namespace genomap::cli
