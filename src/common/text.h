// ASCII text helpers shared by every layer: SQL identifiers, option names,
// keywords and file extensions compare case-insensitively in ASCII (Unicode
// case mapping is the string functions' business), and "did you mean"
// suggestions come from one edit distance.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alopex {

inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = AsciiLower(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  return true;
}

// `s` without leading and trailing ASCII white space.
inline std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Appends code point `cp` encoded as UTF-8.
void AppendUtf8(std::string* out, uint32_t cp);

// Levenshtein distance, ASCII letters compared case-insensitively.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `name` within `max_distance` edits ("" when none).
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates, size_t max_distance);

}  // namespace alopex
