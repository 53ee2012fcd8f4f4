// Queries: WITH, SELECT blocks, set operations, VALUES, ORDER BY / LIMIT and FROM.
#include "sql/parser.h"

namespace alopex::sql {

namespace {

// SELECT * FROM (inner): used when a parenthesized query gets a second ORDER BY,
// LIMIT or WITH from outside, which the node cannot hold twice.
SelectPtr WrapInSelectStar(SelectPtr inner) {
  auto outer = std::make_unique<SelectNode>();
  outer->location = inner->location;
  outer->select_list.push_back(std::make_unique<Expr>(ExprKind::kStar, inner->location));
  outer->from = std::make_unique<TableRef>(TableRefKind::kSubquery, inner->location);
  outer->from->subquery = std::move(inner);
  return outer;
}

TableRefPtr MakeJoin(JoinType type, TableRefPtr left, TableRefPtr right, size_t location) {
  auto join = std::make_unique<TableRef>(TableRefKind::kJoin, location);
  join->join_type = type;
  join->left = std::move(left);
  join->right = std::move(right);
  return join;
}

}  // namespace

bool Parser::AtSubqueryStart(size_t ahead) const {
  return IsWord("select", ahead) || IsWord("with", ahead) || IsWord("values", ahead);
}

bool Parser::AtQueryStart(size_t ahead) const {
  size_t i = ahead;
  while (IsOp("(", i)) i++;
  return AtSubqueryStart(i);
}

Result<StatementPtr> Parser::ParseSelectStatement() {
  auto statement = std::make_unique<SelectStatement>();
  ALOPEX_ASSIGN_OR_RETURN(statement->node, ParseQuery());
  return StatementPtr(std::move(statement));
}

Result<SelectPtr> Parser::ParseQuery() {
  DepthGuard guard(&depth_);
  ALOPEX_RETURN_IF_ERROR(CheckDepth());
  size_t loc = Peek().offset;
  std::vector<CommonTableExpr> ctes;
  bool recursive = false;
  if (AcceptWord("with")) {
    recursive = AcceptWord("recursive");
    do {
      CommonTableExpr cte;
      ALOPEX_ASSIGN_OR_RETURN(cte.name, ParseIdentifier());
      if (IsOp("(")) {
        ALOPEX_ASSIGN_OR_RETURN(cte.column_aliases, ParseParenIdentifierList());
      }
      ALOPEX_RETURN_IF_ERROR(ExpectWord("as"));
      if (AcceptWord("materialized")) {
        cte.materialized = true;
      } else {
        AcceptWords("not", "materialized");
      }
      ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
      ALOPEX_ASSIGN_OR_RETURN(cte.query, ParseQuery());
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
      ctes.push_back(std::move(cte));
    } while (AcceptOp(","));
  }
  ALOPEX_ASSIGN_OR_RETURN(SelectPtr node, ParseSetOperations());
  if (!ctes.empty()) {
    if (!node->ctes.empty()) node = WrapInSelectStar(std::move(node));
    node->ctes = std::move(ctes);
    node->recursive_ctes = recursive;
    node->location = loc;
  }

  bool has_order = IsWord("order") && IsWord("by", 1);
  bool has_limit = IsWord("limit") || IsWord("offset") || IsWord("fetch");
  if ((has_order || has_limit) &&
      (!node->order_by.empty() || node->order_by_all || node->limit || node->offset))
    node = WrapInSelectStar(std::move(node));
  if (AcceptWords("order", "by")) {
    if (IsWord("all") && !IsOp("(", 1)) {
      Advance();
      node->order_by_all = true;
      AcceptWord("asc");
      if (IsWord("desc") || IsWord("nulls"))
        return NotSupportedYet(Peek().offset, "ORDER BY ALL DESC / NULLS");
    } else {
      ALOPEX_ASSIGN_OR_RETURN(node->order_by, ParseOrderByList());
    }
  }
  while (true) {
    if (AcceptWord("limit")) {
      if (node->limit) return ErrorAt(tokens_[pos_ - 1].offset, "LIMIT given twice");
      if (!AcceptWord("all")) {
        ALOPEX_ASSIGN_OR_RETURN(node->limit, ParseExpr());
      }
    } else if (AcceptWord("offset")) {
      if (node->offset) return ErrorAt(tokens_[pos_ - 1].offset, "OFFSET given twice");
      ALOPEX_ASSIGN_OR_RETURN(node->offset, ParseExpr());
      if (!AcceptWord("rows")) AcceptWord("row");
    } else if (AcceptWord("fetch")) {  // FETCH FIRST n ROWS ONLY
      if (!AcceptWord("first")) ALOPEX_RETURN_IF_ERROR(ExpectWord("next"));
      ALOPEX_ASSIGN_OR_RETURN(node->limit, ParseExpr());
      if (!AcceptWord("rows")) ALOPEX_RETURN_IF_ERROR(ExpectWord("row"));
      ALOPEX_RETURN_IF_ERROR(ExpectWord("only"));
    } else {
      break;
    }
  }
  return node;
}

Result<SelectPtr> Parser::ParseSetOperations() {
  ALOPEX_ASSIGN_OR_RETURN(SelectPtr left, ParseIntersections());
  while (IsWord("union") || IsWord("except")) {
    size_t loc = Peek().offset;
    bool is_union = IsWord("union");
    Advance();
    bool all = AcceptWord("all");
    if (!all) AcceptWord("distinct");
    auto node = std::make_unique<SelectNode>();
    node->kind = SelectNodeKind::kSetOperation;
    node->location = loc;
    node->by_name = AcceptWords("by", "name");
    if (is_union) {
      node->set_op = all ? SetOpType::kUnionAll : SetOpType::kUnion;
    } else {
      node->set_op = all ? SetOpType::kExceptAll : SetOpType::kExcept;
    }
    ALOPEX_ASSIGN_OR_RETURN(SelectPtr right, ParseIntersections());
    node->left = std::move(left);
    node->right = std::move(right);
    left = std::move(node);
  }
  return left;
}

Result<SelectPtr> Parser::ParseIntersections() {
  ALOPEX_ASSIGN_OR_RETURN(SelectPtr left, ParseQueryPrimary());
  while (IsWord("intersect")) {
    size_t loc = Peek().offset;
    Advance();
    bool all = AcceptWord("all");
    if (!all) AcceptWord("distinct");
    auto node = std::make_unique<SelectNode>();
    node->kind = SelectNodeKind::kSetOperation;
    node->location = loc;
    node->set_op = all ? SetOpType::kIntersectAll : SetOpType::kIntersect;
    node->by_name = AcceptWords("by", "name");
    ALOPEX_ASSIGN_OR_RETURN(SelectPtr right, ParseQueryPrimary());
    node->left = std::move(left);
    node->right = std::move(right);
    left = std::move(node);
  }
  return left;
}

Result<SelectPtr> Parser::ParseQueryPrimary() {
  if (IsOp("(")) {
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(SelectPtr query, ParseQuery());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return query;
  }
  if (IsWord("values")) return ParseValues();
  if (IsWord("select")) return ParseSelectCore();
  return ErrorAtCurrent();
}

Result<SelectPtr> Parser::ParseValues() {
  auto node = std::make_unique<SelectNode>();
  node->kind = SelectNodeKind::kValues;
  node->location = Peek().offset;
  ALOPEX_RETURN_IF_ERROR(ExpectWord("values"));
  do {
    ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
    std::vector<ExprPtr> row;
    do {
      // DEFAULT stands for the target column's default in INSERT ... VALUES.
      if (IsWord("default") && (IsOp(",", 1) || IsOp(")", 1))) {
        row.push_back(std::make_unique<Expr>(ExprKind::kDefault, Peek().offset));
        Advance();
        continue;
      }
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
      row.push_back(std::move(item));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    if (!node->values.empty() && row.size() != node->values[0].size())
      return ErrorAt(tokens_[pos_ - 1].offset, "VALUES lists must all be the same length");
    node->values.push_back(std::move(row));
  } while (AcceptOp(","));
  return node;
}

Result<SelectPtr> Parser::ParseSelectCore() {
  auto node = std::make_unique<SelectNode>();
  node->location = Peek().offset;
  ALOPEX_RETURN_IF_ERROR(ExpectWord("select"));
  size_t window_mark = pending_windows_.size();
  if (AcceptWord("distinct")) {
    node->distinct = true;
    if (AcceptWord("on")) {
      ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
      ALOPEX_ASSIGN_OR_RETURN(node->distinct_on, ParseExprList());
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    }
  } else {
    AcceptWord("all");
  }
  do {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
    if (item->kind == ExprKind::kStar) {
      ALOPEX_ASSIGN_OR_RETURN(item, ParseStarModifiers(std::move(item)));
    } else {
      ALOPEX_ASSIGN_OR_RETURN(item->alias, ParseOptionalAlias(false));
    }
    node->select_list.push_back(std::move(item));
  } while (AcceptOp(","));
  if (AcceptWord("from")) {
    ALOPEX_ASSIGN_OR_RETURN(node->from, ParseFromList());
  }
  if (AcceptWord("where")) {
    ALOPEX_ASSIGN_OR_RETURN(node->where, ParseExpr());
  }
  if (AcceptWords("group", "by")) {
    if (IsWord("all") && !IsOp("(", 1)) {
      Advance();
      node->group_by_all = true;
    } else {
      ALOPEX_ASSIGN_OR_RETURN(node->group_by, ParseExprList());
    }
  }
  if (AcceptWord("having")) {
    ALOPEX_ASSIGN_OR_RETURN(node->having, ParseExpr());
  }
  std::vector<NamedWindow> windows;
  while (true) {
    if (AcceptWord("window")) {
      do {
        NamedWindow window;
        ALOPEX_ASSIGN_OR_RETURN(window.name, ParseIdentifier());
        ALOPEX_RETURN_IF_ERROR(ExpectWord("as"));
        window.token_index = pos_;
        ALOPEX_ASSIGN_OR_RETURN(std::unique_ptr<WindowSpec> unused, ParseWindowSpec());
        windows.push_back(std::move(window));
      } while (AcceptOp(","));
    } else if (AcceptWord("qualify")) {
      ALOPEX_ASSIGN_OR_RETURN(node->qualify, ParseExpr());
    } else {
      break;
    }
  }
  // OVER w: parse the named window's spec again for each function that uses it.
  for (size_t i = window_mark; i < pending_windows_.size(); i++) {
    const PendingWindow& pending = pending_windows_[i];
    const NamedWindow* found = nullptr;
    for (const NamedWindow& w : windows) {
      if (w.name == pending.name) found = &w;
    }
    if (!found) return ErrorAt(pending.location, "window \"" + pending.name + "\" is not defined");
    size_t resume = pos_;
    pos_ = found->token_index;
    ALOPEX_ASSIGN_OR_RETURN(pending.function->window, ParseWindowSpec());
    pos_ = resume;
  }
  pending_windows_.resize(window_mark);
  return node;
}

Result<std::vector<OrderItem>> Parser::ParseOrderByList() {
  std::vector<OrderItem> items;
  do {
    OrderItem item;
    ALOPEX_ASSIGN_OR_RETURN(item.expr, ParseExpr());
    if (AcceptWord("desc")) {
      item.direction = OrderDirection::kDescending;
    } else {
      AcceptWord("asc");
    }
    if (AcceptWord("nulls")) {
      if (AcceptWord("first")) {
        item.nulls = NullOrder::kNullsFirst;
      } else {
        ALOPEX_RETURN_IF_ERROR(ExpectWord("last"));
        item.nulls = NullOrder::kNullsLast;
      }
    }
    items.push_back(std::move(item));
  } while (AcceptOp(","));
  return items;
}

// ---------------------------------------------------------------------------- FROM

Result<TableRefPtr> Parser::ParseFromList() {
  ALOPEX_ASSIGN_OR_RETURN(TableRefPtr left, ParseTableRef());
  while (IsOp(",")) {
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(TableRefPtr right, ParseTableRef());
    left = MakeJoin(JoinType::kCross, std::move(left), std::move(right), loc);
  }
  return left;
}

Result<TableRefPtr> Parser::ParseTableRef() {
  ALOPEX_ASSIGN_OR_RETURN(TableRefPtr left, ParseTablePrimary());
  while (true) {
    size_t loc = Peek().offset;
    bool natural = AcceptWord("natural");
    JoinType type = JoinType::kInner;
    if (AcceptWord("inner")) {
      type = JoinType::kInner;
    } else if (AcceptWord("left")) {
      type = JoinType::kLeft;
      AcceptWord("outer");
    } else if (AcceptWord("right")) {
      type = JoinType::kRight;
      AcceptWord("outer");
    } else if (AcceptWord("full")) {
      type = JoinType::kFull;
      AcceptWord("outer");
    } else if (AcceptWord("cross")) {
      type = JoinType::kCross;
    } else if (AcceptWord("semi")) {
      type = JoinType::kSemi;
    } else if (AcceptWord("anti")) {
      type = JoinType::kAnti;
    } else if (!natural && !IsWord("join")) {
      break;
    }
    ALOPEX_RETURN_IF_ERROR(ExpectWord("join"));
    ALOPEX_ASSIGN_OR_RETURN(TableRefPtr right, ParseTablePrimary());
    TableRefPtr join = MakeJoin(type, std::move(left), std::move(right), loc);
    join->natural = natural;
    if (type != JoinType::kCross && !natural) {
      if (AcceptWord("on")) {
        ALOPEX_ASSIGN_OR_RETURN(join->condition, ParseExpr());
      } else if (AcceptWord("using")) {
        ALOPEX_ASSIGN_OR_RETURN(join->using_columns, ParseParenIdentifierList());
      } else {
        return ErrorAtCurrent();
      }
    }
    left = std::move(join);
  }
  return left;
}

Result<TableRefPtr> Parser::ParseTablePrimary() {
  size_t loc = Peek().offset;
  bool lateral = AcceptWord("lateral");
  TableRefPtr ref;
  if (IsOp("(")) {
    if (AtQueryStart(1)) {
      Advance();
      ref = std::make_unique<TableRef>(TableRefKind::kSubquery, loc);
      ALOPEX_ASSIGN_OR_RETURN(ref->subquery, ParseQuery());
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    } else {
      Advance();
      ALOPEX_ASSIGN_OR_RETURN(ref, ParseTableRef());
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
      ref->lateral = ref->lateral || lateral;
      return ref;
    }
  } else if (IsWord("values") && IsOp("(", 1)) {
    ref = std::make_unique<TableRef>(TableRefKind::kSubquery, loc);
    ALOPEX_ASSIGN_OR_RETURN(ref->subquery, ParseValues());
  } else if (Peek().kind == TokenKind::kString) {
    // FROM 'data/*.parquet' reads the files.
    ref = std::make_unique<TableRef>(TableRefKind::kTableFunction, loc);
    auto function = std::make_unique<Expr>(ExprKind::kFunction, loc);
    function->name = "read_files";
    auto path = std::make_unique<Expr>(ExprKind::kConstant, loc);
    path->value = Value::Varchar(Peek().value);
    function->children.push_back(std::move(path));
    ref->function = std::move(function);
    Advance();
  } else {
    bool stream = IsWord("stream") && IsIdentifier(Peek(1)) && (IsOp("(", 2) || IsOp(".", 2));
    if (stream) Advance();
    ALOPEX_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
    if (AcceptOp("(")) {
      ref = std::make_unique<TableRef>(TableRefKind::kTableFunction, loc);
      ALOPEX_ASSIGN_OR_RETURN(ref->function, ParseFunctionCall(std::move(name), loc, true));
      ref->stream = stream;
    } else {
      if (stream) return ErrorAtCurrent();
      ref = std::make_unique<TableRef>(TableRefKind::kBaseTable, loc);
      ref->name = std::move(name);
      if (IsWord("version") && IsWord("as", 1) && IsWord("of", 2)) {
        Advance(), Advance(), Advance();
        ALOPEX_ASSIGN_OR_RETURN(ref->version_as_of, ParseExpr());
      } else if (IsWord("timestamp") && IsWord("as", 1) && IsWord("of", 2)) {
        Advance(), Advance(), Advance();
        ALOPEX_ASSIGN_OR_RETURN(ref->timestamp_as_of, ParseExpr());
      }
    }
  }
  ref->lateral = lateral;
  ALOPEX_RETURN_IF_ERROR(ParseTableAlias(ref.get()));
  return ref;
}

Status Parser::ParseTableAlias(TableRef* ref) {
  ALOPEX_ASSIGN_OR_RETURN(ref->alias, ParseOptionalAlias(true));
  if (!ref->alias.empty() && IsOp("(")) {
    ALOPEX_ASSIGN_OR_RETURN(ref->column_aliases, ParseParenIdentifierList());
  }
  return Status::OK();
}

}  // namespace alopex::sql
