#include "cli/output_format.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/json_value.h"
#include "cli/text_width.h"
#include "common/json_text.h"

namespace alopex::cli {
namespace {

// A result held as plain rows; the text of each value is given, as the engine
// would print it.
struct Cell {
  Value value;
  std::string text;
};

class RowsView final : public ResultView {
 public:
  RowsView(std::vector<std::string> names, std::vector<LogicalType> types, std::vector<std::vector<Cell>> rows)
      : names_(std::move(names)), types_(std::move(types)), rows_(std::move(rows)) {}
  size_t num_rows() const override { return rows_.size(); }
  size_t num_columns() const override { return names_.size(); }
  const std::string& name(size_t col) const override { return names_[col]; }
  const LogicalType& type(size_t col) const override { return types_[col]; }
  bool IsNull(size_t row, size_t col) const override { return rows_[row][col].value.is_null(); }
  std::string GetString(size_t row, size_t col) const override { return rows_[row][col].text; }
  Value GetValue(size_t row, size_t col) const override { return rows_[row][col].value; }

 private:
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<std::vector<Cell>> rows_;
};

Cell Int(int32_t x) { return {Value::Integer(x), std::to_string(x)}; }
Cell Text(std::string s) { return {Value::Varchar(s), s}; }
Cell Null(LogicalType t) { return {Value::Null(t), ""}; }

std::string Format(const ResultView& view, OutputFormat format, FormatOptions options = {}) {
  std::ostringstream out;
  WriteResult(view, format, options, out);
  return out.str();
}

TEST(OutputFormatTest, ParsesNamesAndAliases) {
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("CSV"), OutputFormat::kCsv);
  EXPECT_EQ(*ParseOutputFormat("tabs"), OutputFormat::kTsv);
  EXPECT_EQ(*ParseOutputFormat("jsonl"), OutputFormat::kJsonLines);
  EXPECT_EQ(*ParseOutputFormat("md"), OutputFormat::kMarkdown);
  auto bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("xml"), std::string::npos);
}

TEST(OutputFormatTest, JsonLinesIsCompact) {
  RowsView view({"answer"}, {TypeId::kInteger}, {{Int(42)}});
  EXPECT_EQ(Format(view, OutputFormat::kJsonLines), "{\"answer\":42}\n");
}

TEST(OutputFormatTest, JsonLinesTypes) {
  RowsView view({"i", "s", "n", "b", "d", "dec", "j", "dt"},
                {TypeId::kBigInt, TypeId::kVarchar, TypeId::kInteger, TypeId::kBoolean, TypeId::kDouble,
                 LogicalType::Decimal(10, 2), TypeId::kJson, TypeId::kDate},
                {{{Value::BigInt(-7), "-7"},
                  Text("say \"hi\"\n\\"),
                  Null(TypeId::kInteger),
                  {Value::Boolean(true), "true"},
                  {Value::Double(2.5), "2.5"},
                  {Value::Decimal(-105, 10, 2), "-1.05"},
                  {Value::Json("{\"k\": [1, 2]}"), "{\"k\": [1, 2]}"},
                  {Value::Date(19753), "2024-01-31"}}});
  EXPECT_EQ(Format(view, OutputFormat::kJsonLines),
            "{\"i\":-7,\"s\":\"say \\\"hi\\\"\\n\\\\\",\"n\":null,\"b\":true,\"d\":2.5,\"dec\":-1.05,"
            "\"j\":{\"k\": [1, 2]},\"dt\":\"2024-01-31\"}\n");
}

TEST(OutputFormatTest, JsonNestedValues) {
  LogicalType list = LogicalType::List(TypeId::kInteger);
  LogicalType strct = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  Value l = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Null(TypeId::kInteger), Value::Integer(3)});
  Value s = Value::Nested(strct, {Value::Integer(1), Value::Varchar("x")});
  Value v = Value::Vector({0.5f, -1.0f});
  RowsView view({"l", "s", "v"}, {list, strct, LogicalType::Vector(2)},
                {{{l, "[1, NULL, 3]"}, {s, "{'a': 1, 'b': x}"}, {v, "[0.5, -1.0]"}}});
  EXPECT_EQ(Format(view, OutputFormat::kJsonLines), "{\"l\":[1,null,3],\"s\":{\"a\":1,\"b\":\"x\"},\"v\":[0.5,-1]}\n");
}

TEST(OutputFormatTest, JsonEscapesControlCharacters) {
  std::string out;
  alopex::AppendJsonString(&out, std::string("a\x01") + "\t");
  EXPECT_EQ(out, "\"a\\u0001\\t\"");
}

TEST(OutputFormatTest, JsonNonFiniteFloatsAreStrings) {
  std::string out;
  AppendJsonValue(Value::Double(1.0 / 0.0), &out);
  EXPECT_EQ(out, "\"Infinity\"");
}

TEST(OutputFormatTest, JsonArray) {
  RowsView view({"a"}, {TypeId::kInteger}, {{Int(1)}, {Int(2)}});
  EXPECT_EQ(Format(view, OutputFormat::kJson), "[\n{\"a\":1},\n{\"a\":2}\n]\n");
  RowsView empty({"a"}, {TypeId::kInteger}, {});
  EXPECT_EQ(Format(empty, OutputFormat::kJson), "[]\n");
}

TEST(OutputFormatTest, CsvQuotesPerRfc4180) {
  RowsView view({"a", "b,c"}, {TypeId::kInteger, TypeId::kVarchar},
                {{Int(1), Text("plain")}, {Null(TypeId::kInteger), Text("has \"quote\", comma")},
                 {Int(3), Text("line\nbreak")}});
  EXPECT_EQ(Format(view, OutputFormat::kCsv),
            "a,\"b,c\"\n1,plain\n,\"has \"\"quote\"\", comma\"\n3,\"line\nbreak\"\n");
}

TEST(OutputFormatTest, Tsv) {
  RowsView view({"a", "b"}, {TypeId::kInteger, TypeId::kVarchar}, {{Int(1), Text("x,y")}, {Int(2), Text("t\tab")}});
  EXPECT_EQ(Format(view, OutputFormat::kTsv), "a\tb\n1\tx,y\n2\t\"t\tab\"\n");
}

TEST(OutputFormatTest, Markdown) {
  RowsView view({"n", "name"}, {TypeId::kInteger, TypeId::kVarchar},
                {{Int(1), Text("a|b")}, {Int(100), Null(TypeId::kVarchar)}});
  EXPECT_EQ(Format(view, OutputFormat::kMarkdown),
            "|   n | name |\n"
            "| --: | ---- |\n"
            "|   1 | a\\|b |\n"
            "| 100 | NULL |\n");
}

TEST(OutputFormatTest, TableBox) {
  RowsView view({"answer", "name"}, {TypeId::kInteger, TypeId::kVarchar},
                {{Int(42), Text("alopex")}, {Int(7), Null(TypeId::kVarchar)}});
  EXPECT_EQ(Format(view, OutputFormat::kTable),
            "┌─────────┬─────────┐\n"
            "│ answer  │  name   │\n"
            "│ integer │ varchar │\n"
            "├─────────┼─────────┤\n"
            "│      42 │ alopex  │\n"
            "│       7 │ NULL    │\n"
            "└─────────┴─────────┘\n");
}

TEST(OutputFormatTest, TableEmptyResultShowsRowCount) {
  RowsView view({"a"}, {TypeId::kInteger}, {});
  EXPECT_EQ(Format(view, OutputFormat::kTable),
            "┌─────────┐\n"
            "│    a    │\n"
            "│ integer │\n"
            "├─────────┤\n"
            "│ 0 rows  │\n"
            "└─────────┘\n");
}

TEST(OutputFormatTest, TableElidesMiddleRows) {
  std::vector<std::vector<Cell>> rows;
  for (int i = 0; i < 10; i++) rows.push_back({Int(i)});
  RowsView view({"i"}, {TypeId::kInteger}, rows);
  FormatOptions options;
  options.max_rows = 4;
  std::string out = Format(view, OutputFormat::kTable, options);
  EXPECT_EQ(out,
            "┌───────────┐\n"
            "│     i     │\n"
            "│  integer  │\n"
            "├───────────┤\n"
            "│         0 │\n"
            "│         1 │\n"
            "│     ·     │\n"
            "│     ·     │\n"
            "│     ·     │\n"
            "│         8 │\n"
            "│         9 │\n"
            "├───────────┤\n"
            "│ 10 rows   │\n"
            "│ (4 shown) │\n"
            "└───────────┘\n");
}

TEST(OutputFormatTest, TableTruncatesWideValuesToWidth) {
  RowsView view({"a", "b"}, {TypeId::kVarchar, TypeId::kVarchar}, {{Text(std::string(100, 'x')), Text("short")}});
  FormatOptions options;
  options.max_width = 40;
  std::string out = Format(view, OutputFormat::kTable, options);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(DisplayWidth(line), 40u) << line;
  EXPECT_NE(out.find("…"), std::string::npos);
  EXPECT_NE(out.find("short"), std::string::npos);
}

TEST(OutputFormatTest, TableHidesMiddleColumnsWhenTooMany) {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<Cell> row;
  for (int i = 0; i < 20; i++) {
    names.push_back("column_" + std::to_string(i));
    types.push_back(TypeId::kInteger);
    row.push_back(Int(i));
  }
  RowsView view(names, types, {row});
  FormatOptions options;
  options.max_width = 60;
  std::string out = Format(view, OutputFormat::kTable, options);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(DisplayWidth(line), 60u) << line;
  EXPECT_NE(out.find("column_0"), std::string::npos) << out;
  EXPECT_NE(out.find("column_19"), std::string::npos) << out;
  EXPECT_NE(out.find("20 columns ("), std::string::npos) << out;
}

TEST(TextWidthTest, CountsWideAndCombiningCharacters) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("日本"), 4u);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("日本語", 4), "日…");
  EXPECT_EQ(TruncateToWidth("abc", 3), "abc");
  EXPECT_EQ(EscapeControlCharacters("a\nb\x01"), "a\\nb\\x01");
}

}  // namespace
}  // namespace alopex::cli
