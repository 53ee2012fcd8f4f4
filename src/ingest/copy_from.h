// Lake-Link import: COPY FROM data-lake files (Parquet, CSV, JSON) into a
// table, and the idempotent COPY INTO. DESIGN.md § SQL surface.
//
// An import lists the files (paths, globs, folders), prunes hive partition
// folders with the partition filter before opening any file, maps source
// columns to target columns (by name, or as the statement maps them, with
// casts; float lists become VECTOR(n)), reads the files' morsels in parallel
// through the format readers and converts each batch as it is read. Any
// failure leaves the table as it was. Rows that do not convert fail the import
// (on_error = 'abort') or go to the error table (on_error = 'continue').
//
// Append mode streams: converted rows go straight into the table's data files
// (Table::OpenAppender; with preserve_sort, the default, each morsel writes its
// own files, named so the table reads back in file then row order) and one
// commit at the end makes them visible, with COPY INTO's registry of loaded
// files in the same commit. Memory holds the morsels in flight: the workers
// are as many as alopex.import_memory_limit holds (a worker needs about twice
// its largest morsel). A new table is created at the first batch (which fixes
// inferred VECTOR(n) dimensions) and dropped again if the import fails.
//
// Upsert / update need a key map; when the converted rows and their keys pass
// alopex.import_spill_threshold (or would pass alopex.import_memory_limit), the
// merge becomes a grace hash: the input and the table are partitioned by a hash
// of the key into spill files (in the database's spill folder, or the system
// temp folder for :memory:), merged one partition at a time, and the result
// streams into one rewrite commit (Table::OpenRewriter). Spill files are
// deleted when the import ends. Either way, a stored table's commit rewrites
// only the data files holding a row the import matched, and with row tracking
// matched rows keep their ids (inserted rows get new ones); an in-memory table
// is replaced whole.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/exec_context.h"
#include "exec/plan.h"
#include "ingest/import_options.h"
#include "storage/catalog.h"

namespace alopex {

// One mapped column: `source` (a file column or hive partition key) into the
// target column `target`, through `cast` when given (MAP COLUMNS a => b::T).
struct ImportColumnSpec {
  std::string source;
  std::string target;
  std::optional<LogicalType> cast;
};

// Binds the partition filter over the partition columns once they are known;
// the expression reads column i of a one-row batch of partition values.
using PartitionFilterBinder =
    std::function<Result<BoundExprPtr>(const std::vector<std::string>& names, const std::vector<LogicalType>& types)>;

struct ImportRequest {
  std::string statement = "COPY FROM";  // prefixes messages
  std::vector<std::string> sources;     // paths, globs or folders
  std::string schema = Catalog::kDefaultSchema;
  std::string table;  // created from the source schema when missing
  // Explicit mapping (INTO t (cols) and MAP COLUMNS); empty: by name.
  std::vector<ImportColumnSpec> columns;
  ImportOptions options;
  PartitionFilterBinder bind_partition_filter;  // required when options.partition_filter is set
  // COPY INTO: files already loaded into the table are skipped (unless
  // options.force), and source columns the table lacks are an error (unless
  // options.merge_schema, which adds them).
  bool copy_into = false;
  int64_t memory_limit = 0;     // alopex.import_memory_limit in bytes; 0 = none
  int64_t spill_threshold = 0;  // alopex.import_spill_threshold in bytes; 0 = never by size
  std::string spill_dir;        // where upsert / update spill; empty: $TMPDIR or /tmp
};

struct ImportResult {
  std::string job_id;
  uint64_t rows_imported = 0;  // rows appended, or inserted + updated
  uint64_t rows_rejected = 0;
  uint64_t files = 0;    // files read
  int64_t version = -1;  // table version the commit produced
};

// Runs one import as a job (ImportJobRegistry). Errors name the file, row and
// column at fault (`docs.parquet: row 17, column "embedding": expected
// VECTOR(384), got 383 values`), the option, or the missing column.
Result<ImportResult> RunImport(const ImportRequest& request, Catalog& catalog, const ExecContext& ctx);

// The columns of an error table: job_id, file, row_number, column_name,
// message, raw_value.
std::vector<ColumnDef> ErrorTableColumns();

}  // namespace alopex
