#include "test_file.h"

#include <charconv>
#include <sstream>

namespace alopex::slt {
namespace {

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The header line after its first `n` words, trimmed.
std::string RestAfterWords(const std::string& line, size_t n) {
  size_t pos = 0;
  for (size_t k = 0; k < n; k++) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string::npos) return "";
    pos = line.find_first_of(" \t", pos);
    if (pos == std::string::npos) return "";
  }
  size_t b = line.find_first_not_of(" \t", pos);
  if (b == std::string::npos) return "";
  size_t e = line.find_last_not_of(" \t\r");
  return line.substr(b, e - b + 1);
}

Status LineError(int line, const std::string& message) {
  return Status::InvalidArgument("line " + std::to_string(line) + ": " + message);
}

bool ParseInt(const std::string& s, int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Result<std::vector<TestRecord>> ParseTestFile(std::string_view text) {
  std::vector<std::string> lines;
  {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string line(text.substr(start, end - start));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(std::move(line));
      start = end + 1;
    }
  }

  std::vector<TestRecord> records;
  int loop_depth = 0;
  int last_loop_line = 0;
  size_t i = 0;
  // Lines from `i` up to a blank line or "----" (consumed); true when "----" ended them.
  auto take_block = [&](std::vector<std::string>* out) {
    while (i < lines.size() && !IsBlank(lines[i])) {
      if (lines[i] == "----") {
        i++;
        return true;
      }
      out->push_back(lines[i++]);
    }
    return false;
  };
  auto take_until_blank = [&](std::vector<std::string>* out) {
    while (i < lines.size() && !IsBlank(lines[i])) out->push_back(lines[i++]);
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t k = 0; k < v.size(); k++) s += (k ? "\n" : "") + v[k];
    return s;
  };

  while (i < lines.size()) {
    const std::string header = lines[i];
    if (IsBlank(header) || header[header.find_first_not_of(" \t")] == '#') {
      i++;
      continue;
    }
    TestRecord r;
    r.line = int(i) + 1;
    std::vector<std::string> words = Words(header);
    const std::string& kind = words[0];
    i++;

    if (kind == "statement") {
      if (words.size() < 2) return LineError(r.line, "statement needs ok, error or maybe");
      if (words[1] == "ok") {
        r.kind = TestRecord::Kind::kStatementOk;
      } else if (words[1] == "error") {
        r.kind = TestRecord::Kind::kStatementError;
      } else if (words[1] == "maybe") {
        r.kind = TestRecord::Kind::kStatementMaybe;
      } else {
        return LineError(r.line, "unknown statement expectation \"" + words[1] + "\"");
      }
      if (r.kind != TestRecord::Kind::kStatementOk) r.expected_error = RestAfterWords(header, 2);
      std::vector<std::string> sql, expected;
      if (take_block(&sql)) {
        r.expected_line = int(i) + 1;
        take_until_blank(&expected);
        if (!expected.empty()) r.expected_error = join(expected);
      }
      if (sql.empty()) return LineError(r.line, "statement without SQL");
      r.sql = join(sql);
    } else if (kind == "query") {
      if (words.size() < 2) return LineError(r.line, "query needs its column types, e.g. query II");
      r.kind = TestRecord::Kind::kQuery;
      r.column_types = words[1];
      if (words.size() >= 3) {
        if (words[2] == "rowsort") {
          r.sort = SortMode::kRowSort;
        } else if (words[2] == "valuesort") {
          r.sort = SortMode::kValueSort;
        } else if (words[2] != "nosort") {
          return LineError(r.line, "unknown sort mode \"" + words[2] + "\" (nosort, rowsort or valuesort)");
        }
      }
      std::vector<std::string> sql;
      r.has_expected = take_block(&sql);
      if (r.has_expected) {
        r.expected_line = int(i) + 1;
        take_until_blank(&r.expected_lines);
      }
      if (sql.empty()) return LineError(r.line, "query without SQL");
      r.sql = join(sql);
    } else if (kind == "loop" || kind == "concurrentloop") {
      int64_t from = 0, to = 0;
      if (words.size() != 4 || !ParseInt(words[2], &from) || !ParseInt(words[3], &to))
        return LineError(r.line, "expected: loop VARIABLE START END");
      r.kind = TestRecord::Kind::kLoop;
      r.loop_variable = words[1];
      for (int64_t v = from; v < to; v++) r.loop_values.push_back(std::to_string(v));
      loop_depth++;
      last_loop_line = r.line;
    } else if (kind == "foreach" || kind == "concurrentforeach") {
      if (words.size() < 3) return LineError(r.line, "expected: foreach VARIABLE VALUE...");
      r.kind = TestRecord::Kind::kLoop;
      r.loop_variable = words[1];
      r.loop_values.assign(words.begin() + 2, words.end());
      loop_depth++;
      last_loop_line = r.line;
    } else if (kind == "endloop") {
      if (loop_depth == 0) return LineError(r.line, "endloop without loop");
      loop_depth--;
      r.kind = TestRecord::Kind::kEndLoop;
    } else if (kind == "require") {
      if (words.size() < 2) return LineError(r.line, "require needs a feature name");
      r.kind = TestRecord::Kind::kRequire;
      r.argument = words[1];
    } else if (kind == "mode") {
      if (words.size() < 2) return LineError(r.line, "mode needs skip or unskip");
      if (words[1] == "skip") {
        r.kind = TestRecord::Kind::kModeSkip;
      } else if (words[1] == "unskip") {
        r.kind = TestRecord::Kind::kModeUnskip;
      } else {
        continue;  // other DuckDB modes (output_hash, ...) do not apply
      }
    } else if (kind == "halt") {
      r.kind = TestRecord::Kind::kHalt;
    } else if (kind == "load") {
      if (words.size() < 2) return LineError(r.line, "load needs a database path");
      r.kind = TestRecord::Kind::kLoad;
      r.argument = words[1];
      r.read_only = words.size() >= 3 && words[2] == "readonly";
    } else if (kind == "restart") {
      r.kind = TestRecord::Kind::kRestart;
    } else {
      return LineError(r.line, "unknown record \"" + kind + "\"");
    }
    records.push_back(std::move(r));
  }
  if (loop_depth > 0) return LineError(last_loop_line, "loop without endloop");
  return records;
}

}  // namespace alopex::slt
