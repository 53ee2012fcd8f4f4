// The sqllogictest file format, as DuckDB writes it (tests/sql/**/*.test).
//
// Records are separated by blank lines; '#' starts a comment line.
//
//   statement ok                     statement error [message fragment]
//   CREATE TABLE t(a INTEGER)        SELECT * FROM missing
//                                    ----
//                                    Table with name missing does not exist
//
//   query IT rowsort                 loop i 0 3        (i = 0, 1, 2; ${i} in SQL)
//   SELECT a, b FROM t               ...
//   ----                             endloop
//   1<TAB>one
//   NULL<TAB>(empty)                 foreach x a b c ... endloop
//
//   require parquet   mode skip   mode unskip   halt   load DBPATH [readonly]   restart
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"

namespace alopex::slt {

enum class SortMode { kNoSort, kRowSort, kValueSort };

struct TestRecord {
  enum class Kind {
    kStatementOk,
    kStatementError,
    kStatementMaybe,  // ok, or an error containing expected_error
    kQuery,
    kLoop,     // loop_variable over loop_values; records up to the matching kEndLoop
    kEndLoop,
    kRequire,  // argument: the feature
    kModeSkip,
    kModeUnskip,
    kHalt,
    kLoad,     // argument: the database path; read_only
    kRestart,
  };
  Kind kind = Kind::kStatementOk;
  int line = 0;  // 1-based line of the record's header

  std::string sql;
  // kStatementError/kStatementMaybe: a fragment the error message must contain
  // (from the header line or the lines after "----"); empty: any error.
  std::string expected_error;
  // kQuery: one letter per column (I integer, R real, T text, B bool, ...).
  std::string column_types;
  SortMode sort = SortMode::kNoSort;
  bool has_expected = false;                // a "----" line was present
  std::vector<std::string> expected_lines;  // the lines after "----"
  int expected_line = 0;                    // line of the first expected line

  std::string loop_variable;
  std::vector<std::string> loop_values;
  std::string argument;
  bool read_only = false;

  // True for the records that run SQL and count as passed, failed or skipped.
  bool IsCheck() const {
    return kind == Kind::kStatementOk || kind == Kind::kStatementError || kind == Kind::kStatementMaybe ||
           kind == Kind::kQuery;
  }
};

// Parses a whole .test file; an error names the line at fault. Loops are
// checked to be balanced.
Result<std::vector<TestRecord>> ParseTestFile(std::string_view text);

}  // namespace alopex::slt
