// The report's data document (docs/report-data.md, "genomap-report/1"): the steps' results gathered into the
// JSON the report page draws, and the seam that turns it into report.html.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "genomap/core/context.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/population_labels.hpp"

namespace genomap {

struct PopulationPlace {
  double lat = 0, lon = 0;
  std::string source;
};

// Reads POP LAT LON [SOURCE...] lines (an optional header starting with POP or #POP; '#' lines skipped).
// Latitude must lie in [-90, 90] and longitude in [-180, 180]; a bad line is an Error naming file and line.
std::map<std::string, PopulationPlace> read_population_coordinates(const std::string& path);

// Reads one population name per line (blank and '#' lines skipped).
std::vector<std::string> read_population_order(const std::string& path);

// Everything the document is made of, as the pipeline's steps left it.
struct ReportInputs {
  std::string title, source;
  const Dataset* qc = nullptr;  // the analysed samples and variants
  std::size_t samples_before = 0, variants_before = 0;
  nlohmann::json exclusions = nlohmann::json::array();
  std::vector<std::string> population_order;  // names, in report order
  std::vector<std::int32_t> pop_of_sample;    // per QC sample: index into population_order, -1 none
  std::map<std::string, PopulationPlace> places;
  const nlohmann::json* qc_result = nullptr;
  const nlohmann::json* kinship_result = nullptr;
  const nlohmann::json* pca_result = nullptr;
  std::vector<const nlohmann::json*> admixture_results;  // ascending K
  const nlohmann::json* popstats_result = nullptr;
  const nlohmann::json* gwas_result = nullptr;   // absent without --pheno
  const nlohmann::json* qpadm_result = nullptr;  // absent without --qpadm-right
  const nlohmann::json* dates_result = nullptr;  // absent with --no-dating
  const nlohmann::json* ibd_result = nullptr;    // absent with --no-ibd
  std::string outgroup;
  std::optional<nlohmann::json> consent;
  nlohmann::json provenance;
};

nlohmann::json build_report_data(const ReportInputs& inputs);

// Writes the report page for `data` to `path`. (The page's scripts come from the report module; until it is
// part of the build this writes a plain page that carries the same data element.)
void write_report(const nlohmann::json& data, const std::string& path);

}  // namespace genomap
