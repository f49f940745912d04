// genomap registry: the biobank registry (donors, samples, consent, eligibility, custody, exports, audit
// log). Nested subcommands: init, import, add, amend, void, withdraw, check, custody, export, audit, report,
// trace.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "command_registry.hpp"
#include "genomap/core/error.hpp"
#include "genomap/core/usage_error.hpp"
#include "genomap/registry/audit_log.hpp"
#include "genomap/registry/eligibility.hpp"
#include "genomap/registry/filesets.hpp"
#include "genomap/registry/records.hpp"
#include "genomap/registry/report.hpp"
#include "genomap/registry/requests.hpp"
#include "genomap/registry/roles.hpp"
#include "genomap/registry/schema.hpp"
#include "genomap/registry/signed_anchor.hpp"
#include "genomap/registry/trace.hpp"
#include "genomap/registry/values.hpp"
#include "invocation.hpp"

namespace genomap::cli {
namespace {

using namespace genomap::registry;

struct RegistryOptions {
  std::string db;
  int busy_timeout_ms = 5000;
  std::string format = "tsv";
  std::string donors, samples, consents, custody_file, exports_file;  // import
  std::string add_type;                                               // add
  std::vector<std::string> add_fields;
  std::string donor, consent, date, reason;                                      // withdraw
  std::string rules;                                                             // check
  std::string sample, event_id, event, time, holder, place, to_holder, note;     // custody
  std::string export_id, what, recipient, recipient_country, purpose, approval;  // export
  std::string audit_action = "verify";
  std::string anchor;                               // audit verify --anchor
  std::string key, pubkey;                          // audit keygen --key, anchor --sign KEY, verify --pubkey
  std::string actor;                                // --actor (default: the OS user)
  std::string record_id;                            // void
  bool withdrawn = false;                           // trace --withdrawn
  std::string role_action = "list", role_to, role;  // role grant|revoke|list
  std::string request_action = "list", request_id, conditions;
  std::string bfile, fileset_id;  // fileset add  // request add|approve|refuse|list; export
};

struct Subcommands {
  CLI::App *init, *import, *add, *amend, *void_, *withdraw, *check, *custody, *exports, *audit, *report,
      *trace, *role, *request, *fileset;
};

// Indented JSON; text that is not valid UTF-8 (possible only in registries written before schema 2 checked
// it) is written with U+FFFD rather than failing the whole output.
std::string json_text(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Rows as TSV (header line, tab-separated) or JSON (an array of objects), written to <out><suffix>.<format>.
void write_table(Invocation& inv, const RegistryOptions& o, const std::string& suffix,
                 const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows) {
  OutputFile& out = inv.outputs().open(suffix + "." + o.format);
  if (o.format == "json") {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& row : rows) {
      nlohmann::json object;
      for (std::size_t i = 0; i < columns.size(); ++i) object[columns[i]] = row[i];
      array.push_back(std::move(object));
    }
    out.write(json_text(array));
    return;
  }
  out.write(fmt::format("{}\n", fmt::join(columns, "\t")));
  for (const auto& row : rows) {
    std::vector<std::string> cells = row;
    for (auto& c : cells)
      for (char& ch : c)
        if (ch == '\t' || ch == '\n') ch = ' ';
    out.write(fmt::format("{}\n", fmt::join(cells, "\t")));
  }
}

std::string actor_of(const RegistryOptions& o) { return o.actor.empty() ? default_actor() : o.actor; }

// Writes check the chain in their transaction (RegistryWrite); reads check it here unless `check_reading` is
// false (audit verify and list, which examine a broken chain).
std::unique_ptr<Database> open_db(const RegistryOptions& o, Invocation& inv, bool writable,
                                  bool check_reading = true) {
  auto db = open_registry(o.db, writable, o.busy_timeout_ms, actor_of(o));
  inv.log().note(fmt::format("registry {}", o.db));
  if (!writable && check_reading) require_intact_for_reading(*db);
  return db;
}

void run_import(const RegistryOptions& o, Invocation& inv) {
  const std::pair<const std::string*, RecordType> files[] = {{&o.donors, RecordType::Donor},
                                                             {&o.samples, RecordType::Sample},
                                                             {&o.consents, RecordType::Consent},
                                                             {&o.custody_file, RecordType::Custody},
                                                             {&o.exports_file, RecordType::Export}};
  bool any = false;
  for (const auto& f : files) any = any || !f.first->empty();
  if (!any)
    throw UsageError(
        "registry import: give at least one of --donors --samples --consents --custody --exports");
  auto db = open_db(o, inv, true);
  for (const auto& [path, type] : files) {
    if (path->empty()) continue;
    inv.log().add_input(*path);
    const std::size_t n = import_csv(*db, type, *path, actor_of(o));
    const std::string line = fmt::format("imported {} {} records from {}", n, record_type_name(type), *path);
    inv.log().note(line);
    fmt::print("{}\n", line);
  }
}

std::vector<std::pair<std::string, std::string>> field_pairs(const RegistryOptions& o, const char* command) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : o.add_fields) {
    const auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("registry {}: '{}' is not FIELD=VALUE", command, f));
    fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  return fields;
}

void run_add(const RegistryOptions& o, Invocation& inv) {
  const RecordType type = parse_record_type(o.add_type);
  const auto fields = field_pairs(o, "add");
  auto db = open_db(o, inv, true);
  const std::string id = add_record(*db, type, fields, actor_of(o));
  fmt::print("added {} {}\n", record_type_name(type), id);
}

void run_amend(const RegistryOptions& o, Invocation& inv) {
  const RecordType type = parse_record_type(o.add_type);
  const auto fields = field_pairs(o, "amend");
  auto db = open_db(o, inv, true);
  amend_record(*db, type, fields, actor_of(o));
  fmt::print("amended 1 {} record\n", record_type_name(type));
}

void run_void(const RegistryOptions& o, Invocation& inv) {
  const RecordType type = parse_record_type(o.add_type);
  auto db = open_db(o, inv, true);
  void_record(*db, type, o.record_id, o.reason, actor_of(o));
  fmt::print("voided {} {}\n", record_type_name(type), o.record_id);
}

void run_withdraw(const RegistryOptions& o, Invocation& inv) {
  if (o.donor.empty() == o.consent.empty())
    throw UsageError("registry withdraw: give exactly one of --donor and --consent");
  auto db = open_db(o, inv, true);
  const std::string id = withdraw_consent(*db, o.donor, o.consent, o.date, o.reason, actor_of(o));
  fmt::print("recorded withdrawal {} of {} {}\n", id, o.consent.empty() ? "donor" : "consent",
             o.consent.empty() ? o.donor : o.consent);
}

void run_check(const RegistryOptions& o, Invocation& inv) {
  const EligibilityRules rules = read_rules(o.rules);
  inv.log().add_input(o.rules);
  auto db = open_db(o, inv, false);
  const EligibilityResult result = check_eligibility(*db, rules);
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : result.failures) rows.push_back({f.sample_id, f.donor_id, f.rule, f.detail});
  write_table(inv, o, ".registry_check", {"sample_id", "donor_id", "rule", "detail"}, rows);
  const std::string line =
      fmt::format("{} of {} samples fail the rules in {} ({} failed rules)", result.samples_failing,
                  result.samples_checked, o.rules, result.failures.size());
  inv.log().note(line);
  fmt::print("{}\n", line);
}

void run_custody(const RegistryOptions& o, Invocation& inv) {
  if (o.sample.empty()) throw UsageError("registry custody: --sample is required");
  if (!o.event.empty()) {
    auto db = open_db(o, inv, true);
    const std::string id = add_record(*db, RecordType::Custody,
                                      {{"event_id", o.event_id},
                                       {"sample_id", o.sample},
                                       {"time", o.time.empty() ? today_utc() : o.time},
                                       {"event", o.event},
                                       {"holder", o.holder},
                                       {"place", o.place},
                                       {"to_holder", o.to_holder},
                                       {"note", o.note}},
                                      actor_of(o));
    fmt::print("recorded custody event {} of sample {}\n", id, o.sample);
    return;
  }
  auto db = open_db(o, inv, false);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : custody_chain(*db, o.sample))
    rows.push_back({e.event_id, e.sample_id, e.time, e.event, e.holder, e.place, e.to_holder, e.note});
  write_table(inv, o, ".registry_custody",
              {"event_id", "sample_id", "time", "event", "holder", "place", "to_holder", "note"}, rows);
  fmt::print("{} custody events of sample {}\n", rows.size(), o.sample);
}

void run_export(const RegistryOptions& o, Invocation& inv) {
  if (!o.what.empty()) {
    if (o.sample.empty() || o.request_id.empty())
      throw UsageError("registry export: --sample and --request are required to record an export");
    auto db = open_db(o, inv, true);
    const std::string id = add_record(*db, RecordType::Export,
                                      {{"export_id", o.export_id},
                                       {"sample_id", o.sample},
                                       {"what", o.what},
                                       {"request_id", o.request_id},
                                       {"recipient_organisation", o.recipient},
                                       {"recipient_country", o.recipient_country},
                                       {"purpose", o.purpose},
                                       {"approval_reference", o.approval},
                                       {"date", o.date.empty() ? today_utc() : o.date}},
                                      actor_of(o));
    fmt::print("recorded export {} of sample {} under request {}{}\n", id, o.sample, o.request_id,
               o.what == "material" ? " (and its shipment, custody event " + id + "#shipped)" : "");
    return;
  }
  auto db = open_db(o, inv, false);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : list_exports(*db, o.sample))
    rows.push_back({e.export_id, e.sample_id, e.what, e.recipient_organisation, e.recipient_country,
                    e.purpose, e.approval_reference, e.date});
  write_table(inv, o, ".registry_exports",
              {"export_id", "sample_id", "what", "recipient_organisation", "recipient_country", "purpose",
               "approval_reference", "date"},
              rows);
  fmt::print("{} exports\n", rows.size());
}

void run_request(const RegistryOptions& o, Invocation& inv) {
  if (o.request_action == "list") {
    auto db = open_db(o, inv, false);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list_requests(*db))
      rows.push_back({r.request_id, r.requester, r.institution, r.country, r.purpose, r.project, r.date,
                      r.decision, r.conditions, r.decided_on, r.decided_by, std::to_string(r.exports),
                      std::to_string(r.samples)});
    write_table(inv, o, ".registry_requests",
                {"request_id", "requester", "institution", "country", "purpose", "project", "date",
                 "decision", "conditions", "decided_on", "decided_by", "exports", "samples"},
                rows);
    fmt::print("{} data-access requests\n", rows.size());
    return;
  }
  if (o.request_action == "add") {
    const auto fields = field_pairs(o, "request add");
    auto db = open_db(o, inv, true);
    fmt::print("recorded data-access request {}\n", add_request(*db, fields, actor_of(o)));
    return;
  }
  if (o.request_id.empty())
    throw UsageError(fmt::format("registry request {}: --request is required", o.request_action));
  auto db = open_db(o, inv, true);
  const bool approve = o.request_action == "approve";
  decide_request(*db, o.request_id, approve, o.conditions, o.date, o.reason, actor_of(o));
  fmt::print("request {} {}\n", o.request_id, approve ? "approved" : "refused");
}

void run_audit(const RegistryOptions& o, Invocation& inv) {
  if (o.audit_action == "keygen") {
    if (o.key.empty()) throw UsageError("registry audit keygen: --key FILE is required");
    generate_signing_key(o.key);
    fmt::print("wrote the secret key {} (keep it away from the registry) and the public key {}.pub\n", o.key,
               o.key);
    return;
  }
  auto db = open_db(o, inv, false, o.audit_action == "anchor");
  if (o.audit_action == "list") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : read_audit(*db))
      rows.push_back({std::to_string(e.seq), e.time, e.action, e.details, e.prev_hash, e.hash});
    write_table(inv, o, ".registry_audit", {"seq", "time", "action", "details", "prev_hash", "hash"}, rows);
    fmt::print("{} audit entries\n", rows.size());
    return;
  }
  if (o.audit_action == "anchor") {
    const Anchor a = current_anchor(*db);
    const std::string text = o.key.empty() ? a.text() : sign_anchor(a, genesis_hash(*db), o.key);
    inv.log().note(fmt::format("audit anchor {}", text));
    fmt::print("{}\n", text);
    return;
  }
  std::optional<Anchor> anchor;
  if (!o.pubkey.empty()) {
    if (o.anchor.empty()) throw UsageError("registry audit verify: --pubkey checks the signed --anchor");
    anchor = verify_signed_anchor(o.anchor, genesis_hash(*db), o.pubkey);
  } else if (o.anchor.find(":ed25519:") != std::string::npos) {
    throw UsageError("registry audit verify: a signed anchor is checked with --pubkey FILE");
  } else if (!o.anchor.empty()) {
    anchor = parse_anchor(o.anchor);
  }
  const AuditVerification v = verify_audit(*db, anchor);
  if (!v.ok) throw Error(o.db, 0, v.message());
  const std::string line =
      fmt::format("audit log verified: {} entries, hash chain intact, tables match the chain{}", v.entries,
                  anchor ? fmt::format(", anchor {} held", anchor->seq) : "");
  inv.log().note(line);
  fmt::print("{}\n", line);
}

void run_report(const RegistryOptions& o, Invocation& inv) {
  auto db = open_db(o, inv, false);
  const RegistryReport r = build_report(*db);
  if (o.format == "json") {
    nlohmann::json j = {{"donors", r.donors},
                        {"samples", r.samples},
                        {"genotyped_samples", r.genotyped_samples},
                        {"consents", r.consents},
                        {"withdrawn_donors", r.withdrawn_donors},
                        {"exports", r.exports},
                        {"custody_events", r.custody_events},
                        {"audit_entries", r.audit_entries}};
    j["collections"] = nlohmann::json::array();
    for (const auto& c : r.collections)
      j["collections"].push_back({{"organisation", c.organisation},
                                  {"country", c.country},
                                  {"site", c.site},
                                  {"material", c.material},
                                  {"consent", c.consent},
                                  {"samples", c.samples},
                                  {"donors", c.donors}});
    j["sent"] = nlohmann::json::array();
    for (const auto& s : r.sent)
      j["sent"].push_back({{"organisation", s.organisation},
                           {"recipient_organisation", s.recipient_organisation},
                           {"recipient_country", s.recipient_country},
                           {"what", s.what},
                           {"purpose", s.purpose},
                           {"exports", s.exports},
                           {"samples", s.samples},
                           {"first_date", s.first_date},
                           {"last_date", s.last_date}});
    inv.outputs().open(".registry_report.json").write(json_text(j));
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r.collections)
      rows.push_back({c.organisation, c.country, c.site, c.material, c.consent, std::to_string(c.samples),
                      std::to_string(c.donors)});
    write_table(inv, o, ".registry_collections",
                {"organisation", "country", "site", "material", "consent", "samples", "donors"}, rows);
    rows.clear();
    for (const auto& s : r.sent)
      rows.push_back({s.organisation, s.recipient_organisation, s.recipient_country, s.what, s.purpose,
                      std::to_string(s.exports), std::to_string(s.samples), s.first_date, s.last_date});
    write_table(inv, o, ".registry_sent",
                {"organisation", "recipient_organisation", "recipient_country", "what", "purpose", "exports",
                 "samples", "first_date", "last_date"},
                rows);
  }
  fmt::print(
      "{} donors, {} samples ({} genotyped), {} consents ({} donors withdrawn), {} exports, {} custody "
      "events\n",
      r.donors, r.samples, r.genotyped_samples, r.consents, r.withdrawn_donors, r.exports, r.custody_events);
}

void run_trace(const RegistryOptions& o, Invocation& inv) {
  if ((o.donor.empty() ? 0 : 1) + (o.sample.empty() ? 0 : 1) + (o.withdrawn ? 1 : 0) +
          (o.request_id.empty() ? 0 : 1) !=
      1)
    throw UsageError("registry trace: give exactly one of --donor, --sample, --request and --withdrawn");
  auto db = open_db(o, inv, false);
  const std::vector<TraceEvent> events = o.withdrawn             ? trace_withdrawn(*db)
                                         : !o.request_id.empty() ? trace_request(*db, o.request_id)
                                         : o.donor.empty()       ? trace_sample(*db, o.sample)
                                                                 : trace_donor(*db, o.donor);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : events) rows.push_back({e.time, e.kind, e.id, e.donor_id, e.sample_id, e.detail});
  write_table(inv, o, ".registry_trace", {"time", "kind", "id", "donor_id", "sample_id", "detail"}, rows);
  fmt::print("{} events\n", rows.size());
}

void run_role(const RegistryOptions& o, Invocation& inv) {
  if (o.role_action == "list") {
    auto db = open_db(o, inv, false);
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : list_roles(*db)) rows.push_back({g.actor_name, g.role, g.recorded_at, g.granted_by});
    write_table(inv, o, ".registry_roles", {"actor", "role", "granted_at", "granted_by"}, rows);
    fmt::print("{} role grants\n", rows.size());
    return;
  }
  if (o.role_to.empty() || o.role.empty())
    throw UsageError(fmt::format("registry role {}: --to and --role are required", o.role_action));
  auto db = open_db(o, inv, true);
  if (o.role_action == "grant") {
    grant_role(*db, o.role_to, o.role, actor_of(o));
    fmt::print("granted {} to {}\n", parse_role(o.role), o.role_to);
  } else {
    revoke_role(*db, o.role_to, o.role, o.reason, actor_of(o));
    fmt::print("revoked {} from {}\n", parse_role(o.role), o.role_to);
  }
}

void run_fileset(const RegistryOptions& o, Invocation& inv) {
  inv.log().add_input(o.bfile + ".bed");
  inv.log().add_input(o.bfile + ".bim");
  inv.log().add_input(o.bfile + ".fam");
  auto db = open_db(o, inv, true);
  const FilesetRegistration f = add_fileset(*db, o.bfile, o.fileset_id, actor_of(o));
  const std::string line = fmt::format(
      "registered fileset {}: {} samples ({} linked to registry samples, {} unlinked), {} variants",
      f.fileset_id, f.samples, f.linked, f.samples - f.linked, f.variants);
  inv.log().note(line);
  fmt::print("{}\n", line);
}

void run_registry(const RegistryOptions& o, const Subcommands& s, Invocation& inv) {
  if (s.init->parsed()) {
    create_registry(o.db, actor_of(o), o.busy_timeout_ms);
    inv.log().note(fmt::format("created registry {} (schema version {})", o.db, latest_schema_version()));
    fmt::print("created registry {} (schema version {})\n", o.db, latest_schema_version());
  } else if (s.import->parsed())
    run_import(o, inv);
  else if (s.add->parsed())
    run_add(o, inv);
  else if (s.amend->parsed())
    run_amend(o, inv);
  else if (s.void_->parsed())
    run_void(o, inv);
  else if (s.withdraw->parsed())
    run_withdraw(o, inv);
  else if (s.check->parsed())
    run_check(o, inv);
  else if (s.custody->parsed())
    run_custody(o, inv);
  else if (s.exports->parsed())
    run_export(o, inv);
  else if (s.audit->parsed())
    run_audit(o, inv);
  else if (s.report->parsed())
    run_report(o, inv);
  else if (s.trace->parsed())
    run_trace(o, inv);
  else if (s.role->parsed())
    run_role(o, inv);
  else if (s.request->parsed())
    run_request(o, inv);
  else if (s.fileset->parsed())
    run_fileset(o, inv);
}

CLI::App* nested(CLI::App& app, RegistryOptions& o, const std::string& name, const std::string& summary,
                 bool has_output) {
  CLI::App* sub = app.add_subcommand(name, summary);
  sub->fallthrough();  // --out, --threads ... belong to `registry` and may follow the nested command
  sub->add_option("--db,--registry", o.db, "Registry database file")->required();
  sub->add_option("--busy-timeout", o.busy_timeout_ms,
                  "Milliseconds to wait for another writer before failing")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--actor", o.actor, "Who acts, recorded in the audit log (default: the OS user)");
  if (has_output)
    sub->add_option("--format", o.format, "Output format")->check(CLI::IsMember({"tsv", "json"}));
  return sub;
}

Runner setup(CLI::App& app) {
  auto o = std::make_shared<RegistryOptions>();
  auto s = std::make_shared<Subcommands>();
  app.require_subcommand(1);
  s->init = nested(app, *o, "init", "Create a registry database", false);
  s->import = nested(app, *o, "import", "Import CSV files (one transaction per file)", false);
  s->import->add_option("--donors", o->donors, "Donor CSV");
  s->import->add_option("--samples", o->samples, "Sample CSV");
  s->import->add_option("--consents", o->consents, "Consent CSV");
  s->import->add_option("--custody", o->custody_file, "Custody event CSV");
  s->import->add_option("--exports", o->exports_file, "Export CSV");
  s->add = nested(app, *o, "add", "Add one record: TYPE FIELD=VALUE ...", false);
  s->add->add_option("type", o->add_type, "donor, sample, consent, custody or export")->required();
  s->add->add_option("fields", o->add_fields, "FIELD=VALUE pairs")->required();
  s->amend =
      nested(app, *o, "amend", "Amend one record: TYPE ID_FIELD=ID FIELD=VALUE ... (checked as new)", false);
  s->amend->add_option("type", o->add_type, "donor, sample, consent, custody or export")->required();
  s->amend->add_option("fields", o->add_fields, "FIELD=VALUE pairs, with the record's ID")->required();
  s->void_ = nested(app, *o, "void", "Void one record: TYPE ID --reason TEXT (the chain keeps it)", false);
  s->void_->add_option("type", o->add_type, "donor, sample, consent, custody or export")->required();
  s->void_->add_option("id", o->record_id, "ID of the record")->required();
  s->void_->add_option("--reason", o->reason, "Why it is voided")->required();
  s->withdraw = nested(app, *o, "withdraw", "Withdraw a donor's consent", false);
  s->withdraw->add_option("--donor", o->donor, "Donor whose consents are withdrawn");
  s->withdraw->add_option("--consent", o->consent, "One consent to withdraw");
  s->withdraw->add_option("--date", o->date, "Date of withdrawal, YYYY-MM-DD (default today)");
  s->withdraw->add_option("--reason", o->reason, "Reason");
  s->check = nested(app, *o, "check", "List samples failing the eligibility rules", true);
  s->check->add_option("--rules", o->rules, "Eligibility rules (TOML)")->required();
  s->custody =
      nested(app, *o, "custody", "Record a custody event, or list a sample's chain of custody", true);
  s->custody->add_option("--sample", o->sample, "Sample ID")->required();
  s->custody->add_option("--event", o->event,
                         "collected, received, stored, aliquoted, transferred, shipped, ...");
  s->custody->add_option("--event-id", o->event_id, "Event ID (default SAMPLE#ENTRY, generated)");
  s->custody->add_option("--time", o->time, "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z");
  s->custody->add_option("--holder", o->holder, "Holder after the event (sender of a transfer)");
  s->custody->add_option("--place", o->place, "Place");
  s->custody->add_option("--to", o->to_holder, "Recipient of a transfer or shipment");
  s->custody->add_option("--note", o->note, "Note");
  s->exports = nested(app, *o, "export", "Record an export (checked against consent), or list exports", true);
  s->exports->add_option("--sample", o->sample, "Sample ID");
  s->exports->add_option("--export-id", o->export_id, "Export ID (default SAMPLE#ENTRY, generated)");
  s->exports->add_option("--what", o->what, "material, genotypes, phenotypes or summary");
  s->exports->add_option("--request", o->request_id, "The approved data-access request it is sent under");
  s->exports->add_option("--recipient", o->recipient, "Recipient organisation (checked against the request)");
  s->exports->add_option("--country", o->recipient_country,
                         "Recipient country (checked against the request)");
  s->exports->add_option("--purpose", o->purpose, "Research purpose (checked against the request)");
  s->exports->add_option("--approval", o->approval, "Approval reference");
  s->exports->add_option("--date", o->date, "YYYY-MM-DD");
  s->audit = nested(app, *o, "audit",
                    "Verify the registry against its audit chain, list the chain, or print its anchor", true);
  s->audit->add_option("action", o->audit_action, "verify, list, anchor or keygen")
      ->check(CLI::IsMember({"verify", "list", "anchor", "keygen"}));
  s->audit->add_option("--key,--sign", o->key, "keygen: the secret key file to write; anchor: sign with it");
  s->audit->add_option("--pubkey", o->pubkey, "verify: the public key that signed --anchor");
  s->audit->add_option("--anchor", o->anchor,
                       "SEQ:HASH printed earlier by `audit anchor`: verify still holds it");
  s->report = nested(app, *o, "report",
                     "Who collected what, where, under which consent, and where it was sent", true);
  s->trace =
      nested(app, *o, "trace", "What touched a donor or sample, or used donors who later withdrew", true);
  s->trace->add_option("--donor", o->donor,
                       "Donor: collection, consents, withdrawals, custody, exports, analyses");
  s->trace->add_option("--sample", o->sample, "Sample: collection, custody, exports, analyses");
  s->trace->add_option("--request", o->request_id, "Data-access request: decision and exports under it");
  s->trace->add_flag("--withdrawn", o->withdrawn,
                     "Analyses and exports that used donors who withdrew afterwards");
  s->request =
      nested(app, *o, "request",
             "Data-access requests: add FIELD=VALUE..., approve or refuse (access committee), list", true);
  s->request->add_option("action", o->request_action, "add, approve, refuse or list")
      ->check(CLI::IsMember({"add", "approve", "refuse", "list"}));
  s->request->add_option(
      "fields", o->add_fields,
      "add: request_id= requester= institution= institution_type= commercial_use= country= "
      "purpose= project= [ethics_reference= collaborators= date=]");
  s->request->add_option("--request", o->request_id, "approve/refuse: the request");
  s->request->add_option("--conditions", o->conditions,
                         "approve: what=genotypes,summary;until=YYYY-MM-DD;max_samples=N");
  s->request->add_option("--date", o->date, "approve/refuse: date of the decision (default today)");
  s->request->add_option("--reason", o->reason, "refuse: why");
  s->fileset = nested(app, *o, "fileset",
                      "Register a genotype fileset (hashes and sample links) for --registry analyses", false);
  s->fileset->add_option("action", o->add_type, "add")->check(CLI::IsMember({"add"}))->required();
  s->fileset->add_option("--bfile", o->bfile, "PLINK 1 fileset prefix (.bed/.bim/.fam)")->required();
  s->fileset->add_option("--id", o->fileset_id, "Fileset ID (default PREFIXNAME#ENTRY)");
  s->role = nested(app, *o, "role", "Grant, revoke or list actors' roles (granting needs admin)", true);
  s->role->add_option("action", o->role_action, "grant, revoke or list")
      ->check(CLI::IsMember({"grant", "revoke", "list"}));
  s->role->add_option("--to,--from", o->role_to, "The actor who receives or loses the role");
  s->role->add_option("--role", o->role, "admin, collector, curator, analyst or access_committee");
  s->role->add_option("--reason", o->reason, "Why a role is revoked");
  return Runner([o, s](Invocation& inv) { run_registry(*o, *s, inv); });
}

const bool registered = register_command(
    {"registry", "Biobank registry: donors, samples, consent, custody, exports, audit", setup, 90});

}  // namespace
}  // namespace genomap::cli
