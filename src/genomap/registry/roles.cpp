#include "genomap/registry/roles.hpp"

#include <fmt/format.h>

#include <map>

#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/registry/chain.hpp"
#include "genomap/registry/values.hpp"

namespace genomap::registry {
namespace {

const std::map<std::string, std::vector<std::string>>& kind_roles() {
  static const std::map<std::string, std::vector<std::string>> kinds = {
      {"donor", {"collector", "curator"}},
      {"sample", {"collector", "curator"}},
      {"consent", {"collector", "curator"}},
      {"custody", {"collector", "curator"}},
      {"withdraw", {"collector", "curator"}},
      {"export", {"curator"}},
      {"amend", {"curator"}},
      {"void", {"curator"}},
      {"role", {}},
      {"request", {"curator", "analyst", "access_committee"}},
      {"decision", {"access_committee"}},
      {"fileset", {"curator", "analyst"}},
      {"analysis", {"analyst"}},
      {"migrate", {}},
      {"frequency_query", {}},
  };
  return kinds;
}

std::string describe(const std::string& kind) {
  if (kind == "role") return "grant or revoke roles";
  if (kind == "decision") return "decide on a data-access request";
  if (kind == "request") return "record a data-access request";
  if (kind == "analysis") return "record an analysis";
  if (kind == "fileset") return "register a genotype fileset";
  if (kind == "withdraw") return "record a withdrawal";
  if (kind == "amend" || kind == "void") return kind + " a record";
  return "record a " + kind + (kind == "custody" ? " event" : "");
}

}  // namespace

const std::vector<std::string>& role_names() {
  static const std::vector<std::string> names = {"admin", "collector", "curator", "analyst",
                                                 "access_committee"};
  return names;
}

std::string parse_role(std::string_view text) {
  std::string name;
  for (char c : clean_text(text))
    name += c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& r : role_names())
    if (r == name) return r;
  throw Error(fmt::format("'{}' is not a role (admin, collector, curator, analyst, access_committee)", text));
}

std::vector<std::string> roles_for(const std::string& kind) {
  const auto it = kind_roles().find(kind);
  if (it == kind_roles().end()) throw Error(fmt::format("unknown kind of registry write '{}'", kind));
  return it->second;
}

bool needs_role(const std::string& kind) {
  roles_for(kind);
  return kind != "migrate" && kind != "frequency_query";
}

std::string permission_problem(const std::string& actor, const std::set<std::string>& held,
                               const std::string& kind) {
  if (!needs_role(kind) || held.count("admin")) return "";
  const auto allowed = roles_for(kind);
  for (const auto& r : allowed)
    if (held.count(r)) return "";
  std::string needed;
  for (const auto& r : allowed) needed += (needed.empty() ? "" : " or ") + r;
  std::string has;
  for (const auto& r : held) has += (has.empty() ? "" : ", ") + r;
  return fmt::format(
      "actor '{}' may not {}: that needs the role {} ('{}' holds {}); an admin grants roles "
      "with `genomap registry role grant`",
      actor, describe(kind), needed.empty() ? "admin" : needed + " (or admin)", actor,
      has.empty() ? "no role" : has);
}

std::set<std::string> roles_of(Database& db, const std::string& actor) {
  std::set<std::string> roles;
  auto st = db.prepare("SELECT role FROM role_grant WHERE actor_name = ?");
  st.bind(1, actor);
  while (st.step()) roles.insert(st.text(0));
  return roles;
}

void grant_role(Database& db, const std::string& actor_name, const std::string& role_text,
                const std::string& actor) {
  const std::string name = clean_text(actor_name);
  if (name.empty()) throw UsageError("registry role grant: --to names the actor who receives the role");
  const std::string role = parse_role(role_text);
  RegistryWrite write(db, actor, "role");
  const std::string id = role + ":" + name;
  if (!write.find("role_grant", id).is_null())
    throw Error(db.path(), 0, fmt::format("'{}' already holds the role {}", name, role));
  write.insert("role_grant", {{"grant_id", id}, {"actor_name", name}, {"role", role}});
  write.commit("grant_role", {{"to", name}, {"role", role}});
}

void revoke_role(Database& db, const std::string& actor_name, const std::string& role_text,
                 const std::string& reason, const std::string& actor) {
  const std::string name = clean_text(actor_name);
  const std::string role = parse_role(role_text);
  const std::string why = clean_text(reason);
  if (why.empty()) throw UsageError("registry role revoke: --reason is required (the chain keeps why)");
  RegistryWrite write(db, actor, "role");
  const std::string id = role + ":" + name;
  if (write.find("role_grant", id).is_null())
    throw Error(db.path(), 0, fmt::format("'{}' does not hold the role {}", name, role));
  if (role == "admin") {
    auto admins = db.prepare("SELECT count(*) FROM role_grant WHERE role = 'admin'");
    admins.step();
    if (admins.integer(0) <= 1)
      throw Error(db.path(), 0,
                  fmt::format("'{}' is the last admin; grant the role to another actor first", name));
  }
  write.void_row("role_grant", id, why);
  write.commit("revoke_role", {{"from", name}, {"role", role}, {"reason", why}});
}

std::vector<RoleGrant> list_roles(Database& db) {
  std::vector<RoleGrant> out;
  auto st =
      db.prepare("SELECT actor_name, role, recorded_at, actor FROM role_grant ORDER BY actor_name, role");
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

}  // namespace genomap::registry
