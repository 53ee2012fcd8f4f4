// String functions: case, length, substrings, search, padding, splitting,
// concatenation, LIKE / ILIKE / GLOB (patterns compiled once when constant,
// with prefix/suffix/contains fast paths), regular expressions, md5.
// Lengths and positions count UTF-8 code points.
#include <cstring>
#include <memory>
#include <regex>

#include "common/cast.h"
#include "common/text.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const LogicalType kVarchar(TypeId::kVarchar);
const LogicalType kBigInt(TypeId::kBigInt);
const LogicalType kBool(TypeId::kBoolean);

// out[i] = f(arg0[i], &scratch) for VARCHAR -> VARCHAR.
template <typename F>
ScalarKernel StringToString(F f) {
  return [f](ScalarCall& call) -> Status {
    std::string buf;
    const StringRef* a = call.args[0]->data<StringRef>();
    for (size_t i = 0; i < call.count; i++) {
      buf.clear();
      f(a[i].view(), &buf);
      call.out->SetString(i, buf);
    }
    return Status::OK();
  };
}

// Rows valid in every argument; kernels use it to skip work and errors in NULL rows.
#define ALOPEX_SKIP_NULL_ROW(call, i) \
  if (!RowValid(call, i)) continue

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view TrimChars(std::string_view s, std::string_view chars, bool left, bool right) {
  if (chars.empty() && chars.data() == nullptr) {
    if (left)
      while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
    if (right)
      while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
    return s;
  }
  // Code-point set.
  std::vector<uint32_t> set;
  for (size_t p = 0; p < chars.size();) set.push_back(Utf8Decode(chars, &p));
  auto in_set = [&](uint32_t cp) { return std::find(set.begin(), set.end(), cp) != set.end(); };
  if (left) {
    size_t p = 0;
    while (p < s.size()) {
      size_t q = p;
      if (!in_set(Utf8Decode(s, &q))) break;
      p = q;
    }
    s.remove_prefix(p);
  }
  if (right) {
    while (!s.empty()) {
      size_t start = s.size() - 1;
      while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) start--;
      size_t q = start;
      if (!in_set(Utf8Decode(s, &q))) break;
      s.remove_suffix(s.size() - start);
    }
  }
  return s;
}

// ---------------------------------------------------------------- LIKE / GLOB

class Pattern {
 public:
  enum class Kind { kExact, kPrefix, kSuffix, kContains, kAny, kGeneral };

  // LIKE: % and _ with an optional escape character; GLOB: * ? [..].
  static Result<std::shared_ptr<Pattern>> CompileLike(std::string_view pattern, bool case_insensitive,
                                                      std::string_view escape) {
    auto p = std::make_shared<Pattern>();
    p->ci_ = case_insensitive;
    std::string pat = case_insensitive ? Utf8Lower(pattern) : std::string(pattern);
    if (escape.size() > 1) return Status::InvalidArgument("LIKE escape must be a single character, got '" + std::string(escape) + "'");
    char esc = escape.empty() ? 0 : escape[0];
    bool has_esc = !escape.empty();
    for (size_t i = 0; i < pat.size(); i++) {
      char c = pat[i];
      if (has_esc && c == esc) {
        if (i + 1 >= pat.size()) return Status::InvalidArgument("LIKE pattern must not end with the escape character");
        p->tokens_.push_back({Tok::kByte, static_cast<unsigned char>(pat[++i]), 0});
      } else if (c == '%') {
        if (p->tokens_.empty() || p->tokens_.back().kind != Tok::kStar) p->tokens_.push_back({Tok::kStar, 0, 0});
      } else if (c == '_') {
        p->tokens_.push_back({Tok::kOne, 0, 0});
      } else {
        p->tokens_.push_back({Tok::kByte, static_cast<unsigned char>(c), 0});
      }
    }
    p->Analyze();
    return p;
  }

  static Result<std::shared_ptr<Pattern>> CompileGlob(std::string_view pat) {
    auto p = std::make_shared<Pattern>();
    for (size_t i = 0; i < pat.size(); i++) {
      char c = pat[i];
      if (c == '*') {
        if (p->tokens_.empty() || p->tokens_.back().kind != Tok::kStar) p->tokens_.push_back({Tok::kStar, 0, 0});
      } else if (c == '?') {
        p->tokens_.push_back({Tok::kOne, 0, 0});
      } else if (c == '[') {
        size_t j = i + 1;
        CharClass cls;
        if (j < pat.size() && (pat[j] == '!' || pat[j] == '^')) {
          cls.negated = true;
          j++;
        }
        bool first = true;
        while (j < pat.size() && (pat[j] != ']' || first)) {
          first = false;
          uint32_t lo = Utf8Decode(pat, &j), hi = lo;
          if (j + 1 < pat.size() && pat[j] == '-' && pat[j + 1] != ']') {
            j++;
            hi = Utf8Decode(pat, &j);
          }
          cls.ranges.emplace_back(lo, hi);
        }
        if (j >= pat.size()) return Status::InvalidArgument("GLOB pattern has an unterminated '['");
        p->classes_.push_back(std::move(cls));
        p->tokens_.push_back({Tok::kClass, 0, uint32_t(p->classes_.size() - 1)});
        i = j;
      } else if (c == '\\' && i + 1 < pat.size()) {
        p->tokens_.push_back({Tok::kByte, static_cast<unsigned char>(pat[++i]), 0});
      } else {
        p->tokens_.push_back({Tok::kByte, static_cast<unsigned char>(c), 0});
      }
    }
    p->Analyze();
    return p;
  }

  bool Match(std::string_view s) const {
    if (ci_) {
      std::string lower = Utf8Lower(s);
      return MatchCased(lower);
    }
    return MatchCased(s);
  }

 private:
  enum class Tok : uint8_t { kByte, kOne, kStar, kClass };
  struct Token {
    Tok kind;
    unsigned char byte;
    uint32_t cls;
  };
  struct CharClass {
    bool negated = false;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    bool Has(uint32_t cp) const {
      bool in = false;
      for (auto [lo, hi] : ranges) in |= cp >= lo && cp <= hi;
      return in != negated;
    }
  };

  void Analyze() {
    // Only literal bytes with stars at the ends: a fast path.
    size_t n = tokens_.size();
    size_t first = 0, last = n;
    bool lead = n > 0 && tokens_[0].kind == Tok::kStar;
    bool trail = n > 0 && tokens_[n - 1].kind == Tok::kStar;
    if (lead) first = 1;
    if (trail && n > 1) last = n - 1;
    if (n == 1 && lead) {
      kind_ = Kind::kAny;
      return;
    }
    for (size_t i = first; i < last; i++)
      if (tokens_[i].kind != Tok::kByte) {
        kind_ = Kind::kGeneral;
        return;
      }
    for (size_t i = first; i < last; i++) literal_.push_back(char(tokens_[i].byte));
    kind_ = lead && trail ? Kind::kContains : lead ? Kind::kSuffix : trail ? Kind::kPrefix : Kind::kExact;
  }

  bool MatchCased(std::string_view s) const {
    switch (kind_) {
      case Kind::kAny: return true;
      case Kind::kExact: return s == literal_;
      case Kind::kPrefix: return s.size() >= literal_.size() && std::memcmp(s.data(), literal_.data(), literal_.size()) == 0;
      case Kind::kSuffix:
        return s.size() >= literal_.size() &&
               std::memcmp(s.data() + s.size() - literal_.size(), literal_.data(), literal_.size()) == 0;
      case Kind::kContains: return s.find(literal_) != std::string_view::npos;
      case Kind::kGeneral: return MatchGeneral(s);
    }
    return false;
  }

  static size_t NextCp(std::string_view s, size_t p) {
    p++;
    while (p < s.size() && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) p++;
    return p;
  }

  bool MatchGeneral(std::string_view s) const {
    size_t si = 0, pi = 0, np = tokens_.size();
    size_t star_pi = SIZE_MAX, star_si = 0;
    while (si < s.size()) {
      if (pi < np) {
        const Token& t = tokens_[pi];
        if (t.kind == Tok::kStar) {
          star_pi = pi++;
          star_si = si;
          continue;
        }
        if (t.kind == Tok::kOne) {
          si = NextCp(s, si);
          pi++;
          continue;
        }
        if (t.kind == Tok::kByte && static_cast<unsigned char>(s[si]) == t.byte) {
          si++;
          pi++;
          continue;
        }
        if (t.kind == Tok::kClass) {
          size_t q = si;
          uint32_t cp = Utf8Decode(s, &q);
          if (classes_[t.cls].Has(cp)) {
            si = q;
            pi++;
            continue;
          }
        }
      }
      if (star_pi == SIZE_MAX) return false;
      pi = star_pi + 1;
      star_si = NextCp(s, star_si);
      si = star_si;
    }
    while (pi < np && tokens_[pi].kind == Tok::kStar) pi++;
    return pi == np;
  }

  std::vector<Token> tokens_;
  std::vector<CharClass> classes_;
  Kind kind_ = Kind::kGeneral;
  std::string literal_;
  bool ci_ = false;
};

enum class PatternKind { kLike, kILike, kGlob };

Result<std::shared_ptr<Pattern>> CompilePattern(PatternKind kind, std::string_view pat, std::string_view esc) {
  if (kind == PatternKind::kGlob) return Pattern::CompileGlob(pat);
  return Pattern::CompileLike(pat, kind == PatternKind::kILike, esc);
}

Result<BoundScalarFunction> BindLike(const ScalarBindInput& in, PatternKind kind) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, kind == PatternKind::kGlob ? 2 : 3));
  for (const auto& t : in.arg_types)
    if (MatchCost(kVarchar, t) < 0)
      return NoMatch(in, in.name + (kind == PatternKind::kGlob ? "(VARCHAR, VARCHAR)" : "(VARCHAR, VARCHAR[, VARCHAR])"));
  std::vector<LogicalType> args(in.arg_types.size(), kVarchar);
  std::shared_ptr<Pattern> fixed;
  const Value* pc = ConstantArg(in, 1);
  const Value* ec = in.arg_types.size() > 2 ? ConstantArg(in, 2) : nullptr;
  bool escape_constant = in.arg_types.size() < 3 || (ec && !ec->is_null());
  if (pc && !pc->is_null() && pc->type().id() == TypeId::kVarchar && escape_constant) {
    std::string esc = ec ? ec->GetString() : "";
    ALOPEX_ASSIGN_OR_RETURN(fixed, CompilePattern(kind, pc->GetString(), esc));
  }
  return MakeBound(in, args, kBool, [fixed, kind](ScalarCall& call) -> Status {
    uint8_t* r = call.out->data<uint8_t>();
    const StringRef* s = call.args[0]->data<StringRef>();
    if (fixed) {
      const Pattern& p = *fixed;
      for (size_t i = 0; i < call.count; i++) r[i] = p.Match(s[i].view());
      return Status::OK();
    }
    std::shared_ptr<Pattern> cached;
    std::string cached_text, cached_esc;
    for (size_t i = 0; i < call.count; i++) {
      ALOPEX_SKIP_NULL_ROW(call, i);
      std::string_view pat = Str(call, 1, i);
      std::string_view esc = call.args.size() > 2 ? Str(call, 2, i) : std::string_view();
      if (!cached || pat != cached_text || esc != cached_esc) {
        ALOPEX_ASSIGN_OR_RETURN(cached, CompilePattern(kind, pat, esc));
        cached_text = std::string(pat);
        cached_esc = std::string(esc);
      }
      r[i] = cached->Match(s[i].view());
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------- regular expressions

struct CompiledRegex {
  std::regex re;
};

Result<std::shared_ptr<CompiledRegex>> CompileRegex(std::string_view pattern, std::string_view options) {
  auto flags = std::regex::ECMAScript;
  for (char o : options) {
    if (o == 'i') flags |= std::regex::icase;
    else if (o == 'c' || o == 'g' || o == 's' || o == 'm' || o == 'n' || o == 'p' || o == 'l') continue;
    else return Status::InvalidArgument("unrecognized regex option '" + std::string(1, o) + "'");
  }
  // std::regex reports bad patterns by throwing; the exception stays here.
  try {
    auto c = std::make_shared<CompiledRegex>();
    c->re = std::regex(pattern.begin(), pattern.end(), flags);
    return c;
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("invalid regular expression \"" + std::string(pattern) + "\": " + e.what());
  }
}

// RE2-style "\1" group references become std::regex's "$1"; a literal '$' is doubled.
std::string ConvertReplacement(std::string_view repl) {
  std::string out;
  for (size_t i = 0; i < repl.size(); i++) {
    char c = repl[i];
    if (c == '\\' && i + 1 < repl.size() && repl[i + 1] >= '0' && repl[i + 1] <= '9') {
      out += '$';
      out += repl[++i];
      if (out.back() == '0') out.replace(out.size() - 2, 2, "$&");
    } else if (c == '\\' && i + 1 < repl.size()) {
      out += repl[++i];
    } else if (c == '$') {
      out += "$$";
    } else {
      out += c;
    }
  }
  return out;
}

enum class RegexOp { kMatches, kFullMatch, kReplace, kExtract };

Result<BoundScalarFunction> BindRegex(const ScalarBindInput& in, RegexOp op) {
  size_t min = op == RegexOp::kReplace ? 3 : 2;
  size_t max = min + 1;
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, min, max));
  std::vector<LogicalType> args(in.arg_types.size(), kVarchar);
  if (op == RegexOp::kExtract && in.arg_types.size() == 3) {
    if (!in.arg_types[2].IsInteger() && in.arg_types[2].id() != TypeId::kNull)
      return NoMatch(in, "regexp_extract(VARCHAR, VARCHAR[, INTEGER])");
    args[2] = kBigInt;
  }
  for (size_t i = 0; i < in.arg_types.size(); i++)
    if (MatchCost(args[i], in.arg_types[i]) < 0) return NoMatch(in, CallString(in.name, args));
  size_t opt_arg = (op == RegexOp::kReplace) ? 3 : (op == RegexOp::kExtract ? SIZE_MAX : 2);
  std::shared_ptr<CompiledRegex> fixed;
  const Value* pc = ConstantArg(in, 1);
  const Value* oc = opt_arg < in.arg_types.size() ? ConstantArg(in, opt_arg) : nullptr;
  bool opts_constant = opt_arg >= in.arg_types.size() || (oc && !oc->is_null());
  if (pc && !pc->is_null() && opts_constant) {
    ALOPEX_ASSIGN_OR_RETURN(fixed, CompileRegex(pc->GetString(), oc ? oc->GetString() : ""));
  }
  LogicalType ret = (op == RegexOp::kMatches || op == RegexOp::kFullMatch) ? kBool : kVarchar;
  return MakeBound(in, args, ret, [fixed, op, opt_arg](ScalarCall& call) -> Status {
    std::shared_ptr<CompiledRegex> cached = fixed;
    std::string cached_key;
    std::string out;
    for (size_t i = 0; i < call.count; i++) {
      ALOPEX_SKIP_NULL_ROW(call, i);
      std::string_view opts = opt_arg < call.args.size() ? Str(call, opt_arg, i) : std::string_view();
      if (!fixed) {
        std::string key = std::string(Str(call, 1, i)) + '\0' + std::string(opts);
        if (!cached || key != cached_key) {
          ALOPEX_ASSIGN_OR_RETURN(cached, CompileRegex(Str(call, 1, i), opts));
          cached_key = std::move(key);
        }
      }
      std::string_view s = Str(call, 0, i);
      switch (op) {
        case RegexOp::kMatches:
          call.out->data<uint8_t>()[i] = std::regex_search(s.begin(), s.end(), cached->re);
          break;
        case RegexOp::kFullMatch:
          call.out->data<uint8_t>()[i] = std::regex_match(s.begin(), s.end(), cached->re);
          break;
        case RegexOp::kReplace: {
          bool global = opts.find('g') != std::string_view::npos;
          out.clear();
          std::regex_replace(std::back_inserter(out), s.begin(), s.end(), cached->re,
                             ConvertReplacement(Str(call, 2, i)),
                             global ? std::regex_constants::format_default : std::regex_constants::format_first_only);
          call.out->SetString(i, out);
          break;
        }
        case RegexOp::kExtract: {
          int64_t group = call.args.size() > 2 ? GetInt(*call.args[2], i) : 0;
          std::match_results<std::string_view::const_iterator> m;
          if (std::regex_search(s.begin(), s.end(), m, cached->re)) {
            if (group < 0 || size_t(group) >= m.size())
              return Status::InvalidArgument("regexp_extract: group " + std::to_string(group) + " does not exist (the pattern has " +
                                             std::to_string(m.size() - 1) + ")");
            call.out->SetString(i, std::string_view(&*m[group].first, size_t(m[group].length())));
          } else {
            call.out->SetString(i, "");
          }
          break;
        }
      }
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------- md5

class Md5 {
 public:
  static std::string HexDigest(std::string_view data) {
    uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static const int S[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                              5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    std::string msg(data);
    uint64_t bit_len = uint64_t(data.size()) * 8;
    msg.push_back(char(0x80));
    while (msg.size() % 64 != 56) msg.push_back(0);
    for (int k = 0; k < 8; k++) msg.push_back(char(bit_len >> (8 * k)));
    for (size_t off = 0; off < msg.size(); off += 64) {
      uint32_t M[16];
      for (int k = 0; k < 16; k++) {
        const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + off + 4 * k);
        M[k] = uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
      }
      uint32_t A = a0, B = b0, C = c0, D = d0;
      for (int k = 0; k < 64; k++) {
        uint32_t F;
        int g;
        if (k < 16) {
          F = (B & C) | (~B & D);
          g = k;
        } else if (k < 32) {
          F = (D & B) | (~D & C);
          g = (5 * k + 1) % 16;
        } else if (k < 48) {
          F = B ^ C ^ D;
          g = (3 * k + 5) % 16;
        } else {
          F = C ^ (B | ~D);
          g = (7 * k) % 16;
        }
        F = F + A + K[k] + M[g];
        A = D;
        D = C;
        C = B;
        B = B + ((F << S[k]) | (F >> (32 - S[k])));
      }
      a0 += A;
      b0 += B;
      c0 += C;
      d0 += D;
    }
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (uint32_t w : {a0, b0, c0, d0})
      for (int k = 0; k < 4; k++) {
        uint8_t byte = uint8_t(w >> (8 * k));
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 15]);
      }
    return out;
  }
};

// ---------------------------------------------------------------- binders

// A function of VARCHAR arguments (and BIGINT where marked 'i').
ScalarBinder Simple(std::string sig, LogicalType ret, ScalarKernel kernel) {
  std::vector<LogicalType> args;
  for (char c : sig) args.push_back(c == 'i' ? kBigInt : kVarchar);
  return FixedBinder({Signature{args, ret, kernel}});
}

Result<BoundScalarFunction> BindConcat(const ScalarBindInput& in, bool with_separator) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, with_separator ? 2 : 1, SIZE_MAX));
  std::vector<LogicalType> args;
  for (const auto& t : in.arg_types) {
    if (t.id() == TypeId::kList && !with_separator) {
      // concat of lists is list_concat; leave it to the list binder.
      return Decline();
    }
    args.push_back(kVarchar);
  }
  auto f = MakeBound(in, args, kVarchar, [with_separator](ScalarCall& call) -> Status {
    std::string buf;
    for (size_t i = 0; i < call.count; i++) {
      buf.clear();
      size_t first = 0;
      std::string_view sep;
      if (with_separator) {
        if (!call.args[0]->IsValid(i)) {
          call.out->SetNull(i);
          continue;
        }
        sep = Str(call, 0, i);
        first = 1;
      }
      bool any = false;
      for (size_t k = first; k < call.args.size(); k++) {
        if (!call.args[k]->IsValid(i)) continue;
        if (any && with_separator) buf.append(sep.data(), sep.size());
        std::string_view s = Str(call, k, i);
        buf.append(s.data(), s.size());
        any = true;
      }
      call.out->SetString(i, buf);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

Result<BoundScalarFunction> BindConcatOperator(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  const LogicalType& a = in.arg_types[0];
  const LogicalType& b = in.arg_types[1];
  if (a.id() == TypeId::kList || b.id() == TypeId::kList) return Decline();
  LogicalType t = (a.id() == TypeId::kBlob && (b.id() == TypeId::kBlob || b.id() == TypeId::kNull)) ||
                          (b.id() == TypeId::kBlob && a.id() == TypeId::kNull)
                      ? LogicalType(TypeId::kBlob)
                      : kVarchar;
  return MakeBound(in, {t, t}, t, [](ScalarCall& call) -> Status {
    std::string buf;
    for (size_t i = 0; i < call.count; i++) {
      std::string_view x = Str(call, 0, i), y = Str(call, 1, i);
      buf.assign(x.data(), x.size());
      buf.append(y.data(), y.size());
      call.out->SetString(i, buf);
    }
    return Status::OK();
  });
}

// DuckDB's substring: 1-based, negative start counts from the end.
std::string_view Substring(std::string_view s, int64_t start, int64_t length, bool has_length) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  int64_t n = ascii ? int64_t(s.size()) : int64_t(Utf8Length(s));
  int64_t begin = start > 0 ? start - 1 : (start < 0 ? n + start : -1);
  int64_t end = has_length ? begin + length : n;
  if (has_length && length < 0) {
    end = begin + 1;
    begin = end + length;
  }
  begin = std::clamp<int64_t>(begin, 0, n);
  end = std::clamp<int64_t>(end, 0, n);
  if (end <= begin) return std::string_view("", 0);
  if (ascii) return s.substr(size_t(begin), size_t(end - begin));
  size_t b = Utf8Offset(s, size_t(begin));
  size_t e = b + Utf8Offset(s.substr(b), size_t(end - begin));
  return s.substr(b, e - b);
}

Result<BoundScalarFunction> BindSubstring(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 3));
  std::vector<LogicalType> args = {kVarchar, kBigInt};
  if (in.arg_types.size() == 3) args.push_back(kBigInt);
  for (size_t i = 0; i < args.size(); i++)
    if (MatchCost(args[i], in.arg_types[i]) < 0) return NoMatch(in, "substring(VARCHAR, BIGINT[, BIGINT])");
  return MakeBound(in, args, kVarchar, [](ScalarCall& call) -> Status {
    bool has_len = call.args.size() > 2;
    const int64_t* st = call.args[1]->data<int64_t>();
    const int64_t* ln = has_len ? call.args[2]->data<int64_t>() : nullptr;
    StringRef* out = call.out->data<StringRef>();
    const StringRef* s = call.args[0]->data<StringRef>();
    for (size_t i = 0; i < call.count; i++) {
      std::string_view v = s[i].view();
      std::string_view r = Substring(v, st[i], has_len ? ln[i] : 0, has_len);
      // A substring of a heap string can point into the same bytes.
      out[i] = r.size() <= StringRef::kInlineLength || s[i].IsInlined() ? call.out->AddString(r)
                                                                           : StringRef(r.data(), uint32_t(r.size()));
    }
    call.out->ShareHeapsFrom(*call.args[0]);
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindLength(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  const LogicalType& t = in.arg_types[0];
  if (t.id() == TypeId::kList || t.id() == TypeId::kMap) {
    return MakeBound(in, {t}, kBigInt, [](ScalarCall& call) -> Status {
      const ListEntry* e = call.args[0]->list_entries();
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = int64_t(e[i].length);
      return Status::OK();
    });
  }
  if (t.id() == TypeId::kVector) {
    int64_t dim = t.dimension();
    return MakeBound(in, {t}, kBigInt, [dim](ScalarCall& call) -> Status {
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = dim;
      return Status::OK();
    });
  }
  if (t.id() == TypeId::kBlob) {
    return MakeBound(in, {t}, kBigInt, [](ScalarCall& call) -> Status {
      const StringRef* s = call.args[0]->data<StringRef>();
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = s[i].size();
      return Status::OK();
    });
  }
  if (MatchCost(kVarchar, t) < 0) return NoMatch(in, std::vector<std::string>{in.name + "(VARCHAR)", in.name + "(ANY[])"});
  return MakeBound(in, {kVarchar}, kBigInt, [](ScalarCall& call) -> Status {
    const StringRef* s = call.args[0]->data<StringRef>();
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) r[i] = int64_t(Utf8Length(s[i].view()));
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindTrim(const ScalarBindInput& in, bool left, bool right) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 2));
  for (const auto& t : in.arg_types)
    if (MatchCost(kVarchar, t) < 0) return NoMatch(in, in.name + "(VARCHAR[, VARCHAR])");
  std::vector<LogicalType> args(in.arg_types.size(), kVarchar);
  return MakeBound(in, args, kVarchar, [left, right](ScalarCall& call) -> Status {
    bool has_chars = call.args.size() > 1;
    for (size_t i = 0; i < call.count; i++) {
      std::string_view s = Str(call, 0, i);
      std::string_view chars = has_chars ? Str(call, 1, i) : std::string_view();
      if (has_chars && chars.data() == nullptr) chars = std::string_view("", 0);
      call.out->SetString(i, TrimChars(s, chars, left, right));
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindSplit(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  for (const auto& t : in.arg_types)
    if (MatchCost(kVarchar, t) < 0) return NoMatch(in, in.name + "(VARCHAR, VARCHAR)");
  return MakeBound(in, {kVarchar, kVarchar}, LogicalType::List(kVarchar), [](ScalarCall& call) -> Status {
    Column& child = call.out->child();
    ListEntry* e = call.out->list_entries();
    for (size_t i = 0; i < call.count; i++) {
      size_t start = child.size();
      e[i] = {start, 0};
      if (!RowValid(call, i)) continue;
      std::string_view s = Str(call, 0, i), sep = Str(call, 1, i);
      std::vector<std::string_view> parts;
      if (sep.empty()) {
        for (size_t p = 0; p < s.size();) {
          size_t q = p;
          Utf8Decode(s, &q);
          parts.push_back(s.substr(p, q - p));
          p = q;
        }
      } else {
        size_t p = 0;
        while (true) {
          size_t f = s.find(sep, p);
          if (f == std::string_view::npos) {
            parts.push_back(s.substr(p));
            break;
          }
          parts.push_back(s.substr(p, f - p));
          p = f + sep.size();
        }
      }
      child.Resize(start + parts.size());
      for (size_t k = 0; k < parts.size(); k++) child.SetString(start + k, parts[k]);
      e[i].length = parts.size();
    }
    return Status::OK();
  });
}

int64_t FindPosition(std::string_view s, std::string_view sub) {
  size_t f = s.find(sub);
  if (f == std::string_view::npos) return 0;
  return int64_t(Utf8Length(s.substr(0, f))) + 1;
}

ScalarKernel PadKernel(bool left) {
  return [left](ScalarCall& call) -> Status {
    std::string out;
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      std::string_view s = Str(call, 0, i), fill = Str(call, 2, i);
      int64_t target = GetInt(*call.args[1], i);
      if (target < 0) target = 0;
      if (target > (int64_t(1) << 30)) return Status::OutOfRange("pad length " + std::to_string(target) + " is too large");
      size_t len = Utf8Length(s);
      if (len >= size_t(target)) {
        call.out->SetString(i, s.substr(0, Utf8Offset(s, size_t(target))));
        continue;
      }
      if (fill.empty()) return Status::InvalidArgument("Insufficient padding in " + std::string(left ? "LPAD" : "RPAD"));
      size_t need = size_t(target) - len;
      std::string pad;
      size_t fill_len = Utf8Length(fill);
      while (need >= fill_len) {
        pad.append(fill.data(), fill.size());
        need -= fill_len;
      }
      pad.append(fill.data(), Utf8Offset(fill, need));
      out = left ? pad + std::string(s) : std::string(s) + pad;
      call.out->SetString(i, out);
    }
    return Status::OK();
  };
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& r) {
  r.Register("lower", Simple("s", kVarchar, StringToString([](std::string_view s, std::string* o) { *o = Utf8Lower(s); })));
  r.Register("upper", Simple("s", kVarchar, StringToString([](std::string_view s, std::string* o) { *o = Utf8Upper(s); })));
  r.Alias("lcase", "lower");
  r.Alias("ucase", "upper");
  r.Register("length", BindLength);
  r.Alias("len", "length");
  r.Alias("char_length", "length");
  r.Alias("character_length", "length");
  r.Register("octet_length", [](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
    LogicalType t = in.arg_types[0].id() == TypeId::kBlob ? LogicalType(TypeId::kBlob) : kVarchar;
    if (MatchCost(t, in.arg_types[0]) < 0) return NoMatch(in, std::vector<std::string>{"octet_length(VARCHAR)", "octet_length(BLOB)"});
    return MakeBound(in, {t}, kBigInt, UnaryKernel<StringRef, int64_t>([](const StringRef& s) { return int64_t(s.size()); }));
  });
  r.Alias("strlen", "octet_length");
  r.Register("substring", BindSubstring);
  r.Alias("substr", "substring");
  r.Register("concat", [](const ScalarBindInput& in) { return BindConcat(in, false); });
  r.Register("concat_ws", [](const ScalarBindInput& in) { return BindConcat(in, true); });
  r.Register("||", BindConcatOperator);
  r.Register("like", [](const ScalarBindInput& in) { return BindLike(in, PatternKind::kLike); });
  r.Register("ilike", [](const ScalarBindInput& in) { return BindLike(in, PatternKind::kILike); });
  r.Register("glob", [](const ScalarBindInput& in) { return BindLike(in, PatternKind::kGlob); });
  r.Alias("~~", "like");
  r.Alias("~~*", "ilike");
  r.Alias("like_escape", "like");
  r.Alias("ilike_escape", "ilike");
  r.Register("regexp_matches", [](const ScalarBindInput& in) { return BindRegex(in, RegexOp::kMatches); });
  r.Register("regexp_full_match", [](const ScalarBindInput& in) { return BindRegex(in, RegexOp::kFullMatch); });
  r.Register("regexp_replace", [](const ScalarBindInput& in) { return BindRegex(in, RegexOp::kReplace); });
  r.Register("regexp_extract", [](const ScalarBindInput& in) { return BindRegex(in, RegexOp::kExtract); });
  r.Alias("regexp_like", "regexp_matches");
  r.Alias("~", "regexp_matches");
  r.Register("replace", Simple("sss", kVarchar, [](ScalarCall& call) -> Status {
    std::string out;
    for (size_t i = 0; i < call.count; i++) {
      std::string_view s = Str(call, 0, i), from = Str(call, 1, i), to = Str(call, 2, i);
      if (from.empty()) {
        call.out->SetString(i, s);
        continue;
      }
      out.clear();
      size_t p = 0;
      while (true) {
        size_t f = s.find(from, p);
        if (f == std::string_view::npos) break;
        out.append(s.data() + p, f - p);
        out.append(to.data(), to.size());
        p = f + from.size();
      }
      out.append(s.data() + p, s.size() - p);
      call.out->SetString(i, out);
    }
    return Status::OK();
  }));
  r.Register("trim", [](const ScalarBindInput& in) { return BindTrim(in, true, true); });
  r.Register("ltrim", [](const ScalarBindInput& in) { return BindTrim(in, true, false); });
  r.Register("rtrim", [](const ScalarBindInput& in) { return BindTrim(in, false, true); });
  r.Alias("btrim", "trim");
  r.Register("string_split", BindSplit);
  r.Alias("split", "string_split");
  r.Alias("str_split", "string_split");
  r.Alias("string_to_array", "string_split");
  r.Register("starts_with", Simple("ss", kBool, BinaryKernel<StringRef, StringRef, uint8_t>([](const StringRef& a, const StringRef& b) {
               return a.view().substr(0, b.size()) == b.view();
             })));
  r.Alias("prefix", "starts_with");
  r.Alias("^@", "starts_with");
  r.Register("ends_with", Simple("ss", kBool, BinaryKernel<StringRef, StringRef, uint8_t>([](const StringRef& a, const StringRef& b) {
               return a.size() >= b.size() && a.view().substr(a.size() - b.size()) == b.view();
             })));
  r.Alias("suffix", "ends_with");
  r.Register("contains", Simple("ss", kBool, BinaryKernel<StringRef, StringRef, uint8_t>([](const StringRef& a, const StringRef& b) {
               return a.view().find(b.view()) != std::string_view::npos;
             })));
  r.Register("strpos", Simple("ss", kBigInt, BinaryKernel<StringRef, StringRef, int64_t>([](const StringRef& a, const StringRef& b) {
               return FindPosition(a.view(), b.view());
             })));
  r.Alias("position", "strpos");
  r.Alias("instr", "strpos");
  r.Register("left", Simple("si", kVarchar, [](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      std::string_view s = Str(call, 0, i);
      int64_t n = GetInt(*call.args[1], i);
      int64_t len = int64_t(Utf8Length(s));
      int64_t take = n >= 0 ? std::min(n, len) : std::max<int64_t>(0, len + n);
      call.out->SetString(i, s.substr(0, Utf8Offset(s, size_t(take))));
    }
    return Status::OK();
  }));
  r.Register("right", Simple("si", kVarchar, [](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      std::string_view s = Str(call, 0, i);
      int64_t n = GetInt(*call.args[1], i);
      int64_t len = int64_t(Utf8Length(s));
      int64_t take = n >= 0 ? std::min(n, len) : std::max<int64_t>(0, len + n);
      call.out->SetString(i, s.substr(Utf8Offset(s, size_t(len - take))));
    }
    return Status::OK();
  }));
  r.Register("reverse", Simple("s", kVarchar, StringToString([](std::string_view s, std::string* o) {
               std::vector<std::pair<size_t, size_t>> cps;
               for (size_t p = 0; p < s.size();) {
                 size_t q = p;
                 Utf8Decode(s, &q);
                 cps.emplace_back(p, q - p);
                 p = q;
               }
               for (size_t k = cps.size(); k-- > 0;) o->append(s.data() + cps[k].first, cps[k].second);
             })));
  r.Register("repeat", Simple("si", kVarchar, [](ScalarCall& call) -> Status {
    std::string out;
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      std::string_view s = Str(call, 0, i);
      int64_t n = GetInt(*call.args[1], i);
      if (n < 0) n = 0;
      if (s.size() * uint64_t(n) > (uint64_t(1) << 30))
        return Status::OutOfRange("repeat: the result would exceed 1 GB");
      out.clear();
      for (int64_t k = 0; k < n; k++) out.append(s.data(), s.size());
      call.out->SetString(i, out);
    }
    return Status::OK();
  }));
  r.Register("lpad", Simple("sis", kVarchar, PadKernel(true)));
  r.Register("rpad", Simple("sis", kVarchar, PadKernel(false)));
  r.Register("md5", Simple("s", kVarchar, StringToString([](std::string_view s, std::string* o) { *o = Md5::HexDigest(s); })));
  r.Register("ascii", Simple("s", TypeId::kInteger, UnaryKernel<StringRef, int32_t>([](const StringRef& s) {
               if (s.size() == 0) return int32_t(0);
               size_t p = 0;
               return int32_t(Utf8Decode(s.view(), &p));
             })));
  r.Register("chr", Simple("i", kVarchar, [](ScalarCall& call) -> Status {
    std::string out;
    for (size_t i = 0; i < call.count; i++) {
      if (!RowValid(call, i)) continue;
      int64_t cp = GetInt(*call.args[0], i);
      if (cp < 0 || cp > 0x10FFFF) return Status::InvalidArgument("chr: invalid code point " + std::to_string(cp));
      out.clear();
      AppendUtf8(&out, uint32_t(cp));
      call.out->SetString(i, out);
    }
    return Status::OK();
  }));
  r.Register("split_part", Simple("ssi", kVarchar, [](ScalarCall& call) -> Status {
    for (size_t i = 0; i < call.count; i++) {
      std::string_view s = Str(call, 0, i), sep = Str(call, 1, i);
      int64_t idx = GetInt(*call.args[2], i);
      std::vector<std::string_view> parts;
      if (sep.empty()) {
        parts.push_back(s);
      } else {
        size_t p = 0;
        while (true) {
          size_t f = s.find(sep, p);
          if (f == std::string_view::npos) {
            parts.push_back(s.substr(p));
            break;
          }
          parts.push_back(s.substr(p, f - p));
          p = f + sep.size();
        }
      }
      int64_t n = int64_t(parts.size());
      int64_t k = idx > 0 ? idx - 1 : n + idx;
      call.out->SetString(i, (idx != 0 && k >= 0 && k < n) ? parts[size_t(k)] : std::string_view("", 0));
    }
    return Status::OK();
  }));
}

}  // namespace alopex::functions
