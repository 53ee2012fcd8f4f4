// Values as JSON: numbers unquoted, text escaped, NULL as null, booleans as
// true/false, lists and vectors as arrays, structs (and maps) as objects, JSONB
// embedded as is, every other type (dates, timestamps, UUIDs, ...) as its text.
#pragma once

#include <string>
#include <string_view>

#include "alopex/value.h"
#include "cli/result_view.h"

namespace alopex::cli {

// Appends `value` as JSON.
void AppendJsonValue(const Value& value, std::string* out);
// Appends the value at (row, col) as JSON, using the engine's text for scalar
// types JSON has no literal for.
void AppendJsonCell(const ResultView& result, size_t row, size_t col, std::string* out);
// {"name":value,...} for one row, no spaces.
std::string JsonObjectForRow(const ResultView& result, size_t row);

}  // namespace alopex::cli
