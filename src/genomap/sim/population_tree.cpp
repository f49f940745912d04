#include "genomap/sim/population_tree.hpp"
// GCC 12 reports a false -Wrestrict inside std::string assignment at -O3 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <fmt/format.h>

#include <cmath>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/geno/bed_writer.hpp"
#include "genomap/io/line_reader.hpp"
#include "genomap/sim/genome_layout.hpp"

namespace genomap {

std::vector<std::size_t> PopulationTree::sampled() const {
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < populations.size(); ++p)
    if (populations[p].sampled) out.push_back(p);
  return out;
}

PopulationTree read_population_tree(const std::string& path) {
  LineReader reader(path);
  std::string line;
  PopulationTree tree;
  auto find = [&](std::string_view name) -> std::size_t {
    for (std::size_t p = 0; p < tree.populations.size(); ++p)
      if (tree.populations[p].name == name) return p;
    reader.fail(fmt::format("population '{}' is not defined on an earlier line", name));
    return 0;
  };
  while (reader.next(line)) {
    const std::string content = line.substr(0, line.find('#'));
    const auto fields = split_whitespace(content);
    if (fields.empty()) continue;
    TreePopulation pop;
    if (fields.size() != 3) reader.fail("expected NAME PARENT DRIFT or NAME A:w,B:w DRIFT");
    pop.name = std::string(fields[0]);
    for (const auto& other : tree.populations)
      if (other.name == pop.name) reader.fail(fmt::format("population '{}' is defined twice", pop.name));
    if (!parse_double(fields[2], pop.drift) || pop.drift < 0 || pop.drift >= 1)
      reader.fail(fmt::format("drift must be in [0, 1) (got '{}')", fields[2]));
    if (fields[1].find(':') != std::string_view::npos) {
      double total = 0;
      for (auto part : split_on(fields[1], ',')) {
        const auto colon = part.find(':');
        double w = 0;
        if (colon == std::string_view::npos || !parse_double(part.substr(colon + 1), w) || w <= 0)
          reader.fail(fmt::format("cannot read mixture source '{}' (expected NAME:WEIGHT)", part));
        pop.sources.emplace_back(find(part.substr(0, colon)), w);
        total += w;
      }
      if (std::abs(total - 1) > 1e-9) reader.fail(fmt::format("mixture weights sum to {}, not 1", total));
    } else if (fields[1] != "-") {
      pop.sources.emplace_back(find(fields[1]), 1.0);
      if (pop.drift <= 0) reader.fail("a branch needs a positive drift");
    } else if (pop.drift <= 0) {
      reader.fail("a branch needs a positive drift");
    }
    for (const auto& [source, weight] : pop.sources) tree.populations[source].sampled = false;
    tree.populations.push_back(std::move(pop));
  }
  if (tree.sampled().empty()) throw Error(path, 0, "no population to sample");
  return tree;
}

void draw_tree_frequencies(const PopulationTree& tree, RandomStream& rng, std::vector<double>& freq) {
  freq.assign(tree.populations.size(), 0.0);
  const double ancestral = 0.05 + 0.9 * rng.uniform();
  for (std::size_t p = 0; p < tree.populations.size(); ++p) {
    const TreePopulation& pop = tree.populations[p];
    double start = pop.sources.empty() ? ancestral : 0.0;
    for (const auto& [source, weight] : pop.sources) start += weight * freq[source];
    const double f = pop.drift;
    freq[p] = (f <= 0 || start <= 0 || start >= 1) ? start
                                                   : rng.beta(start * (1 - f) / f, (1 - start) * (1 - f) / f);
  }
}

void simulate_tree_dataset(const PopulationTree& tree, std::size_t samples_per_population,
                           std::size_t variant_ct, std::size_t chromosome_ct, std::uint64_t seed,
                           OutputSet& outputs) {
  if (samples_per_population == 0 || variant_ct == 0)
    throw UsageError("simulate --tree: --n and --m must be positive");
  const auto sampled = tree.sampled();
  std::vector<Sample> samples;
  std::vector<std::size_t> pop_of_sample;
  std::FILE* pop_table = outputs.open(".pop").stream();
  fmt::print(pop_table, "FID\tIID\tPOP\n");
  for (std::size_t p : sampled)
    for (std::size_t i = 0; i < samples_per_population; ++i) {
      Sample s;
      s.fid = s.iid = fmt::format("{}_{}", tree.populations[p].name, i + 1);
      fmt::print(pop_table, "{0}\t{0}\t{1}\n", s.iid, tree.populations[p].name);
      samples.push_back(std::move(s));
      pop_of_sample.push_back(p);
    }
  BedWriter bed(outputs, SampleTable(std::move(samples)));
  const GenomeLayout layout(variant_ct, chromosome_ct);
  std::vector<double> freq;
  std::vector<std::uint8_t> codes(pop_of_sample.size());
  for (std::size_t j = 0; j < variant_ct; ++j) {
    RandomStream rng(seed, j);
    draw_tree_frequencies(tree, rng, freq);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const double p = freq[pop_of_sample[i]];
      const int dosage = (rng.uniform() < p) + (rng.uniform() < p);
      codes[i] = bed_code_from_allele1_dosage(dosage);
    }
    Variant var;
    const int chrom = layout.chromosome(j);
    var.chrom = std::to_string(chrom);
    var.chrom_code = chrom;
    var.id = fmt::format("snp{}", j + 1);
    var.pos = layout.position(j);
    var.cm = static_cast<double>(var.pos) / 1e6;
    var.allele1.assign(1, 'A');
    var.allele2.assign(1, 'G');
    bed.add_variant(var, codes.data());
  }
}

}  // namespace genomap
