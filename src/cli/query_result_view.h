// A ResultView over the engine's QueryResult.
#pragma once

#include "alopex/database.h"
#include "cli/result_view.h"

namespace alopex::cli {

class QueryResultView final : public ResultView {
 public:
  // `result` must outlive the view.
  explicit QueryResultView(const QueryResult& result) : result_(result) {}
  size_t num_rows() const override { return result_.num_rows(); }
  size_t num_columns() const override { return result_.num_columns(); }
  const std::string& name(size_t col) const override { return result_.name(col); }
  const LogicalType& type(size_t col) const override { return result_.type(col); }
  bool IsNull(size_t row, size_t col) const override { return result_.IsNull(row, col); }
  std::string GetString(size_t row, size_t col) const override { return result_.GetString(row, col); }
  Value GetValue(size_t row, size_t col) const override { return result_.GetValue(row, col); }

 private:
  const QueryResult& result_;
};

}  // namespace alopex::cli
