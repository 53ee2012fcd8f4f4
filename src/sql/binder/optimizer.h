// Plan rewrites applied after binding.
#pragma once

#include "exec/plan.h"

namespace alopex {

// Projection push-down: every operator keeps only the columns something above
// it reads, down to the scans, which then read only those columns.
void PruneColumns(PlanNode& root);

// Hands the conjuncts of a filter sitting on a table-function scan to the
// source, so file readers skip row groups, pages and files (the filter stays).
void PushFiltersIntoSources(PlanNode& root);

// Every rewrite, in order: the plan the executor should run.
void OptimizePlan(PlanNode& root);

}  // namespace alopex
