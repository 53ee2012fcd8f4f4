// The read_delta table function (any Delta table, on any store, at any version).
#pragma once

#include <memory>

#include "exec/table_function.h"

namespace alopex {

Result<std::shared_ptr<TableFunctionSource>> BindReadDelta(const TableFunctionInput& input);

}  // namespace alopex
