#include "genomap/freqdb/release_builder.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/core/utc_time.hpp"
#include "genomap/freqdb/release_storage.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/popstats/population_counts.hpp"

namespace genomap::freqdb {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    std::string field = line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
    if (!field.empty() && field.back() == '\r') field.pop_back();
    fields.push_back(std::move(field));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

std::vector<std::string> split_whitespace(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) fields.push_back(line.substr(i, j - i));
    i = j;
  }
  return fields;
}

double parse_coordinate(const std::string& text, double limit, const std::string& path, std::size_t line,
                        const char* what) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(value >= -limit && value <= limit))
    throw Error(path, line, fmt::format("{} '{}' is not a number in [-{}, {}]", what, text, limit, limit));
  return value;
}

// Removes the file when the build fails before the rename.
struct TemporaryFile {
  std::string path;
  bool keep = false;
  ~TemporaryFile() {
    if (!keep) std::remove(path.c_str());
  }
};

// Counts the dataset's variants per population in order, with males hemizygous on chromosome X (one allele
// per call; a heterozygous male call is not a call), as plink2 --freq / --geno-counts count X with the .fam's
// sexes. Runs of consecutive X and non-X variants are passed separately, so each block has one ploidy rule.
void for_each_ploidy_run(const Dataset& data, PopulationAssignment& counted, const Context& ctx,
                         const PopulationCountsSink& sink) {
  std::vector<char> males(data.sample_ct(), 0);
  for (std::size_t i = 0; i < data.sample_ct(); ++i) males[i] = data.sample(i).sex == 1;
  const std::vector<char> none;
  PopulationCounts counts;
  const std::size_t n = data.variant_ct();
  for (std::size_t begin = 0; begin < n;) {
    const bool x = data.variant(begin).chrom_code == kChromX;
    std::size_t end = begin + 1;
    while (end < n && (data.variant(end).chrom_code == kChromX) == x) ++end;
    for_each_block(
        data, ctx, default_block_variants(data, ctx), "count genotypes by population",
        [&](const GenotypeBlock& block) {
          count_block_by_population(block, counted.pop_of_sample, counted.pop_ct(), counts, ctx.threads,
                                    x ? males : none);
          sink(counts);
        },
        VariantRange{begin, end});
    begin = end;
  }
}

}  // namespace

PopulationPlaces read_population_places(const std::string& path) {
  LineReader reader(path);
  std::string line;
  int pop_col = -1, lat_col = -1, lon_col = -1;
  std::size_t columns = 0;
  bool tab_separated = false;  // a tab in the header: fields (a SOURCE text) may hold spaces
  PopulationPlaces places;
  while (reader.next(line)) {
    if (pop_col < 0) tab_separated = line.find('\t') != std::string::npos;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto fields = tab_separated ? split_tabs(line) : split_whitespace(line);
    if (pop_col < 0) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string name = fields[i];
        if (!name.empty() && name[0] == '#') name.erase(0, 1);
        if (name == "POP") pop_col = static_cast<int>(i);
        if (name == "LAT") lat_col = static_cast<int>(i);
        if (name == "LON") lon_col = static_cast<int>(i);
      }
      if (pop_col < 0 || lat_col < 0 || lon_col < 0)
        throw Error(path, reader.line_number(), "header must name the columns POP, LAT and LON");
      columns = fields.size();
      continue;
    }
    if (fields.size() != columns)
      throw Error(path, reader.line_number(),
                  fmt::format("{} columns, the header has {}", fields.size(), columns));
    PopulationPlace place{parse_coordinate(fields[lat_col], 90, path, reader.line_number(), "LAT"),
                          parse_coordinate(fields[lon_col], 180, path, reader.line_number(), "LON")};
    if (!places.emplace(fields[pop_col], place).second)
      throw Error(path, reader.line_number(), fmt::format("population '{}' listed twice", fields[pop_col]));
  }
  if (pop_col < 0) throw Error(path, 0, "empty file (expected a header naming POP, LAT and LON)");
  return places;
}

std::vector<ReleasePopulation> release_populations(const PopulationAssignment& labels,
                                                   const PopulationPlaces& places,
                                                   const ReleaseBuildOptions& options,
                                                   std::vector<std::int32_t>& pop_of_sample,
                                                   std::vector<std::string>& hidden) {
  std::vector<ReleasePopulation> out;
  std::vector<std::int32_t> release_index(labels.pop_ct(), -1);
  std::vector<std::size_t> small;
  for (std::size_t p = 0; p < labels.pop_ct(); ++p) {
    if (labels.sizes[p] >= options.min_population_size) {
      release_index[p] = static_cast<std::int32_t>(out.size());
      ReleasePopulation pop{labels.names[p], labels.sizes[p], std::nullopt, std::nullopt, {}};
      if (auto it = places.find(pop.name); it != places.end()) {
        pop.latitude = it->second.latitude;
        pop.longitude = it->second.longitude;
      }
      out.push_back(std::move(pop));
    } else {
      small.push_back(p);
    }
  }
  if (options.small_populations == SmallPopulationRule::Merge && !small.empty()) {
    ReleasePopulation merged{options.merged_name, 0, std::nullopt, std::nullopt, {}};
    for (std::size_t p : small) {
      merged.sample_ct += labels.sizes[p];
      merged.merged_from.push_back(labels.names[p]);
    }
    for (const auto& pop : out)
      if (pop.name == merged.name)
        throw Error(fmt::format("the merged group's name '{}' is also a population's name", merged.name));
    if (merged.sample_ct >= options.min_population_size) {
      for (std::size_t p : small) release_index[p] = static_cast<std::int32_t>(out.size());
      small.clear();
      out.push_back(std::move(merged));
    }
  }
  for (std::size_t p : small) hidden.push_back(labels.names[p]);
  pop_of_sample.assign(labels.pop_of_sample.size(), -1);
  for (std::size_t i = 0; i < labels.pop_of_sample.size(); ++i)
    if (labels.pop_of_sample[i] >= 0)
      pop_of_sample[i] = release_index[static_cast<std::size_t>(labels.pop_of_sample[i])];
  return out;
}

ReleaseBuildSummary build_release(const Dataset& data, const PopulationAssignment& labels,
                                  const PopulationPlaces& places, const ReleaseBuildOptions& options,
                                  const std::string& out_path, const Context& ctx) {
  if (options.min_count < 1) throw UsageError("the minimum count must be at least 1");
  if (options.min_population_size < 1) throw UsageError("the minimum population size must be at least 1");
  if (options.version.empty()) throw UsageError("a release needs a version");
  ReleaseBuildSummary summary;
  PopulationAssignment counted;
  summary.populations = release_populations(labels, places, options, counted.pop_of_sample, summary.hidden);
  if (summary.populations.empty())
    throw Error(fmt::format("no population has at least {} samples (the minimum population size)",
                            options.min_population_size));
  for (const auto& p : summary.populations) {
    counted.names.push_back(p.name);
    counted.sizes.push_back(p.sample_ct);
    summary.samples_counted += p.sample_ct;
  }

  TemporaryFile temp{fmt::format("{}.tmp.{}", out_path, ::getpid())};
  std::remove(temp.path.c_str());
  {
    SqliteFile db(temp.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;");
    db.exec(kReleaseSchema);
    db.exec("BEGIN");
    ContentHasher hasher;
    {
      SqliteStatement insert_pop(db, "INSERT INTO population VALUES (?, ?, ?, ?, ?, ?)");
      for (std::size_t p = 0; p < summary.populations.size(); ++p) {
        const auto& pop = summary.populations[p];
        insert_pop.bind(1, static_cast<std::int64_t>(p));
        insert_pop.bind(2, pop.name);
        insert_pop.bind(3, static_cast<std::int64_t>(pop.sample_ct));
        pop.latitude ? insert_pop.bind(4, *pop.latitude) : insert_pop.bind_null(4);
        pop.longitude ? insert_pop.bind(5, *pop.longitude) : insert_pop.bind_null(5);
        insert_pop.bind(6, nlohmann::json(pop.merged_from).dump());
        insert_pop.run();
        hasher.add_population(pop);
      }
    }
    SqliteStatement insert_variant(db, "INSERT INTO variant VALUES (?, ?, ?, ?, ?, ?, ?)");
    std::vector<PublishedCounts> row(summary.populations.size());
    const std::size_t pop_ct = row.size();
    for_each_ploidy_run(data, counted, ctx, [&](const PopulationCounts& block) {
      for (std::size_t v = 0; v < block.variant_ct; ++v) {
        bool observed = false;
        for (std::size_t p = 0; p < pop_ct; ++p) {
          const std::size_t at = block.at(v, p);
          if (block.haploid.empty()) {
            row[p] = publish_counts(block.called[at], block.het[at], block.allele1[at], options.min_count);
          } else {
            const std::uint32_t hap = block.haploid[at], hap_alt = block.haploid_allele1[at];
            row[p] = publish_counts(block.called[at] - hap, block.het[at], block.allele1[at] - hap_alt, hap,
                                    hap_alt, options.min_count);
          }
          observed = observed || row[p].alt_count > 0;
        }
        if (!observed && !options.keep_unobserved) {
          ++summary.unobserved_dropped;
          continue;
        }
        const Variant& var = data.variant(block.first_variant + v);
        const std::string chrom = chromosome_name(var.chrom_code, var.chrom);
        const std::string packed = pack_counts(row);
        insert_variant.bind(1, static_cast<std::int64_t>(summary.variant_ct));
        insert_variant.bind(2, chrom);
        insert_variant.bind(3, var.pos);
        insert_variant.bind(4, var.id);
        insert_variant.bind(5, var.allele2);
        insert_variant.bind(6, var.allele1);
        insert_variant.bind_blob(7, packed);
        insert_variant.run();
        hasher.add_variant(chrom, var.pos, var.id, var.allele2, var.allele1, packed);
        ++summary.variant_ct;
      }
    });
    summary.content_hash = hasher.finish();
    db.exec(
        "CREATE INDEX variant_by_id ON variant(id); CREATE INDEX variant_by_position ON variant(chrom, "
        "pos);");
    nlohmann::json parameters = options.parameters;
    parameters["min_count"] = options.min_count;
    parameters["min_population_size"] = options.min_population_size;
    parameters["small_populations"] =
        options.small_populations == SmallPopulationRule::Merge ? "merge" : "hide";
    parameters["keep_unobserved"] = options.keep_unobserved;
    const std::vector<std::pair<std::string, std::string>> facts = {
        {"format", kReleaseFormat},
        {"version", options.version},
        {"created", utc_now_iso8601()},
        {"genomap_version", GENOMAP_VERSION},
        {"content_hash", summary.content_hash},
        {"min_count", std::to_string(options.min_count)},
        {"variant_ct", std::to_string(summary.variant_ct)},
        {"samples_counted", std::to_string(summary.samples_counted)},
        {"hidden_populations", nlohmann::json(summary.hidden).dump()},
        {"parameters", parameters.dump()}};
    SqliteStatement insert_fact(db, "INSERT INTO release VALUES (?, ?)");
    for (const auto& [key, value] : facts) {
      insert_fact.bind(1, key);
      insert_fact.bind(2, value);
      insert_fact.run();
    }
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode = DELETE; VACUUM; PRAGMA query_only = ON;");
  }
  std::error_code ec;
  std::filesystem::rename(temp.path, out_path, ec);
  if (ec) throw Error(out_path, 0, "cannot move the release into place: " + ec.message());
  temp.keep = true;
  ctx.note(
      fmt::format("release {}: {} populations ({} hidden), {} samples counted, {} variants written, {} "
                  "unobserved dropped, content {}",
                  options.version, summary.populations.size(), summary.hidden.size(), summary.samples_counted,
                  summary.variant_ct, summary.unobserved_dropped, summary.content_hash));
  return summary;
}

}  // namespace genomap::freqdb
