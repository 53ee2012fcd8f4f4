// Vectorized evaluation of bound expressions over a batch.
#pragma once

#include <cstdint>
#include <vector>

#include "common/column.h"
#include "exec/exec_context.h"
#include "exec/plan.h"

namespace alopex {

// Evaluates `expr` over the `input.num_rows` rows of `input` into `out` (replaced
// by a column of expr.type with that many rows).
Status EvaluateExpression(const BoundExpr& expr, const Batch& input, Column* out, const ExecContext& ctx);

// The rows of `input` where `condition` is true (not false, not NULL), ascending.
Status SelectRows(const BoundExpr& condition, const Batch& input, std::vector<uint32_t>* sel,
                  const ExecContext& ctx);

// A batch holding `sel[0..n)` rows of `input`.
Batch GatherBatch(const Batch& input, const uint32_t* sel, size_t n);

// Evaluates an expression that reads no input column (a constant expression).
Result<Value> EvaluateConstant(const BoundExpr& expr, const ExecContext& ctx);

}  // namespace alopex
