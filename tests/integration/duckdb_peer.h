// Drives DuckDB (the npm package @duckdb/node-api in tests/peers) as a
// reference engine for the interop tests, and reads Alopex results into the
// same shape.
//
// DuckDB runs out of process: the SQL goes to a file, `node duckdb/query.mjs`
// runs it on an in-memory database, and the last statement's rows come back
// one a line, each cell JSON-encoded (see query.mjs). Every cell is text, so
// the tests compare values as each engine renders them with ::VARCHAR.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "alopex/database.h"
#include "scratch_dir.h"

namespace alopex::interop {

// One cell of a result as text; nullopt is SQL NULL.
using Cell = std::optional<std::string>;
using Rows = std::vector<std::vector<Cell>>;

// `text` as a single-quoted SQL string literal (both engines' syntax).
inline std::string SqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Decodes one JSON value that is a string or null (as query.mjs prints them).
inline bool DecodeJsonCell(const std::string& text, Cell* out) {
  if (text == "null") {
    *out = std::nullopt;
    return true;
  }
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  std::string s;
  auto append_utf8 = [&s](uint32_t cp) {
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
  };
  for (size_t i = 1; i + 1 < text.size(); i++) {
    char c = text[i];
    if (c != '\\') {
      s += c;
      continue;
    }
    if (++i + 1 >= text.size()) return false;  // a backslash right before the closing quote
    switch (text[i]) {
      case '"':
        s += '"';
        break;
      case '\\':
        s += '\\';
        break;
      case '/':
        s += '/';
        break;
      case 'b':
        s += '\b';
        break;
      case 'f':
        s += '\f';
        break;
      case 'n':
        s += '\n';
        break;
      case 'r':
        s += '\r';
        break;
      case 't':
        s += '\t';
        break;
      case 'u': {
        if (i + 4 >= text.size()) return false;
        uint32_t cp = std::stoul(text.substr(i + 1, 4), nullptr, 16);
        i += 4;
        // A surrogate pair spells one code point above U+FFFF.
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < text.size() && text[i + 1] == '\\' && text[i + 2] == 'u') {
          uint32_t lo = std::stoul(text.substr(i + 3, 4), nullptr, 16);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        }
        append_utf8(cp);
        break;
      }
      default:
        return false;
    }
  }
  *out = std::move(s);
  return true;
}

// What a DuckDB run returned: the last statement's rows, or its error.
struct PeerResult {
  bool ok = false;
  std::string error;
  Rows rows;
};

class DuckdbPeer {
 public:
  static std::filesystem::path PeersDir() { return std::filesystem::path(ALOPEX_SOURCE_DIR) / "tests" / "peers"; }
  static std::filesystem::path Script() {
    return std::filesystem::path(ALOPEX_SOURCE_DIR) / "tests" / "integration" / "duckdb" / "query.mjs";
  }

  // Empty when DuckDB can run; otherwise why not (for GTEST_SKIP).
  static const std::string& Unavailable() {
    static const std::string reason = [] {
      if (std::system("node --version > /dev/null 2>&1") != 0) return std::string("node is not on PATH");
      if (!std::filesystem::exists(PeersDir() / "node_modules" / "@duckdb" / "node-api"))
        return "the npm package @duckdb/node-api is not installed in " + PeersDir().string() + " (run scripts/setup)";
      return std::string();
    }();
    return reason;
  }

  // Runs `sql` (one or more statements) on a fresh in-memory DuckDB; files for
  // the exchange go to `scratch`.
  static PeerResult Query(const std::string& sql, const std::filesystem::path& scratch) {
    static int counter = 0;
    std::string stem = "duckdb_" + std::to_string(++counter);
    auto sql_path = scratch / (stem + ".sql");
    auto out_path = scratch / (stem + ".out");
    auto err_path = scratch / (stem + ".err");
    WriteWholeFile(sql_path, sql);
    std::string command = "cd " + Shell(PeersDir().string()) + " && node " + Shell(Script().string()) + " " +
                          Shell(sql_path.string()) + " > " + Shell(out_path.string()) + " 2> " +
                          Shell(err_path.string());
    int rc = std::system(command.c_str());
    PeerResult result;
    if (rc != 0) {
      result.error = ReadWholeFile(err_path);
      if (result.error.empty()) result.error = "node exited with status " + std::to_string(rc);
      return result;
    }
    std::istringstream lines(ReadWholeFile(out_path));
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<Cell> row;
      size_t start = 0;
      for (;;) {
        size_t tab = line.find('\t', start);
        Cell cell;
        std::string text = line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
        if (!DecodeJsonCell(text, &cell)) {
          result.error = "cannot decode query.mjs output cell: " + text;
          return result;
        }
        row.push_back(std::move(cell));
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
      result.rows.push_back(std::move(row));
    }
    result.ok = true;
    return result;
  }

 private:
  static std::string Shell(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'')
        out += "'\\''";
      else
        out += c;
    }
    return out + "'";
  }
};

// Runs `sql` in Alopex and returns every cell as GetString renders it (the
// interop queries cast each column to VARCHAR, so that is the cast's text).
inline Result<Rows> AlopexRows(Connection& con, const std::string& sql) {
  auto r = con.Query(sql);
  if (!r.ok()) return r.status();
  Rows rows;
  for (size_t i = 0; i < r->num_rows(); i++) {
    std::vector<Cell> row;
    for (size_t c = 0; c < r->num_columns(); c++) {
      if (r->IsNull(i, c))
        row.push_back(std::nullopt);
      else
        row.push_back(r->GetString(i, c));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::string Show(const Cell& c) { return c ? "'" + *c + "'" : "NULL"; }

// Empty when `actual` equals `expected` cell for cell; otherwise the row count
// difference or the first mismatching cells, named by row (its first cell, the
// id) and column.
inline std::string DiffRows(const Rows& expected, const Rows& actual, const std::vector<std::string>& names) {
  std::ostringstream out;
  if (expected.size() != actual.size()) out << "expected " << expected.size() << " rows, got " << actual.size() << "\n";
  size_t shown = 0, mismatches = 0;
  for (size_t r = 0; r < std::min(expected.size(), actual.size()); r++) {
    const auto& e = expected[r];
    const auto& a = actual[r];
    if (e.size() != a.size()) {
      out << "row " << r << ": expected " << e.size() << " columns, got " << a.size() << "\n";
      return out.str();
    }
    for (size_t c = 0; c < e.size(); c++) {
      if (e[c] == a[c]) continue;
      mismatches++;
      if (shown++ < 12)
        out << "row id=" << Show(e[0]) << " column " << (c < names.size() ? names[c] : std::to_string(c))
            << ": expected " << Show(e[c]) << ", got " << Show(a[c]) << "\n";
    }
  }
  if (mismatches > shown) out << "... " << mismatches - shown << " more mismatching cells\n";
  return out.str();
}

}  // namespace alopex::interop
