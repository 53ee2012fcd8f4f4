#include "storage/delta/delta_schema.h"

#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace alopex {

namespace {

// "decimal(10,2)", "decimal(10, 2)", "decimal".
bool ParseDecimalName(std::string_view s, int* p, int* sc) {
  if (s == "decimal") {
    *p = 10;
    *sc = 0;
    return true;
  }
  if (s.substr(0, 8) != "decimal(" || s.back() != ')') return false;
  std::string inner(s.substr(8, s.size() - 9));
  inner.erase(std::remove(inner.begin(), inner.end(), ' '), inner.end());
  size_t comma = inner.find(',');
  if (comma == std::string::npos) return false;
  try {
    *p = std::stoi(inner.substr(0, comma));
    *sc = std::stoi(inner.substr(comma + 1));
  } catch (...) {
    return false;
  }
  return *p >= 1 && *p <= 38 && *sc >= 0 && *sc <= *p;
}

Result<LogicalType> PrimitiveType(const std::string& name) {
  if (name == "string") return LogicalType(TypeId::kVarchar);
  if (name == "long") return LogicalType(TypeId::kBigInt);
  if (name == "integer") return LogicalType(TypeId::kInteger);
  if (name == "short") return LogicalType(TypeId::kSmallInt);
  if (name == "byte") return LogicalType(TypeId::kTinyInt);
  if (name == "float") return LogicalType(TypeId::kFloat);
  if (name == "double") return LogicalType(TypeId::kDouble);
  if (name == "boolean") return LogicalType(TypeId::kBoolean);
  if (name == "binary") return LogicalType(TypeId::kBlob);
  if (name == "date") return LogicalType(TypeId::kDate);
  if (name == "timestamp") return LogicalType(TypeId::kTimestampTz);
  if (name == "timestamp_ntz") return LogicalType(TypeId::kTimestamp);
  if (name == "void") return LogicalType(TypeId::kVarchar);  // never stored; read as all-null
  int p, s;
  if (ParseDecimalName(name, &p, &s)) return LogicalType::Decimal(p, s);
  return Status::NotImplemented("unsupported Delta type '" + name + "'");
}

Status ParseType(const JsonNode& type, DeltaField* out);

Result<DeltaField> ParseField(const JsonNode& f) {
  if (!f.is_object()) return Status::Corruption("schema field is not a JSON object");
  DeltaField field;
  auto name = f.GetString("name");
  if (!name) return Status::Corruption("schema field lacks 'name'");
  field.name = *name;
  field.nullable = f.GetBool("nullable").value_or(true);
  if (const JsonNode* md = f.Find("metadata"); md && md->is_object()) field.metadata = *md;
  const JsonNode* type = f.Find("type");
  if (!type) return Status::Corruption("schema field '" + field.name + "' lacks 'type'");
  Status st = ParseType(*type, &field);
  if (!st.ok()) return st.WithContext("field '" + field.name + "': ");

  // Alopex types kept in metadata.
  if (const JsonNode* dim = field.metadata.Find(kDeltaVectorDimensionKey); !dim) {
    dim = field.metadata.Find("alopex.vector.dim");
    if (dim && dim->is_number() && field.kind == DeltaField::Kind::kArray) {
      field.type = LogicalType::Vector(int(dim->int_value()));
      field.stored_type = field.type;
    }
  }
  if (const JsonNode* dim = field.metadata.Find(kDeltaVectorDimensionKey);
      dim && field.kind == DeltaField::Kind::kArray) {
    int64_t n = dim->is_number() ? dim->int_value() : (dim->is_string() ? std::atoll(dim->str().c_str()) : 0);
    if (n > 0) {
      field.type = LogicalType::Vector(int(n));
      field.stored_type = field.type;
    }
  } else if (auto t = field.metadata.GetString(kDeltaAlopexTypeKey)) {
    auto parsed = LogicalType::Parse(*t);
    if (parsed.ok()) field.type = *parsed;
  }
  return field;
}

Status ParseType(const JsonNode& type, DeltaField* out) {
  if (type.is_string()) {
    out->kind = DeltaField::Kind::kPrimitive;
    out->delta_type = type.str();
    ALOPEX_ASSIGN_OR_RETURN(out->type, PrimitiveType(AsciiLower(type.str())));
    out->stored_type = out->type;
    return Status::OK();
  }
  if (!type.is_object()) return Status::Corruption("a type must be a string or an object");
  auto kind = type.GetString("type");
  if (!kind) return Status::Corruption("a nested type lacks 'type'");
  if (*kind == "array") {
    out->kind = DeltaField::Kind::kArray;
    DeltaField elem;
    elem.name = "element";
    elem.nullable = type.GetBool("containsNull").value_or(true);
    const JsonNode* et = type.Find("elementType");
    if (!et) return Status::Corruption("array type lacks 'elementType'");
    ALOPEX_RETURN_IF_ERROR(ParseType(*et, &elem));
    out->type = LogicalType::List(elem.type);
    out->stored_type = LogicalType::List(elem.stored_type);
    out->children.push_back(std::move(elem));
    return Status::OK();
  }
  if (*kind == "map") {
    out->kind = DeltaField::Kind::kMap;
    DeltaField key, value;
    key.name = "key";
    key.nullable = false;
    value.name = "value";
    value.nullable = type.GetBool("valueContainsNull").value_or(true);
    const JsonNode* kt = type.Find("keyType");
    const JsonNode* vt = type.Find("valueType");
    if (!kt || !vt) return Status::Corruption("map type lacks 'keyType' or 'valueType'");
    ALOPEX_RETURN_IF_ERROR(ParseType(*kt, &key));
    ALOPEX_RETURN_IF_ERROR(ParseType(*vt, &value));
    out->type = LogicalType::Map(key.type, value.type);
    out->stored_type = LogicalType::Map(key.stored_type, value.stored_type);
    out->children.push_back(std::move(key));
    out->children.push_back(std::move(value));
    return Status::OK();
  }
  if (*kind == "struct") {
    out->kind = DeltaField::Kind::kStruct;
    const JsonNode* fields = type.Find("fields");
    if (!fields || !fields->is_array()) return Status::Corruption("struct type lacks 'fields'");
    std::vector<std::pair<std::string, LogicalType>> logical, stored;
    for (const auto& f : fields->items()) {
      ALOPEX_ASSIGN_OR_RETURN(DeltaField child, ParseField(f));
      logical.emplace_back(child.name, child.type);
      stored.emplace_back(child.name, child.stored_type);
      out->children.push_back(std::move(child));
    }
    out->type = LogicalType::Struct(std::move(logical));
    out->stored_type = LogicalType::Struct(std::move(stored));
    return Status::OK();
  }
  return Status::NotImplemented("unsupported Delta type '" + *kind + "'");
}

JsonNode FieldToJson(const DeltaField& f) {
  JsonNode o = JsonNode::Object();
  o.Set("name", JsonNode::String(f.name));
  o.Set("type", DeltaTypeToJson(f));
  o.Set("nullable", JsonNode::Bool(f.nullable));
  o.Set("metadata", f.metadata.is_object() ? f.metadata : JsonNode::Object());
  return o;
}

std::string DecimalName(int p, int s) { return "decimal(" + std::to_string(p) + "," + std::to_string(s) + ")"; }

// The Delta field for an Alopex type (no metadata yet); `natural` receives the
// Alopex type the Delta type reads back as without metadata.
Result<DeltaField> FieldFromType(const std::string& name, const LogicalType& t) {
  DeltaField f;
  f.name = name;
  f.type = t;
  auto prim = [&](const char* delta, LogicalType stored) -> Result<DeltaField> {
    f.kind = DeltaField::Kind::kPrimitive;
    f.delta_type = delta;
    f.stored_type = std::move(stored);
    return f;
  };
  switch (t.id()) {
    case TypeId::kBoolean: return prim("boolean", t);
    case TypeId::kTinyInt: return prim("byte", t);
    case TypeId::kSmallInt: return prim("short", t);
    case TypeId::kInteger: return prim("integer", t);
    case TypeId::kBigInt: return prim("long", t);
    case TypeId::kUTinyInt: return prim("short", TypeId::kSmallInt);
    case TypeId::kUSmallInt: return prim("integer", TypeId::kInteger);
    case TypeId::kUInteger: return prim("long", TypeId::kBigInt);
    case TypeId::kUBigInt: {
      f.kind = DeltaField::Kind::kPrimitive;
      f.delta_type = DecimalName(20, 0);
      f.stored_type = LogicalType::Decimal(20, 0);
      return f;
    }
    case TypeId::kFloat: return prim("float", t);
    case TypeId::kDouble: return prim("double", t);
    case TypeId::kDecimal: {
      if (t.width() < 1 || t.width() > 38) return Status::NotImplemented("Delta decimals have at most 38 digits");
      f.kind = DeltaField::Kind::kPrimitive;
      f.delta_type = DecimalName(t.width(), t.scale());
      f.stored_type = t;
      return f;
    }
    case TypeId::kVarchar: return prim("string", t);
    case TypeId::kBlob: return prim("binary", t);
    case TypeId::kDate: return prim("date", t);
    case TypeId::kTimestampTz: return prim("timestamp", t);
    case TypeId::kTimestamp: return prim("timestamp", TypeId::kTimestampTz);
    case TypeId::kTime: return prim("long", TypeId::kBigInt);
    case TypeId::kInterval: return prim("string", TypeId::kVarchar);
    case TypeId::kUuid: return prim("string", TypeId::kVarchar);
    case TypeId::kJson: return prim("string", TypeId::kVarchar);
    case TypeId::kVector: {
      f.kind = DeltaField::Kind::kArray;
      DeltaField elem;
      elem.name = "element";
      elem.nullable = false;
      elem.kind = DeltaField::Kind::kPrimitive;
      elem.delta_type = "float";
      elem.type = elem.stored_type = TypeId::kFloat;
      f.children.push_back(std::move(elem));
      f.stored_type = t;
      f.metadata.Set(kDeltaVectorDimensionKey, JsonNode::Int(t.dimension()));
      return f;
    }
    case TypeId::kList: {
      f.kind = DeltaField::Kind::kArray;
      ALOPEX_ASSIGN_OR_RETURN(DeltaField elem, FieldFromType("element", t.child()));
      elem.metadata = JsonNode::Object();
      f.stored_type = LogicalType::List(elem.stored_type);
      f.children.push_back(std::move(elem));
      return f;
    }
    case TypeId::kMap: {
      f.kind = DeltaField::Kind::kMap;
      ALOPEX_ASSIGN_OR_RETURN(DeltaField key, FieldFromType("key", t.key_type()));
      ALOPEX_ASSIGN_OR_RETURN(DeltaField value, FieldFromType("value", t.value_type()));
      key.nullable = false;
      key.metadata = value.metadata = JsonNode::Object();
      f.stored_type = LogicalType::Map(key.stored_type, value.stored_type);
      f.children.push_back(std::move(key));
      f.children.push_back(std::move(value));
      return f;
    }
    case TypeId::kStruct: {
      f.kind = DeltaField::Kind::kStruct;
      std::vector<std::pair<std::string, LogicalType>> stored;
      for (const auto& sf : t.fields()) {
        ALOPEX_ASSIGN_OR_RETURN(DeltaField child, FieldFromType(sf.name, *sf.type));
        stored.emplace_back(child.name, child.stored_type);
        f.children.push_back(std::move(child));
      }
      f.stored_type = LogicalType::Struct(std::move(stored));
      return f;
    }
    default: break;
  }
  return Status::NotImplemented("type " + t.ToString() + " has no Delta Lake representation");
}

// The type a Delta field reads back as without Alopex metadata.
LogicalType NaturalType(const DeltaField& f) {
  switch (f.kind) {
    case DeltaField::Kind::kPrimitive: return PrimitiveType(f.delta_type).value();
    case DeltaField::Kind::kArray: return LogicalType::List(NaturalType(f.children[0]));
    case DeltaField::Kind::kMap: return LogicalType::Map(NaturalType(f.children[0]), NaturalType(f.children[1]));
    case DeltaField::Kind::kStruct: {
      std::vector<std::pair<std::string, LogicalType>> fields;
      for (const auto& c : f.children) fields.emplace_back(c.name, NaturalType(c));
      return LogicalType::Struct(std::move(fields));
    }
  }
  return LogicalType();
}

}  // namespace

Result<ColumnMappingMode> ParseColumnMappingMode(std::string_view mode) {
  std::string m = AsciiLower(mode);
  if (m.empty() || m == "none") return ColumnMappingMode::kNone;
  if (m == "name") return ColumnMappingMode::kName;
  if (m == "id") return ColumnMappingMode::kId;
  return Status::NotImplemented("unsupported delta.columnMapping.mode '" + std::string(mode) + "'");
}

std::string DeltaField::PhysicalName(ColumnMappingMode mode) const {
  if (mode != ColumnMappingMode::kNone) {
    if (auto p = metadata.GetString("delta.columnMapping.physicalName")) return *p;
  }
  return name;
}

std::optional<int> DeltaField::FieldId() const {
  if (auto id = metadata.GetInt("delta.columnMapping.id")) return int(*id);
  return std::nullopt;
}

std::vector<std::string> DeltaSchema::names() const {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

std::vector<LogicalType> DeltaSchema::types() const {
  std::vector<LogicalType> out;
  for (const auto& f : fields) out.push_back(f.type);
  return out;
}

int DeltaSchema::FieldIndex(std::string_view name) const {
  std::string l = AsciiLower(name);
  for (size_t i = 0; i < fields.size(); i++)
    if (AsciiLower(fields[i].name) == l) return int(i);
  return -1;
}

Result<DeltaSchema> ParseDeltaSchema(std::string_view schema_string) {
  auto root = JsonNode::Parse(schema_string);
  if (!root.ok()) return root.status().WithContext("schemaString: ");
  if (root->GetString("type") != "struct") return Status::Corruption("schemaString is not a struct type");
  const JsonNode* fields = root->Find("fields");
  if (!fields || !fields->is_array()) return Status::Corruption("schemaString lacks 'fields'");
  DeltaSchema schema;
  for (const auto& f : fields->items()) {
    auto field = ParseField(f);
    if (!field.ok()) return field.status().WithContext("schemaString: ");
    schema.fields.push_back(std::move(*field));
  }
  return schema;
}

JsonNode DeltaTypeToJson(const DeltaField& f) {
  switch (f.kind) {
    case DeltaField::Kind::kPrimitive: return JsonNode::String(f.delta_type);
    case DeltaField::Kind::kArray: {
      JsonNode o = JsonNode::Object();
      o.Set("type", JsonNode::String("array"));
      o.Set("elementType", DeltaTypeToJson(f.children[0]));
      o.Set("containsNull", JsonNode::Bool(f.children[0].nullable));
      return o;
    }
    case DeltaField::Kind::kMap: {
      JsonNode o = JsonNode::Object();
      o.Set("type", JsonNode::String("map"));
      o.Set("keyType", DeltaTypeToJson(f.children[0]));
      o.Set("valueType", DeltaTypeToJson(f.children[1]));
      o.Set("valueContainsNull", JsonNode::Bool(f.children[1].nullable));
      return o;
    }
    case DeltaField::Kind::kStruct: {
      JsonNode o = JsonNode::Object();
      o.Set("type", JsonNode::String("struct"));
      JsonNode fields = JsonNode::Array();
      for (const auto& c : f.children) fields.Push(FieldToJson(c));
      o.Set("fields", std::move(fields));
      return o;
    }
  }
  return JsonNode();
}

std::string SerializeDeltaSchema(const DeltaSchema& schema) {
  JsonNode root = JsonNode::Object();
  root.Set("type", JsonNode::String("struct"));
  JsonNode fields = JsonNode::Array();
  for (const auto& f : schema.fields) fields.Push(FieldToJson(f));
  root.Set("fields", std::move(fields));
  return root.Serialize();
}

Result<DeltaSchema> DeltaSchemaFromColumns(const std::vector<std::string>& names,
                                           const std::vector<LogicalType>& types) {
  if (names.size() != types.size()) return Status::InvalidArgument("column names and types differ in number");
  DeltaSchema schema;
  std::set<std::string> seen;
  for (size_t i = 0; i < names.size(); i++) {
    if (names[i].empty()) return Status::InvalidArgument("column " + std::to_string(i + 1) + " has an empty name");
    if (!seen.insert(AsciiLower(names[i])).second)
      return Status::InvalidArgument("duplicate column name '" + names[i] + "' (Delta names are case-insensitive)");
    auto field = FieldFromType(names[i], types[i]);
    if (!field.ok()) return field.status().WithContext("column '" + names[i] + "': ");
    if (types[i].id() != TypeId::kVector && NaturalType(*field) != types[i])
      field->metadata.Set(kDeltaAlopexTypeKey, JsonNode::String(types[i].ToString()));
    schema.fields.push_back(std::move(*field));
  }
  return schema;
}

LogicalType PhysicalType(const DeltaField& f, ColumnMappingMode mode) {
  if (f.type.id() == TypeId::kVector) return f.stored_type;
  switch (f.kind) {
    case DeltaField::Kind::kPrimitive: return f.stored_type;
    case DeltaField::Kind::kArray: return LogicalType::List(PhysicalType(f.children[0], mode));
    case DeltaField::Kind::kMap:
      return LogicalType::Map(PhysicalType(f.children[0], mode), PhysicalType(f.children[1], mode));
    case DeltaField::Kind::kStruct: {
      std::vector<std::pair<std::string, LogicalType>> fields;
      for (const auto& c : f.children) fields.emplace_back(c.PhysicalName(mode), PhysicalType(c, mode));
      return LogicalType::Struct(std::move(fields));
    }
  }
  return f.stored_type;
}

}  // namespace alopex
