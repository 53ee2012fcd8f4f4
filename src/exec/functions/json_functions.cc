// JSON functions over JSONB (validated text) and VARCHAR (validated on the
// way in): -> and ->> access, json_extract[_string] with '$.a.b[0]' paths,
// json_valid, json_type, json_array_length, json_keys, to_json, json_object,
// json_array.
#include <memory>

#include "common/cast.h"
#include "common/json_text.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const LogicalType kJson(TypeId::kJson);
const LogicalType kVarchar(TypeId::kVarchar);
const LogicalType kBigInt(TypeId::kBigInt);

using Path = std::vector<JsonPathStep>;

bool IsJsonInput(const LogicalType& t) {
  return t.id() == TypeId::kJson || t.id() == TypeId::kVarchar || t.id() == TypeId::kNull;
}

// The path of row i: from the bound constant, or parsed from the row (a key,
// a '$' path, or an integer index).
Result<Path> RowPath(const ScalarCall& call, size_t arg, size_t i) {
  const Column& c = *call.args[arg];
  if (c.type().IsInteger()) {
    JsonPathStep s;
    s.is_index = true;
    s.index = GetInt(c, i);
    return Path{s};
  }
  return ParseJsonPath(c.GetStringView(i));
}

enum class Output { kJson, kText };

// Writes the extracted value (JSON text, or text with strings unquoted); NULL
// when missing or JSON null (for text).
void WriteExtracted(Column* out, size_t i, std::string_view v, Output mode, std::string* scratch) {
  if (mode == Output::kJson) {
    out->SetString(i, v);
    return;
  }
  JsonKind k = JsonKindOf(v);
  if (k == JsonKind::kNull) {
    out->SetNull(i);
  } else if (k == JsonKind::kString && JsonUnquote(v, scratch)) {
    out->SetString(i, *scratch);
  } else {
    out->SetString(i, v);
  }
}

Result<BoundScalarFunction> BindExtract(const ScalarBindInput& in, Output mode) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  const LogicalType& path_type = in.arg_types[1];
  if (!IsJsonInput(in.arg_types[0]) || !(path_type.id() == TypeId::kVarchar || path_type.IsInteger() ||
                                         path_type.id() == TypeId::kNull))
    return NoMatch(in, std::vector<std::string>{in.name + "(JSON, VARCHAR)", in.name + "(JSON, BIGINT)"});
  LogicalType pt = path_type.IsInteger() ? kBigInt : kVarchar;
  std::shared_ptr<Path> fixed;
  if (const Value* pc = ConstantArg(in, 1); pc && !pc->is_null()) {
    if (pc->type().IsInteger()) {
      JsonPathStep s;
      s.is_index = true;
      s.index = pc->GetInt64();
      fixed = std::make_shared<Path>(Path{s});
    } else {
      ALOPEX_ASSIGN_OR_RETURN(Path p, ParseJsonPath(pc->GetString()));
      fixed = std::make_shared<Path>(std::move(p));
    }
  }
  LogicalType ret = mode == Output::kJson ? kJson : kVarchar;
  return MakeBound(in, {kJson, pt}, ret, [fixed, mode](ScalarCall& call) -> Status {
    std::string scratch;
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      Path row_path;
      const Path* path = fixed.get();
      if (!path) {
        ALOPEX_ASSIGN_OR_RETURN(row_path, RowPath(call, 1, i));
        path = &row_path;
      }
      std::string_view v;
      if (!JsonExtract(Str(call, 0, i), *path, &v)) {
        call.out->SetNull(i);
        continue;
      }
      WriteExtracted(call.out, i, v, mode, &scratch);
    }
    return Status::OK();
  });
}

// f(json[, path]): the function applies to the value at the optional path.
template <typename Apply>
Result<BoundScalarFunction> BindJsonUnary(const ScalarBindInput& in, LogicalType ret, Apply apply) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 2));
  if (!IsJsonInput(in.arg_types[0]) || (in.arg_types.size() == 2 && MatchCost(kVarchar, in.arg_types[1]) < 0))
    return NoMatch(in, in.name + "(JSON[, VARCHAR])");
  std::vector<LogicalType> args = {kJson};
  if (in.arg_types.size() == 2) args.push_back(kVarchar);
  std::shared_ptr<Path> fixed;
  if (in.arg_types.size() == 2)
    if (const Value* pc = ConstantArg(in, 1); pc && !pc->is_null()) {
      ALOPEX_ASSIGN_OR_RETURN(Path p, ParseJsonPath(pc->GetString()));
      fixed = std::make_shared<Path>(std::move(p));
    }
  return MakeBound(in, args, ret, [fixed, apply](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      std::string_view v = Str(call, 0, i);
      if (call.args.size() == 2) {
        Path row_path;
        const Path* path = fixed.get();
        if (!path) {
          ALOPEX_ASSIGN_OR_RETURN(row_path, ParseJsonPath(Str(call, 1, i)));
          path = &row_path;
        }
        if (!JsonExtract(v, *path, &v)) {
          call.out->SetNull(i);
          continue;
        }
      }
      apply(call.out, i, JsonTrim(v));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindToJson(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  LogicalType t = in.arg_types[0].id() == TypeId::kNull ? kJson : in.arg_types[0];
  auto f = MakeBound(in, {t}, kJson, [](ScalarCall& call) -> Status {
    std::string buf;
    for (size_t i = 0; i < call.count; i++) {
      buf.clear();
      AppendValueJson(*call.args[0], i, &buf);
      call.out->SetString(i, buf);
    }
    return Status::OK();
  });
  return f;
}

Result<BoundScalarFunction> BindJsonObject(const ScalarBindInput& in) {
  if (in.arg_types.size() % 2 != 0) return Status::BinderError("json_object takes key/value pairs: json_object('a', 1, 'b', 2)");
  std::vector<LogicalType> args;
  for (size_t k = 0; k < in.arg_types.size(); k++) {
    if (k % 2 == 0) {
      if (MatchCost(kVarchar, in.arg_types[k]) < 0) return NoMatch(in, "json_object(VARCHAR, ANY, ...)");
      args.push_back(kVarchar);
    } else {
      args.push_back(in.arg_types[k].id() == TypeId::kNull ? kJson : in.arg_types[k]);
    }
  }
  auto f = MakeBound(in, args, kJson, [](ScalarCall& call) -> Status {
    std::string buf;
    for (size_t i = 0; i < call.count; i++) {
      buf = "{";
      for (size_t k = 0; k + 1 < call.args.size(); k += 2) {
        if (!call.args[k]->IsValid(i)) return Status::InvalidArgument("json_object: a key is NULL");
        if (k) buf += ',';
        AppendJsonString(&buf, Str(call, k, i));
        buf += ':';
        AppendValueJson(*call.args[k + 1], i, &buf);
      }
      buf += '}';
      call.out->SetString(i, buf);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindJsonArray(const ScalarBindInput& in) {
  std::vector<LogicalType> args;
  for (const auto& t : in.arg_types) args.push_back(t.id() == TypeId::kNull ? kJson : t);
  auto f = MakeBound(in, args, kJson, [](ScalarCall& call) -> Status {
    std::string buf;
    for (size_t i = 0; i < call.count; i++) {
      buf = "[";
      for (size_t k = 0; k < call.args.size(); k++) {
        if (k) buf += ',';
        AppendValueJson(*call.args[k], i, &buf);
      }
      buf += ']';
      call.out->SetString(i, buf);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

}  // namespace

void RegisterJsonFunctions(FunctionRegistry& r) {
  r.Register("->", [](const ScalarBindInput& in) { return BindExtract(in, Output::kJson); });
  r.Register("->>", [](const ScalarBindInput& in) { return BindExtract(in, Output::kText); });
  r.Register("json_extract", [](const ScalarBindInput& in) { return BindExtract(in, Output::kJson); });
  r.Register("json_extract_string", [](const ScalarBindInput& in) { return BindExtract(in, Output::kText); });
  r.Alias("json_extract_path", "json_extract");
  r.Alias("json_extract_path_text", "json_extract_string");
  r.Register("json_valid", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    if (MatchCost(kVarchar, in.arg_types[0]) < 0 && in.arg_types[0].id() != TypeId::kJson)
      return NoMatch(in, "json_valid(VARCHAR)");
    // VARCHAR stays VARCHAR: validity is the answer, not an error.
    LogicalType t = in.arg_types[0].id() == TypeId::kJson ? kJson : kVarchar;
    return MakeBound(in, {t}, TypeId::kBoolean, UnaryKernel<StringRef, uint8_t>([](const StringRef& s) {
                       return ValidateJson(s.view());
                     }));
  });
  r.Register("json_type", [](const ScalarBindInput& in) {
    return BindJsonUnary(in, kVarchar, [](Column* out, size_t i, std::string_view v) {
      out->SetString(i, JsonKindName(JsonKindOf(v), v));
    });
  });
  r.Register("json_array_length", [](const ScalarBindInput& in) {
    return BindJsonUnary(in, kBigInt, [](Column* out, size_t i, std::string_view v) {
      int64_t n = JsonArrayLength(v);
      out->data<int64_t>()[i] = n < 0 ? 0 : n;
    });
  });
  r.Register("json_keys", [](const ScalarBindInput& in) {
    return BindJsonUnary(in, LogicalType::List(kVarchar), [](Column* out, size_t i, std::string_view v) {
      Column& child = out->child();
      size_t at = child.size();
      auto keys = JsonObjectKeys(v);
      child.Resize(at + keys.size());
      for (size_t k = 0; k < keys.size(); k++) child.SetString(at + k, keys[k]);
      out->list_entries()[i] = {at, keys.size()};
    });
  });
  r.Register("to_json", BindToJson);
  r.Register("json_object", BindJsonObject);
  r.Register("json_array", BindJsonArray);
  r.Register("json", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    if (!IsJsonInput(in.arg_types[0])) return NoMatch(in, "json(VARCHAR)");
    // The binder's cast to JSONB validates; the kernel passes the text through.
    return MakeBound(in, {kJson}, kJson, [](ScalarCall& call) -> Status {
      call.out->CopyFrom(*call.args[0], 0, 0, call.count);
      return Status::OK();
    });
  });
}

}  // namespace alopex::functions
