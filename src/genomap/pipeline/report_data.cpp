#include "genomap/pipeline/report_data.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "genomap/admix/cluster_alignment.hpp"
#include "genomap/core/error.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/relate/king.hpp"

namespace genomap {

using nlohmann::json;

std::map<std::string, PopulationPlace> read_population_coordinates(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::map<std::string, PopulationPlace> places;
  bool first = true;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty()) continue;
    const bool header = first && (f[0] == "POP" || f[0] == "#POP");
    first = false;
    if (header || f[0].starts_with('#')) continue;
    if (f.size() < 3) reader.fail(fmt::format("expected POP LAT LON, found {} column(s)", f.size()));
    double lat = 0, lon = 0;
    if (!parse_double(f[1], lat) || !std::isfinite(lat))
      reader.fail("latitude '" + std::string(f[1]) + "' is not a number");
    if (!parse_double(f[2], lon) || !std::isfinite(lon))
      reader.fail("longitude '" + std::string(f[2]) + "' is not a number");
    if (lat < -90 || lat > 90) reader.fail(fmt::format("latitude {} out of range [-90, 90]", f[1]));
    if (lon < -180 || lon > 180) reader.fail(fmt::format("longitude {} out of range [-180, 180]", f[2]));
    const std::string name(f[0]);
    if (places.count(name)) reader.fail("population '" + name + "' listed twice");
    PopulationPlace place{lat, lon, {}};
    for (std::size_t i = 3; i < f.size(); ++i) {
      if (i > 3) place.source.push_back(' ');
      place.source += f[i];
    }
    places[name] = place;
  }
  return places;
}

std::vector<std::string> read_population_order(const std::string& path) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> names;
  while (reader.next(line)) {
    const auto f = split_whitespace(line);
    if (f.empty() || f[0].starts_with('#')) continue;
    if (std::find(names.begin(), names.end(), f[0]) != names.end())
      reader.fail("population '" + std::string(f[0]) + "' listed twice");
    names.emplace_back(f[0]);
  }
  return names;
}

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// uidx -> position among the QC samples.
std::map<std::uint32_t, std::size_t> sample_positions(const Dataset& qc) {
  std::map<std::uint32_t, std::size_t> pos;
  for (std::size_t i = 0; i < qc.sample_ct(); ++i) pos[qc.samples.uidx(i)] = i;
  return pos;
}

json dataset_section(const ReportInputs& in) {
  std::vector<std::size_t> sizes(in.population_order.size(), 0);
  std::size_t unassigned = 0;
  for (auto p : in.pop_of_sample) {
    if (p < 0)
      ++unassigned;
    else
      ++sizes[static_cast<std::size_t>(p)];
  }
  json pops = json::array();
  for (std::size_t p = 0; p < in.population_order.size(); ++p) {
    json entry = {{"name", in.population_order[p]}, {"n", sizes[p]}};
    const auto place = in.places.find(in.population_order[p]);
    if (place != in.places.end()) {
      entry["lat"] = place->second.lat;
      entry["lon"] = place->second.lon;
      entry["source"] = place->second.source;
    }
    pops.push_back(entry);
  }
  return {{"name", in.title},
          {"source", in.source},
          {"samples_before", in.samples_before},
          {"variants_before", in.variants_before},
          {"samples_after", in.qc->sample_ct()},
          {"variants_after", in.qc->variant_ct()},
          {"exclusions", in.exclusions},
          {"populations", pops},
          {"unassigned", unassigned}};
}

json samples_section(const ReportInputs& in) {
  json fid = json::array(), iid = json::array(), pop = json::array();
  for (std::size_t i = 0; i < in.qc->sample_ct(); ++i) {
    fid.push_back(in.qc->sample(i).fid);
    iid.push_back(in.qc->sample(i).iid);
    const auto p = in.pop_of_sample[i];
    pop.push_back(p < 0 ? json(nullptr) : json(in.population_order[static_cast<std::size_t>(p)]));
  }
  return {{"fid", fid}, {"iid", iid}, {"pop", pop}};
}

json qc_section(const ReportInputs& in) {
  const json& r = *in.qc_result;
  std::map<std::uint32_t, std::size_t> selected;
  const auto uidx = r.at("selected_sample_uidx").get<std::vector<std::uint32_t>>();
  for (std::size_t i = 0; i < uidx.size(); ++i) selected[uidx[i]] = i;
  const auto missing = r.at("missing_rate").get<std::vector<double>>();
  const auto het = r.at("het_f").get<std::vector<double>>();
  std::vector<double> m, f;
  for (std::size_t i = 0; i < in.qc->sample_ct(); ++i) {
    const std::size_t s = selected.at(in.qc->samples.uidx(i));
    m.push_back(missing[s]);
    f.push_back(het[s]);
  }
  return {{"missing_rate", m}, {"het_f", f}, {"hwe_failed", r.at("hwe_failed")}};
}

json pca_section(const ReportInputs& in) {
  const json& r = *in.pca_result;
  const auto pos = sample_positions(*in.qc);
  const auto eigenvalues = r.at("eigenvalues").get<std::vector<double>>();
  const std::size_t k = eigenvalues.size();
  std::vector<std::vector<double>> pcs(k, std::vector<double>(in.qc->sample_ct(), kNan));
  std::vector<bool> projected(in.qc->sample_ct(), false);
  auto place = [&](const char* uidx_key, const char* scores_key, bool is_projected) {
    const auto uidx = r.at(uidx_key).get<std::vector<std::uint32_t>>();
    const json& scores = r.at(scores_key);
    for (std::size_t i = 0; i < uidx.size(); ++i) {
      const std::size_t s = pos.at(uidx[i]);
      projected[s] = is_projected;
      for (std::size_t c = 0; c < k && c < scores.size(); ++c) pcs[c][s] = scores[c][i].get<double>();
    }
  };
  place("unrelated_uidx", "unrelated_scores", false);
  place("relative_uidx", "relative_scores", true);
  // The relationship matrix has trace about N (each standardized sample's self-relationship is about 1), so
  // an eigenvalue over N is the share of variance its PC explains.
  const double n = static_cast<double>(r.at("unrelated_uidx").size());
  std::vector<double> explained;
  for (double e : eigenvalues) explained.push_back(e / n);
  return {{"eigenvalues", eigenvalues},
          {"variance_explained", explained},
          {"pcs", pcs},
          {"projected", projected}};
}

RowMatrix q_matrix(const json& columns) {
  const std::size_t k = columns.size();
  const std::size_t n = k ? columns[0].size() : 0;
  RowMatrix q(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t i = 0; i < n; ++i)
      q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = columns[c][i];
  return q;
}

json admixture_section(const ReportInputs& in) {
  std::vector<RowMatrix> qs;
  for (const json* r : in.admixture_results) qs.push_back(q_matrix(r->at("q")));
  const auto aligned = align_cluster_series(qs);
  json ks = json::array();
  double best_cv = std::numeric_limits<double>::infinity();
  json best_k = nullptr;
  for (std::size_t s = 0; s < aligned.size(); ++s) {
    const json& r = *in.admixture_results[s];
    json q = json::array();
    for (Eigen::Index c = 0; c < aligned[s].q.cols(); ++c) {
      // Element by element: Q is row-major, so a column is strided in memory.
      std::vector<double> col(static_cast<std::size_t>(aligned[s].q.rows()));
      for (Eigen::Index i = 0; i < aligned[s].q.rows(); ++i)
        col[static_cast<std::size_t>(i)] = aligned[s].q(i, c);
      q.push_back(col);
    }
    const double cv = r.at("cv_error").is_number() ? r.at("cv_error").get<double>() : kNan;
    if (cv < best_cv) {
      best_cv = cv;
      best_k = aligned[s].k;
    }
    ks.push_back({{"k", aligned[s].k},
                  {"loglik", r.at("loglik")},
                  {"cv_error", std::isnan(cv) ? json(nullptr) : json(cv)},
                  {"starts", r.at("starts")},
                  {"q", q},
                  {"colour", aligned[s].colour}});
  }
  return {{"ks", ks}, {"best_k", best_k}};
}

json kinship_section(const ReportInputs& in) {
  const json& pairs = in.kinship_result->at("pairs");
  const auto& samples = in.qc->store->samples();
  json iid1 = json::array(), iid2 = json::array(), degree = json::array();
  for (std::size_t p = 0; p < pairs.at("uidx1").size(); ++p) {
    iid1.push_back(samples[pairs["uidx1"][p].get<std::uint32_t>()].iid);
    iid2.push_back(samples[pairs["uidx2"][p].get<std::uint32_t>()].iid);
    const double ibs0 = pairs["ibs0"][p].is_number() ? pairs["ibs0"][p].get<double>() : kNan;
    degree.push_back(king_degree_number(king_degree(pairs["kinship"][p].get<double>(), ibs0)));
  }
  return {{"pairs",
           {{"iid1", iid1},
            {"iid2", iid2},
            {"kinship", pairs.at("kinship")},
            {"ibs0", pairs.at("ibs0")},
            {"degree", degree}}},
          {"bands", {0.354, 0.177, 0.0884, 0.0442}},
          {"unrelated_n", in.kinship_result->at("unrelated_uidx").size()}};
}

json fst_section(const ReportInputs& in) {
  const json& fst = in.popstats_result->at("fst");
  const auto& names = in.population_order;
  std::map<std::string, std::size_t> index;
  for (std::size_t p = 0; p < names.size(); ++p) index[names[p]] = p;
  json matrix = json::array(), se = json::array();
  for (std::size_t a = 0; a < names.size(); ++a) {
    json row(json::value_t::array), se_row(json::value_t::array);
    for (std::size_t b = 0; b < names.size(); ++b) {
      row.push_back(a == b ? json(0.0) : json(nullptr));
      se_row.push_back(a == b ? json(0.0) : json(nullptr));
    }
    matrix.push_back(row);
    se.push_back(se_row);
  }
  for (std::size_t p = 0; p < fst.at("pop1").size(); ++p) {
    const auto a = index.find(fst["pop1"][p].get<std::string>());
    const auto b = index.find(fst["pop2"][p].get<std::string>());
    if (a == index.end() || b == index.end()) continue;
    matrix[a->second][b->second] = matrix[b->second][a->second] = fst["fst"][p];
    se[a->second][b->second] = se[b->second][a->second] = fst["se"][p];
  }
  return {{"pops", names}, {"matrix", matrix}, {"se", se}};
}

// With an outgroup the section holds the outgroup f3(O; A, B) (the page reads them as such); otherwise the
// admixture f3 of every triple. Both are in the .fstats file.
json f3_section(const ReportInputs& in) {
  const json& all = in.popstats_result->at("f3");
  const bool want_outgroup = !in.outgroup.empty();
  json f3 = {{"target", json::array()}, {"a", json::array()},  {"b", json::array()},
             {"f3", json::array()},     {"se", json::array()}, {"z", json::array()}};
  for (std::size_t i = 0; i < all.at("target").size(); ++i) {
    if (all.at("outgroup_f3")[i].get<bool>() != want_outgroup) continue;
    for (const char* key : {"target", "a", "b", "f3", "se", "z"}) f3[key].push_back(all.at(key)[i]);
  }
  f3["outgroup"] = want_outgroup ? json(in.outgroup) : json(nullptr);
  return f3;
}

// The first phenotype's P of every QC'd variant (the others are in their .glm files); all variants are kept
// (the page draws them on a canvas).
json gwas_section(const ReportInputs& in) {
  const json& result = *in.gwas_result;
  const json& first = result.at("phenotypes").at(0);
  json gwas = {{"chrom", json::array()}, {"pos", json::array()}, {"id", json::array()}, {"p", first.at("p")}};
  const auto& variants = in.qc->store->variants();
  for (const auto& uidx : result.at("variant_uidx")) {
    const Variant& v = variants[uidx.get<std::uint32_t>()];
    gwas["chrom"].push_back(v.chrom);
    gwas["pos"].push_back(v.pos);
    gwas["id"].push_back(v.id);
  }
  gwas["lambda"] = first.at("lambda");
  gwas["phenotype"] = first.at("name");
  gwas["model"] = first.at("model");
  gwas["covariates"] = result.at("covariates");
  json others = json::array();
  for (std::size_t i = 1; i < result.at("phenotypes").size(); ++i)
    others.push_back(result.at("phenotypes")[i].at("name"));
  gwas["other_phenotypes"] = others;
  return gwas;
}

}  // namespace

json build_report_data(const ReportInputs& in) {
  json doc = {{"schema", "genomap-report/1"}, {"title", in.title}};
  doc["dataset"] = dataset_section(in);
  doc["samples"] = samples_section(in);
  if (in.qc_result) doc["qc"] = qc_section(in);
  if (in.pca_result) doc["pca"] = pca_section(in);
  if (!in.admixture_results.empty()) doc["admixture"] = admixture_section(in);
  if (in.kinship_result) doc["kinship"] = kinship_section(in);
  if (in.popstats_result) {
    doc["fst"] = fst_section(in);
    doc["f3"] = f3_section(in);
  }
  if (in.gwas_result) doc["gwas"] = gwas_section(in);
  if (in.qpadm_result) doc["qpadm"] = *in.qpadm_result;
  if (in.dates_result) doc["dates"] = *in.dates_result;
  if (in.ibd_result) doc["ibd"] = *in.ibd_result;
  if (in.consent) doc["consent"] = *in.consent;
  doc["provenance"] = in.provenance;
  return doc;
}

void write_report(const nlohmann::json& data, const std::string& path) {
  // The data element as the report module embeds it: "</" escaped so no string can close the script element.
  std::string text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/')
      escaped += "<\\";
    else
      escaped.push_back(text[i]);
  }
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>genomap report: " +
      data.value("title", std::string()) +
      "</title></head><body>\n<h1>genomap analyze</h1>\n<p>This build has no report scripts; the report's "
      "data is "
      "in the element below and in report-data.json.</p>\n<script type=\"application/json\" "
      "id=\"genomap-data\">" +
      escaped + "</script>\n</body></html>\n";
  OutputFile out(path);
  out.write(page);
  out.commit();
}

}  // namespace genomap
