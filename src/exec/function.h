// Scalar functions: how the binder resolves a call and how the executor runs it.
//
// A function is registered under one or more lower-case names with a bind
// callback. Binding sees the argument types (and constant argument values, for
// functions like date_trunc('day', x) that specialise on them) and picks an
// overload: the types the arguments are cast to, the return type and a kernel.
// Kernels are vectorized: they fill `count` rows of `out` from the argument
// columns, each of exactly `count` rows.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "common/column.h"

namespace alopex {

struct ScalarCall {
  std::vector<const Column*> args;  // each has `count` rows, already cast to the bound types
  size_t count = 0;
  Column* out = nullptr;            // sized to `count` rows of the return type, all valid
  const void* bind_data = nullptr;  // what Bind stored in BoundScalarFunction::bind_data
};

using ScalarKernel = std::function<Status(ScalarCall& call)>;

struct BoundScalarFunction {
  std::string name;
  std::vector<LogicalType> arg_types;  // the binder casts each argument to these
  LogicalType return_type;
  ScalarKernel kernel;
  std::shared_ptr<const void> bind_data;
  // True when the result depends on more than the arguments (now(), random()):
  // such calls are never constant-folded.
  bool volatile_result = false;
  // When false the kernel sees NULL inputs itself (coalesce, concat, IS DISTINCT FROM);
  // when true the executor sets NULL wherever an argument is NULL, and the kernel
  // may compute anything for those rows.
  bool propagates_nulls = true;
};

struct ScalarBindInput {
  std::string name;                        // the name it was called by
  std::vector<LogicalType> arg_types;
  std::vector<const Value*> constant_args; // non-null where the argument is a constant
};

using ScalarBinder = std::function<Result<BoundScalarFunction>(const ScalarBindInput& input)>;

// All scalar functions and operators ("+", "=", "||", "like", "lower", ...).
class FunctionRegistry {
 public:
  // The process-wide registry with every built-in function.
  static const FunctionRegistry& BuiltIns();

  void Register(const std::string& name, ScalarBinder binder);
  void Alias(const std::string& alias, const std::string& name);
  // Resolves a call; an unknown name is a Binder Error with the closest name
  // suggested; a type mismatch names the function and the argument types.
  Result<BoundScalarFunction> Bind(const ScalarBindInput& input) const;
  bool Exists(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::vector<std::pair<std::string, ScalarBinder>> functions_;  // sorted by name after registration
  std::vector<std::pair<std::string, std::string>> aliases_;
};

// Registers every built-in scalar function; called once by BuiltIns().
void RegisterBuiltinScalarFunctions(FunctionRegistry& registry);

}  // namespace alopex
