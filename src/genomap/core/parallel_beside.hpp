// One parallel region that does two things at once: one thread of the team runs `serial` (typically writing
// the previous block's results) while the others start on the `n` iterations of `body`, and it joins them
// when done (dynamic schedule, `chunk` iterations at a time). No thread waits idle through serial formatting,
// no thread is added beyond `threads`, and idle OpenMP threads never spin beside a thread that is writing. An
// exception from `serial` is rethrown after the region; `body` must not throw.
#pragma once
#include <cstddef>
#include <exception>

namespace genomap {

template <class Serial, class Body>
void run_beside(int threads, std::ptrdiff_t n, std::ptrdiff_t chunk, Serial&& serial, Body&& body) {
  std::exception_ptr error;
#pragma omp parallel num_threads(threads)
  {
#pragma omp single nowait
    {
      try {
        serial();
      } catch (...) {
        error = std::current_exception();
      }
    }
#pragma omp for schedule(dynamic, chunk) nowait
    for (std::ptrdiff_t i = 0; i < n; ++i) body(i);
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace genomap
