// The binder: resolves names and types in the AST and builds the bound plan
// (exec/plan.h) the executor runs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "exec/exec_context.h"
#include "exec/function.h"
#include "exec/plan.h"
#include "exec/table_function.h"
#include "sql/ast.h"
#include "storage/catalog.h"

namespace alopex {

class TableFunctionSource;
class ExprBinder;


// Everything binding needs from the session.
struct BinderContext {
  Catalog* catalog = nullptr;
  const FunctionRegistry* functions = nullptr;
  const std::map<std::string, TableFunctionBinder>* table_functions = nullptr;
  const std::vector<Value>* params = nullptr;
  // Runs uncorrelated subqueries while binding, so they become constants.
  const ExecContext* exec = nullptr;
  std::string sql;  // the statement text, for error positions
};

// One column visible to expressions: its table alias, name and type.
struct ScopeColumn {
  std::string table;  // alias or table name, lower-case; "" for derived columns
  std::string name;
  LogicalType type;
  bool hidden = false;  // USING duplicates: not in *, not resolvable unqualified
  // A table's metadata column (_row_id, _row_commit_version): not in *, USING,
  // NATURAL or suggestions; a name resolves to it only when no ordinary column
  // answers (NamesPseudoColumn).
  bool pseudo = false;
};

// (qualifier, name) of the metadata columns a query names, lower-case;
// qualifier "" when unqualified.
using PseudoColumnRefs = std::set<std::pair<std::string, std::string>>;

struct Scope {
  std::vector<ScopeColumn> columns;
  const Scope* outer = nullptr;  // enclosing query, for correlated subqueries
};

struct BoundQuery {
  PlanPtr plan;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
};

class Binder {
 public:
  explicit Binder(BinderContext ctx) : ctx_(std::move(ctx)) {}

  Result<BoundQuery> BindQuery(const sql::SelectNode& node, const Scope* outer = nullptr);
  // An expression over `scope` (no aggregates, no windows): WHERE of UPDATE/DELETE, defaults.
  Result<BoundExprPtr> BindScalar(const sql::Expr& expr, const Scope& scope);
  // Binds a table reference (used by UPDATE ... FROM, MERGE). Its base tables
  // offer no metadata columns: only a SELECT adds those it names.
  Result<BoundQuery> BindTableRef(const sql::TableRef& ref, Scope* scope, const Scope* outer);

  // Resolves `name` to (schema, table), NotFound with a suggestion otherwise.
  Result<std::shared_ptr<Table>> LookupTable(const sql::QualifiedName& name, size_t location);
  static std::pair<std::string, std::string> SplitName(const sql::QualifiedName& name);

  // Casts `e` to `to`, folding constants.
  Result<BoundExprPtr> CastTo(BoundExprPtr e, const LogicalType& to, bool try_cast = false);
  Result<BoundExprPtr> FoldConstants(BoundExprPtr e);
  // The value of `e`, an expression without columns, computed once now (so
  // now() - INTERVAL 1 HOUR is a point in time); `what` names it in errors.
  Result<Value> EvaluateOnce(const sql::Expr& e, const std::string& what);
  // Error text with the position of `location` in the statement ("LINE 1: ..." and a caret).
  std::string Where(size_t location) const;
  // INSERT ... VALUES: the default of each VALUES column, for DEFAULT items.
  void SetInsertDefaults(std::vector<Value> defaults) { insert_defaults_ = std::move(defaults); }

  friend class ExprBinder;

 private:
  struct CteBinding {
    const sql::CommonTableExpr* cte;
    std::shared_ptr<MaterializedData> data;  // materialized on first use
    std::vector<std::string> names;
    std::vector<LogicalType> types;
    bool binding_now = false;  // guards a CTE that names itself
  };

  friend Result<BoundAggregate> BindAggregateCall(Binder&, ExprBinder&, const sql::Expr&, bool);
  Result<BoundQuery> BindSelectCore(const sql::SelectNode& node, const Scope* outer);
  Result<BoundQuery> BindSetOperation(const sql::SelectNode& node, const Scope* outer);
  Result<BoundQuery> BindValues(const sql::SelectNode& node, const Scope* outer);
  Result<BoundQuery> BindBaseTable(const sql::TableRef& ref, Scope* scope, const Scope* outer);
  Result<BoundQuery> BindJoin(const sql::TableRef& ref, Scope* scope, const Scope* outer);
  Result<BoundQuery> BindTableFunction(const sql::TableRef& ref, Scope* scope, const Scope* outer);
  Result<BoundQuery> ApplyOrderLimit(const sql::SelectNode& node, BoundQuery q, const Scope* outer);
  Result<BoundQuery> ApplyLimit(const sql::SelectNode& node, BoundQuery q);

  // The metadata columns `node` names anywhere, its subqueries included.
  static PseudoColumnRefs NamedPseudoColumns(const sql::SelectNode& node);

  BinderContext ctx_;
  // While binding a SELECT's FROM: its named metadata columns. A base table
  // scans only those, so a query naming none scans as it always did (a stored
  // table without row tracking refuses _row_id).
  PseudoColumnRefs pseudo_refs_;
  std::vector<std::map<std::string, std::shared_ptr<CteBinding>>> cte_stack_;
  int view_depth_ = 0;
  std::vector<Value> insert_defaults_;
  // Outer-scope columns the last BindQuery referenced (correlated subquery).
  std::vector<int> last_correlated_;
};

// Adds the conjuncts of `cond` (over the output of `plan`) as low in the plan as
// they can go: into join sides, or as hash-join keys for equalities across sides.
PlanPtr PushFilterInto(PlanPtr plan, BoundExprPtr cond);
// Splits an AND tree into its conjuncts.
void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out);
// AND of the conjuncts (nullptr for none).
BoundExprPtr MakeConjunction(std::vector<BoundExprPtr> conjuncts);
// Column indexes an expression reads.
void CollectColumnRefs(const BoundExpr& e, std::vector<int>* out);
// Adds `delta` to every column index >= `from`.
void ShiftColumnRefs(BoundExpr& e, int delta, int from = 0);

// Whether `name` (lower-case) could name a metadata column: _row_id, rowid
// (DuckDB's spelling of _row_id) or _row_commit_version.
bool IsPseudoColumnName(const std::string& name);
// Whether `name` (lower-case) names `c`, a metadata column of the scope.
bool NamesPseudoColumn(const ScopeColumn& c, const std::string& name);
// Adds every metadata column (BIGINT) to `scope` under `alias`, in the order
// of PseudoColumnIds: their column ids for a kTableScan (storage/table_scan.h).
void AddPseudoColumns(Scope* scope, const std::string& alias);
std::vector<int> PseudoColumnIds();

// Levenshtein-closest candidate to `name`, or "" when none is close.
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace alopex
