// Plan rewrites applied after binding.
#pragma once

#include "exec/plan.h"

namespace alopex {

// Projection push-down: every operator keeps only the columns something above
// it reads, down to the scans, which then read only those columns.
void PruneColumns(PlanNode& root);

}  // namespace alopex
