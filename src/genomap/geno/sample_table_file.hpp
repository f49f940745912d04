// Per-sample tables read as plink2 reads --pheno and --covar files: whitespace-separated, a header line
// `#FID IID ...`, `FID IID ...` or `IID ...` (a file without such a header is read as FID IID V1 V2 ...),
// values NA / nan / -9 missing. Samples are matched to the fileset by IID, and by FID+IID when the file has FID.
// Rows naming samples absent from the fileset are ignored, as plink2 ignores them, and counted so the caller can
// log a warning; a file matching no sample at all is an error (as in plink2).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "genomap/geno/dataset.hpp"
#include "genomap/geno/sample_table.hpp"

namespace genomap {

struct SampleColumns {
  std::string path;
  std::vector<std::string> names;            // the selected columns, in the requested (or file) order
  std::vector<std::vector<double>> values;   // values[column][sample_uidx], NaN when missing or absent
  std::size_t matched_ct = 0;                // rows matched to a fileset sample
  std::size_t unknown_ct = 0;                // rows naming samples not in the fileset (ignored)
  std::string first_unknown;                 // the first of them, for the log
};

// Reads the numeric columns `wanted` (all non-ID columns when empty) of a sample table. A value that is not a
// number (and not a missing code) is an Error naming file, line and column; so are a duplicated sample, a row
// with the wrong number of fields, and a requested column the header lacks.
SampleColumns read_sample_columns(const std::string& path, const SampleTable& samples,
                                  const std::vector<std::string>& wanted);

enum class BinaryCoding { NotBinary, OneTwo, ZeroOne };

// plink2's case/control detection: every non-missing value 1 or 2 (control/case; 0 also read as missing) is
// 1/2 coding. A column of only 0 and 1 is read as 0/1 coding (plink2 needs --1 for that; documented).
BinaryCoding detect_binary(const std::vector<double>& column);
// Recodes a binary column to 0 control / 1 case, NaN missing.
std::vector<double> recode_binary(const std::vector<double>& column, BinaryCoding coding);

}  // namespace genomap
