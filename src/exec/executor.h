// The executor: runs a bound plan with morsel-driven parallelism.
//
// A plan splits into pipelines at its breakers (aggregate, sort, window, limit,
// set operations, hash-join build sides). A pipeline is a source (table scan,
// table function, materialized rows) and a chain of streaming operators
// (filter, projection, hash-join probe, nested-loop join); worker threads pull
// morsels from the source and push each through the chain into a sink.
// Morsels carry their index, so sinks can restore source order.
#pragma once

#include <memory>

#include "exec/exec_context.h"
#include "exec/plan.h"

namespace alopex {

// Runs `plan` to completion and returns its rows in order.
Result<std::shared_ptr<MaterializedData>> ExecutePlan(const PlanNode& plan, const ExecContext& ctx);

// Concatenates the batches into batches of at most kBatchSize rows... or one batch.
Batch ConcatenateBatches(const std::vector<Batch>& batches, const std::vector<LogicalType>& types);

}  // namespace alopex
