#include "result_check.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace alopex::slt {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> values;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    values.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return values;
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

void SortRows(SortMode mode, TextRows* rows, size_t num_columns) {
  if (mode == SortMode::kRowSort) {
    std::sort(rows->begin(), rows->end());
  } else if (mode == SortMode::kValueSort) {
    std::vector<std::string> values;
    for (auto& row : *rows)
      for (auto& v : row) values.push_back(std::move(v));
    std::sort(values.begin(), values.end());
    // Back into rows of the same width, so both sides compare alike.
    rows->clear();
    size_t width = std::max<size_t>(1, num_columns);
    for (size_t i = 0; i < values.size(); i += width)
      rows->emplace_back(values.begin() + i, values.begin() + std::min(values.size(), i + width));
  }
}

}  // namespace

TextRows ExpectedRows(const TestRecord& record, size_t num_columns) {
  TextRows rows;
  bool one_value_per_line = num_columns > 1 && !record.expected_lines.empty();
  for (const auto& line : record.expected_lines)
    if (line.find('\t') != std::string::npos) one_value_per_line = false;
  if (one_value_per_line && record.expected_lines.size() % num_columns == 0) {
    for (size_t i = 0; i < record.expected_lines.size(); i += num_columns)
      rows.emplace_back(record.expected_lines.begin() + i, record.expected_lines.begin() + i + num_columns);
    return rows;
  }
  for (const auto& line : record.expected_lines) rows.push_back(SplitTabs(line));
  return rows;
}

bool ValuesMatch(const std::string& expected, const std::string& actual, char type) {
  if (expected == actual) return true;
  if (type != 'R') return false;
  double e = 0, a = 0;
  if (!ParseDouble(expected, &e) || !ParseDouble(actual, &a)) return false;
  if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
  if (std::isinf(e) || std::isinf(a)) return e == a;
  double diff = std::fabs(e - a);
  return diff <= 1e-6 * std::max(std::fabs(e), std::fabs(a)) || diff < 1e-12;
}

std::string RowsToText(const TextRows& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); c++) out += (c ? "\t" : "") + row[c];
    out += '\n';
  }
  return out;
}

std::string CheckRows(const TestRecord& record, TextRows actual, size_t num_columns) {
  if (!record.column_types.empty() && record.column_types.size() != num_columns) {
    return "query declares " + std::to_string(record.column_types.size()) + " column(s) (" + record.column_types +
           ") but returned " + std::to_string(num_columns);
  }
  TextRows expected = ExpectedRows(record, num_columns);
  SortRows(record.sort, &expected, num_columns);
  SortRows(record.sort, &actual, num_columns);
  if (expected.size() != actual.size()) {
    return "expected " + std::to_string(expected.size()) + " row(s), got " + std::to_string(actual.size());
  }
  for (size_t r = 0; r < expected.size(); r++) {
    if (expected[r].size() != actual[r].size()) {
      return "row " + std::to_string(r + 1) + ": expected " + std::to_string(expected[r].size()) +
             " value(s), got " + std::to_string(actual[r].size()) + " (values are separated by tabs)";
    }
    for (size_t c = 0; c < expected[r].size(); c++) {
      // valuesort mixes columns: values compare as reals only when every column is R.
      char type = c < record.column_types.size() ? record.column_types[c] : 'T';
      if (record.sort == SortMode::kValueSort)
        type = record.column_types.find_first_not_of('R') == std::string::npos ? 'R' : 'T';
      if (!ValuesMatch(expected[r][c], actual[r][c], type)) {
        return "row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + ": expected \"" +
               expected[r][c] + "\", got \"" + actual[r][c] + "\"";
      }
    }
  }
  return "";
}

}  // namespace alopex::slt
