#include "signal_handlers.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

#include "genomap/core/cleanup_registry.hpp"

namespace genomap::cli {
namespace {

// Only async-signal-safe calls below: write, unlink (through the registry), _exit.
void say(const char* text) noexcept {
  const std::size_t length = std::strlen(text);
  if (::write(STDERR_FILENO, text, length) < 0) return;
}

void on_stop(int signal) noexcept {
  cleanup::remove_temporary_files();
  say(signal == SIGINT    ? "genomap: interrupted (SIGINT); temporary outputs removed\n"
      : signal == SIGTERM ? "genomap: terminated (SIGTERM); temporary outputs removed\n"
                          : "genomap: hung up (SIGHUP); temporary outputs removed\n");
  ::_exit(128 + signal);
}

void on_bus_error(int, siginfo_t* info, void*) noexcept {
  cleanup::remove_temporary_files();
  const char* path = info ? cleanup::mapping_containing(info->si_addr) : nullptr;
  say("genomap: error: ");
  say(path ? path : "an input file");
  say(": the file was truncated or became unreadable while it was being read (SIGBUS); no output written\n");
  ::_exit(1);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction stop {};
  stop.sa_handler = on_stop;
  sigemptyset(&stop.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(s, &stop, nullptr);
  struct sigaction bus {};
  bus.sa_sigaction = on_bus_error;
  bus.sa_flags = SA_SIGINFO;
  sigemptyset(&bus.sa_mask);
  ::sigaction(SIGBUS, &bus, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace genomap::cli
