#include "formats/parquet/parquet_schema.h"

#include <cctype>

namespace alopex::parquet {

namespace {

constexpr int kMaxNesting = 64;

struct TreeNode {
  int elem = 0;
  std::vector<int> kids;  // indices into the tree vector
};

class SchemaBuilder {
 public:
  SchemaBuilder(const FileMetaData& md, ParquetSchema* out) : md_(md), out_(out) {}

  Status Build() {
    const auto& s = md_.schema;
    if (s.empty()) return Status::Corruption("schema is empty");
    size_t cursor = 0;
    int root;
    ALOPEX_RETURN_IF_ERROR(Flatten(&cursor, 0, &root));
    if (cursor != s.size())
      return Status::Corruption("schema has " + std::to_string(s.size() - cursor) + " elements outside the root");
    const TreeNode& r = tree_[root];
    for (int k : r.kids) {
      ColumnNode node;
      ALOPEX_RETURN_IF_ERROR(ConvertField(k, 0, 0, false, {}, 1, &node));
      out_->names.push_back(node.name);
      out_->types.push_back(node.type);
      out_->columns.push_back(std::move(node));
    }
    return Status::OK();
  }

 private:
  const SchemaElement& E(int tree_index) const { return md_.schema[size_t(tree_[tree_index].elem)]; }

  Status Flatten(size_t* cursor, int depth, int* out_index) {
    if (depth > kMaxNesting) return Status::Corruption("schema nested more than 64 levels deep");
    if (*cursor >= md_.schema.size()) return Status::Corruption("schema ends inside a group");
    int elem = int((*cursor)++);
    const SchemaElement& e = md_.schema[size_t(elem)];
    int idx = int(tree_.size());
    tree_.push_back({elem, {}});
    bool is_group = e.num_children.has_value() && (!e.type.has_value() || *e.num_children > 0);
    if (depth == 0) is_group = true;
    if (is_group) {
      int32_t n = e.num_children.value_or(0);
      if (n < 0 || size_t(n) > md_.schema.size() - *cursor)
        return Status::Corruption("schema element '" + e.name + "' claims " + std::to_string(n) + " children");
      if (n == 0 && depth > 0) return Status::Corruption("schema group '" + e.name + "' has no children");
      for (int32_t i = 0; i < n; i++) {
        int kid;
        ALOPEX_RETURN_IF_ERROR(Flatten(cursor, depth + 1, &kid));
        tree_[size_t(idx)].kids.push_back(kid);
      }
    } else if (!e.type.has_value()) {
      return Status::Corruption("schema element '" + e.name + "' has neither a type nor children");
    }
    *out_index = idx;
    return Status::OK();
  }

  bool IsGroup(int t) const { return !tree_[t].kids.empty(); }
  Repetition Rep(int t) const { return E(t).repetition_type.value_or(Repetition::kOptional); }
  bool IsListAnnotated(int t) const {
    const auto& e = E(t);
    return e.logical_type.kind == LogicalTypeInfo::kList || (e.converted_type && *e.converted_type == ConvertedType::kList);
  }
  bool IsMapAnnotated(int t) const {
    const auto& e = E(t);
    return e.logical_type.kind == LogicalTypeInfo::kMap ||
           (e.converted_type && (*e.converted_type == ConvertedType::kMap ||
                                 *e.converted_type == ConvertedType::kMapKeyValue));
  }

  // Converts schema node `t` whose parent sits at (def, rep). `force_required`
  // treats a repeated node as the element of an enclosing list.
  Status ConvertField(int t, int def, int rep, bool force_required, std::vector<std::string> path, int depth,
                      ColumnNode* out) {
    if (depth > kMaxNesting) return Status::Corruption("schema nested too deeply");
    const SchemaElement& e = E(t);
    path.push_back(e.name);
    Repetition r = force_required ? Repetition::kRequired : Rep(t);
    if (int32_t(r) < 0 || int32_t(r) > 2)
      return Status::Corruption("schema element '" + e.name + "' has invalid repetition " + std::to_string(int(r)));
    out->name = e.name;
    out->first_leaf = int(out_->leaves.size());
    if (r == Repetition::kRepeated) {
      // A repeated field that no LIST covers: a required list of required elements.
      out->kind = IsGroup(t) && IsMapAnnotated(t) && tree_[t].kids.size() == 2 ? ColumnNode::kMap : ColumnNode::kList;
      out->def_null = def;
      out->def_nonempty = def + 1;
      out->rep = rep + 1;
      ColumnNode elem;
      if (out->kind == ColumnNode::kMap) {
        ALOPEX_RETURN_IF_ERROR(ConvertStructChildren(t, def + 1, rep + 1, path, depth, &elem));
        out->type = LogicalType::Map(elem.children[0].type, elem.children[1].type);
      } else {
        std::vector<std::string> parent_path(path.begin(), path.end() - 1);
        ALOPEX_RETURN_IF_ERROR(ConvertField(t, def + 1, rep + 1, true, parent_path, depth + 1, &elem));
        elem.name = "element";
        out->type = LogicalType::List(elem.type);
      }
      out->children.push_back(std::move(elem));
      out->num_leaves = int(out_->leaves.size()) - out->first_leaf;
      return Status::OK();
    }
    int self_def = def + (r == Repetition::kOptional ? 1 : 0);
    out->def_null = self_def;
    if (IsGroup(t) && IsListAnnotated(t)) {
      ALOPEX_RETURN_IF_ERROR(ConvertList(t, self_def, rep, path, depth, out));
    } else if (IsGroup(t) && IsMapAnnotated(t)) {
      ALOPEX_RETURN_IF_ERROR(ConvertMap(t, self_def, rep, path, depth, out));
    } else if (IsGroup(t)) {
      ALOPEX_RETURN_IF_ERROR(ConvertStructChildren(t, self_def, rep, path, depth, out));
    } else {
      ALOPEX_RETURN_IF_ERROR(ConvertLeaf(t, self_def, rep, path, out));
    }
    out->num_leaves = int(out_->leaves.size()) - out->first_leaf;
    return Status::OK();
  }

  Status ConvertStructChildren(int t, int self_def, int rep, const std::vector<std::string>& path, int depth,
                               ColumnNode* out) {
    out->kind = ColumnNode::kStruct;
    out->def_null = self_def;
    std::vector<std::pair<std::string, LogicalType>> fields;
    for (int k : tree_[t].kids) {
      ColumnNode child;
      ALOPEX_RETURN_IF_ERROR(ConvertField(k, self_def, rep, false, path, depth + 1, &child));
      fields.emplace_back(child.name, child.type);
      out->children.push_back(std::move(child));
    }
    out->type = LogicalType::Struct(std::move(fields));
    return Status::OK();
  }

  Status ConvertList(int t, int self_def, int rep, const std::vector<std::string>& path, int depth, ColumnNode* out) {
    const auto& kids = tree_[t].kids;
    if (kids.size() != 1 || Rep(kids[0]) != Repetition::kRepeated) {
      // Not a list after all: read it as a struct.
      return ConvertStructChildren(t, self_def, rep, path, depth, out);
    }
    int r = kids[0];
    out->kind = ColumnNode::kList;
    out->def_nonempty = self_def + 1;
    out->rep = rep + 1;
    ColumnNode elem;
    const auto& rk = tree_[r].kids;
    bool repeated_is_element =
        !IsGroup(r) || rk.size() >= 2 || (rk.size() == 1 && Rep(rk[0]) == Repetition::kRepeated) ||
        E(r).name == "array" || E(r).name == E(t).name + "_tuple";
    if (repeated_is_element) {
      ALOPEX_RETURN_IF_ERROR(ConvertField(r, self_def + 1, rep + 1, true, path, depth + 1, &elem));
    } else {
      std::vector<std::string> p = path;
      p.push_back(E(r).name);
      ALOPEX_RETURN_IF_ERROR(ConvertField(rk[0], self_def + 1, rep + 1, false, p, depth + 1, &elem));
    }
    elem.name = "element";
    out->type = LogicalType::List(elem.type);
    out->children.push_back(std::move(elem));
    return Status::OK();
  }

  Status ConvertMap(int t, int self_def, int rep, const std::vector<std::string>& path, int depth, ColumnNode* out) {
    const auto& kids = tree_[t].kids;
    if (kids.size() != 1 || Rep(kids[0]) != Repetition::kRepeated || !IsGroup(kids[0]) ||
        tree_[kids[0]].kids.size() != 2) {
      if (kids.size() == 1 && Rep(kids[0]) == Repetition::kRepeated) return ConvertList(t, self_def, rep, path, depth, out);
      return ConvertStructChildren(t, self_def, rep, path, depth, out);
    }
    int kv = kids[0];
    out->kind = ColumnNode::kMap;
    out->def_nonempty = self_def + 1;
    out->rep = rep + 1;
    std::vector<std::string> p = path;
    p.push_back(E(kv).name);
    ColumnNode entry;
    entry.name = E(kv).name;
    entry.first_leaf = int(out_->leaves.size());
    ALOPEX_RETURN_IF_ERROR(ConvertStructChildren(kv, self_def + 1, rep + 1, p, depth + 1, &entry));
    entry.children[0].name = "key";
    entry.children[1].name = "value";
    entry.type = LogicalType::Struct({{"key", entry.children[0].type}, {"value", entry.children[1].type}});
    entry.num_leaves = int(out_->leaves.size()) - entry.first_leaf;
    out->type = LogicalType::Map(entry.children[0].type, entry.children[1].type);
    out->children.push_back(std::move(entry));
    return Status::OK();
  }

  Status ConvertLeaf(int t, int self_def, int rep, const std::vector<std::string>& path, ColumnNode* out) {
    const SchemaElement& e = E(t);
    LeafInfo leaf;
    leaf.column_index = int(out_->leaves.size());
    leaf.element = &e;
    int32_t pt = int32_t(*e.type);
    if (pt < 0 || pt > 7)
      return Status::Corruption("schema element '" + e.name + "' has invalid physical type " + std::to_string(pt));
    leaf.physical = *e.type;
    leaf.type_length = e.type_length.value_or(0);
    if (leaf.physical == Type::kFixedLenByteArray && (leaf.type_length <= 0 || leaf.type_length > (1 << 24)))
      return Status::Corruption("FIXED_LEN_BYTE_ARRAY column '" + e.name + "' has invalid length " +
                                std::to_string(leaf.type_length));
    leaf.max_def = self_def;
    leaf.max_rep = rep;
    if (self_def > 255 || rep > 255) return Status::Corruption("schema nested too deeply");
    leaf.path = path;
    for (const auto& p : path) leaf.dotted_path += (leaf.dotted_path.empty() ? "" : ".") + p;
    ALOPEX_RETURN_IF_ERROR(MapLeafType(e, &leaf));
    out->kind = ColumnNode::kLeaf;
    out->def_null = self_def;
    out->type = leaf.type;
    out->leaf = leaf.column_index;
    out_->leaves.push_back(std::move(leaf));
    return Status::OK();
  }

  static Status Unsupported(const SchemaElement& e, const std::string& what) {
    return Status::NotImplemented("Parquet column '" + e.name + "': " + what + " is not supported");
  }

  static Status DecimalType(const SchemaElement& e, int precision, int scale, LeafInfo* leaf) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision)
      return Status::Corruption("Parquet column '" + e.name + "' has invalid DECIMAL(" + std::to_string(precision) +
                                "," + std::to_string(scale) + ")");
    leaf->type = LogicalType::Decimal(precision, scale);
    bool wide = precision > 18;
    switch (leaf->physical) {
      case Type::kInt32: leaf->conversion = wide ? Conversion::kInt32ToInt128 : Conversion::kInt32ToInt64; break;
      case Type::kInt64: leaf->conversion = wide ? Conversion::kInt64ToInt128 : Conversion::kCopy; break;
      case Type::kFixedLenByteArray:
        if (leaf->type_length > 16) return Unsupported(e, "DECIMAL wider than 16 bytes");
        leaf->conversion = Conversion::kFixedDecimal;
        break;
      case Type::kByteArray: leaf->conversion = Conversion::kBinaryDecimal; break;
      default: return Status::Corruption("Parquet column '" + e.name + "': DECIMAL on " + TypeName(int32_t(leaf->physical)));
    }
    return Status::OK();
  }

  static Status MapLeafType(const SchemaElement& e, LeafInfo* leaf) {
    const LogicalTypeInfo& lt = e.logical_type;
    Type pt = leaf->physical;
    auto bad = [&]() {
      return Status::Corruption("Parquet column '" + e.name + "': logical type " + LogicalTypeToString(lt) +
                                " does not fit physical type " + TypeName(int32_t(pt)));
    };
    // Logical type first.
    switch (lt.kind) {
      case LogicalTypeInfo::kString:
      case LogicalTypeInfo::kEnum:
        if (pt != Type::kByteArray && pt != Type::kFixedLenByteArray) return bad();
        leaf->type = TypeId::kVarchar;
        leaf->conversion = pt == Type::kByteArray ? Conversion::kString : Conversion::kFixedString;
        return Status::OK();
      case LogicalTypeInfo::kJson:
        if (pt != Type::kByteArray) return bad();
        leaf->type = TypeId::kJson;
        leaf->conversion = Conversion::kString;
        return Status::OK();
      case LogicalTypeInfo::kBson:
      case LogicalTypeInfo::kGeometry:
      case LogicalTypeInfo::kGeography:
        if (pt != Type::kByteArray) return bad();
        leaf->type = TypeId::kBlob;
        leaf->conversion = Conversion::kString;
        return Status::OK();
      case LogicalTypeInfo::kUuid:
        if (pt != Type::kFixedLenByteArray || leaf->type_length != 16) return bad();
        leaf->type = TypeId::kUuid;
        leaf->conversion = Conversion::kFixedUuid;
        return Status::OK();
      case LogicalTypeInfo::kFloat16:
        if (pt != Type::kFixedLenByteArray || leaf->type_length != 2) return bad();
        leaf->type = TypeId::kFloat;
        leaf->conversion = Conversion::kFloat16ToFloat;
        return Status::OK();
      case LogicalTypeInfo::kDecimal:
        return DecimalType(e, lt.precision, lt.scale, leaf);
      case LogicalTypeInfo::kDate:
        if (pt != Type::kInt32) return bad();
        leaf->type = TypeId::kDate;
        leaf->conversion = Conversion::kCopy;
        return Status::OK();
      case LogicalTypeInfo::kTime:
        leaf->type = TypeId::kTime;
        if (pt == Type::kInt32 && lt.unit == 1) leaf->conversion = Conversion::kInt32MillisToMicros;
        else if (pt == Type::kInt64 && lt.unit == 2) leaf->conversion = Conversion::kCopy;
        else if (pt == Type::kInt64 && lt.unit == 3) leaf->conversion = Conversion::kInt64NanosToMicros;
        else return bad();
        return Status::OK();
      case LogicalTypeInfo::kTimestamp:
        if (pt != Type::kInt64) return bad();
        leaf->type = lt.is_adjusted_to_utc ? TypeId::kTimestampTz : TypeId::kTimestamp;
        if (lt.unit == 1) leaf->conversion = Conversion::kInt64MillisToMicros;
        else if (lt.unit == 2) leaf->conversion = Conversion::kCopy;
        else if (lt.unit == 3) leaf->conversion = Conversion::kInt64NanosToMicros;
        else return Unsupported(e, "TIMESTAMP with an unknown unit");
        return Status::OK();
      case LogicalTypeInfo::kInteger: {
        int bw = lt.bit_width;
        bool s = lt.is_signed;
        if (pt == Type::kInt32 && bw == 8) {
          leaf->type = s ? TypeId::kTinyInt : TypeId::kUTinyInt;
          leaf->conversion = Conversion::kInt32ToInt8;
        } else if (pt == Type::kInt32 && bw == 16) {
          leaf->type = s ? TypeId::kSmallInt : TypeId::kUSmallInt;
          leaf->conversion = Conversion::kInt32ToInt16;
        } else if (pt == Type::kInt32 && bw == 32) {
          leaf->type = s ? TypeId::kInteger : TypeId::kUInteger;
          leaf->conversion = Conversion::kCopy;
        } else if (pt == Type::kInt64 && bw == 64) {
          leaf->type = s ? TypeId::kBigInt : TypeId::kUBigInt;
          leaf->conversion = Conversion::kCopy;
        } else {
          return bad();
        }
        return Status::OK();
      }
      default:
        break;  // none, UNKNOWN, unknown members: fall back to the converted type / physical type
    }
    if (e.converted_type) {
      switch (*e.converted_type) {
        case ConvertedType::kUtf8:
        case ConvertedType::kEnum:
          if (pt == Type::kByteArray || pt == Type::kFixedLenByteArray) {
            leaf->type = TypeId::kVarchar;
            leaf->conversion = pt == Type::kByteArray ? Conversion::kString : Conversion::kFixedString;
            return Status::OK();
          }
          break;
        case ConvertedType::kJson:
          if (pt == Type::kByteArray) {
            leaf->type = TypeId::kJson;
            leaf->conversion = Conversion::kString;
            return Status::OK();
          }
          break;
        case ConvertedType::kDecimal:
          return DecimalType(e, e.precision.value_or(0), e.scale.value_or(0), leaf);
        case ConvertedType::kDate:
          if (pt == Type::kInt32) {
            leaf->type = TypeId::kDate;
            leaf->conversion = Conversion::kCopy;
            return Status::OK();
          }
          break;
        case ConvertedType::kTimeMillis:
          if (pt == Type::kInt32) {
            leaf->type = TypeId::kTime;
            leaf->conversion = Conversion::kInt32MillisToMicros;
            return Status::OK();
          }
          break;
        case ConvertedType::kTimeMicros:
          if (pt == Type::kInt64) {
            leaf->type = TypeId::kTime;
            leaf->conversion = Conversion::kCopy;
            return Status::OK();
          }
          break;
        case ConvertedType::kTimestampMillis:
          if (pt == Type::kInt64) {
            leaf->type = TypeId::kTimestamp;
            leaf->conversion = Conversion::kInt64MillisToMicros;
            return Status::OK();
          }
          break;
        case ConvertedType::kTimestampMicros:
          if (pt == Type::kInt64) {
            leaf->type = TypeId::kTimestamp;
            leaf->conversion = Conversion::kCopy;
            return Status::OK();
          }
          break;
        case ConvertedType::kUint8:
        case ConvertedType::kInt8:
          if (pt == Type::kInt32) {
            leaf->type = *e.converted_type == ConvertedType::kUint8 ? TypeId::kUTinyInt : TypeId::kTinyInt;
            leaf->conversion = Conversion::kInt32ToInt8;
            return Status::OK();
          }
          break;
        case ConvertedType::kUint16:
        case ConvertedType::kInt16:
          if (pt == Type::kInt32) {
            leaf->type = *e.converted_type == ConvertedType::kUint16 ? TypeId::kUSmallInt : TypeId::kSmallInt;
            leaf->conversion = Conversion::kInt32ToInt16;
            return Status::OK();
          }
          break;
        case ConvertedType::kUint32:
          if (pt == Type::kInt32) {
            leaf->type = TypeId::kUInteger;
            leaf->conversion = Conversion::kCopy;
            return Status::OK();
          }
          break;
        case ConvertedType::kUint64:
          if (pt == Type::kInt64) {
            leaf->type = TypeId::kUBigInt;
            leaf->conversion = Conversion::kCopy;
            return Status::OK();
          }
          break;
        case ConvertedType::kInterval:
          if (pt == Type::kFixedLenByteArray && leaf->type_length == 12) {
            leaf->type = TypeId::kInterval;
            leaf->conversion = Conversion::kFixedInterval;
            return Status::OK();
          }
          break;
        default:
          break;
      }
    }
    switch (pt) {
      case Type::kBoolean: leaf->type = TypeId::kBoolean; leaf->conversion = Conversion::kBoolean; break;
      case Type::kInt32: leaf->type = TypeId::kInteger; leaf->conversion = Conversion::kCopy; break;
      case Type::kInt64: leaf->type = TypeId::kBigInt; leaf->conversion = Conversion::kCopy; break;
      case Type::kInt96: leaf->type = TypeId::kTimestamp; leaf->conversion = Conversion::kInt96ToTimestamp; break;
      case Type::kFloat: leaf->type = TypeId::kFloat; leaf->conversion = Conversion::kCopy; break;
      case Type::kDouble: leaf->type = TypeId::kDouble; leaf->conversion = Conversion::kCopy; break;
      case Type::kByteArray: leaf->type = TypeId::kBlob; leaf->conversion = Conversion::kString; break;
      case Type::kFixedLenByteArray: leaf->type = TypeId::kBlob; leaf->conversion = Conversion::kFixedString; break;
    }
    return Status::OK();
  }

  const FileMetaData& md_;
  ParquetSchema* out_;
  std::vector<TreeNode> tree_;
};

}  // namespace

Status BuildParquetSchema(const FileMetaData& md, ParquetSchema* out) {
  SchemaBuilder b(md, out);
  ALOPEX_RETURN_IF_ERROR(b.Build());
  for (const auto& kv : md.key_value_metadata)
    if (kv.key == kVectorDimensionKey && kv.value) out->vector_dimensions = ParseVectorDimensions(*kv.value);
  for (size_t i = 0; i < out->columns.size(); i++) {
    auto it = out->vector_dimensions.find(out->names[i]);
    if (it == out->vector_dimensions.end() || it->second <= 0) continue;
    const ColumnNode& c = out->columns[i];
    if (c.kind == ColumnNode::kList && c.children[0].kind == ColumnNode::kLeaf &&
        (c.children[0].type.id() == TypeId::kFloat || c.children[0].type.id() == TypeId::kDouble))
      out->types[i] = LogicalType::Vector(it->second);
  }
  return Status::OK();
}

std::map<std::string, int> ParseVectorDimensions(const std::string& json) {
  // A flat object of "name": integer pairs; anything else is ignored.
  std::map<std::string, int> out;
  size_t i = 0, n = json.size();
  auto skip_ws = [&] { while (i < n && std::isspace(static_cast<unsigned char>(json[i]))) i++; };
  auto read_string = [&](std::string* s) -> bool {
    if (i >= n || json[i] != '"') return false;
    i++;
    while (i < n && json[i] != '"') {
      if (json[i] == '\\' && i + 1 < n) {
        char c = json[i + 1];
        s->push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
        i += 2;
      } else {
        s->push_back(json[i++]);
      }
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  skip_ws();
  if (i >= n || json[i] != '{') return out;
  i++;
  while (true) {
    skip_ws();
    if (i < n && json[i] == '}') break;
    std::string key;
    if (!read_string(&key)) break;
    skip_ws();
    if (i >= n || json[i] != ':') break;
    i++;
    skip_ws();
    long long v = 0;
    bool digits = false;
    while (i < n && std::isdigit(static_cast<unsigned char>(json[i]))) {
      v = v * 10 + (json[i++] - '0');
      digits = true;
      if (v > (1 << 24)) break;
    }
    if (digits && v > 0 && v <= (1 << 24)) out[key] = int(v);
    skip_ws();
    if (i < n && json[i] == ',') {
      i++;
      continue;
    }
    break;
  }
  return out;
}

}  // namespace alopex::parquet
