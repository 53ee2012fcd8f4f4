// Aggregate functions: binding (names, result types) and per-group states.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/column.h"
#include "exec/plan.h"

namespace alopex {

// The aggregate called `name` (lower-case), if it is one.
std::optional<AggregateKind> LookupAggregate(const std::string& name);
bool IsAggregateName(const std::string& name);
// Every aggregate and window function name, for "did you mean" suggestions.
std::vector<std::string> AggregateAndWindowNames();

// Result type of an aggregate over `args`; a mismatch is a Binder Error naming
// the function and the argument types. May adjust `args` to the types the
// arguments should be cast to (e.g. avg over DECIMAL reads DOUBLE).
Result<LogicalType> BindAggregate(AggregateKind kind, const std::string& name, std::vector<LogicalType>* args);

// The running states of one aggregate for every group of a hash table.
class AggregateState {
 public:
  virtual ~AggregateState() = default;
  // Makes room for groups [0, n).
  virtual void Resize(size_t groups) = 0;
  // Folds rows into their groups: row i of `args` goes to group gids[i].
  virtual Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) = 0;
  // Folds `other` (same aggregate, another thread) in: its group g goes to map[g].
  virtual Status Combine(AggregateState& other, const uint32_t* map, size_t other_groups) = 0;
  // Writes the result of groups [0, n) into `out` (resized to n).
  virtual Status Finalize(size_t groups, Column* out) = 0;
};

std::unique_ptr<AggregateState> MakeAggregateState(const BoundAggregate& aggregate);

}  // namespace alopex
