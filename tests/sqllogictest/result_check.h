// Comparing a query's rows with a record's expected lines.
#pragma once

#include <string>
#include <vector>

#include "test_file.h"

namespace alopex::slt {

// Rows of values in their test text: NULL for NULL, (empty) for '', otherwise
// the engine's text form.
using TextRows = std::vector<std::vector<std::string>>;

// The expected values of a query record: tab-separated lines, or (for several
// columns and lines without tabs) one value per line, as classic sqllogictest.
TextRows ExpectedRows(const TestRecord& record, size_t num_columns);

// "" when `actual` matches the record's expected rows after its sort mode;
// otherwise a description of the difference. Columns typed R compare
// numerically with a relative tolerance of 1e-6.
std::string CheckRows(const TestRecord& record, TextRows actual, size_t num_columns);

// Rows as tab-separated lines, for failure reports.
std::string RowsToText(const TextRows& rows);

// Whether two values in test text match for a column of type letter `type`.
bool ValuesMatch(const std::string& expected, const std::string& actual, char type);

}  // namespace alopex::slt
