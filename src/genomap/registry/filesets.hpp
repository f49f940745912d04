// Registered genotype filesets: `registry fileset add --bfile X` records the hashes of X.bed, X.bim and X.fam
// and which registry sample each .fam line is (by its genotype IDs at registration). An analysis with
// --registry finds its fileset by those hashes and takes each genotype's sample from the recorded links, so
// genotypes are never matched to donors by IID alone, and changed files are refused.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// Size and XXH3-128 of the three files ("<bytes> xxh128:<hex>", as the run log writes them).
struct FilesetHashes {
  std::string bed, bim, fam;
};
FilesetHashes hash_fileset(const std::string& prefix);

struct FilesetRegistration {
  std::string fileset_id;
  std::int64_t samples = 0, variants = 0, linked = 0;
};
// Registers a fileset (a write of kind `fileset`): every .fam line linked to the registry sample whose
// genotype_iid (and genotype_fid when recorded) it carries; lines without one stay unlinked (never analysed
// with --registry). `id` defaults to PREFIXNAME#ENTRY. Refuses files already registered.
FilesetRegistration add_fileset(Database& db, const std::string& prefix, const std::string& id,
                                const std::string& actor);

// The registered fileset with these hashes: its ID and, per .fam line, the linked sample ("" when none);
// nullopt when none matches.
struct RegisteredFileset {
  std::string fileset_id;
  std::vector<std::string> sample_of_line;
};
std::optional<RegisteredFileset> find_fileset(Database& db, const FilesetHashes& hashes);

}  // namespace genomap::registry
