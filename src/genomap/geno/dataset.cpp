#include "genomap/geno/dataset.hpp"

#include <numeric>

namespace genomap {

Dataset Dataset::whole(std::shared_ptr<const GenotypeStore> store) {
  Dataset d;
  d.samples = SampleView::all(store->sample_ct());
  d.variant_uidx.resize(store->variant_ct());
  std::iota(d.variant_uidx.begin(), d.variant_uidx.end(), 0u);
  d.store = std::move(store);
  return d;
}

}  // namespace genomap
