// Date and time functions: now/current_date, date(x), date_trunc, extract /
// date_part and the per-part helpers (year(x), ...), date_diff, date_add,
// make_date / make_timestamp, strftime / strptime, epoch conversions.
#include <cmath>

#include "common/cast.h"
#include "common/datetime.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const LogicalType kBigInt(TypeId::kBigInt);
const LogicalType kDouble(TypeId::kDouble);
const LogicalType kVarchar(TypeId::kVarchar);
const LogicalType kDate(TypeId::kDate);
const LogicalType kTimestamp(TypeId::kTimestamp);

bool IsTs(TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kTimestampTz; }

// The timestamp (micros) of row i of a DATE, TIMESTAMP[TZ] or TIME column.
inline int64_t TsOf(const Column& c, size_t i) {
  if (c.type().id() == TypeId::kDate) return int64_t(c.data<int32_t>()[i]) * kMicrosPerDay;
  return c.data<int64_t>()[i];
}

// The type a temporal argument binds as: DATE, TIMESTAMP[TZ], TIME and INTERVAL
// stay; text and NULL become TIMESTAMP.
Result<LogicalType> TemporalArg(const ScalarBindInput& in, size_t k, bool allow_interval, bool allow_time) {
  const LogicalType& t = in.arg_types[k];
  TypeId id = t.id();
  if (id == TypeId::kDate || IsTs(id)) return t;
  if (id == TypeId::kInterval && allow_interval) return t;
  if (id == TypeId::kTime && allow_time) return t;
  if (id == TypeId::kNull || id == TypeId::kVarchar) return kTimestamp;
  return Status::BinderError("No function matches " + CallString(in.name, in.arg_types) +
                             ". Candidates: " + in.name + "(DATE), " + in.name + "(TIMESTAMP)" +
                             (allow_interval ? ", " + in.name + "(INTERVAL)" : std::string()));
}

Status BadPart(std::string_view part) { return ParseDatePart(part).status(); }

// Extracts `part` from row i of a temporal column.
int64_t ExtractRow(DatePart part, const Column& c, size_t i) {
  switch (c.type().id()) {
    case TypeId::kInterval: return ExtractIntervalPart(part, c.data<Interval>()[i]);
    case TypeId::kTime: {
      int64_t t = c.data<int64_t>()[i];
      return ExtractPart(part, t);
    }
    default: return ExtractPart(part, TsOf(c, i));
  }
}

double EpochRow(const Column& c, size_t i) {
  if (c.type().id() == TypeId::kInterval) {
    const Interval& iv = c.data<Interval>()[i];
    return double(IntervalToMicros(iv)) / double(kMicrosPerSecond);
  }
  if (c.type().id() == TypeId::kTime) return double(c.data<int64_t>()[i]) / double(kMicrosPerSecond);
  return ExtractEpoch(TsOf(c, i));
}

Result<BoundScalarFunction> BindExtract(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  if (MatchCost(kVarchar, in.arg_types[0]) < 0) return NoMatch(in, in.name + "(VARCHAR, TIMESTAMP)");
  ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 1, true, true));
  const Value* pc = ConstantArg(in, 0);
  if (pc && !pc->is_null()) {
    ALOPEX_ASSIGN_OR_RETURN(DatePart part, ParseDatePart(pc->GetString()));
    if (part == DatePart::kEpoch) {
      return MakeBound(in, {kVarchar, x}, kDouble, [](ScalarCall& call) -> Status {
        double* r = call.out->data<double>();
        for (size_t i = 0; i < call.count; i++) r[i] = EpochRow(*call.args[1], i);
        return Status::OK();
      });
    }
    return MakeBound(in, {kVarchar, x}, kBigInt, [part](ScalarCall& call) -> Status {
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = ExtractRow(part, *call.args[1], i);
      return Status::OK();
    });
  }
  return MakeBound(in, {kVarchar, x}, kBigInt, [](ScalarCall& call) -> Status {
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      DatePart part;
      if (!TryParseDatePart(Str(call, 0, i), &part)) return BadPart(Str(call, 0, i));
      r[i] = ExtractRow(part, *call.args[1], i);
    }
    return Status::OK();
  });
}

// year(x), month(x), ...
ScalarBinder PartFunction(DatePart part) {
  return [part](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, true, true));
    return MakeBound(in, {x}, kBigInt, [part](ScalarCall& call) -> Status {
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = ExtractRow(part, *call.args[0], i);
      return Status::OK();
    });
  };
}

Result<BoundScalarFunction> BindDateTrunc(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  if (MatchCost(kVarchar, in.arg_types[0]) < 0) return NoMatch(in, "date_trunc(VARCHAR, TIMESTAMP)");
  ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 1, false, false));
  const Value* pc = ConstantArg(in, 0);
  bool has_part = pc && !pc->is_null();
  DatePart fixed = DatePart::kDay;
  if (has_part) {
    ALOPEX_ASSIGN_OR_RETURN(fixed, ParseDatePart(pc->GetString()));
  }
  // A DATE truncates to a TIMESTAMP, as in DuckDB.
  LogicalType result = x.id() == TypeId::kDate ? LogicalType(TypeId::kTimestamp) : x;
  return MakeBound(in, {kVarchar, x}, result, [has_part, fixed](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      DatePart part = fixed;
      if (!has_part) {
        if (!RowValid(call, i)) continue;
        if (!TryParseDatePart(Str(call, 0, i), &part)) return BadPart(Str(call, 0, i));
      }
      call.out->data<int64_t>()[i] = TruncTimestamp(part, TsOf(*call.args[1], i));
    }
    return Status::OK();
  });
}

int64_t DateDiff(DatePart part, int64_t a, int64_t b) {
  switch (part) {
    case DatePart::kYear: case DatePart::kIsoYear:
      return ExtractPart(DatePart::kYear, b) - ExtractPart(DatePart::kYear, a);
    case DatePart::kMonth:
      return (ExtractPart(DatePart::kYear, b) * 12 + ExtractPart(DatePart::kMonth, b)) -
             (ExtractPart(DatePart::kYear, a) * 12 + ExtractPart(DatePart::kMonth, a));
    case DatePart::kQuarter:
      return (ExtractPart(DatePart::kYear, b) * 4 + ExtractPart(DatePart::kQuarter, b)) -
             (ExtractPart(DatePart::kYear, a) * 4 + ExtractPart(DatePart::kQuarter, a));
    case DatePart::kDecade: return ExtractPart(DatePart::kDecade, b) - ExtractPart(DatePart::kDecade, a);
    case DatePart::kCentury: return ExtractPart(DatePart::kCentury, b) - ExtractPart(DatePart::kCentury, a);
    case DatePart::kMillennium: return ExtractPart(DatePart::kMillennium, b) - ExtractPart(DatePart::kMillennium, a);
    case DatePart::kWeek: return (FloorDiv(b, kMicrosPerDay) - FloorDiv(a, kMicrosPerDay)) / 7;
    case DatePart::kDay: case DatePart::kDow: case DatePart::kIsoDow: case DatePart::kDoy:
      return FloorDiv(b, kMicrosPerDay) - FloorDiv(a, kMicrosPerDay);
    case DatePart::kHour: return FloorDiv(b, kMicrosPerHour) - FloorDiv(a, kMicrosPerHour);
    case DatePart::kMinute: return FloorDiv(b, kMicrosPerMinute) - FloorDiv(a, kMicrosPerMinute);
    case DatePart::kSecond: case DatePart::kEpoch: return FloorDiv(b, kMicrosPerSecond) - FloorDiv(a, kMicrosPerSecond);
    case DatePart::kMillisecond: return FloorDiv(b, kMicrosPerMilli) - FloorDiv(a, kMicrosPerMilli);
    case DatePart::kMicrosecond: return b - a;
  }
  return 0;
}

Result<BoundScalarFunction> BindDateDiff(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 3, 3));
  if (MatchCost(kVarchar, in.arg_types[0]) < 0) return NoMatch(in, "date_diff(VARCHAR, TIMESTAMP, TIMESTAMP)");
  ALOPEX_ASSIGN_OR_RETURN(LogicalType a, TemporalArg(in, 1, false, false));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType b, TemporalArg(in, 2, false, false));
  if (a != b) {
    ALOPEX_ASSIGN_OR_RETURN(LogicalType t, CommonSuperType(a, b));
    a = b = t;
  }
  const Value* pc = ConstantArg(in, 0);
  bool has_part = pc && !pc->is_null();
  DatePart fixed = DatePart::kDay;
  if (has_part) {
    ALOPEX_ASSIGN_OR_RETURN(fixed, ParseDatePart(pc->GetString()));
  }
  return MakeBound(in, {kVarchar, a, b}, kBigInt, [has_part, fixed](ScalarCall& call) -> Status {
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) {
      DatePart part = fixed;
      if (!has_part) {
        if (!RowValid(call, i)) continue;
        if (!TryParseDatePart(Str(call, 0, i), &part)) return BadPart(Str(call, 0, i));
      }
      r[i] = DateDiff(part, TsOf(*call.args[1], i), TsOf(*call.args[2], i));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindDateAdd(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, false, false));
  if (MatchCost(TypeId::kInterval, in.arg_types[1]) < 0) return NoMatch(in, "date_add(TIMESTAMP, INTERVAL)");
  LogicalType ret = x.id() == TypeId::kDate ? kTimestamp : x;
  return MakeBound(in, {x, TypeId::kInterval}, ret, [](ScalarCall& call) -> Status {
    int64_t* r = call.out->data<int64_t>();
    const Interval* iv = call.args[1]->data<Interval>();
    for (size_t i = 0; i < call.count; i++) {
      if (!TryAddInterval(TsOf(*call.args[0], i), iv[i], &r[i]) && RowValid(call, i))
        return Status::OutOfRange("Date out of range in date_add");
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindMakeDate(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 3, 3));
  for (const auto& t : in.arg_types)
    if (MatchCost(kBigInt, t) < 0) return NoMatch(in, "make_date(BIGINT, BIGINT, BIGINT)");
  return MakeBound(in, {kBigInt, kBigInt, kBigInt}, kDate, [](ScalarCall& call) -> Status {
    int32_t* r = call.out->data<int32_t>();
    for (size_t i = 0; i < call.count; i++) {
      int64_t y = GetInt(*call.args[0], i), m = GetInt(*call.args[1], i), d = GetInt(*call.args[2], i);
      if (m < 1 || m > 12 || d < 1 || d > 31 || !IsValidDate(y, int(m), int(d))) {
        if (!RowValid(call, i)) continue;
        return Status::ConversionError("Date out of range: " + std::to_string(y) + "-" + std::to_string(m) + "-" +
                                       std::to_string(d));
      }
      r[i] = int32_t(DaysFromCivil(y, int(m), int(d)));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindMakeTimestamp(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 6, 6));
  std::vector<LogicalType> args = {kBigInt, kBigInt, kBigInt, kBigInt, kBigInt, kDouble};
  for (size_t k = 0; k < 6; k++)
    if (MatchCost(args[k], in.arg_types[k]) < 0)
      return NoMatch(in, "make_timestamp(BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, DOUBLE)");
  return MakeBound(in, args, kTimestamp, [](ScalarCall& call) -> Status {
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) {
      int64_t y = GetInt(*call.args[0], i), m = GetInt(*call.args[1], i), d = GetInt(*call.args[2], i);
      int64_t h = GetInt(*call.args[3], i), mi = GetInt(*call.args[4], i);
      double s = call.args[5]->data<double>()[i];
      bool ok = m >= 1 && m <= 12 && d >= 1 && d <= 31 && IsValidDate(y, int(m), int(d)) && h >= 0 && h < 24 &&
                mi >= 0 && mi < 60 && s >= 0 && s < 60;
      if (!ok) {
        if (!RowValid(call, i)) continue;
        return Status::ConversionError("Timestamp out of range in make_timestamp");
      }
      r[i] = DaysFromCivil(y, int(m), int(d)) * kMicrosPerDay + h * kMicrosPerHour + mi * kMicrosPerMinute +
             int64_t(std::llround(s * kMicrosPerSecond));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindStrftime(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  // strftime(x, fmt); DuckDB also accepts strftime(fmt, x).
  size_t xi = in.arg_types[0].id() == TypeId::kVarchar && in.arg_types[1].id() != TypeId::kVarchar ? 1 : 0;
  ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, xi, false, false));
  std::vector<LogicalType> args(2, kVarchar);
  args[xi] = x;
  size_t fi = 1 - xi;
  return MakeBound(in, args, kVarchar, [xi, fi](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      call.out->SetString(i, Strftime(TsOf(*call.args[xi], i), Str(call, fi, i)));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindStrptime(const ScalarBindInput& in, bool try_mode) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  for (const auto& t : in.arg_types)
    if (MatchCost(kVarchar, t) < 0) return NoMatch(in, in.name + "(VARCHAR, VARCHAR)");
  auto f = MakeBound(in, {kVarchar, kVarchar}, kTimestamp, [try_mode](ScalarCall& call) -> Status {
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) {
        call.out->SetNull(i);
        continue;
      }
      auto t = Strptime(Str(call, 0, i), Str(call, 1, i));
      if (!t.ok()) {
        if (!try_mode) return t.status();
        call.out->SetNull(i);
        continue;
      }
      r[i] = *t;
    }
    return Status::OK();
  });
  return f;
}

ScalarBinder NowBinder(LogicalType ret) {
  return [ret](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 0, 0));
    bool is_date = ret.id() == TypeId::kDate;
    auto f = MakeBound(in, {}, ret, [is_date](ScalarCall& call) -> Status {
      int64_t now = CurrentTimestampMicros();
      for (size_t i = 0; i < call.count; i++) {
        if (is_date)
          call.out->data<int32_t>()[i] = int32_t(FloorDiv(now, kMicrosPerDay));
        else
          call.out->data<int64_t>()[i] = now;
      }
      return Status::OK();
    });
    f.volatile_result = true;
    return f;
  };
}

Result<BoundScalarFunction> BindDate(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  const LogicalType& t = in.arg_types[0];
  if (!CanCast(t, kDate) || !(t.id() == TypeId::kDate || IsTs(t.id()) || t.id() == TypeId::kVarchar ||
                              t.id() == TypeId::kNull || t.id() == TypeId::kJson))
    return NoMatch(in, std::vector<std::string>{"date(VARCHAR)", "date(TIMESTAMP)", "date(DATE)"});
  // The binder's cast to DATE does the work.
  return MakeBound(in, {kDate}, kDate, [](ScalarCall& call) -> Status {
    std::memcpy(call.out->data<int32_t>(), call.args[0]->data<int32_t>(), call.count * sizeof(int32_t));
    return Status::OK();
  });
}

// epoch_ms(x): of a timestamp, milliseconds; of a number, the timestamp.
ScalarBinder EpochUnit(int64_t unit) {
  return [unit](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    const LogicalType& t = in.arg_types[0];
    if (t.IsInteger()) {
      return MakeBound(in, {kBigInt}, kTimestamp, UnaryKernel<int64_t, int64_t>([unit](int64_t v) {
                         return v * (kMicrosPerSecond / unit);
                       }));
    }
    ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, false, false));
    return MakeBound(in, {x}, kBigInt, [unit](ScalarCall& call) -> Status {
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = FloorDiv(TsOf(*call.args[0], i), kMicrosPerSecond / unit);
      return Status::OK();
    });
  };
}

const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

ScalarBinder NameFunction(bool month) {
  return [month](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, false, false));
    return MakeBound(in, {x}, kVarchar, [month](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) {
        int64_t ts = TsOf(*call.args[0], i);
        call.out->SetString(i, month ? kMonthNames[ExtractPart(DatePart::kMonth, ts) - 1]
                                     : kDayNames[ExtractPart(DatePart::kDow, ts)]);
      }
      return Status::OK();
    });
  };
}

}  // namespace

void RegisterDatetimeFunctions(FunctionRegistry& r) {
  r.Register("now", NowBinder(TypeId::kTimestampTz));
  for (const char* a : {"current_timestamp", "get_current_timestamp", "transaction_timestamp"}) r.Alias(a, "now");
  r.Register("current_date", NowBinder(kDate));
  r.Alias("today", "current_date");
  r.Register("date", BindDate);
  r.Register("date_trunc", BindDateTrunc);
  r.Alias("datetrunc", "date_trunc");
  r.Register("date_part", BindExtract);
  r.Alias("extract", "date_part");
  r.Alias("datepart", "date_part");
  struct PartName {
    const char* name;
    DatePart part;
  };
  for (const PartName& p : {PartName{"year", DatePart::kYear}, PartName{"month", DatePart::kMonth},
                            PartName{"day", DatePart::kDay}, PartName{"hour", DatePart::kHour},
                            PartName{"minute", DatePart::kMinute}, PartName{"second", DatePart::kSecond},
                            PartName{"millisecond", DatePart::kMillisecond},
                            PartName{"microsecond", DatePart::kMicrosecond}, PartName{"quarter", DatePart::kQuarter},
                            PartName{"week", DatePart::kWeek}, PartName{"dayofweek", DatePart::kDow},
                            PartName{"isodow", DatePart::kIsoDow}, PartName{"dayofyear", DatePart::kDoy},
                            PartName{"dayofmonth", DatePart::kDay}, PartName{"isoyear", DatePart::kIsoYear},
                            PartName{"decade", DatePart::kDecade}, PartName{"century", DatePart::kCentury},
                            PartName{"millennium", DatePart::kMillennium}})
    r.Register(p.name, PartFunction(p.part));
  r.Alias("weekday", "dayofweek");
  r.Alias("weekofyear", "week");
  r.Register("epoch", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, true, true));
    return MakeBound(in, {x}, kDouble, [](ScalarCall& call) -> Status {
      double* r = call.out->data<double>();
      for (size_t i = 0; i < call.count; i++) r[i] = EpochRow(*call.args[0], i);
      return Status::OK();
    });
  });
  r.Register("epoch_ms", EpochUnit(1000));
  r.Register("epoch_us", EpochUnit(1000000));
  r.Register("date_diff", BindDateDiff);
  r.Alias("datediff", "date_diff");
  r.Register("date_add", BindDateAdd);
  r.Register("make_date", BindMakeDate);
  r.Register("make_timestamp", BindMakeTimestamp);
  r.Register("strftime", BindStrftime);
  r.Register("strptime", [](const ScalarBindInput& in) { return BindStrptime(in, false); });
  r.Register("try_strptime", [](const ScalarBindInput& in) { return BindStrptime(in, true); });
  r.Register("to_timestamp", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    if (MatchCost(kDouble, in.arg_types[0]) < 0) return NoMatch(in, "to_timestamp(DOUBLE)");
    return MakeBound(in, {kDouble}, TypeId::kTimestampTz, [](ScalarCall& call) -> Status {
      const double* s = call.args[0]->data<double>();
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) {
        double us = std::round(s[i] * double(kMicrosPerSecond));
        if (!(us > -9.2e18 && us < 9.2e18)) {
          if (!call.args[0]->IsValid(i)) continue;
          return Status::OutOfRange("to_timestamp: epoch seconds out of range");
        }
        r[i] = int64_t(us);
      }
      return Status::OK();
    });
  });
  r.Register("last_day", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType x, TemporalArg(in, 0, false, false));
    return MakeBound(in, {x}, kDate, [](ScalarCall& call) -> Status {
      int32_t* r = call.out->data<int32_t>();
      for (size_t i = 0; i < call.count; i++) {
        int64_t y;
        int m, d;
        CivilFromDays(FloorDiv(TsOf(*call.args[0], i), kMicrosPerDay), &y, &m, &d);
        r[i] = int32_t(DaysFromCivil(y, m, DaysInMonth(y, m)));
      }
      return Status::OK();
    });
  });
  r.Register("monthname", NameFunction(true));
  r.Register("dayname", NameFunction(false));
}

}  // namespace alopex::functions
