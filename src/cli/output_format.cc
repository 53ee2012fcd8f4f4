#include "cli/output_format.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "cli/json_value.h"
#include "cli/text_width.h"

namespace alopex::cli {

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (n == "table" || n == "box" || n == "duckbox") return OutputFormat::kTable;
  if (n == "csv") return OutputFormat::kCsv;
  if (n == "tsv" || n == "tabs") return OutputFormat::kTsv;
  if (n == "json") return OutputFormat::kJson;
  if (n == "jsonl" || n == "ndjson" || n == "jsonlines") return OutputFormat::kJsonLines;
  if (n == "markdown" || n == "md") return OutputFormat::kMarkdown;
  return Status::InvalidArgument("unknown output format \"" + std::string(name) +
                                 "\" (expected table, csv, tsv, json, jsonl or markdown)");
}

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kTsv: return "tsv";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kJsonLines: return "jsonl";
    case OutputFormat::kMarkdown: return "markdown";
  }
  return "table";
}

void WriteResult(const ResultView& result, OutputFormat format, const FormatOptions& options, std::ostream& out) {
  if (result.num_columns() == 0) return;
  switch (format) {
    case OutputFormat::kTable: WriteTable(result, options, out); break;
    case OutputFormat::kCsv: WriteDelimited(result, ',', out); break;
    case OutputFormat::kTsv: WriteDelimited(result, '\t', out); break;
    case OutputFormat::kJson: WriteJsonArray(result, out); break;
    case OutputFormat::kJsonLines: WriteJsonLines(result, out); break;
    case OutputFormat::kMarkdown: WriteMarkdown(result, out); break;
  }
  out.flush();
}

namespace {

void AppendDelimitedField(std::string_view field, char delimiter, std::string* line) {
  bool quote = field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos;
  if (!quote) {
    *line += field;
    return;
  }
  *line += '"';
  for (char c : field) {
    if (c == '"') *line += '"';
    *line += c;
  }
  *line += '"';
}

}  // namespace

void WriteDelimited(const ResultView& result, char delimiter, std::ostream& out) {
  std::string line;
  for (size_t col = 0; col < result.num_columns(); col++) {
    if (col) line += delimiter;
    AppendDelimitedField(result.name(col), delimiter, &line);
  }
  line += '\n';
  out << line;
  for (size_t row = 0; row < result.num_rows(); row++) {
    line.clear();
    for (size_t col = 0; col < result.num_columns(); col++) {
      if (col) line += delimiter;
      if (!result.IsNull(row, col)) AppendDelimitedField(result.GetString(row, col), delimiter, &line);
    }
    line += '\n';
    out << line;
  }
}

void WriteJsonArray(const ResultView& result, std::ostream& out) {
  if (result.num_rows() == 0) {
    out << "[]\n";
    return;
  }
  out << "[\n";
  for (size_t row = 0; row < result.num_rows(); row++) {
    out << JsonObjectForRow(result, row) << (row + 1 < result.num_rows() ? ",\n" : "\n");
  }
  out << "]\n";
}

void WriteJsonLines(const ResultView& result, std::ostream& out) {
  for (size_t row = 0; row < result.num_rows(); row++) out << JsonObjectForRow(result, row) << '\n';
}

namespace {

std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

}  // namespace

void WriteMarkdown(const ResultView& result, std::ostream& out) {
  size_t ncols = result.num_columns();
  std::vector<std::vector<std::string>> cells(result.num_rows() + 1, std::vector<std::string>(ncols));
  std::vector<size_t> widths(ncols, 3);
  for (size_t col = 0; col < ncols; col++) cells[0][col] = MarkdownCell(result.name(col));
  for (size_t row = 0; row < result.num_rows(); row++) {
    for (size_t col = 0; col < ncols; col++)
      cells[row + 1][col] = result.IsNull(row, col) ? "NULL" : MarkdownCell(result.GetString(row, col));
  }
  for (const auto& line : cells)
    for (size_t col = 0; col < ncols; col++) widths[col] = std::max(widths[col], DisplayWidth(line[col]));

  auto write_line = [&](const std::vector<std::string>& line) {
    std::string s = "|";
    for (size_t col = 0; col < ncols; col++) {
      size_t pad = widths[col] - DisplayWidth(line[col]);
      bool right = result.type(col).IsNumeric();
      s += ' ';
      if (right) s.append(pad, ' ');
      s += line[col];
      if (!right) s.append(pad, ' ');
      s += " |";
    }
    out << s << '\n';
  };
  write_line(cells[0]);
  std::string rule = "|";
  for (size_t col = 0; col < ncols; col++) {
    bool right = result.type(col).IsNumeric();
    rule += ' ';
    rule += std::string(widths[col] - (right ? 1 : 0), '-');
    if (right) rule += ':';
    rule += " |";
  }
  out << rule << '\n';
  for (size_t row = 1; row < cells.size(); row++) write_line(cells[row]);
}

}  // namespace alopex::cli
