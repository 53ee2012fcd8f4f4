// JsonShape: the schema of JSON values seen so far, widened as values arrive.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "alopex/types.h"

namespace alopex {

// The value of a simdjson result, copied out so no reference to the temporary
// result survives (range-for over `x.get_array().value_unsafe()` would dangle).
// Callers check the element's type first.
template <typename T>
T JsonGet(simdjson::simdjson_result<T> r) {
  T out{};
  simdjson::error_code err = std::move(r).get(out);
  (void)err;
  return out;
}

class JsonShape {
 public:
  // Widens the shape to cover `value`: int + double → DOUBLE, mixed scalars →
  // VARCHAR, mixed nested values → JSON, objects merge their keys, arrays their elements.
  void Add(const simdjson::dom::element& value, bool infer_dates);
  // The SQL type; VARCHAR when only NULLs were seen, JSON for an object without keys.
  LogicalType Type() const;

  bool is_object() const { return kind_ == Kind::kStruct; }
  // Object keys in order of first appearance.
  const std::vector<std::pair<std::string, std::unique_ptr<JsonShape>>>& fields() const { return fields_; }

 private:
  enum class Kind : uint8_t { kNone, kBool, kBigInt, kDouble, kString, kList, kStruct, kVarchar, kJson };
  static bool IsScalar(Kind k) { return k == Kind::kBool || k == Kind::kBigInt || k == Kind::kDouble || k == Kind::kString; }
  void Mismatch(Kind incoming);

  Kind kind_ = Kind::kNone;
  bool all_dates_ = true;
  bool all_timestamps_ = true;
  std::unique_ptr<JsonShape> element_;
  std::vector<std::pair<std::string, std::unique_ptr<JsonShape>>> fields_;
  std::unordered_map<std::string, size_t> field_index_;
};

}  // namespace alopex
