#include "genomap/registry/consent_filter.hpp"

#include "genomap/core/error.hpp"

namespace genomap {

std::vector<std::uint32_t> consented_samples(const ConsentQuery& query, const SampleTable&, const Context&) {
  throw Error(query.database, 0, "the biobank registry is not available in this build yet");
}

}  // namespace genomap
