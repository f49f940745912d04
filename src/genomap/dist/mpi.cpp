// The MPI layer with OpenMPI (built only with GENOMAP_MPI=ON; mpi_none.cpp otherwise).
#include "genomap/dist/mpi.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "genomap/core/error.hpp"
#include "genomap/dist/byte_packing.hpp"

namespace genomap::mpi {
namespace {

bool started = false;
bool finished = false;
bool has_joined = false;
int my_rank = 0;
int rank_count = 1;
std::uint64_t sent = 0, received = 0;

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw Error(std::string("MPI: ") + what +
              " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

std::string encode(const RankReport& r) {
  std::string out;
  put(out, static_cast<std::int32_t>(r.exit_code));
  put(out, r.seconds);
  for (const std::string* text : {&r.message, &r.coverage, &r.totals}) {
    put(out, static_cast<std::uint64_t>(text->size()));
    out += *text;
  }
  return out;
}

RankReport decode(const char* at) {
  RankReport r;
  r.exit_code = take<std::int32_t>(at);
  r.seconds = take<double>(at);
  for (std::string* text : {&r.message, &r.coverage, &r.totals}) {
    const auto length = take<std::uint64_t>(at);
    text->assign(at, static_cast<std::size_t>(length));
    at += length;
  }
  return r;
}

}  // namespace

bool built_with_mpi() { return true; }

void start(int& argc, char**& argv) {
  if (started || !launched_by_mpi()) return;
  int provided = 0;
  // Only the main thread calls MPI; the OpenMP threads and the log's hashing threads never do.
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &rank_count);
  std::atexit(stop);
}

void stop() {
  if (!started || finished) return;
  finished = true;
  MPI_Finalize();
}

int rank() { return my_rank; }
int size() { return rank_count; }
bool joined() { return has_joined; }

std::vector<RankReport> join(const RankReport& mine) {
  has_joined = true;
  if (rank_count == 1) return {mine};
  const std::string bytes = encode(mine);
  const int length = static_cast<int>(bytes.size());
  std::vector<int> lengths(static_cast<std::size_t>(rank_count));
  check(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  std::vector<int> offsets(lengths.size());
  int total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = total;
    total += lengths[r];
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check(MPI_Allgatherv(bytes.data(), length, MPI_BYTE, all.data(), lengths.data(), offsets.data(), MPI_BYTE,
                       MPI_COMM_WORLD),
        "MPI_Allgatherv");
  sent += static_cast<std::uint64_t>(length) * static_cast<std::uint64_t>(rank_count - 1);
  received += static_cast<std::uint64_t>(total - length);
  std::vector<RankReport> reports;
  for (std::size_t r = 0; r < lengths.size(); ++r) reports.push_back(decode(all.data() + offsets[r]));
  return reports;
}

void allreduce_sum(std::span<std::uint64_t> values) {
  if (rank_count == 1) return;
  for (std::size_t at = 0; at < values.size(); at += kPieceBytes / sizeof(std::uint64_t)) {
    const std::size_t n = std::min(values.size() - at, kPieceBytes / sizeof(std::uint64_t));
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + at, static_cast<int>(n), MPI_UINT64_T, MPI_SUM,
                        MPI_COMM_WORLD),
          "MPI_Allreduce");
  }
  sent += values.size_bytes();
  received += values.size_bytes();
}

void allreduce_sum(std::span<std::uint32_t> values) {
  if (rank_count == 1) return;
  for (std::size_t at = 0; at < values.size(); at += kPieceBytes / sizeof(std::uint32_t)) {
    const std::size_t n = std::min(values.size() - at, kPieceBytes / sizeof(std::uint32_t));
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + at, static_cast<int>(n), MPI_UINT32_T, MPI_SUM,
                        MPI_COMM_WORLD),
          "MPI_Allreduce");
  }
  sent += values.size_bytes();
  received += values.size_bytes();
}

void allreduce_sum(std::span<double> values) {
  if (rank_count == 1) return;
  for (std::size_t at = 0; at < values.size(); at += kPieceBytes / sizeof(double)) {
    const std::size_t n = std::min(values.size() - at, kPieceBytes / sizeof(double));
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + at, static_cast<int>(n), MPI_DOUBLE, MPI_SUM,
                        MPI_COMM_WORLD),
          "MPI_Allreduce");
  }
  sent += values.size_bytes();
  received += values.size_bytes();
}

void send(int destination, std::string_view bytes) {
  for (std::size_t at = 0; at < bytes.size(); at += kPieceBytes) {
    const std::size_t n = std::min(bytes.size() - at, kPieceBytes);
    check(MPI_Send(bytes.data() + at, static_cast<int>(n), MPI_BYTE, destination, 0, MPI_COMM_WORLD),
          "MPI_Send");
  }
  sent += bytes.size();
}

void send_size(int destination, std::uint64_t value) {
  check(MPI_Send(&value, 1, MPI_UINT64_T, destination, 0, MPI_COMM_WORLD), "MPI_Send");
  sent += sizeof value;
}

std::uint64_t receive_size(int source) {
  std::uint64_t value = 0;
  check(MPI_Recv(&value, 1, MPI_UINT64_T, source, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
  received += sizeof value;
  return value;
}

void receive_piece(int source, std::string& buffer, std::size_t length) {
  buffer.resize(length);
  check(MPI_Recv(buffer.data(), static_cast<int>(length), MPI_BYTE, source, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE),
        "MPI_Recv");
  received += length;
}

std::uint64_t bytes_sent() { return sent; }
std::uint64_t bytes_received() { return received; }

void abort(int exit_code) {
  if (started && !finished) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

}  // namespace genomap::mpi
