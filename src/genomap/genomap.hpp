// genomap: population genomics as a library. One include for a program that calls the analyses itself
// (examples/run_every_analysis.cpp is a complete one). Every entry point takes a Dataset (or population
// counts) with typed options and a Context (threads, memory budget, log, progress, seed), returns a result
// struct and throws genomap::Error (genomap::UsageError for impossible options) on failure; nothing prints or
// exits. Thread counts are set for the call only (core/thread_scope.hpp). Layers: docs/design.md.
// Everything here is in library genomap_core (CMake target genomap::core), which carries no SQLite, OpenSSL,
// htslib or HTTP dependency; VCF import (genomap/vcf/vcf_import.hpp) is library genomap_vcf, the consent
// registry (genomap/registry/) genomap_registry, `analyze` (genomap/pipeline/) genomap_pipeline.
#pragma once

// ==== Data: open, select, write ====
// Context{threads, memory, log, progress, seed}; Error(file, line, message); UsageError (exit 2 in the CLI).
#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
// ThreadScope(threads, blas_threads): OpenMP/Eigen and OpenBLAS threads for one call, then restored.
#include "genomap/core/thread_scope.hpp"
// GenotypeStore::open_bfile(prefix): the .bed memory-mapped, .bim/.fam parsed. Dataset: a store seen through
// a SampleView and a variant selection.
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/genotype_store.hpp"
// read_population_labels(path, data): the population of each analysed sample (a POP table or ADMIXTURE .pop).
#include "genomap/geno/population_labels.hpp"
// read_sample_columns (--pheno/--covar tables).
#include "genomap/geno/sample_table_file.hpp"
// OutputSet / OutputFile: outputs written to temporary names, renamed together on commit.
#include "genomap/io/output_file.hpp"
// Job arrays: --split I/N slices and their merge.
#include "genomap/dist/split.hpp"
// apply_filters(store, FilterOptions, ctx) -> Dataset: keep/remove, consent, --chr, --mind, --geno, --maf.
#include "genomap/qc/filters.hpp"

// ==== Quality control (plink2 --freq, --missing, --hardy, --het, --indep-pairwise) ====
// count_alleles_by_ploidy(data, ctx, sink): allele counts, handed over block by block.
#include "genomap/qc/allele_frequency.hpp"
// compute_hardy_weinberg(data, ctx, midp, sink): exact Hardy-Weinberg tests, block by block.
#include "genomap/qc/hardy.hpp"
// compute_heterozygosity(data, ctx) -> HeterozygosityResult: O(HOM), E(HOM), F per sample.
#include "genomap/qc/heterozygosity.hpp"
// indep_pairwise(data, parse_indep_pairwise(args), ctx) -> PruneResult: kept/removed per variant.
#include "genomap/qc/ld_prune.hpp"
// compute_missingness(data, ctx, variant_sink) -> SampleMissingness.
#include "genomap/qc/missingness.hpp"
// AfreqWriter, VmissWriter, write_smiss, HardyWriter, write_het: plink2's tables, byte-identical.
#include "genomap/qc/qc_files.hpp"

// ==== Structure: PCA, projection, ADMIXTURE model ====
// fit_admixture(load_admix_genotypes(data, ctx), AdmixOptions, ctx) -> AdmixResult (Q, P, log-likelihood);
// admixture_cross_validation, admixture_bootstrap_se.
#include "genomap/admix/admixture.hpp"
// write_admixture_matrix (.Q, .P), write_q_with_ids (.Q.ids), supervised_populations(labels, k).
#include "genomap/admix/admixture_files.hpp"
// run_pca(data, PcaOptions, ctx) -> PcaResult (scores, eigenvalues, optional variant weights).
#include "genomap/pca/pca.hpp"
// write_eigenvec, write_eigenval, write_variant_weights: plink2's layouts.
#include "genomap/pca/pca_files.hpp"
// project_samples(target, read_reference_pca(prefix), ...) -> ProjectionResult.
#include "genomap/pca/projection.hpp"

// ==== Relatedness ====
// compute_king(data, ctx, plan_king(data, ctx), band_sink): KING-robust counts of every pair, band by band.
#include "genomap/relate/king.hpp"
// Kin0Writer (.kin0, formatted while the kernel runs), write_king_matrix (.king.bin, .king.id).
#include "genomap/relate/king_files.hpp"
// remove_relatives(sample_ct, pairs): plink2's --king-cutoff greedy rule.
#include "genomap/relate/unrelated_set.hpp"

// ==== Population statistics ====
// PopulationInput::from_plink(dataset, labels, chromosomes) / from_eigenstrat(prefix, ...): the counts the
// statistics read; jackknife_blocks(variants, block_size, genetic_unit).
#include "genomap/popstats/population_input.hpp"
// compute_fst(PopulationData, FstOptions, ctx) -> FstResult (pairs, share of variance between populations).
#include "genomap/popstats/fst.hpp"
// compute_fstats(PopulationData, blocks, requests, FstatsOptions, ctx) -> f2 of every pair, f3/f4/D/f4-ratio.
#include "genomap/popstats/fstats.hpp"
// date_admixture(dataset, labels, DatingOptions{target, sources}, ctx) -> generations since admixture
// (weighted LD decay, ALDER), jackknife SE, amplitude Z and the curve.
#include "genomap/popstats/admixture_dating.hpp"

// ==== Association ====
// run_glm(data, phenotypes, covariates, GlmOptions, ctx) -> per phenotype, per variant fits (plink2 --glm).
#include "genomap/assoc/glm.hpp"
// compute_scores(data, read_score_weights(path, data, columns), ScoreOptions, ctx) -> ScoreResult.
#include "genomap/assoc/polygenic_score.hpp"

// ==== Simulation ====
// simulate_dataset(SimulationOptions, outputs, ctx): a fileset with known ancestry, relatives and phenotypes.
#include "genomap/sim/admixture_simulation.hpp"
// simulate_pulse_dataset(PulseSimulationOptions, outputs, ctx): one admixture pulse with ancestry tracts.
#include "genomap/sim/pulse_simulation.hpp"
