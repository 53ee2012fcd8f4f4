// Table functions: sources of rows that are not tables (files, range(), ...).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "common/column.h"
#include "exec/exec_context.h"

namespace alopex {

struct BoundExpr;

// A bound table-function call. Work is split into morsels (files, row groups,
// CSV byte ranges, ranges of numbers) read in parallel; batches of one morsel
// come out in order, and morsels in index order form the function's row order.
class TableFunctionSource {
 public:
  virtual ~TableFunctionSource() = default;
  // Output schema, before projection.
  virtual const std::vector<std::string>& names() const = 0;
  virtual const std::vector<LogicalType>& types() const = 0;
  // Whether SetProjection is honoured; sources that always produce every
  // column return false.
  virtual bool SupportsProjection() const { return false; }
  // Restricts output to these columns (indexes into names()), in this order.
  // Called at most once, before Prepare.
  virtual void SetProjection(std::vector<int> columns) { projection_ = std::move(columns); }
  // Conjuncts over the projected output that the source may use to skip data
  // (the executor still filters). Called at most once, before Prepare.
  virtual void SetFilters(const std::vector<const BoundExpr*>& filters) {}
  // Plans the morsels (lists files, reads footers). Called once per execution.
  virtual Status Prepare(const ExecContext& ctx) = 0;
  virtual size_t NumMorsels() const = 0;
  // Reads morsel `i`, emitting batches with the projected columns.
  virtual Status ReadMorsel(size_t i, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) = 0;
  virtual std::string ToString() const = 0;

 protected:
  std::vector<int> projection_;  // empty = all columns
};

// A table function's binder: the call's positional and named constant arguments
// in, a source out.
struct TableFunctionInput {
  std::string name;
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> named_args;  // lower-case names
  size_t location = 0;
};
using TableFunctionBinder = std::function<Result<std::shared_ptr<TableFunctionSource>>(const TableFunctionInput&)>;

}  // namespace alopex
