#include "genomap/popstats/f2_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "genomap/core/error.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/io/output_file.hpp"
#include "genomap/popstats/fstats.hpp"

namespace genomap {

namespace {

constexpr const char* kFormatLine = "genomap_f2_store\t2";
constexpr const char* kDataFiles[] = {"populations.tsv", "variants.tsv", "counts.bin", "f2.bin"};

std::string format_number(double x) { return fmt::format("{}", x); }

bool is_transversion(const Variant& v) {
  auto base = [](const std::string& a) -> char {
    return a.size() == 1 ? static_cast<char>(std::toupper(static_cast<unsigned char>(a[0]))) : 0;
  };
  const char a = base(v.allele1), b = base(v.allele2);
  auto purine = [](char c) { return c == 'A' || c == 'G'; };
  auto known = [](char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; };
  return known(a) && known(b) && a != b && purine(a) != purine(b);
}

// Whether one variant passes the store filters, from its per-population counts.
bool keep_variant(const Variant& var, const PopulationCounts& c, std::size_t v, const F2StoreFilters& f) {
  if (f.transversions_only && !is_transversion(var)) return false;
  std::size_t missing_pops = 0;
  double alleles = 0, copies = 0;
  for (std::size_t p = 0; p < c.pop_ct; ++p) {
    const std::size_t k = c.at(v, p);
    if (c.called[k] == 0) ++missing_pops;
    alleles += c.alleles(k);
    copies += c.allele1[k];
  }
  if (static_cast<double>(missing_pops) > f.max_missing * static_cast<double>(c.pop_ct) + 1e-9) return false;
  if (f.min_maf > 0) {
    if (alleles == 0) return false;
    const double p = copies / alleles;
    if (std::min(p, 1 - p) < f.min_maf) return false;
  }
  return true;
}

template <typename T>
void write_array(std::FILE* f, const std::vector<T>& values) {
  if (!values.empty()) std::fwrite(values.data(), sizeof(T), values.size(), f);
}

std::vector<char> read_binary(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(path, 0, "cannot open f2 store file");
  std::vector<char> bytes;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + got);
  std::fclose(f);
  return bytes;
}

// A binary file: an 8-byte magic, two uint64 dimensions, then `arrays` arrays of dim0 * dim1 elements of T.
template <typename T>
void read_arrays(const std::string& path, const char* magic, std::size_t dim0, std::size_t dim1,
                 std::vector<std::vector<T>*> arrays) {
  const std::vector<char> bytes = read_binary(path);
  std::uint64_t dims[2] = {0, 0};
  const std::size_t n = dim0 * dim1;
  if (bytes.size() < 24 || std::memcmp(bytes.data(), magic, 8) != 0)
    throw Error(path, 0, "not a genomap f2 store file");
  std::memcpy(dims, bytes.data() + 8, sizeof dims);
  if (dims[0] != dim0 || dims[1] != dim1 || bytes.size() != 24 + arrays.size() * n * sizeof(T))
    throw Error(path, 0, "dimensions do not match the store's populations, variants and blocks");
  for (std::size_t a = 0; a < arrays.size(); ++a) {
    arrays[a]->resize(n);
    if (n) std::memcpy(arrays[a]->data(), bytes.data() + 24 + a * n * sizeof(T), n * sizeof(T));
  }
}

void write_header(std::FILE* f, const char* magic, std::uint64_t dim0, std::uint64_t dim1) {
  std::fwrite(magic, 1, 8, f);
  const std::uint64_t dims[2] = {dim0, dim1};
  std::fwrite(dims, sizeof dims[0], 2, f);
}

}  // namespace

std::vector<std::string> f2_store_key_lines(const F2StoreKey& key, const PopulationAssignment& populations) {
  const F2StoreFilters& filters = key.filters;
  std::vector<std::string> lines;
  for (const auto& in : key.inputs) lines.push_back("input\t" + in);
  lines.push_back("sample_filters\t" +
                  (key.sample_filters.empty() ? std::string("none") : key.sample_filters));
  lines.push_back("blocks\t" + key.blocking);
  lines.push_back("pseudohaploid\t" + key.pseudohaploid);
  lines.push_back("max_missing\t" + format_number(filters.max_missing));
  lines.push_back("min_maf\t" + format_number(filters.min_maf));
  lines.push_back(std::string("transversions_only\t") + (filters.transversions_only ? "yes" : "no"));
  std::string pops;
  for (std::size_t p = 0; p < populations.pop_ct(); ++p)
    pops += fmt::format("{}{}:{}", p ? "," : "", populations.names[p], populations.sizes[p]);
  lines.push_back("populations\t" + pops);
  return lines;
}

std::size_t F2Store::pair_index(std::size_t i, std::size_t j) const {
  // Pairs (0,1), (0,2), ..., (1,2), ... as compute_fstats orders them.
  const std::size_t n = pop_ct();
  return i * n - i * (i + 1) / 2 + (j - i - 1);
}

std::uint32_t F2Store::index_of(const std::string& name, const std::string& where) const {
  for (std::size_t p = 0; p < pop_names.size(); ++p)
    if (pop_names[p] == name) return static_cast<std::uint32_t>(p);
  throw Error(fmt::format("{}: population '{}' has no samples in the f2 store", where, name));
}

PopulationData F2Store::population_data() const {
  PopulationData pd;
  pd.variants = variants;
  pd.populations.names = pop_names;
  pd.populations.sizes = pop_sizes;
  pd.pass = [this](const PopulationCountsSink& sink) {
    constexpr std::size_t kChunk = 4096;
    const std::size_t n = pop_ct();
    PopulationCounts c;
    for (std::size_t first = 0; first < variants.size(); first += kChunk) {
      const std::size_t ct = std::min(kChunk, variants.size() - first);
      c.first_variant = first;
      c.variant_ct = ct;
      c.pop_ct = n;
      c.called.assign(called.begin() + first * n, called.begin() + (first + ct) * n);
      c.het.assign(het.begin() + first * n, het.begin() + (first + ct) * n);
      c.allele1.assign(allele1.begin() + first * n, allele1.begin() + (first + ct) * n);
      c.haploid.assign(haploid.begin() + first * n, haploid.begin() + (first + ct) * n);
      sink(c);
    }
  };
  return pd;
}

F2Store build_f2_store(const PopulationData& data, const std::vector<std::uint32_t>& block_of_variant,
                       std::size_t block_ct, const F2StoreKey& key, const Context& ctx,
                       StatisticsAlongside* alongside) {
  F2Store store;
  store.pop_names = data.populations.names;
  store.pop_sizes = data.populations.sizes;
  store.block_ct = block_ct;
  const std::size_t n = store.pop_ct();
  // The counts of a kept variant; its Variant is copied by the caller (all at once when none is dropped).
  auto keep_counts = [&](const PopulationCounts& c, std::size_t v) {
    store.block_of_variant.push_back(block_of_variant[c.first_variant + v]);
    const std::size_t k = c.at(v, 0);
    store.called.insert(store.called.end(), c.called.begin() + k, c.called.begin() + k + n);
    store.het.insert(store.het.end(), c.het.begin() + k, c.het.begin() + k + n);
    store.allele1.insert(store.allele1.end(), c.allele1.begin() + k, c.allele1.begin() + k + n);
    if (c.haploid.empty())
      store.haploid.insert(store.haploid.end(), n, 0u);
    else
      store.haploid.insert(store.haploid.end(), c.haploid.begin() + k, c.haploid.begin() + k + n);
  };
  const F2StoreFilters& f = key.filters;
  FstatsResult f2;
  if (f.max_missing >= 1.0 && f.min_maf <= 0 && !f.transversions_only) {
    // No store filter can drop a variant: the f2 blocks are computed in the pass that fills the store, from
    // the same counts in the same order as a pass over the store would give them (hence the same bits).
    const std::size_t cells = data.variants.size() * n;
    store.block_of_variant.reserve(data.variants.size());
    for (auto* a : {&store.called, &store.het, &store.allele1, &store.haploid}) a->reserve(cells);
    PopulationData tapped;
    tapped.variants = data.variants;  // the one copy: it becomes the store's after the pass
    tapped.populations = data.populations;
    tapped.pass = [&](const PopulationCountsSink& sink) {
      data.pass([&](const PopulationCounts& c) {
        for (std::size_t v = 0; v < c.variant_ct; ++v) keep_counts(c, v);
        sink(c);
      });
    };
    f2 = alongside ? compute_fstats(tapped, block_of_variant, block_ct, alongside->requests,
                                    alongside->options, ctx)
                   : compute_fstats(tapped, block_of_variant, block_ct, {}, {}, ctx);
    store.variants = std::move(tapped.variants);
  } else {
    data.pass([&](const PopulationCounts& c) {
      for (std::size_t v = 0; v < c.variant_ct; ++v) {
        if (keep_variant(data.variants[c.first_variant + v], c, v, f)) {
          store.variants.push_back(data.variants[c.first_variant + v]);
          keep_counts(c, v);
        } else
          ++store.filtered_variant_ct;
      }
    });
    if (store.variants.empty()) throw Error("f2 store: no variant passes the store filters");
    f2 = alongside ? compute_fstats(store.population_data(), store.block_of_variant, block_ct,
                                    alongside->requests, alongside->options, ctx)
                   : compute_fstats(store.population_data(), store.block_of_variant, block_ct, {}, {}, ctx);
  }
  if (store.variants.empty()) throw Error("f2 store: no variant passes the store filters");
  if (alongside) {
    store.f2_block_sum = f2.f2_block_sum;
    store.f2_block_snps = f2.f2_block_snps;
    alongside->result = std::move(f2);
  } else {
    store.f2_block_sum = std::move(f2.f2_block_sum);
    store.f2_block_snps = std::move(f2.f2_block_snps);
  }
  store.key = f2_store_key_lines(key, data.populations);
  return store;
}

bool f2_store_exists(const std::string& dir) {
  return std::filesystem::exists(std::filesystem::path(dir) / "manifest.tsv");
}

void write_f2_store(const F2Store& store, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw Error(dir, 0, "cannot create the f2 store folder");
  const fs::path root(dir);
  fs::remove(root / "manifest.tsv", ec);  // the store is invalid until its new manifest is in place
  const std::size_t n = store.pop_ct();
  {
    OutputFile f((root / "populations.tsv").string());
    fmt::print(f.stream(), "#POP\tN\n");
    for (std::size_t p = 0; p < n; ++p)
      fmt::print(f.stream(), "{}\t{}\n", store.pop_names[p], store.pop_sizes[p]);
    f.commit();
  }
  {
    OutputFile f((root / "variants.tsv").string());
    fmt::print(f.stream(), "#CHROM\tID\tCM\tPOS\tA1\tA2\tBLOCK\n");
    for (std::size_t v = 0; v < store.variants.size(); ++v) {
      const Variant& var = store.variants[v];
      fmt::print(f.stream(), "{}\t{}\t{}\t{}\t{}\t{}\t{}\n", var.chrom, var.id, var.cm, var.pos, var.allele1,
                 var.allele2, store.block_of_variant[v]);
    }
    f.commit();
  }
  {
    OutputFile f((root / "counts.bin").string());
    write_header(f.stream(), "GMF2CNT2", store.variants.size(), n);
    write_array(f.stream(), store.called);
    write_array(f.stream(), store.het);
    write_array(f.stream(), store.allele1);
    write_array(f.stream(), store.haploid);
    f.commit();
  }
  {
    OutputFile f((root / "f2.bin").string());
    write_header(f.stream(), "GMF2BLK1", n * (n - 1) / 2, store.block_ct);
    write_array(f.stream(), store.f2_block_sum);
    write_array(f.stream(), store.f2_block_snps);
    f.commit();
  }
  OutputFile manifest((root / "manifest.tsv").string());
  fmt::print(manifest.stream(), "{}\n", kFormatLine);
  for (const auto& line : store.key) fmt::print(manifest.stream(), "{}\n", line);
  for (const char* name : kDataFiles)
    fmt::print(manifest.stream(), "file\t{}\t{}\n", name, describe_file((root / name).string()));
  manifest.commit();
}

namespace {

std::vector<Variant> read_store_variants(const std::string& path,
                                         std::vector<std::uint32_t>& block_of_variant,
                                         std::size_t& block_ct) {
  LineReader reader(path);
  std::string line;
  std::vector<Variant> variants;
  block_ct = 0;
  while (reader.next(line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto fields = split_on(line, '\t');
    Variant v;
    double cm = 0, pos = 0, block = 0;
    if (fields.size() != 7 || !parse_double(fields[2], cm) || !parse_double(fields[3], pos) ||
        !parse_double(fields[6], block) || block < 0)
      reader.fail("expected CHROM ID CM POS A1 A2 BLOCK");
    v.chrom = std::string(fields[0]);
    v.id = std::string(fields[1]);
    v.cm = cm;
    v.pos = static_cast<std::int64_t>(pos);
    v.allele1 = std::string(fields[4]);
    v.allele2 = std::string(fields[5]);
    block_of_variant.push_back(static_cast<std::uint32_t>(block));
    block_ct = std::max<std::size_t>(block_ct, static_cast<std::size_t>(block) + 1);
    variants.push_back(std::move(v));
  }
  return variants;
}

}  // namespace

F2Store read_f2_store(const std::string& dir, const std::vector<std::string>& expected_key) {
  namespace fs = std::filesystem;
  const fs::path root(dir);
  const std::string manifest_path = (root / "manifest.tsv").string();
  if (!fs::exists(manifest_path)) throw Error(dir, 0, "not an f2 store (no manifest.tsv)");
  F2Store store;
  std::vector<std::pair<std::string, std::string>> files;
  {
    LineReader reader(manifest_path);
    std::string line;
    if (!reader.next(line) || line != kFormatLine) reader.fail("not a genomap f2 store manifest of format 2");
    while (reader.next(line)) {
      if (line.rfind("file\t", 0) == 0) {
        const auto fields = split_on(line, '\t');
        if (fields.size() != 3) reader.fail("expected 'file NAME DESCRIPTION'");
        files.emplace_back(std::string(fields[1]), std::string(fields[2]));
      } else {
        store.key.push_back(line);
      }
    }
  }
  if (files.size() != std::size(kDataFiles))
    throw Error(manifest_path, 0, "the manifest lists the wrong files");
  for (const auto& [name, description] : files)
    if (!fs::exists(root / name) || describe_file((root / name).string()) != description)
      throw Error((root / name).string(), 0,
                  "does not match the f2 store manifest (a foreign or damaged store; rebuild it)");
  if (!expected_key.empty() && expected_key != store.key) {
    std::string first = "(line count)";
    for (std::size_t i = 0; i < std::min(expected_key.size(), store.key.size()); ++i)
      if (expected_key[i] != store.key[i]) {
        first = store.key[i].substr(0, store.key[i].find('\t'));
        break;
      }
    throw Error(dir, 0,
                fmt::format("stale f2 store: it was built from other inputs or options (differs in '{}'); "
                            "remove it or choose another folder",
                            first));
  }
  {
    const std::string path = (root / "populations.tsv").string();
    LineReader reader(path);
    std::string line;
    while (reader.next(line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto fields = split_on(line, '\t');
      double size = 0;
      if (fields.size() != 2 || !parse_double(fields[1], size)) reader.fail("expected POP N");
      store.pop_names.emplace_back(fields[0]);
      store.pop_sizes.push_back(static_cast<std::uint32_t>(size));
    }
  }
  store.variants =
      read_store_variants((root / "variants.tsv").string(), store.block_of_variant, store.block_ct);
  const std::size_t n = store.pop_ct();
  read_arrays<std::uint32_t>((root / "counts.bin").string(), "GMF2CNT2", store.variants.size(), n,
                             {&store.called, &store.het, &store.allele1, &store.haploid});
  // f2.bin's block count is authoritative (trailing blocks may hold no kept variant).
  const std::vector<char> head = read_binary((root / "f2.bin").string());
  if (head.size() >= 24) std::memcpy(&store.block_ct, head.data() + 16, sizeof(std::uint64_t));
  read_arrays<double>((root / "f2.bin").string(), "GMF2BLK1", n * (n - 1) / 2, store.block_ct,
                      {&store.f2_block_sum, &store.f2_block_snps});
  for (std::uint32_t b : store.block_of_variant)
    if (b >= store.block_ct)
      throw Error((root / "variants.tsv").string(), 0, "block index beyond f2.bin's blocks");
  return store;
}

F2Store open_or_build_f2_store(const std::string& dir, const PopulationData& data,
                               const std::vector<std::uint32_t>& block_of_variant, std::size_t block_ct,
                               F2StoreKey key, const Context& ctx, bool& built,
                               const std::function<void(F2StoreKey&)>& describe_inputs,
                               StatisticsAlongside* alongside) {
  built = !f2_store_exists(dir);
  if (!built) {
    if (describe_inputs) describe_inputs(key);
    return read_f2_store(dir, f2_store_key_lines(key, data.populations));
  }
  F2Store store = build_f2_store(data, block_of_variant, block_ct, key, ctx, alongside);
  if (describe_inputs) {
    describe_inputs(key);
    store.key = f2_store_key_lines(key, data.populations);
  }
  write_f2_store(store, dir);
  return store;
}

}  // namespace genomap
