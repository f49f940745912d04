// Roles limit who may do what (issue 14): each kind of write needs a role, granted by an admin through the
// chain; a refused write is one clear error and writes nothing; verify checks every entry's actor held a role
// allowing it when it was written.
#include <gtest/gtest.h>

#include <filesystem>

#include "genomap/core/context.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/run_log.hpp"
#include "genomap/registry/consent_filter.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/registry/values.hpp"
#include "registry_fixtures.hpp"

namespace genomap::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

long long entries(const std::string& db) { return query_count(db, "SELECT count(*) FROM audit_log"); }

TEST(RegistryRoles, EachWriteNeedsARoleAndARefusalWritesNothing) {
  const std::string dir = scratch_dir("registry_roles_writes");
  const std::string db = make_registry(dir, 2);
  // The creator (the OS user running the tests) is the first admin.
  EXPECT_EQ(query_text(db, "SELECT group_concat(actor_name || ':' || role) FROM role_grant"),
            "" + registry::default_actor() + ":admin");

  const long long before = entries(db);
  auto r = run_genomap("registry add donor --db " + db + " donor_id=D9 --actor carol");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output,
                       "actor 'carol' may not record a donor: that needs the role collector or curator (or "
                       "admin) ('carol' holds no role); an admin grants roles with `genomap registry role "
                       "grant`; nothing was written"))
      << r.output;
  EXPECT_EQ(entries(db), before);
  EXPECT_EQ(query_count(db, "SELECT count(*) FROM donor WHERE donor_id = 'D9'"), 0);

  // Only an admin grants roles.
  r = run_genomap("registry role grant --db " + db + " --to carol --role collector --actor carol");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "actor 'carol' may not grant or revoke roles: that needs the role admin"))
      << r.output;
  grant_role(db, "carol", "collector");
  grant_role(db, "ann", "analyst");
  r = run_genomap("registry role grant --db " + db + " --to carol --role collector");
  EXPECT_TRUE(contains(r.output, "'carol' already holds the role collector")) << r.output;
  r = run_genomap("registry role grant --db " + db + " --to carol --role boss");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "'boss' is not a role (admin, collector, curator, analyst, access_committee)"))
      << r.output;

  r = run_genomap("registry add donor --db " + db + " donor_id=D9 --actor carol");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query_text(db, "SELECT actor FROM donor WHERE donor_id = 'D9'"), "carol");
  // A collector records; a curator corrects.
  r = run_genomap("registry amend donor --db " + db + " donor_id=D9 sex=female --actor carol");
  EXPECT_TRUE(contains(r.output, "actor 'carol' may not amend a record: that needs the role curator")) << r.output;
  r = run_genomap("registry withdraw --db " + db + " --donor D1 --actor ann");
  EXPECT_TRUE(contains(r.output, "actor 'ann' may not record a withdrawal")) << r.output;
  r = run_genomap("registry import --db " + db + " --donors " + dir + "/d.csv --actor ann");
  EXPECT_TRUE(contains(r.output, "actor 'ann' may not record a donor")) << r.output;

  // An analysis needs an analyst, and is refused before it runs.
  RunLog log;
  Context ctx;
  ctx.log = &log;
  const SampleTable fam(std::vector<Sample>{Sample{"F", "I1"}});
  const long long before_analysis = entries(db);
  try {
    consented_samples({db, "GRU", false, "carol"}, fam, ctx);
    ADD_FAILURE() << "a collector ran an analysis";
  } catch (const Error& e) {
    EXPECT_TRUE(contains(e.what(), "actor 'carol' may not record an analysis: that needs the role analyst"))
        << e.what();
  }
  EXPECT_EQ(entries(db), before_analysis);

  // Revoking: the role stops at once; the last admin stays.
  r = run_genomap("registry role revoke --db " + db + " --from carol --role collector --reason left");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry add donor --db " + db + " donor_id=D10 --actor carol");
  EXPECT_TRUE(contains(r.output, "actor 'carol' may not record a donor")) << r.output;
  r = run_genomap("registry role revoke --db " + db + " --from " + registry::default_actor() +
                  " --role admin --reason test");
  EXPECT_TRUE(contains(r.output, "is the last admin")) << r.output;
  r = run_genomap("registry role list --db " + db + " --out " + dir + "/roles");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(read_text(dir + "/roles.registry_roles.tsv"), "ann\tanalyst\t")) << r.output;
  r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// A well-formed entry appended in the name of an actor who holds no role is found by verify: every entry's
// actor must have held a role allowing its kind when it was written.
TEST(RegistryRoles, VerifyFindsAnEntryByAnActorWithoutTheRole) {
  const std::string dir = scratch_dir("registry_roles_verify");
  const std::string db = make_registry(dir, 1);
  forge_donor_entry(db, "mallory", "D66");
  auto r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "actor 'mallory' may not record a donor")) << r.output;
}

// A registry of schema 2 migrates: its creator (the actor of its first entry) becomes its admin, not whoever
// happens to run the first writing command; existing exports and custody rows get the new columns.
TEST(RegistryRoles, MigratedRegistryMakesItsCreatorAdmin) {
  const std::string dir = scratch_dir("registry_roles_migrate");
  const std::string db = dir + "/v2.db";
  std::filesystem::remove(db);
  {
    auto handle = registry::create_registry(db, "alice", 5000, 2);
    EXPECT_EQ(registry::add_record(*handle, registry::RecordType::Donor, {{"donor_id", "D1"}}, "alice"), "D1");
  }
  auto r = run_genomap("registry add donor --db " + db + " donor_id=D2 --actor bob");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "actor 'bob' may not record a donor")) << r.output;
  EXPECT_EQ(query_text(db, "SELECT group_concat(actor_name || ':' || role) FROM role_grant"), "alice:admin");
  EXPECT_EQ(query_count(db, "PRAGMA user_version"), registry::latest_schema_version());
  r = run_genomap("registry add donor --db " + db + " donor_id=D2 --actor alice");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_genomap("registry audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace genomap::test
