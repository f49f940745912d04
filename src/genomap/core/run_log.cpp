#include "genomap/core/run_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "genomap/core/cleanup_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/utc_time.hpp"

namespace genomap {
std::string describe_file(const std::string& path) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::uint64_t total = 0;
  // A regular file is hashed from a read-only mapping, 4 MiB at a time, each piece dropped from the resident
  // set once hashed: no copy into a buffer, and memory stays flat whatever the file size.
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    XXH3_freeState(state);
    throw Error(path, 0, "cannot open file");
  }
  struct stat st {};
  void* map = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (map != MAP_FAILED) {
    const auto size = static_cast<std::size_t>(st.st_size);
    auto* bytes = static_cast<std::uint8_t*>(map);
    ::madvise(map, size, MADV_SEQUENTIAL);
    cleanup::register_mapping(map, size, path);  // a truncation while hashing is reported naming the file
    constexpr std::size_t kPiece = std::size_t{4} << 20;  // a multiple of the page size
    for (std::size_t at = 0; at < size; at += kPiece) {
      const std::size_t len = std::min(kPiece, size - at);
      XXH3_128bits_update(state, bytes + at, len);
      ::madvise(bytes + at, len, MADV_DONTNEED);
    }
    cleanup::forget_mapping(map);
    ::munmap(map, size);
    total = size;
  } else {
    std::vector<char> buf(1 << 20);
    ssize_t got = 0;
    while ((got = ::read(fd, buf.data(), buf.size())) > 0) {
      XXH3_128bits_update(state, buf.data(), static_cast<std::size_t>(got));
      total += static_cast<std::uint64_t>(got);
    }
    if (got < 0) {
      ::close(fd);
      XXH3_freeState(state);
      throw Error(path, 0, "read error");
    }
  }
  ::close(fd);
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return fmt::format("{} bytes xxh128:{:016x}{:016x}", total, h.high64, h.low64);
}

RunLog::RunLog()
    : start_(std::chrono::steady_clock::now()), last_mark_(start_), started_at_(utc_now_iso8601()) {}

void RunLog::add_input(const std::string& path) {
  {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw Error(path, 0, "cannot open file");
  }
  auto hash = std::async(background_hashing_ ? std::launch::async : std::launch::deferred,
                         [path] { return path + "  " + describe_file(path); });
  std::lock_guard lock(mutex_);
  inputs_.push_back(path + "  (hashing)");
  pending_inputs_.emplace_back(inputs_.size() - 1, std::move(hash));
}

void RunLog::settle_inputs() const {
  auto pending = std::move(pending_inputs_);
  pending_inputs_.clear();
  for (auto& [index, hash] : pending) inputs_[index] = hash.get();  // rethrows a read error
}

std::string RunLog::input_description(const std::string& path) const {
  {
    std::lock_guard lock(mutex_);
    settle_inputs();
    const std::string prefix = path + "  ";
    for (const auto& line : inputs_)
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return describe_file(path);
}

void RunLog::note(const std::string& line) {
  std::lock_guard lock(mutex_);
  notes_.push_back(line);
}

void RunLog::phase_done(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(now - last_mark_).count();
  last_mark_ = now;
  timings_.push_back(fmt::format("{}: {:.3f} s", name, secs));
}

void RunLog::add_output(const std::string& path) {
  std::lock_guard lock(mutex_);
  outputs_.push_back(path);
}

std::string RunLog::render() const {
  std::lock_guard lock(mutex_);
  settle_inputs();
  std::string out;
  out += fmt::format("genomap {}\n", GENOMAP_VERSION);
  out += fmt::format("started: {}\n", started_at_);
  out += fmt::format("command: {}\n\n", command_line_);
  out += "parameters:\n" + parameters_ + "\n";
  out += "inputs:\n";
  for (const auto& s : inputs_) out += "  " + s + "\n";
  out += "\nmessages:\n";
  for (const auto& s : notes_) out += "  " + s + "\n";
  out += "\ntimings:\n";
  for (const auto& s : timings_) out += "  " + s + "\n";
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  out += fmt::format("  total: {:.3f} s\n", total);
  out += "\noutputs:\n";
  for (const auto& s : outputs_) out += "  " + s + "\n";
  return out;
}

}  // namespace genomap
