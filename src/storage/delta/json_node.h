// JsonNode: a small ordered JSON tree for Delta log actions, schemas, stats and
// _last_checkpoint. Objects keep their member order (Delta writers and readers
// expect e.g. "version" first in _last_checkpoint); numbers keep the text they
// were written with, so a decimal bound or a long survives a round trip exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alopex/status.h"

namespace alopex {

class JsonNode {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonNode() = default;
  static JsonNode Null() { return JsonNode(); }
  static JsonNode Bool(bool b);
  static JsonNode Int(int64_t v);
  static JsonNode Double(double v);
  // A number from its JSON text (not checked).
  static JsonNode NumberText(std::string text);
  static JsonNode String(std::string s);
  static JsonNode Array();
  static JsonNode Object();

  // Parses exactly one JSON value; errors say "malformed JSON at byte N: why".
  static Result<JsonNode> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool bool_value() const { return bool_; }
  // Numbers: the value as written, as int64 (truncating a fraction) or double.
  int64_t int_value() const;
  double double_value() const;
  // True when the number text has no fraction or exponent and fits in int64.
  bool is_integer() const;
  // Strings: the decoded text; numbers: their text.
  const std::string& str() const { return text_; }

  // Arrays.
  const std::vector<JsonNode>& items() const { return items_; }
  std::vector<JsonNode>& items() { return items_; }
  JsonNode& Push(JsonNode v);
  // Objects.
  const std::vector<std::pair<std::string, JsonNode>>& members() const { return members_; }
  std::vector<std::pair<std::string, JsonNode>>& members() { return members_; }
  // The member `key` or nullptr (also when this is not an object).
  const JsonNode* Find(std::string_view key) const;
  JsonNode* Find(std::string_view key);
  // Sets (replacing) or appends the member `key`; returns it.
  JsonNode& Set(std::string key, JsonNode v);
  bool Remove(std::string_view key);

  // Typed member access; nullopt when absent, null or of another kind.
  std::optional<std::string> GetString(std::string_view key) const;
  std::optional<int64_t> GetInt(std::string_view key) const;
  std::optional<bool> GetBool(std::string_view key) const;

  // Compact JSON text.
  std::string Serialize() const;
  void AppendTo(std::string* out) const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<JsonNode> items_;
  std::vector<std::pair<std::string, JsonNode>> members_;
};

}  // namespace alopex
