// Column <-> Value conversion: the row-at-a-time path for constants and results.
#include <cassert>

#include "common/column.h"

namespace alopex {

Value Column::GetValue(size_t i) const {
  if (!IsValid(i)) return Value::Null(type_);
  switch (type_.id()) {
    case TypeId::kNull: return Value::Null();
    case TypeId::kBoolean: return Value::Boolean(data<uint8_t>()[i] != 0);
    case TypeId::kTinyInt: return Value::TinyInt(data<int8_t>()[i]);
    case TypeId::kSmallInt: return Value::SmallInt(data<int16_t>()[i]);
    case TypeId::kInteger: return Value::Integer(data<int32_t>()[i]);
    case TypeId::kBigInt: return Value::BigInt(data<int64_t>()[i]);
    case TypeId::kUTinyInt: return Value::UTinyInt(data<uint8_t>()[i]);
    case TypeId::kUSmallInt: return Value::USmallInt(data<uint16_t>()[i]);
    case TypeId::kUInteger: return Value::UInteger(data<uint32_t>()[i]);
    case TypeId::kUBigInt: return Value::UBigInt(data<uint64_t>()[i]);
    case TypeId::kFloat: return Value::Float(data<float>()[i]);
    case TypeId::kDouble: return Value::Double(data<double>()[i]);
    case TypeId::kDecimal:
      if (type_.width() <= 18) return Value::Decimal(data<int64_t>()[i], type_.width(), type_.scale());
      return Value::Decimal(data<int128_t>()[i], type_.width(), type_.scale());
    case TypeId::kVarchar: return Value::Varchar(data<StringRef>()[i].str());
    case TypeId::kBlob: return Value::Blob(data<StringRef>()[i].str());
    case TypeId::kJson: return Value::Json(data<StringRef>()[i].str());
    case TypeId::kDate: return Value::Date(data<int32_t>()[i]);
    case TypeId::kTime: return Value::Time(data<int64_t>()[i]);
    case TypeId::kTimestamp: return Value::Timestamp(data<int64_t>()[i]);
    case TypeId::kTimestampTz: return Value::TimestampTz(data<int64_t>()[i]);
    case TypeId::kInterval: return Value::FromInterval(data<Interval>()[i]);
    case TypeId::kUuid: return Value::FromUuid(data<Uuid>()[i]);
    case TypeId::kVector: {
      const float* p = vector_row(i);
      return Value::Vector(std::vector<float>(p, p + type_.dimension()));
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const ListEntry& e = list_entries()[i];
      std::vector<Value> items;
      items.reserve(e.length);
      for (uint64_t k = 0; k < e.length; k++) items.push_back(children_[0].GetValue(e.offset + k));
      return Value(type_, std::move(items));
    }
    case TypeId::kStruct: {
      std::vector<Value> items;
      items.reserve(children_.size());
      for (const auto& c : children_) items.push_back(c.GetValue(i));
      return Value(type_, std::move(items));
    }
  }
  return Value::Null(type_);
}

void Column::SetValue(size_t i, const Value& v) {
  if (v.is_null()) {
    SetNull(i);
    if (type_.id() == TypeId::kList || type_.id() == TypeId::kMap) list_entries()[i] = {children_[0].size(), 0};
    if (type_.id() == TypeId::kStruct)
      for (auto& c : children_) c.SetNull(i);
    return;
  }
  SetNull(i, false);
  switch (type_.id()) {
    case TypeId::kNull: break;
    case TypeId::kBoolean: data<uint8_t>()[i] = v.GetInt64() != 0; break;
    case TypeId::kTinyInt: data<int8_t>()[i] = int8_t(v.GetInt64()); break;
    case TypeId::kSmallInt: data<int16_t>()[i] = int16_t(v.GetInt64()); break;
    case TypeId::kInteger: data<int32_t>()[i] = int32_t(v.GetInt64()); break;
    case TypeId::kBigInt: data<int64_t>()[i] = v.GetInt64(); break;
    case TypeId::kUTinyInt: data<uint8_t>()[i] = uint8_t(v.GetInt64()); break;
    case TypeId::kUSmallInt: data<uint16_t>()[i] = uint16_t(v.GetInt64()); break;
    case TypeId::kUInteger: data<uint32_t>()[i] = uint32_t(v.GetInt64()); break;
    case TypeId::kUBigInt: data<uint64_t>()[i] = v.GetUInt64(); break;
    case TypeId::kFloat: data<float>()[i] = float(v.AsDouble()); break;
    case TypeId::kDouble: data<double>()[i] = v.AsDouble(); break;
    case TypeId::kDecimal:
      if (type_.width() <= 18)
        data<int64_t>()[i] = int64_t(v.GetInt128());
      else
        data<int128_t>()[i] = v.GetInt128();
      break;
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: SetString(i, v.GetString()); break;
    case TypeId::kDate: data<int32_t>()[i] = int32_t(v.GetInt64()); break;
    case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz: data<int64_t>()[i] = v.GetInt64(); break;
    case TypeId::kInterval: data<Interval>()[i] = v.GetInterval(); break;
    case TypeId::kUuid: data<Uuid>()[i] = v.GetUuid(); break;
    case TypeId::kVector: {
      const auto& f = v.GetVector();
      size_t n = std::min<size_t>(f.size(), size_t(type_.dimension()));
      std::memcpy(vector_row(i), f.data(), n * sizeof(float));
      break;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      Column& c = children_[0];
      size_t at = c.size();
      const auto& items = v.children();
      c.Resize(at + items.size());
      for (size_t k = 0; k < items.size(); k++) c.SetValue(at + k, items[k]);
      list_entries()[i] = {at, items.size()};
      break;
    }
    case TypeId::kStruct: {
      const auto& items = v.children();
      for (size_t k = 0; k < children_.size() && k < items.size(); k++) children_[k].SetValue(i, items[k]);
      break;
    }
  }
}

void Column::AppendValue(const Value& v) {
  size_t i = size_;
  Resize(i + 1);
  SetValue(i, v);
}

}  // namespace alopex
