// libFuzzer targets for every parser a user can feed genomap. One binary; the environment variable
// GENOMAP_FUZZ_TARGET picks the parser (scripts/fuzz.sh runs each with its corpus in fuzz/corpus/TARGET).
//
// A parser may refuse its input only with genomap::Error (which carries the one-line message the user sees);
// any other exception, a crash, a leak or undefined behaviour (the build adds AddressSanitizer and UBSan) is a
// finding. Each input is written to a file in a private temporary folder and read from there, as a user's
// file would be.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "genomap/assoc/glm_files.hpp"
#include "genomap/assoc/polygenic_score.hpp"
#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/dist/split.hpp"
#include "genomap/geno/dataset.hpp"
#include "genomap/geno/eigenstrat.hpp"
#include "genomap/geno/genotype_store.hpp"
#include "genomap/geno/population_labels.hpp"
#include "genomap/geno/sample_table.hpp"
#include "genomap/geno/variant_table.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/pipeline/report_data.hpp"
#include "genomap/pipeline/step_cache.hpp"
#include "genomap/popstats/fstats.hpp"
#include "genomap/qc/filters.hpp"
#include "genomap/registry/eligibility.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/sim/pulse_families.hpp"
#include "genomap/sim/pulse_simulation.hpp"
#include "genomap/vcf/vcf_import.hpp"

namespace {

namespace fs = std::filesystem;
using genomap::Error;

std::string g_dir;  // private scratch folder
std::function<void(const std::string&)> g_target;

std::string write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = g_dir + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A valid fileset of 4 samples and 3 variants (the companion of fuzzed tables and of a fuzzed .bed).
const char* kFam = "F1 S1 0 0 1 -9\nF2 S2 0 0 2 -9\nF3 S3 0 0 1 -9\nF4 S4 0 0 2 -9\n";
const char* kBim = "1\trs1\t0\t100\tA\tG\n1\trs2\t0.5\t200\tC\tT\n2\trs3\t0\t300\tG\tA\n";
const unsigned char kBed[] = {0x6c, 0x1b, 0x01, 0x1b, 0x6c, 0x00};

std::string write_fileset(const std::string& prefix, const std::string& bed) {
  write_text(prefix + ".fam", kFam);
  write_text(prefix + ".bim", kBim);
  write_text(prefix + ".bed", bed);
  return prefix;
}

// Opened once per process: the tables are fuzzed against it.
const genomap::Dataset& reference_dataset() {
  static const genomap::Dataset data = [] {
    const std::string prefix =
        write_fileset(g_dir + "/ref", std::string(reinterpret_cast<const char*>(kBed), sizeof kBed));
    auto store = std::make_shared<const genomap::GenotypeStore>(genomap::GenotypeStore::open_bfile(prefix));
    return genomap::Dataset::whole(store);
  }();
  return data;
}

void read_eigenstrat_with(const std::string& fuzzed_ext, const std::string& fuzzed) {
  const std::string prefix = g_dir + "/es";
  const std::pair<const char*, const char*> valid[] = {
      {".ind", "S1 M A\nS2 F A\nS3 M B\nS4 F B\n"},
      {".snp", "rs1 1 0.0 100 A G\nrs2 1 0.005 200 C T\nrs3 2 0.0 300 G A\n"},
      {".geno", "0129\n2210\n1100\n"}};
  for (const auto& [ext, text] : valid)
    if (fuzzed_ext != ext) write_text(prefix + ext, text);
  fs::rename(fuzzed, prefix + fuzzed_ext);
  genomap::EigenstratReader r(prefix);
  r.for_each_variant({}, [](std::size_t, const std::uint8_t*) {});
}

std::map<std::string, std::function<void(const std::string&)>> targets() {
  std::map<std::string, std::function<void(const std::string&)>> t;
  t["bim"] = [](const std::string& p) { genomap::read_bim(p); };
  t["fam"] = [](const std::string& p) { genomap::read_fam(p); };
  t["bed"] = [](const std::string& p) {
    // The fuzzed bytes are the .bed of a valid .bim/.fam; every row that opens is decoded.
    const std::string prefix = g_dir + "/fuzzed";
    write_text(prefix + ".fam", kFam);
    write_text(prefix + ".bim", kBim);
    fs::rename(p, prefix + ".bed");
    auto store = std::make_shared<const genomap::GenotypeStore>(genomap::GenotypeStore::open_bfile(prefix));
    const genomap::Dataset data = genomap::Dataset::whole(store);
    std::uint64_t row[1];
    unsigned sum = 0;
    for (std::size_t v = 0; v < data.variant_ct(); ++v) {
      data.samples.compact_row(store->variant_row(data.variant_uidx[v]), row);
      sum += static_cast<unsigned>(row[0] & 0xff);
    }
    if (sum == 12345) std::abort();  // keeps the reads from being optimised away
  };
  t["pop"] = [](const std::string& p) {
    const genomap::Dataset& data = reference_dataset();
    genomap::read_population_labels(p, data);
  };
  t["keep"] = [](const std::string& p) {
    const genomap::SampleTable samples = genomap::read_fam(reference_dataset().store->fam_path());
    genomap::read_sample_id_file(p, samples);
  };
  t["extract"] = [](const std::string& p) { genomap::read_variant_id_file(p); };
  t["pheno"] = [](const std::string& p) {
    const genomap::Dataset& data = reference_dataset();
    genomap::Context ctx;
    genomap::read_glm_phenotypes(p, {}, data, false, ctx);
  };
  t["covar"] = [](const std::string& p) {
    const genomap::Dataset& data = reference_dataset();
    genomap::Context ctx;
    genomap::read_glm_covariates(p, {}, data, ctx);
  };
  t["score"] = [](const std::string& p) {
    const genomap::Dataset& data = reference_dataset();
    genomap::read_score_weights(p, data, genomap::ScoreColumns{});
  };
  // A fuzzed .ind, .snp or .geno beside valid other two (3 variants x 4 samples, text .geno).
  t["eigenstrat_ind"] = [](const std::string& p) { read_eigenstrat_with(".ind", p); };
  t["eigenstrat_snp"] = [](const std::string& p) { read_eigenstrat_with(".snp", p); };
  t["eigenstrat_geno"] = [](const std::string& p) { read_eigenstrat_with(".geno", p); };
  t["coordinates"] = [](const std::string& p) { genomap::read_population_coordinates(p); };
  t["fstats_list"] = [](const std::string& p) {
    const genomap::PopulationAssignment pops = genomap::assign_populations({"A", "A", "B", "C"});
    genomap::read_statistic_file(genomap::StatisticKind::F4, p, pops);
  };
  t["vcf"] = [](const std::string& p) {
    genomap::VcfImportOptions o;
    o.path = p;
    genomap::OutputSet outputs(g_dir + "/vcfout");
    genomap::Context ctx;
    genomap::import_vcf(o, outputs, ctx);  // never committed: the temporaries are removed with the set
  };
  t["split_manifest"] = [](const std::string& p) { genomap::read_split_manifest(p); };
  t["eligibility_rules"] = [](const std::string& p) { genomap::registry::read_rules(p); };
  t["registry_csv"] = [](const std::string& p) {
    const std::string db_path = g_dir + "/registry.db";
    fs::remove(db_path);
    fs::remove(db_path + "-wal");
    fs::remove(db_path + "-shm");
    auto db = genomap::registry::create_registry(db_path, "fuzz");
    genomap::registry::import_csv(*db, genomap::registry::RecordType::Donor, p, "fuzz");
  };
  t["analyze_manifest"] = [](const std::string& p) {
    const std::string dir = g_dir + "/cache";
    fs::create_directories(dir);
    fs::rename(p, dir + "/analyze.manifest.json");
    genomap::Context ctx;
    genomap::StepCache cache(dir, ctx);
    cache.lookup("qc", "0");
    cache.files("qc");
  };
  t["pulse_spec"] = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    genomap::parse_pulse(text);
    genomap::parse_family_requests(text, "--relatives");
  };
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* name = std::getenv("GENOMAP_FUZZ_TARGET");
  auto all = targets();
  if (!name || !all.count(name)) {
    std::fprintf(stderr, "genomap_fuzz: set GENOMAP_FUZZ_TARGET to one of:");
    for (const auto& [n, f] : all) std::fprintf(stderr, " %s", n.c_str());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  g_target = all[name];
  char tmpl[] = "/tmp/genomap_fuzz.XXXXXX";
  if (!mkdtemp(tmpl)) std::exit(2);
  g_dir = tmpl;
  std::atexit([] { std::error_code ec; fs::remove_all(g_dir, ec); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = write_input("input", data, size);
  try {
    g_target(path);
  } catch (const Error&) {
    // A refusal with a message: what bad input must get.
  }
  std::error_code ec;
  fs::remove(path, ec);
  return 0;
}
