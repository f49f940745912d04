// Registry records (donor, sample, consent, custody event, export): their fields, validation and insertion.
// CSV import and `registry add` share one path: a record is a list of named text fields, validated field by
// field, so an error names the source, the line and the field.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "genomap/registry/chain.hpp"
#include "genomap/registry/sqlite.hpp"

namespace genomap::registry {

enum class RecordType { Donor, Sample, Consent, Custody, Export };

// "donor", "sample", "consent", "custody", "export" (plural forms accepted by parse).
std::string record_type_name(RecordType type);
RecordType parse_record_type(const std::string& name);

struct FieldSpec {
  std::string name;
  bool required = false;
  std::string description;
};
// The fields of a record type, in CSV column order.
const std::vector<FieldSpec>& record_fields(RecordType type);

struct RecordRow {
  std::string source;  // file name, or "registry add"
  std::size_t line = 0;
  std::vector<std::pair<std::string, std::string>> fields;
};

// The table a record type is stored in.
std::string record_table(RecordType type);

// Validates and writes records of one type within a RegistryWrite (which holds the transaction and makes the
// audit entry). Every text field must be valid UTF-8 without control characters and is trimmed; IDs may not
// contain '#' (kept for IDs genomap generates, so they never collide).
class RecordWriter {
 public:
  RecordWriter(RegistryWrite& write, RecordType type);
  ~RecordWriter();
  // Throws Error(source, line, "field 'x': ...") on the first problem.
  void write(const RecordRow& row, bool generated_id = false);
  // The same checks for a full new version of an existing record (its ID names it).
  void amend(const RecordRow& row);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Imports one CSV file (header line with field names) in one transaction with one audit entry holding every row:
// every line is imported or none. A file without records is an error. Returns the number of records.
std::size_t import_csv(Database& db, RecordType type, const std::string& path, const std::string& actor);

// Adds one record (from `registry add`, `registry custody`, `registry export`) with an audit entry. An empty
// ID field of a custody event or export is generated as SAMPLE#ENTRY (unique). Returns the record's ID.
std::string add_record(Database& db, RecordType type, const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::string& actor);

// Amends a record: `fields` name it by its ID and give the fields that change; the whole new record is checked
// as a new one would be, and the audit entry holds it. Withdrawals are not amended (record a new one).
void amend_record(Database& db, RecordType type, const std::vector<std::pair<std::string, std::string>>& fields,
                  const std::string& actor);
// Voids a record (it stops counting; the chain keeps it and the reason). Records that refer to it must be voided
// first.
void void_record(Database& db, RecordType type, const std::string& id, const std::string& reason,
                 const std::string& actor);

// Records a withdrawal of every consent of a donor (or of one consent by ID) dated `date` (default today).
// Returns the withdrawal's ID; throws when there is no consent in force to withdraw.
std::string withdraw_consent(Database& db, const std::string& donor_id, const std::string& consent_id,
                             const std::string& date, const std::string& reason, const std::string& actor);

}  // namespace genomap::registry
