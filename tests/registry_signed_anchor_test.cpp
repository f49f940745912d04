// Signed heads (issue 14): an anchor signed with an Ed25519 key may be kept anywhere, beside the registry
// too; someone who can write the file but has no key cannot replace it with an anchor of a rewritten or
// extended chain.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string first_line(std::string s) { return s.substr(0, s.find('\n')); }

std::string verify(const std::string& db, const std::string& anchor, const std::string& pubkey) {
  auto r = run_genomap("registry audit verify --db " + db + " --anchor '" + anchor + "' --pubkey " + pubkey);
  return std::to_string(r.exit_code) + " " + r.output;
}

TEST(RegistrySignedAnchor, ARewriteByOneWithoutTheKeyIsFound) {
  const std::string dir = scratch_dir("registry_signed_anchor");
  const std::string db = make_registry(dir, 3);
  const std::string key = dir + "/head.key";
  std::filesystem::remove(key);
  std::filesystem::remove(key + ".pub");
  auto r = run_genomap("registry audit keygen --db " + db + " --key " + key);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // the secret key is its owner's alone
  r = run_genomap("registry audit keygen --db " + db + " --key " + key);
  EXPECT_TRUE(contains(r.output, "already exists; a key is never overwritten")) << r.output;

  r = run_genomap("registry audit anchor --db " + db + " --sign " + key);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string signed_anchor = first_line(r.output);
  EXPECT_TRUE(contains(signed_anchor, ":ed25519:")) << signed_anchor;
  EXPECT_TRUE(contains(verify(db, signed_anchor, key + ".pub"), "0 audit log verified")) << signed_anchor;

  // The attacker appends a well-formed entry (rows, digest, head, checkpoint, in the admin's name): the chain
  // holds the anchored head still, so the anchor alone does not see it...
  const std::string admin = query_text(db, "SELECT actor_name FROM role_grant WHERE role = 'admin'");
  forge_donor_entry(db, admin, "D66");
  EXPECT_TRUE(contains(verify(db, signed_anchor, key + ".pub"), "0 audit log verified"));
  // ...so they replace the anchor by one naming their head. Unsigned: refused; with the old signature, or
  // signed by a key of their own: the signature does not verify.
  r = run_genomap("registry audit anchor --db " + db);
  const std::string forged_head = first_line(r.output);
  EXPECT_TRUE(contains(verify(db, forged_head, key + ".pub"), "is not signed")) << forged_head;
  const std::string old_signature = signed_anchor.substr(signed_anchor.find(":ed25519:"));
  EXPECT_TRUE(contains(verify(db, forged_head + old_signature, key + ".pub"),
                       "the anchor's signature does not verify with " + key + ".pub"));
  const std::string other_key = dir + "/mallory.key";
  std::filesystem::remove(other_key);
  std::filesystem::remove(other_key + ".pub");
  ASSERT_EQ(run_genomap("registry audit keygen --db " + db + " --key " + other_key).exit_code, 0);
  r = run_genomap("registry audit anchor --db " + db + " --sign " + other_key);
  EXPECT_TRUE(contains(verify(db, first_line(r.output), key + ".pub"), "signature does not verify"));
  // A signature bit flipped, and an anchor of another registry.
  std::string flipped = signed_anchor;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_TRUE(contains(verify(db, flipped, key + ".pub"), "signature does not verify"));
  const std::string other_db = make_registry(scratch_dir("registry_signed_anchor_other"), 3);
  EXPECT_TRUE(contains(verify(other_db, signed_anchor, key + ".pub"), "signature does not verify"));

  // The keeper of the key signs the heads it wrote; a signed anchor needs --pubkey to be read.
  ASSERT_EQ(run_genomap("registry add donor --db " + db + " donor_id=D7").exit_code, 0);
  r = run_genomap("registry audit anchor --db " + db + " --sign " + key);
  EXPECT_TRUE(contains(verify(db, first_line(r.output), key + ".pub"), "0 audit log verified"));
  r = run_genomap("registry audit verify --db " + db + " --anchor '" + signed_anchor + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "a signed anchor is checked with --pubkey FILE")) << r.output;
}

}  // namespace
}  // namespace genomap::test
