#include "common/json_text.h"

#include <algorithm>
#include <cstring>

#include "common/text.h"

namespace alopex {

namespace {

inline bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Recursive-descent validator with an explicit depth limit.
class JsonValidator {
 public:
  explicit JsonValidator(std::string_view s) : s_(s) {}

  bool Run() {
    SkipWs();
    if (!Value(0)) return false;
    SkipWs();
    if (p_ != s_.size()) return Fail("unexpected content after the JSON value");
    return true;
  }
  size_t pos() const { return err_pos_; }
  const std::string& why() const { return why_; }

 private:
  static constexpr int kMaxDepth = 1000;

  bool Fail(const char* why) {
    err_pos_ = p_;
    why_ = why;
    return false;
  }
  void SkipWs() {
    while (p_ < s_.size() && IsWs(s_[p_])) p_++;
  }
  bool Value(int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    if (p_ >= s_.size()) return Fail("unexpected end of input, expected a value");
    char c = s_[p_];
    switch (c) {
      case '{': return Object(depth);
      case '[': return Array(depth);
      case '"': return String();
      case 't': return Literal("true");
      case 'f': return Literal("false");
      case 'n': return Literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return Number();
        return Fail("unexpected character, expected a value");
    }
  }
  bool Literal(const char* word) {
    size_t n = std::strlen(word);
    if (s_.size() - p_ < n || s_.substr(p_, n) != word) return Fail("invalid literal");
    p_ += n;
    return true;
  }
  bool Digits() {
    size_t start = p_;
    while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') p_++;
    return p_ > start;
  }
  bool Number() {
    if (s_[p_] == '-') p_++;
    if (p_ >= s_.size()) return Fail("unexpected end of input in a number");
    if (s_[p_] == '0') {
      p_++;
    } else if (!Digits()) {
      return Fail("invalid number");
    }
    if (p_ < s_.size() && s_[p_] == '.') {
      p_++;
      if (!Digits()) return Fail("invalid number: digits expected after '.'");
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      p_++;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) p_++;
      if (!Digits()) return Fail("invalid number: digits expected in the exponent");
    }
    return true;
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool String() {
    p_++;  // opening quote
    while (p_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c == '"') {
        p_++;
        return true;
      }
      if (c == '\\') {
        p_++;
        if (p_ >= s_.size()) break;
        char e = s_[p_];
        if (e == 'u') {
          for (int k = 1; k <= 4; k++)
            if (p_ + k >= s_.size() || Hex(s_[p_ + k]) < 0) return Fail("invalid \\u escape in a string");
          p_ += 5;
          continue;
        }
        if (!std::strchr("\"\\/bfnrt", e) || e == 0) return Fail("invalid escape in a string");
        p_++;
        continue;
      }
      if (c < 0x20) return Fail("control character in a string");
      p_++;
    }
    return Fail("unterminated string");
  }
  bool Array(int depth) {
    p_++;
    SkipWs();
    if (p_ < s_.size() && s_[p_] == ']') {
      p_++;
      return true;
    }
    while (true) {
      SkipWs();
      if (!Value(depth + 1)) return false;
      SkipWs();
      if (p_ >= s_.size()) return Fail("unexpected end of input in an array");
      if (s_[p_] == ',') {
        p_++;
        continue;
      }
      if (s_[p_] == ']') {
        p_++;
        return true;
      }
      return Fail("expected ',' or ']' in an array");
    }
  }
  bool Object(int depth) {
    p_++;
    SkipWs();
    if (p_ < s_.size() && s_[p_] == '}') {
      p_++;
      return true;
    }
    while (true) {
      SkipWs();
      if (p_ >= s_.size()) return Fail("unexpected end of input in an object");
      if (s_[p_] != '"') return Fail("expected a string key in an object");
      if (!String()) return false;
      SkipWs();
      if (p_ >= s_.size() || s_[p_] != ':') return Fail("expected ':' after an object key");
      p_++;
      SkipWs();
      if (!Value(depth + 1)) return false;
      SkipWs();
      if (p_ >= s_.size()) return Fail("unexpected end of input in an object");
      if (s_[p_] == ',') {
        p_++;
        continue;
      }
      if (s_[p_] == '}') {
        p_++;
        return true;
      }
      return Fail("expected ',' or '}' in an object");
    }
  }

  std::string_view s_;
  size_t p_ = 0;
  size_t err_pos_ = 0;
  std::string why_;
};

// Index just past the value starting at s[p] (valid JSON assumed; bounded by s.size()).
size_t SkipValue(std::string_view s, size_t p) {
  if (p >= s.size()) return p;
  char c = s[p];
  if (c == '"') {
    p++;
    while (p < s.size() && s[p] != '"') p += s[p] == '\\' ? 2 : 1;
    return std::min(p + 1, s.size());
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    while (p < s.size()) {
      char d = s[p];
      if (d == '"') {
        p = SkipValue(s, p);
        continue;
      }
      if (d == '{' || d == '[') depth++;
      if (d == '}' || d == ']') {
        depth--;
        if (depth == 0) return p + 1;
      }
      p++;
    }
    return p;
  }
  while (p < s.size() && s[p] != ',' && s[p] != '}' && s[p] != ']' && !IsWs(s[p])) p++;
  return p;
}

size_t SkipWs(std::string_view s, size_t p) {
  while (p < s.size() && IsWs(s[p])) p++;
  return p;
}

// Calls fn(key_literal, value) for each member; stops when fn returns false.
template <typename Fn>
void ForEachMember(std::string_view object, Fn fn) {
  std::string_view s = JsonTrim(object);
  if (s.empty() || s[0] != '{') return;
  size_t p = SkipWs(s, 1);
  while (p < s.size() && s[p] == '"') {
    size_t ke = SkipValue(s, p);
    std::string_view key = s.substr(p, ke - p);
    p = SkipWs(s, ke);
    if (p >= s.size() || s[p] != ':') return;
    p = SkipWs(s, p + 1);
    size_t ve = SkipValue(s, p);
    if (!fn(key, s.substr(p, ve - p))) return;
    p = SkipWs(s, ve);
    if (p < s.size() && s[p] == ',') p = SkipWs(s, p + 1);
  }
}

template <typename Fn>
void ForEachElement(std::string_view array, Fn fn) {
  std::string_view s = JsonTrim(array);
  if (s.empty() || s[0] != '[') return;
  size_t p = SkipWs(s, 1);
  while (p < s.size() && s[p] != ']') {
    size_t ve = SkipValue(s, p);
    if (ve == p) return;
    if (!fn(s.substr(p, ve - p))) return;
    p = SkipWs(s, ve);
    if (p < s.size() && s[p] == ',') p = SkipWs(s, p + 1);
  }
}


}  // namespace

bool ValidateJson(std::string_view text, std::string* error) {
  JsonValidator v(text);
  if (v.Run()) return true;
  if (error) *error = "Malformed JSON at byte " + std::to_string(v.pos()) + ": " + v.why();
  return false;
}

Status CheckJson(std::string_view text) {
  std::string error;
  if (ValidateJson(text, &error)) return Status::OK();
  return Status::ConversionError(std::move(error));
}

const char* JsonKindName(JsonKind kind, std::string_view number_text) {
  switch (kind) {
    case JsonKind::kNull: return "NULL";
    case JsonKind::kBoolean: return "BOOLEAN";
    case JsonKind::kNumber:
      return number_text.find_first_of(".eE") == std::string_view::npos ? "BIGINT" : "DOUBLE";
    case JsonKind::kString: return "VARCHAR";
    case JsonKind::kArray: return "ARRAY";
    case JsonKind::kObject: return "OBJECT";
  }
  return "NULL";
}

std::string_view JsonTrim(std::string_view v) {
  while (!v.empty() && IsWs(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsWs(v.back())) v.remove_suffix(1);
  return v;
}

JsonKind JsonKindOf(std::string_view value) {
  std::string_view v = JsonTrim(value);
  if (v.empty()) return JsonKind::kNull;
  switch (v[0]) {
    case '{': return JsonKind::kObject;
    case '[': return JsonKind::kArray;
    case '"': return JsonKind::kString;
    case 't': case 'f': return JsonKind::kBoolean;
    case 'n': return JsonKind::kNull;
    default: return JsonKind::kNumber;
  }
}

bool JsonObjectField(std::string_view object, std::string_view key, std::string_view* value) {
  bool found = false;
  ForEachMember(object, [&](std::string_view k, std::string_view v) {
    // Fast path: no escapes in the key literal.
    std::string_view inner = k.substr(1, k.size() >= 2 ? k.size() - 2 : 0);
    bool match;
    if (inner.find('\\') == std::string_view::npos) {
      match = inner == key;
    } else {
      std::string decoded;
      match = JsonUnquote(k, &decoded) && decoded == key;
    }
    if (match) {
      *value = v;
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

bool JsonArrayElement(std::string_view array, int64_t index, std::string_view* value) {
  if (index < 0) {
    int64_t n = JsonArrayLength(array);
    if (n < 0) return false;
    index += n;
    if (index < 0) return false;
  }
  int64_t i = 0;
  bool found = false;
  ForEachElement(array, [&](std::string_view v) {
    if (i++ == index) {
      *value = v;
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

int64_t JsonArrayLength(std::string_view value) {
  std::string_view s = JsonTrim(value);
  if (s.empty() || s[0] != '[') return -1;
  int64_t n = 0;
  ForEachElement(s, [&](std::string_view) {
    n++;
    return true;
  });
  return n;
}

std::vector<std::string> JsonObjectKeys(std::string_view object) {
  std::vector<std::string> keys;
  ForEachMember(object, [&](std::string_view k, std::string_view) {
    std::string decoded;
    JsonUnquote(k, &decoded);
    keys.push_back(std::move(decoded));
    return true;
  });
  return keys;
}

std::vector<std::string_view> JsonArrayElements(std::string_view array) {
  std::vector<std::string_view> out;
  ForEachElement(array, [&](std::string_view v) {
    out.push_back(v);
    return true;
  });
  return out;
}

bool JsonUnquote(std::string_view literal, std::string* out) {
  std::string_view s = JsonTrim(literal);
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  out->clear();
  out->reserve(s.size() - 2);
  for (size_t i = 1; i + 1 < s.size(); i++) {
    char c = s[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (++i + 1 > s.size() - 1) return false;
    char e = s[i];
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        auto hex4 = [&](size_t at, uint32_t* cp) {
          if (at + 4 > s.size() - 1) return false;
          uint32_t v = 0;
          for (size_t k = at; k < at + 4; k++) {
            char h = s[k];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f') v |= uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= uint32_t(h - 'A' + 10);
            else return false;
          }
          *cp = v;
          return true;
        };
        uint32_t cp;
        if (!hex4(i + 1, &cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < s.size() - 1 && s[i + 1] == '\\' && s[i + 2] == 'u') {
          uint32_t lo;
          if (hex4(i + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(out, cp);
        break;
      }
      default: return false;
    }
  }
  return true;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

Result<std::vector<JsonPathStep>> ParseJsonPath(std::string_view path) {
  std::vector<JsonPathStep> steps;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid JSON path \"" + std::string(path) + "\": " + why);
  };
  if (path.empty() || (path[0] != '$' && path[0] != '/')) {
    JsonPathStep step;
    step.key = std::string(path);
    steps.push_back(std::move(step));
    return steps;
  }
  if (path[0] == '/') {  // JSON pointer
    size_t p = 1;
    while (p <= path.size()) {
      size_t e = path.find('/', p);
      if (e == std::string_view::npos) e = path.size();
      std::string tok(path.substr(p, e - p));
      std::string dec;
      for (size_t i = 0; i < tok.size(); i++) {
        if (tok[i] == '~' && i + 1 < tok.size()) {
          dec.push_back(tok[i + 1] == '1' ? '/' : '~');
          i++;
        } else {
          dec.push_back(tok[i]);
        }
      }
      JsonPathStep step;
      bool numeric = !dec.empty() && dec.find_first_not_of("0123456789") == std::string::npos;
      if (numeric) {
        step.is_index = true;
        step.index = std::stoll(dec);
      }
      step.key = std::move(dec);
      steps.push_back(std::move(step));
      p = e + 1;
      if (e == path.size()) break;
    }
    return steps;
  }
  size_t p = 1;
  while (p < path.size()) {
    char c = path[p];
    if (c == '.') {
      p++;
      JsonPathStep step;
      if (p < path.size() && path[p] == '"') {
        size_t e = path.find('"', p + 1);
        if (e == std::string_view::npos) return bad("unterminated quoted key");
        step.key = std::string(path.substr(p + 1, e - p - 1));
        p = e + 1;
      } else {
        size_t e = p;
        while (e < path.size() && path[e] != '.' && path[e] != '[') e++;
        if (e == p) return bad("empty key at position " + std::to_string(p));
        step.key = std::string(path.substr(p, e - p));
        p = e;
      }
      steps.push_back(std::move(step));
    } else if (c == '[') {
      size_t e = path.find(']', p);
      if (e == std::string_view::npos) return bad("missing ']'");
      std::string_view inner = path.substr(p + 1, e - p - 1);
      JsonPathStep step;
      if (!inner.empty() && (inner[0] == '"' || inner[0] == '\'')) {
        step.key = std::string(inner.substr(1, inner.size() >= 2 ? inner.size() - 2 : 0));
      } else {
        bool from_end = false;
        if (!inner.empty() && inner[0] == '#') {  // [#-1] is SQLite/DuckDB's "from the end"
          from_end = true;
          inner.remove_prefix(1);
        }
        std::string num(inner);
        if (num.empty() || num.find_first_not_of("-0123456789") != std::string::npos)
          return bad("array index expected in brackets");
        step.is_index = true;
        step.index = std::stoll(num);
        if (from_end && step.index >= 0) step.index = -1 - step.index;  // [#] alone is past the end
      }
      steps.push_back(std::move(step));
      p = e + 1;
    } else {
      return bad("unexpected character '" + std::string(1, c) + "' at position " + std::to_string(p));
    }
  }
  return steps;
}

bool JsonExtract(std::string_view json, const std::vector<JsonPathStep>& path, std::string_view* value) {
  std::string_view cur = JsonTrim(json);
  for (const auto& step : path) {
    std::string_view next;
    JsonKind kind = JsonKindOf(cur);
    if (step.is_index && kind == JsonKind::kArray) {
      if (!JsonArrayElement(cur, step.index, &next)) return false;
    } else if (kind == JsonKind::kObject) {
      if (!JsonObjectField(cur, step.key, &next)) return false;
    } else {
      return false;
    }
    cur = JsonTrim(next);
  }
  *value = cur;
  return true;
}

}  // namespace alopex
