// The file table functions: read_parquet, read_csv, read_json, read_files,
// parquet_metadata and parquet_schema. They turn a path, glob or list of paths
// into a TableFunctionSource that reads the files morsel by morsel (a Parquet
// row group, a CSV or JSON split), with hive partition columns, projection and
// filter push-down.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "exec/table_function.h"

namespace alopex {

// Registers read_parquet, read_csv (read_csv_auto), read_json (read_json_auto,
// read_ndjson), read_files, parquet_metadata, parquet_schema and read_delta
// (delta_scan) in `registry`.
void RegisterFileTableFunctions(std::map<std::string, TableFunctionBinder>* registry);

// Binds one call of a file table function (`input.name` is one of the names
// above). Expands the paths and reads the schema of the first file (of every
// file with union_by_name). Errors: a missing file is NotFound naming the path;
// an unknown or ill-typed option is InvalidArgument naming the option and the
// function. Exposed for COPY FROM, which reads files the same way.
Result<std::shared_ptr<TableFunctionSource>> BindFileScan(const TableFunctionInput& input);

}  // namespace alopex
