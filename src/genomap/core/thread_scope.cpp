#include "genomap/core/thread_scope.hpp"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

// OpenBLAS's own controls (cblas.h declares them too, but core does not need the rest of BLAS).
extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
}

namespace genomap {

ThreadScope::ThreadScope(int threads, int blas_threads, int eigen_threads)
    : openmp_before_(omp_get_max_threads()),
      blas_before_(openblas_get_num_threads()),
      eigen_before_(Eigen::nbThreads()) {
  threads = std::max(1, threads);
  omp_set_num_threads(threads);
  openblas_set_num_threads(std::max(1, blas_threads));
  // Inside an OpenMP region Eigen runs its products on the calling thread; outside, on `threads` of them.
  Eigen::setNbThreads(eigen_threads > 0 ? eigen_threads : threads);
}

ThreadScope::~ThreadScope() {
  Eigen::setNbThreads(eigen_before_);
  openblas_set_num_threads(blas_before_);
  omp_set_num_threads(openmp_before_);
}

int available_threads() { return omp_get_num_procs(); }

}  // namespace genomap
