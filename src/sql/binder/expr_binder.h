// Binds AST expressions against a scope, optionally in the context of an
// aggregation (group keys and aggregates already computed below) and windows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sql/binder/binder.h"

namespace alopex {

// Where the columns an expression may reference come from after GROUP BY / windows.
struct AggregateContext {
  bool active = false;
  std::map<std::string, int> group_exprs;    // AST text of a GROUP BY expression -> output index
  std::map<int, int> group_columns;          // scope column of a plain GROUP BY column -> output index
  std::map<std::string, int> aggregates;     // AST text of an aggregate call -> output index
  std::map<std::string, int> windows;        // AST text of a window call -> output index
  std::map<std::string, int> unnests;        // AST text of an unnest(list) call -> output index
  std::vector<LogicalType> types;            // output types of the aggregate/window node
};

class ExprBinder {
 public:
  ExprBinder(Binder& binder, const Scope& scope) : binder_(binder), scope_(scope) {}

  void SetAggregateContext(const AggregateContext* agg) { agg_ = agg; }
  // Select-list aliases usable in GROUP BY / HAVING / ORDER BY: name -> AST.
  void SetAliases(const std::map<std::string, const sql::Expr*>* aliases) { aliases_ = aliases; }

  Result<BoundExprPtr> Bind(const sql::Expr& e);

 private:
  Result<BoundExprPtr> BindColumnRef(const sql::Expr& e);
  Result<BoundExprPtr> BindFunction(const sql::Expr& e);
  Result<BoundExprPtr> BindScalarFunction(const std::string& name, std::vector<BoundExprPtr> args,
                                          size_t location);
  Result<BoundExprPtr> BindOperator(const std::string& op, std::vector<BoundExprPtr> args, size_t location);
  Result<BoundExprPtr> BindCase(const sql::Expr& e);
  Result<BoundExprPtr> BindSubquery(const sql::Expr& e);
  Result<BoundExprPtr> BindInList(const sql::Expr& e);
  Status ErrorAt(size_t location, Status st) const;

  Binder& binder_;
  const Scope& scope_;
  const AggregateContext* agg_ = nullptr;
  const std::map<std::string, const sql::Expr*>* aliases_ = nullptr;
  int alias_depth_ = 0;
};

// True when `e` (not looking into subqueries) calls an aggregate / a window function.
bool ContainsAggregate(const sql::Expr& e);
bool ContainsWindow(const sql::Expr& e);
// Collects aggregate calls (outside windows and subqueries) and window calls.
void CollectAggregates(const sql::Expr& e, std::vector<const sql::Expr*>* out);
void CollectWindows(const sql::Expr& e, std::vector<const sql::Expr*>* out);

}  // namespace alopex
