// The shell's output formats and the writers for each, over a ResultView.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "alopex/status.h"
#include "cli/result_view.h"

namespace alopex::cli {

enum class OutputFormat { kTable, kCsv, kTsv, kJson, kJsonLines, kMarkdown };

// "table", "csv", "tsv", "json", "jsonl", "markdown" (also "box", "duckbox",
// "tabs", "ndjson", "md"); an error lists the known names.
Result<OutputFormat> ParseOutputFormat(std::string_view name);
const char* OutputFormatName(OutputFormat format);

struct FormatOptions {
  // Terminal columns the table format fits into; 0 = no limit (not a terminal).
  size_t max_width = 0;
  // Rows the table format shows before eliding the middle ones; 0 = all.
  size_t max_rows = 0;
};

// Writes the whole result in `format`. A result with no columns writes nothing.
void WriteResult(const ResultView& result, OutputFormat format, const FormatOptions& options, std::ostream& out);

// DuckDB-style box table: names, types, rows; numbers right-aligned; NULL as NULL.
void WriteTable(const ResultView& result, const FormatOptions& options, std::ostream& out);
// RFC 4180: a header line, fields quoted when they hold the delimiter, a quote or
// a line break; NULL is an empty field. `delimiter` ',' for CSV, '\t' for TSV.
void WriteDelimited(const ResultView& result, char delimiter, std::ostream& out);
// A JSON array of one object per row.
void WriteJsonArray(const ResultView& result, std::ostream& out);
// One compact JSON object per line: {"answer":42}.
void WriteJsonLines(const ResultView& result, std::ostream& out);
// A GitHub-flavoured Markdown table.
void WriteMarkdown(const ResultView& result, std::ostream& out);

}  // namespace alopex::cli
