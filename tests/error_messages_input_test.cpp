// Error messages about the genotype files and the inputs of prune, pca, project, ibd, glm, score and admix,
// asserted whole (see error_cases.hpp). {D}/t is a small fileset of 5 samples and 3 variants on chromosome 1.
#include "error_cases.hpp"

namespace genomap::test {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

const std::string kFam = "F1 S1 0 0 1 -9\nF2 S2 0 0 2 -9\nF3 S3 0 0 0 -9\nF4 S4 0 0 1 -9\nF5 S5 0 0 2 -9\n";
const std::string kBim = "1\trs1\t0\t100\tA\tG\n1\trs2\t0\t200\tC\tT\n1\trs3\t0\t300\tG\tT\n";
const std::string kHeader("\x6c\x1b\x01", 3);
const std::string kBed = kHeader + std::string("\x1b\x02\xe4\x01\x00\x03", 6);  // 2 bytes per variant

Files fileset(const std::string& fam = kFam, const std::string& bim = kBim, const std::string& bed = kBed) {
  return {{"t.fam", fam}, {"t.bim", bim}, {"t.bed", bed}};
}

// Sample S1 in two families.
const std::string kTwoFamilies =
    "F1 S1 0 0 1 -9\nF2 S1 0 0 2 -9\nF3 S3 0 0 0 -9\nF4 S4 0 0 1 -9\nF5 S5 0 0 2 -9\n";
// A PCA of the HapMap 3 fileset with its variant weights: {D}/ref.
const std::string kReference = "pca --bfile {B} --pcs 2 --var-wts --out {D}/ref --quiet";

Files with_file(Files files, const std::string& name, const std::string& text) {
  files.emplace_back(name, text);
  return files;
}

ErrorCase on_fileset(const std::string& name, const std::string& args, int exit_code,
                     const std::string& message, Files files = fileset()) {
  const std::string command = args.substr(0, args.find(' '));
  return ErrorCase{name, args, exit_code, "genomap " + command + ": error: " + message, std::move(files)};
}

INSTANTIATE_TEST_SUITE_P(
    Input, ErrorMessages,
    ::testing::Values(
        on_fileset("bed_short", "freq --bfile {D}/t", 1,
                   "{D}/t.bed: truncated file (shorter than the 3-byte header)",
                   fileset(kFam, kBim, std::string("\x6c\x1b", 2))),
        on_fileset("bed_magic", "freq --bfile {D}/t", 1,
                   "{D}/t.bed: not a PLINK 1 .bed file (wrong magic bytes)",
                   fileset(kFam, kBim, std::string("\x00\x00\x01", 3) + kBed.substr(3))),
        on_fileset("bed_sample_major", "freq --bfile {D}/t", 1,
                   "{D}/t.bed: sample-major .bed files are not supported (mode byte is not 0x01)",
                   fileset(kFam, kBim, std::string("\x6c\x1b\x00", 3) + kBed.substr(3))),
        on_fileset(
            "bed_size", "freq --bfile {D}/t", 1,
            "{D}/t.bed: size 8 bytes does not match 3 variants (.bim) x 5 samples (.fam): expected 9 bytes "
            "(truncated?)",
            fileset(kFam, kBim, kBed.substr(0, 8))),
        on_fileset("bed_folder", "freq --bfile {D}/t", 1, "{D}/t.bed: not a regular file",
                   {{"t.fam", kFam}, {"t.bim", kBim}, {"t.bed/x", ""}}),
        on_fileset("pop_empty", "fst --bfile {B} --pop {D}/e.pop", 1,
                   "{D}/e.pop: empty population file (a header line such as 'FID IID POP' is needed)",
                   {{"e.pop", "\n"}}),
        on_fileset("prune_sequence", "prune --bfile {D}/t --indep-pairwise 50 kb", 2,
                   "--indep-pairwise: invalid argument sequence '50 kb'"),
        on_fileset("prune_kb_window", "prune --bfile {D}/t --indep-pairwise 0.001kb 0.2", 2,
                   "--indep-pairwise: window size cannot be smaller than 2 bp"),
        on_fileset(
            "prune_chromosome_blocks", "prune --bfile {D}/t --indep-pairwise 2 1 0.2", 1,
            "{D}/t.bim: --indep-pairwise needs each chromosome's variants together; chromosome 1 appears in "
            "more than one block (sort the fileset)",
            fileset(kFam, "1\trs1\t0\t100\tA\tG\n2\trs2\t0\t200\tC\tT\n1\trs3\t0\t300\tG\tT\n")),
        on_fileset(
            "prune_kb_unsorted", "prune --bfile {D}/t --indep-pairwise 1kb 0.2", 1,
            "{D}/t.bim: --indep-pairwise with a kb window needs positions sorted within each chromosome; "
            "chromosome 1 is not sorted",
            fileset(kFam, "1\trs1\t0\t300\tA\tG\n1\trs2\t0\t200\tC\tT\n1\trs3\t0\t100\tG\tT\n")),
        on_fileset(
            "prune_founders", "prune --bfile {D}/t --indep-pairwise 2 1 0.2", 1,
            "{D}/t.fam: --indep-pairwise needs at least two founders (samples whose parents are both '0'); "
            "1 selected",
            fileset("F S1 0 0 1 -9\nF S2 S1 0 2 -9\nF S3 S1 0 0 -9\nF S4 S1 0 1 -9\nF S5 S1 0 2 -9\n")),
        on_fileset(
            "prune_duplicate_ids", "prune --bfile {D}/t --indep-pairwise 2 1 0.2", 1,
            "{D}/t.bim: --indep-pairwise writes variant ID lists, so IDs must be unique; 'rs1' occurs more "
            "than once",
            fileset(kFam, "1\trs1\t0\t100\tA\tG\n1\trs1\t0\t200\tC\tT\n1\trs3\t0\t300\tG\tT\n")),
        on_fileset("pca_monomorphic", "pca --bfile {D}/t --pcs 1", 1, "no polymorphic variants left for PCA",
                   fileset(kFam, kBim, kHeader + std::string(6, '\0'))),
        on_fileset("ibd_no_autosomes", "ibd --bfile {B} --chr X", 1,
                   "{B}.bim: no variants on chromosomes 1-22 to find IBD segments on"),
        on_fileset("ibd_no_span", "ibd --bfile {D}/t", 1, "{D}/t.bim: the analysed variants span 0 cM",
                   fileset(kFam, "1\trs1\t0.5\t100\tA\tG\n1\trs2\t0.5\t200\tC\tT\n1\trs3\t0.5\t300\tG\tT\n")),
        on_fileset("glm_binary", "glm --bfile {D}/t --pheno {D}/y.txt --binary", 1,
                   "{D}/y.txt: --binary: phenotype Y has values other than 1/2 (or 0/1) and missing",
                   [] {
                     Files f = fileset();
                     f.emplace_back("y.txt", "FID IID Y\nF1 S1 1\nF2 S2 2\nF3 S3 3\nF4 S4 1\nF5 S5 2\n");
                     return f;
                   }()),
        on_fileset("score_no_match", "score --bfile {D}/t --weights {D}/w.txt", 1,
                   "{D}/w.txt: no entry matches a variant of the fileset",
                   [] {
                     Files f = fileset();
                     f.emplace_back("w.txt", "rs9 A 0.5\n");
                     return f;
                   }()),
        on_fileset("score_column_number", "score --bfile {D}/t --weights {D}/w.txt --score-col-nums 1,x,3", 2,
                   "--score-col-nums: 'x' is not a column number"),
        on_fileset("score_columns_backwards",
                   "score --bfile {D}/t --weights {D}/w.txt --score-col-nums 1,2,5-3", 2,
                   "--score-col-nums: the score columns '5-3' run backwards"),
        on_fileset("iid_several_families_keep", "freq --bfile {D}/t --keep {D}/k.txt", 1,
                   "{D}/k.txt:1: sample IID 'S1' occurs in several families; give FID and IID",
                   with_file(fileset(kTwoFamilies), "k.txt", "S1\n")),
        on_fileset("iid_several_families_pop", "fst --bfile {D}/t --pop {D}/p.pop", 1,
                   "{D}/p.pop:2: sample IID 'S1' occurs in several families; give FID and IID",
                   with_file(fileset(kTwoFamilies), "p.pop", "IID\tPOP\nS1\tA\n")),
        on_fileset("iid_several_families_pheno", "glm --bfile {D}/t --pheno {D}/y.txt", 1,
                   "{D}/y.txt:2: sample IID 'S1' occurs in several families; give FID and IID",
                   with_file(fileset(kTwoFamilies), "y.txt", "IID Y\nS1 1\n")),
        ErrorCase{"pca_outliers_everyone", "pca --bfile {B} --pcs 2 --outlier-sigma 0.000001", 1,
                  "genomap pca: error: outlier removal removed every sample"},
        ErrorCase{"project_eigenvalues",
                  "project --ref {D}/ref --bfile {B}",
                  1,
                  "genomap project: error: {D}/ref.eigenval: 1 eigenvalues for 2 PCs in the .eigenvec.var",
                  {{"ref.eigenval", "5\n"}},
                  {kReference}},
        ErrorCase{"project_one_sample",
                  "project --ref {D}/ref --bfile {B}",
                  1,
                  "genomap project: error: {D}/ref.eigenvec: the reference PCA needs at least 2 samples",
                  {{"ref.eigenvec", "#FID\tIID\tPC1\tPC2\nA1\tNA19916\t0.05\t-0.01\n"}},
                  {kReference}},
        ErrorCase{
            "date_one_variant",
            "date --bfile {B} --pop {P} --target ASW --sources CEU,YRI --uniform-map 1 --extract {D}/v.txt",
            1,
            "genomap date: error: {B}.bim: fewer than two variants with calls and a non-zero weight",
            {{"v.txt", "rs10458597\n"}}},
        on_fileset("admix_k_samples", "admix --bfile {D}/t --k 5", 1,
                   "--k 5 must be smaller than the number of samples (5)"),
        on_fileset("admix_supervised_k", "admix --bfile {B} --k 3 --supervised --pop {P}", 1,
                   "{P}: names 4 populations but --k is 3")),
    case_name);

}  // namespace
}  // namespace genomap::test
