// Runs one parsed statement of any kind against a session.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exec/exec_context.h"
#include "exec/plan.h"
#include "sql/ast.h"
#include "sql/binder/binder.h"

namespace alopex {

// Settings of a session: SET name = value / SHOW name.
class Settings {
 public:
  Settings();
  // Unknown names and bad values are errors naming the setting.
  Status Set(const std::string& name, const Value& value);
  Status Reset(const std::string& name);
  Result<Value> Get(const std::string& name) const;
  std::vector<std::pair<std::string, Value>> All() const;
  int threads() const;

 private:
  std::map<std::string, Value> values_;
  std::map<std::string, Value> defaults_;
};

struct Session {
  Catalog* catalog = nullptr;
  const FunctionRegistry* functions = nullptr;
  const std::map<std::string, TableFunctionBinder>* table_functions = nullptr;
  Settings* settings = nullptr;
  ExecContext exec;
  std::string spill_dir;  // DatabaseInstance::spill_dir(); empty for :memory:
};

struct StatementResult {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::shared_ptr<MaterializedData> data = std::make_shared<MaterializedData>();
  std::string message;  // "CREATE TABLE", "INSERT 5", ...
};

Result<StatementResult> ExecuteStatement(const sql::Statement& stmt, Session& session, const std::vector<Value>& params);

// Builds a result of constant rows (SHOW, DESCRIBE).
StatementResult MakeRowsResult(std::vector<std::string> names, std::vector<LogicalType> types,
                               const std::vector<std::vector<Value>>& rows);

// Parses memory sizes like '4GB', '512 MB', '1.5GiB' into bytes.
Result<int64_t> ParseMemorySize(const std::string& text);

// ---------------------------------------------------------------- shared by the statement runners

// A binder for `sql` (the statement's text, for error positions) in session `s`.
BinderContext MakeBinderContext(Session& s, const std::vector<Value>& params, const std::string& sql);
// One row, one BIGINT column "Count" holding `n`; `message` as given ("UPDATE 3").
StatementResult CountResult(int64_t n, std::string message);
// Optimizes and runs `plan`; its rows.
Result<std::vector<Batch>> Materialize(PlanPtr plan, Session& s);
// `exprs` (over the output of `child`) as a projection.
PlanPtr Projection(PlanPtr child, std::vector<BoundExprPtr> exprs);
// Plans a scan of every column of `table` at `snap`, adding the columns to
// `scope` under the name `alias`, then the `metadata` columns (table_scan.h
// kRowIdColumn, ...), which no name resolves to.
PlanPtr ScanAll(const std::shared_ptr<Table>& table, std::shared_ptr<const TableSnapshot> snap,
                const std::string& alias, Scope* scope, const std::vector<int>& metadata = {});
// The metadata columns a rewrite of `snap` carries (RewriteSpec::row_ids):
// each row's id and commit version when the table tracks them, else none.
std::vector<int> RowIdColumns(const TableSnapshot& snap);
// The data files of stored table `snap` holding a row for which `condition`
// (over its columns and then RowIdColumns) is true: the files a DML statement
// rewrites. Every file when `condition` is null.
Result<std::vector<size_t>> FilesMatching(const std::shared_ptr<Table>& table,
                                          std::shared_ptr<const TableSnapshot> snap, const BoundExpr* condition,
                                          Session& s);

// ---------------------------------------------------------------- joined DML (merge_statement.cc)

// MERGE INTO target USING source ON ... WHEN [NOT] MATCHED ... (Delta semantics):
// one row of num_affected_rows, num_updated_rows, num_deleted_rows,
// num_inserted_rows. Commits one rewrite named MERGE, or nothing on error.
Result<StatementResult> RunMerge(const sql::MergeStatement& st, Session& s, const std::vector<Value>& params);
// UPDATE t SET ... FROM other WHERE ... (PostgreSQL/DuckDB): a target row that
// joins several rows of `other` is updated once, by the first of them.
Result<StatementResult> RunUpdateFrom(const sql::UpdateStatement& st, Session& s, const std::vector<Value>& params);
// DELETE FROM t USING other WHERE ...: deletes the target rows for which some
// row of `other` makes the condition true.
Result<StatementResult> RunDeleteUsing(const sql::DeleteStatement& st, Session& s, const std::vector<Value>& params);

// The column indexes an INSERT column list names (case-insensitive), with
// "did you mean" for unknown names and an error for a name given twice.
Result<std::vector<int>> InsertTargets(const std::string& table, const std::vector<ColumnDef>& cols,
                                       const std::vector<std::string>& names);

// ---------------------------------------------------------------- Delta tables (delta_statements.cc)

// WITH (...) / TBLPROPERTIES (...) / ALTER TABLE SET (...): key = 'value'
// pairs, Delta keys in their canonical case (delta.appendOnly).
Result<std::vector<std::pair<std::string, std::string>>> TableProperties(const std::vector<sql::Option>& options,
                                                                        Binder& binder, const std::string& statement);
// PARTITIONED BY, LOCATION and properties of CREATE TABLE.
Result<TableLayout> BindTableLayout(const sql::CreateTableStatement& st, Binder& binder);
// Partition columns must be columns of the table, of primitive types.
Status CheckPartitionColumns(TableLayout& layout, const std::vector<ColumnDef>& columns);
Result<StatementResult> RunRestore(const sql::RestoreStatement& st, Session& s, const std::vector<Value>& params);
Result<StatementResult> RunVacuum(const sql::VacuumStatement& st, Session& s, const std::vector<Value>& params);
Result<StatementResult> RunOptimize(const sql::OptimizeStatement& st, Session& s, const std::vector<Value>& params);

// Option values are constants; a bare flag (HEADER) is TRUE.
Result<std::vector<std::pair<std::string, Value>>> OptionValues(const std::vector<sql::Option>& options, Binder& binder,
                                                                const std::string& statement);

}  // namespace alopex
