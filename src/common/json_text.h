// JSON as text: a strict validator (RFC 8259) and navigation over validated
// text without building a tree. JSONB values are stored as validated text, so
// the functions here read them in place; the JSON reader reuses the validator.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"

namespace alopex {

// True when `text` is exactly one JSON value (surrounding whitespace allowed).
// Otherwise `*error` (when given) receives "Malformed JSON at byte N: <why>",
// N counted from 0.
bool ValidateJson(std::string_view text, std::string* error = nullptr);
// The same as a Conversion Error.
Status CheckJson(std::string_view text);

enum class JsonKind : uint8_t { kNull, kBoolean, kNumber, kString, kArray, kObject };
// DuckDB's spelling: NULL, BOOLEAN, BIGINT/DOUBLE (numbers), VARCHAR, ARRAY, OBJECT.
const char* JsonKindName(JsonKind kind, std::string_view number_text = {});

// The functions below take text that passed ValidateJson (or a value inside
// such text); on anything else they return false / empty results, never crash.

// Kind of the value that starts `value` (after whitespace).
JsonKind JsonKindOf(std::string_view value);
// `value` without surrounding whitespace.
std::string_view JsonTrim(std::string_view value);
// The member `key` of an object; false when absent or not an object.
bool JsonObjectField(std::string_view object, std::string_view key, std::string_view* value);
// Element `index` of an array (negative counts from the end); false when absent.
bool JsonArrayElement(std::string_view array, int64_t index, std::string_view* value);
// Number of elements of an array, or -1 when `value` is not an array.
int64_t JsonArrayLength(std::string_view value);
// Keys of an object, in order, decoded.
std::vector<std::string> JsonObjectKeys(std::string_view object);
// Elements of an array (each as its text).
std::vector<std::string_view> JsonArrayElements(std::string_view array);
// Decodes a JSON string literal ("a\nb" -> a<newline>b); false if not a string.
bool JsonUnquote(std::string_view literal, std::string* out);
// Appends `s` as a JSON string literal, quoted and escaped.
void AppendJsonString(std::string* out, std::string_view s);

// A JSON path: '$.a.b[0]', '$."key with space"', '$[-1]', '$.*' is not supported.
// A path not starting with '$' is one object key ('a' means '$.a'); '/a/0' is a
// JSON pointer.
struct JsonPathStep {
  bool is_index = false;
  std::string key;
  int64_t index = 0;
};
Result<std::vector<JsonPathStep>> ParseJsonPath(std::string_view path);
// Follows `path` from `json`; false when some step is missing.
bool JsonExtract(std::string_view json, const std::vector<JsonPathStep>& path, std::string_view* value);

}  // namespace alopex
