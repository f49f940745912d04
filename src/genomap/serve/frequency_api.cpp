#include "genomap/serve/frequency_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genomap/serve/request_parsing.hpp"

namespace genomap::serve {

using nlohmann::json;

namespace {

constexpr const char* kBeaconApiVersion = "v2.0.1";

std::optional<std::string> single(const QueryParameters& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

bool observed(const freqdb::ReleaseVariant& v) {
  return std::any_of(v.counts.begin(), v.counts.end(), [](const auto& c) { return c.alt_count > 0; });
}

// A Beacon parameter given as a string or a number (GET gives strings, POST either).
std::string scalar_text(const json& value, const char* what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned() || value.is_number_integer())
    return std::to_string(value.get<std::int64_t>());
  throw BadRequest(std::string(what) + ": expected a string or a whole number");
}

}  // namespace

void require_known_parameters(const QueryParameters& params,
                              std::initializer_list<std::string_view> allowed) {
  for (auto it = params.begin(); it != params.end(); it = params.upper_bound(it->first)) {
    if (std::find(allowed.begin(), allowed.end(), it->first) == allowed.end())
      throw BadRequest("unknown parameter '" + printable(it->first) + "'");
    if (params.count(it->first) > 1) throw BadRequest("parameter '" + printable(it->first) + "' given twice");
  }
}

Reply FrequencyApi::health() const { return {200, {{"status", "ok"}, {"release", db_.info().version}}}; }

Reply FrequencyApi::release() const {
  const auto& info = db_.info();
  return {200,
          {{"format", info.format},
           {"version", info.version},
           {"created", info.created},
           {"genomap_version", info.genomap_version},
           {"content_hash", info.content_hash},
           {"variants", info.variant_ct},
           {"samples_counted", info.samples_counted},
           {"min_count", info.min_count},
           {"populations", db_.populations().size()},
           {"hidden_populations", info.hidden_populations.size()},
           {"parameters",
            {{"min_count", info.parameters.value("min_count", json())},
             {"min_population_size", info.parameters.value("min_population_size", json())},
             {"small_populations", info.parameters.value("small_populations", json())},
             {"keep_unobserved", info.parameters.value("keep_unobserved", json())},
             {"consent", info.parameters.value("consent", json())},
             {"assembly", info.parameters.value("assembly", json())}}},
           {"anonymous_frequency_decimals", limits_.frequency_decimals}}};
}

Reply FrequencyApi::populations() const {
  json list = json::array();
  for (const auto& p : db_.populations()) {
    json item = {{"name", p.name}, {"samples", p.sample_ct}, {"latitude", json()}, {"longitude", json()}};
    if (p.latitude) item["latitude"] = *p.latitude;
    if (p.longitude) item["longitude"] = *p.longitude;
    if (!p.merged_from.empty()) item["merged_from"] = p.merged_from;
    list.push_back(std::move(item));
  }
  return {200, {{"release", db_.info().version}, {"populations", std::move(list)}}};
}

json FrequencyApi::frequencies_json(const freqdb::ReleaseVariant& v, Tier tier) const {
  json list = json::array();
  const auto& pops = db_.populations();
  for (std::size_t p = 0; p < pops.size(); ++p) {
    const auto& c = v.counts[p];
    json item = {{"population", pops[p].name}};
    item["allele_frequency"] = c.allele_number
                                   ? json(rounded(static_cast<double>(c.alt_count) / c.allele_number,
                                                  tier == Tier::Anonymous ? limits_.frequency_decimals : 6))
                                   : json();
    if (tier == Tier::Controlled) {
      item["allele_count"] = c.alt_count;
      item["allele_number"] = c.allele_number;
      item["hom_alt_count"] = c.hom_alt_count;
    }
    list.push_back(std::move(item));
  }
  return list;
}

json FrequencyApi::variant_json(const freqdb::ReleaseVariant& v, Tier tier) const {
  return {{"chrom", v.chrom}, {"pos", v.pos}, {"id", v.id},
          {"ref", v.ref},     {"alt", v.alt}, {"frequencies", frequencies_json(v, tier)}};
}

Reply FrequencyApi::variant(std::string_view spec, const QueryParameters& params, Tier tier) const {
  require_known_parameters(params, {});
  std::vector<freqdb::ReleaseVariant> found;
  if (auto locus = parse_locus(spec)) {
    found = db_.find_at(locus->chrom, locus->pos, locus->ref, locus->alt, limits_.max_page);
  } else {
    found = db_.find_by_id(parse_variant_id(spec), limits_.max_page);
  }
  json body = {{"release", db_.info().version},
               {"tier", tier == Tier::Controlled ? "controlled" : "anonymous"},
               {"variants", json::array()}};
  for (const auto& v : found) body["variants"].push_back(variant_json(v, tier));
  if (found.empty()) {
    body["error"] = "variant not in this release";
    return {404, std::move(body)};
  }
  return {200, std::move(body)};
}

Reply FrequencyApi::region(std::string_view spec, const QueryParameters& params, Tier tier) const {
  require_known_parameters(params, {"limit", "after"});
  const Region r = parse_region(spec, limits_.max_region_span);
  std::size_t limit = limits_.default_page;
  if (auto text = single(params, "limit"))
    limit = static_cast<std::size_t>(
        parse_integer(*text, 1, static_cast<std::int64_t>(limits_.max_page), "limit"));
  freqdb::RegionCursor after{r.start, -1};
  if (auto text = single(params, "after")) after = parse_cursor(*text);
  const auto page = db_.region(r.chrom, r.start, r.end, after, limit);
  json body = {{"release", db_.info().version},
               {"tier", tier == Tier::Controlled ? "controlled" : "anonymous"},
               {"region", {{"chrom", r.chrom}, {"start", r.start}, {"end", r.end}}},
               {"variants", json::array()},
               {"next", page.next ? json(format_cursor(*page.next)) : json()}};
  for (const auto& v : page.variants) body["variants"].push_back(variant_json(v, tier));
  return {200, std::move(body)};
}

Reply FrequencyApi::beacon_info() const {
  const auto& info = db_.info();
  return {200,
          {{"meta",
            {{"beaconId", limits_.beacon_id},
             {"apiVersion", kBeaconApiVersion},
             {"returnedSchemas", json::array({{{"entityType", "info"}, {"schema", "beacon-info-v2.0.0"}}})}}},
           {"response",
            {{"id", limits_.beacon_id},
             {"name", "genomap allele-frequency release " + info.version},
             {"apiVersion", kBeaconApiVersion},
             {"environment", "prod"},
             {"organization", {{"id", limits_.organisation}, {"name", limits_.organisation}}},
             {"description",
              "Aggregate allele frequencies per population; no individual-level data. Counts are "
              "multiples of " +
                  std::to_string(info.min_count) + "."},
             {"version", info.version},
             {"createDateTime", info.created},
             {"updateDateTime", info.created}}}}};
}

Reply FrequencyApi::beacon_map(const std::string& base_url) const {
  return {200,
          {{"meta",
            {{"beaconId", limits_.beacon_id},
             {"apiVersion", kBeaconApiVersion},
             {"returnedSchemas", json::array({{{"entityType", "map"}, {"schema", "beacon-map-v2.0.0"}}})}}},
           {"response",
            {{"$schema",
              "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/"
              "configuration/beaconMapSchema.json"},
             {"endpointSets",
              {{"genomicVariant",
                {{"entryType", "genomicVariant"},
                 {"rootUrl", base_url + "/beacon/v2/g_variants"},
                 {"openAPIEndpointsDefinition", base_url + "/beacon/v2/map"}}}}}}}}};
}

json FrequencyApi::beacon_request_from_query(const QueryParameters& params) const {
  require_known_parameters(params, {"referenceName", "start", "end", "referenceBases", "alternateBases",
                                    "assemblyId", "requestedGranularity", "skip", "limit", "datasetIds"});
  json request = {{"requestParameters", json::object()}, {"pagination", json::object()}};
  for (const auto& [key, value] : params) {
    if (key == "requestedGranularity")
      request["requestedGranularity"] = value;
    else if (key == "skip" || key == "limit")
      request["pagination"][key] = value;
    else if (key == "start" || key == "end") {
      // Beacon GET gives a range either as start=S&end=E or as start=S1,S2 (fuzzy); the latter is not
      // offered.
      if (value.find(',') != std::string::npos)
        throw BadRequest(key + ": fuzzy (comma-separated) positions are not supported");
      request["requestParameters"][key] = value;
    } else
      request["requestParameters"][key] = value;
  }
  return request;
}

json FrequencyApi::beacon_request_from_body(std::string_view body) const {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) throw BadRequest("request body: expected a JSON object");
  const json query = parsed.value("query", json::object());
  if (!query.is_object()) throw BadRequest("query: expected an object");
  json request = {{"requestParameters", query.value("requestParameters", json::object())},
                  {"pagination", query.value("pagination", json::object())}};
  if (!request["requestParameters"].is_object()) throw BadRequest("requestParameters: expected an object");
  if (!request["pagination"].is_object()) throw BadRequest("pagination: expected an object");
  if (query.contains("requestedGranularity"))
    request["requestedGranularity"] = query["requestedGranularity"];
  else if (parsed.contains("meta") && parsed["meta"].is_object() &&
           parsed["meta"].contains("requestedGranularity"))
    request["requestedGranularity"] = parsed["meta"]["requestedGranularity"];
  for (const auto& [key, value] : request["requestParameters"].items()) {
    static const std::vector<std::string> known = {
        "referenceName", "start", "end", "referenceBases", "alternateBases", "assemblyId", "datasetIds"};
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw BadRequest("unknown request parameter '" + printable(key) + "'");
    if ((key == "start" || key == "end") && value.is_array()) {
      if (value.size() != 1) throw BadRequest(key + ": fuzzy (two-value) positions are not supported");
      request["requestParameters"][key] = value[0];
    }
  }
  return request;
}

json FrequencyApi::beacon_meta(const std::string& granularity, const json& received) const {
  return {{"beaconId", limits_.beacon_id},
          {"apiVersion", kBeaconApiVersion},
          {"returnedGranularity", granularity},
          {"receivedRequestSummary", received},
          {"returnedSchemas",
           json::array({{{"entityType", "genomicVariant"}, {"schema", "beacon-g_variant-v2.0.0"}}})}};
}

json FrequencyApi::beacon_record(const freqdb::ReleaseVariant& v, Tier tier) const {
  json frequencies = json::array();
  const auto& pops = db_.populations();
  for (std::size_t p = 0; p < pops.size(); ++p) {
    const auto& c = v.counts[p];
    json item = {{"population", pops[p].name},
                 {"alleleFrequency", c.allele_number
                                         ? rounded(static_cast<double>(c.alt_count) / c.allele_number,
                                                   tier == Tier::Anonymous ? limits_.frequency_decimals : 6)
                                         : 0.0}};
    if (tier == Tier::Controlled) {
      item["alleleCount"] = c.alt_count;
      item["alleleNumber"] = c.allele_number;
      item["alleleCountHomozygous"] = c.hom_alt_count;
      item["alleleCountHeterozygous"] = c.alt_count - 2 * c.hom_alt_count;
    }
    frequencies.push_back(std::move(item));
  }
  const bool snv = v.ref.size() == 1 && v.alt.size() == 1;
  return {{"variantInternalId", fmt::format("{}:{}:{}:{}", v.chrom, v.pos, v.ref, v.alt)},
          {"identifiers", {{"variantAlternativeIds", json::array({{{"id", v.id}}})}}},
          {"variation",
           {{"variantType", snv ? "SNP" : "INDEL"},
            {"referenceBases", v.ref},
            {"alternateBases", v.alt},
            {"location",
             {{"type", "SequenceLocation"},
              {"sequence_id", "chromosome:" + v.chrom},
              {"interval",
               {{"type", "SequenceInterval"},
                {"start", {{"type", "Number"}, {"value", v.pos - 1}}},
                {"end",
                 {{"type", "Number"}, {"value", v.pos - 1 + static_cast<std::int64_t>(v.ref.size())}}}}}}}}},
          {"frequencyInPopulations", json::array({{{"source", "genomap frequency release"},
                                                   {"sourceReference", "/v1/release"},
                                                   {"version", db_.info().version},
                                                   {"frequencies", std::move(frequencies)}}})}};
}

Reply FrequencyApi::beacon_variants(const json& request, Tier tier) const {
  const json& rp = request.at("requestParameters");
  std::string granularity = "boolean";
  if (request.contains("requestedGranularity")) {
    if (!request["requestedGranularity"].is_string())
      throw BadRequest("requestedGranularity: expected a string");
    granularity = request["requestedGranularity"].get<std::string>();
    if (granularity != "boolean" && granularity != "count" && granularity != "record")
      throw BadRequest("requestedGranularity: expected boolean, count or record");
  }
  if (!rp.contains("referenceName")) throw BadRequest("referenceName is required");
  if (!rp.contains("start")) throw BadRequest("start is required (0-based)");
  const std::string chrom = parse_chromosome(scalar_text(rp["referenceName"], "referenceName"));
  // Beacon v2 coordinates are 0-based: a variant at 1-based position P has start P - 1.
  const std::int64_t start =
      parse_integer(scalar_text(rp["start"], "start"), 0, (std::int64_t{1} << 31) - 2, "start");
  std::optional<std::string> ref, alt;
  if (rp.contains("referenceBases"))
    ref = parse_alleles(scalar_text(rp["referenceBases"], "referenceBases"), "referenceBases");
  if (rp.contains("alternateBases"))
    alt = parse_alleles(scalar_text(rp["alternateBases"], "alternateBases"), "alternateBases");
  if (rp.contains("assemblyId")) {
    const std::string assembly = scalar_text(rp["assemblyId"], "assemblyId");
    const json served = db_.info().parameters.value("assembly", json());
    if (served.is_string() && !served.get<std::string>().empty() && served.get<std::string>() != assembly)
      throw BadRequest("assemblyId '" + printable(assembly) + "': this beacon serves " +
                       served.get<std::string>());
  }
  std::size_t skip = 0, limit = limits_.default_page;
  const json& pg = request.at("pagination");
  if (pg.contains("skip"))
    skip = static_cast<std::size_t>(parse_integer(scalar_text(pg["skip"], "skip"), 0, 1'000'000, "skip"));
  if (pg.contains("limit"))
    limit = static_cast<std::size_t>(parse_integer(scalar_text(pg["limit"], "limit"), 1,
                                                   static_cast<std::int64_t>(limits_.max_page), "limit"));

  std::vector<freqdb::ReleaseVariant> matches;
  std::size_t total = 0;
  if (rp.contains("end")) {
    const std::int64_t end =
        parse_integer(scalar_text(rp["end"], "end"), 1, (std::int64_t{1} << 31) - 1, "end");
    if (end <= start) throw BadRequest("end must be greater than start (0-based, end exclusive)");
    if (end - start > limits_.max_region_span)
      throw BadRequest(
          fmt::format("range spans {} bp; at most {} per query", end - start, limits_.max_region_span));
    // Scan the range page by page, keeping the requested page; the scan stops at max_counted variants.
    freqdb::RegionCursor cursor{start + 1, -1};
    while (total < limits_.max_counted) {
      auto page =
          db_.region(chrom, start + 1, end, cursor, std::min<std::size_t>(1000, limits_.max_counted - total));
      for (auto& v : page.variants) {
        if ((ref && v.ref != *ref) || (alt && v.alt != *alt) || !observed(v)) continue;
        if (total >= skip && matches.size() < limit) matches.push_back(std::move(v));
        ++total;
      }
      if (!page.next) break;
      cursor = *page.next;
    }
    if (total >= limits_.max_counted)
      throw BadRequest(fmt::format("more than {} variants match; narrow the range", limits_.max_counted));
  } else {
    auto found = db_.find_at(chrom, start + 1, ref, alt, limits_.max_page);
    std::erase_if(found, [](const auto& v) { return !observed(v); });
    total = found.size();
    for (std::size_t i = skip; i < found.size() && matches.size() < limit; ++i)
      matches.push_back(std::move(found[i]));
  }
  json received = {{"apiVersion", kBeaconApiVersion},
                   {"requestedSchemas", json::array()},
                   {"pagination", {{"skip", skip}, {"limit", limit}}},
                   {"requestedGranularity", granularity},
                   {"requestParameters", rp}};
  json body = {{"meta", beacon_meta(granularity, received)}, {"responseSummary", {{"exists", total > 0}}}};
  if (granularity != "boolean") body["responseSummary"]["numTotalResults"] = total;
  if (granularity == "record") {
    json results = json::array();
    for (const auto& v : matches) results.push_back(beacon_record(v, tier));
    body["response"] = {{"resultSets", json::array({{{"id", "release-" + db_.info().version},
                                                     {"setType", "dataset"},
                                                     {"exists", total > 0},
                                                     {"resultsCount", total},
                                                     {"results", std::move(results)}}})}};
  }
  return {200, std::move(body)};
}

}  // namespace genomap::serve
