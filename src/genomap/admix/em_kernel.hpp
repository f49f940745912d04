// The fused EM kernel of the ADMIXTURE model: one sweep over (a subset of) the variants computes, genotype by
// genotype, h = q_i . p_j, the ratios a = g / h and b = (2 - g) / (1 - h), and accumulates everything the EM
// update needs: T1_jk = sum_i a q_ik and T2_jk = sum_i b q_ik (the P update, finished per variant) and
// S_ik = sum_j w_j (a p_jk + b (1 - p_jk)) (the Q update), plus, on request, the log-likelihood
// sum w_j (g log h + (2 - g) log(1 - h)). Nothing of size N x M is ever stored.
//
// Genotypes are held in memory as bytes of four 2-bit .bed codes (AdmixGenotypes); samples are processed four
// at a time (AVX2, chosen at run time) in tiles that keep Q and S in cache.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"

namespace genomap {

// The packed genotypes of a fit, held in memory: row j is variant j as a compact packed row (geno/kernels.hpp:
// 32 codes per word, bits past the last sample zero), so the shared row kernels apply; the EM sweep reads it a
// byte (four samples) at a time.
struct AdmixGenotypes {
  std::size_t sample_ct = 0, variant_ct = 0, words_per_row = 0;
  std::vector<std::uint64_t> words;
  const std::uint64_t* row(std::size_t j) const { return words.data() + j * words_per_row; }
  std::uint64_t* row(std::size_t j) { return words.data() + j * words_per_row; }
  // Sample count rounded up to a multiple of 4 (the lanes of the kernel).
  std::size_t padded_samples() const { return (sample_ct + 3) / 4 * 4; }
};

// Copies the selected genotypes of `data` into memory (one streamed pass).
AdmixGenotypes load_admix_genotypes(const Dataset& data, const Context& ctx);

// Parameters of one sweep. Q is given transposed and padded: qt[k * n_pad + i] (padding lanes hold valid
// proportions, e.g. 1/K; the sweep reads their genotypes as missing, so they contribute nothing).
struct EmSweep {
  const AdmixGenotypes* genotypes = nullptr;
  std::size_t k = 0;
  const double* qt = nullptr;      // K x n_pad
  const double* p = nullptr;       // M x K, row-major, every entry in (0, 1)
  const double* weight = nullptr;  // per-variant multiplicity (bootstrap) or null for 1
  bool log_likelihood = false;
};

enum class EmKernelKind { Generic, Avx2 };
EmKernelKind best_em_kernel();

// Sweeps variants `variants[0..count)` (or [first, first + count) when `variants` is null): writes the EM
// update of their P rows into next_p (M x K row-major; rows of other variants untouched), adds the Q terms into
// s (K x n_pad, zeroed by the caller) and returns the log-likelihood of those variants (0 unless requested).
double em_sweep(const EmSweep& sweep, const std::uint32_t* variants, std::size_t first, std::size_t count,
                double* next_p, double* s, EmKernelKind kind = best_em_kernel());

}  // namespace genomap
