// The verdict on the ranks' reports at the end of the local phase (with or without MPI).
#include <fmt/format.h>

#include "genomap/dist/mpi.hpp"

namespace genomap::mpi {

void check_reports(const std::vector<RankReport>& reports) {
  const std::size_t count = reports.size();
  std::size_t failed = 0, first = count;
  for (std::size_t r = 0; r < count; ++r) {
    if (reports[r].exit_code == 0) continue;
    ++failed;
    if (first == count) first = r;
  }
  if (failed > 0) {
    const RankReport& f = reports[first];
    throw RanksFailed(f.exit_code,
                      fmt::format("rank {} of {}: {}{}", first, count, f.message,
                                  failed == 1   ? std::string()
                                  : failed == 2 ? std::string(" (and 1 other rank)")
                                                : fmt::format(" (and {} other ranks)", failed - 1)));
  }
  for (std::size_t r = 1; r < count; ++r)
    if (reports[r].totals != reports[0].totals)
      throw RanksFailed(1, fmt::format("rank {} of {} has {} where rank 0 has {}: every rank must read the "
                                       "same inputs with the same options",
                                       r, count, reports[r].totals, reports[0].totals));
}

}  // namespace genomap::mpi
