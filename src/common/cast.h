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

// Appends the text of the valid row `row` (FormatValue without the NULL check);
// nested values print as [1, 2], {'a': 1, 'b': x}, {k=v}; NULL inside them as NULL.
void AppendValueText(const Column& col, size_t row, std::string* out);
// Appends the row as JSON text: null, 42, "text", [1,2], {"a":1}; JSONB as is.
void AppendValueJson(const Column& col, size_t row, std::string* out);

// DuckDB's text for floating-point numbers: the shortest string that reads back
// to the same value, in fixed notation for exponents -4..15 (always with a
// fraction: 2.0, 0.1) and scientific beyond (1e+20, 1.5e-07); inf, -inf, nan.
// `buf` must hold 32 bytes; returns the length.
size_t FormatDoubleTo(double v, char* buf);
size_t FormatFloatTo(float v, char* buf);
// An unscaled decimal with exactly `scale` fraction digits: 150, 2 -> "1.50".
std::string FormatDecimal(__int128 unscaled, int scale);

// Decimal columns hold int64 unscaled values up to width 18, int128 beyond.
inline __int128 ReadDecimal(const Column& c, size_t i) {
  return c.type().width() <= 18 ? __int128(c.data<int64_t>()[i]) : c.data<__int128>()[i];
}
inline void WriteDecimal(Column* c, size_t i, __int128 v) {
  if (c->type().width() <= 18)
    c->data<int64_t>()[i] = int64_t(v);
  else
    c->data<__int128>()[i] = v;
}
// 10^n for n in [0, 38].
__int128 DecimalPow10(int n);

}  // namespace alopex
