#include "genomap/registry/signed_anchor.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "genomap/core/error.hpp"

namespace genomap::registry {
namespace {

constexpr const char* kSignedTag = ":ed25519:";

void init_sodium() {
  if (sodium_init() < 0) throw Error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::vector<unsigned char> from_hex(const std::string& hex, std::size_t size, const std::string& what) {
  std::vector<unsigned char> bin(size);
  std::size_t length = 0;
  if (hex.size() != 2 * size ||
      sodium_hex2bin(bin.data(), bin.size(), hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
      length != size)
    throw Error(fmt::format("{} is not {} hexadecimal bytes", what, size));
  return bin;
}

std::string read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path, 0, "cannot open the key file");
  std::string text;
  std::getline(in, text);
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string message(const Anchor& a, const std::string& genesis) {
  return fmt::format("genomap registry anchor\x1f{}\x1f{}\x1f{}", genesis, a.seq, a.hash);
}

}  // namespace

void generate_signing_key(const std::string& key_path) {
  init_sodium();
  const std::string pub_path = key_path + ".pub";
  for (const auto& p : {key_path, pub_path})
    if (std::filesystem::exists(p)) throw Error(p, 0, "already exists; a key is never overwritten");
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  {
    // Created readable by its owner only before the secret is written.
    const mode_t old = ::umask(077);
    std::ofstream out(key_path);
    ::umask(old);
    if (!out) throw Error(key_path, 0, "cannot create the key file");
    out << to_hex(sk.data(), sk.size()) << "\n";
    if (!out.flush()) throw Error(key_path, 0, "cannot write the key file");
  }
  sodium_memzero(sk.data(), sk.size());
  std::ofstream pub(pub_path);
  pub << to_hex(pk.data(), pk.size()) << "\n";
  if (!pub.flush()) throw Error(pub_path, 0, "cannot write the public key file");
}

std::string sign_anchor(const Anchor& anchor, const std::string& genesis, const std::string& key_path) {
  init_sodium();
  auto sk = from_hex(read_key_file(key_path), crypto_sign_SECRETKEYBYTES, key_path + ": the secret key");
  const std::string m = message(anchor, genesis);
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                       sk.data());
  sodium_memzero(sk.data(), sk.size());
  return anchor.text() + kSignedTag + to_hex(sig.data(), sig.size());
}

Anchor verify_signed_anchor(const std::string& text, const std::string& genesis,
                            const std::string& public_key_path) {
  init_sodium();
  const auto tag = text.find(kSignedTag);
  if (tag == std::string::npos)
    throw Error(fmt::format("the anchor '{}' is not signed (SEQ:HASH:ed25519:SIGNATURE, from `registry audit "
                            "anchor --sign KEY`)",
                            text));
  const Anchor anchor = parse_anchor(text.substr(0, tag));
  const auto sig = from_hex(text.substr(tag + std::string(kSignedTag).size()), crypto_sign_BYTES,
                            "the anchor's signature");
  const auto pk =
      from_hex(read_key_file(public_key_path), crypto_sign_PUBLICKEYBYTES, public_key_path + ": the public key");
  const std::string m = message(anchor, genesis);
  if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                                  pk.data()) != 0)
    throw Error(fmt::format("the anchor's signature does not verify with {} (the anchor was forged or "
                            "changed, signed with another key, or is of another registry)",
                            public_key_path));
  return anchor;
}

std::string genesis_hash(Database& db) {
  auto st = db.prepare("SELECT hash FROM audit_log WHERE seq = 1");
  return st.step() ? st.text(0) : std::string(64, '0');
}

}  // namespace genomap::registry
