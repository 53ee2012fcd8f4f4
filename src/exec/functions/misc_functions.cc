// Conditional and miscellaneous functions: coalesce, ifnull, nullif, if,
// typeof, hash, gen_random_uuid.
#include "common/cast.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

Result<LogicalType> SuperTypeOf(const ScalarBindInput& in, size_t first) {
  LogicalType t(TypeId::kNull);
  for (size_t k = first; k < in.arg_types.size(); k++) {
    auto r = CommonSuperType(t, in.arg_types[k]);
    if (!r.ok())
      return Status::BinderError("Cannot mix values of type " + t.ToString() + " and " + in.arg_types[k].ToString() +
                                 " in " + CallString(in.name, in.arg_types) + ": an explicit cast is required");
    t = *r;
  }
  if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  return t;
}

Result<BoundScalarFunction> BindCoalesce(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, in.name == "ifnull" ? 2 : SIZE_MAX));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, SuperTypeOf(in, 0));
  std::vector<LogicalType> args(in.arg_types.size(), t);
  auto f = MakeBound(in, args, t, [](ScalarCall& call) -> Status {
    size_t n = call.count;
    // Start from the first argument, then fill its NULLs from the next ones.
    call.out->CopyFrom(*call.args[0], 0, 0, n);
    for (size_t k = 1; k < call.args.size() && call.out->MayHaveNulls(); k++) {
      const Column& a = *call.args[k];
      for (size_t i = 0; i < n; i++)
        if (call.out->IsNull(i) && a.IsValid(i)) call.out->CopyFrom(a, i, i, 1);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindNullIf(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, SuperTypeOf(in, 0));
  auto f = MakeBound(in, {t, t}, t, [](ScalarCall& call) -> Status {
    call.out->CopyFrom(*call.args[0], 0, 0, call.count);
    const Column& b = *call.args[1];
    for (size_t i = 0; i < call.count; i++)
      if (call.out->IsValid(i) && b.IsValid(i) && CompareValues(*call.args[0], i, b, i) == 0) call.out->SetNull(i);
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindIf(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 3, 3));
  const LogicalType& c = in.arg_types[0];
  if (c.id() != TypeId::kBoolean && c.id() != TypeId::kNull && !CanImplicitlyCast(c, TypeId::kBoolean))
    return NoMatch(in, "if(BOOLEAN, T, T)");
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, SuperTypeOf(in, 1));
  auto f = MakeBound(in, {TypeId::kBoolean, t, t}, t, [](ScalarCall& call) -> Status {
    const Column& cond = *call.args[0];
    const uint8_t* cv = cond.data<uint8_t>();
    // Runs of rows taking the same branch are copied together.
    size_t i = 0;
    while (i < call.count) {
      bool take_then = cond.IsValid(i) && cv[i];
      size_t j = i + 1;
      while (j < call.count && (cond.IsValid(j) && cv[j]) == take_then) j++;
      call.out->CopyFrom(*call.args[take_then ? 1 : 2], i, i, j - i);
      i = j;
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindTypeof(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  std::string name = in.arg_types[0].ToString();
  auto f = MakeBound(in, {in.arg_types[0]}, TypeId::kVarchar, [name](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) call.out->SetString(i, name);
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindHash(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, SIZE_MAX));
  auto f = MakeBound(in, in.arg_types, TypeId::kUBigInt, [](ScalarCall& call) -> Status {
    uint64_t* r = call.out->data<uint64_t>();
    for (size_t i = 0; i < call.count; i++) {
      uint64_t h = HashRow(*call.args[0], i);
      for (size_t k = 1; k < call.args.size(); k++) h = (h * 0x9E3779B97F4A7C15ULL) ^ HashRow(*call.args[k], i);
      r[i] = h;
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindUuid(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 0, 0));
  auto f = MakeBound(in, {}, TypeId::kUuid, [](ScalarCall& call) -> Status {
    Uuid* r = call.out->data<Uuid>();
    for (size_t i = 0; i < call.count; i++) {
      uint64_t hi = RandomBits(), lo = RandomBits();
      hi = (hi & ~uint64_t(0xF000)) | 0x4000;                 // version 4
      lo = (lo & ~(uint64_t(0xC) << 60)) | (uint64_t(0x8) << 60);  // variant 10
      r[i] = {hi, lo};
    }
    return Status::OK();
  });
  f.volatile_result = true;
  return f;
}

}  // namespace

void RegisterMiscFunctions(FunctionRegistry& r) {
  r.Register("coalesce", BindCoalesce);
  r.Register("ifnull", BindCoalesce);
  r.Alias("nvl", "ifnull");
  r.Register("nullif", BindNullIf);
  r.Register("if", BindIf);
  r.Alias("iff", "if");
  r.Register("typeof", BindTypeof);
  r.Register("hash", BindHash);
  r.Register("gen_random_uuid", BindUuid);
  r.Alias("uuid", "gen_random_uuid");
}

}  // namespace alopex::functions
