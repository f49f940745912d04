// The MPI layer of a build without MPI (GENOMAP_MPI=OFF, the default): one process, rank 0 of 1. Nothing
// here is ever asked to send or receive, since a single rank has no one to talk to.
#include <cstdlib>

#include "genomap/core/error.hpp"
#include "genomap/dist/mpi.hpp"

namespace genomap::mpi {
namespace {

bool has_joined = false;

[[noreturn]] void no_peer() { throw Error("MPI: this genomap was built without MPI (GENOMAP_MPI=OFF)"); }

}  // namespace

bool built_with_mpi() { return false; }
void start(int&, char**&) {}
void stop() {}
int rank() { return 0; }
int size() { return 1; }
bool joined() { return has_joined; }

std::vector<RankReport> join(const RankReport& mine) {
  has_joined = true;
  return {mine};
}

void allreduce_sum(std::span<std::uint64_t>) {}
void allreduce_sum(std::span<std::uint32_t>) {}
void allreduce_sum(std::span<double>) {}
void send(int, std::string_view) { no_peer(); }
void send_size(int, std::uint64_t) { no_peer(); }
std::uint64_t receive_size(int) { no_peer(); }
void receive_piece(int, std::string&, std::size_t) { no_peer(); }
std::uint64_t bytes_sent() { return 0; }
std::uint64_t bytes_received() { return 0; }
[[noreturn]] void abort(int exit_code) { std::_Exit(exit_code); }

}  // namespace genomap::mpi
