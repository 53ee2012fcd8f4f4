#include "exec/range_function.h"

#include "common/cast.h"

namespace alopex {

namespace {

constexpr int64_t kRowsPerMorsel = 16 * int64_t(kBatchSize);

class RangeSource : public TableFunctionSource {
 public:
  RangeSource(std::string name, int64_t start, int64_t stop, int64_t step, bool inclusive)
      : name_(std::move(name)), start_(start), step_(step) {
    names_ = {name_ == "range" ? "range" : "generate_series"};
    types_ = {LogicalType(TypeId::kBigInt)};
    // Number of values: ceil((stop - start) / step), inclusive adds the end point.
    __int128 span = __int128(stop) - start;
    __int128 n = 0;
    if ((step > 0 && span > 0) || (step < 0 && span < 0)) n = (span + step - (step > 0 ? 1 : -1)) / step;
    if (inclusive && ((step > 0 && span >= 0) || (step < 0 && span <= 0)) && span % step == 0) n += 1;
    count_ = int64_t(n);
  }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<LogicalType>& types() const override { return types_; }
  Status Prepare(const ExecContext&) override { return Status::OK(); }
  size_t NumMorsels() const override { return size_t((count_ + kRowsPerMorsel - 1) / kRowsPerMorsel); }
  Status ReadMorsel(size_t m, const ExecContext&, const std::function<Status(Batch&&)>& emit) override {
    int64_t first = int64_t(m) * kRowsPerMorsel;
    int64_t last = std::min(count_, first + kRowsPerMorsel);
    for (int64_t i = first; i < last; i += int64_t(kBatchSize)) {
      size_t n = size_t(std::min<int64_t>(int64_t(kBatchSize), last - i));
      Batch b;
      b.num_rows = n;
      Column c(types_[0], n);
      c.Resize(n);
      int64_t* d = c.data<int64_t>();
      for (size_t k = 0; k < n; k++) d[k] = start_ + (i + int64_t(k)) * step_;
      b.columns.push_back(std::move(c));
      ALOPEX_RETURN_IF_ERROR(emit(std::move(b)));
    }
    return Status::OK();
  }
  std::string ToString() const override {
    return name_ + "(" + std::to_string(start_) + ", count " + std::to_string(count_) + ", step " + std::to_string(step_) + ")";
  }

 private:
  std::string name_;
  int64_t start_, step_, count_ = 0;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
};

}  // namespace

Result<std::shared_ptr<TableFunctionSource>> MakeRangeSource(const std::string& name, const std::vector<Value>& args) {
  if (args.empty() || args.size() > 3)
    return Status::BinderError(name + " takes 1 to 3 arguments: " + name + "(stop), " + name + "(start, stop[, step])");
  std::vector<int64_t> v;
  for (const auto& a : args) {
    if (a.is_null()) return Status::BinderError(name + " arguments must not be NULL");
    ALOPEX_ASSIGN_OR_RETURN(Value x, CastValue(a, TypeId::kBigInt));
    v.push_back(x.GetInt64());
  }
  int64_t start = 0, stop, step = 1;
  if (v.size() == 1) {
    stop = v[0];
  } else {
    start = v[0];
    stop = v[1];
    if (v.size() == 3) step = v[2];
  }
  if (step == 0) return Status::BinderError(name + ": step must not be zero");
  return std::shared_ptr<TableFunctionSource>(
      std::make_shared<RangeSource>(name, start, stop, step, name == "generate_series"));
}

}  // namespace alopex
