// The bound query plan: what the binder (src/sql/binder) produces, the
// optimizer rewrites and the executor runs. Expressions refer to the columns of
// their operator's input by index.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alopex/types.h"
#include "alopex/value.h"
#include "common/column.h"
#include "exec/function.h"

namespace alopex {

struct PlanNode;
struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;
using PlanPtr = std::unique_ptr<PlanNode>;
class TableFunctionSource;
class Table;
struct TableSnapshot;

enum class BoundExprKind {
  kConstant,   // value
  kColumnRef,  // column_index into the input batch
  kFunction,   // function(children)
  kCast,       // children[0] cast to type (try_cast)
  kCase,       // children = [when1, then1, when2, then2, ..., else]
  kAnd,        // children, three-valued logic
  kOr,
  kNot,
  kIsNull,     // children[0] IS NULL (negated: IS NOT NULL)
  kInSet,      // children[0] IN set_values (negated: NOT IN); NULL semantics of SQL
  kSubquery,   // scalar subquery: executed once, its single value (see subquery_plan)
  kExists,     // EXISTS (subquery_plan) (negated)
  kInSubquery, // children[0] IN (subquery_plan) (negated)
  kCorrelatedColumn,  // a column of the outer query inside a correlated subquery: column_index into outer row
};

struct BoundExpr {
  BoundExprKind kind;
  LogicalType type;
  Value value;
  int column_index = -1;
  std::vector<BoundExprPtr> children;
  BoundScalarFunction function;
  bool try_cast = false;
  bool negated = false;
  std::vector<Value> set_values;  // kInSet
  bool set_has_null = false;
  std::shared_ptr<PlanNode> subquery_plan;   // kSubquery / kExists / kInSubquery
  std::vector<BoundExprPtr> correlated_outer;  // outer expressions the correlated subquery needs, bound on the outer input
  std::string alias;              // display name, for EXPLAIN

  BoundExpr(BoundExprKind k, LogicalType t) : kind(k), type(std::move(t)) {}
  BoundExprPtr Copy() const;
  std::string ToString() const;
  bool IsConstant() const { return kind == BoundExprKind::kConstant; }
  // True when the expression reads no input column and is not volatile.
  bool IsFoldable() const;
};

BoundExprPtr MakeConstant(Value v);
BoundExprPtr MakeColumnRef(int index, LogicalType type, std::string name = "");
BoundExprPtr MakeCast(BoundExprPtr child, const LogicalType& to, bool try_cast = false);

enum class AggregateKind {
  kCountStar, kCount, kSum, kAvg, kMin, kMax, kStringAgg, kList, kBoolAnd, kBoolOr, kAnyValue,
  kFirst, kLast, kArgMin, kArgMax, kStddevSamp, kStddevPop, kVarSamp, kVarPop, kMedian, kApproxCountDistinct,
  kProduct,
};

struct BoundAggregate {
  AggregateKind kind;
  std::string name;
  LogicalType type;                  // result type
  std::vector<BoundExprPtr> args;    // over the aggregate's input
  bool distinct = false;
  BoundExprPtr filter;               // FILTER (WHERE ...)
  std::vector<BoundExprPtr> order_by;  // ordered aggregates
  std::vector<bool> order_desc;
  BoundAggregate Copy() const;
};

enum class WindowKind {
  kRowNumber, kRank, kDenseRank, kPercentRank, kCumeDist, kNtile, kLag, kLead, kFirstValue, kLastValue,
  kNthValue, kAggregate,
};

struct BoundWindow {
  WindowKind kind;
  std::string name;
  LogicalType type;
  std::vector<BoundExprPtr> args;
  BoundAggregate aggregate;  // kAggregate
  std::vector<BoundExprPtr> partition_by;
  std::vector<BoundExprPtr> order_by;
  std::vector<bool> order_desc;
  std::vector<bool> order_nulls_first;
  // Frame: rows between start and end relative to the current row. With ORDER BY
  // and no frame: RANGE UNBOUNDED PRECEDING to CURRENT ROW (peers included).
  bool has_frame = false;
  bool frame_rows = true;
  int64_t frame_start = INT64_MIN;  // INT64_MIN: unbounded preceding; 0: current row; -n: n preceding
  int64_t frame_end = 0;            // INT64_MAX: unbounded following
  bool ignore_nulls = false;
};

struct SortKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;  // default: NULLS LAST for ASC and DESC (DuckDB)
  SortKey Copy() const;
};

enum class PlanKind {
  kTableScan,      // table, projection (column ids), filters
  kTableFunction,  // table function source (files, range)
  kValues,         // constant rows
  kEmptyRow,       // one row, no columns (SELECT without FROM)
  kFilter,
  kProjection,
  kAggregate,      // group_by exprs + aggregates → [groups..., aggregates...]
  kWindow,         // input columns + one column per window function
  kHashJoin,       // equi-join: left_keys/right_keys + residual condition
  kNestedLoopJoin, // arbitrary condition (or none: cross product)
  kSort,
  kLimit,
  kDistinct,       // all columns
  kUnion,          // UNION ALL of children (same types)
  kSetOperation,   // INTERSECT / EXCEPT [ALL] of two children; UNION (distinct) is kUnion + kDistinct
  kUnnest,         // expands list expressions into rows
  kMaterialized,   // already computed batches (CTE results, subquery results)
};

enum class PlanJoinType { kInner, kLeft, kRight, kFull, kSemi, kAnti, kMark };

struct MaterializedData;

struct PlanNode {
  PlanKind kind;
  std::vector<PlanPtr> children;
  std::vector<LogicalType> types;   // output column types
  std::vector<std::string> names;   // output column names

  // kTableScan
  std::shared_ptr<Table> table;
  std::vector<int> column_ids;  // table columns read, in output order
  int64_t version = -1;         // time travel; -1 = latest
  // When set, the scan reads this snapshot (a DML statement's: the version it
  // read, or only the data files it rewrites) instead of `version`.
  std::shared_ptr<const TableSnapshot> snapshot;
  // kTableScan / kTableFunction: conjuncts over the output, used to skip data
  // (the executor still applies them as a filter unless filters_exact).
  std::vector<BoundExprPtr> pushed_filters;
  // kTableFunction
  std::shared_ptr<TableFunctionSource> source;
  // kValues: rows of constant expressions
  std::vector<std::vector<BoundExprPtr>> values;
  // kFilter: condition; kNestedLoopJoin / kHashJoin: residual condition over [left..., right...]
  BoundExprPtr condition;
  // kProjection / kUnnest
  std::vector<BoundExprPtr> expressions;
  // kAggregate
  std::vector<BoundExprPtr> groups;
  std::vector<BoundAggregate> aggregates;
  // kWindow
  std::vector<BoundWindow> windows;
  // kHashJoin / kNestedLoopJoin
  PlanJoinType join_type = PlanJoinType::kInner;
  std::vector<BoundExprPtr> left_keys, right_keys;  // over each side's own columns
  std::vector<bool> null_equal;                     // key compares NULL = NULL (IS NOT DISTINCT FROM)
  // kHashJoin without a residual condition: the child columns the join outputs
  // (the optimizer drops key columns nothing above reads); used when set.
  bool has_join_projection = false;
  std::vector<int> left_projection, right_projection;
  // kSort (also the order a kLimit keeps)
  std::vector<SortKey> sort_keys;
  // kLimit
  int64_t limit = -1;  // -1 = no limit
  int64_t offset = 0;
  // kSetOperation
  bool set_all = false;
  bool set_except = false;  // else intersect
  // kMaterialized
  std::shared_ptr<MaterializedData> data;

  explicit PlanNode(PlanKind k) : kind(k) {}
  // Multi-line plan text for EXPLAIN.
  std::string ToString(int indent = 0) const;
};

// Batches produced once and read by several plan nodes (CTEs, subqueries).
struct MaterializedData {
  std::vector<Batch> batches;
  size_t num_rows = 0;
};

}  // namespace alopex
