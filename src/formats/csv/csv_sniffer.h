// CsvSniffer: guesses a CSV file's dialect, header, column names and types from
// a sample of its text, as DuckDB's sniffer does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "formats/csv/csv_tokenizer.h"

namespace alopex {

struct CsvReadOptions;

struct CsvSniffResult {
  CsvDialect dialect;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  // Bytes of the sample taken by the header row (0 without a header).
  size_t header_bytes = 0;
  // Physical lines of the header row.
  size_t header_lines = 0;
  // Some quoted field in the sample spans lines.
  bool quoted_newlines = false;
  // The sample holds no data row.
  bool empty = false;
};

// Sniffs `sample`, the text after the BOM and the skipped rows. `whole_file`
// says the sample is all of it (else its last, possibly cut, row is ignored).
// Explicit options (delimiter, quote, header, names, types, ...) are honoured, not
// guessed. `name` is used in error messages.
Result<CsvSniffResult> SniffCsv(std::string_view sample, bool whole_file, const CsvReadOptions& options,
                                const std::string& name);

// The type the sniffer infers for column values (NULLs already removed):
// BOOLEAN, BIGINT, DOUBLE, DATE, TIMESTAMP, TIMESTAMPTZ or VARCHAR.
class CsvTypeGuesser {
 public:
  CsvTypeGuesser(const std::string* dateformat = nullptr, const std::string* timestampformat = nullptr)
      : dateformat_(dateformat), timestampformat_(timestampformat) {}
  void Add(std::string_view value);
  bool saw_value() const { return saw_value_; }
  LogicalType Type() const;
  // True when `value` would keep the guess at `type` (for header detection).
  bool Fits(std::string_view value, const LogicalType& type) const;

 private:
  const std::string* dateformat_;
  const std::string* timestampformat_;
  bool saw_value_ = false;
  bool can_bool_ = true, can_int_ = true, can_double_ = true, can_date_ = true, can_ts_ = true;
  bool saw_tz_ = false;
};

}  // namespace alopex
