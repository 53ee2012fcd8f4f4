// Runs one .test file against a fresh in-memory database.
#pragma once

#include <string>

namespace alopex::slt {

struct RunnerOptions {
  bool verbose = false;
  // Replaces __TESTDATA__; records naming it are skipped when it does not exist.
  std::string testdata_dir;
  // When set, statements that write input files (`COPY (...) TO '...'`) run
  // in DuckDB instead: this script (tests/integration/duckdb/query.mjs) under
  // node, from `peers_dir` (where @duckdb/node-api is installed).
  std::string duckdb_script;
  std::string peers_dir;
};

// Checks (statements and queries) by outcome, and what to print about the file.
struct FileOutcome {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::string log;
};

// Never fails as a whole: a file that does not parse is one failed check.
FileOutcome RunTestFile(const std::string& path, const RunnerOptions& options);

// Features a test may `require`; files requiring anything else are skipped.
bool IsKnownFeature(const std::string& feature);

}  // namespace alopex::slt
