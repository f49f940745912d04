// The one place where genomap sets thread counts. A ThreadScope sets OpenMP's default team size and the
// thread counts of OpenBLAS and Eigen for the duration of one library call and restores the previous values
// when it ends, also when the call throws, so one call's --threads never leaks into the next call in the
// same process (a server, a pipeline, the tests).
#pragma once

namespace genomap {

class ThreadScope {
 public:
  // OpenMP regions and Eigen's products (which run on OpenMP's threads) use `threads`; OpenBLAS, a pool of its
  // own, uses `blas_threads`. Kernels whose OpenMP threads split the matrix products themselves pass
  // blas_threads = 1, so no OpenBLAS worker threads spin beside them.
  // eigen_threads (default: threads) sets Eigen's own products outside OpenMP regions; pass 1 where a result
  // must not depend on the thread count (Eigen sizes its product blocking by it).
  ThreadScope(int threads, int blas_threads, int eigen_threads = 0);
  // Every pool uses `threads`.
  explicit ThreadScope(int threads) : ThreadScope(threads, threads) {}
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int openmp_before_;
  int blas_before_;
  int eigen_before_;
};

// The number of processors OpenMP sees (the default for --threads 0).
int available_threads();

}  // namespace genomap
