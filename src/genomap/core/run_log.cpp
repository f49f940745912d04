#include "genomap/core/run_log.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "genomap/core/error.hpp"

namespace genomap {
namespace {
std::string now_iso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

std::string describe_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw Error(path, 0, "cannot open file");
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  std::size_t got = 0;
  while ((got = std::fread(buf.data(), 1, buf.size(), file.get())) > 0) {
    XXH3_128bits_update(state, buf.data(), got);
    total += got;
  }
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return fmt::format("{} bytes xxh128:{:016x}{:016x}", total, h.high64, h.low64);
}

RunLog::RunLog()
    : start_(std::chrono::steady_clock::now()), last_mark_(start_), started_at_(now_iso8601()) {}

void RunLog::add_input(const std::string& path) {
  std::string d = describe_file(path);
  std::lock_guard lock(mutex_);
  inputs_.push_back(path + "  " + d);
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
