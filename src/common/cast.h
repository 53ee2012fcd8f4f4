// Casts between logical types, vectorized (columns) and for single Values.
// Every cast from and to VARCHAR exists; numeric casts check range; text to
// JSONB validates; a float list to VECTOR(n) checks the dimension.
#pragma once

#include <string>
#include <string_view>

#include "alopex/status.h"
#include "common/column.h"

namespace alopex {

// True when a cast from `from` to `to` exists (it may still fail per value).
bool CanCast(const LogicalType& from, const LogicalType& to);
// True when the binder may insert the cast by itself (widening, literal text to any type).
bool CanImplicitlyCast(const LogicalType& from, const LogicalType& to);

// Casts `count` rows of `in` into `out` (resized to `count`, of type `to`).
// With `try_cast` a value that does not convert becomes NULL; otherwise the first
// such value fails with a Conversion Error naming the value and both types, and
// `*error_row` (when given) receives its row index.
Status CastColumn(const Column& in, const LogicalType& to, Column* out, bool try_cast = false,
                  size_t* error_row = nullptr);

// Single-value forms, used for constants.
Result<Value> CastValue(const Value& v, const LogicalType& to, bool try_cast = false);

// Text forms of single values of a column row, as the shell prints them.
std::string FormatValue(const Column& col, size_t row);

}  // namespace alopex
