// The link between the biobank registry and every analysis: which genotyped samples may be used for a purpose.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/sample_table.hpp"

namespace genomap {

struct ConsentQuery {
  std::string database;       // --registry
  std::string purpose;        // --purpose, a DUO code
  bool ancestry_analysis = false;  // pca, admix, fst, fstats: needs consent covering ancestry research
  std::string actor;               // who runs it (default: the OS user)
};

// Positions (in `samples`) of the samples whose consent covers the query and is not withdrawn. Writes counts
// excluded and why to the log, and records the analysis in the registry's audit log.
std::vector<std::uint32_t> consented_samples(const ConsentQuery& query, const SampleTable& samples,
                                             const Context& ctx);

}  // namespace genomap
