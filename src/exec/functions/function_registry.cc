// FunctionRegistry: name lookup with alias resolution and "did you mean"
// suggestions, and the overload-matching helpers every family uses.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/cast.h"
#include "common/text.h"
#include "exec/function.h"
#include "exec/functions/function_binding.h"

namespace alopex {

namespace {



}  // namespace

const FunctionRegistry& FunctionRegistry::BuiltIns() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    RegisterBuiltinScalarFunctions(*r);
    return r;
  }();
  return *registry;
}

void FunctionRegistry::Register(const std::string& name, ScalarBinder binder) {
  std::string key = AsciiLower(name);
  // Several binders under one name are tried in registration order; keep the
  // vector sorted by name and stable within a name.
  auto it = std::upper_bound(functions_.begin(), functions_.end(), key,
                             [](const std::string& k, const auto& e) { return k < e.first; });
  functions_.insert(it, {key, std::move(binder)});
}

void FunctionRegistry::Alias(const std::string& alias, const std::string& name) {
  std::string key = AsciiLower(alias);
  auto it = std::lower_bound(aliases_.begin(), aliases_.end(), key,
                             [](const auto& e, const std::string& k) { return e.first < k; });
  if (it != aliases_.end() && it->first == key) {
    it->second = AsciiLower(name);
    return;
  }
  aliases_.insert(it, {key, AsciiLower(name)});
}

bool FunctionRegistry::Exists(const std::string& name) const {
  std::string key = AsciiLower(name);
  auto a = std::lower_bound(aliases_.begin(), aliases_.end(), key,
                            [](const auto& e, const std::string& k) { return e.first < k; });
  if (a != aliases_.end() && a->first == key) key = a->second;
  auto it = std::lower_bound(functions_.begin(), functions_.end(), key,
                             [](const auto& e, const std::string& k) { return e.first < k; });
  return it != functions_.end() && it->first == key;
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [n, b] : functions_)
    if (names.empty() || names.back() != n) names.push_back(n);
  for (const auto& [a, n] : aliases_) names.push_back(a);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<BoundScalarFunction> FunctionRegistry::Bind(const ScalarBindInput& input) const {
  std::string key = AsciiLower(input.name);
  auto a = std::lower_bound(aliases_.begin(), aliases_.end(), key,
                            [](const auto& e, const std::string& k) { return e.first < k; });
  if (a != aliases_.end() && a->first == key) key = a->second;
  auto it = std::lower_bound(functions_.begin(), functions_.end(), key,
                             [](const auto& e, const std::string& k) { return e.first < k; });
  if (it == functions_.end() || it->first != key) {
    std::vector<std::string> names;
    for (const auto& n : Names())
      if (!n.empty() && std::isalpha(static_cast<unsigned char>(n[0]))) names.push_back(n);  // not operators
    std::string best = ClosestName(input.name, names, std::max<size_t>(3, input.name.size() / 2));
    std::string msg = "Scalar function \"" + input.name + "\" does not exist.";
    if (!best.empty()) msg += " Did you mean \"" + best + "\"?";
    return Status::BinderError(msg);
  }
  ScalarBindInput in = input;
  in.name = AsciiLower(input.name);
  if (in.constant_args.size() < in.arg_types.size()) in.constant_args.resize(in.arg_types.size(), nullptr);
  Status first_error;
  for (; it != functions_.end() && it->first == key; ++it) {
    auto r = it->second(in);
    if (r.ok()) {
      BoundScalarFunction f = std::move(r).value();
      if (f.name.empty()) f.name = in.name;
      return f;
    }
    if (first_error.ok() && !functions::IsDecline(r.status())) first_error = r.status();
  }
  if (first_error.ok()) return functions::NoMatch(in, std::vector<std::string>{});
  return first_error;
}

void RegisterBuiltinScalarFunctions(FunctionRegistry& registry) {
  functions::RegisterArithmeticFunctions(registry);
  functions::RegisterComparisonFunctions(registry);
  functions::RegisterStringFunctions(registry);
  functions::RegisterDatetimeFunctions(registry);
  functions::RegisterNumericFunctions(registry);
  functions::RegisterListFunctions(registry);
  functions::RegisterJsonFunctions(registry);
  functions::RegisterVectorFunctions(registry);
  functions::RegisterMiscFunctions(registry);
}

// ---------------------------------------------------------------- binding helpers

namespace functions {

std::string CallString(const std::string& name, const std::vector<LogicalType>& args) {
  std::string s = name + "(";
  for (size_t i = 0; i < args.size(); i++) {
    if (i) s += ", ";
    s += args[i].ToString();
  }
  return s + ")";
}

Status NoMatch(const ScalarBindInput& in, const std::vector<std::string>& candidates) {
  std::string msg = "No function matches " + CallString(in.name, in.arg_types) + ".";
  if (!candidates.empty()) {
    msg += " Candidates: ";
    for (size_t i = 0; i < candidates.size(); i++) {
      if (i) msg += ", ";
      msg += candidates[i];
    }
  }
  return Status::BinderError(msg);
}

Status NoMatch(const ScalarBindInput& in, const std::string& candidates) {
  return NoMatch(in, std::vector<std::string>{candidates});
}

int MatchCost(const LogicalType& param, const LogicalType& arg) {
  if (param == arg) return 0;
  if (arg.id() == TypeId::kNull) return 1;
  // A parameter of type NULL accepts anything unchanged ("any").
  if (param.id() == TypeId::kNull) return 0;
  if (CanImplicitlyCast(arg, param)) return 2;
  return -1;
}

Status CheckArgCount(const ScalarBindInput& in, size_t min, size_t max) {
  size_t n = in.arg_types.size();
  if (n >= min && n <= max) return Status::OK();
  std::string expect = min == max ? std::to_string(min) : (max == SIZE_MAX ? "at least " + std::to_string(min)
                                                                             : std::to_string(min) + " to " + std::to_string(max));
  return Status::BinderError("Function " + in.name + " takes " + expect + " argument" + (max == 1 && min == 1 ? "" : "s") +
                             ", got " + std::to_string(n) + " in " + CallString(in.name, in.arg_types));
}

BoundScalarFunction MakeBound(const ScalarBindInput& in, std::vector<LogicalType> args, LogicalType ret,
                              ScalarKernel kernel) {
  BoundScalarFunction f;
  f.name = in.name;
  f.arg_types = std::move(args);
  f.return_type = std::move(ret);
  f.kernel = std::move(kernel);
  return f;
}

Result<BoundScalarFunction> BindSignatures(const ScalarBindInput& in, const std::vector<Signature>& sigs) {
  const Signature* best = nullptr;
  int best_cost = 1 << 30;
  for (const auto& s : sigs) {
    size_t n = in.arg_types.size();
    if (!s.variadic && n != s.args.size()) continue;
    if (s.variadic && n + 1 < s.args.size()) continue;
    int cost = 0;
    for (size_t i = 0; i < n && cost >= 0; i++) {
      const LogicalType& p = i < s.args.size() ? s.args[i] : s.args.back();
      int c = MatchCost(p, in.arg_types[i]);
      cost = c < 0 ? -1 : cost + c;
    }
    if (cost >= 0 && cost < best_cost) {
      best = &s;
      best_cost = cost;
    }
  }
  if (!best) {
    std::vector<std::string> cands;
    for (const auto& s : sigs) {
      std::vector<LogicalType> a = s.args;
      std::string c = CallString(in.name, a);
      if (s.variadic) c.insert(c.size() - 1, ", ...");
      cands.push_back(c);
    }
    return NoMatch(in, cands);
  }
  BoundScalarFunction f;
  f.name = in.name;
  for (size_t i = 0; i < in.arg_types.size(); i++) {
    const LogicalType& p = i < best->args.size() ? best->args[i] : best->args.back();
    f.arg_types.push_back(p.id() == TypeId::kNull ? in.arg_types[i] : p);
  }
  f.return_type = best->ret;
  f.kernel = best->kernel;
  f.propagates_nulls = best->propagates_nulls;
  return f;
}

ScalarBinder FixedBinder(std::vector<Signature> sigs) {
  return [sigs = std::move(sigs)](const ScalarBindInput& in) { return BindSignatures(in, sigs); };
}

int64_t GetInt(const Column& c, size_t i) {
  switch (c.type().id()) {
    case TypeId::kBoolean: case TypeId::kUTinyInt: return c.data<uint8_t>()[i];
    case TypeId::kTinyInt: return c.data<int8_t>()[i];
    case TypeId::kSmallInt: return c.data<int16_t>()[i];
    case TypeId::kUSmallInt: return c.data<uint16_t>()[i];
    case TypeId::kInteger: case TypeId::kDate: return c.data<int32_t>()[i];
    case TypeId::kUInteger: return c.data<uint32_t>()[i];
    case TypeId::kFloat: return int64_t(std::llround(c.data<float>()[i]));
    case TypeId::kDouble: return int64_t(std::llround(c.data<double>()[i]));
    default: return c.data<int64_t>()[i];
  }
}

double GetDouble(const Column& c, size_t i) {
  switch (c.type().id()) {
    case TypeId::kFloat: return c.data<float>()[i];
    case TypeId::kDouble: return c.data<double>()[i];
    case TypeId::kUBigInt: return double(c.data<uint64_t>()[i]);
    case TypeId::kDecimal: {
      long double v = c.type().width() <= 18 ? (long double)c.data<int64_t>()[i] : (long double)c.data<__int128>()[i];
      return double(v / std::pow(10.0L, c.type().scale()));
    }
    default: return double(GetInt(c, i));
  }
}

// ---------------------------------------------------------------- UTF-8

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t Utf8Offset(std::string_view s, size_t cp) {
  size_t p = 0;
  while (p < s.size() && cp > 0) {
    p++;
    while (p < s.size() && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) p++;
    cp--;
  }
  return p;
}

uint32_t Utf8Decode(std::string_view s, size_t* pos) {
  size_t p = *pos;
  unsigned char c = static_cast<unsigned char>(s[p]);
  auto cont = [&](size_t k) { return p + k < s.size() && (static_cast<unsigned char>(s[p + k]) & 0xC0) == 0x80; };
  if (c < 0x80) {
    *pos = p + 1;
    return c;
  }
  if ((c & 0xE0) == 0xC0 && cont(1)) {
    *pos = p + 2;
    return (uint32_t(c & 0x1F) << 6) | (static_cast<unsigned char>(s[p + 1]) & 0x3F);
  }
  if ((c & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    *pos = p + 3;
    return (uint32_t(c & 0x0F) << 12) | (uint32_t(static_cast<unsigned char>(s[p + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(s[p + 2]) & 0x3F);
  }
  if ((c & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    *pos = p + 4;
    return (uint32_t(c & 0x07) << 18) | (uint32_t(static_cast<unsigned char>(s[p + 1]) & 0x3F) << 12) |
           (uint32_t(static_cast<unsigned char>(s[p + 2]) & 0x3F) << 6) | (static_cast<unsigned char>(s[p + 3]) & 0x3F);
  }
  *pos = p + 1;
  return c;
}


uint32_t ToLowerCp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

uint32_t ToUpperCp(uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0x80) return c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c : c - 1;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c - 1 : c;
  }
  if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

namespace {
template <typename Map>
std::string MapCase(std::string_view s, Map map, bool lower) {
  std::string out;
  out.resize(s.size());
  size_t i = 0;
  // ASCII fast path.
  for (; i < s.size(); i++) {
    char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) break;
    if (lower)
      out[i] = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    else
      out[i] = (c >= 'a' && c <= 'z') ? char(c - 32) : c;
  }
  if (i == s.size()) return out;
  out.resize(i);
  while (i < s.size()) AppendUtf8(&out, map(Utf8Decode(s, &i)));
  return out;
}
}  // namespace

std::string Utf8Lower(std::string_view s) { return MapCase(s, ToLowerCp, true); }
std::string Utf8Upper(std::string_view s) { return MapCase(s, ToUpperCp, false); }

}  // namespace functions

}  // namespace alopex
