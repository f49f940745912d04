// The service's answers, independent of HTTP: each endpoint takes the validated request and returns a status
// and a JSON body. Anonymous callers see frequencies rounded to a few decimals; controlled callers also see
// the release's counts (themselves multiples of its minimum count). Beacon v2 g_variants follows the GA4GH
// Beacon v2 framework and default model (genomicVariations with frequencyInPopulations); coordinates there
// are 0-based.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "genomap/freqdb/frequency_database.hpp"

namespace genomap::serve {

enum class Tier { Anonymous, Controlled };

struct ApiLimits {
  std::int64_t max_region_span = 10'000'000;  // bp per region or Beacon range query
  std::size_t max_page = 1000;                // variants per page
  std::size_t default_page = 100;
  std::size_t max_counted = 100'000;  // variants a Beacon count may scan
  int frequency_decimals = 3;         // anonymous tier
  std::string beacon_id = "org.genomap.frequencies";
  std::string organisation = "genomap";
};

struct Reply {
  int status = 200;
  nlohmann::json body;
};

// Query parameters as received (a key may repeat; repeated keys are refused).
using QueryParameters = std::multimap<std::string, std::string>;

class FrequencyApi {
 public:
  FrequencyApi(const freqdb::FrequencyDatabase& db, ApiLimits limits) : db_(db), limits_(std::move(limits)) {}

  Reply health() const;
  Reply release() const;
  Reply populations() const;
  // /v1/variant/{spec}: an ID, CHROM:POS or CHROM:POS:REF:ALT.
  Reply variant(std::string_view spec, const QueryParameters& params, Tier tier) const;
  // /v1/region/{CHROM:START-END}?limit=N&after=CURSOR
  Reply region(std::string_view spec, const QueryParameters& params, Tier tier) const;

  Reply beacon_info() const;
  Reply beacon_map(const std::string& base_url) const;
  // GET query parameters or a POST body ({"meta": ..., "query": {"requestParameters": ..., "pagination": ...,
  // "requestedGranularity": ...}}) turned into one request.
  nlohmann::json beacon_request_from_query(const QueryParameters& params) const;
  nlohmann::json beacon_request_from_body(std::string_view body) const;
  Reply beacon_variants(const nlohmann::json& request, Tier tier) const;

  const ApiLimits& limits() const { return limits_; }

 private:
  nlohmann::json frequencies_json(const freqdb::ReleaseVariant& v, Tier tier) const;
  nlohmann::json variant_json(const freqdb::ReleaseVariant& v, Tier tier) const;
  nlohmann::json beacon_record(const freqdb::ReleaseVariant& v, Tier tier) const;
  nlohmann::json beacon_meta(const std::string& granularity, const nlohmann::json& received) const;

  const freqdb::FrequencyDatabase& db_;
  ApiLimits limits_;
};

// Refuses (BadRequest) parameters not in `allowed` and repeated parameters.
void require_known_parameters(const QueryParameters& params, std::initializer_list<std::string_view> allowed);

}  // namespace genomap::serve
