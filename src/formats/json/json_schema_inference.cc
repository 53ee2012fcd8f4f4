#include "formats/json/json_schema_inference.h"

#include "formats/text_value_parsers.h"

namespace alopex {

using simdjson::dom::element_type;

void JsonShape::Mismatch(Kind incoming) {
  if (kind_ == Kind::kJson) return;
  if (IsScalar(kind_) && IsScalar(incoming)) {
    kind_ = Kind::kVarchar;
  } else if (kind_ == Kind::kVarchar && IsScalar(incoming)) {
    // stays VARCHAR
  } else {
    kind_ = Kind::kJson;
  }
  element_.reset();
  fields_.clear();
  field_index_.clear();
}

void JsonShape::Add(const simdjson::dom::element& v, bool infer_dates) {
  switch (v.type()) {
    case element_type::NULL_VALUE:
      return;
    case element_type::BOOL:
      if (kind_ == Kind::kNone || kind_ == Kind::kBool) {
        kind_ = Kind::kBool;
      } else {
        Mismatch(Kind::kBool);
      }
      return;
    case element_type::INT64:
      if (kind_ == Kind::kNone || kind_ == Kind::kBigInt) {
        kind_ = Kind::kBigInt;
      } else if (kind_ != Kind::kDouble) {
        Mismatch(Kind::kBigInt);
      }
      return;
    case element_type::UINT64:  // beyond BIGINT
    case element_type::DOUBLE:
      if (kind_ == Kind::kNone || kind_ == Kind::kBigInt || kind_ == Kind::kDouble) {
        kind_ = Kind::kDouble;
      } else {
        Mismatch(Kind::kDouble);
      }
      return;
    case element_type::STRING: {
      if (kind_ == Kind::kNone || kind_ == Kind::kString) {
        kind_ = Kind::kString;
        std::string_view s = JsonGet(v.get_string());
        if (!infer_dates || s.size() < 8) {
          all_dates_ = all_timestamps_ = false;
        } else {
          int32_t d;
          int64_t ts;
          bool is_date = s.size() <= 10 && text_parse::ParseDate(s.data(), s.size(), &d);
          if (all_dates_ && !is_date) all_dates_ = false;
          if (all_timestamps_ && !is_date &&
              !(s.size() >= 16 && (s[10] == ' ' || s[10] == 'T') && text_parse::ParseTimestamp(s.data(), s.size(), &ts)))
            all_timestamps_ = false;
        }
      } else {
        Mismatch(Kind::kString);
      }
      return;
    }
    case element_type::ARRAY: {
      if (kind_ == Kind::kNone) {
        kind_ = Kind::kList;
        element_ = std::make_unique<JsonShape>();
      } else if (kind_ != Kind::kList) {
        Mismatch(Kind::kList);
        return;
      }
      for (simdjson::dom::element child : JsonGet(v.get_array())) element_->Add(child, infer_dates);
      return;
    }
    case element_type::OBJECT: {
      if (kind_ == Kind::kNone) {
        kind_ = Kind::kStruct;
      } else if (kind_ != Kind::kStruct) {
        Mismatch(Kind::kStruct);
        return;
      }
      for (simdjson::dom::key_value_pair field : JsonGet(v.get_object())) {
        std::string key(field.key);
        auto it = field_index_.find(key);
        size_t idx;
        if (it == field_index_.end()) {
          idx = fields_.size();
          field_index_.emplace(key, idx);
          fields_.emplace_back(key, std::make_unique<JsonShape>());
        } else {
          idx = it->second;
        }
        fields_[idx].second->Add(field.value, infer_dates);
      }
      return;
    }
  }
}

LogicalType JsonShape::Type() const {
  switch (kind_) {
    case Kind::kNone: return TypeId::kVarchar;
    case Kind::kBool: return TypeId::kBoolean;
    case Kind::kBigInt: return TypeId::kBigInt;
    case Kind::kDouble: return TypeId::kDouble;
    case Kind::kString:
      if (all_dates_) return TypeId::kDate;
      if (all_timestamps_) return TypeId::kTimestamp;
      return TypeId::kVarchar;
    case Kind::kVarchar: return TypeId::kVarchar;
    case Kind::kJson: return TypeId::kJson;
    case Kind::kList: return LogicalType::List(element_->Type());
    case Kind::kStruct: {
      if (fields_.empty()) return TypeId::kJson;
      std::vector<std::pair<std::string, LogicalType>> fields;
      for (const auto& [name, shape] : fields_) fields.emplace_back(name, shape->Type());
      return LogicalType::Struct(std::move(fields));
    }
  }
  return TypeId::kVarchar;
}

}  // namespace alopex
