// The smallest user of genomap's kernels: opens a PLINK fileset, counts alleles per variant and prints the
// mean minor allele frequency. It links genomap_core alone (CMakeLists.txt), so it shows what a program that
// only runs analyses carries: no SQLite, OpenSSL, htslib or HTTP library (ctest example.core_dependencies).
//
//   genomap_allele_frequencies tests/data/hapmap3_admixture/hapmap3
#include <algorithm>
#include <cstdio>
#include <memory>

#include "genomap/genomap.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s BFILE_PREFIX\n", argv[0]);
    return 2;
  }
  try {
    genomap::Context ctx;
    auto store = std::make_shared<const genomap::GenotypeStore>(genomap::GenotypeStore::open_bfile(argv[1]));
    const genomap::Dataset data = genomap::apply_filters(store, genomap::FilterOptions{}, ctx);
    double maf_sum = 0;
    std::size_t counted = 0;
    genomap::count_alleles_by_ploidy(data, ctx, [&](std::size_t, auto counts) {
      for (const genomap::PloidyCounts& c : counts) {
        if (c.allele_obs() == 0) continue;
        const double freq = c.allele1_count() / static_cast<double>(c.allele_obs());
        maf_sum += std::min(freq, 1 - freq);
        ++counted;
      }
    });
    std::printf("%zu samples, %zu variants, mean minor allele frequency %.4f\n", data.sample_ct(),
                data.variant_ct(), counted ? maf_sum / static_cast<double>(counted) : 0.0);
    return 0;
  } catch (const genomap::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
