// ResultView: row/column access to a statement's result, the one input every
// output format reads. The shell wraps a QueryResult; tests wrap plain rows, so
// the formats are testable without the engine.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "alopex/types.h"
#include "alopex/value.h"

namespace alopex::cli {

class ResultView {
 public:
  virtual ~ResultView() = default;
  virtual size_t num_rows() const = 0;
  virtual size_t num_columns() const = 0;
  virtual const std::string& name(size_t col) const = 0;
  virtual const LogicalType& type(size_t col) const = 0;
  // `row` < num_rows(), `col` < num_columns().
  virtual bool IsNull(size_t row, size_t col) const = 0;
  // The engine's text form of a non-NULL value, as a SQL shell prints it.
  virtual std::string GetString(size_t row, size_t col) const = 0;
  // The typed value; JSON output walks nested values (lists, structs) through it.
  virtual Value GetValue(size_t row, size_t col) const = 0;
};

}  // namespace alopex::cli
