// Comparison operators (= <> < > <= >=, IS [NOT] DISTINCT FROM) over every
// comparable type, and the boolean connectives AND / OR / NOT with SQL's
// three-valued logic. Arguments are first cast to their common super type.
#include <cmath>
#include <cstring>

#include "common/cast.h"
#include "common/datetime.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

template <typename T>
inline int Cmp3(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    bool na = std::isnan(a), nb = std::isnan(b);
    if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Compares child rows where either may be NULL: NULL sorts last.
int CompareNullable(const Column& a, size_t i, const Column& b, size_t j) {
  bool va = a.IsValid(i), vb = b.IsValid(j);
  if (!va || !vb) return va == vb ? 0 : (va ? -1 : 1);
  return CompareValues(a, i, b, j);
}

enum class CmpOp { kEq, kNe, kLt, kGt, kLe, kGe };

inline bool Apply(CmpOp op, int c) {
  switch (op) {
    case CmpOp::kEq: return c == 0;
    case CmpOp::kNe: return c != 0;
    case CmpOp::kLt: return c < 0;
    case CmpOp::kGt: return c > 0;
    case CmpOp::kLe: return c <= 0;
    case CmpOp::kGe: return c >= 0;
  }
  return false;
}

template <typename T, CmpOp Op>
void TypedCompare(const T* a, const T* b, uint8_t* r, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    for (size_t i = 0; i < n; i++) {
      if constexpr (Op == CmpOp::kEq) r[i] = a[i] == b[i];
      if constexpr (Op == CmpOp::kNe) r[i] = a[i] != b[i];
      if constexpr (Op == CmpOp::kLt) r[i] = a[i] < b[i];
      if constexpr (Op == CmpOp::kGt) r[i] = a[i] > b[i];
      if constexpr (Op == CmpOp::kLe) r[i] = a[i] <= b[i];
      if constexpr (Op == CmpOp::kGe) r[i] = a[i] >= b[i];
    }
  } else {
    for (size_t i = 0; i < n; i++) r[i] = Apply(Op, Cmp3(a[i], b[i]));
  }
}

template <CmpOp Op>
void CompareColumns(const Column& a, const Column& b, uint8_t* r, size_t n) {
  TypeId t = a.type().id();
  bool done = false;
  switch (t) {
    case TypeId::kBoolean: TypedCompare<uint8_t, Op>(a.data<uint8_t>(), b.data<uint8_t>(), r, n); return;
    case TypeId::kDate: TypedCompare<int32_t, Op>(a.data<int32_t>(), b.data<int32_t>(), r, n); return;
    case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      TypedCompare<int64_t, Op>(a.data<int64_t>(), b.data<int64_t>(), r, n);
      return;
    case TypeId::kDecimal:
      if (a.type().width() <= 18) {
        TypedCompare<int64_t, Op>(a.data<int64_t>(), b.data<int64_t>(), r, n);
        return;
      }
      break;
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: {
      const StringRef* x = a.data<StringRef>();
      const StringRef* y = b.data<StringRef>();
      if constexpr (Op == CmpOp::kEq) {
        for (size_t i = 0; i < n; i++) r[i] = x[i] == y[i];
      } else if constexpr (Op == CmpOp::kNe) {
        for (size_t i = 0; i < n; i++) r[i] = !(x[i] == y[i]);
      } else {
        for (size_t i = 0; i < n; i++) r[i] = Apply(Op, x[i].Compare(y[i]));
      }
      return;
    }
    case TypeId::kNull: std::memset(r, 0, n); return;
    default: break;
  }
  done = DispatchNumeric(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    TypedCompare<T, Op>(a.data<T>(), b.data<T>(), r, n);
  });
  if (done) return;
  for (size_t i = 0; i < n; i++) r[i] = (a.IsValid(i) && b.IsValid(i)) ? Apply(Op, CompareValues(a, i, b, i)) : 0;
}

Result<LogicalType> ComparisonType(const ScalarBindInput& in) {
  const LogicalType& a = in.arg_types[0];
  const LogicalType& b = in.arg_types[1];
  auto t = CommonSuperType(a, b);
  if (!t.ok())
    return Status::BinderError("Cannot compare values of type " + a.ToString() + " and " + b.ToString() + " in " +
                               CallString(in.name, in.arg_types) + ": an explicit cast is required");
  LogicalType type = *t;
  if (type.id() == TypeId::kList && type.child().id() == TypeId::kNull) type = LogicalType::List(TypeId::kInteger);
  return type;
}

template <CmpOp Op>
Result<BoundScalarFunction> BindCompare(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, ComparisonType(in));
  return MakeBound(in, {t, t}, TypeId::kBoolean, [](ScalarCall& call) -> Status {
    CompareColumns<Op>(*call.args[0], *call.args[1], call.out->data<uint8_t>(), call.count);
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindDistinct(const ScalarBindInput& in, bool distinct) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, ComparisonType(in));
  auto f = MakeBound(in, {t, t}, TypeId::kBoolean, [distinct](ScalarCall& call) -> Status {
    const Column& a = *call.args[0];
    const Column& b = *call.args[1];
    uint8_t* r = call.out->data<uint8_t>();
    CompareColumns<CmpOp::kEq>(a, b, r, call.count);
    for (size_t i = 0; i < call.count; i++) {
      bool va = a.IsValid(i), vb = b.IsValid(i);
      bool equal = (!va && !vb) || (va && vb && r[i]);
      r[i] = distinct ? !equal : equal;
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindConnective(const ScalarBindInput& in, bool is_and) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, SIZE_MAX));
  for (const auto& t : in.arg_types)
    if (t.id() != TypeId::kBoolean && t.id() != TypeId::kNull && !CanCast(t, TypeId::kBoolean))
      return NoMatch(in, std::string(is_and ? "and" : "or") + "(BOOLEAN, BOOLEAN)");
  std::vector<LogicalType> args(in.arg_types.size(), TypeId::kBoolean);
  auto f = MakeBound(in, args, TypeId::kBoolean, [is_and](ScalarCall& call) -> Status {
    uint8_t* r = call.out->data<uint8_t>();
    for (size_t i = 0; i < call.count; i++) {
      bool decided = false, any_null = false;
      for (const Column* c : call.args) {
        if (!c->IsValid(i)) {
          any_null = true;
          continue;
        }
        bool v = c->data<uint8_t>()[i] != 0;
        if (v != is_and) {  // false decides AND, true decides OR
          decided = true;
          break;
        }
      }
      if (decided) {
        r[i] = !is_and;
      } else if (any_null) {
        r[i] = 0;
        call.out->SetNull(i);
      } else {
        r[i] = is_and;
      }
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

inline uint64_t Combine(uint64_t a, uint64_t b) { return Mix(a * kMul + b); }

uint64_t HashBytes(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t h = 0x2545F4914F6CDD1DULL ^ (n * kMul);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ Mix(w)) * kMul;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < n; k++) tail |= uint64_t(p[i + k]) << (8 * k);
  return Mix(h ^ Mix(tail ^ n));
}

}  // namespace

int CompareValues(const Column& a, size_t i, const Column& b, size_t j) {
  const LogicalType& t = a.type();
  switch (t.id()) {
    case TypeId::kNull: return 0;
    case TypeId::kBoolean: return Cmp3(a.data<uint8_t>()[i], b.data<uint8_t>()[j]);
    case TypeId::kDate: return Cmp3(a.data<int32_t>()[i], b.data<int32_t>()[j]);
    case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      return Cmp3(a.data<int64_t>()[i], b.data<int64_t>()[j]);
    case TypeId::kDecimal: return Cmp3(ReadDecimal(a, i), ReadDecimal(b, j));
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson:
      return a.data<StringRef>()[i].Compare(b.data<StringRef>()[j]);
    case TypeId::kInterval: return CompareIntervals(a.data<Interval>()[i], b.data<Interval>()[j]);
    case TypeId::kUuid: {
      const Uuid& x = a.data<Uuid>()[i];
      const Uuid& y = b.data<Uuid>()[j];
      return x < y ? -1 : (x == y ? 0 : 1);
    }
    case TypeId::kVector: {
      int n = std::min(t.dimension(), b.type().dimension());
      const float* x = a.vector_row(i);
      const float* y = b.vector_row(j);
      for (int k = 0; k < n; k++) {
        int c = Cmp3(x[k], y[k]);
        if (c) return c;
      }
      return Cmp3(t.dimension(), b.type().dimension());
    }
    case TypeId::kList: case TypeId::kMap: {
      const ListEntry& x = a.list_entries()[i];
      const ListEntry& y = b.list_entries()[j];
      uint64_t n = std::min(x.length, y.length);
      for (uint64_t k = 0; k < n; k++) {
        int c = CompareNullable(a.child(), x.offset + k, b.child(), y.offset + k);
        if (c) return c;
      }
      return Cmp3(x.length, y.length);
    }
    case TypeId::kStruct: {
      size_t n = std::min(a.children().size(), b.children().size());
      for (size_t f = 0; f < n; f++) {
        int c = CompareNullable(a.child(f), i, b.child(f), j);
        if (c) return c;
      }
      return 0;
    }
    default: break;
  }
  int result = 0;
  DispatchNumeric(t.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    result = Cmp3(a.data<T>()[i], b.data<T>()[j]);
  });
  return result;
}

uint64_t HashRow(const Column& c, size_t i) {
  if (!c.IsValid(i)) return 0xBF58476D1CE4E5B9ULL;
  const LogicalType& t = c.type();
  switch (t.id()) {
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: {
      std::string_view s = c.GetStringView(i);
      return HashBytes(s.data(), s.size());
    }
    case TypeId::kList: case TypeId::kMap: {
      const ListEntry& e = c.list_entries()[i];
      uint64_t h = Mix(e.length + 0x1234);
      for (uint64_t k = 0; k < e.length; k++) h = Combine(h, HashRow(c.child(), e.offset + k));
      return h;
    }
    case TypeId::kStruct: {
      uint64_t h = 0x5678;
      for (const auto& ch : c.children()) h = Combine(h, HashRow(ch, i));
      return h;
    }
    case TypeId::kFloat: {
      double d = c.data<float>()[i];
      if (d == 0) d = 0;  // -0 == 0
      return HashBytes(&d, sizeof(d));
    }
    case TypeId::kDouble: {
      double d = c.data<double>()[i];
      if (d == 0) d = 0;
      return HashBytes(&d, sizeof(d));
    }
    default: {
      size_t w = PhysicalSize(t);
      return HashBytes(c.raw_data() + i * w, w);
    }
  }
}

void RegisterComparisonFunctions(FunctionRegistry& r) {
  r.Register("=", BindCompare<CmpOp::kEq>);
  r.Register("<>", BindCompare<CmpOp::kNe>);
  r.Register("<", BindCompare<CmpOp::kLt>);
  r.Register(">", BindCompare<CmpOp::kGt>);
  r.Register("<=", BindCompare<CmpOp::kLe>);
  r.Register(">=", BindCompare<CmpOp::kGe>);
  r.Alias("==", "=");
  r.Alias("!=", "<>");
  r.Register("is distinct from", [](const ScalarBindInput& in) { return BindDistinct(in, true); });
  r.Register("is not distinct from", [](const ScalarBindInput& in) { return BindDistinct(in, false); });
  r.Register("and", [](const ScalarBindInput& in) { return BindConnective(in, true); });
  r.Register("or", [](const ScalarBindInput& in) { return BindConnective(in, false); });
  r.Register("not", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    const LogicalType& t = in.arg_types[0];
    if (t.id() != TypeId::kBoolean && t.id() != TypeId::kNull && !CanImplicitlyCast(t, TypeId::kBoolean) &&
        !t.IsNumeric())
      return NoMatch(in, "not(BOOLEAN)");
    return MakeBound(in, {TypeId::kBoolean}, TypeId::kBoolean, UnaryKernel<uint8_t, uint8_t>([](uint8_t v) {
                       return v == 0;
                     }));
  });
}

}  // namespace alopex::functions
