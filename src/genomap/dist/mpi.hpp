// Running one command as R processes under mpirun or Slurm's srun (the CMake option GENOMAP_MPI; OpenMPI).
// Each rank computes a contiguous slice of the work; rank 0 gathers the other ranks' rows in rank order, the
// small per-sample sums are combined with MPI_Allreduce, and rank 0 alone writes the outputs and the log.
//
// A run has two phases. In the local phase a rank reads its slice and computes, talking to no other rank. It
// ends with join(): a collective in which every rank reports whether its local phase succeeded (with its exit
// code, error line, time and what it covered), so that a rank that failed ends the whole job with one error
// printed by rank 0 and no outputs written anywhere. Only then do the ranks exchange data (the combine
// phase); a failure there (a rank dying, a disk filling up on rank 0) aborts the job (MPI_Abort), the outputs
// staying under their temporary names, which each rank removes before aborting.
//
// Built without GENOMAP_MPI (mpi_none.cpp), or started without an MPI launcher, a process is the only rank:
// rank 0 of 1, and every call below is a no-op on its own data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace genomap::mpi {

// Whether this binary was built with MPI (GENOMAP_MPI=ON).
bool built_with_mpi();

// Starts MPI when the process was started by an MPI launcher (mpirun/mpiexec set OMPI_COMM_WORLD_SIZE or
// PMI_RANK, srun sets PMIX_RANK or PMI_RANK); otherwise, and without GENOMAP_MPI, does nothing. Once, first
// thing in main. stop() finalizes; MPI_Finalize also runs at exit when stop() was not called.
void start(int& argc, char**& argv);
void stop();

int rank();  // 0 without MPI
int size();  // 1 without MPI
inline bool distributed() { return size() > 1; }

// What a rank reports at the end of its local phase.
struct RankReport {
  int exit_code = 0;     // 0: the local phase succeeded
  std::string message;   // the error line when it failed
  double seconds = 0.0;  // wall time from the start of the run to join()
  std::string coverage;  // what the rank computed ("variants [0, 120)")
  std::string totals;    // what every rank must agree on ("324 samples, 1000 variants after filters")
};

// Every rank of a run ends with the exit code and the error line of the failure join() found (thrown on
// every rank; rank 0 prints the line).
class RanksFailed : public std::runtime_error {
 public:
  RanksFailed(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// The verdict on join()'s reports: nothing when every rank succeeded and all report the same totals; else the
// failure of the lowest failing rank ("rank 2 of 3: <its error line> (and 1 other rank)", its exit code), or
// a disagreement on the totals (exit 1), as RanksFailed.
void check_reports(const std::vector<RankReport>& reports);

// Collective over all ranks: every rank's report, in rank order, on every rank. Called exactly once per run,
// by every rank, on success and on failure alike. Without MPI: {mine}.
std::vector<RankReport> join(const RankReport& mine);
// Whether this rank has called join() (its combine phase began).
bool joined();

// Collective: element-wise sums over the ranks, on every rank (MPI_Allreduce).
void allreduce_sum(std::span<std::uint64_t> values);
void allreduce_sum(std::span<std::uint32_t> values);
// Sums of doubles: exact, and so independent of the order MPI adds in, where at most one rank holds a value
// other than zero in each element (per-block sums of blocks that lie on one rank).
void allreduce_sum(std::span<double> values);

// Point to point, in pieces of at most 256 MiB so that any size goes through MPI's int counts.
void send(int destination, std::string_view bytes);
void send_size(int destination, std::uint64_t value);
std::uint64_t receive_size(int source);
// Receives exactly `length` bytes from `source` (sent by send), handing them to `sink` piece by piece.
template <class Sink>
void receive(int source, std::uint64_t length, Sink&& sink);
void receive_piece(int source, std::string& buffer, std::size_t length);

// Bytes this rank has sent and received through the calls above (joins included), for the log.
std::uint64_t bytes_sent();
std::uint64_t bytes_received();

// Ends every rank of the job with `exit_code` (MPI_Abort); exits directly without MPI.
[[noreturn]] void abort(int exit_code);

// The size of one piece of send/receive.
inline constexpr std::size_t kPieceBytes = std::size_t{1} << 28;

template <class Sink>
void receive(int source, std::uint64_t length, Sink&& sink) {
  std::string buffer;
  while (length > 0) {
    const std::size_t piece = length < kPieceBytes ? static_cast<std::size_t>(length) : kPieceBytes;
    receive_piece(source, buffer, piece);
    sink(std::string_view(buffer));
    length -= piece;
  }
}

}  // namespace genomap::mpi
