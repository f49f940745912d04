#include "genomap/geno/genotype_store.hpp"

#include <fmt/format.h>

#include "genomap/core/error.hpp"

namespace genomap {

GenotypeStore GenotypeStore::open_bfile(const std::string& prefix) {
  GenotypeStore store;
  store.bed_path_ = prefix + ".bed";
  store.bim_path_ = prefix + ".bim";
  store.fam_path_ = prefix + ".fam";
  store.samples_ = read_fam(store.fam_path_);
  store.variants_ = read_bim(store.bim_path_);
  store.bed_ = MappedFile(store.bed_path_);
  const auto& bed = store.bed_;
  if (bed.size() < 3) throw Error(store.bed_path_, 0, "truncated file (shorter than the 3-byte header)");
  if (bed.data()[0] != 0x6c || bed.data()[1] != 0x1b)
    throw Error(store.bed_path_, 0, "not a PLINK 1 .bed file (wrong magic bytes)");
  if (bed.data()[2] != 0x01)
    throw Error(store.bed_path_, 0, "sample-major .bed files are not supported (mode byte is not 0x01)");
  store.bytes_per_variant_ = (store.sample_ct() + 3) / 4;
  const std::size_t expected = 3 + store.bytes_per_variant_ * store.variant_ct();
  if (bed.size() != expected)
    throw Error(store.bed_path_, 0,
                fmt::format("size {} bytes does not match {} variants (.bim) x {} samples (.fam): expected {} bytes{}",
                            bed.size(), store.variant_ct(), store.sample_ct(), expected,
                            bed.size() < expected ? " (truncated?)" : ""));
  return store;
}

void GenotypeStore::release_rows(std::size_t first_uidx, std::size_t end_uidx) const {
  if (end_uidx <= first_uidx) return;
  bed_.release(3 + first_uidx * bytes_per_variant_, (end_uidx - first_uidx) * bytes_per_variant_);
}

void GenotypeStore::prefetch_rows(std::size_t first_uidx, std::size_t end_uidx) const {
  if (end_uidx <= first_uidx) return;
  bed_.will_need(3 + first_uidx * bytes_per_variant_, (end_uidx - first_uidx) * bytes_per_variant_);
}

}  // namespace genomap
