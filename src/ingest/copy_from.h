// Lake-Link import: COPY FROM data-lake files (Parquet, CSV, JSON) into a
// table, and the idempotent COPY INTO. DESIGN.md § SQL surface.
//
// An import lists the files (paths, globs, folders), prunes hive partition
// folders with the partition filter before opening any file, maps source
// columns to target columns (by name, or as the statement maps them, with
// casts; float lists become VECTOR(n)), reads the files' morsels in parallel
// through the format readers and converts each batch as it is read, then
// commits everything in one atomic table commit: Table::Append for 'append',
// Table::Replace for 'upsert' / 'update'. Any failure leaves the table as it
// was. Rows that do not convert fail the import (on_error = 'abort') or go to
// the error table (on_error = 'continue').
//
// Memory: source data streams morsel by morsel; only converted rows are kept
// until the commit, which is what the table stores anyway (with Delta storage
// they become staged data files). Upsert / update also keep one key per input
// row; past alopex.import_memory_limit the import fails (spilling keys is not
// implemented yet).
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
  int64_t spill_threshold = 0;  // alopex.import_spill_threshold (accepted; nothing spills yet)
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
