// qpWave and qpAdm over f2 blocks (Patterson et al. 2012, Genetics 192:1065, "qpWave"; Haak et al. 2015,
// Nature 522:207, supplementary information 10; Harney et al. 2021, Genetics 217:iyaa045; ADMIXTOOLS 2,
// Maier et al. 2023, eLife 12:e85492).
//
// For left populations L0..Lm and right populations R0..Rn the f4 matrix is
//   X(l, r) = f4(L0, Ll; R0, Rr),  l = 1..m, r = 1..n,
// built per jackknife block from f2: f4(A,B;C,D) = (f2(A,D) + f2(B,C) - f2(A,C) - f2(B,D)) / 2. If the lefts
// descend from k independent streams of ancestry relative to the rights, X has rank k - 1. The rank-r test
// fits X ~ A B (A: m x r, B: r x n) by alternating generalized least squares under the block-jackknife
// covariance Q of vec(X); its chi-square (vec(X - AB)' Q^-1 vec(X - AB)) has (m - r)(n - r) degrees of
// freedom. qpAdm puts the target first among the lefts: the target is a mixture of the sources with weights w
// (sum 1) exactly when w' X = 0, so the rank m - 1 fit gives w from the left null space of A. Standard errors
// of w come from refitting with each block left out (weighted block jackknife, Busing et al. 1999).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "genomap/popstats/f2_store.hpp"

namespace genomap {

// f2 per block for a set of populations on their common variants (each population called), as block means.
struct F2Blocks {
  std::vector<std::string> pops;
  std::size_t block_ct = 0;          // blocks holding at least one common variant
  std::vector<double> block_weight;  // common variants per block
  std::vector<double> f2;            // [(i * pop_ct + j) * block_ct + b], symmetric, 0 on the diagonal
  std::size_t snp_ct = 0;

  std::size_t pop_ct() const { return pops.size(); }
  double at(std::size_t i, std::size_t j, std::size_t b) const {
    return f2[(i * pop_ct() + j) * block_ct + b];
  }
  std::size_t index_of(const std::string& name) const;  // throws Error for an unknown name
};

// f2 blocks of the named populations on the variants where all of them have calls (ADMIXTOOLS' qpAdm
// "allsnps: NO"). When every stored variant qualifies, the store's f2 sums are used as they are.
F2Blocks f2_blocks_for(const F2Store& store, const std::vector<std::string>& pops);

struct QpadmOptions {
  // Ridge added to the covariance diagonal as a share of its trace before inverting, and to the normal
  // equations of each least-squares step (ADMIXTOOLS' "diagplus", default 0.0001; ADMIXTOOLS 2 "fudge").
  double fudge = 1e-4;
  // How many times the ridge goes on the covariance before it is inverted: once as qpAdm does, twice as
  // qpWave does (its main program and its rank test each add it).
  int covariance_ridges = 1;
  bool standard_errors = true;  // jackknife SE of the weights (one refit per block)
  // qpadm_rotate: SE for every model too (with standard_errors). Off by default in the library, since it
  // costs one refit per block per model (63 three-source models on 500 blocks: minutes); the qpadm command
  // turns it on (--no-se turns it off), and a caller showing a few models can refit just those with qpadm().
  bool rotate_standard_errors = false;
  // ADMIXTOOLS 1 qpAdm/qpWave's default since 2022 ("oracle: YES"): the covariance Q is shrunk towards a
  // multiple of the identity by oracle approximating shrinkage (Chen, Wiesel, Eldar & Hero 2010, IEEE Trans.
  // Signal Process. 58:5016), with the effective number of blocks (sum w)^2 / sum w^2 as the sample size,
  // instead of the ridges (none on the covariance, none in the least-squares steps, as qpAdm sets diagplus to
  // 0 in that mode). ADMIXTOOLS 2 (qpadm, qpwave) does not shrink, hence off by default.
  bool oracle_shrinkage = false;
};

struct RankTest {
  std::size_t rank = 0, dof = 0;
  double chisq = 0, p = 1;
  // Against rank + 1 (absent for the full rank): chi-square and dof differences and their p-value.
  bool has_next = false;
  std::size_t dof_diff = 0;
  double chisq_diff = 0, p_diff = 1;
};

struct QpadmModel {
  std::vector<std::string> sources, rights;
  std::vector<double> weights, se;  // se empty when not computed
  std::size_t dof = 0;
  double chisq = 0, p = 1;
  bool feasible = false;  // all weights in [0, 1]
};

struct QpadmResult {
  std::string target;
  std::vector<std::string> sources, rights;
  std::size_t snp_ct = 0, block_ct = 0;
  std::vector<RankTest> ranks;     // qpWave of (target, sources) against the rights, ranks 0..full
  QpadmModel model;                // all sources
  std::vector<QpadmModel> nested;  // each source dropped in turn (none for one source)
};

// Throws Error for an impossible model: the target among the sources or rights, a source among the rights, a
// population named twice, fewer than sources + 1 right populations.
void check_qpadm_model(const std::string& target, const std::vector<std::string>& sources,
                       const std::vector<std::string>& rights);

// qpWave rank tests of lefts (L0 first) against rights (R0 first).
std::vector<RankTest> qpwave(const F2Blocks& blocks, const std::vector<std::string>& lefts,
                             const std::vector<std::string>& rights, const QpadmOptions& options);

QpadmResult qpadm(const F2Blocks& blocks, const std::string& target, const std::vector<std::string>& sources,
                  const std::vector<std::string>& rights, const QpadmOptions& options);

// Every model of 1..max_sources sources from `pool` for `target`, the rest of the pool plus `fixed_rights` as
// rights; sorted by p-value, largest first. With options.standard_errors each model's weights carry their
// block-jackknife SE, computed as for a single fit (one refit per block left out; a one-source model has SE
// 0).
std::vector<QpadmModel> qpadm_rotate(const F2Blocks& blocks, const std::string& target,
                                     const std::vector<std::string>& pool,
                                     const std::vector<std::string>& fixed_rights, std::size_t max_sources,
                                     const QpadmOptions& options);

// Upper tail of the chi-square distribution with `dof` degrees of freedom (1 for dof 0).
double chisq_upper_p(double chisq, double dof);

}  // namespace genomap

namespace genomap {

// Writers of the TSV outputs (documented in docs/popstats.md).
void write_rank_tests(std::FILE* f, const std::vector<RankTest>& ranks);
void write_qpadm_weights(std::FILE* f, const QpadmResult& result);
void write_qpadm_models(std::FILE* f, const std::string& target, const std::vector<QpadmModel>& models,
                        const QpadmModel* full);

}  // namespace genomap
