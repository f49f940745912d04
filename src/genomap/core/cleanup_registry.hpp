// What a signal handler needs to leave no trace of an interrupted run: the temporary output files this
// process has open, and the memory mappings of its inputs (to name the file whose mapped page faulted). Both
// are kept in fixed slots that a handler reads without allocating or locking, as POSIX async-signal safety
// requires. The library only records; the command-line tool installs the handlers
// (apps/genomap/signal_handlers.cpp).
#pragma once
#include <cstddef>
#include <string>

namespace genomap::cleanup {

// Records a temporary file to remove if the process is stopped (when all 256 slots are taken, the file is
// only removed by its owner); forget_temporary_file once it is renamed or removed.
void register_temporary_file(const std::string& path) noexcept;
void forget_temporary_file(const std::string& path) noexcept;

// Records a read-only mapping of `path` at [base, base + length); forget_mapping(base) before unmapping it.
void register_mapping(const void* base, std::size_t length, const std::string& path) noexcept;
void forget_mapping(const void* base) noexcept;

// Async-signal-safe: unlinks every recorded temporary file.
void remove_temporary_files() noexcept;
// Async-signal-safe: the path of the recorded mapping holding `address`, or nullptr.
const char* mapping_containing(const void* address) noexcept;

}  // namespace genomap::cleanup
