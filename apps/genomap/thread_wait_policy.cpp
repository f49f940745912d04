// How idle OpenMP threads wait. libgomp's default lets a thread that has finished its share spin for several
// milliseconds before it sleeps. genomap's passes run many short parallel regions (one or two per block of
// variants) separated by serial output formatting; on a machine whose cores are shared, those spinning threads
// took more CPU time than the analysis itself (freq at 10,000 x 100,000: 0.55 s user, 0.15 s of it work) and
// slowed the threads doing the work. Passive waiting (sleep at once) costs microseconds per region instead.
//
// libgomp reads OMP_WAIT_POLICY / GOMP_SPINCOUNT once, in its initializer, before main(); and the C library's
// initializer resets the environment to the one the process started with, so setting the variable from inside
// the process is too late or lost. So when neither variable is set, the binary runs itself again at once
// (from .preinit_array, before any library initializer) with OMP_WAIT_POLICY=PASSIVE added to its environment.
// A policy given by the user is left alone; if the re-run cannot be started, genomap goes on with the default.
#include <unistd.h>

#include <cstring>

namespace {

constexpr std::size_t kMaxEnv = 4096;
char passive_entry[] = "OMP_WAIT_POLICY=PASSIVE";
char* new_env[kMaxEnv + 2];

void rerun_with_passive_wait(int /*argc*/, char** argv, char** envp) {
  if (argv == nullptr || envp == nullptr) return;
  std::size_t n = 0;
  for (; envp[n] != nullptr; ++n) {
    if (std::strncmp(envp[n], "OMP_WAIT_POLICY=", 16) == 0 || std::strncmp(envp[n], "GOMP_SPINCOUNT=", 15) == 0)
      return;  // set by the user (or by the re-run itself)
    if (n >= kMaxEnv) return;
  }
  std::memcpy(new_env, envp, n * sizeof(char*));
  new_env[n] = passive_entry;
  new_env[n + 1] = nullptr;
  ::execve("/proc/self/exe", argv, new_env);  // returns only on failure: carry on as we are
}

[[gnu::used, gnu::section(".preinit_array")]] void (*const preinit_passive_wait)(int, char**, char**) =
    &rerun_with_passive_wait;

}  // namespace
