// Building blocks shared by the scalar function families: overload matching
// with the binder's error messages, and vectorized kernel templates. Internal
// to src/exec/functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/physical_dispatch.h"
#include "exec/function.h"

namespace alopex::functions {

// One overload: parameter types (a trailing `variadic` repeats the last one),
// the return type and the kernel.
struct Signature {
  std::vector<LogicalType> args;
  LogicalType ret;
  ScalarKernel kernel;
  bool variadic = false;
  bool propagates_nulls = true;
};

// "lower(INTEGER)".
std::string CallString(const std::string& name, const std::vector<LogicalType>& args);
// Binder Error: "No function matches lower(INTEGER). Candidates: lower(VARCHAR)".
Status NoMatch(const ScalarBindInput& in, const std::vector<std::string>& candidates);
Status NoMatch(const ScalarBindInput& in, const std::string& candidates);

// Cost of passing an argument of type `arg` for parameter `param`: 0 exact,
// 1 NULL literal, 2 implicit cast; -1 when not allowed.
int MatchCost(const LogicalType& param, const LogicalType& arg);

// Picks the cheapest signature the arguments match.
Result<BoundScalarFunction> BindSignatures(const ScalarBindInput& in, const std::vector<Signature>& sigs);
// A binder over a fixed overload list.
ScalarBinder FixedBinder(std::vector<Signature> sigs);

BoundScalarFunction MakeBound(const ScalarBindInput& in, std::vector<LogicalType> args, LogicalType ret,
                              ScalarKernel kernel);

// The constant value of argument i, or nullptr.
inline const Value* ConstantArg(const ScalarBindInput& in, size_t i) {
  return i < in.constant_args.size() ? in.constant_args[i] : nullptr;
}

// A binder's way to say "not mine": the registry tries the next binder under
// the same name and never reports this error when another one exists.
inline Status Decline() { return Status(StatusCode::kNotImplemented, "declined"); }
inline bool IsDecline(const Status& s) { return s.code() == StatusCode::kNotImplemented && s.message() == "declined"; }

// Checks the argument count; a Binder Error names the function otherwise.
Status CheckArgCount(const ScalarBindInput& in, size_t min, size_t max);

// ---------------------------------------------------------------- physical dispatch


// ---------------------------------------------------------------- kernels

// out[i] = op(a[i]) over fixed-width columns.
template <typename A, typename R, typename Op>
ScalarKernel UnaryKernel(Op op) {
  return [op](ScalarCall& call) -> Status {
    const A* a = call.args[0]->data<A>();
    R* r = call.out->data<R>();
    for (size_t i = 0; i < call.count; i++) r[i] = R(op(a[i]));
    return Status::OK();
  };
}

// out[i] = op(a[i], b[i]).
template <typename A, typename B, typename R, typename Op>
ScalarKernel BinaryKernel(Op op) {
  return [op](ScalarCall& call) -> Status {
    const A* a = call.args[0]->data<A>();
    const B* b = call.args[1]->data<B>();
    R* r = call.out->data<R>();
    for (size_t i = 0; i < call.count; i++) r[i] = R(op(a[i], b[i]));
    return Status::OK();
  };
}

// True when every argument of row i is valid.
inline bool RowValid(const ScalarCall& call, size_t i) {
  for (const Column* c : call.args)
    if (!c->IsValid(i)) return false;
  return true;
}

// Reads a string argument of row i (VARCHAR, BLOB or JSON).
inline std::string_view Str(const ScalarCall& call, size_t arg, size_t i) {
  return call.args[arg]->data<StringRef>()[i].view();
}

// Reads an integer-like argument as int64 whatever its physical width.
int64_t GetInt(const Column& c, size_t i);
double GetDouble(const Column& c, size_t i);

// ---------------------------------------------------------------- UTF-8

// Number of code points.
size_t Utf8Length(std::string_view s);
// Byte offset of code point `cp` (clamped to s.size()).
size_t Utf8Offset(std::string_view s, size_t cp);
// Decodes one code point at s[*pos], advancing; invalid bytes decode as themselves.
uint32_t Utf8Decode(std::string_view s, size_t* pos);
// Simple case mapping (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
uint32_t ToLowerCp(uint32_t cp);
uint32_t ToUpperCp(uint32_t cp);
std::string Utf8Lower(std::string_view s);
std::string Utf8Upper(std::string_view s);

// ---------------------------------------------------------------- family registration

void RegisterArithmeticFunctions(FunctionRegistry& r);
void RegisterComparisonFunctions(FunctionRegistry& r);
void RegisterStringFunctions(FunctionRegistry& r);
void RegisterDatetimeFunctions(FunctionRegistry& r);
void RegisterListFunctions(FunctionRegistry& r);
void RegisterJsonFunctions(FunctionRegistry& r);
void RegisterVectorFunctions(FunctionRegistry& r);
void RegisterMiscFunctions(FunctionRegistry& r);
void RegisterNumericFunctions(FunctionRegistry& r);

// Three-way comparison of row i of `a` with row j of `b` (same type, both
// valid). NULLs nested inside lists/structs sort last; floats order NaN last.
int CompareValues(const Column& a, size_t i, const Column& b, size_t j);
// Per-thread pseudo-random numbers (random(), gen_random_uuid()).
double RandomDouble();
uint64_t RandomBits();

// 64-bit hash of a row (NULL hashes to a fixed constant).
uint64_t HashRow(const Column& c, size_t i);

}  // namespace alopex::functions
