// range(start, stop[, step]) and generate_series(start, stop[, step]): a column
// of integers (or timestamps with an interval step). range excludes `stop`,
// generate_series includes it, as in DuckDB.
#pragma once

#include <memory>

#include "exec/table_function.h"

namespace alopex {

Result<std::shared_ptr<TableFunctionSource>> MakeRangeSource(const std::string& name, const std::vector<Value>& args);

}  // namespace alopex
