// Error messages of qpadm, fstats, fst, date, admix and simulate, asserted whole (see error_cases.hpp).
#include "error_cases.hpp"
#include "genomap/core/run_log.hpp"
#include "test_support.hpp"

namespace genomap::test {
namespace {

// Two ASW samples: a single population.
const std::pair<std::string, std::string> kOnePop{"one.pop", "IID\tPOP\nNA19916\tASW\nNA19835\tASW\n"};
// Four variants on chromosome 1 then 2 then 1 again, with a genetic map (for a simulated fileset {D}/p).
const std::pair<std::string, std::string> kUnsortedBim{
    "p.bim",
    "1\tv1\t0.1\t1000\tA\tG\n2\tv2\t0.1\t1000\tA\tG\n1\tv3\t0.2\t2000\tA\tG\n1\tv4\t0.3\t3000\tA\tG\n"};
const std::string kPulse = "simulate --n 20 --m 4 --chromosomes 1 --pulse T=A:0.5,B:0.5@10 --out {D}/p";
const std::string kDate = "date --bfile {B} --pop {P} --target ASW --sources CEU,YRI --uniform-map 1";

// An EIGENSTRAT set {D}/e of 4 samples (populations A and B) and 2 SNPs with this .geno.
std::vector<std::pair<std::string, std::string>> eigenstrat(const std::string& geno) {
  return {{"e.ind", "S1 M A\nS2 F A\nS3 M B\nS4 F B\n"},
          {"e.snp", "rs1 1 0.0 100 A G\nrs2 1 0.0 200 A G\n"},
          {"e.geno", geno}};
}
// A packed .geno header record (48 bytes: at least 48, and 4 samples take one byte).
std::string packed_record(const std::string& text) { return text + std::string(48 - text.size(), '\0'); }

INSTANTIATE_TEST_SUITE_P(
    Popstats, ErrorMessages,
    ::testing::Values(
        ErrorCase{"qpadm_pseudohaploid_store",
                  "qpadm --f2-store {D}/x --pseudohaploid --target A --sources B,C --right D,E", 2,
                  "genomap qpadm: error: qpadm: --pseudohaploid applies to genotype input (a store was built "
                  "with or without it)"},
        ErrorCase{"qpadm_no_target_no_left", "qpadm --bfile {B} --pop {P} --right CEU,YRI", 2,
                  "genomap qpadm: error: qpadm: give --target with --sources or --rotate (qpAdm), or --left "
                  "alone (qpWave)"},
        ErrorCase{"qpadm_one_left", "qpadm --bfile {B} --pop {P} --left CEU --right YRI,MEX", 2,
                  "genomap qpadm: error: qpadm: --left needs at least two populations"},
        ErrorCase{"qpadm_one_right", "qpadm --bfile {B} --pop {P} --left CEU,ASW --right YRI", 2,
                  "genomap qpadm: error: qpadm: --right needs at least two populations"},
        ErrorCase{"qpadm_rotate_pool",
                  "qpadm --bfile {B} --pop {P} --target ASW --right YRI "
                  "--rotate A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T,U,V,W,X,Y",
                  2, "genomap qpadm: error: qpadm: --rotate takes at most 24 populations"},
        ErrorCase{"qpadm_rotate_no_model", "qpadm --bfile {B} --pop {P} --target ASW --rotate CEU", 1,
                  "genomap qpadm: error: qpadm: --rotate: no model has enough right populations"},
        ErrorCase{"qpadm_no_autosomes",
                  "qpadm --bfile {B} --pop {P} --target ASW --sources CEU,YRI --right MEX,A,B --chr X", 1,
                  "genomap qpadm: error: qpadm: no variants on chromosomes 1-22"},
        ErrorCase{
            "fstats_store_with_pop", "fstats --f2-store {D}/store --pop {P}", 2,
            "genomap fstats: error: fstats: reading --f2-store without genotypes, the store's "
            "populations, blocks and filters apply (--pop, --block-size, --pseudohaploid and store filters "
            "need --bfile or --eigenstrat)"},
        ErrorCase{
            "fstats_eigenstrat_filter", "fstats --eigenstrat {D}/e --pop {P} --keep {D}/ids.txt", 2,
            "genomap fstats: error: fstats: sample and variant filters apply to --bfile input only (not to "
            "--eigenstrat)"},
        ErrorCase{"fstats_no_autosomes", "fstats --bfile {B} --pop {P} --chr X", 1,
                  "genomap fstats: error: fstats: no variants on chromosomes 1-22"},
        ErrorCase{"fstats_one_population",
                  "fstats --bfile {B} --pop {D}/one.pop",
                  1,
                  "genomap fstats: error: {D}/one.pop: fewer than 2 populations among the analysed samples",
                  {kOnePop}},
        ErrorCase{
            "fst_one_population",
            "fst --bfile {B} --pop {D}/one.pop",
            1,
            "genomap fst: error: {D}/one.pop: 1 population among the analysed samples; Fst needs at least 2",
            {kOnePop}},
        ErrorCase{"eigenstrat_transposed", "fstats --eigenstrat {D}/e", 1,
                  "genomap fstats: error: {D}/e.geno: transposed packed genotypes (TGENO) are not supported; "
                  "convert with convertf",
                  eigenstrat(packed_record("TGENO 4 2"))},
        ErrorCase{"eigenstrat_short_header", "fstats --eigenstrat {D}/e", 1,
                  "genomap fstats: error: {D}/e.geno: truncated packed header", eigenstrat("GENO 4 2")},
        ErrorCase{
            "eigenstrat_header", "fstats --eigenstrat {D}/e", 1,
            "genomap fstats: error: {D}/e.geno: unreadable packed header (expected 'GENO <samples> <SNPs> "
            "...')",
            eigenstrat(packed_record("GENO x y"))},
        ErrorCase{"eigenstrat_size", "fstats --eigenstrat {D}/e", 1,
                  "genomap fstats: error: {D}/e.geno: file has 96 bytes; 4 samples x 2 SNPs need 144",
                  eigenstrat(packed_record("GENO 4 2") + packed_record("\x1b"))},
        ErrorCase{"fstats_block_count", "fstats --bfile {B} --pop {P} --block-size 2.5", 2,
                  "genomap fstats: error: --block-size: a variant count must be a whole number (got '2.5')"},
        ErrorCase{"f2_store_folder",
                  "fstats --bfile {B} --pop {P} --f2-store {D}/f/st",
                  1,
                  "genomap fstats: error: {D}/f/st: cannot create the f2 store folder",
                  {{"f", "a file\n"}}},
        ErrorCase{"f2_store_filters", "fstats --bfile {B} --pop {P} --f2-store {D}/st --transversions-only",
                  1, "genomap fstats: error: f2 store: no variant passes the store filters"},
        ErrorCase{"f2_store_manifest_files",
                  "fstats --f2-store {D}/st",
                  1,
                  "genomap fstats: error: {D}/st/manifest.tsv: the manifest lists the wrong files",
                  {{"st/manifest.tsv", "genomap_f2_store\t2\nfile\tf2.bin\t8 bytes\n"}}},
        ErrorCase{"admix_k_text", "admix --bfile {B} --k x", 2,
                  "genomap admix: error: --k: expected a number or a range such as 2..8, got 'x'"},
        ErrorCase{"date_bin_cm", kDate + " --bin-cm 0", 2,
                  "genomap date: error: date: need 0 < --bin-cm, 0 < --min-cm < --max-cm (got 0, 0.5, 50)"},
        ErrorCase{"date_bins", kDate + " --bin-cm 0.00001 --max-cm 20", 2,
                  "genomap date: error: date: --max-cm / --bin-cm exceeds 1,000,000 bins"},
        ErrorCase{"date_source_target", "date --bfile {B} --pop {P} --target ASW --sources ASW,YRI", 2,
                  "genomap date: error: date: source 'ASW' is the target"},
        ErrorCase{"date_same_sources", "date --bfile {B} --pop {P} --target ASW --sources CEU,CEU", 2,
                  "genomap date: error: date: the two sources are the same population"},
        ErrorCase{"date_no_autosomes", kDate + " --chr X", 1,
                  "genomap date: error: {B}.bim: no variants on chromosomes 1-22 to date admixture with"},
        ErrorCase{"date_no_map", "date --bfile {B} --pop {P} --target ASW --sources CEU,YRI", 1,
                  "genomap date: error: {B}.bim: no genetic map positions (column 3 is 0 for every autosomal "
                  "variant): add a genetic map to the .bim or give --uniform-map RATE (cM per Mb)"},
        ErrorCase{
            "date_unsorted",
            "date --bfile {D}/p --pop {D}/p.pop --target T --sources A,B",
            1,
            "genomap date: error: {D}/p.bim:3: chromosome 1 appears again after another chromosome: the "
            ".bim is not sorted",
            {kUnsortedBim},
            {kPulse}},
        ErrorCase{
            "date_few_bins", kDate + " --chr 22 --min-cm 0.5 --max-cm 0.6 --bin-cm 0.1", 1,
            "genomap date: error: {B}.bim: fewer than 3 distance bins with variant pairs between 0.5 and "
            "0.6 cM: too few variants or too short a map to fit the decay"},
        ErrorCase{"simulate_pulse_related", "simulate --n 10 --m 100 --pulse T=A:0.5,B:0.5@10 --related po:1",
                  2,
                  "genomap simulate: error: simulate: --pulse takes --n, --m, --chromosomes, --fst, --map, "
                  "--map-rate, --missing, --relatives, --migrants and --seed only"},
        ErrorCase{
            "simulate_relatives_alone", "simulate --n 10 --m 100 --relatives po:1", 2,
            "genomap simulate: error: simulate: --relatives and --migrants go with --pulse (without it, "
            "use --related)"},
        ErrorCase{"simulate_tree_missing",
                  "simulate --n 10 --m 100 --tree {D}/t --missing 0.1",
                  2,
                  "genomap simulate: error: simulate: --tree takes --n, --m, --chromosomes and --seed only",
                  {{"t", "A - 0.1\n"}}},
        ErrorCase{"simulate_tree_n",
                  "simulate --n 0 --m 100 --tree {D}/t",
                  2,
                  "genomap simulate: error: simulate --tree: --n and --m must be positive",
                  {{"t", "A - 0.1\n"}}},
        ErrorCase{"simulate_tree_empty",
                  "simulate --n 5 --m 100 --tree {D}/t",
                  1,
                  "genomap simulate: error: {D}/t: no population to sample",
                  {{"t", "# no population\n"}}},
        ErrorCase{"simulate_pulse_m", "simulate --n 10 --m 0 --pulse T=A:0.5,B:0.5@10", 2,
                  "genomap simulate: error: simulate --pulse: --m must be positive"},
        ErrorCase{"simulate_pulse_chromosome",
                  "simulate --n 10 --m 5 --chromosomes 22 --pulse T=A:0.5,B:0.5@10", 2,
                  "genomap simulate: error: simulate --pulse: --m 5 leaves chromosome 1 without variants"},
        ErrorCase{
            "simulate_relatives_n", "simulate --n 2 --m 100 --pulse T=A:0.5,B:0.5@10 --relatives fs:5", 2,
            "genomap simulate: error: simulate: --relatives and --migrants need more than --n 2 samples in "
            "population A"},
        ErrorCase{
            "simulate_relatives_kind", "simulate --n 10 --m 100 --pulse T=A:0.5,B:0.5@10 --migrants zz:1", 2,
            "genomap simulate: error: --migrants 'zz:1': expected TYPE:COUNT, TYPE one of po, fs, hs, c1, "
            "c2 and COUNT >= 1"},
        ErrorCase{"simulate_related_form", "simulate --n 10 --m 100 --related po", 2,
                  "genomap simulate: error: --related: 'po' is not KIND:COUNT (kinds dup, po, fs, d2, d3)"},
        ErrorCase{
            "simulate_causal_constant", "simulate --n 1 --m 10 --causal 1", 1,
            "genomap simulate: error: --causal: the causal variants do not vary among the samples; raise "
            "--causal or --n"}),
    case_name);

}  // namespace
}  // namespace genomap::test

namespace genomap::test {
namespace {

// A store whose manifest was rewritten for a replaced data file (the manifest vouches for the file's size and
// hash, so only a hand-made manifest lets a foreign file through): the file's own header is checked.
TEST(F2StoreErrors, ReplacedDataFileWithRewrittenManifest) {
  const std::string dir = scratch_dir("f2_store_replaced");
  const std::string store = dir + "/st";
  const std::string bfile = data_path("hapmap3_admixture/hapmap3");
  const std::string pops = data_path("hapmap3_admixture/hapmap3_populations.tsv");
  ASSERT_EQ(run_genomap("fstats --bfile " + bfile + " --pop " + pops + " --f2-store " + store + " --out " +
                        dir + "/build --quiet")
                .exit_code,
            0);
  const std::string manifest = read_text(store + "/manifest.tsv");
  const auto replace_f2 = [&](const std::string& bytes) {
    write_text(store + "/f2.bin", bytes);
    const std::size_t at = manifest.find("file\tf2.bin\t");
    ASSERT_NE(at, std::string::npos);
    const std::size_t end = manifest.find('\n', at);
    write_text(store + "/manifest.tsv", manifest.substr(0, at) + "file\tf2.bin\t" +
                                            describe_file(store + "/f2.bin") + manifest.substr(end));
  };
  const auto expect = [&](const std::string& message) {
    const CommandResult r = run_genomap("fstats --f2-store " + store + " --out " + dir + "/o");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(r.output, "genomap fstats: error: " + store + "/f2.bin: " + message + "\n");
    for (const auto& name : list_files(dir)) EXPECT_EQ(name.rfind("o.", 0), std::string::npos) << name;
  };
  replace_f2(std::string(32, 'x'));
  expect("not a genomap f2 store file");
  std::string header = "GMF2BLK1" + std::string(16, '\0');
  header[8] = 1;  // 1 population pair, 0 blocks: not this store's 4 populations
  replace_f2(header);
  expect("dimensions do not match the store's populations, variants and blocks");
}

}  // namespace
}  // namespace genomap::test
