#include "genomap/popstats/population_input.hpp"

#include "genomap/core/error.hpp"
#include "genomap/geno/chromosome.hpp"

namespace genomap {
bool is_analysed_chromosome(int chrom_code, AnalysedChromosomes chromosomes) {
  return is_autosome(chrom_code) ||
         (chromosomes == AnalysedChromosomes::AutosomesAndXY && chrom_code == kChromXY);
}

std::unique_ptr<PopulationInput> PopulationInput::from_plink(Dataset data, const PopulationLabels& labels,
                                                             AnalysedChromosomes chromosomes,
                                                             const Context& ctx) {
  auto in = std::make_unique<PopulationInput>();
  std::vector<std::uint32_t> kept;
  for (std::uint32_t uidx : data.variant_uidx)
    if (is_analysed_chromosome(data.store->variants()[uidx].chrom_code, chromosomes)) kept.push_back(uidx);
  in->left_out_variant_ct = data.variant_uidx.size() - kept.size();
  data.variant_uidx = std::move(kept);
  in->dataset_ = std::move(data);
  const Dataset& d = in->dataset_;
  in->data.populations =
      read_population_labels(labels.path, d.store->samples(), d.samples.uidx_list(), labels.column);
  in->label_source = labels.path;
  in->input_files.push_back(labels.path);
  in->data.variants.reserve(d.variant_ct());
  for (std::size_t v = 0; v < d.variant_ct(); ++v) in->data.variants.push_back(d.variant(v));
  in->data.pass = plink_population_pass(d, in->data.populations, ctx);
  in->data.populations.sort_by_name();  // the pass reads pop_of_sample when it runs, after this renumbering
  return in;
}

std::unique_ptr<PopulationInput> PopulationInput::from_eigenstrat(const std::string& prefix,
                                                                  const PopulationLabels& labels,
                                                                  AnalysedChromosomes chromosomes,
                                                                  const Context& ctx) {
  auto in = std::make_unique<PopulationInput>();
  in->reader_ = std::make_unique<EigenstratReader>(prefix);
  const EigenstratReader& reader = *in->reader_;
  for (const char* suffix : {".geno", ".snp", ".ind"}) in->input_files.push_back(prefix + suffix);
  const auto& samples = reader.samples();
  if (labels.path.empty()) {
    std::vector<std::string> names;
    for (const auto& s : samples) names.push_back(s.label == "Ignore" ? std::string() : s.label);
    in->data.populations = assign_populations(names);
    in->label_source = prefix + ".ind";
  } else {
    std::vector<Sample> table;
    std::vector<std::uint32_t> all;
    for (const auto& s : samples) {
      all.push_back(static_cast<std::uint32_t>(table.size()));
      table.push_back(Sample{s.id, s.id});
    }
    in->data.populations =
        read_population_labels(labels.path, SampleTable(std::move(table)), all, labels.column, false);
    in->label_source = labels.path;
    in->input_files.push_back(labels.path);
  }
  in->keep_.resize(reader.variants().size());
  for (std::size_t v = 0; v < in->keep_.size(); ++v) {
    in->keep_[v] = is_analysed_chromosome(reader.variants()[v].chrom_code, chromosomes);
    if (in->keep_[v])
      in->data.variants.push_back(reader.variants()[v]);
    else
      ++in->left_out_variant_ct;
  }
  in->data.pass =
      eigenstrat_population_pass(reader, in->keep_, in->data.populations.pop_of_sample,
                                 in->data.populations.pop_ct(), ctx, &in->data.populations.pseudohaploid);
  in->data.populations.sort_by_name();
  return in;
}

std::size_t PopulationInput::detect_pseudohaploid(std::size_t test_variants, const Context& ctx) {
  PopulationAssignment& pops = data.populations;
  pops.pseudohaploid = reader_ ? detect_pseudohaploid_eigenstrat(*reader_, keep_, test_variants)
                               : detect_pseudohaploid_plink(dataset_, test_variants, ctx);
  std::size_t ct = 0;
  for (std::size_t i = 0; i < pops.pseudohaploid.size(); ++i) {
    if (pops.pop_of_sample[i] < 0) pops.pseudohaploid[i] = 0;
    ct += pops.pseudohaploid[i] != 0;
  }
  if (ct == 0) pops.pseudohaploid.clear();
  return ct;
}

void PopulationInput::keep_variant_range(std::size_t first, std::size_t last) {
  if (first > last || last > data.variants.size())
    throw Error("keep_variant_range: the range lies outside the analysed variants");
  data.variants = std::vector<Variant>(data.variants.begin() + static_cast<std::ptrdiff_t>(first),
                                       data.variants.begin() + static_cast<std::ptrdiff_t>(last));
  // The passes read dataset_ and keep_ when they run.
  if (reader_) {
    std::size_t analysed = 0;
    for (std::size_t v = 0; v < keep_.size(); ++v)
      if (keep_[v]) {
        keep_[v] = analysed >= first && analysed < last;
        ++analysed;
      }
  } else {
    std::vector<std::uint32_t>& uidx = dataset_.variant_uidx;
    uidx = std::vector<std::uint32_t>(uidx.begin() + static_cast<std::ptrdiff_t>(first),
                                      uidx.begin() + static_cast<std::ptrdiff_t>(last));
  }
}

JackknifeBlocks jackknife_blocks(const std::vector<Variant>& variants, const std::string& block_size,
                                 const std::string& genetic_unit) {
  JackknifeBlocks blocks;
  BlockSpec fallback;
  const bool genetic = has_genetic_positions(variants);
  fallback.genetic = genetic;
  blocks.spec = parse_block_spec(block_size, fallback);
  if (blocks.spec.genetic && !genetic)
    throw Error("--block-size: a genetic distance needs genetic positions, and all are 0");
  blocks.morgans_per_unit = genetic_unit_scale(variants, genetic_unit);
  blocks.block_ct =
      assign_jackknife_blocks(variants, blocks.spec, blocks.morgans_per_unit, blocks.block_of_variant);
  return blocks;
}

}  // namespace genomap
