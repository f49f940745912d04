// What an analysis runs on: a genotype store seen through a sample view and a variant selection. Filters make
// new views; the store is never copied.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "genomap/geno/genotype_store.hpp"
#include "genomap/geno/sample_view.hpp"

namespace genomap {

struct Dataset {
  std::shared_ptr<const GenotypeStore> store;
  SampleView samples;
  std::vector<std::uint32_t> variant_uidx;  // ascending file rows of the selected variants

  static Dataset whole(std::shared_ptr<const GenotypeStore> store);
  std::size_t sample_ct() const { return samples.size(); }
  std::size_t variant_ct() const { return variant_uidx.size(); }
  const Sample& sample(std::size_t sample_idx) const { return store->samples()[samples.uidx(sample_idx)]; }
  const Variant& variant(std::size_t variant_idx) const { return store->variants()[variant_uidx[variant_idx]]; }
};

}  // namespace genomap
