// Statements other than queries: DML, DDL, COPY, EXPLAIN, SET, SHOW, DESCRIBE,
// Delta maintenance (RESTORE, VACUUM, OPTIMIZE) and transactions.
#include "sql/parser.h"

#include "common/text.h"

namespace alopex::sql {

namespace {

}  // namespace

// ---------------------------------------------------------------------------- DML

Result<StatementPtr> Parser::ParseInsert() {
  auto s = std::make_unique<InsertStatement>();
  Advance();  // INSERT
  if (AcceptWord("or")) {
    if (!IsWord("replace")) {
      if (IsWord("ignore")) return NotSupportedYet(Peek().offset, "INSERT OR IGNORE");
      return ErrorAtCurrent();
    }
    Advance();
    s->or_replace = true;
  }
  ALOPEX_RETURN_IF_ERROR(ExpectWord("into"));
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  auto by_clause = [&]() {
    if (AcceptWords("by", "name")) s->by_name = true;
    AcceptWords("by", "position");
  };
  by_clause();
  if (IsOp("(") && !AtQueryStart(0)) {
    ALOPEX_ASSIGN_OR_RETURN(s->columns, ParseParenIdentifierList());
  }
  by_clause();
  if (AcceptWords("default", "values")) {
    s->default_values = true;
  } else {
    if (!AtQueryStart()) return ErrorAtCurrent();
    ALOPEX_ASSIGN_OR_RETURN(s->source, ParseQuery());
  }
  if (IsWord("on") && IsWord("conflict", 1)) return NotSupportedYet(Peek().offset, "INSERT ... ON CONFLICT");
  if (IsWord("returning")) return NotSupportedYet(Peek().offset, "RETURNING");
  return StatementPtr(std::move(s));
}

Result<std::vector<SetClause>> Parser::ParseSetClauses() {
  std::vector<SetClause> clauses;
  do {
    SetClause clause;
    ALOPEX_ASSIGN_OR_RETURN(QualifiedName column, ParseQualifiedName());
    clause.column = std::move(column.back());
    ALOPEX_RETURN_IF_ERROR(ExpectOp("="));
    ALOPEX_ASSIGN_OR_RETURN(clause.value, ParseExpr());
    clauses.push_back(std::move(clause));
  } while (AcceptOp(","));
  return clauses;
}

Result<StatementPtr> Parser::ParseUpdate() {
  auto s = std::make_unique<UpdateStatement>();
  Advance();  // UPDATE
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  ALOPEX_ASSIGN_OR_RETURN(s->alias, ParseOptionalAlias(true));
  ALOPEX_RETURN_IF_ERROR(ExpectWord("set"));
  ALOPEX_ASSIGN_OR_RETURN(s->set, ParseSetClauses());
  if (AcceptWord("from")) {
    ALOPEX_ASSIGN_OR_RETURN(s->from, ParseFromList());
  }
  if (AcceptWord("where")) {
    ALOPEX_ASSIGN_OR_RETURN(s->where, ParseExpr());
  }
  if (IsWord("returning")) return NotSupportedYet(Peek().offset, "RETURNING");
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseDelete() {
  auto s = std::make_unique<DeleteStatement>();
  Advance();  // DELETE
  ALOPEX_RETURN_IF_ERROR(ExpectWord("from"));
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  ALOPEX_ASSIGN_OR_RETURN(s->alias, ParseOptionalAlias(true));
  if (AcceptWord("using")) {
    ALOPEX_ASSIGN_OR_RETURN(s->using_table, ParseFromList());
  }
  if (AcceptWord("where")) {
    ALOPEX_ASSIGN_OR_RETURN(s->where, ParseExpr());
  }
  if (IsWord("returning")) return NotSupportedYet(Peek().offset, "RETURNING");
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseTruncate() {
  auto s = std::make_unique<DeleteStatement>();
  Advance();  // TRUNCATE
  AcceptWord("table");
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseMerge() {
  auto s = std::make_unique<MergeStatement>();
  Advance();  // MERGE
  ALOPEX_RETURN_IF_ERROR(ExpectWord("into"));
  ALOPEX_ASSIGN_OR_RETURN(s->target, ParseQualifiedName());
  ALOPEX_ASSIGN_OR_RETURN(s->target_alias, ParseOptionalAlias(true));
  ALOPEX_RETURN_IF_ERROR(ExpectWord("using"));
  ALOPEX_ASSIGN_OR_RETURN(s->source, ParseTablePrimary());
  ALOPEX_RETURN_IF_ERROR(ExpectWord("on"));
  ALOPEX_ASSIGN_OR_RETURN(s->condition, ParseExpr());
  if (!IsWord("when")) return ErrorAtCurrent();
  while (AcceptWord("when")) {
    MergeClause clause;
    if (AcceptWord("not")) {
      clause.matched = false;
      ALOPEX_RETURN_IF_ERROR(ExpectWord("matched"));
      if (AcceptWord("by")) {
        if (AcceptWord("source")) {
          clause.not_matched_by_source = true;
        } else {
          ALOPEX_RETURN_IF_ERROR(ExpectWord("target"));
        }
      }
    } else {
      ALOPEX_RETURN_IF_ERROR(ExpectWord("matched"));
    }
    if (AcceptWord("and")) {
      ALOPEX_ASSIGN_OR_RETURN(clause.condition, ParseExpr());
    }
    ALOPEX_RETURN_IF_ERROR(ExpectWord("then"));
    size_t action_loc = Peek().offset;
    bool target_row_exists = clause.matched || clause.not_matched_by_source;
    if (AcceptWord("update")) {
      if (AcceptWord("set")) {
        if (AcceptOp("*")) {
          clause.action = MergeActionKind::kUpdateStar;
        } else {
          clause.action = MergeActionKind::kUpdate;
          ALOPEX_ASSIGN_OR_RETURN(clause.set, ParseSetClauses());
        }
      } else {
        clause.action = MergeActionKind::kUpdateStar;
      }
      if (!target_row_exists)
        return ErrorAt(action_loc, "WHEN NOT MATCHED cannot UPDATE: the target row does not exist");
    } else if (AcceptWord("delete")) {
      clause.action = MergeActionKind::kDelete;
      if (!target_row_exists)
        return ErrorAt(action_loc, "WHEN NOT MATCHED cannot DELETE: the target row does not exist");
    } else if (AcceptWord("insert")) {
      if (target_row_exists) return ErrorAt(action_loc, "only WHEN NOT MATCHED [BY TARGET] can INSERT");
      if (AcceptOp("*") || AcceptWords("by", "name")) {
        clause.action = MergeActionKind::kInsertStar;
      } else if (IsOp("(") || IsWord("values")) {
        clause.action = MergeActionKind::kInsert;
        if (IsOp("(")) {
          ALOPEX_ASSIGN_OR_RETURN(clause.insert_columns, ParseParenIdentifierList());
        }
        ALOPEX_RETURN_IF_ERROR(ExpectWord("values"));
        ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
        ALOPEX_ASSIGN_OR_RETURN(clause.insert_values, ParseExprList());
        ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
        if (!clause.insert_columns.empty() && clause.insert_columns.size() != clause.insert_values.size())
          return ErrorAt(action_loc, "INSERT has " + std::to_string(clause.insert_columns.size()) +
                                         " columns but " + std::to_string(clause.insert_values.size()) +
                                         " values");
      } else {
        clause.action = MergeActionKind::kInsertStar;
      }
    } else if (AcceptWords("do", "nothing")) {
      clause.action = MergeActionKind::kDoNothing;
    } else {
      return ErrorAtCurrent();
    }
    s->clauses.push_back(std::move(clause));
  }
  return StatementPtr(std::move(s));
}

// ---------------------------------------------------------------------------- DDL

Result<StatementPtr> Parser::ParseCreate() {
  Advance();  // CREATE
  if (IsWord("or") && IsWord("refresh", 1))
    return NotSupportedYet(Peek().offset, "CREATE OR REFRESH STREAMING TABLE");
  bool or_replace = AcceptWords("or", "replace");
  bool temporary = AcceptWord("temp") || AcceptWord("temporary");
  if (IsWord("table")) return ParseCreateTable(or_replace, temporary);
  if (IsWord("view")) return ParseCreateView(or_replace);
  if (temporary || or_replace) {
    if (IsWord("streaming")) return NotSupportedYet(Peek().offset, "CREATE STREAMING TABLE");
    return ErrorAtCurrent();
  }
  if (IsWord("schema")) return ParseCreateSchema();
  if (IsWord("index")) return ParseCreateIndex();
  if (IsWord("unique") && IsWord("index", 1)) return NotSupportedYet(Peek().offset, "CREATE UNIQUE INDEX");
  if (IsWord("graph") || (IsWord("property") && IsWord("graph", 1)))
    return NotSupportedYet(Peek().offset, "CREATE GRAPH");
  if (IsWord("streaming")) return NotSupportedYet(Peek().offset, "CREATE STREAMING TABLE");
  return ErrorAtCurrent();
}

Result<ColumnDefinition> Parser::ParseColumnDefinition() {
  ColumnDefinition column;
  column.location = Peek().offset;
  ALOPEX_ASSIGN_OR_RETURN(column.name, ParseIdentifier());
  ALOPEX_ASSIGN_OR_RETURN(column.type, ParseType());
  while (true) {
    if (AcceptWords("not", "null")) {
      column.not_null = true;
    } else if (AcceptWord("null")) {
      column.not_null = false;
    } else if (AcceptWords("primary", "key")) {
      column.primary_key = true;
    } else if (AcceptWord("unique")) {
      column.unique = true;
    } else if (AcceptWord("default")) {
      ALOPEX_ASSIGN_OR_RETURN(column.default_value, ParseExpr());
    } else if (AcceptWord("references")) {
      ALOPEX_ASSIGN_OR_RETURN(column.references, ParseQualifiedName());
      if (AcceptOp("(")) {
        ALOPEX_ASSIGN_OR_RETURN(column.references_column, ParseIdentifier());
        ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
      }
    } else if (IsWord("check") || IsWord("collate") || IsWord("generated") || IsWord("constraint")) {
      return NotSupportedYet(Peek().offset, "column constraint " + Peek().value);
    } else {
      break;
    }
  }
  return column;
}

Result<StatementPtr> Parser::ParseCreateTable(bool or_replace, bool temporary) {
  auto s = std::make_unique<CreateTableStatement>();
  s->or_replace = or_replace;
  s->temporary = temporary;
  Advance();  // TABLE
  if (AcceptWord("if")) {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("not"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
    s->if_not_exists = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->name, ParseQualifiedName());
  if (AcceptOp("(")) {
    do {
      if (AcceptWord("constraint")) {
        ALOPEX_ASSIGN_OR_RETURN(std::string unused, ParseIdentifier());
        if (!IsWord("primary")) return NotSupportedYet(Peek().offset, "table constraint " + Peek().value);
      }
      if (AcceptWords("primary", "key")) {
        if (!s->primary_key.empty()) return ErrorAt(tokens_[pos_ - 1].offset, "multiple primary keys");
        ALOPEX_ASSIGN_OR_RETURN(s->primary_key, ParseParenIdentifierList());
      } else if (IsWord("unique") || IsWord("check") || IsWord("foreign")) {
        return NotSupportedYet(Peek().offset, "table constraint " + Peek().value);
      } else {
        ALOPEX_ASSIGN_OR_RETURN(ColumnDefinition column, ParseColumnDefinition());
        s->columns.push_back(std::move(column));
      }
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  while (true) {
    if (AcceptWords("partitioned", "by")) {
      ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
      ALOPEX_ASSIGN_OR_RETURN(s->partitioned_by, ParseExprList());
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    } else if (AcceptWord("location")) {
      ALOPEX_ASSIGN_OR_RETURN(s->location_path, ParseString());
    } else if (AcceptWord("with") || AcceptWord("tblproperties")) {
      ALOPEX_ASSIGN_OR_RETURN(std::vector<Option> options, ParseOptionList());
      for (auto& option : options) s->properties.push_back(std::move(option));
    } else if (IsWord("using") && IsWord("delta", 1)) {  // Databricks: Delta is the only table format
      Advance(), Advance();
    } else {
      break;
    }
  }
  if (AcceptWord("as")) {
    if (!s->columns.empty())
      return ErrorAt(tokens_[pos_ - 1].offset, "CREATE TABLE AS cannot also list column types");
    ALOPEX_ASSIGN_OR_RETURN(s->as_select, ParseQuery());
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseCreateView(bool or_replace) {
  auto s = std::make_unique<CreateViewStatement>();
  s->or_replace = or_replace;
  Advance();  // VIEW
  if (AcceptWord("if")) {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("not"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
    s->if_not_exists = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->name, ParseQualifiedName());
  if (IsOp("(")) {
    ALOPEX_ASSIGN_OR_RETURN(s->column_aliases, ParseParenIdentifierList());
  }
  ALOPEX_RETURN_IF_ERROR(ExpectWord("as"));
  size_t start = Peek().offset;
  ALOPEX_ASSIGN_OR_RETURN(s->query, ParseQuery());
  s->query_text = std::string(sql_.substr(start, PreviousEnd() - start));
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseCreateSchema() {
  auto s = std::make_unique<CreateSchemaStatement>();
  Advance();  // SCHEMA
  if (AcceptWord("if")) {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("not"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
    s->if_not_exists = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->name, ParseQualifiedName());
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseCreateIndex() {
  auto s = std::make_unique<CreateIndexStatement>();
  Advance();  // INDEX
  if (AcceptWord("if")) {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("not"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
    s->if_not_exists = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->index_name, ParseIdentifier());
  ALOPEX_RETURN_IF_ERROR(ExpectWord("on"));
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  if (AcceptWord("using")) {
    ALOPEX_ASSIGN_OR_RETURN(s->method, ParseAnyName());
  }
  ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
  ALOPEX_ASSIGN_OR_RETURN(s->columns, ParseExprList());
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  if (s->method.empty() && AcceptWord("using")) {
    ALOPEX_ASSIGN_OR_RETURN(s->method, ParseAnyName());
  }
  s->method = AsciiLower(s->method);
  if (AcceptWord("with")) {
    ALOPEX_ASSIGN_OR_RETURN(s->options, ParseOptionList());
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseDrop() {
  auto s = std::make_unique<DropStatement>();
  Advance();  // DROP
  if (AcceptWord("table")) {
    s->object_type = ObjectType::kTable;
  } else if (AcceptWord("view")) {
    s->object_type = ObjectType::kView;
  } else if (AcceptWord("schema")) {
    s->object_type = ObjectType::kSchema;
  } else if (AcceptWord("index")) {
    s->object_type = ObjectType::kIndex;
  } else if (AcceptWord("graph") || AcceptWords("property", "graph")) {
    s->object_type = ObjectType::kGraph;
  } else {
    return ErrorAtCurrent();
  }
  if (AcceptWord("if")) {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
    s->if_exists = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->name, ParseQualifiedName());
  if (AcceptWord("cascade")) {
    s->cascade = true;
  } else {
    AcceptWord("restrict");
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseAlter() {
  auto s = std::make_unique<AlterTableStatement>();
  Advance();  // ALTER
  ALOPEX_RETURN_IF_ERROR(ExpectWord("table"));
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  if (AcceptWord("add")) {
    if (IsWord("constraint") || IsWord("primary") || IsWord("unique") || IsWord("foreign") || IsWord("check"))
      return NotSupportedYet(Peek().offset, "ALTER TABLE ... ADD " + Peek().value);
    AcceptWord("column");
    if (AcceptWord("if")) {
      ALOPEX_RETURN_IF_ERROR(ExpectWord("not"));
      ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
      s->if_not_exists = true;
    }
    s->action = AlterAction::kAddColumn;
    ALOPEX_ASSIGN_OR_RETURN(s->column, ParseColumnDefinition());
  } else if (AcceptWord("drop")) {
    AcceptWord("column");
    if (AcceptWord("if")) {
      ALOPEX_RETURN_IF_ERROR(ExpectWord("exists"));
      s->if_exists = true;
    }
    s->action = AlterAction::kDropColumn;
    ALOPEX_ASSIGN_OR_RETURN(s->old_name, ParseIdentifier());
    if (!AcceptWord("cascade")) AcceptWord("restrict");
  } else if (AcceptWord("rename")) {
    if (AcceptWord("to")) {
      s->action = AlterAction::kRenameTable;
      ALOPEX_ASSIGN_OR_RETURN(s->new_name, ParseIdentifier());
    } else {
      AcceptWord("column");
      s->action = AlterAction::kRenameColumn;
      ALOPEX_ASSIGN_OR_RETURN(s->old_name, ParseIdentifier());
      ALOPEX_RETURN_IF_ERROR(ExpectWord("to"));
      ALOPEX_ASSIGN_OR_RETURN(s->new_name, ParseIdentifier());
    }
  } else if (AcceptWord("set")) {
    AcceptWord("tblproperties");
    s->action = AlterAction::kSetProperties;
    ALOPEX_ASSIGN_OR_RETURN(s->properties, ParseOptionList());
  } else if (AcceptWord("alter")) {
    AcceptWord("column");
    s->action = AlterAction::kAlterColumnType;
    s->column.location = Peek().offset;
    ALOPEX_ASSIGN_OR_RETURN(s->column.name, ParseIdentifier());
    if (!AcceptWords("set", "data") && !IsWord("type")) {
      return NotSupportedYet(Peek().offset, "ALTER COLUMN ... " + std::string(Peek().text));
    }
    ALOPEX_RETURN_IF_ERROR(ExpectWord("type"));
    ALOPEX_ASSIGN_OR_RETURN(s->column.type, ParseType());
    if (IsWord("using")) return NotSupportedYet(Peek().offset, "ALTER COLUMN ... TYPE ... USING");
  } else if (IsWord("tier")) {
    return NotSupportedYet(Peek().offset, "ALTER TABLE ... TIER PARTITION");
  } else {
    return ErrorAtCurrent();
  }
  return StatementPtr(std::move(s));
}

// ---------------------------------------------------------------------------- options and COPY

Result<std::string> Parser::ParseString() {
  if (Peek().kind != TokenKind::kString) return ErrorAtCurrent();
  std::string s = Peek().value;
  Advance();
  return s;
}

Result<std::vector<std::string>> Parser::ParseStringOrList() {
  std::vector<std::string> list;
  if (Peek().kind == TokenKind::kString) {
    list.push_back(Peek().value);
    Advance();
    return list;
  }
  std::string close;
  if (AcceptOp("[")) {
    close = "]";
  } else if (AcceptOp("(")) {
    close = ")";
  } else {
    return ErrorAtCurrent();
  }
  do {
    ALOPEX_ASSIGN_OR_RETURN(std::string item, ParseString());
    list.push_back(std::move(item));
  } while (AcceptOp(","));
  ALOPEX_RETURN_IF_ERROR(ExpectOp(close));
  return list;
}

Result<std::vector<Option>> Parser::ParseOptionList() {
  ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
  std::vector<Option> options;
  if (AcceptOp(")")) return options;
  do {
    Option option;
    option.location = Peek().offset;
    if (Peek().kind == TokenKind::kString) {  // Databricks quotes option names: 'mergeSchema' = 'true'
      option.name = Peek().value;
      Advance();
    } else {
      ALOPEX_ASSIGN_OR_RETURN(option.name, ParseAnyName());
      while (AcceptOp(".")) {
        ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
        option.name += "." + part;
      }
    }
    option.name = AsciiLower(std::move(option.name));
    if (AcceptOp("=") || !(IsOp(",") || IsOp(")"))) {
      ALOPEX_ASSIGN_OR_RETURN(option.value, ParseOptionValue());
    }
    options.push_back(std::move(option));
  } while (AcceptOp(","));
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  return options;
}

Result<ExprPtr> Parser::ParseOptionValue() {
  const Token& t = Peek();
  size_t loc = t.offset;
  if (IsOp("(")) {  // ('a', 'b') and (a, b) are lists
    Advance();
    auto list = std::make_unique<Expr>(ExprKind::kList, loc);
    if (!IsOp(")")) {
      do {
        ALOPEX_ASSIGN_OR_RETURN(ExprPtr item, ParseOptionValue());
        list->children.push_back(std::move(item));
      } while (AcceptOp(","));
    }
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return list;
  }
  bool bare_word = t.kind == TokenKind::kQuotedIdentifier ||
                   (t.kind == TokenKind::kWord && t.value != "true" && t.value != "false" &&
                    t.value != "null" && !IsOp("(", 1) && !IsOp("[", 1) && !IsOp(".", 1) && !IsOp("::", 1) &&
                    Peek(1).kind != TokenKind::kString && Peek(1).kind != TokenKind::kInteger);
  if (bare_word) {  // FORMAT parquet, COMPRESSION zstd
    auto e = std::make_unique<Expr>(ExprKind::kConstant, loc);
    e->value = Value::Varchar(t.value);
    Advance();
    return e;
  }
  return ParseExpr();
}

Result<ColumnTarget> Parser::ParseColumnTarget() {
  ColumnTarget target;
  target.location = Peek().offset;
  ALOPEX_ASSIGN_OR_RETURN(target.name, ParseIdentifier());
  if (AcceptOp("::")) {
    ALOPEX_ASSIGN_OR_RETURN(LogicalType type, ParseType());
    target.cast_type = std::move(type);
  }
  return target;
}

Result<StatementPtr> Parser::ParseCopy() {
  Advance();  // COPY
  if (IsWord("into")) return ParseCopyInto();
  if (IsWord("from")) return ParseLakeLinkCopyFrom();
  auto parse_options = [&](std::vector<Option>* options) -> Status {
    while (true) {
      if (AcceptWord("with")) {
        if (!IsOp("(")) return ErrorAtCurrent();
      } else if (!IsOp("(")) {
        return Status::OK();
      }
      ALOPEX_ASSIGN_OR_RETURN(std::vector<Option> list, ParseOptionList());
      for (auto& option : list) options->push_back(std::move(option));
    }
  };
  if (AcceptOp("(")) {  // COPY (query) TO 'path'
    auto s = std::make_unique<CopyToStatement>();
    ALOPEX_ASSIGN_OR_RETURN(s->query, ParseQuery());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("to"));
    ALOPEX_ASSIGN_OR_RETURN(s->path, ParseString());
    ALOPEX_RETURN_IF_ERROR(parse_options(&s->options));
    return StatementPtr(std::move(s));
  }
  ALOPEX_ASSIGN_OR_RETURN(QualifiedName table, ParseQualifiedName());
  std::vector<ColumnTarget> columns;
  if (AcceptOp("(")) {
    do {
      ALOPEX_ASSIGN_OR_RETURN(ColumnTarget column, ParseColumnTarget());
      columns.push_back(std::move(column));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if (AcceptWord("from")) {  // DuckDB: COPY t FROM 'path' (FORMAT csv)
    auto s = std::make_unique<CopyFromStatement>();
    s->target = std::move(table);
    s->columns = std::move(columns);
    ALOPEX_ASSIGN_OR_RETURN(s->sources, ParseStringOrList());
    ALOPEX_RETURN_IF_ERROR(parse_options(&s->options));
    return StatementPtr(std::move(s));
  }
  ALOPEX_RETURN_IF_ERROR(ExpectWord("to"));
  auto s = std::make_unique<CopyToStatement>();
  s->table = std::move(table);
  for (auto& column : columns) {
    if (column.cast_type) return ErrorAt(column.location, "COPY ... TO cannot cast columns");
    s->columns.push_back(std::move(column.name));
  }
  ALOPEX_ASSIGN_OR_RETURN(s->path, ParseString());
  ALOPEX_RETURN_IF_ERROR(parse_options(&s->options));
  return StatementPtr(std::move(s));
}

// COPY FROM 'src' INTO [GRAPH] t [(cols)] [MAP COLUMNS (src => dst[::TYPE], ...)] [WITH (...)]
Result<StatementPtr> Parser::ParseLakeLinkCopyFrom() {
  auto s = std::make_unique<CopyFromStatement>();
  Advance();  // FROM
  ALOPEX_ASSIGN_OR_RETURN(s->sources, ParseStringOrList());
  ALOPEX_RETURN_IF_ERROR(ExpectWord("into"));
  if (IsWord("graph") && IsIdentifier(Peek(1))) {
    Advance();
    s->into_graph = true;
  }
  ALOPEX_ASSIGN_OR_RETURN(s->target, ParseQualifiedName());
  // `(a, b::VECTOR(3))` lists columns; `(FORMAT csv, ...)` (a name then a value) is DuckDB-style options.
  bool options_follow = IsOp("(") && !(IsOp(",", 2) || IsOp(")", 2) || IsOp("::", 2));
  if (!options_follow && AcceptOp("(")) {
    do {
      ALOPEX_ASSIGN_OR_RETURN(ColumnTarget column, ParseColumnTarget());
      s->columns.push_back(std::move(column));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if (AcceptWords("map", "columns")) {
    ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
    do {
      ColumnMapping mapping;
      if (Peek().kind == TokenKind::kString) {
        ALOPEX_ASSIGN_OR_RETURN(mapping.source, ParseString());
      } else {
        ALOPEX_ASSIGN_OR_RETURN(mapping.source, ParseIdentifier());
      }
      ALOPEX_RETURN_IF_ERROR(ExpectOp("=>"));
      ALOPEX_ASSIGN_OR_RETURN(mapping.target, ParseColumnTarget());
      s->mappings.push_back(std::move(mapping));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  while (AcceptWord("with") || IsOp("(")) {
    ALOPEX_ASSIGN_OR_RETURN(std::vector<Option> list, ParseOptionList());
    for (auto& option : list) s->options.push_back(std::move(option));
  }
  return StatementPtr(std::move(s));
}

// COPY INTO t FROM 'dir' | (SELECT ... FROM 'dir') FILE_FORMAT = fmt [FILES = (...)] [PATTERN = '...']
// [FORMAT_OPTIONS (...)] [COPY_OPTIONS (...)]
Result<StatementPtr> Parser::ParseCopyInto() {
  auto s = std::make_unique<CopyIntoStatement>();
  Advance();  // INTO
  ALOPEX_ASSIGN_OR_RETURN(s->target, ParseQualifiedName());
  ALOPEX_RETURN_IF_ERROR(ExpectWord("from"));
  if (AcceptOp("(")) {
    ALOPEX_ASSIGN_OR_RETURN(s->source_query, ParseQuery());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    // The folder the query reads: FROM 'dir' or FROM read_files('dir', ...).
    const SelectNode* q = s->source_query.get();
    if (q->kind == SelectNodeKind::kSelect && q->from && q->from->kind == TableRefKind::kTableFunction &&
        !q->from->function->children.empty() && q->from->function->children[0]->kind == ExprKind::kConstant &&
        q->from->function->children[0]->value.type().id() == TypeId::kVarchar) {
      s->source = q->from->function->children[0]->value.GetString();
    }
  } else {
    ALOPEX_ASSIGN_OR_RETURN(s->source, ParseString());
  }
  while (true) {
    if (AcceptWord("file_format")) {
      ALOPEX_RETURN_IF_ERROR(ExpectOp("="));
      if (Peek().kind != TokenKind::kWord && Peek().kind != TokenKind::kString) return ErrorAtCurrent();
      s->file_format = AsciiLower(Peek().value);
      Advance();
    } else if (AcceptWord("files")) {
      ALOPEX_RETURN_IF_ERROR(ExpectOp("="));
      ALOPEX_ASSIGN_OR_RETURN(s->files, ParseStringOrList());
    } else if (AcceptWord("pattern")) {
      ALOPEX_RETURN_IF_ERROR(ExpectOp("="));
      ALOPEX_ASSIGN_OR_RETURN(s->pattern, ParseString());
    } else if (AcceptWord("format_options")) {
      ALOPEX_ASSIGN_OR_RETURN(s->format_options, ParseOptionList());
    } else if (AcceptWord("copy_options")) {
      ALOPEX_ASSIGN_OR_RETURN(s->copy_options, ParseOptionList());
    } else {
      break;
    }
  }
  if (s->file_format.empty()) return ErrorAt(Peek().offset, "COPY INTO needs FILE_FORMAT = <format>");
  return StatementPtr(std::move(s));
}

// ---------------------------------------------------------------------------- utility statements

Result<StatementPtr> Parser::ParseExplain() {
  auto s = std::make_unique<ExplainStatement>();
  Advance();  // EXPLAIN
  s->analyze = AcceptWord("analyze") || AcceptWord("analyse");
  size_t start = Peek().offset;
  ALOPEX_ASSIGN_OR_RETURN(s->statement, ParseStatement());
  s->statement->location = start;
  s->statement->text = std::string(sql_.substr(start, PreviousEnd() - start));
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseSet() {
  Advance();  // SET
  SetScope scope = SetScope::kDefault;
  if (AcceptWord("session")) {
    scope = SetScope::kSession;
  } else if (AcceptWord("global")) {
    scope = SetScope::kGlobal;
  } else if (AcceptWord("local")) {
    scope = SetScope::kLocal;
  }
  std::string name;
  if (AcceptWords("time", "zone")) {
    name = "timezone";
  } else {
    ALOPEX_ASSIGN_OR_RETURN(name, ParseAnyName());
    while (AcceptOp(".")) {
      ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
      name += "." + part;
    }
    if (!AcceptOp("=")) ALOPEX_RETURN_IF_ERROR(ExpectWord("to"));
  }
  if (IsWord("default") && (AtEnd() || IsOp(";", 1) || Peek(1).kind == TokenKind::kEnd)) {
    Advance();
    auto reset = std::make_unique<ResetStatement>();
    reset->name = std::move(name);
    return StatementPtr(std::move(reset));
  }
  auto s = std::make_unique<SetStatement>();
  s->scope = scope;
  s->name = std::move(name);
  ALOPEX_ASSIGN_OR_RETURN(s->value, ParseOptionValue());
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseReset() {
  auto s = std::make_unique<ResetStatement>();
  Advance();  // RESET
  if (!AcceptWord("session") && !AcceptWord("global")) AcceptWord("local");
  ALOPEX_ASSIGN_OR_RETURN(s->name, ParseAnyName());
  while (AcceptOp(".")) {
    ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
    s->name += "." + part;
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseShow() {
  auto s = std::make_unique<ShowStatement>();
  Advance();  // SHOW
  if (AcceptWord("tables")) {
    s->what = ShowKind::kTables;
    if (AcceptWord("from") || AcceptWord("in")) {
      ALOPEX_ASSIGN_OR_RETURN(s->target, ParseQualifiedName());
    }
  } else if (AcceptWords("all", "tables")) {
    s->what = ShowKind::kAllTables;
  } else if (AcceptWord("schemas") || AcceptWord("databases")) {
    s->what = ShowKind::kSchemas;
  } else if (IsWord("columns") && (IsWord("from", 1) || IsWord("in", 1))) {
    Advance(), Advance();
    s->what = ShowKind::kColumns;
    ALOPEX_ASSIGN_OR_RETURN(s->target, ParseQualifiedName());
  } else {
    s->what = ShowKind::kVariable;
    ALOPEX_ASSIGN_OR_RETURN(s->name, ParseAnyName());
    while (AcceptOp(".")) {
      ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
      s->name += "." + part;
    }
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseDescribe() {
  auto s = std::make_unique<DescribeStatement>();
  Advance();  // DESCRIBE / DESC
  // HISTORY and DETAIL are also plain table names: `DESCRIBE history`.
  if ((IsWord("history") || IsWord("detail")) && IsIdentifier(Peek(1))) {
    s->what = IsWord("history") ? DescribeKind::kHistory : DescribeKind::kDetail;
    Advance();
    AcceptWord("table");
    ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
    return StatementPtr(std::move(s));
  }
  if (AtQueryStart()) {
    s->what = DescribeKind::kQuery;
    ALOPEX_ASSIGN_OR_RETURN(s->query, ParseQuery());
    return StatementPtr(std::move(s));
  }
  AcceptWord("table");
  s->what = DescribeKind::kTable;
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseRestore() {
  auto s = std::make_unique<RestoreStatement>();
  Advance();  // RESTORE
  AcceptWord("table");
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  AcceptWord("to");
  if (IsWord("version") && IsWord("as", 1) && IsWord("of", 2)) {
    Advance(), Advance(), Advance();
    ALOPEX_ASSIGN_OR_RETURN(s->version, ParseExpr());
  } else if (IsWord("timestamp") && IsWord("as", 1) && IsWord("of", 2)) {
    Advance(), Advance(), Advance();
    ALOPEX_ASSIGN_OR_RETURN(s->timestamp, ParseExpr());
  } else {
    return ErrorAtCurrent();
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseVacuum() {
  auto s = std::make_unique<VacuumStatement>();
  Advance();  // VACUUM
  if (IsIdentifier(Peek()) && !IsWord("retain") && !(IsWord("dry") && IsWord("run", 1))) {
    ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  }
  if (AcceptWord("retain")) {
    ALOPEX_ASSIGN_OR_RETURN(s->retain_hours, ParseOtherOperators());
    ALOPEX_RETURN_IF_ERROR(ExpectWord("hours"));
  }
  s->dry_run = AcceptWords("dry", "run");
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseOptimize() {
  auto s = std::make_unique<OptimizeStatement>();
  Advance();  // OPTIMIZE
  ALOPEX_ASSIGN_OR_RETURN(s->table, ParseQualifiedName());
  if (AcceptWord("where")) {
    ALOPEX_ASSIGN_OR_RETURN(s->where, ParseExpr());
  }
  if (IsWord("zorder") && IsWord("by", 1)) {  // kept as the option zorder_by = [columns]
    Option option;
    option.name = "zorder_by";
    option.location = Peek().offset;
    Advance(), Advance();
    auto list = std::make_unique<Expr>(ExprKind::kList, option.location);
    bool parenthesized = AcceptOp("(");
    ALOPEX_ASSIGN_OR_RETURN(list->children, ParseExprList());
    if (parenthesized) ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    option.value = std::move(list);
    s->options.push_back(std::move(option));
  }
  if (AcceptWord("with")) {
    ALOPEX_ASSIGN_OR_RETURN(std::vector<Option> list, ParseOptionList());
    for (auto& option : list) s->options.push_back(std::move(option));
  }
  return StatementPtr(std::move(s));
}

Result<StatementPtr> Parser::ParseTransaction() {
  auto s = std::make_unique<TransactionStatement>();
  const std::string w = Peek().value;
  Advance();
  if (w == "begin" || w == "start") {
    s->what = TransactionKind::kBegin;
    if (w == "start") {
      ALOPEX_RETURN_IF_ERROR(ExpectWord("transaction"));
    } else if (!AcceptWord("transaction")) {
      AcceptWord("work");
    }
    return StatementPtr(std::move(s));
  }
  s->what = (w == "commit" || w == "end") ? TransactionKind::kCommit : TransactionKind::kRollback;
  if (!AcceptWord("transaction")) AcceptWord("work");
  return StatementPtr(std::move(s));
}

}  // namespace alopex::sql
