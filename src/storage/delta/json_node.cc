#include "storage/delta/json_node.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/json_text.h"
#include "common/text.h"

namespace alopex {

JsonNode JsonNode::Bool(bool b) {
  JsonNode n;
  n.kind_ = Kind::kBool;
  n.bool_ = b;
  return n;
}

JsonNode JsonNode::Int(int64_t v) {
  JsonNode n;
  n.kind_ = Kind::kNumber;
  n.text_ = std::to_string(v);
  return n;
}

JsonNode JsonNode::Double(double v) {
  JsonNode n;
  n.kind_ = Kind::kNumber;
  if (!std::isfinite(v)) {
    // JSON has no NaN or infinity; Spark omits such bounds, a null says "unknown".
    n.kind_ = Kind::kNull;
    return n;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  n.text_.assign(buf, r.ptr);
  // Keep a fraction so readers see a floating-point number ("1.0", not "1").
  if (n.text_.find_first_of(".eE") == std::string::npos) n.text_ += ".0";
  return n;
}

JsonNode JsonNode::NumberText(std::string text) {
  JsonNode n;
  n.kind_ = Kind::kNumber;
  n.text_ = std::move(text);
  return n;
}

JsonNode JsonNode::String(std::string s) {
  JsonNode n;
  n.kind_ = Kind::kString;
  n.text_ = std::move(s);
  return n;
}

JsonNode JsonNode::Array() {
  JsonNode n;
  n.kind_ = Kind::kArray;
  return n;
}

JsonNode JsonNode::Object() {
  JsonNode n;
  n.kind_ = Kind::kObject;
  return n;
}

bool JsonNode::is_integer() const {
  if (kind_ != Kind::kNumber || text_.empty()) return false;
  if (text_.find_first_of(".eE") != std::string::npos) return false;
  int64_t v;
  auto r = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  return r.ec == std::errc() && r.ptr == text_.data() + text_.size();
}

int64_t JsonNode::int_value() const {
  if (kind_ != Kind::kNumber) return 0;
  int64_t v = 0;
  auto r = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  if (r.ec == std::errc() && r.ptr == text_.data() + text_.size()) return v;
  return int64_t(double_value());
}

double JsonNode::double_value() const {
  if (kind_ != Kind::kNumber) return 0;
  return std::strtod(text_.c_str(), nullptr);
}

JsonNode& JsonNode::Push(JsonNode v) {
  kind_ = Kind::kArray;
  items_.push_back(std::move(v));
  return items_.back();
}

const JsonNode* JsonNode::Find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  for (const auto& [k, v] : members_)
    if (k == key) return &v;
  return nullptr;
}

JsonNode* JsonNode::Find(std::string_view key) {
  if (kind_ != Kind::kObject) return nullptr;
  for (auto& [k, v] : members_)
    if (k == key) return &v;
  return nullptr;
}

JsonNode& JsonNode::Set(std::string key, JsonNode v) {
  kind_ = Kind::kObject;
  for (auto& [k, old] : members_) {
    if (k == key) {
      old = std::move(v);
      return old;
    }
  }
  members_.emplace_back(std::move(key), std::move(v));
  return members_.back().second;
}

bool JsonNode::Remove(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->first == key) {
      members_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string> JsonNode::GetString(std::string_view key) const {
  const JsonNode* n = Find(key);
  if (!n || !n->is_string()) return std::nullopt;
  return n->str();
}

std::optional<int64_t> JsonNode::GetInt(std::string_view key) const {
  const JsonNode* n = Find(key);
  if (!n) return std::nullopt;
  if (n->is_number()) return n->int_value();
  // Some writers quote longs; accept a string that is exactly an integer.
  if (n->is_string()) {
    int64_t v;
    const std::string& s = n->str();
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) return v;
  }
  return std::nullopt;
}

std::optional<bool> JsonNode::GetBool(std::string_view key) const {
  const JsonNode* n = Find(key);
  if (!n || !n->is_bool()) return std::nullopt;
  return n->bool_value();
}

// ---------------------------------------------------------------- writing

void JsonNode::AppendTo(std::string* out) const {
  switch (kind_) {
    case Kind::kNull: out->append("null"); break;
    case Kind::kBool: out->append(bool_ ? "true" : "false"); break;
    case Kind::kNumber: out->append(text_); break;
    case Kind::kString: AppendJsonString(out, text_); break;
    case Kind::kArray: {
      out->push_back('[');
      for (size_t i = 0; i < items_.size(); i++) {
        if (i) out->push_back(',');
        items_[i].AppendTo(out);
      }
      out->push_back(']');
      break;
    }
    case Kind::kObject: {
      out->push_back('{');
      for (size_t i = 0; i < members_.size(); i++) {
        if (i) out->push_back(',');
        AppendJsonString(out, members_[i].first);
        out->push_back(':');
        members_[i].second.AppendTo(out);
      }
      out->push_back('}');
      break;
    }
  }
}

std::string JsonNode::Serialize() const {
  std::string out;
  AppendTo(&out);
  return out;
}

// ---------------------------------------------------------------- parsing

namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  Status ParseDocument(JsonNode* out) {
    ALOPEX_RETURN_IF_ERROR(ParseValue(out, 0));
    SkipSpace();
    if (pos_ != s_.size()) return Error("unexpected text after the value");
    return Status::OK();
  }

 private:
  static constexpr int kMaxDepth = 512;

  Status Error(const std::string& why) const {
    return Status::Corruption("malformed JSON at byte " + std::to_string(pos_) + ": " + why);
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) pos_++;
  }

  bool Consume(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status ParseValue(JsonNode* out, int depth) {
    if (depth > kMaxDepth) return Error("nested too deeply");
    SkipSpace();
    if (pos_ >= s_.size()) return Error("unexpected end of input");
    char c = s_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      std::string str;
      ALOPEX_RETURN_IF_ERROR(ParseString(&str));
      *out = JsonNode::String(std::move(str));
      return Status::OK();
    }
    if (Consume("true")) {
      *out = JsonNode::Bool(true);
      return Status::OK();
    }
    if (Consume("false")) {
      *out = JsonNode::Bool(false);
      return Status::OK();
    }
    if (Consume("null")) {
      *out = JsonNode::Null();
      return Status::OK();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    return Error(std::string("unexpected character '") + c + "'");
  }

  Status ParseNumber(JsonNode* out) {
    size_t start = pos_;
    if (s_[pos_] == '-') pos_++;
    auto digits = [&] {
      size_t b = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') pos_++;
      return pos_ > b;
    };
    if (!digits()) return Error("malformed number");
    if (pos_ < s_.size() && s_[pos_] == '.') {
      pos_++;
      if (!digits()) return Error("malformed number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      pos_++;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) pos_++;
      if (!digits()) return Error("malformed number");
    }
    *out = JsonNode::NumberText(std::string(s_.substr(start, pos_ - start)));
    return Status::OK();
  }


  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > s_.size()) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
      char c = s_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= uint32_t(c - 'A' + 10);
      else return false;
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  Status ParseString(std::string* out) {
    pos_++;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return Error("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return Status::OK();
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return Error("unterminated escape");
      char e = s_[pos_++];
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
          uint32_t cp;
          if (!Hex4(&cp)) return Error("bad \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            size_t save = pos_;
            pos_ += 2;
            uint32_t lo;
            if (Hex4(&lo) && lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Error(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  Status ParseArray(JsonNode* out, int depth) {
    pos_++;
    *out = JsonNode::Array();
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      pos_++;
      return Status::OK();
    }
    while (true) {
      JsonNode item;
      ALOPEX_RETURN_IF_ERROR(ParseValue(&item, depth + 1));
      out->Push(std::move(item));
      SkipSpace();
      if (pos_ >= s_.size()) return Error("unterminated array");
      char c = s_[pos_++];
      if (c == ']') return Status::OK();
      if (c != ',') return Error("expected ',' or ']' in array");
    }
  }

  Status ParseObject(JsonNode* out, int depth) {
    pos_++;
    *out = JsonNode::Object();
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      pos_++;
      return Status::OK();
    }
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Error("expected a member name");
      std::string key;
      ALOPEX_RETURN_IF_ERROR(ParseString(&key));
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Error("expected ':' after a member name");
      pos_++;
      JsonNode value;
      ALOPEX_RETURN_IF_ERROR(ParseValue(&value, depth + 1));
      // Duplicate keys: the last one wins, as most JSON readers do.
      out->Set(std::move(key), std::move(value));
      SkipSpace();
      if (pos_ >= s_.size()) return Error("unterminated object");
      char c = s_[pos_++];
      if (c == '}') return Status::OK();
      if (c != ',') return Error("expected ',' or '}' in object");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<JsonNode> JsonNode::Parse(std::string_view text) {
  JsonNode out;
  JsonParser p(text);
  ALOPEX_RETURN_IF_ERROR(p.ParseDocument(&out));
  return out;
}

}  // namespace alopex
