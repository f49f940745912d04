// Who may do what. Every write to the registry is of one kind (a record type, an amendment, a decision on a
// request, an analysis, ...) and each kind is limited to roles; roles are granted to actors by an admin
// through the chain (table role_grant, one row per actor and role; revoking voids the row). The actor who
// creates a registry is its first admin (docs/registry.md, "Roles").
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

// admin, collector, curator, analyst, access_committee.
const std::vector<std::string>& role_names();
// A role name (case-insensitive, '-' or ' ' for '_'); throws Error naming the roles.
std::string parse_role(std::string_view text);

// Write kinds that change records: donor sample consent custody export withdraw amend void role request
// decision fileset; and analysis. `migrate` and `frequency_query` (the service's query log, authorised by
// its own tokens) need no role. Returns the roles that may make a write of `kind` besides admin (empty when
// no role is needed); throws Error for an unknown kind.
std::vector<std::string> roles_for(const std::string& kind);
bool needs_role(const std::string& kind);

// Empty when an actor holding `held` may make a write of `kind`, else why not (one sentence).
std::string permission_problem(const std::string& actor, const std::set<std::string>& held,
                               const std::string& kind);

// The roles an actor holds now.
std::set<std::string> roles_of(Database& db, const std::string& actor);

// Grants a role (an entry of kind `role`, so only an admin may); refuses a role already held.
void grant_role(Database& db, const std::string& actor_name, const std::string& role,
                const std::string& actor);
// Revokes a role (voids the grant, the chain keeps it); the last admin cannot be revoked.
void revoke_role(Database& db, const std::string& actor_name, const std::string& role,
                 const std::string& reason, const std::string& actor);

struct RoleGrant {
  std::string actor_name, role, recorded_at, granted_by;
};
std::vector<RoleGrant> list_roles(Database& db);

}  // namespace genomap::registry
