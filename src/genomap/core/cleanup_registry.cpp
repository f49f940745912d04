#include "genomap/core/cleanup_registry.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>

namespace genomap::cleanup {
namespace {

// A slot is free (0), being filled (1) or ready (2); a handler reads only ready slots, and a slot is made
// ready only after its contents are written (release order), so a handler never sees half a path.
enum : int { kFree = 0, kFilling = 1, kReady = 2 };
constexpr std::size_t kPathBytes = 4096;

struct FileSlot {
  std::atomic<int> state{kFree};
  char path[kPathBytes];
};
struct MappingSlot {
  std::atomic<int> state{kFree};
  const char* base = nullptr;
  std::size_t length = 0;
  char path[kPathBytes];
};

std::array<FileSlot, 256> g_files;
std::array<MappingSlot, 64> g_mappings;

template <typename Slots>
int claim(Slots& slots, const std::string& path) noexcept {
  if (path.size() >= kPathBytes) return -1;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    int expected = kFree;
    if (slots[i].state.compare_exchange_strong(expected, kFilling, std::memory_order_acquire)) {
      std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void register_temporary_file(const std::string& path) noexcept {
  const int slot = claim(g_files, path);
  if (slot >= 0) g_files[static_cast<std::size_t>(slot)].state.store(kReady, std::memory_order_release);
}

void forget_temporary_file(const std::string& path) noexcept {
  for (auto& f : g_files)
    if (f.state.load(std::memory_order_acquire) == kReady && path == f.path) {
      f.state.store(kFree, std::memory_order_release);
      return;
    }
}

void register_mapping(const void* base, std::size_t length, const std::string& path) noexcept {
  const int slot = claim(g_mappings, path);
  if (slot < 0) return;
  MappingSlot& m = g_mappings[static_cast<std::size_t>(slot)];
  m.base = static_cast<const char*>(base);
  m.length = length;
  m.state.store(kReady, std::memory_order_release);
}

void forget_mapping(const void* base) noexcept {
  if (!base) return;
  for (auto& m : g_mappings)
    if (m.state.load(std::memory_order_acquire) == kReady && m.base == base) {
      m.state.store(kFree, std::memory_order_release);
      return;
    }
}

void remove_temporary_files() noexcept {
  for (auto& f : g_files)
    if (f.state.load(std::memory_order_acquire) == kReady) ::unlink(f.path);
}

const char* mapping_containing(const void* address) noexcept {
  const char* a = static_cast<const char*>(address);
  for (auto& m : g_mappings)
    if (m.state.load(std::memory_order_acquire) == kReady && a >= m.base && a < m.base + m.length)
      return m.path;
  return nullptr;
}

}  // namespace genomap::cleanup
