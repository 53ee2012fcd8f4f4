// CSV and JSON files cross between Alopex and DuckDB (npm) and read back equal.
// Both readers get the column types explicitly (columns = {...}), so the test
// checks the values the files carry, not type inference. See typed_columns.h
// for how values are compared.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "alopex/database.h"
#include "duckdb_peer.h"
#include "typed_columns.h"

namespace alopex::interop {
namespace {

struct TextColumn {
  TypedColumn column;
  std::string type;  // the declared type both readers are given
};

// Text that needs quoting or escaping in CSV and JSON: separators, quotes,
// backslashes, a line break, non-ASCII, and the empty string (distinct from
// NULL).
const char* const kAwkwardVarchar =
    "CASE WHEN i % 13 = 1 THEN NULL WHEN i % 6 = 0 THEN '' WHEN i % 6 = 1 THEN "
    "'plain ' || i::VARCHAR "
    "WHEN i % 6 = 2 THEN 'comma, \"quote\" and back\\slash ' || i::VARCHAR "
    "WHEN i % 6 = 3 THEN 'line\nbreak ' || i::VARCHAR WHEN i % 6 = 4 THEN "
    "'ünïcödé 日本語 🦊' "
    "ELSE ' padded ' END";

std::vector<TextColumn> ScalarTextColumns() {
  return {
      {{"c_bool", Nullable("i % 11 = 1", "i % 3 = 0"), "", ""}, "BOOLEAN"},
      {{"c_integer", Nullable("i % 11 = 2", "(i * 7919 - 1000000)::INTEGER"), "", ""}, "INTEGER"},
      {{"c_bigint", Nullable("i % 11 = 3", "(i * 1000000007 - 5000000000000)::BIGINT"), "", ""}, "BIGINT"},
      {{"c_double", Nullable("i % 11 = 4", "i::DOUBLE / 7 - 300"), "", ""}, "DOUBLE"},
      // At most 15 significant digits: DuckDB's JSON reader goes through
      // DOUBLE. Wider decimals: DISABLED_AlopexReadsJsonDecimalsExactly.
      {{"c_decimal",
        Nullable("i % 11 = 5",
                 "((i * 7919 % 19999999 - 9999999)::VARCHAR || "
                 "'.' || (i % 10000)::VARCHAR)::DECIMAL(18,4)"),
        "", ""},
       "DECIMAL(18,4)"},
      {{"c_varchar", kAwkwardVarchar, "", ""}, "VARCHAR"},
      {{"c_date", Nullable("i % 11 = 6", "DATE '1970-01-01' + (i * 37 % 40000 - 20000)::INTEGER"), "", ""}, "DATE"},
      {{"c_timestamp",
        Nullable("i % 11 = 7",
                 "TIMESTAMP '1960-01-01 00:00:00' + INTERVAL 1 DAY * (i * 37 % "
                 "40000) + "
                 "INTERVAL 1 SECOND * (i * 7919 % 86400) + INTERVAL 1 "
                 "MICROSECOND * (i * 123457 % 1000000)"),
        "", ""},
       "TIMESTAMP"},
  };
}

// JSON also carries nested values.
std::vector<TextColumn> JsonColumns() {
  auto columns = ScalarTextColumns();
  columns.push_back({{"c_int_list",
                      "CASE WHEN i % 11 = 8 THEN NULL WHEN i % 4 = 0 THEN []::INTEGER[] "
                      "WHEN i % 4 = 1 THEN [i::INTEGER, NULL] ELSE [i::INTEGER, i::INTEGER + "
                      "1] END",
                      "", ""},
                     "INTEGER[]"});
  columns.push_back({{"c_struct",
                      Nullable("i % 11 = 9",
                               "{'a': i::INTEGER, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || "
                               "i::VARCHAR END}"),
                      Nullable("i % 11 = 9",
                               "struct_pack('a', i::INTEGER, 'b', CASE WHEN i % 2 = 0 THEN NULL "
                               "ELSE 'x' || i::VARCHAR END)"),
                      ""},
                     "STRUCT(a INTEGER, b VARCHAR)"});
  return columns;
}

std::vector<TypedColumn> Typed(const std::vector<TextColumn>& columns) {
  std::vector<TypedColumn> out;
  for (const auto& c : columns) out.push_back(c.column);
  return out;
}

// columns = {'id': 'BIGINT', ...}, the same syntax in both engines.
std::string ColumnsOption(const std::vector<TextColumn>& columns) {
  std::string s = "columns = {'id': 'BIGINT'";
  for (const auto& c : columns) s += ", " + SqlString(c.column.name) + ": " + SqlString(c.type);
  return s + "}";
}

enum class TextFormat { kCsv, kJson };

// `extra` is appended to the options (engine-specific ones).
std::string ReaderCall(TextFormat format, const std::string& path, const std::vector<TextColumn>& columns,
                       const std::string& extra = "") {
  if (format == TextFormat::kCsv)
    return "read_csv(" + SqlString(path) + ", header = true, " + ColumnsOption(columns) + extra + ")";
  return "read_json(" + SqlString(path) + ", format = 'newline_delimited', " + ColumnsOption(columns) + ")";
}

class TextFormatTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!DuckdbPeer::Unavailable().empty()) GTEST_SKIP() << "DuckDB peer unavailable: " << DuckdbPeer::Unavailable();
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }

  ScratchDir dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

class TextFormatInteropTest : public TextFormatTest, public testing::WithParamInterface<TextFormat> {
 protected:
  std::vector<TextColumn> Columns() const {
    return GetParam() == TextFormat::kCsv ? ScalarTextColumns() : JsonColumns();
  }
  std::string Extension() const { return GetParam() == TextFormat::kCsv ? ".csv" : ".json"; }
};

constexpr int kTextRows = 600;

TEST_P(TextFormatInteropTest, DuckdbReadsWhatAlopexWrites) {
  auto columns = Columns();
  auto typed = Typed(columns);
  std::string path = dir_.File("alopex" + Extension());
  std::string format = GetParam() == TextFormat::kCsv ? "format = 'csv', header = true" : "format = 'json'";
  auto w = con_->Query("COPY (" + GeneratorSql(Engine::kAlopex, typed, kTextRows) + ") TO " + SqlString(path) +
                       " WITH (" + format + ")");
  ASSERT_TRUE(w.ok()) << w.status().ToString();

  auto expected = DuckdbPeer::Query(
      CanonicalSql("(" + GeneratorSql(Engine::kDuckdb, typed, kTextRows) + ")", typed, true), dir_.path());
  ASSERT_TRUE(expected.ok) << expected.error;
  // DuckDB reads a quoted empty CSV field ("") as NULL unless told otherwise;
  // told, it shows whether the writer kept '' and NULL apart.
  std::string extra = GetParam() == TextFormat::kCsv ? ", allow_quoted_nulls = false" : "";
  auto actual =
      DuckdbPeer::Query(CanonicalSql(ReaderCall(GetParam(), path, columns, extra), typed, false), dir_.path());
  ASSERT_TRUE(actual.ok) << actual.error;
  std::string diff = DiffRows(expected.rows, actual.rows, ColumnNames(typed));
  EXPECT_TRUE(diff.empty()) << "DuckDB reading " << path << ":\n" << diff;
}

TEST_P(TextFormatInteropTest, AlopexReadsWhatDuckdbWrites) {
  auto columns = Columns();
  auto typed = Typed(columns);
  std::string path = dir_.File("duckdb" + Extension());
  std::string format = GetParam() == TextFormat::kCsv ? "FORMAT csv, HEADER true" : "FORMAT json";
  auto w = DuckdbPeer::Query("COPY (" + GeneratorSql(Engine::kDuckdb, typed, kTextRows) + ") TO " + SqlString(path) +
                                 " (" + format + "); SELECT 1",
                             dir_.path());
  ASSERT_TRUE(w.ok) << w.error;

  // Alopex, like DuckDB by default, reads a quoted empty CSV field as NULL and
  // has no allow_quoted_nulls option (DISABLED_AlopexReadsQuotedEmptyCsvField).
  auto source_columns = typed;
  if (GetParam() == TextFormat::kCsv)
    for (auto& c : source_columns)
      if (c.name == "c_varchar") c.duckdb = "NULLIF(" + c.duckdb + ", '')";
  auto expected = AlopexRows(
      *con_, CanonicalSql("(" + GeneratorSql(Engine::kAlopex, source_columns, kTextRows) + ")", typed, true));
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  auto actual = AlopexRows(*con_, CanonicalSql(ReaderCall(GetParam(), path, columns), typed, false));
  ASSERT_TRUE(actual.ok()) << actual.status().ToString();
  std::string diff = DiffRows(*expected, *actual, ColumnNames(typed));
  EXPECT_TRUE(diff.empty()) << "Alopex reading " << path << ":\n" << diff;
}

// DuckDB writes '' as "" and NULL as nothing; with allow_quoted_nulls = false
// DuckDB reads them back apart. Disabled: Alopex's read_csv rejects the option
// ("unknown option") and reads "" as NULL (tests/ENGINE_BUGS.md).
TEST_F(TextFormatTest, DISABLED_AlopexReadsQuotedEmptyCsvField) {
  std::string path = dir_.File("empty.csv");
  auto w = DuckdbPeer::Query("COPY (SELECT * FROM (VALUES (1, ''), (2, NULL)) t(id, s)) TO " + SqlString(path) +
                                 " (FORMAT csv, HEADER true); SELECT 1",
                             dir_.path());
  ASSERT_TRUE(w.ok) << w.error;
  auto rows = AlopexRows(*con_, "SELECT id::VARCHAR, s FROM read_csv(" + SqlString(path) +
                                    ", header = true, allow_quoted_nulls = false) ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{Cell("1"), Cell("")}, {Cell("2"), std::nullopt}}));
}

// A JSON number read into a DECIMAL column keeps every digit it has. Disabled:
// Alopex parses the number as a DOUBLE first, so -49898999999292.1010 reads as
// -49898999999292.1000 (tests/ENGINE_BUGS.md).
TEST_F(TextFormatTest, DISABLED_AlopexReadsJsonDecimalsExactly) {
  std::string path = dir_.File("decimals.json");
  auto w = DuckdbPeer::Query(
      "COPY (SELECT * FROM (VALUES (1, -49898999999292.1010::DECIMAL(18,4)), "
      "(2, 12345678901234567890.0123456789::DECIMAL(38,10))) t(id, d)) TO " +
          SqlString(path) + " (FORMAT json); SELECT 1",
      dir_.path());
  ASSERT_TRUE(w.ok) << w.error;
  auto rows = AlopexRows(*con_, "SELECT id::VARCHAR, d::VARCHAR FROM read_json(" + SqlString(path) +
                                    ", columns = {'id': 'INTEGER', 'd': 'DECIMAL(38,10)'}) ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{Cell("1"), Cell("-49898999999292.1010000000")},
                         {Cell("2"), Cell("12345678901234567890.0123456789")}}));
}

INSTANTIATE_TEST_SUITE_P(Formats, TextFormatInteropTest, testing::Values(TextFormat::kCsv, TextFormat::kJson),
                         [](const auto& info) { return info.param == TextFormat::kCsv ? "Csv" : "Json"; });

}  // namespace
}  // namespace alopex::interop
