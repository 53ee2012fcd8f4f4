#include "alopex/value.h"

namespace alopex {

int64_t Value::GetInt64() const {
  if (auto* p = std::get_if<int64_t>(&data_)) return *p;
  if (auto* p = std::get_if<int128_t>(&data_)) return int64_t(*p);
  if (auto* p = std::get_if<double>(&data_)) return int64_t(*p);
  return 0;
}

int128_t Value::GetInt128() const {
  if (auto* p = std::get_if<int128_t>(&data_)) return *p;
  if (auto* p = std::get_if<int64_t>(&data_)) return *p;
  return 0;
}

double Value::AsDouble() const {
  if (null_) return 0;
  switch (type_.id()) {
    case TypeId::kFloat:
    case TypeId::kDouble:
      return std::get<double>(data_);
    case TypeId::kUBigInt:
      return double(uint64_t(GetInt64()));
    case TypeId::kDecimal: {
      double d = double(GetInt128());
      for (int i = 0; i < type_.scale(); i++) d /= 10;
      return d;
    }
    default:
      return double(GetInt64());
  }
}

bool Value::operator==(const Value& o) const {
  if (null_ || o.null_) return null_ == o.null_;
  return type_ == o.type_ && data_ == o.data_;
}

}  // namespace alopex
