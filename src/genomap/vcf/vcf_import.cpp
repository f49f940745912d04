#include "genomap/vcf/vcf_import.hpp"

#include <fmt/format.h>
#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "genomap/core/error.hpp"
#include "genomap/geno/bed_writer.hpp"
#include "genomap/geno/chromosome.hpp"

namespace genomap {
namespace {

struct HtsFileCloser {
  void operator()(htsFile* f) const { hts_close(f); }
};
struct HeaderFree {
  void operator()(bcf_hdr_t* h) const { bcf_hdr_destroy(h); }
};
struct RecordFree {
  void operator()(bcf1_t* r) const { bcf_destroy(r); }
};
struct KString {
  kstring_t s = KS_INITIALIZE;
  ~KString() { ks_free(&s); }
};

// hts_getline splits at newlines with this delimiter code (KS_SEP_LINE in htslib/kseq.h).
constexpr int kLineSeparator = 2;

// Where a problem is: the line of a text VCF, the record of a BCF.
struct Position {
  bool text = true;
  std::size_t line = 0;    // 1-based line in the file (text)
  std::size_t record = 0;  // 1-based data record
};

[[noreturn]] void fail_at(const std::string& path, const Position& at, const std::string& message) {
  if (at.text) throw Error(path, at.line, message);
  throw Error(path, 0, fmt::format("BCF record {}: {}", at.record, message));
}

// Sample IDs to FID/IID as plink2 does: FID "0", or FID = IID (--double-id), or split at a delimiter.
std::vector<Sample> samples_from_header(const bcf_hdr_t* hdr, const VcfImportOptions& o) {
  std::vector<Sample> samples;
  const int n = bcf_hdr_nsamples(hdr);
  samples.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::string id = hdr->samples[i];
    Sample s;
    if (o.id_delim) {
      const auto cut = id.find(o.id_delim);
      if (cut == std::string::npos || cut == 0 || cut + 1 == id.size())
        throw Error(o.path, 0,
                    fmt::format("--id-delim '{}': sample ID '{}' does not have the form FID{}IID", o.id_delim,
                                id, o.id_delim));
      s.fid = id.substr(0, cut);
      s.iid = id.substr(cut + 1);
    } else {
      s.fid = o.double_id ? id : "0";
      s.iid = id;
    }
    samples.push_back(std::move(s));
  }
  return samples;
}

class RecordConverter {
 public:
  RecordConverter(const VcfImportOptions& o, const bcf_hdr_t* hdr, BedWriter& writer, VcfImportCounts& counts)
      : o_(o), hdr_(hdr), writer_(writer), counts_(counts), codes_(writer.sample_ct()) {}
  ~RecordConverter() { std::free(gt_); }
  RecordConverter(const RecordConverter&) = delete;
  RecordConverter& operator=(const RecordConverter&) = delete;

  void convert(bcf1_t* rec, const Position& at) {
    ++counts_.records;
    if (rec->pos < 0) fail_at(o_.path, at, "POS must be a positive integer");
    bcf_unpack(rec, BCF_UN_STR);
    const int n_allele = rec->n_allele;
    if (n_allele < 1) fail_at(o_.path, at, "no REF allele");
    const int gt_values = bcf_get_genotypes(hdr_, rec, &gt_, &gt_capacity_);
    has_gt_ = gt_values > 0;
    ploidy_ = has_gt_ ? gt_values / std::max(1, bcf_hdr_nsamples(hdr_)) : 0;
    if (!has_gt_) ++counts_.records_without_gt;

    Variant v;
    const std::string chrom = bcf_seqname_safe(hdr_, rec);
    v.chrom_code = chromosome_code(chrom);
    v.chrom = chromosome_name(v.chrom_code, chrom);
    v.id = rec->d.id ? rec->d.id : ".";
    v.pos = rec->pos + 1;
    v.allele2 = rec->d.allele[0];
    if (n_allele <= 2) {
      v.allele1 = n_allele == 2 ? rec->d.allele[1] : ".";
      if (n_allele == 1)
        ++counts_.no_alt;
      else
        ++counts_.biallelic;
      write(v, 1, n_allele, at);
      return;
    }
    if (!o_.split_multiallelic) {
      ++counts_.multiallelic_skipped;
      return;
    }
    ++counts_.multiallelic_split;
    for (int k = 1; k < n_allele; ++k) {
      v.allele1 = rec->d.allele[k];
      ++counts_.split_variants;
      write(v, k, n_allele, at);
    }
  }

 private:
  // Writes the variant whose ALT is allele `alt` of the record; other ALT alleles count as REF.
  void write(const Variant& v, int alt, int n_allele, const Position& at) {
    const std::size_t n = codes_.size();
    if (!has_gt_) {
      std::fill(codes_.begin(), codes_.end(), std::uint8_t{1});
    } else {
      for (std::size_t i = 0; i < n; ++i)
        codes_[i] = call_code(gt_ + i * static_cast<std::size_t>(ploidy_), alt, n_allele, at, i);
    }
    writer_.add_variant(v, codes_.data());
    ++counts_.variants_written;
  }

  // .bed code of one sample's call: 0 hom. ALT, 2 het, 3 hom. REF, 1 missing.
  std::uint8_t call_code(const std::int32_t* call, int alt, int n_allele, const Position& at,
                         std::size_t sample) {
    int present = 0;
    int known = 0, missing = 0, alt_ct = 0;
    for (int j = 0; j < ploidy_; ++j) {
      const std::int32_t x = call[j];
      if (x == bcf_int32_vector_end) break;
      ++present;
      if (bcf_gt_is_missing(x)) {
        ++missing;
        continue;
      }
      const int allele = bcf_gt_allele(x);
      if (allele < 0 || allele >= n_allele)
        fail_at(o_.path, at,
                fmt::format("sample {}: GT allele {} but the record has {} alleles", hdr_->samples[sample],
                            allele, n_allele));
      ++known;
      if (allele == alt) ++alt_ct;
    }
    if (present == 0 || known == 0) return 1;
    if (present > 2) {
      ++counts_.polyploid_calls;
      return 1;
    }
    if (present == 1) {
      ++counts_.haploid_calls;
      return alt_ct ? 0 : 3;
    }
    if (missing == 0) return alt_ct == 2 ? 0 : alt_ct == 1 ? 2 : 3;
    // One allele known, one missing.
    ++counts_.half_calls;
    switch (o_.half_call) {
      case HalfCallMode::Missing:
        return 1;
      case HalfCallMode::Haploid:
        return alt_ct ? 0 : 3;
      case HalfCallMode::Reference:
        return alt_ct ? 2 : 3;
      case HalfCallMode::Error:
        fail_at(
            o_.path, at,
            fmt::format("sample {} has a half-missing GT call (see --vcf-half-call)", hdr_->samples[sample]));
    }
    return 1;
  }

  static std::string bcf_seqname_safe(const bcf_hdr_t* hdr, bcf1_t* rec) {
    const char* name = bcf_seqname(hdr, rec);
    return name ? name : "0";
  }

  const VcfImportOptions& o_;
  const bcf_hdr_t* hdr_;
  BedWriter& writer_;
  VcfImportCounts& counts_;
  std::vector<std::uint8_t> codes_;
  std::int32_t* gt_ = nullptr;
  int gt_capacity_ = 0;
  bool has_gt_ = false;
  int ploidy_ = 0;
};

// Problems htslib flags on a parsed record that make it unusable (undeclared contigs and tags are added to
// the header by htslib and are fine, as in plink2).
constexpr int kFatalRecordErrors =
    BCF_ERR_NCOLS | BCF_ERR_LIMITS | BCF_ERR_CHAR | BCF_ERR_CTG_INVALID | BCF_ERR_TAG_INVALID;

std::string record_error_text(int errcode) {
  if (errcode & BCF_ERR_NCOLS) return "wrong number of columns";
  if (errcode & BCF_ERR_LIMITS) return "a value is beyond htslib's limits";
  if (errcode & BCF_ERR_CHAR) return "invalid character";
  if (errcode & BCF_ERR_CTG_INVALID) return "invalid contig name";
  if (errcode & BCF_ERR_TAG_INVALID) return "invalid tag";
  return "htslib cannot parse it";
}

void strip_carriage_return(kstring_t& s) {
  if (s.l && s.s[s.l - 1] == '\r') s.s[--s.l] = '\0';
}

// "##key=<...>" lines must close their angle bracket; htslib accepts some broken ones silently.
void check_meta_line(const std::string& path, std::size_t line_no, std::string_view line) {
  if (!line.starts_with("##")) throw Error(path, line_no, "broken VCF header: expected ## or #CHROM");
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) throw Error(path, line_no, "broken VCF header: meta line without '='");
  if (eq + 1 < line.size() && line[eq + 1] == '<' && line.back() != '>')
    throw Error(path, line_no, "broken VCF header: structured line does not end with '>'");
}

void check_chrom_line(const std::string& path, std::size_t line_no, std::string_view line) {
  static constexpr std::string_view kFixed[] = {"#CHROM", "POS",  "ID",     "REF",
                                                "ALT",    "QUAL", "FILTER", "INFO"};
  std::size_t start = 0, column = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    const std::string_view field =
        line.substr(start, tab == std::string_view::npos ? line.size() - start : tab - start);
    if (column < 8 && field != kFixed[column])
      throw Error(path, line_no,
                  fmt::format("broken VCF header: column {} of the #CHROM line is '{}', expected '{}'",
                              column + 1, field, kFixed[column]));
    if (column == 8 && field != "FORMAT")
      throw Error(path, line_no, "broken VCF header: column 9 of the #CHROM line must be FORMAT");
    ++column;
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (column < 8) throw Error(path, line_no, "broken VCF header: the #CHROM line has fewer than 8 columns");
  // Sample names must be unique (htslib refuses duplicates with a less helpful message).
  std::unordered_set<std::string_view> names;
  std::size_t pos = 0;
  for (std::size_t c = 0; c < 9 && pos != std::string_view::npos; ++c) {
    pos = line.find('\t', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  while (pos != std::string_view::npos && pos <= line.size()) {
    const auto tab = line.find('\t', pos);
    const std::string_view name =
        line.substr(pos, tab == std::string_view::npos ? line.size() - pos : tab - pos);
    if (!names.insert(name).second)
      throw Error(path, line_no, fmt::format("duplicate sample ID '{}' in the #CHROM line", name));
    pos = tab == std::string_view::npos ? tab : tab + 1;
  }
}

}  // namespace

VcfImportCounts import_vcf(const VcfImportOptions& o, OutputSet& outputs, const Context& ctx) {
  hts_set_log_level(HTS_LOG_OFF);  // problems are reported as one Error, not as htslib's stderr lines
  std::error_code ec;
  if (!std::filesystem::exists(o.path, ec)) throw Error(o.path, 0, "no such file");
  if (std::filesystem::is_regular_file(o.path, ec) && std::filesystem::file_size(o.path, ec) == 0)
    throw Error(o.path, 0, "empty file");
  std::unique_ptr<htsFile, HtsFileCloser> fp(hts_open(o.path.c_str(), "r"));
  if (!fp) throw Error(o.path, 0, std::string("cannot open: ") + std::strerror(errno));
  const htsFormat* format = hts_get_format(fp.get());
  if (format->format != vcf && format->format != bcf)
    throw Error(o.path, 0, "not a VCF or BCF file (the first line must be ##fileformat=VCF...)");
  if (ctx.threads > 1) hts_set_threads(fp.get(), std::min(ctx.threads - 1, 4));
  const bool text = format->format == vcf;

  // A text VCF is read line by line so that errors can name the line; the header is parsed from its lines.
  std::unique_ptr<bcf_hdr_t, HeaderFree> hdr;
  KString line;
  std::size_t line_no = 0;
  bool have_first_data_line = false;
  if (text) {
    std::string header_text;
    bool saw_chrom_line = false;
    for (;;) {
      const int got = hts_getline(fp.get(), kLineSeparator, &line.s);
      if (got == -1) break;
      ++line_no;
      // Compressed data is read in blocks: the line being read is not where the damage is, so none is named.
      if (got < -1) throw Error(o.path, 0, "cannot read (corrupt or truncated compressed data)");
      if (line.s.l == 0) continue;
      if (line.s.s[0] != '#') {
        have_first_data_line = true;
        break;
      }
      strip_carriage_return(line.s);
      if (line_no == 1 && std::strncmp(line.s.s, "##fileformat=VCF", 16) != 0)
        throw Error(o.path, 1, "broken VCF header: the first line must be ##fileformat=VCF...");
      const std::string_view text_line(line.s.s, line.s.l);
      if (saw_chrom_line) throw Error(o.path, line_no, "broken VCF header: a line follows the #CHROM line");
      if (text_line.starts_with("#CHROM")) {
        saw_chrom_line = true;
        check_chrom_line(o.path, line_no, text_line);
      } else {
        check_meta_line(o.path, line_no, text_line);
      }
      header_text.append(text_line);
      header_text.push_back('\n');
    }
    if (!saw_chrom_line) throw Error(o.path, line_no, "broken VCF header: no #CHROM line");
    hdr.reset(bcf_hdr_init("r"));
    if (!hdr || bcf_hdr_parse(hdr.get(), header_text.data()) != 0)
      throw Error(o.path, 0, "broken VCF header (htslib cannot parse it)");
  } else {
    hdr.reset(bcf_hdr_read(fp.get()));
    if (!hdr) throw Error(o.path, 0, "broken BCF header");
  }
  if (bcf_hdr_nsamples(hdr.get()) == 0) throw Error(o.path, 0, "no samples in the header");

  VcfImportCounts counts;
  counts.sample_ct = static_cast<std::size_t>(bcf_hdr_nsamples(hdr.get()));
  SampleTable samples = [&] {
    try {
      return SampleTable(samples_from_header(hdr.get(), o));
    } catch (const Error& e) {
      if (!e.file().empty()) throw;
      throw Error(o.path, 0, std::string(e.what()) + " in the header");
    }
  }();
  BedWriter writer(outputs, samples);
  RecordConverter converter(o, hdr.get(), writer, counts);
  const std::size_t expected_columns = 9 + counts.sample_ct;
  std::unique_ptr<bcf1_t, RecordFree> rec(bcf_init());
  Position at;
  at.text = text;
  if (text) {
    bool pending = have_first_data_line;
    for (;;) {
      if (!pending) {
        const int got = hts_getline(fp.get(), kLineSeparator, &line.s);
        if (got == -1) break;
        ++line_no;
        if (got < -1) throw Error(o.path, 0, "cannot read (corrupt or truncated compressed data)");
      }
      pending = false;
      if (line.s.l == 0) continue;
      at.line = line_no;
      ++at.record;
      strip_carriage_return(line.s);
      if (line.s.s[0] == '#') fail_at(o.path, at, "header line after the data lines");
      const std::size_t columns =
          1 + static_cast<std::size_t>(std::count(line.s.s, line.s.s + line.s.l, '\t'));
      if (columns != expected_columns)
        fail_at(o.path, at,
                fmt::format("expected {} tab-separated columns (8 fixed, FORMAT and {} samples), found {}",
                            expected_columns, counts.sample_ct, columns));
      const int r = vcf_parse(&line.s, hdr.get(), rec.get());
      if (r < 0 || (rec->errcode & kFatalRecordErrors))
        fail_at(o.path, at, "malformed data line: " + record_error_text(rec->errcode));
      converter.convert(rec.get(), at);
      if ((at.record & 0xFFFF) == 0) ctx.report("import", at.record, 0);
    }
  } else {
    for (;;) {
      const int r = bcf_read(fp.get(), hdr.get(), rec.get());
      if (r == -1) break;
      ++at.record;
      if (r < -1 || (rec->errcode & kFatalRecordErrors))
        fail_at(o.path, at, "malformed record: " + record_error_text(rec->errcode));
      converter.convert(rec.get(), at);
    }
  }
  if (counts.variants_written == 0)
    throw Error(o.path, 0,
                fmt::format("no variants to write ({} records read, {} multiallelic skipped)", counts.records,
                            counts.multiallelic_skipped));
  return counts;
}

}  // namespace genomap
