// Terminal display width of UTF-8 text, for aligning table columns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace alopex::cli {

// Columns `text` occupies on a terminal: wide (CJK, emoji) code points count 2,
// combining marks 0, everything else 1. Invalid bytes count 1 each.
size_t DisplayWidth(std::string_view text);

// The longest prefix of `text` (whole code points) that fits `max_width`
// columns, with "…" appended when anything was cut. `max_width` >= 1.
std::string TruncateToWidth(std::string_view text, size_t max_width);

// `text` with control characters made visible (newline as \n, tab as \t,
// others as \xNN), so one value stays on one table line.
std::string EscapeControlCharacters(std::string_view text);

}  // namespace alopex::cli
