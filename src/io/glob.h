// Glob matching for ExpandGlob (declared in file_system.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace alopex {

// True when `name` (one path segment) matches `pattern` (one segment): `*` any
// run of characters, `?` one character, `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]` a
// character class, `\x` a literal x. Names starting with '.' or '_' (hidden, like
// _delta_log) match only a pattern that starts with the same character.
bool GlobMatchSegment(std::string_view pattern, std::string_view name);

// True when the '/'-separated `path` matches the '/'-separated `pattern`, where a
// `**` segment matches zero or more segments (never hidden ones).
bool GlobMatchPath(std::string_view pattern, std::string_view path);

// Splits on '/', dropping empty segments.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace alopex
