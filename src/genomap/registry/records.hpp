// Registry records (donor, sample, consent, custody event, export): their fields, validation and insertion.
// CSV import and `registry add` share one path: a record is a list of named text fields, validated field by
// field, so an error names the source, the line and the field.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

// Validates and inserts records of one type; statements are prepared once. The caller holds the transaction.
class RecordWriter {
 public:
  RecordWriter(Database& db, RecordType type);
  ~RecordWriter();
  // Throws Error(source, line, "field 'x': ...") on the first problem.
  void write(const RecordRow& row);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Imports one CSV file (header line with field names) in one transaction with an audit entry: every line is
// imported or none. Returns the number of records.
std::size_t import_csv(Database& db, RecordType type, const std::string& path);

// Adds one record (from `registry add`, `registry custody`, `registry export`) with an audit entry.
void add_record(Database& db, RecordType type, const std::vector<std::pair<std::string, std::string>>& fields);

// Withdraws every active consent of a donor (or one consent by ID) as of `date` (default today). Returns the
// number of consents withdrawn; throws when there was none to withdraw.
std::size_t withdraw_consent(Database& db, const std::string& donor_id, const std::string& consent_id,
                             const std::string& date, const std::string& reason);

}  // namespace genomap::registry
