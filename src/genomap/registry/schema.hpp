// The registry's schema and its versioned migrations (PRAGMA user_version counts the migrations applied).
#pragma once
#include <memory>
#include <string>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// Schema version this build writes; a database with a higher version is refused.
int latest_schema_version();

// Creates a new registry file (WAL mode, schema at the latest version). Throws if it already exists.
std::unique_ptr<Database> create_registry(const std::string& path, int busy_timeout_ms = 5000);
// Opens an existing registry, checks it is one, and applies pending migrations when opened for writing.
std::unique_ptr<Database> open_registry(const std::string& path, bool writable, int busy_timeout_ms = 5000);

}  // namespace genomap::registry
