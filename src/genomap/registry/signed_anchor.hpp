// Signed heads: an anchor (the chain's head, SEQ:HASH) signed with an Ed25519 key (libsodium), so that an
// anchor kept anywhere, even beside the registry file, cannot be replaced by someone without the key. The
// signature covers the registry's identity (the hash of its first entry) and the head:
//   "genomap registry anchor" U+001F <hash of entry 1> U+001F SEQ U+001F HASH
// A signed anchor reads SEQ:HASH:ed25519:<128 hex digits>. Built as its own library (genomap_registry_signing)
// so that libsodium is linked to the registry alone.
#pragma once
#include <string>

#include "genomap/registry/audit_log.hpp"

namespace genomap::registry {

// Writes a new key pair: `key_path` (the secret key, hex, mode 0600) and `key_path`.pub (the public key,
// hex). Refuses to overwrite either.
void generate_signing_key(const std::string& key_path);

// The signed anchor text for `anchor` of the registry whose first entry has hash `genesis_hash`.
std::string sign_anchor(const Anchor& anchor, const std::string& genesis_hash, const std::string& key_path);

// Checks a signed anchor with a public key file and returns its head; throws Error naming the problem (not
// signed, malformed, signed by another key or for another registry).
Anchor verify_signed_anchor(const std::string& text, const std::string& genesis_hash,
                            const std::string& public_key_path);

// The hash of the registry's first entry (its identity in signed anchors).
std::string genesis_hash(Database& db);

}  // namespace genomap::registry
