// The registry's schema and its versioned migrations (PRAGMA user_version counts the migrations applied).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// Schema version this build writes; a database with a higher version is refused, for reading and writing.
int latest_schema_version();
// The triggers (name, CREATE statement) a registry of this schema version must hold.
const std::vector<std::pair<std::string, std::string>>& schema_triggers(int version);

// Creates a new registry file (WAL mode, schema at `schema_version`, default the latest; older versions exist
// for migration tests). The first audit entry names `actor`. Throws if the file already exists.
std::unique_ptr<Database> create_registry(const std::string& path, const std::string& actor,
                                          int busy_timeout_ms = 5000, int schema_version = 0);
// Opens an existing registry and checks it is one of a schema this build knows. Opened for writing, the file
// must be writable and pending migrations are applied (after verifying the chain); opened for reading, an older
// schema is an error that says how to migrate. The chain itself is checked by each write (RegistryWrite).
std::unique_ptr<Database> open_registry(const std::string& path, bool writable, int busy_timeout_ms = 5000,
                                        const std::string& actor = "genomap");

}  // namespace genomap::registry
