#include "exec/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include "exec/row_ops.h"

namespace alopex {

namespace {

const std::map<std::string, AggregateKind>& AggregateNames() {
  static const std::map<std::string, AggregateKind> names = {
      {"count_star", AggregateKind::kCountStar}, {"count", AggregateKind::kCount},
      {"sum", AggregateKind::kSum},              {"avg", AggregateKind::kAvg},
      {"mean", AggregateKind::kAvg},             {"min", AggregateKind::kMin},
      {"max", AggregateKind::kMax},              {"string_agg", AggregateKind::kStringAgg},
      {"group_concat", AggregateKind::kStringAgg}, {"listagg", AggregateKind::kStringAgg},
      {"list", AggregateKind::kList},            {"array_agg", AggregateKind::kList},
      {"bool_and", AggregateKind::kBoolAnd},     {"bool_or", AggregateKind::kBoolOr},
      {"every", AggregateKind::kBoolAnd},        {"any_value", AggregateKind::kAnyValue},
      {"first", AggregateKind::kFirst},          {"last", AggregateKind::kLast},
      {"arbitrary", AggregateKind::kFirst},      {"arg_min", AggregateKind::kArgMin},
      {"arg_max", AggregateKind::kArgMax},       {"argmin", AggregateKind::kArgMin},
      {"argmax", AggregateKind::kArgMax},        {"min_by", AggregateKind::kArgMin},
      {"max_by", AggregateKind::kArgMax},        {"stddev", AggregateKind::kStddevSamp},
      {"stddev_samp", AggregateKind::kStddevSamp}, {"stddev_pop", AggregateKind::kStddevPop},
      {"variance", AggregateKind::kVarSamp},     {"var_samp", AggregateKind::kVarSamp},
      {"var_pop", AggregateKind::kVarPop},       {"median", AggregateKind::kMedian},
      {"approx_count_distinct", AggregateKind::kApproxCountDistinct}, {"product", AggregateKind::kProduct},
  };
  return names;
}

}  // namespace

std::optional<AggregateKind> LookupAggregate(const std::string& name) {
  auto it = AggregateNames().find(name);
  if (it == AggregateNames().end()) return std::nullopt;
  return it->second;
}

bool IsAggregateName(const std::string& name) { return LookupAggregate(name).has_value(); }

std::vector<std::string> AggregateAndWindowNames() {
  std::vector<std::string> names;
  for (const auto& [n, _] : AggregateNames()) names.push_back(n);
  for (const char* w : {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
                        "first_value", "last_value", "nth_value"})
    names.push_back(w);
  return names;
}

Result<LogicalType> BindAggregate(AggregateKind kind, const std::string& name, std::vector<LogicalType>* args) {
  auto want = [&](size_t n) -> Status {
    if (args->size() != n)
      return Status::BinderError("aggregate " + name + " takes " + std::to_string(n) + " argument" +
                                 (n == 1 ? "" : "s") + ", got " + std::to_string(args->size()));
    return Status::OK();
  };
  auto mismatch = [&]() {
    std::string s = "No function matches " + name + "(";
    for (size_t i = 0; i < args->size(); i++) s += (i ? ", " : "") + (*args)[i].ToString();
    return Status::BinderError(s + ")");
  };
  switch (kind) {
    case AggregateKind::kCountStar:
      return LogicalType(TypeId::kBigInt);
    case AggregateKind::kCount:
    case AggregateKind::kApproxCountDistinct:
      ALOPEX_RETURN_IF_ERROR(want(1));
      return LogicalType(TypeId::kBigInt);
    case AggregateKind::kSum: {
      ALOPEX_RETURN_IF_ERROR(want(1));
      const LogicalType& t = (*args)[0];
      if (t.id() == TypeId::kBoolean || t.IsInteger()) {
        (*args)[0] = t.id() == TypeId::kUBigInt ? LogicalType::Decimal(38, 0) : LogicalType(TypeId::kBigInt);
        return t.id() == TypeId::kUBigInt ? LogicalType::Decimal(38, 0) : LogicalType(TypeId::kBigInt);
      }
      if (t.id() == TypeId::kDecimal) return LogicalType::Decimal(38, t.scale());
      if (t.IsFloating() || t.id() == TypeId::kNull) {
        (*args)[0] = TypeId::kDouble;
        return LogicalType(TypeId::kDouble);
      }
      return mismatch();
    }
    case AggregateKind::kProduct:
    case AggregateKind::kAvg:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop: {
      ALOPEX_RETURN_IF_ERROR(want(1));
      const LogicalType& t = (*args)[0];
      if (!t.IsNumeric() && t.id() != TypeId::kNull && t.id() != TypeId::kBoolean) return mismatch();
      (*args)[0] = TypeId::kDouble;
      return LogicalType(TypeId::kDouble);
    }
    case AggregateKind::kMedian: {
      ALOPEX_RETURN_IF_ERROR(want(1));
      const LogicalType& t = (*args)[0];
      if (t.IsNumeric() || t.id() == TypeId::kNull) {
        (*args)[0] = TypeId::kDouble;
        return LogicalType(TypeId::kDouble);
      }
      return t;  // median of dates, strings: the lower middle value
    }
    case AggregateKind::kMin:
    case AggregateKind::kMax:
    case AggregateKind::kAnyValue:
    case AggregateKind::kFirst:
    case AggregateKind::kLast:
      ALOPEX_RETURN_IF_ERROR(want(1));
      if ((*args)[0].id() == TypeId::kNull) (*args)[0] = TypeId::kInteger;
      return (*args)[0];
    case AggregateKind::kArgMin:
    case AggregateKind::kArgMax:
      ALOPEX_RETURN_IF_ERROR(want(2));
      return (*args)[0];
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr:
      ALOPEX_RETURN_IF_ERROR(want(1));
      (*args)[0] = TypeId::kBoolean;
      return LogicalType(TypeId::kBoolean);
    case AggregateKind::kStringAgg:
      if (args->size() == 1) args->push_back(TypeId::kVarchar);
      ALOPEX_RETURN_IF_ERROR(want(2));
      (*args)[0] = TypeId::kVarchar;
      (*args)[1] = TypeId::kVarchar;
      return LogicalType(TypeId::kVarchar);
    case AggregateKind::kList:
      ALOPEX_RETURN_IF_ERROR(want(1));
      if ((*args)[0].id() == TypeId::kNull) (*args)[0] = TypeId::kInteger;
      return LogicalType::List((*args)[0]);
  }
  return mismatch();
}

namespace {

// ---------------------------------------------------------------- counts

class CountState : public AggregateState {
 public:
  explicit CountState(bool star) : star_(star) {}
  void Resize(size_t g) override { counts_.resize(g, 0); }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    int64_t* c = counts_.data();
    if (star_ || !args[0]->MayHaveNulls()) {
      for (size_t i = 0; i < n; i++) c[gids[i]]++;
    } else {
      const Column& a = *args[0];
      for (size_t i = 0; i < n; i++) c[gids[i]] += a.IsValid(i);
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<CountState&>(o);
    for (size_t g = 0; g < og; g++) counts_[map[g]] += other.counts_[g];
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(LogicalType(TypeId::kBigInt), g);
    out->Resize(g);
    std::copy(counts_.begin(), counts_.begin() + g, out->data<int64_t>());
    return Status::OK();
  }

 private:
  bool star_;
  std::vector<int64_t> counts_;
};

// ---------------------------------------------------------------- sums and moments

// sum over BIGINT (int128 accumulator, overflow checked at the end) or DECIMAL.
class IntegerSumState : public AggregateState {
 public:
  explicit IntegerSumState(LogicalType out) : out_(std::move(out)) {}
  void Resize(size_t g) override {
    sums_.resize(g, 0);
    seen_.resize(g, 0);
  }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& a = *args[0];
    const bool wide = a.type().id() == TypeId::kDecimal && a.type().width() > 18;
    for (size_t i = 0; i < n; i++) {
      if (!a.IsValid(i)) continue;
      int128_t v = wide ? a.data<int128_t>()[i] : int128_t(a.data<int64_t>()[i]);
      sums_[gids[i]] += v;
      seen_[gids[i]] = 1;
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<IntegerSumState&>(o);
    for (size_t g = 0; g < og; g++) {
      sums_[map[g]] += other.sums_[g];
      seen_[map[g]] |= other.seen_[g];
    }
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(out_, g);
    out->Resize(g);
    for (size_t i = 0; i < g; i++) {
      if (!seen_[i]) {
        out->SetNull(i);
        continue;
      }
      if (out_.id() == TypeId::kBigInt) {
        if (sums_[i] > INT64_MAX || sums_[i] < INT64_MIN) return Status::OutOfRange("Overflow in SUM: the result does not fit BIGINT");
        out->data<int64_t>()[i] = int64_t(sums_[i]);
      } else {
        out->data<int128_t>()[i] = sums_[i];
      }
    }
    return Status::OK();
  }

 private:
  LogicalType out_;
  std::vector<int128_t> sums_;
  std::vector<uint8_t> seen_;
};

// Sum, count, sum of squares and product over doubles: sum, avg, var/stddev, product.
class DoubleMomentState : public AggregateState {
 public:
  explicit DoubleMomentState(AggregateKind kind) : kind_(kind) {}
  void Resize(size_t g) override {
    sum_.resize(g, 0);
    count_.resize(g, 0);
    if (NeedsSquares()) sq_.resize(g, 0);
    if (kind_ == AggregateKind::kProduct) prod_.resize(g, 1);
  }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& a = *args[0];
    const double* v = a.data<double>();
    double* s = sum_.data();
    int64_t* c = count_.data();
    if (!a.MayHaveNulls() && !NeedsSquares() && kind_ != AggregateKind::kProduct) {
      if (sum_.size() == 1) {
        // One group (no GROUP BY): four independent sums instead of one
        // chain of dependent additions.
        double l[4] = {0, 0, 0, 0};
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
          l[0] += v[i];
          l[1] += v[i + 1];
          l[2] += v[i + 2];
          l[3] += v[i + 3];
        }
        for (; i < n; i++) l[0] += v[i];
        s[0] += (l[0] + l[1]) + (l[2] + l[3]);
        c[0] += int64_t(n);
        return Status::OK();
      }
      for (size_t i = 0; i < n; i++) {
        s[gids[i]] += v[i];
        c[gids[i]]++;
      }
      return Status::OK();
    }
    for (size_t i = 0; i < n; i++) {
      if (!a.IsValid(i)) continue;
      uint32_t g = gids[i];
      s[g] += v[i];
      c[g]++;
      if (NeedsSquares()) sq_[g] += v[i] * v[i];
      if (kind_ == AggregateKind::kProduct) prod_[g] *= v[i];
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<DoubleMomentState&>(o);
    for (size_t g = 0; g < og; g++) {
      sum_[map[g]] += other.sum_[g];
      count_[map[g]] += other.count_[g];
      if (NeedsSquares()) sq_[map[g]] += other.sq_[g];
      if (kind_ == AggregateKind::kProduct) prod_[map[g]] *= other.prod_[g];
    }
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(LogicalType(TypeId::kDouble), g);
    out->Resize(g);
    double* d = out->data<double>();
    for (size_t i = 0; i < g; i++) {
      double n = double(count_[i]);
      bool null = count_[i] == 0;
      double r = 0;
      switch (kind_) {
        case AggregateKind::kSum: r = sum_[i]; break;
        case AggregateKind::kAvg: r = null ? 0 : sum_[i] / n; break;
        case AggregateKind::kProduct: r = prod_[i]; break;
        case AggregateKind::kVarPop:
        case AggregateKind::kStddevPop: {
          double var = null ? 0 : std::max(0.0, sq_[i] / n - (sum_[i] / n) * (sum_[i] / n));
          r = kind_ == AggregateKind::kVarPop ? var : std::sqrt(var);
          break;
        }
        default: {  // sample variance / stddev
          if (count_[i] < 2) {
            null = true;
            break;
          }
          double var = std::max(0.0, (sq_[i] - sum_[i] * sum_[i] / n) / (n - 1));
          r = kind_ == AggregateKind::kVarSamp ? var : std::sqrt(var);
        }
      }
      if (null)
        out->SetNull(i);
      else
        d[i] = r;
    }
    return Status::OK();
  }

 private:
  bool NeedsSquares() const {
    return kind_ == AggregateKind::kVarPop || kind_ == AggregateKind::kVarSamp || kind_ == AggregateKind::kStddevPop ||
           kind_ == AggregateKind::kStddevSamp;
  }
  AggregateKind kind_;
  std::vector<double> sum_, sq_, prod_;
  std::vector<int64_t> count_;
};

// ---------------------------------------------------------------- min / max / first / any / bool

template <typename T, bool kMax>
class FixedMinMaxState : public AggregateState {
 public:
  explicit FixedMinMaxState(LogicalType t) : type_(std::move(t)) {}
  void Resize(size_t g) override {
    best_.resize(g);
    seen_.resize(g, 0);
  }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& a = *args[0];
    const T* v = a.data<T>();
    for (size_t i = 0; i < n; i++) {
      if (!a.IsValid(i)) continue;
      Fold(gids[i], v[i]);
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<FixedMinMaxState&>(o);
    for (size_t g = 0; g < og; g++)
      if (other.seen_[g]) Fold(map[g], other.best_[g]);
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(type_, g);
    out->Resize(g);
    T* d = out->data<T>();
    for (size_t i = 0; i < g; i++) {
      if (seen_[i])
        d[i] = best_[i];
      else
        out->SetNull(i);
    }
    return Status::OK();
  }

 private:
  void Fold(uint32_t g, const T& x) {
    if (!seen_[g]) {
      best_[g] = x;
      seen_[g] = 1;
    } else if (kMax ? best_[g] < x : x < best_[g]) {
      best_[g] = x;
    }
  }
  LogicalType type_;
  std::vector<T> best_;
  std::vector<uint8_t> seen_;
};

// Any type: the chosen value per group lives in a column of the argument's type.
// Handles min, max, first, last, any_value, arg_min, arg_max.
class ValueChoiceState : public AggregateState {
 public:
  ValueChoiceState(AggregateKind kind, LogicalType type, LogicalType key_type)
      : kind_(kind), best_(type), key_(key_type) {}
  void Resize(size_t g) override {
    size_t old = best_.size();
    best_.Resize(g);
    key_.Resize(g);
    for (size_t i = old; i < g; i++) best_.SetNull(i), key_.SetNull(i);
    seen_.resize(g, 0);
  }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& v = *args[0];
    const Column& k = args.size() > 1 ? *args[1] : v;
    for (size_t i = 0; i < n; i++) Fold(gids[i], v, k, i);
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<ValueChoiceState&>(o);
    for (size_t g = 0; g < og; g++)
      if (other.seen_[g]) Fold(map[g], other.best_, other.key_, g, /*from_state=*/true);
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(best_.type(), g);
    out->CopyFrom(best_, 0, 0, g);
    return Status::OK();
  }

 private:
  void Fold(uint32_t g, const Column& v, const Column& k, size_t i, bool from_state = false) {
    switch (kind_) {
      case AggregateKind::kFirst:
      case AggregateKind::kAnyValue:
        if (seen_[g]) return;
        if (kind_ == AggregateKind::kAnyValue && !v.IsValid(i)) return;
        break;
      case AggregateKind::kLast:
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax: {
        if (!v.IsValid(i)) return;
        if (seen_[g]) {
          int c = CompareValues(v, i, best_, g);
          if (kind_ == AggregateKind::kMin ? c >= 0 : c <= 0) return;
        }
        break;
      }
      default: {  // arg_min / arg_max by key
        if (!k.IsValid(i)) return;
        if (seen_[g]) {
          int c = CompareValues(k, i, key_, g);
          if (kind_ == AggregateKind::kArgMin ? c >= 0 : c <= 0) return;
        }
        key_.CopyFrom(k, i, g, 1);
        break;
      }
    }
    best_.CopyFrom(v, i, g, 1);
    seen_[g] = 1;
  }
  AggregateKind kind_;
  Column best_;
  Column key_;
  std::vector<uint8_t> seen_;
};

class BoolState : public AggregateState {
 public:
  explicit BoolState(bool is_and) : and_(is_and) {}
  void Resize(size_t g) override { v_.resize(g, -1); }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& a = *args[0];
    for (size_t i = 0; i < n; i++) {
      if (!a.IsValid(i)) continue;
      Fold(gids[i], a.data<uint8_t>()[i] != 0);
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<BoolState&>(o);
    for (size_t g = 0; g < og; g++)
      if (other.v_[g] >= 0) Fold(map[g], other.v_[g] != 0);
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    *out = Column(LogicalType(TypeId::kBoolean), g);
    out->Resize(g);
    for (size_t i = 0; i < g; i++) {
      if (v_[i] < 0)
        out->SetNull(i);
      else
        out->data<uint8_t>()[i] = uint8_t(v_[i]);
    }
    return Status::OK();
  }

 private:
  void Fold(uint32_t g, bool b) {
    if (v_[g] < 0)
      v_[g] = b;
    else
      v_[g] = and_ ? (v_[g] && b) : (v_[g] || b);
  }
  bool and_;
  std::vector<int8_t> v_;
};

// ---------------------------------------------------------------- collecting states

// Keeps every (group, value) pair; list, string_agg and median are computed at the end.
class CollectState : public AggregateState {
 public:
  CollectState(AggregateKind kind, LogicalType value_type, LogicalType out_type)
      : kind_(kind), values_(value_type), out_type_(std::move(out_type)) {}
  void Resize(size_t g) override { groups_ = std::max(groups_, g); }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    const Column& v = *args[0];
    for (size_t i = 0; i < n; i++) {
      if (kind_ != AggregateKind::kList && !v.IsValid(i)) continue;  // list keeps NULLs, like DuckDB
      values_.AppendRange(v, i, 1);
      gids_.push_back(gids[i]);
      if (kind_ == AggregateKind::kStringAgg) {
        const Column& sep = *args[1];
        separators_.push_back(sep.IsValid(i) ? sep.data<StringRef>()[i].str() : std::string());
      }
    }
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<CollectState&>(o);
    values_.Append(other.values_);
    for (uint32_t g : other.gids_) gids_.push_back(map[g]);
    separators_.insert(separators_.end(), other.separators_.begin(), other.separators_.end());
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    // Stable counting sort of value indexes by group.
    std::vector<uint32_t> start(g + 1, 0);
    for (uint32_t x : gids_) start[x + 1]++;
    for (size_t i = 0; i < g; i++) start[i + 1] += start[i];
    std::vector<uint32_t> order(gids_.size());
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t i = 0; i < gids_.size(); i++) order[fill[gids_[i]]++] = uint32_t(i);
    *out = Column(out_type_, g);
    out->Resize(g);
    if (kind_ == AggregateKind::kList) {
      Column& child = out->child();
      child.Gather(values_, order.data(), order.size());
      for (size_t i = 0; i < g; i++) {
        out->list_entries()[i] = {start[i], start[i + 1] - start[i]};
        if (start[i + 1] == start[i]) out->SetNull(i);
      }
      return Status::OK();
    }
    if (kind_ == AggregateKind::kStringAgg) {
      for (size_t i = 0; i < g; i++) {
        if (start[i + 1] == start[i]) {
          out->SetNull(i);
          continue;
        }
        std::string s;
        for (uint32_t k = start[i]; k < start[i + 1]; k++) {
          if (k > start[i]) s += separators_[order[k]];
          s += values_.GetStringView(order[k]);
        }
        out->SetString(i, s);
      }
      return Status::OK();
    }
    // median
    for (size_t i = 0; i < g; i++) {
      size_t n = start[i + 1] - start[i];
      if (n == 0) {
        out->SetNull(i);
        continue;
      }
      std::vector<uint32_t> idx(order.begin() + start[i], order.begin() + start[i + 1]);
      std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return CompareValues(values_, a, values_, b) < 0; });
      if (out_type_.id() == TypeId::kDouble) {
        const double* d = values_.data<double>();
        double m = n % 2 ? d[idx[n / 2]] : (d[idx[n / 2 - 1]] + d[idx[n / 2]]) / 2;
        out->data<double>()[i] = m;
      } else {
        out->CopyFrom(values_, idx[(n - 1) / 2], i, 1);
      }
    }
    return Status::OK();
  }

 private:
  AggregateKind kind_;
  Column values_;
  LogicalType out_type_;
  std::vector<uint32_t> gids_;
  std::vector<std::string> separators_;
  size_t groups_ = 0;
};

// ---------------------------------------------------------------- DISTINCT and ORDER BY wrappers

// Buffers (group, args..., order keys...) rows; at the end drops duplicates
// (DISTINCT) and/or sorts each group's rows (ORDER BY), then feeds the inner state.
class BufferedState : public AggregateState {
 public:
  BufferedState(std::unique_ptr<AggregateState> inner, std::vector<LogicalType> arg_types, size_t num_args,
                bool distinct, std::vector<bool> desc)
      : inner_(std::move(inner)), num_args_(num_args), distinct_(distinct), desc_(std::move(desc)) {
    for (auto& t : arg_types) rows_.emplace_back(t);
  }
  void Resize(size_t g) override { groups_ = std::max(groups_, g); }
  Status Update(const std::vector<const Column*>& args, const uint32_t* gids, size_t n) override {
    for (size_t c = 0; c < rows_.size(); c++) rows_[c].AppendRange(*args[c], 0, n);
    gids_.insert(gids_.end(), gids, gids + n);
    return Status::OK();
  }
  Status Combine(AggregateState& o, const uint32_t* map, size_t og) override {
    auto& other = static_cast<BufferedState&>(o);
    for (size_t c = 0; c < rows_.size(); c++) rows_[c].Append(other.rows_[c]);
    for (uint32_t g : other.gids_) gids_.push_back(map[g]);
    return Status::OK();
  }
  Status Finalize(size_t g, Column* out) override {
    size_t n = gids_.size();
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (gids_[a] != gids_[b]) return gids_[a] < gids_[b];
      for (size_t k = 0; k < desc_.size(); k++) {
        const Column& c = rows_[num_args_ + k];
        bool va = c.IsValid(a), vb = c.IsValid(b);
        if (!va || !vb) {
          if (va == vb) continue;
          return va;  // NULLS LAST
        }
        int r = CompareValues(c, a, c, b);
        if (r) return desc_[k] ? r > 0 : r < 0;
      }
      return false;
    });
    if (distinct_) {
      // Drop rows equal (group and arguments) to an earlier kept row.
      std::vector<uint64_t> h(n, 0);
      for (size_t c = 0; c < num_args_; c++) HashColumn(rows_[c], h.data(), n, true);
      std::unordered_multimap<uint64_t, uint32_t> seen;
      std::vector<uint32_t> kept;
      for (uint32_t r : order) {
        uint64_t key = CombineHash(h[r], gids_[r]);
        bool dup = false;
        auto range = seen.equal_range(key);
        for (auto it = range.first; it != range.second && !dup; ++it) {
          uint32_t o = it->second;
          if (gids_[o] != gids_[r]) continue;
          bool eq = true;
          for (size_t c = 0; c < num_args_ && eq; c++) {
            bool va = rows_[c].IsValid(o), vb = rows_[c].IsValid(r);
            eq = va == vb && (!va || ValuesEqual(rows_[c], o, rows_[c], r));
          }
          dup = eq;
        }
        if (!dup) {
          seen.emplace(key, r);
          kept.push_back(r);
        }
      }
      order.swap(kept);
    }
    inner_->Resize(g);
    std::vector<Column> args;
    for (size_t c = 0; c < num_args_; c++) {
      Column col(rows_[c].type(), order.size());
      col.Gather(rows_[c], order.data(), order.size());
      args.push_back(std::move(col));
    }
    std::vector<uint32_t> gids(order.size());
    for (size_t i = 0; i < order.size(); i++) gids[i] = gids_[order[i]];
    std::vector<const Column*> ptrs;
    for (auto& c : args) ptrs.push_back(&c);
    ALOPEX_RETURN_IF_ERROR(inner_->Update(ptrs, gids.data(), gids.size()));
    return inner_->Finalize(g, out);
  }

 private:
  std::unique_ptr<AggregateState> inner_;
  size_t num_args_;
  bool distinct_;
  std::vector<bool> desc_;
  std::vector<Column> rows_;
  std::vector<uint32_t> gids_;
  size_t groups_ = 0;
};

std::unique_ptr<AggregateState> MakePlainState(const BoundAggregate& a) {
  const LogicalType arg = a.args.empty() ? LogicalType() : a.args[0]->type;
  switch (a.kind) {
    case AggregateKind::kCountStar: return std::make_unique<CountState>(true);
    case AggregateKind::kCount: return std::make_unique<CountState>(false);
    case AggregateKind::kSum:
      if (a.type.id() == TypeId::kDouble) return std::make_unique<DoubleMomentState>(a.kind);
      return std::make_unique<IntegerSumState>(a.type);
    case AggregateKind::kAvg:
    case AggregateKind::kProduct:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kStddevPop:
    case AggregateKind::kVarSamp:
    case AggregateKind::kVarPop:
      return std::make_unique<DoubleMomentState>(a.kind);
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      bool mx = a.kind == AggregateKind::kMax;
      switch (arg.id()) {
        case TypeId::kInteger: case TypeId::kDate:
          if (mx) return std::make_unique<FixedMinMaxState<int32_t, true>>(arg);
          return std::make_unique<FixedMinMaxState<int32_t, false>>(arg);
        case TypeId::kBigInt: case TypeId::kTimestamp: case TypeId::kTimestampTz: case TypeId::kTime:
          if (mx) return std::make_unique<FixedMinMaxState<int64_t, true>>(arg);
          return std::make_unique<FixedMinMaxState<int64_t, false>>(arg);
        case TypeId::kDouble:
          if (mx) return std::make_unique<FixedMinMaxState<double, true>>(arg);
          return std::make_unique<FixedMinMaxState<double, false>>(arg);
        default:
          return std::make_unique<ValueChoiceState>(a.kind, arg, arg);
      }
    }
    case AggregateKind::kFirst:
    case AggregateKind::kLast:
    case AggregateKind::kAnyValue:
      return std::make_unique<ValueChoiceState>(a.kind, arg, arg);
    case AggregateKind::kArgMin:
    case AggregateKind::kArgMax:
      return std::make_unique<ValueChoiceState>(a.kind, arg, a.args[1]->type);
    case AggregateKind::kBoolAnd: return std::make_unique<BoolState>(true);
    case AggregateKind::kBoolOr: return std::make_unique<BoolState>(false);
    case AggregateKind::kStringAgg:
    case AggregateKind::kList:
    case AggregateKind::kMedian:
      return std::make_unique<CollectState>(a.kind, arg, a.type);
    case AggregateKind::kApproxCountDistinct:
      return std::make_unique<CountState>(false);  // wrapped as DISTINCT by MakeAggregateState
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<AggregateState> MakeAggregateState(const BoundAggregate& a) {
  auto plain = MakePlainState(a);
  bool distinct = a.distinct || a.kind == AggregateKind::kApproxCountDistinct;
  if (!distinct && a.order_by.empty()) return plain;
  std::vector<LogicalType> types;
  for (const auto& e : a.args) types.push_back(e->type);
  for (const auto& e : a.order_by) types.push_back(e->type);
  return std::make_unique<BufferedState>(std::move(plain), std::move(types), a.args.size(), distinct, a.order_desc);
}

}  // namespace alopex
