// Filters a scan can use to skip data: the conjuncts of a WHERE clause that
// compare one column with constants, as ColumnPredicates that file, row-group
// and page statistics answer (formats/parquet/parquet_reader.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/parquet/parquet_reader.h"

namespace alopex {

struct BoundExpr;

// The column indexes `e` reads; `unsafe` is set when it holds a subquery, an
// outer reference or a volatile function (not evaluable ahead of the scan).
void ReferencedColumns(const BoundExpr& e, std::vector<int>* out, bool* unsafe);

// `conjunct` as a predicate on one column when it is `col op constant` (either
// side), `col IN (constants)` or `col IS [NOT] NULL`. `column_name` maps a
// column index to the name the predicate should carry, or "" where the column
// has no usable statistics (nested and vector columns never do); nullopt when
// the conjunct has no such form.
std::optional<ColumnPredicate> ToColumnPredicate(const BoundExpr& conjunct,
                                                 const std::function<std::string(int column)>& column_name);
// The predicates of those `conjuncts` that have one.
std::vector<ColumnPredicate> ToColumnPredicates(const std::vector<std::unique_ptr<BoundExpr>>& conjuncts,
                                                const std::function<std::string(int column)>& column_name);

}  // namespace alopex
