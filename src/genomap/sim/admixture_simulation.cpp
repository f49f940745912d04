#include "genomap/sim/admixture_simulation.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"
#include "genomap/geno/bed_writer.hpp"
#include "genomap/sim/genome_layout.hpp"
#include "genomap/sim/random_stream.hpp"
#include "genomap/sim/simulated_pedigree.hpp"
#include "genomap/sim/simulated_phenotype.hpp"

namespace genomap {
namespace {

// Variant j draws from stream kFirstVariantStream + j; lower streams belong to ancestry and phenotypes.
constexpr std::uint64_t kFirstVariantStream = 16;

// Allele pairs without the strand-ambiguous A/T and C/G.
constexpr const char* kAllelePairs[8][2] = {{"A", "C"}, {"A", "G"}, {"C", "A"}, {"C", "T"},
                                           {"G", "A"}, {"G", "T"}, {"T", "C"}, {"T", "G"}};

// What one chunk of consecutive variants produces, written out in order once the chunk is done.
struct VariantChunk {
  std::size_t first = 0, count = 0;
  std::vector<std::uint8_t> packed;    // count rows of ceil(N/4) bytes
  std::vector<Variant> variants;
  std::vector<double> frequencies;     // count x K (the rows of .P)
  std::vector<std::uint8_t> causal_dosage;  // allele-1 dosage of each causal variant in the chunk, N per variant
  std::vector<std::size_t> causal_index;    // index into the causal list, per stored dosage row
};

class ChunkGenerator {
 public:
  ChunkGenerator(const SimulationOptions& o, const SimulatedPedigree& pedigree, const GenomeLayout& layout,
                 const std::vector<CausalVariant>& causal)
      : o_(o), ped_(pedigree), layout_(layout), causal_(causal) {
    const std::size_t members = ped_.members.size();
    latent_.assign(2 * members, 0.0);
    allele_.assign(2 * members, 0);
    transmitted_.assign(2 * members, 0);
    shape_scale_ = (1.0 - o.fst) / o.fst;
    for (std::size_t m = 0; m < members; ++m) (ped_.members[m].founder() ? founders_ : descendants_).push_back(m);
  }

  void generate(VariantChunk& chunk) {
    const std::size_t n = ped_.output_member.size();
    const std::size_t bytes = (n + 3) / 4;
    chunk.packed.assign(chunk.count * bytes, 0);
    chunk.variants.resize(chunk.count);
    chunk.frequencies.resize(chunk.count * o_.k);
    chunk.causal_dosage.clear();
    chunk.causal_index.clear();
    auto causal_it = std::lower_bound(causal_.begin(), causal_.end(), chunk.first,
                                      [](const CausalVariant& c, std::size_t v) { return c.variant < v; });
    for (std::size_t v = 0; v < chunk.count; ++v) {
      const std::size_t j = chunk.first + v;
      RandomStream rng(o_.seed, kFirstVariantStream + j);
      describe_variant(j, rng, chunk.variants[v]);
      double* freq = chunk.frequencies.data() + v * o_.k;
      draw_population_frequencies(rng, freq);
      const bool block_start = layout_.index_in_chromosome(j) % o_.ld_block == 0;
      draw_haplotypes(rng, freq, block_start);
      const bool is_causal = causal_it != causal_.end() && causal_it->variant == j;
      if (is_causal) {
        chunk.causal_index.push_back(static_cast<std::size_t>(causal_it - causal_.begin()));
        chunk.causal_dosage.resize(chunk.causal_dosage.size() + n);
        ++causal_it;
      }
      std::uint8_t* row = chunk.packed.data() + v * bytes;
      std::uint8_t* dosage_out = is_causal ? chunk.causal_dosage.data() + chunk.causal_dosage.size() - n : nullptr;
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t m = ped_.output_member[i];
        const int dosage = allele_[2 * m] + allele_[2 * m + 1];
        if (dosage_out) dosage_out[i] = static_cast<std::uint8_t>(dosage);
        const bool missing = o_.missing > 0 && rng.uniform() < o_.missing;
        const std::uint8_t code = missing ? 1 : bed_code_from_allele1_dosage(dosage);
        row[i >> 2] |= static_cast<std::uint8_t>(code << (2 * (i & 3)));
      }
    }
  }

 private:
  void describe_variant(std::size_t j, RandomStream& rng, Variant& var) const {
    const int chrom = layout_.chromosome(j);
    var.chrom = std::to_string(chrom);
    var.chrom_code = chrom;
    var.id = fmt::format("snp{}", j + 1);
    var.pos = layout_.position(j);
    var.cm = static_cast<double>(var.pos) / 1e6;
    const auto& pair = kAllelePairs[rng.below(8)];
    var.allele1 = pair[0];
    var.allele2 = pair[1];
  }

  void draw_population_frequencies(RandomStream& rng, double* freq) {
    const double p = 0.05 + 0.9 * rng.uniform();
    previous_ancestral_ = ancestral_;
    ancestral_ = p;
    for (std::size_t k = 0; k < o_.k; ++k) freq[k] = rng.beta(p * shape_scale_, (1.0 - p) * shape_scale_);
  }

  // Two alleles thresholding one shared uniform at frequencies a and b have correlation
  // r_max = (min(a, b) - ab) / sqrt(a(1-a) b(1-b)); keeping the uniform with probability c gives r = c r_max.
  // c = sqrt(R) / r_max (at the ancestral frequencies) aims at r^2 = R; where R is out of reach, c = 1.
  double copy_probability() const {
    const double a = previous_ancestral_, b = ancestral_;
    const double r_max = (std::min(a, b) - a * b) / std::sqrt(a * (1 - a) * b * (1 - b));
    return std::min(1.0, std::sqrt(o_.ld_r2) / r_max);
  }

  void draw_haplotypes(RandomStream& rng, const double* freq, bool block_start) {
    const bool linked = o_.ld_block > 1 && o_.ld_r2 > 0 && !block_start;
    const double keep = linked ? copy_probability() : 0.0;
    for (std::size_t m : founders_) {
      const double* q = ped_.q(m);
      double theta = 0;
      for (std::size_t k = 0; k < o_.k; ++k) theta += q[k] * freq[k];
      for (std::size_t h = 2 * m; h < 2 * m + 2; ++h) {
        if (!linked || rng.uniform() >= keep) latent_[h] = rng.uniform();
        allele_[h] = latent_[h] < theta ? 1 : 0;
      }
    }
    const bool new_segment = o_.ld_block <= 1 || block_start;
    for (std::size_t m : descendants_) {
      const SimulatedMember& member = ped_.members[m];
      if (member.clone_of >= 0) {
        const auto src = static_cast<std::size_t>(member.clone_of);
        allele_[2 * m] = allele_[2 * src];
        allele_[2 * m + 1] = allele_[2 * src + 1];
        continue;
      }
      for (std::size_t s = 0; s < 2; ++s) {
        if (new_segment) transmitted_[2 * m + s] = static_cast<std::uint8_t>(rng.next() >> 63);
        const auto parent = static_cast<std::size_t>(member.parent[s]);
        allele_[2 * m + s] = allele_[2 * parent + transmitted_[2 * m + s]];
      }
    }
  }

  const SimulationOptions& o_;
  const SimulatedPedigree& ped_;
  const GenomeLayout& layout_;
  const std::vector<CausalVariant>& causal_;
  std::vector<std::size_t> founders_, descendants_;
  std::vector<double> latent_;             // per haplotype: the uniform behind its current allele
  std::vector<std::uint8_t> allele_;       // per haplotype: 1 = allele 1
  std::vector<std::uint8_t> transmitted_;  // per descendant haplotype: which parental haplotype it carries
  double ancestral_ = 0.5, previous_ancestral_ = 0.5;  // p of this and the previous variant
  double shape_scale_ = 0;
};

// Chunk boundaries fall on LD block starts, so a chunk never needs the previous chunk's haplotypes.
std::vector<std::size_t> chunk_starts(const SimulationOptions& o, const GenomeLayout& layout, std::size_t target) {
  std::vector<std::size_t> starts{0};
  for (std::size_t j = 1; j < o.variant_ct; ++j)
    if (j - starts.back() >= target && layout.index_in_chromosome(j) % o.ld_block == 0) starts.push_back(j);
  starts.push_back(o.variant_ct);
  return starts;
}

std::string sample_id(std::size_t output_index) { return fmt::format("ind{}", output_index + 1); }

void write_truth_tables(const SimulationOptions& o, const SimulatedPedigree& ped, OutputSet& outputs) {
  std::FILE* q = outputs.open(".Q").stream();
  std::FILE* pop = outputs.open(".pop").stream();
  fmt::print(pop, "FID\tIID\tPOP\n");
  for (std::size_t i = 0; i < ped.output_member.size(); ++i) {
    const double* row = ped.q(ped.output_member[i]);
    for (std::size_t k = 0; k < o.k; ++k) fmt::print(q, "{}{:.6f}", k ? " " : "", row[k]);
    fmt::print(q, "\n");
    const auto top = static_cast<std::size_t>(std::max_element(row, row + o.k) - row);
    fmt::print(pop, "{0}\t{0}\tpop{1}\n", sample_id(i), top + 1);
  }
  if (o.related.pair_ct() == 0) return;
  std::FILE* rel = outputs.open(".related").stream();
  fmt::print(rel, "FID1\tIID1\tFID2\tIID2\tRELATIONSHIP\tDEGREE\tKINSHIP\n");
  for (const auto& p : ped.pairs)
    fmt::print(rel, "{0}\t{0}\t{1}\t{1}\t{2}\t{3}\t{4}\n", sample_id(p.output1), sample_id(p.output2),
               p.relationship, p.degree, p.kinship);
}

void write_phenotypes(const SimulationOptions& o, const SimulatedPedigree& ped, std::vector<double> raw_genetic_value,
                      std::vector<CausalVariant>& causal, OutputSet& outputs) {
  const SimulatedPhenotype ph = simulate_phenotype(o, ped, std::move(raw_genetic_value), causal);
  std::FILE* f = outputs.open(".pheno").stream();
  fmt::print(f, "FID\tIID\tQT\tBT\n");
  for (std::size_t i = 0; i < ph.quantitative.size(); ++i)
    fmt::print(f, "{0}\t{0}\t{1:.6g}\t{2}\n", sample_id(i), ph.quantitative[i], ph.binary[i]);
  std::FILE* c = outputs.open(".causal").stream();
  fmt::print(c, "ID\tEFFECT\n");
  for (const auto& cv : causal) fmt::print(c, "snp{}\t{:.8g}\n", cv.variant + 1, cv.effect);
}

}  // namespace

void simulate_dataset(const SimulationOptions& o, OutputSet& outputs, const Context& ctx) {
  validate(o);
  const SimulatedPedigree ped = build_pedigree(o);
  const std::size_t n = ped.output_member.size();
  const GenomeLayout layout(o.variant_ct, o.chromosome_ct);
  std::vector<CausalVariant> causal = o.causal_ct ? draw_causal_variants(o) : std::vector<CausalVariant>{};

  const std::size_t bytes_per_variant = (n + 3) / 4;
  const auto threads = static_cast<std::size_t>(std::max(1, ctx.threads));
  // Chunks of about 1 MB of packed rows; two per thread in flight.
  const std::size_t target = std::clamp<std::size_t>((std::size_t{1} << 20) / bytes_per_variant, 16, 8192);
  const std::size_t per_chunk_bytes = target * (bytes_per_variant + 64 + 8 * o.k) + ped.members.size() * 16;
  ctx.memory.require(2 * threads * per_chunk_bytes + ped.members.size() * 8 * (o.k + 4), "simulation buffers");
  const std::vector<std::size_t> starts = chunk_starts(o, layout, target);
  const std::size_t chunk_ct = starts.size() - 1;
  ctx.note(fmt::format("simulate: {} samples ({} simulated individuals), {} variants, K={}, Fst={}, {} chunks",
                       n, ped.members.size(), o.variant_ct, o.k, o.fst, chunk_ct));

  std::vector<Sample> samples(n);
  for (std::size_t i = 0; i < n; ++i) samples[i].fid = samples[i].iid = sample_id(i);
  BedWriter bed(outputs, SampleTable(std::move(samples)));
  std::FILE* p_file = outputs.open(".P").stream();
  write_truth_tables(o, ped, outputs);

  std::vector<double> raw_genetic_value(n, 0.0);
  const std::size_t wave = 2 * threads;
  std::vector<VariantChunk> chunks(wave);
  std::vector<std::unique_ptr<ChunkGenerator>> generators(threads);
  for (auto& g : generators) g = std::make_unique<ChunkGenerator>(o, ped, layout, causal);
  for (std::size_t first_chunk = 0; first_chunk < chunk_ct; first_chunk += wave) {
    const std::size_t in_wave = std::min(wave, chunk_ct - first_chunk);
    for (std::size_t c = 0; c < in_wave; ++c) {
      chunks[c].first = starts[first_chunk + c];
      chunks[c].count = starts[first_chunk + c + 1] - starts[first_chunk + c];
    }
#pragma omp parallel for num_threads(static_cast<int>(threads)) schedule(dynamic, 1)
    for (std::size_t c = 0; c < in_wave; ++c) generators[static_cast<std::size_t>(omp_get_thread_num())]->generate(chunks[c]);
    for (std::size_t c = 0; c < in_wave; ++c) {
      const VariantChunk& chunk = chunks[c];
      for (std::size_t v = 0; v < chunk.count; ++v) {
        bed.add_packed_variant(chunk.variants[v], chunk.packed.data() + v * bytes_per_variant);
        const double* freq = chunk.frequencies.data() + v * o.k;
        for (std::size_t k = 0; k < o.k; ++k) fmt::print(p_file, "{}{:.6f}", k ? " " : "", freq[k]);
        fmt::print(p_file, "\n");
      }
      for (std::size_t r = 0; r < chunk.causal_index.size(); ++r) {
        const double effect = causal[chunk.causal_index[r]].effect;
        const std::uint8_t* dosage = chunk.causal_dosage.data() + r * n;
        for (std::size_t i = 0; i < n; ++i) raw_genetic_value[i] += effect * dosage[i];
      }
      ctx.report("simulate", chunk.first + chunk.count, o.variant_ct);
    }
  }
  if (!causal.empty()) write_phenotypes(o, ped, std::move(raw_genetic_value), causal, outputs);
  ctx.note(fmt::format("simulate: wrote {} variants x {} samples; {} planted pairs; {} causal variants",
                       bed.variant_ct(), n, ped.pairs.size(), causal.size()));
}

}  // namespace genomap
