// Arithmetic operators: + - * / // % ^ and negate, over numbers (integer
// overflow is an error, division by zero is an error), decimals (exact, with
// the result scale DuckDB uses), and date/time/interval arithmetic.
#include <cmath>
#include <cstring>
#include <limits>

#include "common/cast.h"
#include "common/datetime.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const char* OpWord(char op) {
  switch (op) {
    case '+': return "addition";
    case '-': return "subtraction";
    case '*': return "multiplication";
    case '/': return "division";
    case '%': return "modulo";
    default: return "operation";
  }
}

Status OverflowError(char op, const LogicalType& type, const Column& a, size_t i, const Column& b) {
  std::string sym = op == 'd' ? "//" : std::string(1, op);
  return Status::OutOfRange("Overflow in " + std::string(OpWord(op == 'd' ? '/' : op)) + " of " + type.ToString() +
                            " (" + FormatValue(a, i) + " " + sym + " " + FormatValue(b, i) + ")");
}

Status DivisionByZero() { return Status::OutOfRange("Division by zero"); }

// ---------------------------------------------------------------- integer kernels

template <typename T>
bool CheckedOp(char op, T a, T b, T* r) {
  switch (op) {
    case '+': return __builtin_add_overflow(a, b, r);
    case '-': return __builtin_sub_overflow(a, b, r);
    case '*': return __builtin_mul_overflow(a, b, r);
    default: return false;
  }
}

template <typename T, char Op>
ScalarKernel IntegerKernel(LogicalType type) {
  return [type](ScalarCall& call) -> Status {
    const Column& ca = *call.args[0];
    const Column& cb = *call.args[1];
    const T* a = ca.data<T>();
    const T* b = cb.data<T>();
    T* r = call.out->data<T>();
    size_t n = call.count;
    if constexpr (Op == '+' || Op == '-' || Op == '*') {
      bool overflow = false;
      for (size_t i = 0; i < n; i++) overflow |= CheckedOp<T>(Op, a[i], b[i], &r[i]);
      if (overflow) {
        for (size_t i = 0; i < n; i++) {
          T tmp;
          if (CheckedOp<T>(Op, a[i], b[i], &tmp) && ca.IsValid(i) && cb.IsValid(i))
            return OverflowError(Op, type, ca, i, cb);
        }
      }
    } else {
      // '/'-like integer ops: // and %.
      for (size_t i = 0; i < n; i++) {
        if (b[i] == 0 || (std::is_signed_v<T> && b[i] == T(-1) && a[i] == std::numeric_limits<T>::min())) {
          if (!ca.IsValid(i) || !cb.IsValid(i)) {
            r[i] = 0;
            continue;
          }
          if (b[i] == 0) return DivisionByZero();
          if (Op == '%') {
            r[i] = 0;
            continue;
          }
          return OverflowError('d', type, ca, i, cb);
        }
        r[i] = Op == 'd' ? T(a[i] / b[i]) : T(a[i] % b[i]);
      }
    }
    return Status::OK();
  };
}

template <typename T>
ScalarKernel FloatKernel(char op) {
  return [op](ScalarCall& call) -> Status {
    const Column& ca = *call.args[0];
    const Column& cb = *call.args[1];
    const T* a = ca.data<T>();
    const T* b = cb.data<T>();
    T* r = call.out->data<T>();
    size_t n = call.count;
    switch (op) {
      case '+': for (size_t i = 0; i < n; i++) r[i] = a[i] + b[i]; break;
      case '-': for (size_t i = 0; i < n; i++) r[i] = a[i] - b[i]; break;
      case '*': for (size_t i = 0; i < n; i++) r[i] = a[i] * b[i]; break;
      case '^': for (size_t i = 0; i < n; i++) r[i] = T(std::pow(a[i], b[i])); break;
      case '/': case 'd': case '%': {
        bool zero = false;
        for (size_t i = 0; i < n; i++) zero |= b[i] == T(0);
        if (zero)
          for (size_t i = 0; i < n; i++)
            if (b[i] == T(0) && ca.IsValid(i) && cb.IsValid(i)) return DivisionByZero();
        if (op == '/')
          for (size_t i = 0; i < n; i++) r[i] = a[i] / b[i];
        else if (op == 'd')
          for (size_t i = 0; i < n; i++) r[i] = std::trunc(a[i] / b[i]);
        else
          for (size_t i = 0; i < n; i++) r[i] = std::fmod(a[i], b[i]);
        break;
      }
    }
    return Status::OK();
  };
}

// ---------------------------------------------------------------- decimals

ScalarKernel DecimalKernel(char op, LogicalType result) {
  __int128 limit = DecimalPow10(result.width());
  return [op, result, limit](ScalarCall& call) -> Status {
    const Column& ca = *call.args[0];
    const Column& cb = *call.args[1];
    for (size_t i = 0; i < call.count; i++) {
      __int128 a = ReadDecimal(ca, i), b = ReadDecimal(cb, i), r = 0;
      bool overflow = CheckedOp<__int128>(op, a, b, &r) || r >= limit || r <= -limit;
      if (overflow) {
        if (ca.IsValid(i) && cb.IsValid(i)) return OverflowError(op, result, ca, i, cb);
        r = 0;
      }
      WriteDecimal(call.out, i, r);
    }
    return Status::OK();
  };
}

int IntegerDigits(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return 1;
    case TypeId::kTinyInt: case TypeId::kUTinyInt: return 3;
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return 5;
    case TypeId::kInteger: case TypeId::kUInteger: return 10;
    case TypeId::kBigInt: return 19;
    default: return 20;
  }
}

LogicalType AsDecimal(const LogicalType& t) {
  if (t.id() == TypeId::kDecimal) return t;
  return LogicalType::Decimal(std::min(38, IntegerDigits(t.id())), 0);
}

// ---------------------------------------------------------------- temporal kernels

Status DateOverflow(const char* what) { return Status::OutOfRange(std::string("Date out of range in ") + what); }

ScalarKernel DatePlusDays(bool date_first, int sign) {
  return [date_first, sign](ScalarCall& call) -> Status {
    const Column& cd = *call.args[date_first ? 0 : 1];
    const Column& cn = *call.args[date_first ? 1 : 0];
    const int32_t* d = cd.data<int32_t>();
    int32_t* r = call.out->data<int32_t>();
    for (size_t i = 0; i < call.count; i++) {
      int64_t v = int64_t(d[i]) + sign * GetInt(cn, i);
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        if (cd.IsValid(i) && cn.IsValid(i)) return DateOverflow("date arithmetic");
        v = 0;
      }
      r[i] = int32_t(v);
    }
    return Status::OK();
  };
}

// ts_kind: 'd' for DATE (promoted to a timestamp), 't' for TIMESTAMP[TZ], 'h' for TIME.
ScalarKernel TemporalPlusInterval(char kind, bool temporal_first, int sign) {
  return [=](ScalarCall& call) -> Status {
    const Column& ct = *call.args[temporal_first ? 0 : 1];
    const Column& ci = *call.args[temporal_first ? 1 : 0];
    const Interval* iv = ci.data<Interval>();
    for (size_t i = 0; i < call.count; i++) {
      Interval v = iv[i];
      if (sign < 0) v = {-v.months, -v.days, -v.micros};
      if (kind == 'h') {
        int64_t t = ct.data<int64_t>()[i];
        call.out->data<int64_t>()[i] = FloorMod(t + v.micros, kMicrosPerDay);
        continue;
      }
      int64_t ts = kind == 'd' ? int64_t(ct.data<int32_t>()[i]) * kMicrosPerDay : ct.data<int64_t>()[i];
      int64_t r;
      if (!TryAddInterval(ts, v, &r)) {
        if (ct.IsValid(i) && ci.IsValid(i)) return DateOverflow("interval arithmetic");
        r = 0;
      }
      call.out->data<int64_t>()[i] = r;
    }
    return Status::OK();
  };
}

ScalarKernel IntervalPlusInterval(int sign) {
  return [sign](ScalarCall& call) -> Status {
    const Interval* a = call.args[0]->data<Interval>();
    const Interval* b = call.args[1]->data<Interval>();
    Interval* r = call.out->data<Interval>();
    for (size_t i = 0; i < call.count; i++)
      r[i] = {a[i].months + sign * b[i].months, a[i].days + sign * b[i].days, a[i].micros + sign * b[i].micros};
    return Status::OK();
  };
}

Interval ScaleInterval(const Interval& iv, double f) {
  double months = iv.months * f;
  double whole_months = std::trunc(months);
  double days = iv.days * f + (months - whole_months) * 30;
  double whole_days = std::trunc(days);
  double micros = double(iv.micros) * f + (days - whole_days) * double(kMicrosPerDay);
  return {int32_t(whole_months), int32_t(whole_days), int64_t(std::llround(micros))};
}

// interval * number, number * interval, interval / number.
ScalarKernel IntervalScale(bool interval_first, bool divide) {
  return [=](ScalarCall& call) -> Status {
    const Column& ci = *call.args[interval_first ? 0 : 1];
    const Column& cn = *call.args[interval_first ? 1 : 0];
    const Interval* iv = ci.data<Interval>();
    Interval* r = call.out->data<Interval>();
    bool integral = cn.type().IsInteger();
    for (size_t i = 0; i < call.count; i++) {
      if (divide) {
        double d = GetDouble(cn, i);
        if (d == 0) {
          if (ci.IsValid(i) && cn.IsValid(i)) return DivisionByZero();
          r[i] = {};
          continue;
        }
        r[i] = ScaleInterval(iv[i], 1.0 / d);
      } else if (integral) {
        int64_t k = GetInt(cn, i);
        r[i] = {int32_t(iv[i].months * k), int32_t(iv[i].days * k), iv[i].micros * k};
      } else {
        r[i] = ScaleInterval(iv[i], GetDouble(cn, i));
      }
    }
    return Status::OK();
  };
}

bool IsTs(TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kTimestampTz; }

// ---------------------------------------------------------------- binders

Result<BoundScalarFunction> BindNumeric(const ScalarBindInput& in, char op, LogicalType a, LogicalType b) {
  if (a.id() == TypeId::kNull && b.id() == TypeId::kNull) a = b = TypeId::kInteger;
  if (a.id() == TypeId::kNull) a = b;
  if (b.id() == TypeId::kNull) b = a;
  if (!(a.IsNumeric() || a.id() == TypeId::kBoolean) || !(b.IsNumeric() || b.id() == TypeId::kBoolean))
    return Status::InvalidArgument("");
  if (a.id() == TypeId::kBoolean || b.id() == TypeId::kBoolean) return Status::InvalidArgument("");
  if (op == '/' || op == '^') {
    return MakeBound(in, {TypeId::kDouble, TypeId::kDouble}, TypeId::kDouble, FloatKernel<double>(op));
  }
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, CommonSuperType(a, b));
  if (t.id() == TypeId::kDecimal) {
    if (op == '%' || op == 'd') {
      return MakeBound(in, {TypeId::kDouble, TypeId::kDouble}, TypeId::kDouble, FloatKernel<double>(op));
    }
    LogicalType da = AsDecimal(a), db = AsDecimal(b);
    if (op == '*') {
      int scale = da.scale() + db.scale();
      if (scale > 38)
        return MakeBound(in, {TypeId::kDouble, TypeId::kDouble}, TypeId::kDouble, FloatKernel<double>(op));
      LogicalType result = LogicalType::Decimal(std::min(38, da.width() + db.width()), scale);
      return MakeBound(in, {da, db}, result, DecimalKernel(op, result));
    }
    int scale = std::max(da.scale(), db.scale());
    int int_digits = std::max(da.width() - da.scale(), db.width() - db.scale());
    LogicalType ta = LogicalType::Decimal(std::min(38, da.width() - da.scale() + scale), scale);
    LogicalType tb = LogicalType::Decimal(std::min(38, db.width() - db.scale() + scale), scale);
    LogicalType result = LogicalType::Decimal(std::min(38, int_digits + scale + 1), scale);
    return MakeBound(in, {ta, tb}, result, DecimalKernel(op, result));
  }
  ScalarKernel kernel;
  DispatchNumeric(t.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      kernel = FloatKernel<T>(op);
    } else {
      switch (op) {
        case '+': kernel = IntegerKernel<T, '+'>(t); break;
        case '-': kernel = IntegerKernel<T, '-'>(t); break;
        case '*': kernel = IntegerKernel<T, '*'>(t); break;
        case 'd': kernel = IntegerKernel<T, 'd'>(t); break;
        case '%': kernel = IntegerKernel<T, '%'>(t); break;
      }
    }
  });
  if (!kernel) return Status::InvalidArgument("");
  return MakeBound(in, {t, t}, t, kernel);
}

std::string OpName(char op) {
  switch (op) {
    case 'd': return "//";
    default: return std::string(1, op);
  }
}

Result<BoundScalarFunction> BindNegate(const ScalarBindInput& in) {
  LogicalType t = in.arg_types[0];
  if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  if (t.id() == TypeId::kInterval) {
    return MakeBound(in, {t}, t, UnaryKernel<Interval, Interval>([](const Interval& v) {
                       return Interval{-v.months, -v.days, -v.micros};
                     }));
  }
  if (t.id() == TypeId::kDecimal) {
    return MakeBound(in, {t}, t, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) WriteDecimal(call.out, i, -ReadDecimal(*call.args[0], i));
      return Status::OK();
    });
  }
  if (t.IsInteger() && !t.IsSigned()) {
    // -x of an unsigned value: in the next signed type.
    LogicalType s = t.id() == TypeId::kUTinyInt ? TypeId::kSmallInt
                    : t.id() == TypeId::kUSmallInt ? TypeId::kInteger
                                                   : TypeId::kBigInt;
    t = s;
  }
  ScalarKernel kernel;
  LogicalType type = t;
  DispatchNumeric(t.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      kernel = UnaryKernel<T, T>([](T v) { return -v; });
    } else if constexpr (std::is_signed_v<T>) {
      kernel = [type](ScalarCall& call) -> Status {
        const Column& a = *call.args[0];
        const T* src = a.data<T>();
        T* r = call.out->data<T>();
        for (size_t i = 0; i < call.count; i++) {
          if (src[i] == std::numeric_limits<T>::min()) {
            if (a.IsValid(i))
              return Status::OutOfRange("Overflow in negation of " + type.ToString() + " (-" + FormatValue(a, i) + ")");
            r[i] = 0;
            continue;
          }
          r[i] = T(-src[i]);
        }
        return Status::OK();
      };
    }
  });
  if (!kernel) return NoMatch(in, std::vector<std::string>{"-(NUMERIC)", "-(INTERVAL)"});
  return MakeBound(in, {t}, t, kernel);
}

Result<BoundScalarFunction> BindArithmetic(const ScalarBindInput& in, char op) {
  std::string name = OpName(op);
  if (in.arg_types.size() == 1 && (op == '-' || op == '+')) {
    if (op == '-') return BindNegate(in);
    LogicalType t = in.arg_types[0].id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : in.arg_types[0];
    return MakeBound(in, {t}, t, [](ScalarCall& call) -> Status {
      call.out->CopyFrom(*call.args[0], 0, 0, call.count);
      return Status::OK();
    });
  }
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  LogicalType a = in.arg_types[0], b = in.arg_types[1];
  TypeId x = a.id(), y = b.id();
  // A bare NULL takes the partner type that makes sense for temporal operands.
  if (x == TypeId::kNull && (b.IsTemporal())) a = (y == TypeId::kDate && op == '+') ? LogicalType(TypeId::kBigInt) : LogicalType(TypeId::kInterval), x = a.id();
  if (y == TypeId::kNull && (a.IsTemporal())) b = (x == TypeId::kDate) ? LogicalType(TypeId::kBigInt) : LogicalType(TypeId::kInterval), y = b.id();
  bool xi = a.IsInteger(), yi = b.IsInteger();
  LogicalType big(TypeId::kBigInt), iv(TypeId::kInterval);
  if (op == '+' || op == '-') {
    int sign = op == '+' ? 1 : -1;
    if (x == TypeId::kDate && yi) return MakeBound(in, {a, big}, TypeId::kDate, DatePlusDays(true, sign));
    if (xi && y == TypeId::kDate && op == '+') return MakeBound(in, {big, b}, TypeId::kDate, DatePlusDays(false, 1));
    if (x == TypeId::kDate && y == TypeId::kDate && op == '-')
      return MakeBound(in, {a, b}, TypeId::kBigInt, BinaryKernel<int32_t, int32_t, int64_t>([](int32_t p, int32_t q) {
                         return int64_t(p) - int64_t(q);
                       }));
    if (x == TypeId::kDate && y == TypeId::kInterval)
      return MakeBound(in, {a, b}, TypeId::kTimestamp, TemporalPlusInterval('d', true, sign));
    if (x == TypeId::kInterval && y == TypeId::kDate && op == '+')
      return MakeBound(in, {a, b}, TypeId::kTimestamp, TemporalPlusInterval('d', false, 1));
    if (IsTs(x) && y == TypeId::kInterval) return MakeBound(in, {a, b}, a, TemporalPlusInterval('t', true, sign));
    if (x == TypeId::kInterval && IsTs(y) && op == '+') return MakeBound(in, {a, b}, b, TemporalPlusInterval('t', false, 1));
    if (x == TypeId::kTime && y == TypeId::kInterval) return MakeBound(in, {a, b}, a, TemporalPlusInterval('h', true, sign));
    if (x == TypeId::kInterval && y == TypeId::kTime && op == '+')
      return MakeBound(in, {a, b}, b, TemporalPlusInterval('h', false, 1));
    if (x == TypeId::kInterval && y == TypeId::kInterval) return MakeBound(in, {a, b}, a, IntervalPlusInterval(sign));
    if (x == TypeId::kDate && y == TypeId::kTime && op == '+')
      return MakeBound(in, {a, b}, TypeId::kTimestamp, BinaryKernel<int32_t, int64_t, int64_t>([](int32_t d, int64_t t) {
                         return int64_t(d) * kMicrosPerDay + t;
                       }));
    if (op == '-' && (IsTs(x) || x == TypeId::kDate) && (IsTs(y) || y == TypeId::kDate) && !(x == TypeId::kDate && y == TypeId::kDate)) {
      LogicalType t = (x == TypeId::kTimestampTz || y == TypeId::kTimestampTz) ? TypeId::kTimestampTz : TypeId::kTimestamp;
      return MakeBound(in, {t, t}, TypeId::kInterval, BinaryKernel<int64_t, int64_t, Interval>(SubtractTimestamps));
    }
    if (x == TypeId::kTime && y == TypeId::kTime && op == '-')
      return MakeBound(in, {a, b}, TypeId::kInterval, BinaryKernel<int64_t, int64_t, Interval>([](int64_t p, int64_t q) {
                         return Interval{0, 0, p - q};
                       }));
  }
  if (op == '*' && x == TypeId::kInterval && (b.IsNumeric()))
    return MakeBound(in, {a, yi ? big : LogicalType(TypeId::kDouble)}, iv, IntervalScale(true, false));
  if (op == '*' && y == TypeId::kInterval && (a.IsNumeric()))
    return MakeBound(in, {xi ? big : LogicalType(TypeId::kDouble), b}, iv, IntervalScale(false, false));
  if (op == '/' && x == TypeId::kInterval && b.IsNumeric())
    return MakeBound(in, {a, TypeId::kDouble}, iv, IntervalScale(true, true));
  auto r = BindNumeric(in, op, a, b);
  if (r.ok()) return r;
  if (!r.status().message().empty()) return r.status();
  std::vector<std::string> cands = {name + "(NUMERIC, NUMERIC)"};
  if (op == '+' || op == '-')
    for (const char* c : {"(DATE, INTEGER)", "(DATE, INTERVAL)", "(TIMESTAMP, INTERVAL)", "(INTERVAL, INTERVAL)"})
      cands.push_back(name + c);
  if (op == '-') cands.push_back(name + "(DATE, DATE)"), cands.push_back(name + "(TIMESTAMP, TIMESTAMP)");
  if (op == '*') cands.push_back(name + "(INTERVAL, NUMERIC)");
  return NoMatch(in, cands);
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& r) {
  for (char op : {'+', '-', '*', '/', 'd', '%', '^'}) {
    r.Register(OpName(op), [op](const ScalarBindInput& in) { return BindArithmetic(in, op); });
  }
  r.Register("negate", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    return BindNegate(in);
  });
  r.Alias("add", "+");
  r.Alias("subtract", "-");
  r.Alias("multiply", "*");
  r.Alias("divide", "/");
  r.Alias("**", "^");
  r.Alias("mod", "%");
  r.Alias("integer_division", "//");
}

}  // namespace alopex::functions
