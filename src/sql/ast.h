// The abstract syntax tree the parser produces and the binder consumes.
// Plain structs: the parser fills them, nothing here has behaviour beyond
// ToString for messages and EXPLAIN. `location` is the byte offset of the node
// in the SQL text, for error messages ("at line 1, column 8").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alopex/types.h"
#include "alopex/value.h"

namespace alopex::sql {

struct Expr;
struct SelectNode;
struct TableRef;
using ExprPtr = std::unique_ptr<Expr>;
using SelectPtr = std::unique_ptr<SelectNode>;
using TableRefPtr = std::unique_ptr<TableRef>;

// A possibly qualified name: ["t"], ["s", "t"] or ["c", "s", "t"]. Unquoted
// identifiers are lower-cased by the parser; quoted ones keep their case.
using QualifiedName = std::vector<std::string>;
std::string NameToString(const QualifiedName& name);

enum class ExprKind {
  kConstant,    // value
  kColumnRef,   // name = column, qualifiers = table path ("t", or "s","t")
  kStar,        // *, t.*  (qualifiers); `exclude` lists EXCLUDE (...) names
  kParameter,   // $n: param_index (1-based); `?` gets the next index
  kFunction,    // name(children...), distinct, filter, order_by, window (=> window function)
  kUnary,       // op in {"-", "+", "NOT", "~"}; children[0]
  kBinary,      // op in {"+","-","*","/","//","%","^","||","=","<>","<",">","<=",">=","AND","OR",
                //        "->","->>","<->","<=>","<#>","@>","<@","&&"}
  kCast,        // children[0]::cast_type, CAST(x AS t); try_cast for TRY_CAST
  kCase,        // children = [operand or nullptr, when1, then1, when2, then2, ..., else or nullptr]
  kIsNull,      // children[0] IS [NOT] NULL (negated)
  kBetween,     // children = [x, low, high], negated
  kLike,        // name in {"like","ilike","glob","similar"}; children = [x, pattern, escape?], negated
  kInList,      // children = [x, item1, item2, ...], negated
  kInSubquery,  // children[0] [NOT] IN (subquery); or children[0] <name> ANY|ALL (subquery)
                //   when name is a comparison operator (quantifier_all for ALL)
  kExists,      // [NOT] EXISTS (subquery)
  kSubquery,    // scalar (subquery)
  kList,        // [a, b, c] list literal (children)
  kStruct,      // {'a': x, 'b': y}: field_names, children
  kSubscript,   // children[0][children[1]] or slice children[0][children[1]:children[2]] (is_slice)
  kInterval,    // INTERVAL 'text' or INTERVAL n unit: children[0] value, name = unit ("" if in text)
  kLambda,      // x -> expr (for list functions): lambda_params, children[0] body
  kDefault,     // DEFAULT as an item of INSERT ... VALUES: the column's default
};

enum class OrderDirection { kAscending, kDescending };
enum class NullOrder { kDefault, kNullsFirst, kNullsLast };

struct OrderItem {
  ExprPtr expr;
  OrderDirection direction = OrderDirection::kAscending;
  NullOrder nulls = NullOrder::kDefault;
};

enum class FrameBoundKind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kUnboundedPreceding;
  ExprPtr offset;  // for kPreceding / kFollowing
};

struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  bool has_frame = false;
  bool frame_rows = true;  // ROWS (true) or RANGE (false)
  FrameBound frame_start;
  FrameBound frame_end;
};

struct Expr {
  ExprKind kind;
  size_t location = 0;
  std::string alias;  // AS alias in a select list
  std::string name;   // column / function / operator / LIKE kind / interval unit
  QualifiedName qualifiers;
  Value value;
  std::vector<ExprPtr> children;
  std::string arg_name;  // named argument: f(x, format => 'csv')
  LogicalType cast_type;
  bool try_cast = false;
  bool distinct = false;  // count(DISTINCT x)
  bool negated = false;   // NOT IN / NOT LIKE / NOT BETWEEN / IS NOT NULL / NOT EXISTS
  bool is_slice = false;
  bool quantifier_all = false;  // x op ALL (subquery)
  int param_index = 0;
  std::vector<std::string> exclude;        // SELECT * EXCLUDE (a, b)
  std::vector<std::string> field_names;    // struct literal
  std::vector<std::string> lambda_params;  // x -> ...
  SelectPtr subquery;
  ExprPtr filter;                  // aggregate FILTER (WHERE ...)
  std::vector<OrderItem> order_by;  // ordered aggregate: string_agg(x, ',' ORDER BY y)
  std::unique_ptr<WindowSpec> window;  // f(...) OVER (...)
  bool ignore_nulls = false;

  Expr(ExprKind k, size_t loc = 0) : kind(k), location(loc) {}
  // SQL text of the expression, used for default column names ("count_star()", "(a + 1)").
  std::string ToString() const;
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti };

enum class TableRefKind { kBaseTable, kSubquery, kJoin, kTableFunction };

struct TableRef {
  TableRefKind kind;
  size_t location = 0;
  std::string alias;
  std::vector<std::string> column_aliases;  // t(a, b)
  // kBaseTable
  QualifiedName name;
  ExprPtr version_as_of;    // VERSION AS OF n
  ExprPtr timestamp_as_of;  // TIMESTAMP AS OF '...'
  // kSubquery
  SelectPtr subquery;
  // kTableFunction: a kFunction Expr (named args carry arg_name); `stream` for STREAM read_files(...)
  ExprPtr function;
  bool stream = false;
  // kJoin
  JoinType join_type = JoinType::kInner;
  TableRefPtr left, right;
  ExprPtr condition;                 // ON
  std::vector<std::string> using_columns;  // USING (a, b)
  bool natural = false;
  bool lateral = false;

  TableRef(TableRefKind k, size_t loc = 0) : kind(k), location(loc) {}
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_aliases;
  SelectPtr query;
  bool materialized = false;
};

enum class SelectNodeKind { kSelect, kSetOperation, kValues };
enum class SetOpType { kUnion, kUnionAll, kIntersect, kIntersectAll, kExcept, kExceptAll };

// A query block: SELECT ..., a set operation of two blocks, or VALUES (...), (...).
// ORDER BY / LIMIT / OFFSET / WITH apply to the whole node.
struct SelectNode {
  SelectNodeKind kind = SelectNodeKind::kSelect;
  size_t location = 0;
  std::vector<CommonTableExpr> ctes;
  bool recursive_ctes = false;
  // kSelect
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;
  std::vector<ExprPtr> select_list;
  TableRefPtr from;  // nullptr for SELECT without FROM
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  bool group_by_all = false;
  ExprPtr having;
  ExprPtr qualify;
  // kSetOperation
  SetOpType set_op = SetOpType::kUnion;
  bool by_name = false;  // UNION BY NAME
  SelectPtr left, right;
  // kValues
  std::vector<std::vector<ExprPtr>> values;
  // whole node
  std::vector<OrderItem> order_by;
  bool order_by_all = false;
  ExprPtr limit;
  ExprPtr offset;
};

// ---------------------------------------------------------------- statements

enum class StatementKind {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kMerge,
  kCreateTable,
  kCreateView,
  kCreateSchema,
  kCreateIndex,
  kDrop,
  kAlterTable,
  kCopyFrom,     // COPY FROM 'src' INTO t ... (Lake-Link) and COPY t FROM 'src' (DuckDB form)
  kCopyTo,       // COPY (query) | t TO 'path' ...
  kCopyInto,     // COPY INTO t FROM 'dir' FILE_FORMAT = ... (Databricks, idempotent)
  kExplain,
  kSet,
  kReset,
  kShow,         // SHOW name | SHOW TABLES | SHOW ALL TABLES | SHOW SCHEMAS
  kDescribe,     // DESCRIBE t | DESCRIBE SELECT ... | DESCRIBE HISTORY t
  kRestore,
  kVacuum,
  kOptimize,
  kTransaction,  // BEGIN / COMMIT / ROLLBACK
};

struct Statement {
  explicit Statement(StatementKind k) : kind(k) {}
  virtual ~Statement() = default;
  StatementKind kind;
  size_t location = 0;     // offset of the statement's first token
  std::string text;        // the statement's own SQL text
};
using StatementPtr = std::unique_ptr<Statement>;

// name = value pairs of WITH (...), FORMAT_OPTIONS (...), COPY_OPTIONS (...), SET.
// A value is any constant expression, including lists ['a', 'b'].
struct Option {
  std::string name;  // lower-cased
  ExprPtr value;     // nullptr for a bare flag: (HEADER)
  size_t location = 0;
};

struct SelectStatement : Statement {
  SelectStatement() : Statement(StatementKind::kSelect) {}
  SelectPtr node;
};

struct ColumnDefinition {
  std::string name;
  LogicalType type;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  ExprPtr default_value;
  QualifiedName references;  // REFERENCES t(col): kept for graphs, not enforced
  std::string references_column;  // the col of REFERENCES t(col); "" when not given
  size_t location = 0;
};

struct CreateTableStatement : Statement {
  CreateTableStatement() : Statement(StatementKind::kCreateTable) {}
  QualifiedName name;
  bool if_not_exists = false;
  bool or_replace = false;
  bool temporary = false;
  std::vector<ColumnDefinition> columns;  // empty with no AS: a schemaless table for COPY INTO
  std::vector<std::string> primary_key;   // table constraint PRIMARY KEY (a, b)
  SelectPtr as_select;                    // CREATE TABLE ... AS SELECT
  std::vector<ExprPtr> partitioned_by;    // column refs or expressions
  std::string location_path;              // LOCATION '...'
  std::vector<Option> properties;         // WITH (...) / TBLPROPERTIES (...)
};

struct CreateViewStatement : Statement {
  CreateViewStatement() : Statement(StatementKind::kCreateView) {}
  QualifiedName name;
  bool or_replace = false;
  bool if_not_exists = false;
  std::vector<std::string> column_aliases;
  SelectPtr query;
  std::string query_text;  // the SELECT's SQL text, stored in the catalog
};

struct CreateSchemaStatement : Statement {
  CreateSchemaStatement() : Statement(StatementKind::kCreateSchema) {}
  QualifiedName name;
  bool if_not_exists = false;
};

struct CreateIndexStatement : Statement {
  CreateIndexStatement() : Statement(StatementKind::kCreateIndex) {}
  std::string index_name;
  QualifiedName table;
  std::string method;  // USING HNSW
  std::vector<ExprPtr> columns;
  std::vector<Option> options;
  bool if_not_exists = false;
};

enum class ObjectType { kTable, kView, kSchema, kIndex, kGraph };

struct DropStatement : Statement {
  DropStatement() : Statement(StatementKind::kDrop) {}
  ObjectType object_type = ObjectType::kTable;
  QualifiedName name;
  bool if_exists = false;
  bool cascade = false;
};

enum class AlterAction { kAddColumn, kDropColumn, kRenameColumn, kRenameTable, kSetProperties, kAlterColumnType };

struct AlterTableStatement : Statement {
  AlterTableStatement() : Statement(StatementKind::kAlterTable) {}
  QualifiedName table;
  AlterAction action = AlterAction::kAddColumn;
  ColumnDefinition column;  // kAddColumn; kAlterColumnType (name + type)
  bool if_exists = false;      // DROP COLUMN IF EXISTS
  bool if_not_exists = false;  // ADD COLUMN IF NOT EXISTS
  std::string old_name;   // kDropColumn, kRenameColumn
  std::string new_name;   // kRenameColumn, kRenameTable
  std::vector<Option> properties;  // kSetProperties: SET (k = v, ...)
};

struct InsertStatement : Statement {
  InsertStatement() : Statement(StatementKind::kInsert) {}
  QualifiedName table;
  std::vector<std::string> columns;
  SelectPtr source;  // VALUES or SELECT; nullptr with default_values
  bool default_values = false;
  bool or_replace = false;  // INSERT OR REPLACE
  bool by_name = false;     // INSERT INTO t BY NAME SELECT ...
};

struct SetClause {
  std::string column;
  ExprPtr value;
};

struct UpdateStatement : Statement {
  UpdateStatement() : Statement(StatementKind::kUpdate) {}
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  TableRefPtr from;  // UPDATE ... FROM other
  ExprPtr where;
};

struct DeleteStatement : Statement {
  DeleteStatement() : Statement(StatementKind::kDelete) {}
  QualifiedName table;
  std::string alias;
  TableRefPtr using_table;
  ExprPtr where;
};

enum class MergeActionKind { kUpdate, kUpdateStar, kDelete, kInsert, kInsertStar, kDoNothing };

struct MergeClause {
  bool matched = true;             // WHEN MATCHED / WHEN NOT MATCHED [BY TARGET]
  bool not_matched_by_source = false;  // WHEN NOT MATCHED BY SOURCE
  ExprPtr condition;               // AND ...
  MergeActionKind action = MergeActionKind::kUpdate;
  std::vector<SetClause> set;      // UPDATE SET
  std::vector<std::string> insert_columns;
  std::vector<ExprPtr> insert_values;
};

struct MergeStatement : Statement {
  MergeStatement() : Statement(StatementKind::kMerge) {}
  QualifiedName target;
  std::string target_alias;
  TableRefPtr source;
  ExprPtr condition;
  std::vector<MergeClause> clauses;
};

// A column named in `INTO t (a, b::VECTOR(3))` or mapped in MAP COLUMNS (src => dst::TYPE).
struct ColumnTarget {
  std::string name;
  std::optional<LogicalType> cast_type;
  size_t location = 0;
};

struct ColumnMapping {
  std::string source;
  ColumnTarget target;
};

struct CopyFromStatement : Statement {
  CopyFromStatement() : Statement(StatementKind::kCopyFrom) {}
  std::vector<std::string> sources;  // a path, glob or folder; or several: ['a', 'b']
  QualifiedName target;              // for INTO GRAPH g.label: ["g", "label"]
  bool into_graph = false;
  std::vector<ColumnTarget> columns;   // INTO t (a, b)
  std::vector<ColumnMapping> mappings; // MAP COLUMNS (...)
  std::vector<Option> options;         // WITH (...) or DuckDB-style (FORMAT csv, HEADER)
};

struct CopyToStatement : Statement {
  CopyToStatement() : Statement(StatementKind::kCopyTo) {}
  QualifiedName table;  // COPY t TO ...; empty when query is set
  std::vector<std::string> columns;
  SelectPtr query;      // COPY (query) TO ...
  std::string path;
  std::vector<Option> options;
};

struct CopyIntoStatement : Statement {
  CopyIntoStatement() : Statement(StatementKind::kCopyInto) {}
  QualifiedName target;
  std::string source;       // FROM 'dir'
  SelectPtr source_query;   // FROM (SELECT ... FROM 'dir'), optional
  std::string file_format;  // FILE_FORMAT = PARQUET (lower-cased)
  std::vector<std::string> files;  // FILES = ('a', 'b')
  std::string pattern;             // PATTERN = '...'
  std::vector<Option> format_options;
  std::vector<Option> copy_options;
};

struct ExplainStatement : Statement {
  ExplainStatement() : Statement(StatementKind::kExplain) {}
  bool analyze = false;
  StatementPtr statement;
};

enum class SetScope { kDefault, kSession, kGlobal, kLocal };

struct SetStatement : Statement {
  SetStatement() : Statement(StatementKind::kSet) {}
  std::string name;  // dotted names joined: "alopex.import_memory_limit"
  ExprPtr value;
  SetScope scope = SetScope::kDefault;
};

struct ResetStatement : Statement {
  ResetStatement() : Statement(StatementKind::kReset) {}
  std::string name;
};

enum class ShowKind { kVariable, kTables, kAllTables, kSchemas, kColumns };

struct ShowStatement : Statement {
  ShowStatement() : Statement(StatementKind::kShow) {}
  ShowKind what = ShowKind::kVariable;
  std::string name;      // variable name
  QualifiedName target;  // SHOW TABLES FROM s / SHOW COLUMNS FROM t
};

enum class DescribeKind { kTable, kQuery, kHistory, kDetail };

struct DescribeStatement : Statement {
  DescribeStatement() : Statement(StatementKind::kDescribe) {}
  DescribeKind what = DescribeKind::kTable;
  QualifiedName table;
  SelectPtr query;
};

struct RestoreStatement : Statement {
  RestoreStatement() : Statement(StatementKind::kRestore) {}
  QualifiedName table;
  ExprPtr version;    // TO VERSION AS OF n
  ExprPtr timestamp;  // TO TIMESTAMP AS OF '...'
};

struct VacuumStatement : Statement {
  VacuumStatement() : Statement(StatementKind::kVacuum) {}
  QualifiedName table;
  ExprPtr retain_hours;  // RETAIN n HOURS
  bool dry_run = false;
};

struct OptimizeStatement : Statement {
  OptimizeStatement() : Statement(StatementKind::kOptimize) {}
  QualifiedName table;
  ExprPtr where;
  std::vector<Option> options;
};

enum class TransactionKind { kBegin, kCommit, kRollback };

struct TransactionStatement : Statement {
  TransactionStatement() : Statement(StatementKind::kTransaction) {}
  TransactionKind what = TransactionKind::kBegin;
};

}  // namespace alopex::sql
