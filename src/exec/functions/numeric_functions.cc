// Numeric functions: abs, sign, ceil, floor, round, trunc, sqrt, cbrt, exp, ln,
// log, log2, log10, power, trigonometry, pi, random, isnan / isinf / isfinite,
// greatest / least.
#include <cmath>
#include <limits>
#include <random>

#include "common/cast.h"
#include "common/datetime.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const LogicalType kDouble(TypeId::kDouble);

bool IsNumberLike(const LogicalType& t) { return t.IsNumeric() || t.id() == TypeId::kNull; }

// A DOUBLE -> DOUBLE function; `check` returns an error message for invalid input or nullptr.
template <typename F, typename Check>
ScalarBinder DoubleFunction(F f, Check check) {
  return [f, check](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    if (!IsNumberLike(in.arg_types[0])) return NoMatch(in, in.name + "(DOUBLE)");
    return MakeBound(in, {kDouble}, kDouble, [f, check](ScalarCall& call) -> Status {
      const double* a = call.args[0]->data<double>();
      double* r = call.out->data<double>();
      for (size_t i = 0; i < call.count; i++) {
        if (const char* err = check(a[i]); err && call.args[0]->IsValid(i)) return Status::OutOfRange(err);
        r[i] = f(a[i]);
      }
      return Status::OK();
    });
  };
}

const char* NoCheck(double) { return nullptr; }

const char* LogCheck(double x) {
  if (x == 0) return "cannot take logarithm of zero";
  if (x < 0) return "cannot take logarithm of a negative number";
  return nullptr;
}

// ceil / floor / trunc / round-without-digits: integers pass through, decimals
// keep their width at scale 0, floats stay floats.
enum class RoundMode { kCeil, kFloor, kTrunc, kRound };

__int128 RoundDecimal(__int128 v, int scale, RoundMode mode) {
  if (scale <= 0) return v;
  __int128 p = DecimalPow10(scale);
  __int128 q = v / p, r = v % p;
  switch (mode) {
    case RoundMode::kTrunc: return q;
    case RoundMode::kFloor: return (r < 0) ? q - 1 : q;
    case RoundMode::kCeil: return (r > 0) ? q + 1 : q;
    case RoundMode::kRound: {
      __int128 ar = r < 0 ? -r : r;
      if (ar * 2 >= p) q += v < 0 ? -1 : 1;
      return q;
    }
  }
  return q;
}

double RoundDouble(double x, RoundMode mode) {
  switch (mode) {
    case RoundMode::kCeil: return std::ceil(x);
    case RoundMode::kFloor: return std::floor(x);
    case RoundMode::kTrunc: return std::trunc(x);
    case RoundMode::kRound: return std::round(x);
  }
  return x;
}

ScalarBinder RoundingFunction(RoundMode mode) {
  return [mode](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, mode == RoundMode::kRound ? 2 : 1));
    LogicalType t = in.arg_types[0].id() == TypeId::kNull ? kDouble : in.arg_types[0];
    if (!t.IsNumeric()) return NoMatch(in, in.name + "(NUMERIC)");
    if (in.arg_types.size() == 2) {
      // round(x, digits)
      if (!in.arg_types[1].IsInteger() && in.arg_types[1].id() != TypeId::kNull) return NoMatch(in, "round(NUMERIC, INTEGER)");
      const Value* dc = ConstantArg(in, 1);
      if (t.id() == TypeId::kDecimal && dc && !dc->is_null()) {
        int d = int(dc->GetInt64());
        int s = t.scale();
        int new_scale = std::clamp(d, 0, s);
        LogicalType ret = LogicalType::Decimal(t.width(), new_scale);
        return MakeBound(in, {t, TypeId::kBigInt}, ret, [s, d](ScalarCall& call) -> Status {
          for (size_t i = 0; i < call.count; i++) {
            __int128 v = ReadDecimal(*call.args[0], i);
            if (d < s) {
              // Round away the digits below 10^-d; for d < 0 shift back to scale 0.
              int drop = std::min(s - d, 38);
              v = RoundDecimal(v, drop, RoundMode::kRound);
              if (d < 0) v *= DecimalPow10(std::min(-d, 38));
            }
            WriteDecimal(call.out, i, v);
          }
          return Status::OK();
        });
      }
      if (t.IsInteger()) {
        return MakeBound(in, {TypeId::kBigInt, TypeId::kBigInt}, TypeId::kBigInt, [](ScalarCall& call) -> Status {
          for (size_t i = 0; i < call.count; i++) {
            int64_t v = GetInt(*call.args[0], i), d = GetInt(*call.args[1], i);
            if (d >= 0 || d < -18) {
              call.out->data<int64_t>()[i] = d < -18 ? 0 : v;
              continue;
            }
            __int128 r = RoundDecimal(v, int(-d), RoundMode::kRound) * DecimalPow10(int(-d));
            call.out->data<int64_t>()[i] = int64_t(r);
          }
          return Status::OK();
        });
      }
      return MakeBound(in, {kDouble, TypeId::kBigInt}, kDouble, [](ScalarCall& call) -> Status {
        const double* a = call.args[0]->data<double>();
        double* r = call.out->data<double>();
        for (size_t i = 0; i < call.count; i++) {
          int64_t d = GetInt(*call.args[1], i);
          if (d > 300 || d < -300) {
            r[i] = d > 0 ? a[i] : 0;
            continue;
          }
          double p = std::pow(10.0, double(d));
          double v = std::round(a[i] * p) / p;
          r[i] = std::isfinite(v) ? v : a[i];
        }
        return Status::OK();
      });
    }
    if (t.IsInteger()) {
      return MakeBound(in, {t}, t, [](ScalarCall& call) -> Status {
        call.out->CopyFrom(*call.args[0], 0, 0, call.count);
        return Status::OK();
      });
    }
    if (t.id() == TypeId::kDecimal) {
      int s = t.scale();
      LogicalType ret = LogicalType::Decimal(t.width(), 0);
      return MakeBound(in, {t}, ret, [s, mode](ScalarCall& call) -> Status {
        for (size_t i = 0; i < call.count; i++) WriteDecimal(call.out, i, RoundDecimal(ReadDecimal(*call.args[0], i), s, mode));
        return Status::OK();
      });
    }
    if (t.id() == TypeId::kFloat)
      return MakeBound(in, {t}, t, UnaryKernel<float, float>([mode](float x) { return float(RoundDouble(x, mode)); }));
    return MakeBound(in, {kDouble}, kDouble, UnaryKernel<double, double>([mode](double x) { return RoundDouble(x, mode); }));
  };
}

Result<BoundScalarFunction> BindAbs(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  LogicalType t = in.arg_types[0].id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : in.arg_types[0];
  if (t.id() == TypeId::kInterval) {
    return MakeBound(in, {t}, t, UnaryKernel<Interval, Interval>([](const Interval& v) {
                       return IntervalToMicros(v) < 0 ? Interval{-v.months, -v.days, -v.micros} : v;
                     }));
  }
  if (!t.IsNumeric()) return NoMatch(in, "abs(NUMERIC)");
  if (t.id() == TypeId::kDecimal) {
    return MakeBound(in, {t}, t, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) {
        __int128 v = ReadDecimal(*call.args[0], i);
        WriteDecimal(call.out, i, v < 0 ? -v : v);
      }
      return Status::OK();
    });
  }
  ScalarKernel k;
  LogicalType type = t;
  DispatchNumeric(t.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>) {
      k = UnaryKernel<T, T>([](T v) { return std::fabs(v); });
    } else if constexpr (std::is_unsigned_v<T>) {
      k = UnaryKernel<T, T>([](T v) { return v; });
    } else {
      k = [type](ScalarCall& call) -> Status {
        const T* a = call.args[0]->data<T>();
        T* r = call.out->data<T>();
        for (size_t i = 0; i < call.count; i++) {
          if (a[i] == std::numeric_limits<T>::min() && call.args[0]->IsValid(i))
            return Status::OutOfRange("Overflow on abs(" + std::to_string(int64_t(a[i])) + ") of " + type.ToString());
          r[i] = a[i] < 0 ? T(-a[i]) : a[i];
        }
        return Status::OK();
      };
    }
  });
  return MakeBound(in, {t}, t, k);
}

Result<BoundScalarFunction> BindSign(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  if (!IsNumberLike(in.arg_types[0])) return NoMatch(in, "sign(NUMERIC)");
  return MakeBound(in, {kDouble}, TypeId::kTinyInt, UnaryKernel<double, int8_t>([](double v) {
                     return int8_t(v > 0 ? 1 : (v < 0 ? -1 : 0));
                   }));
}

Result<BoundScalarFunction> BindBinaryDouble(const ScalarBindInput& in, double (*f)(double, double)) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  for (const auto& t : in.arg_types)
    if (!IsNumberLike(t)) return NoMatch(in, in.name + "(DOUBLE, DOUBLE)");
  return MakeBound(in, {kDouble, kDouble}, kDouble, BinaryKernel<double, double, double>(f));
}

Result<BoundScalarFunction> BindLog(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 2));
  for (const auto& t : in.arg_types)
    if (!IsNumberLike(t)) return NoMatch(in, std::vector<std::string>{"log(DOUBLE)", "log(DOUBLE, DOUBLE)"});
  if (in.arg_types.size() == 1) return DoubleFunction([](double x) { return std::log10(x); }, LogCheck)(in);
  // log(base, x)
  return MakeBound(in, {kDouble, kDouble}, kDouble, [](ScalarCall& call) -> Status {
    const double* b = call.args[0]->data<double>();
    const double* x = call.args[1]->data<double>();
    double* r = call.out->data<double>();
    for (size_t i = 0; i < call.count; i++) {
      if (RowValid(call, i)) {
        if (const char* e = LogCheck(x[i])) return Status::OutOfRange(e);
        if (b[i] <= 0 || b[i] == 1) return Status::OutOfRange("invalid logarithm base " + std::to_string(b[i]));
      }
      r[i] = std::log(x[i]) / std::log(b[i]);
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindGreatest(const ScalarBindInput& in, bool greatest) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, SIZE_MAX));
  LogicalType t(TypeId::kNull);
  for (const auto& a : in.arg_types) {
    auto r = CommonSuperType(t, a);
    if (!r.ok()) return Status::BinderError("Cannot mix types " + t.ToString() + " and " + a.ToString() + " in " +
                                            CallString(in.name, in.arg_types));
    t = *r;
  }
  if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  std::vector<LogicalType> args(in.arg_types.size(), t);
  auto f = MakeBound(in, args, t, [greatest](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      int best = -1;
      for (size_t k = 0; k < call.args.size(); k++) {
        if (!call.args[k]->IsValid(i)) continue;
        if (best < 0) {
          best = int(k);
          continue;
        }
        int c = CompareValues(*call.args[k], i, *call.args[best], i);
        if (greatest ? c > 0 : c < 0) best = int(k);
      }
      if (best < 0)
        call.out->SetNull(i);
      else
        call.out->CopyFrom(*call.args[best], i, i, 1);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

}  // namespace

double RandomDouble() { return std::uniform_real_distribution<double>(0.0, 1.0)(Rng()); }
uint64_t RandomBits() { return Rng()(); }

void RegisterNumericFunctions(FunctionRegistry& r) {
  r.Register("abs", BindAbs);
  r.Register("sign", BindSign);
  r.Register("ceil", RoundingFunction(RoundMode::kCeil));
  r.Alias("ceiling", "ceil");
  r.Register("floor", RoundingFunction(RoundMode::kFloor));
  r.Register("trunc", RoundingFunction(RoundMode::kTrunc));
  r.Register("round", RoundingFunction(RoundMode::kRound));
  r.Register("sqrt", DoubleFunction([](double x) { return std::sqrt(x); }, [](double x) -> const char* {
               return x < 0 ? "cannot take square root of a negative number" : nullptr;
             }));
  r.Register("cbrt", DoubleFunction([](double x) { return std::cbrt(x); }, NoCheck));
  r.Register("exp", DoubleFunction([](double x) { return std::exp(x); }, NoCheck));
  r.Register("ln", DoubleFunction([](double x) { return std::log(x); }, LogCheck));
  r.Register("log10", DoubleFunction([](double x) { return std::log10(x); }, LogCheck));
  r.Register("log2", DoubleFunction([](double x) { return std::log2(x); }, LogCheck));
  r.Register("log", BindLog);
  r.Register("sin", DoubleFunction([](double x) { return std::sin(x); }, NoCheck));
  r.Register("cos", DoubleFunction([](double x) { return std::cos(x); }, NoCheck));
  r.Register("tan", DoubleFunction([](double x) { return std::tan(x); }, NoCheck));
  r.Register("cot", DoubleFunction([](double x) { return 1.0 / std::tan(x); }, NoCheck));
  r.Register("asin", DoubleFunction([](double x) { return std::asin(x); }, [](double x) -> const char* {
               return (x < -1 || x > 1) ? "ASIN is undefined outside [-1,1]" : nullptr;
             }));
  r.Register("acos", DoubleFunction([](double x) { return std::acos(x); }, [](double x) -> const char* {
               return (x < -1 || x > 1) ? "ACOS is undefined outside [-1,1]" : nullptr;
             }));
  r.Register("atan", DoubleFunction([](double x) { return std::atan(x); }, NoCheck));
  r.Register("degrees", DoubleFunction([](double x) { return x * 180.0 / M_PI; }, NoCheck));
  r.Register("radians", DoubleFunction([](double x) { return x * M_PI / 180.0; }, NoCheck));
  r.Register("atan2", [](const ScalarBindInput& in) {
    return BindBinaryDouble(in, [](double y, double x) { return std::atan2(y, x); });
  });
  r.Register("power", [](const ScalarBindInput& in) {
    return BindBinaryDouble(in, [](double x, double y) { return std::pow(x, y); });
  });
  r.Alias("pow", "power");
  r.Register("pi", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 0, 0));
    return MakeBound(in, {}, kDouble, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) call.out->data<double>()[i] = M_PI;
      return Status::OK();
    });
  });
  r.Register("random", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 0, 0));
    auto f = MakeBound(in, {}, kDouble, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) call.out->data<double>()[i] = RandomDouble();
      return Status::OK();
    });
    f.volatile_result = true;
    return f;
  });
  r.Alias("rand", "random");
  for (int which = 0; which < 3; which++) {
    const char* name = which == 0 ? "isnan" : which == 1 ? "isinf" : "isfinite";
    r.Register(name, [which](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
      ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
      if (!IsNumberLike(in.arg_types[0])) return NoMatch(in, in.name + "(DOUBLE)");
      return MakeBound(in, {kDouble}, TypeId::kBoolean, UnaryKernel<double, uint8_t>([which](double x) {
                         return which == 0 ? std::isnan(x) : which == 1 ? std::isinf(x) : std::isfinite(x);
                       }));
    });
  }
  r.Register("greatest", [](const ScalarBindInput& in) { return BindGreatest(in, true); });
  r.Register("least", [](const ScalarBindInput& in) { return BindGreatest(in, false); });
}

}  // namespace alopex::functions
