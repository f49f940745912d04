// Every error message a user can reach from the command line, asserted whole (see error_cases.hpp): options
// of simulate, prune, admix, fst, fstats, freq, date, glm, score, qpadm, freqdb, serve, analyze and the
// registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "error_cases.hpp"
#include "test_support.hpp"

namespace genomap::test {

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

std::string case_name(const ::testing::TestParamInfo<ErrorCase>& case_info) { return case_info.param.name; }

namespace {

// Today's date in UTC (YYYY-MM-DD), as the registry checks dates against it.
std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

std::string substitute(std::string text, const std::string& dir) {
  const std::pair<std::string, std::string> values[] = {
      {"{P}", data_path("hapmap3_admixture/hapmap3_populations.tsv")},
      {"{B}", data_path("hapmap3_admixture/hapmap3")},
      {"{D}", dir},
      {"{TODAY}", today_utc()}};
  for (const auto& [key, value] : values)
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

}  // namespace

TEST_P(ErrorMessages, OneClearLineAndNoOutput) {
  const ErrorCase& c = GetParam();
  const std::string dir = scratch_dir("error_" + c.name);
  write_text(dir + "/dup.pop", "IID\tPOP\nNA19916\tASW\nNA19916\tCEU\n");
  write_text(dir + "/nocol.pop", "IID\tGROUP\nNA19916\tASW\n");
  write_text(dir + "/ids.txt", "x\n");
  write_text(dir + "/ph.txt", "FID IID Y\nx y 1\n");
  const auto write_files = [&] {
    for (const auto& [name, text] : c.files) {
      std::filesystem::create_directories(std::filesystem::path(dir + "/" + name).parent_path());
      write_text(dir + "/" + name, substitute(text, dir));
    }
  };
  write_files();
  for (const std::string& step : c.setup) {
    const CommandResult s = run_genomap(substitute(step, dir));
    ASSERT_EQ(s.exit_code, 0) << step << ": " << s.output;
  }
  write_files();  // again over what the set-up wrote
  const auto files_now = [&] {
    // A registry read leaves SQLite's -wal and -shm beside the database whether it succeeds or not: not
    // outputs.
    auto names = list_files(dir);
    std::erase_if(names, [](const std::string& n) { return n.ends_with("-wal") || n.ends_with("-shm"); });
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto before = files_now();
  const CommandResult r = run_genomap(substitute(c.args, dir) + (c.no_out ? "" : " --out " + dir + "/o"));
  EXPECT_EQ(r.exit_code, c.exit_code) << r.output;
  EXPECT_EQ(r.output, substitute(c.message, dir) + "\n");
  EXPECT_EQ(files_now(), before) << "an output was left behind";
}

namespace {

INSTANTIATE_TEST_SUITE_P(
    CommandLine, ErrorMessages,
    ::testing::Values(
        ErrorCase{"simulate_fst", "simulate --n 10 --m 100 --fst 1.5", 2,
                  "genomap simulate: error: --fst must lie strictly between 0 and 1 (got 1.5)"},
        ErrorCase{"simulate_h2", "simulate --n 10 --m 100 --h2 0 --causal 2", 2,
                  "genomap simulate: error: --h2 must lie in (0, 1] (got 0)"},
        ErrorCase{"simulate_missing", "simulate --n 10 --m 100 --missing 1", 2,
                  "genomap simulate: error: --missing must lie in [0, 1) (got 1)"},
        ErrorCase{"simulate_ld_r2", "simulate --n 10 --m 100 --ld-r2 2", 2,
                  "genomap simulate: error: --ld-r2 must lie in [0, 1] (got 2)"},
        ErrorCase{"simulate_prevalence", "simulate --n 10 --m 100 --prevalence 1 --causal 2", 2,
                  "genomap simulate: error: --prevalence must lie strictly between 0 and 1 (got 1)"},
        ErrorCase{"simulate_chromosomes", "simulate --n 10 --m 100 --chromosomes 23", 2,
                  "genomap simulate: error: --chromosomes must lie in 1..22"},
        ErrorCase{"simulate_related_count", "simulate --n 10 --m 100 --related po:x", 2,
                  "genomap simulate: error: --related: count 'x' of 'po' is not a non-negative integer"},
        ErrorCase{"simulate_related_kind", "simulate --n 10 --m 100 --related zz:2", 2,
                  "genomap simulate: error: --related: unknown relationship 'zz' (use dup, po, fs, d2, d3)"},
        ErrorCase{"simulate_alpha", "simulate --n 10 --m 100 --k 3 --alpha 0.1,0.2", 2,
                  "genomap simulate: error: --alpha: 2 values given for --k 3"},
        ErrorCase{"simulate_confound", "simulate --n 10 --m 100 --confound inf", 2,
                  "genomap simulate: error: --confound must be a finite number"},
        ErrorCase{"simulate_pulse", "simulate --n 10 --m 100 --pulse bogus", 2,
                  "genomap simulate: error: --pulse 'bogus': missing '=' or '@' (expected "
                  "TARGET=A:0.3,B:0.7@GENERATIONS)"},
        ErrorCase{"simulate_ld_block", "simulate --n 10 --m 100 --ld-block 0", 2,
                  "genomap simulate: error: --ld-block must be at least 1"},
        ErrorCase{"simulate_n", "simulate --n 0 --m 100", 2,
                  "genomap simulate: error: --n must be at least 1"},
        ErrorCase{"simulate_causal", "simulate --n 10 --m 100 --causal 200", 2,
                  "genomap simulate: error: --causal 200 exceeds --m 100"},
        ErrorCase{"prune_step", "prune --bfile {B} --indep-pairwise 50 60 0.2", 2,
                  "genomap prune: error: --indep-pairwise: the step cannot be larger than the window"},
        ErrorCase{"prune_window", "prune --bfile {B} --indep-pairwise x 5 0.2", 2,
                  "genomap prune: error: --indep-pairwise: invalid window size 'x'"},
        ErrorCase{"prune_r2", "prune --bfile {B} --indep-pairwise 50 5 1.5", 2,
                  "genomap prune: error: --indep-pairwise: invalid r^2 threshold '1.5' (must be in [0, 1))"},
        ErrorCase{"prune_small_window", "prune --bfile {B} --indep-pairwise 1 1 0.2", 2,
                  "genomap prune: error: --indep-pairwise: window size must be an integer of at least 2 "
                  "variants, got '1'"},
        ErrorCase{
            "prune_kb_step", "prune --bfile {B} --indep-pairwise 50kb 5 0.2", 2,
            "genomap prune: error: --indep-pairwise: the step must be 1 when the window is in kilobases"},
        ErrorCase{"prune_step_text", "prune --bfile {B} --indep-pairwise 50 x 0.2", 2,
                  "genomap prune: error: --indep-pairwise: invalid window step 'x'"},
        ErrorCase{"admix_k_range_text", "admix --bfile {B} --k 1..x", 2,
                  "genomap admix: error: --k: invalid range '1..x'"},
        ErrorCase{"admix_k_range_order", "admix --bfile {B} --k 5..3", 2,
                  "genomap admix: error: --k: invalid range '5..3'"},
        ErrorCase{"admix_cv", "admix --bfile {B} --k 2 --cv 1", 2,
                  "genomap admix: error: --cv must be at least 2 (got 1)"},
        ErrorCase{"admix_starts", "admix --bfile {B} --k 2 --starts 0", 2,
                  "genomap admix: error: --starts: Value 0 not in range 1 to 1000"},
        ErrorCase{"admix_tol", "admix --bfile {B} --k 2 --tol 0", 2,
                  "genomap admix: error: --tol must be positive"},
        ErrorCase{"admix_supervised_pop", "admix --bfile {B} --k 2 --supervised", 2,
                  "genomap admix: error: --supervised needs --pop FILE"},
        ErrorCase{"admix_supervised_range", "admix --bfile {B} --k 2..3 --supervised --pop {P}", 2,
                  "genomap admix: error: --supervised takes a single K"},
        ErrorCase{"admix_qn", "admix --bfile {B} --k 2 --qn 0", 2,
                  "genomap admix: error: --qn: Value 0 not in range 1 to 50"},
        ErrorCase{"admix_k1", "admix --bfile {B} --k 1", 2,
                  "genomap admix: error: --k must be at least 2 (got 1)"},
        ErrorCase{"admix_pop_column", "admix --bfile {B} --k 2 --pop {D}/nocol.pop --supervised", 1,
                  "genomap admix: error: {D}/nocol.pop:1: no column named 'POP' in the header"},
        ErrorCase{"fst_method", "fst --bfile {B} --pop {P} --method xyz", 2,
                  "genomap fst: error: --method: expected hudson or wc (got 'xyz')"},
        ErrorCase{"fst_duplicate_sample", "fst --bfile {B} --pop {D}/dup.pop", 1,
                  "genomap fst: error: {D}/dup.pop:3: sample 'NA19916' is listed twice"},
        ErrorCase{"fst_no_column", "fst --bfile {B} --pop {D}/nocol.pop", 1,
                  "genomap fst: error: {D}/nocol.pop:1: no column named 'POP' in the header"},
        ErrorCase{"fst_pop_column", "fst --bfile {B} --pop {P} --pop-column NOPE", 1,
                  "genomap fst: error: {P}:1: no column named 'NOPE' in the header"},
        ErrorCase{"fstats_block_size", "fstats --bfile {B} --pop {P} --block-size 5xx", 2,
                  "genomap fstats: error: --block-size: expected a positive number of variants, or a "
                  "distance such as 5cM or 0.05M (got '5xx')"},
        ErrorCase{"fstats_genetic_unit", "fstats --bfile {B} --pop {P} --genetic-unit furlong", 2,
                  "genomap fstats: error: --genetic-unit: expected auto, cm or morgan (got 'furlong')"},
        ErrorCase{
            "fstats_genetic_block", "fstats --bfile {B} --pop {P} --block-size 5cM", 1,
            "genomap fstats: error: --block-size: a genetic distance needs genetic positions, and all are 0"},
        ErrorCase{"fstats_store_filter", "fstats --bfile {B} --max-missing 0.5 --pop {P}", 2,
                  "genomap fstats: error: fstats: --max-missing, --min-maf and --transversions-only apply to "
                  "--f2-store only"},
        ErrorCase{"fstats_no_pop", "fstats --bfile {B}", 2,
                  "genomap fstats: error: fstats: --bfile needs --pop FILE"},
        ErrorCase{"fstats_f3_form", "fstats --bfile {B} --pop {P} --f3 'A;B'", 1,
                  "genomap fstats: error: --f3: cannot read 'A;B' as f3 (expected \"C;A,B\")"},
        ErrorCase{"fstats_f3_population", "fstats --bfile {B} --pop {P} --f3 'CEU;YRI,XXX'", 1,
                  "genomap fstats: error: --f3: unknown population 'XXX' (not in the population labels of "
                  "the analysed samples)"},
        ErrorCase{"fstats_outgroup", "fstats --bfile {B} --pop {P} --outgroup-f3 XXX", 1,
                  "genomap fstats: error: --outgroup-f3: unknown population 'XXX' (not in the population "
                  "labels of the analysed samples)"},
        ErrorCase{
            "fstats_f4_ratio", "fstats --bfile {B} --pop {P} --f4-ratio a", 1,
            "genomap fstats: error: --f4-ratio: cannot read 'a' as f4ratio (expected \"A,B;C,D/E,F;G,H\")"},
        ErrorCase{"fstats_no_store", "fstats --f2-store {D}/nostore", 1,
                  "genomap fstats: error: {D}/nostore: not an f2 store (no manifest.tsv)"},
        ErrorCase{"fstats_two_inputs", "fstats --eigenstrat x --bfile {B}", 2,
                  "genomap fstats: error: fstats: give exactly one of --bfile (with --pop) or --eigenstrat, "
                  "or an existing --f2-store"},
        ErrorCase{"freq_chr_range", "freq --bfile {B} --chr 1-", 2,
                  "genomap freq: error: --chr: invalid range '1-'"},
        ErrorCase{"freq_chr_empty", "freq --bfile {B} --chr 1,,2", 2,
                  "genomap freq: error: --chr: empty element in list '1,,2'"},
        ErrorCase{"freq_keep_missing", "freq --bfile {B} --keep {D}/nofile.txt", 1,
                  "genomap freq: error: {D}/nofile.txt: cannot open file"},
        ErrorCase{"freq_extract_none", "freq --bfile {B} --extract {D}/ids.txt", 1,
                  "genomap freq: error: no variants left after variant filters"},
        ErrorCase{"freq_bfile", "freq --bfile {D}/nofileset", 1,
                  "genomap freq: error: {D}/nofileset.fam: cannot open file: No such file or directory"},
        ErrorCase{"freq_maf", "freq --bfile {B} --maf 0.7", 2,
                  "genomap freq: error: --maf: must be between 0 and 0.5 (got 0.7)"},
        ErrorCase{"freq_geno", "freq --bfile {B} --geno 1.5", 2,
                  "genomap freq: error: --geno: must be between 0 and 1 (got 1.5)"},
        ErrorCase{"freq_registry_alone", "freq --bfile {B} --registry {D}/x.db", 2,
                  "genomap freq: error: --registry and --purpose must be given together"},
        ErrorCase{"freq_split", "freq --bfile {B} --split 3/2", 2,
                  "genomap freq: error: --split: expected I/N with 1 <= I <= N (slice I of N, e.g. 3/10), "
                  "got '3/2'"},
        ErrorCase{"date_sources", "date --bfile {B} --pop {P} --target ASW --sources CEU", 2,
                  "genomap date: error: --sources: give two reference populations, A,B (or one with "
                  "--single-reference)"},
        ErrorCase{"date_single_reference",
                  "date --bfile {B} --pop {P} --target ASW --sources CEU,YRI --single-reference", 2,
                  "genomap date: error: --single-reference: give one reference population in --sources"},
        ErrorCase{"date_uniform_map",
                  "date --bfile {B} --pop {P} --target ASW --sources CEU,YRI --uniform-map -1", 2,
                  "genomap date: error: --uniform-map: the rate must be positive (cM per Mb)"},
        ErrorCase{"date_empty_source", "date --bfile {B} --pop {P} --target ASW --sources CEU,", 2,
                  "genomap date: error: --sources: empty population name in 'CEU,'"},
        ErrorCase{"glm_firth", "glm --bfile {B} --pheno {D}/ph.txt --firth --no-firth", 2,
                  "genomap glm: error: --firth, --firth-fallback and --no-firth exclude each other"},
        ErrorCase{"glm_no_pheno_samples", "glm --bfile {B} --pheno {D}/ph.txt", 1,
                  "genomap glm: error: {D}/ph.txt: no entries correspond to samples of the fileset"},
        ErrorCase{"glm_pheno_file", "glm --bfile {B} --pheno {D}/nofile.txt", 1,
                  "genomap glm: error: {D}/nofile.txt: cannot open file"},
        ErrorCase{"score_columns", "score --bfile {B} --weights {D}/ph.txt --score-col-nums 1,2", 2,
                  "genomap score: error: --score-col-nums takes ID,ALLELE,SCORES (e.g. 1,2,3 or 1,2,3-5)"},
        ErrorCase{"score_weights_file", "score --bfile {B} --weights {D}/nofile.txt", 1,
                  "genomap score: error: {D}/nofile.txt: cannot open file: No such file or directory"},
        ErrorCase{"qpadm_right", "qpadm --bfile {B} --pop {P} --target ASW --sources CEU,YRI", 2,
                  "genomap qpadm: error: qpadm: --right is required (or --rotate POOL)"},
        ErrorCase{"qpadm_too_few_right",
                  "qpadm --bfile {B} --pop {P} --target ASW --sources CEU,YRI --right MEX", 1,
                  "genomap qpadm: error: qpadm: 1 right population for 2 sources; qpAdm needs at least 3 "
                  "(sources + 1)"},
        ErrorCase{"qpadm_no_pop", "qpadm --bfile {B} --target ASW --sources CEU,YRI --right MEX,CEU", 2,
                  "genomap qpadm: error: qpadm: --bfile needs --pop FILE"},
        ErrorCase{"qpadm_target_source",
                  "qpadm --bfile {B} --pop {P} --target ASW --sources ASW,YRI --right CEU,MEX", 1,
                  "genomap qpadm: error: qpadm: the target 'ASW' is also a source"},
        ErrorCase{"qpadm_sources_and_rotate",
                  "qpadm --bfile {B} --pop {P} --target ASW --sources CEU,YRI --rotate CEU --right MEX", 2,
                  "genomap qpadm: error: qpadm: give --target with exactly one of --sources or --rotate"},
        ErrorCase{"qpadm_no_store", "qpadm --f2-store {D}/nostore --target A --sources B,C --right D,E,F", 1,
                  "genomap qpadm: error: {D}/nostore: not an f2 store (no manifest.tsv)"},
        ErrorCase{"freqdb_min_count", "freqdb build --bfile {B} --pop {P} --min-count 0", 2,
                  "genomap freqdb: error: --min-count 0 is below the lowest allowed, 20"},
        ErrorCase{"freqdb_min_pop_size", "freqdb build --bfile {B} --pop {P} --min-pop-size 0", 2,
                  "genomap freqdb: error: --min-pop-size must be at least 1"},
        ErrorCase{"serve_no_release", "serve --freqdb {D}/none.db --port 1", 1,
                  "genomap serve: error: {D}/none.db: no such frequency release"},
        ErrorCase{"serve_http_threads", "serve --freqdb {D}/none.db --port 1 --http-threads 0", 2,
                  "genomap serve: error: --http-threads: Value 0 not in range 1 to 1024"},
        ErrorCase{"analyze_pop_required", "analyze --bfile {B}", 2,
                  "genomap analyze: error: --pop is required"},
        ErrorCase{"analyze_two_inputs", "analyze --bfile {B} --vcf {D}/x.vcf --pop {P}", 2,
                  "genomap analyze: error: analyze: give exactly one of --bfile or --vcf"},
        ErrorCase{"analyze_covar_name", "analyze --bfile {B} --pop {P} --covar-name C1", 2,
                  "genomap analyze: error: analyze: --covar, --pheno-name and --covar-name need --pheno"},
        ErrorCase{"analyze_qpadm_sources",
                  "analyze --bfile {B} --pop {P} --qpadm-max-sources 4 --qpadm-right CEU,YRI", 2,
                  "genomap analyze: error: --qpadm-max-sources must be 1, 2 or 3"},
        ErrorCase{"pca_pcs", "pca --bfile {B} --pcs 0", 2, "genomap pca: error: --pcs must be at least 1"},
        ErrorCase{"unrelated_cutoff", "unrelated --bfile {B} --king-cutoff 2", 2,
                  "genomap unrelated: error: --king-cutoff: Value 2 not in range -1.000000 to 0.500000"},
        ErrorCase{"het_no_autosomes", "het --bfile {B} --chr X", 1,
                  "genomap het: error: het: no polymorphic autosomal variants"},
        ErrorCase{"king_no_samples", "king --bfile {B} --keep {D}/ids.txt", 1,
                  "genomap king: error: no samples left after sample filters"},
        ErrorCase{"project_reference", "project --ref {D}/noref --bfile {B}", 1,
                  "genomap project: error: {D}/noref.eigenvec.var: cannot open file"},
        ErrorCase{"import_vcf", "import --vcf {D}/none.vcf", 1,
                  "genomap import: error: {D}/none.vcf: no such file"},
        ErrorCase{"merge_no_slices", "merge", 1,
                  "genomap merge: error: no slices {D}/o.splitI-of-N.split found (run the command with "
                  "--split I/N first)"},
        ErrorCase{"registry_keygen", "registry audit keygen --db {D}/x.db", 2,
                  "genomap registry: error: registry audit keygen: --key FILE is required"},
        ErrorCase{"registry_missing_db", "registry audit verify --db {D}/x.db", 1,
                  "genomap registry: error: {D}/x.db: no such registry database (create it with `genomap "
                  "registry init`)"},
        ErrorCase{"registry_custody_sample", "registry custody --db {D}/x.db", 2,
                  "genomap registry: error: --sample is required"},
        ErrorCase{"registry_role_grant", "registry role grant --db {D}/x.db --role curator", 2,
                  "genomap registry: error: registry role grant: --to and --role are required"},
        ErrorCase{"registry_void_reason", "registry void --db {D}/x.db sample S1", 2,
                  "genomap registry: error: --reason is required"},
        ErrorCase{"unknown_command", "nosuch", 2,
                  "genomap: error: unknown command 'nosuch' (genomap --help lists the commands)"},
        ErrorCase{"split_king_matrix", "king --bfile {B} --split 1/2 --king-matrix", 2,
                  "genomap king: error: --split does not apply to --king-matrix (the matrix needs every "
                  "pair): split "
                  "the .kin0 only"}),
    case_name);

}  // namespace
}  // namespace genomap::test
