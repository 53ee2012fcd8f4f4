// MERGE INTO, UPDATE ... FROM and DELETE ... USING: the DML statements that join
// the target table with a source. For a stored target, an inner join first
// finds the data files holding a row the ON condition matches, and the
// statement reads only those (without a NOT MATCHED BY SOURCE clause). Then
// one plan runs, and its
// result (the rows of every data file it changes, plus the rows it inserts) is
// committed with Table::Replace as one operation, like UPDATE and DELETE; rows
// keep their ids when the table tracks them. UPDATE ... FROM is a MERGE with one WHEN
// MATCHED THEN UPDATE clause, DELETE ... USING one with WHEN MATCHED THEN DELETE.
//
// The plan, bottom-up:
//   target scan (+ data file, row ids)
//     + row_number() as a row number  --------+
//                                             +-- LEFT join on the ON condition
//   source + a constant TRUE "present" column -+   (FULL when a clause inserts)
//   -> projection: + the index of the first WHEN clause whose condition holds
//   -> projection: each target column's new value (a CASE over the clauses),
//                  the row ids, the data file, the row number and the clause index
// A target row matched by several source rows comes out of the join several
// times; one pass over the result finds the rows a clause modifies (and the
// conflicting matches), and with them the data files to rewrite; a second
// keeps one row per row number of those files, drops deleted rows and source
// rows nothing inserts.
#include <algorithm>

#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "sql/binder/expr_binder.h"
#include "sql/binder/statements.h"
#include "storage/table.h"
#include "storage/table_scan.h"

namespace alopex {

namespace {

using sql::MergeActionKind;

enum class Category { kMatched, kNotMatchedByTarget, kNotMatchedBySource };

const char* CategoryText(Category c) {
  switch (c) {
    case Category::kMatched:
      return "WHEN MATCHED";
    case Category::kNotMatchedByTarget:
      return "WHEN NOT MATCHED [BY TARGET]";
    case Category::kNotMatchedBySource:
      return "WHEN NOT MATCHED BY SOURCE";
  }
  return "WHEN";
}

// One WHEN clause of a MERGE (or what UPDATE ... FROM / DELETE ... USING do), pointing into the AST.
struct WhenClause {
  Category category = Category::kMatched;
  const sql::Expr* condition = nullptr;  // AND ...; nullptr: always
  MergeActionKind action = MergeActionKind::kUpdate;
  const std::vector<sql::SetClause>* set = nullptr;
  const std::vector<std::string>* insert_columns = nullptr;
  const std::vector<sql::ExprPtr>* insert_values = nullptr;

  bool Updates() const { return action == MergeActionKind::kUpdate || action == MergeActionKind::kUpdateStar; }
  bool Inserts() const { return action == MergeActionKind::kInsert || action == MergeActionKind::kInsertStar; }
  bool Modifies() const { return Updates() || action == MergeActionKind::kDelete; }
};

// MERGE, UPDATE ... FROM and DELETE ... USING in the terms they share.
struct JoinedDml {
  std::string verb;       // "MERGE INTO", "UPDATE", "DELETE FROM": the context of errors
  std::string operation;  // the commit's operation (DESCRIBE HISTORY)
  const sql::QualifiedName* target = nullptr;
  size_t target_location = 0;
  std::string target_alias;
  const sql::TableRef* source = nullptr;
  const sql::Expr* condition = nullptr;  // ON / WHERE; nullptr: every pair matches
  std::vector<WhenClause> clauses;
  // UPDATE ... FROM: a target row joined to several source rows takes the first
  // (PostgreSQL, DuckDB). MERGE: updating or deleting such a row is an error.
  bool first_match_wins = false;
  const std::string* text = nullptr;
};

struct DmlCounts {
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t inserted = 0;
};

// ---------------------------------------------------------------- expressions

BoundExprPtr Bool(BoundExprKind kind, std::vector<BoundExprPtr> children, bool negated = false) {
  auto e = std::make_unique<BoundExpr>(kind, LogicalType(TypeId::kBoolean));
  e->children = std::move(children);
  e->negated = negated;
  return e;
}

BoundExprPtr IsNull(BoundExprPtr e, bool negated = false) {
  std::vector<BoundExprPtr> c;
  c.push_back(std::move(e));
  return Bool(BoundExprKind::kIsNull, std::move(c), negated);
}

BoundExprPtr And(BoundExprPtr a, BoundExprPtr b) {
  std::vector<BoundExprPtr> c;
  c.push_back(std::move(a));
  c.push_back(std::move(b));
  return Bool(BoundExprKind::kAnd, std::move(c));
}

// CASE WHEN whens[0] THEN thens[0] ... ELSE otherwise END, of type `type`.
BoundExprPtr Case(std::vector<BoundExprPtr> whens, std::vector<BoundExprPtr> thens, BoundExprPtr otherwise,
                  const LogicalType& type) {
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kCase, type);
  for (size_t i = 0; i < whens.size(); i++) {
    e->children.push_back(std::move(whens[i]));
    e->children.push_back(std::move(thens[i]));
  }
  e->children.push_back(std::move(otherwise));
  return e;
}

Result<BoundExprPtr> Equals(BoundExprPtr a, BoundExprPtr b, const FunctionRegistry& functions) {
  ScalarBindInput in;
  in.name = "=";
  in.arg_types = {a->type, b->type};
  in.constant_args = {nullptr, nullptr};
  ALOPEX_ASSIGN_OR_RETURN(BoundScalarFunction fn, functions.Bind(in));
  auto eq = std::make_unique<BoundExpr>(BoundExprKind::kFunction, LogicalType(TypeId::kBoolean));
  eq->function = std::move(fn);
  eq->children.push_back(std::move(a));
  eq->children.push_back(std::move(b));
  return eq;
}

BoundExprPtr TypedConstant(const Value& v, const LogicalType& type) {
  auto c = MakeConstant(v);
  c->type = type;
  return c;
}

// ---------------------------------------------------------------- plans

// An outer join of `left` and `right` ([left..., right...]) on `condition`
// (over that; nullptr: every pair): equalities between one side and the other
// become hash keys (NULL keys never match), the rest is checked per candidate pair.
PlanPtr MakeOuterJoin(PlanPtr left, PlanPtr right, PlanJoinType type, BoundExprPtr condition) {
  const int lw = int(left->types.size()), rw = int(right->types.size());
  auto node = std::make_unique<PlanNode>(PlanKind::kNestedLoopJoin);
  node->join_type = type;
  node->types = left->types;
  node->names = left->names;
  node->types.insert(node->types.end(), right->types.begin(), right->types.end());
  node->names.insert(node->names.end(), right->names.begin(), right->names.end());
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  auto within = [](const BoundExpr& e, int lo, int hi) {
    std::vector<int> refs;
    CollectColumnRefs(e, &refs);
    return !refs.empty() && std::all_of(refs.begin(), refs.end(), [&](int x) { return x >= lo && x < hi; });
  };
  std::vector<BoundExprPtr> conjuncts, residual;
  SplitConjuncts(std::move(condition), &conjuncts);
  for (auto& c : conjuncts) {
    if (c->IsConstant() && !c->value.is_null() && c->value.GetBool()) continue;
    if (c->kind == BoundExprKind::kFunction && c->function.name == "=" && c->children.size() == 2) {
      const BoundExpr& a = *c->children[0];
      const BoundExpr& b = *c->children[1];
      int left_child = within(a, 0, lw) && within(b, lw, lw + rw)   ? 0
                       : within(b, 0, lw) && within(a, lw, lw + rw) ? 1
                                                                    : -1;
      if (left_child >= 0) {
        BoundExprPtr lk = std::move(c->children[size_t(left_child)]);
        BoundExprPtr rk = std::move(c->children[size_t(1 - left_child)]);
        ShiftColumnRefs(*rk, -lw);
        node->kind = PlanKind::kHashJoin;
        node->left_keys.push_back(std::move(lk));
        node->right_keys.push_back(std::move(rk));
        node->null_equal.push_back(false);
        continue;
      }
    }
    residual.push_back(std::move(c));
  }
  node->condition = MakeConjunction(std::move(residual));
  return node;
}

// `child` with one more column: a BIGINT numbering its rows from 1.
PlanPtr WithRowIds(PlanPtr child) {
  auto w = std::make_unique<PlanNode>(PlanKind::kWindow);
  BoundWindow rn;
  rn.kind = WindowKind::kRowNumber;
  rn.name = "row_number";
  rn.type = LogicalType(TypeId::kBigInt);
  w->windows.push_back(std::move(rn));
  w->types = child->types;
  w->names = child->names;
  w->types.push_back(LogicalType(TypeId::kBigInt));
  w->names.push_back("row_id");
  w->children.push_back(std::move(child));
  return w;
}

// A scope column no name resolves to (row ids, presence flags, the other side).
ScopeColumn Unnamed(const LogicalType& type) { return {"", "", type, true}; }

// `scope` with every column unresolvable: the side a clause cannot see.
Scope Masked(const Scope& scope) {
  Scope m;
  for (const auto& c : scope.columns) m.columns.push_back(Unnamed(c.type));
  return m;
}

Scope Concat(const Scope& a, const Scope& b) {
  Scope s = a;
  s.columns.insert(s.columns.end(), b.columns.begin(), b.columns.end());
  return s;
}

int FindColumn(const std::vector<ColumnDef>& cols, const std::string& name) {
  for (size_t i = 0; i < cols.size(); i++)
    if (LowerName(cols[i].name) == LowerName(name)) return int(i);
  return -1;
}

// The target row numbered `row_id` (from 1, in scan order of `snap`) as
// "(a = 1, b = 'x')", for error messages; "" when it cannot be read.
std::string DescribeTargetRow(const std::shared_ptr<Table>& table, std::shared_ptr<const TableSnapshot> snap,
                              int64_t row_id, Session& s) {
  Scope unused;
  const std::vector<ColumnDef> cols = snap->columns;
  PlanPtr plan = WithRowIds(ScanAll(table, std::move(snap), table->name(), &unused));
  const int n = int(cols.size());
  auto eq = Equals(MakeColumnRef(n, LogicalType(TypeId::kBigInt)), MakeConstant(Value::BigInt(row_id)), *s.functions);
  if (!eq.ok()) return "";
  auto rows = Materialize(PushFilterInto(std::move(plan), std::move(*eq)), s);
  if (!rows.ok()) return "";
  for (const auto& b : *rows) {
    if (b.num_rows == 0) continue;
    std::string text = "(";
    for (int c = 0; c < n; c++) {
      if (c == 6) {
        text += ", ...";
        break;
      }
      text += (c ? ", " : "") + cols[size_t(c)].name + " = " + b.columns[size_t(c)].GetValue(0).ToSqlLiteral();
    }
    return text + ")";
  }
  return "";
}

// ---------------------------------------------------------------- the joined DML

// Binds an expression of `clause` over `scope`; a clause of the NOT MATCHED
// kinds sees one side only, which its errors say.
Result<BoundExprPtr> BindInClause(const WhenClause& clause, Binder& binder, const Scope& scope, const sql::Expr& e) {
  ExprBinder eb(binder, scope);
  auto r = eb.Bind(e);
  if (r.ok() || clause.category == Category::kMatched) return r;
  return r.status().WithContext(std::string(CategoryText(clause.category)) + " sees only the " +
                                (clause.category == Category::kNotMatchedByTarget ? "source" : "target") + " row: ");
}

// The value each target column gets from `clause` (nullptr: unchanged), bound
// over the join output that `scope` describes. `source` is the source's own
// columns within it, from `source_offset`.
Result<std::vector<BoundExprPtr>> BindClauseValues(const JoinedDml& d, const WhenClause& clause, Binder& binder,
                                                   const Scope& scope, const Scope& source, int source_offset,
                                                   const std::shared_ptr<Table>& table,
                                                   const std::vector<ColumnDef>& cols) {
  std::vector<BoundExprPtr> values(cols.size());
  auto cast = [&](BoundExprPtr v, size_t c, const std::string& what) -> Result<BoundExprPtr> {
    auto r = binder.CastTo(std::move(v), cols[c].type);
    if (!r.ok())
      return r.status().WithContext(d.verb + " " + table->name() + ": " + what + " column \"" + cols[c].name + "\": ");
    return r;
  };
  // UPDATE SET * / INSERT *: each target column from the source column of the same name.
  auto by_name = [&](const char* what) -> Status {
    for (size_t c = 0; c < cols.size(); c++) {
      std::vector<int> hits;
      for (size_t j = 0; j < source.columns.size(); j++)
        if (!source.columns[j].hidden && LowerName(source.columns[j].name) == LowerName(cols[c].name))
          hits.push_back(int(j));
      if (hits.empty())
        return Status::BinderError(d.verb + " " + table->name() + ": " + what +
                                   " needs a source column for every column of " + table->name() +
                                   ", and the source has no column \"" + cols[c].name + "\"");
      if (hits.size() > 1)
        return Status::BinderError(d.verb + " " + table->name() + ": " + what +
                                   ": the source has more than one column named \"" + cols[c].name + "\"");
      const ScopeColumn& sc = source.columns[size_t(hits[0])];
      ALOPEX_ASSIGN_OR_RETURN(values[c], cast(MakeColumnRef(source_offset + hits[0], sc.type, sc.name), c, what));
    }
    return Status::OK();
  };
  switch (clause.action) {
    case MergeActionKind::kUpdate:
      for (const auto& set : *clause.set) {
        int idx = FindColumn(cols, set.column);
        if (idx < 0)
          return Status::BinderError("Referenced update column \"" + set.column + "\" not found in table " +
                                     table->name());
        if (values[size_t(idx)])
          return Status::BinderError(d.verb + " " + table->name() + ": UPDATE SET assigns column \"" + set.column +
                                     "\" twice");
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, BindInClause(clause, binder, scope, *set.value));
        ALOPEX_ASSIGN_OR_RETURN(values[size_t(idx)], cast(std::move(v), size_t(idx), "UPDATE"));
      }
      return values;
    case MergeActionKind::kUpdateStar:
      if (clause.category != Category::kMatched)
        return Status::BinderError(d.verb + " " + table->name() + ": UPDATE SET * needs a source row; " +
                                   CategoryText(clause.category) + " has none (name the columns: UPDATE SET c = ...)");
      ALOPEX_RETURN_IF_ERROR(by_name("UPDATE SET *"));
      return values;
    case MergeActionKind::kInsertStar:
      ALOPEX_RETURN_IF_ERROR(by_name("INSERT *"));
      return values;
    case MergeActionKind::kInsert: {
      std::vector<int> targets;
      if (clause.insert_columns->empty()) {
        if (clause.insert_values->size() != cols.size())
          return Status::BinderError("table " + table->name() + " has " + std::to_string(cols.size()) +
                                     " columns but " + std::to_string(clause.insert_values->size()) +
                                     " values were supplied");
        for (size_t c = 0; c < cols.size(); c++) targets.push_back(int(c));
      } else {
        ALOPEX_ASSIGN_OR_RETURN(targets, InsertTargets(table->name(), cols, *clause.insert_columns));
      }
      for (size_t k = 0; k < targets.size(); k++) {
        size_t c = size_t(targets[k]);
        const sql::Expr& e = *(*clause.insert_values)[k];
        if (e.kind == sql::ExprKind::kDefault) {
          values[c] =
              TypedConstant(cols[c].default_value ? *cols[c].default_value : Value::Null(cols[c].type), cols[c].type);
          continue;
        }
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, BindInClause(clause, binder, scope, e));
        ALOPEX_ASSIGN_OR_RETURN(values[c], cast(std::move(v), c, "INSERT"));
      }
      // Columns the INSERT does not name get their DEFAULT, or NULL.
      for (size_t c = 0; c < cols.size(); c++)
        if (!values[c])
          values[c] =
              TypedConstant(cols[c].default_value ? *cols[c].default_value : Value::Null(cols[c].type), cols[c].type);
      return values;
    }
    case MergeActionKind::kDelete:
    case MergeActionKind::kDoNothing:
      return values;
  }
  return Status::Internal("unknown MERGE action");
}

// Plans, runs and commits a joined DML statement.
Result<DmlCounts> RunJoinedDml(const JoinedDml& d, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, *d.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(*d.target, d.target_location));
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  const std::vector<ColumnDef>& cols = snap->columns;
  const int n = int(cols.size());
  const std::string& name = table->name();

  // Only the last clause of each kind may go without a condition: any later one could never apply.
  for (size_t i = 0; i < d.clauses.size(); i++) {
    if (d.clauses[i].condition) continue;
    for (size_t j = i + 1; j < d.clauses.size(); j++)
      if (d.clauses[j].category == d.clauses[i].category)
        return Status::BinderError(d.verb + " " + name + ": only the last " + CategoryText(d.clauses[i].category) +
                                   " clause may omit its condition (AND ...); clause " + std::to_string(i + 1) +
                                   " has none, so clause " + std::to_string(j + 1) + " could never apply");
  }

  // [target columns..., metadata..., row number, source columns..., present];
  // metadata: a stored table's data file, then its row ids when it tracks them.
  std::vector<int> metadata;
  if (snap->files) metadata.push_back(kDataFileColumn);
  const std::vector<int> ids = RowIdColumns(*snap);
  metadata.insert(metadata.end(), ids.begin(), ids.end());
  const int k = int(metadata.size());
  const std::string alias = d.target_alias.empty() ? name : d.target_alias;
  Scope target_scope;
  ScanAll(table, snap, alias, &target_scope, metadata);
  target_scope.columns.push_back(Unnamed(LogicalType(TypeId::kBigInt)));
  // The source with its "present" column; bound once per pass.
  auto bind_source = [&](Scope* scope) -> Result<PlanPtr> {
    ALOPEX_ASSIGN_OR_RETURN(BoundQuery src, binder.BindTableRef(*d.source, scope, nullptr));
    std::vector<BoundExprPtr> exprs;
    for (size_t j = 0; j < src.types.size(); j++) exprs.push_back(MakeColumnRef(int(j), src.types[j], src.names[j]));
    exprs.push_back(MakeConstant(Value::Boolean(true)));
    return Projection(std::move(src.plan), std::move(exprs));
  };
  Scope source_scope;
  ALOPEX_ASSIGN_OR_RETURN(PlanPtr source, bind_source(&source_scope));
  const int m = int(source->types.size()) - 1;
  Scope source_only_scope = source_scope;  // the source's own columns, for UPDATE SET * / INSERT *
  source_scope.columns.push_back(Unnamed(LogicalType(TypeId::kBoolean)));
  const int row_id = n + k, source_offset = n + k + 1, present = n + k + 1 + m, width = n + k + m + 2;

  Scope matched = Concat(target_scope, source_scope);
  Scope target_row_only = Concat(target_scope, Masked(source_scope));
  Scope source_row_only = Concat(Masked(target_scope), source_scope);

  BoundExprPtr on;
  if (d.condition) {
    ExprBinder eb(binder, matched);
    ALOPEX_ASSIGN_OR_RETURN(on, eb.Bind(*d.condition));
    ALOPEX_ASSIGN_OR_RETURN(on, binder.CastTo(std::move(on), TypeId::kBoolean));
  }

  // A stored table's rows that can match lie in the data files an inner join
  // finds; the statement reads only those (every file when a NOT MATCHED BY
  // SOURCE clause may change the rows no source row matches). `files`: the
  // base's index of each file the statement reads.
  std::shared_ptr<const TableSnapshot> target_snap = snap;
  std::vector<size_t> files;
  for (size_t f = 0; f < snap->num_files; f++) files.push_back(f);
  bool by_source = std::any_of(d.clauses.begin(), d.clauses.end(),
                               [](const WhenClause& c) { return c.category == Category::kNotMatchedBySource; });
  if (snap->files && !by_source) {
    // [target columns..., metadata..., 0 for the row number] joined as in the
    // statement, so that the ON condition binds the same.
    Scope unused;
    PlanPtr scan = ScanAll(table, snap, alias, &unused, metadata);
    std::vector<BoundExprPtr> exprs;
    for (int i = 0; i < n + k; i++) exprs.push_back(MakeColumnRef(i, scan->types[size_t(i)]));
    exprs.push_back(MakeConstant(Value::BigInt(0)));
    Scope pass_scope;
    ALOPEX_ASSIGN_OR_RETURN(PlanPtr pass_source, bind_source(&pass_scope));
    PlanPtr join = MakeOuterJoin(Projection(std::move(scan), std::move(exprs)), std::move(pass_source),
                                 PlanJoinType::kInner, on ? on->Copy() : nullptr);
    std::vector<BoundExprPtr> file;
    file.push_back(MakeColumnRef(n, LogicalType(TypeId::kInteger)));
    auto hits = Materialize(Projection(std::move(join), std::move(file)), s);
    if (!hits.ok()) return hits.status().WithContext(d.verb + " " + name + ": ");
    std::vector<bool> hit(snap->num_files, false);
    for (const Batch& b : *hits)
      for (size_t r = 0; r < b.num_rows; r++) hit[size_t(b.columns[0].data<int32_t>()[r])] = true;
    files.clear();
    for (size_t f = 0; f < hit.size(); f++)
      if (hit[f]) files.push_back(f);
    target_snap = snap->WithFiles(files);
  }
  Scope unused;
  PlanPtr target = WithRowIds(ScanAll(table, target_snap, alias, &unused, metadata));
  bool inserts = std::any_of(d.clauses.begin(), d.clauses.end(), [](const WhenClause& c) { return c.Inserts(); });
  PlanPtr plan = MakeOuterJoin(std::move(target), std::move(source),
                               inserts ? PlanJoinType::kFull : PlanJoinType::kLeft, std::move(on));

  // Which clause applies to each joined row: the first whose kind and condition hold.
  auto ref = [](int i, TypeId t) { return MakeColumnRef(i, LogicalType(t)); };
  std::vector<BoundExprPtr> whens, thens;
  std::vector<std::vector<BoundExprPtr>> values;
  for (size_t i = 0; i < d.clauses.size(); i++) {
    const WhenClause& clause = d.clauses[i];
    const Scope* scope = &matched;
    BoundExprPtr when;
    switch (clause.category) {
      case Category::kMatched:
        when = And(IsNull(ref(row_id, TypeId::kBigInt), true), IsNull(ref(present, TypeId::kBoolean), true));
        break;
      case Category::kNotMatchedBySource:
        scope = &target_row_only;
        when = And(IsNull(ref(row_id, TypeId::kBigInt), true), IsNull(ref(present, TypeId::kBoolean)));
        break;
      case Category::kNotMatchedByTarget:
        scope = &source_row_only;
        when = IsNull(ref(row_id, TypeId::kBigInt));
        break;
    }
    if (clause.condition) {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr c, BindInClause(clause, binder, *scope, *clause.condition));
      ALOPEX_ASSIGN_OR_RETURN(c, binder.CastTo(std::move(c), TypeId::kBoolean));
      when = And(std::move(when), std::move(c));
    }
    whens.push_back(std::move(when));
    thens.push_back(MakeConstant(Value::Integer(int32_t(i))));
    ALOPEX_ASSIGN_OR_RETURN(auto v,
                            BindClauseValues(d, clause, binder, *scope, source_only_scope, source_offset, table, cols));
    values.push_back(std::move(v));
  }
  std::vector<BoundExprPtr> exprs;
  for (int i = 0; i < width; i++) exprs.push_back(MakeColumnRef(i, plan->types[size_t(i)]));
  exprs.push_back(Case(std::move(whens), std::move(thens), MakeConstant(Value::Null(TypeId::kInteger)),
                       LogicalType(TypeId::kInteger)));
  plan = Projection(std::move(plan), std::move(exprs));

  // Each target column's new value: [values..., row ids, data file, row number, clause].
  exprs.clear();
  for (int c = 0; c < n; c++) {
    std::vector<BoundExprPtr> cw, ct;
    for (size_t i = 0; i < values.size(); i++) {
      if (!values[i][size_t(c)]) continue;
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr is_clause, Equals(ref(width, TypeId::kInteger),
                                                             MakeConstant(Value::Integer(int32_t(i))), *s.functions));
      cw.push_back(std::move(is_clause));
      ct.push_back(std::move(values[i][size_t(c)]));
    }
    BoundExprPtr old = MakeColumnRef(c, cols[size_t(c)].type);
    exprs.push_back(cw.empty() ? std::move(old)
                               : Case(std::move(cw), std::move(ct), std::move(old), cols[size_t(c)].type));
  }
  if (!ids.empty()) {
    // An updated row keeps its id and takes this commit's version (NULL).
    const int id = n + k - 2;
    exprs.push_back(ref(id, TypeId::kBigInt));
    std::vector<BoundExprPtr> uw, ut;
    for (size_t i = 0; i < d.clauses.size(); i++) {
      if (!d.clauses[i].Updates()) continue;
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr is_clause, Equals(ref(width, TypeId::kInteger),
                                                             MakeConstant(Value::Integer(int32_t(i))), *s.functions));
      uw.push_back(std::move(is_clause));
      ut.push_back(MakeConstant(Value::Null(TypeId::kBigInt)));
    }
    exprs.push_back(uw.empty() ? ref(id + 1, TypeId::kBigInt)
                               : Case(std::move(uw), std::move(ut), ref(id + 1, TypeId::kBigInt),
                                      LogicalType(TypeId::kBigInt)));
  }
  const int file = int(exprs.size());
  exprs.push_back(snap->files ? ref(n, TypeId::kInteger) : MakeConstant(Value::Null(TypeId::kInteger)));
  exprs.push_back(ref(row_id, TypeId::kBigInt));
  exprs.push_back(ref(width, TypeId::kInteger));
  plan = Projection(std::move(plan), std::move(exprs));

  auto batches = Materialize(std::move(plan), s);
  if (!batches.ok()) return batches.status().WithContext(d.verb + " " + name + ": ");

  // Per target row number: whether a clause updates or deletes it, whether that
  // is an update, and whether its row has been written out (or deleted) yet.
  // Per data file: whether it holds a modified row (and is rewritten).
  constexpr uint8_t kModified = 1, kUpdated = 2, kDone = 4;
  std::vector<bool> touched(snap->files ? target_snap->num_files : 0, false);
  std::vector<uint8_t> state(target_snap->num_rows + 1, 0);
  auto state_of = [&](int64_t id) -> uint8_t& {
    if (size_t(id) >= state.size()) state.resize(size_t(id) + 1, 0);
    return state[size_t(id)];
  };
  for (const Batch& b : *batches) {
    const Column& numbers = b.columns[size_t(file) + 1];
    const Column& clause = b.columns[size_t(file) + 2];
    for (size_t i = 0; i < b.num_rows; i++) {
      if (!numbers.IsValid(i) || !clause.IsValid(i)) continue;
      const WhenClause& w = d.clauses[size_t(clause.data<int32_t>()[i])];
      if (!w.Modifies()) continue;
      int64_t id = numbers.data<int64_t>()[i];
      uint8_t& st = state_of(id);
      // Several deletes of one row agree; anything else with an update is ambiguous.
      if ((st & kModified) && !d.first_match_wins && (w.Updates() || (st & kUpdated))) {
        std::string row = DescribeTargetRow(table, target_snap, id, s);
        return Status::InvalidArgument(
            d.verb + " " + name + ": multiple source rows matched the same target row" +
            (row.empty() ? "" : " " + row) +
            " and attempted to modify it; a target row can be updated or deleted by one source row at most "
            "(make the source rows unique on the ON condition's columns)");
      }
      st |= kModified | (w.Updates() ? kUpdated : 0);
      if (!touched.empty()) touched[size_t(b.columns[size_t(file)].data<int32_t>()[i])] = true;
    }
  }
  DmlCounts counts;
  std::vector<Batch> rows;
  for (Batch& b : *batches) {
    const Column& files = b.columns[size_t(file)];
    const Column& numbers = b.columns[size_t(file) + 1];
    const Column& clause = b.columns[size_t(file) + 2];
    std::vector<uint32_t> keep;
    for (size_t i = 0; i < b.num_rows; i++) {
      const WhenClause* w = clause.IsValid(i) ? &d.clauses[size_t(clause.data<int32_t>()[i])] : nullptr;
      if (!numbers.IsValid(i)) {  // a source row no target row matched
        if (w && w->Inserts()) {
          keep.push_back(uint32_t(i));
          counts.inserted++;
        }
        continue;
      }
      // Rows of files the statement leaves alone stay where they are.
      if (!touched.empty() && !touched[size_t(files.data<int32_t>()[i])]) continue;
      uint8_t& st = state_of(numbers.data<int64_t>()[i]);
      if (w && w->Modifies()) {
        if (st & kDone) continue;  // UPDATE ... FROM's later matches, or a repeated delete
        st |= kDone;
        if (w->Updates()) {
          keep.push_back(uint32_t(i));
          counts.updated++;
        } else {
          counts.deleted++;
        }
      } else if (!(st & (kModified | kDone))) {  // unchanged: once, however often it matched
        st |= kDone;
        keep.push_back(uint32_t(i));
      }
    }
    if (keep.empty()) continue;
    Batch out = keep.size() == b.num_rows ? std::move(b) : GatherBatch(b, keep.data(), keep.size());
    out.columns.resize(size_t(file));
    rows.push_back(std::move(out));
  }
  RewriteSpec spec;
  spec.row_ids = !ids.empty();
  if (snap->files) {
    spec.files.emplace();
    for (size_t f = 0; f < touched.size(); f++)
      if (touched[f]) spec.files->push_back(files[f]);
  }
  Status st = table->Replace(*snap, std::move(rows), d.operation, spec);
  if (!st.ok()) return st.WithContext(d.verb + " " + name + ": ");
  return counts;
}

}  // namespace

Result<StatementResult> RunMerge(const sql::MergeStatement& st, Session& s, const std::vector<Value>& params) {
  JoinedDml d{.verb = "MERGE INTO",
              .operation = "MERGE",
              .target = &st.target,
              .target_location = st.location,
              .target_alias = st.target_alias,
              .source = st.source.get(),
              .condition = st.condition.get(),
              .text = &st.text};
  for (const auto& c : st.clauses) {
    WhenClause w;
    w.category = c.matched                 ? Category::kMatched
                 : c.not_matched_by_source ? Category::kNotMatchedBySource
                                           : Category::kNotMatchedByTarget;
    w.condition = c.condition.get();
    w.action = c.action;
    w.set = &c.set;
    w.insert_columns = &c.insert_columns;
    w.insert_values = &c.insert_values;
    d.clauses.push_back(w);
  }
  ALOPEX_ASSIGN_OR_RETURN(DmlCounts c, RunJoinedDml(d, s, params));
  int64_t affected = c.updated + c.deleted + c.inserted;
  LogicalType big(TypeId::kBigInt);
  auto r = MakeRowsResult(
      {"num_affected_rows", "num_updated_rows", "num_deleted_rows", "num_inserted_rows"}, {big, big, big, big},
      {{Value::BigInt(affected), Value::BigInt(c.updated), Value::BigInt(c.deleted), Value::BigInt(c.inserted)}});
  r.message = "MERGE " + std::to_string(affected);
  return r;
}

Result<StatementResult> RunUpdateFrom(const sql::UpdateStatement& st, Session& s, const std::vector<Value>& params) {
  JoinedDml d{.verb = "UPDATE",
              .operation = "UPDATE",
              .target = &st.table,
              .target_location = st.location,
              .target_alias = st.alias,
              .source = st.from.get(),
              .condition = st.where.get(),
              .clauses = {WhenClause{.action = MergeActionKind::kUpdate, .set = &st.set}},
              .first_match_wins = true,
              .text = &st.text};
  ALOPEX_ASSIGN_OR_RETURN(DmlCounts c, RunJoinedDml(d, s, params));
  return CountResult(c.updated, "UPDATE " + std::to_string(c.updated));
}

Result<StatementResult> RunDeleteUsing(const sql::DeleteStatement& st, Session& s, const std::vector<Value>& params) {
  JoinedDml d{.verb = "DELETE FROM",
              .operation = "DELETE",
              .target = &st.table,
              .target_location = st.location,
              .target_alias = st.alias,
              .source = st.using_table.get(),
              .condition = st.where.get(),
              .clauses = {WhenClause{.action = MergeActionKind::kDelete}},
              .text = &st.text};
  ALOPEX_ASSIGN_OR_RETURN(DmlCounts c, RunJoinedDml(d, s, params));
  return CountResult(c.deleted, "DELETE " + std::to_string(c.deleted));
}

}  // namespace alopex
