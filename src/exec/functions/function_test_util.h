// Test support: runs a scalar function the way the executor will: bind through
// the registry, cast the arguments to the bound types, run the kernel, then
// apply NULL propagation.
#pragma once

#include <string>
#include <vector>

#include "common/cast.h"
#include "exec/function.h"

namespace alopex::testing {

// Evaluates `name` over columns of equal length. Constant arguments are marked
// as constants for the binder when `constants` is true.
inline Result<Column> CallColumns(const std::string& name, const std::vector<const Column*>& args,
                                  const std::vector<const Value*>& constants = {}) {
  ScalarBindInput in;
  in.name = name;
  for (const Column* c : args) in.arg_types.push_back(c->type());
  in.constant_args = constants;
  in.constant_args.resize(args.size(), nullptr);
  ALOPEX_ASSIGN_OR_RETURN(BoundScalarFunction f, FunctionRegistry::BuiltIns().Bind(in));
  size_t n = args.empty() ? 1 : args[0]->size();
  std::vector<Column> cast(args.size());
  ScalarCall call;
  for (size_t k = 0; k < args.size(); k++) {
    ALOPEX_RETURN_IF_ERROR(CastColumn(*args[k], f.arg_types[k], &cast[k]));
    call.args.push_back(&cast[k]);
  }
  Column out(f.return_type, n);
  out.Resize(n);
  call.count = n;
  call.out = &out;
  call.bind_data = f.bind_data.get();
  ALOPEX_RETURN_IF_ERROR(f.kernel(call));
  if (f.propagates_nulls)
    for (size_t i = 0; i < n; i++)
      for (const Column* c : call.args)
        if (c->IsNull(i)) out.SetNull(i);
  return out;
}

// One-row call with constant arguments.
inline Result<Value> Call(const std::string& name, const std::vector<Value>& args) {
  std::vector<Column> cols;
  cols.reserve(args.size());
  std::vector<const Column*> ptrs;
  std::vector<const Value*> consts;
  for (const auto& v : args) {
    cols.push_back(Column::Constant(v, 1));
  }
  for (size_t k = 0; k < args.size(); k++) {
    ptrs.push_back(&cols[k]);
    consts.push_back(&args[k]);
  }
  ALOPEX_ASSIGN_OR_RETURN(Column out, CallColumns(name, ptrs, consts));
  return out.GetValue(0);
}

// The printed result of a one-row call, or "ERROR: <message>".
inline std::string Show(const std::string& name, const std::vector<Value>& args) {
  auto r = Call(name, args);
  if (!r.ok()) return "ERROR: " + r.status().message();
  return r->ToString();
}

inline Column MakeColumn(const LogicalType& type, const std::vector<Value>& values) {
  Column c(type, values.size());
  for (const auto& v : values) {
    if (v.is_null() || v.type() == type) {
      c.AppendValue(v);
    } else {
      auto cv = v.CastTo(type);
      c.AppendValue(cv.ok() ? *cv : Value::Null(type));
    }
  }
  return c;
}

}  // namespace alopex::testing
