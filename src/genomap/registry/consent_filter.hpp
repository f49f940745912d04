// The link between the biobank registry and every analysis: which genotyped samples may be used for a
// purpose.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/sample_table.hpp"

namespace genomap {

struct ConsentQuery {
  ConsentQuery() = default;
  ConsentQuery(std::string database_path, std::string research_purpose, bool ancestry, std::string who = "",
               std::string bfile = "")
      : database(std::move(database_path)), purpose(std::move(research_purpose)), ancestry_analysis(ancestry),
        actor(std::move(who)), fileset(std::move(bfile)) {}
  std::string database;            // --registry
  std::string purpose;             // --purpose, a DUO code
  bool ancestry_analysis = false;  // pca, admix, fst, fstats: needs consent covering ancestry research
  std::string actor;               // who runs it (default: the OS user)
  // The PLINK fileset prefix analysed: it must be registered (`registry fileset add`), and each genotype's
  // sample is taken from its registered link. Every command passes it; a library caller with genotypes in
  // memory only (no files to hash) leaves it empty and samples are matched by genotype IID (and FID).
  std::string fileset;
};

// Which genotyped samples may be used: the registry is opened for writing (the analysis will record itself,
// so a read-only registry is refused now) and checked before use (a broken chain is refused); nothing is
// written. Writes counts excluded and why to the log.
struct ConsentSelection {
  std::vector<std::uint32_t> allowed;            // positions in the fileset of the consented samples
  std::vector<std::string> registry_sample_ids;  // per fileset position: the registry's sample ("" when none)
  std::string purpose;                           // canonical
  std::size_t samples_in_fileset = 0;
  std::map<std::string, std::size_t> excluded;  // reason -> samples
};
ConsentSelection select_consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                          const Context& ctx);

// What an analysis did, recorded once it is over.
struct AnalysisOutcome {
  bool succeeded = false;
  std::string error;                         // when it failed
  std::string command;                       // command line
  std::vector<std::uint32_t> samples_used;   // fileset positions used, after every sample filter
  std::vector<std::string> inputs, outputs;  // "path  <bytes> bytes xxh128:<hex>", filter lists included
};
// Appends the analysis entry: status, actor, the registry IDs of the samples used (and their SHA-256),
// exclusions, inputs and outputs with their hashes. The chain is checked again before the entry is written.
void record_analysis(const ConsentQuery& query, const ConsentSelection& selection,
                     const AnalysisOutcome& outcome);

// Selection and entry at once (for callers without a separate run): the entry records the selection as used.
// `excluded_by_reason`, when given, receives the number of samples excluded for each reason.
std::vector<std::uint32_t> consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                             const Context& ctx,
                                             std::map<std::string, std::size_t>* excluded_by_reason = nullptr);

}  // namespace genomap
