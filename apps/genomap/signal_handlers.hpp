// How genomap ends when the system stops it, with no partial output left behind (docs/robustness.md):
//   SIGINT, SIGTERM, SIGHUP  temporary outputs are removed and the process exits at once with 128 + signal
//                            (130 for Ctrl-C, 143 for kill), without waiting for a kernel to finish its pass.
//   SIGXFSZ                  ignored, so that a write past `ulimit -f` fails with EFBIG and is reported as an
//                            error naming the output (the run then removes its temporary files itself).
//   SIGBUS                   a memory-mapped input (the .bed) truncated or unreadable while being read: a
//                            one-line error naming the file, temporary outputs removed, exit 1. The handler
//                            ends the process rather than jumping back into the kernel that faulted: the read
//                            may be on any OpenMP thread, and no code path could resume it safely.
#pragma once

namespace genomap::cli {

void install_signal_handlers();

}  // namespace genomap::cli
