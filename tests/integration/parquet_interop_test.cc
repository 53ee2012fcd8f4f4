// Parquet files cross between Alopex and DuckDB (npm) with every type, codec
// and DuckDB writer option, and read back equal. See typed_columns.h for how
// values are compared.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "alopex/database.h"
#include "duckdb_peer.h"
#include "typed_columns.h"

namespace alopex::interop {
namespace {

#define SKIP_WITHOUT_DUCKDB()                                                                                         \
  do {                                                                                                                \
    if (!DuckdbPeer::Unavailable().empty()) GTEST_SKIP() << "DuckDB peer unavailable: " << DuckdbPeer::Unavailable(); \
  } while (0)

std::string ReadParquet(const std::string& path) { return "read_parquet(" + SqlString(path) + ")"; }
std::string Parenthesized(const std::string& query) { return "(" + query + ")"; }

class ParquetInteropTest : public testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }

  Rows AlopexOrFail(const std::string& sql) {
    auto rows = AlopexRows(*con_, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\nSQL: " << sql;
    return rows.ok() ? *rows : Rows{};
  }

  PeerResult Duckdb(const std::string& sql) {
    auto r = DuckdbPeer::Query(sql, dir_.path());
    EXPECT_TRUE(r.ok) << "DuckDB failed: " << r.error << "\nSQL: " << sql;
    return r;
  }

  std::vector<std::string> AlopexTypes(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\nSQL: " << sql;
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& t : r->types()) out.push_back(t.ToString());
    return out;
  }

  // Alopex reads `path` (written by DuckDB from the same generator) and must
  // see what its own generator yields, with the same column types.
  void ExpectAlopexReadsGenerated(const std::string& path, const std::vector<TypedColumn>& columns, int rows) {
    std::string source = Parenthesized(GeneratorSql(Engine::kAlopex, columns, rows));
    auto names = ColumnNames(columns);
    auto expected_types = AlopexTypes(AlopexTypesSql(source, columns, true));
    auto actual_types = AlopexTypes(AlopexTypesSql(ReadParquet(path), columns, false));
    for (size_t i = 0; i < std::min(expected_types.size(), actual_types.size()); i++)
      EXPECT_EQ(expected_types[i], actual_types[i]) << "type of column " << names[i] << " read from " << path;
    EXPECT_EQ(expected_types.size(), actual_types.size());

    Rows expected = AlopexOrFail(CanonicalSql(source, columns, true));
    Rows actual = AlopexOrFail(CanonicalSql(ReadParquet(path), columns, false));
    ASSERT_EQ(expected.size(), size_t(rows));
    std::string diff = DiffRows(expected, actual, names);
    EXPECT_TRUE(diff.empty()) << "Alopex reading " << path << " differs from the generated rows:\n" << diff;
  }

  ScratchDir dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

// ------------------------------------------------------- Alopex writes, DuckDB
// reads

struct AlopexCodec {
  std::string option;         // compression = '...'
  std::string metadata_name;  // the codec DuckDB's parquet_metadata reports
};

void PrintTo(const AlopexCodec& codec, std::ostream* os) { *os << codec.option; }

class AlopexWritesParquetTest : public ParquetInteropTest, public testing::WithParamInterface<AlopexCodec> {};

// DuckDB's rendering of its own generator, computed once: every codec's file
// must read back as exactly this.
const PeerResult& DuckdbGenerated(const std::vector<TypedColumn>& columns, int rows,
                                  const std::filesystem::path& scratch) {
  static std::map<int, PeerResult> cache;
  auto it = cache.find(rows);
  if (it == cache.end())
    it = cache
             .emplace(rows, DuckdbPeer::Query(CanonicalSql(Parenthesized(GeneratorSql(Engine::kDuckdb, columns, rows)),
                                                           columns, true),
                                              scratch))
             .first;
  return it->second;
}

TEST_P(AlopexWritesParquetTest, DuckdbReadsEveryTypeBackEqual) {
  SKIP_WITHOUT_DUCKDB();
  const auto& columns = ParquetColumns();
  const int kRows = 3000;
  std::string path = dir_.File("alopex_" + GetParam().option + ".parquet");
  auto w = con_->Query("COPY (" + GeneratorSql(Engine::kAlopex, columns, kRows) + ") TO " + SqlString(path) +
                       " WITH (format = 'parquet', compression = " + SqlString(GetParam().option) +
                       ", row_group_size = 1000)");
  ASSERT_TRUE(w.ok()) << w.status().ToString();

  // The file really uses the codec and the row groups asked for.
  auto meta = Duckdb(
      "SELECT string_agg(DISTINCT compression, ','), "
      "count(DISTINCT row_group_id)::VARCHAR FROM "
      "parquet_metadata(" +
      SqlString(path) + ")");
  ASSERT_TRUE(meta.ok);
  ASSERT_EQ(meta.rows.size(), 1u);
  EXPECT_EQ(meta.rows[0][0], Cell(GetParam().metadata_name));
  EXPECT_EQ(meta.rows[0][1], Cell("3"));

  auto names = ColumnNames(columns);
  std::string source = Parenthesized(GeneratorSql(Engine::kDuckdb, columns, kRows));
  auto source_types = Duckdb(DuckdbTypesSql(source, columns, true));
  auto file_types = Duckdb(DuckdbTypesSql(ReadParquet(path), columns, false));
  ASSERT_TRUE(source_types.ok && file_types.ok);
  ASSERT_EQ(source_types.rows.size(), 1u);
  ASSERT_EQ(file_types.rows.size(), 1u);
  for (size_t i = 0; i < names.size(); i++)
    EXPECT_EQ(source_types.rows[0][i], file_types.rows[0][i]) << "DuckDB's type for column " << names[i];

  const PeerResult& expected = DuckdbGenerated(columns, kRows, dir_.path());
  ASSERT_TRUE(expected.ok) << expected.error;
  auto actual = Duckdb(CanonicalSql(ReadParquet(path), columns, false));
  ASSERT_TRUE(actual.ok);
  std::string diff = DiffRows(expected.rows, actual.rows, names);
  EXPECT_TRUE(diff.empty()) << "DuckDB reading Alopex's " << GetParam().option << " file differs:\n" << diff;
}

INSTANTIATE_TEST_SUITE_P(Codecs, AlopexWritesParquetTest,
                         testing::Values(AlopexCodec{"uncompressed", "UNCOMPRESSED"}, AlopexCodec{"snappy", "SNAPPY"},
                                         AlopexCodec{"gzip", "GZIP"}, AlopexCodec{"zstd", "ZSTD"},
                                         AlopexCodec{"lz4_raw", "LZ4_RAW"}, AlopexCodec{"brotli", "BROTLI"}),
                         [](const auto& info) { return info.param.option; });

// ------------------------------------------------------- DuckDB writes, Alopex
// reads

// (codec, dictionary on, parquet format version)
using DuckdbWriterOptions = std::tuple<std::string, bool, std::string>;

class DuckdbWritesParquetTest : public ParquetInteropTest, public testing::WithParamInterface<DuckdbWriterOptions> {};

TEST_P(DuckdbWritesParquetTest, AlopexReadsEveryTypeBackEqual) {
  SKIP_WITHOUT_DUCKDB();
  const auto& [codec, dictionary, version] = GetParam();
  std::vector<TypedColumn> columns = ParquetColumns();
  const int kRows = 3000;
  std::string path = dir_.File("duckdb.parquet");
  // DICTIONARY_SIZE_LIMIT 0 makes DuckDB write every column without a
  // dictionary; V2 adds data page v2 and the DELTA_* / BYTE_STREAM_SPLIT
  // encodings.
  std::string options = "FORMAT parquet, COMPRESSION " + codec + ", ROW_GROUP_SIZE 1000, PARQUET_VERSION " + version +
                        (dictionary ? "" : ", DICTIONARY_SIZE_LIMIT 0");
  auto meta = Duckdb("COPY (" + GeneratorSql(Engine::kDuckdb, columns, kRows) + ") TO " + SqlString(path) + " (" +
                     options + ");\n" +
                     "SELECT string_agg(DISTINCT compression, ','), "
                     "count(DISTINCT row_group_id)::VARCHAR, "
                     "(count(dictionary_page_offset) > 0)::VARCHAR, "
                     "string_agg(DISTINCT encodings, ',') FROM "
                     "parquet_metadata(" +
                     SqlString(path) + ")");
  ASSERT_TRUE(meta.ok);
  ASSERT_EQ(meta.rows.size(), 1u);
  // The options took effect: several row groups, dictionary pages only when on.
  EXPECT_GE(std::stoi(meta.rows[0][1].value_or("0")), 2) << "row groups";
  EXPECT_EQ(meta.rows[0][2], Cell(dictionary ? "true" : "false")) << "encodings " << Show(meta.rows[0][3]);

  ExpectAlopexReadsGenerated(path, columns, kRows);
}

INSTANTIATE_TEST_SUITE_P(WriterOptions, DuckdbWritesParquetTest,
                         testing::Combine(testing::Values("uncompressed", "snappy", "gzip", "zstd", "lz4_raw",
                                                          "brotli"),
                                          testing::Bool(), testing::Values("V1", "V2")),
                         [](const auto& info) {
                           return std::get<0>(info.param) + (std::get<1>(info.param) ? "_dictionary" : "_plain") + "_" +
                                  std::get<2>(info.param);
                         });

// DuckDB encodes UINTEGER in V2 files with DELTA_BINARY_PACKED miniblocks of
// bit width 33 (it takes the deltas in 64 bits); DuckDB reads them back, and a
// reader that wraps the deltas to 32 bits gets the right values. Disabled:
// Alopex rejects the file with "DELTA_BINARY_PACKED bit width 33 too large"
// (tests/ENGINE_BUGS.md).
TEST_F(ParquetInteropTest, AlopexReadsDuckdbV2UintegerColumn) {
  SKIP_WITHOUT_DUCKDB();
  std::vector<TypedColumn> columns;
  for (const auto& c : ParquetColumns())
    if (c.name == "c_uinteger") columns.push_back(c);
  ASSERT_EQ(columns.size(), 1u);
  const int kRows = 3000;
  std::string path = dir_.File("uinteger_v2.parquet");
  auto w = Duckdb("COPY (" + GeneratorSql(Engine::kDuckdb, columns, kRows) + ") TO " + SqlString(path) +
                  " (FORMAT parquet, PARQUET_VERSION V2, DICTIONARY_SIZE_LIMIT "
                  "0); SELECT 1");
  ASSERT_TRUE(w.ok);
  ExpectAlopexReadsGenerated(path, columns, kRows);
}

// Ten thousand rows in row groups of a thousand: pages and row groups end at
// many different places in the nested columns.
TEST_F(ParquetInteropTest, AlopexReadsDuckdbFileWithManyRowGroups) {
  SKIP_WITHOUT_DUCKDB();
  const auto& columns = ParquetColumns();
  const int kRows = 10000;
  std::string path = dir_.File("many_row_groups.parquet");
  auto meta = Duckdb("COPY (" + GeneratorSql(Engine::kDuckdb, columns, kRows) + ") TO " + SqlString(path) +
                     " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000);\n" +
                     "SELECT count(DISTINCT row_group_id)::VARCHAR FROM parquet_metadata(" + SqlString(path) + ")");
  ASSERT_TRUE(meta.ok);
  EXPECT_GE(std::stoi(meta.rows.at(0).at(0).value_or("0")), 4) << "row groups";
  ExpectAlopexReadsGenerated(path, columns, kRows);
}

TEST_F(ParquetInteropTest, DuckdbReadsAlopexFileWithManyRowGroups) {
  SKIP_WITHOUT_DUCKDB();
  const auto& columns = ParquetColumns();
  const int kRows = 10000;
  std::string path = dir_.File("alopex_many.parquet");
  auto w = con_->Query("COPY (" + GeneratorSql(Engine::kAlopex, columns, kRows) + ") TO " + SqlString(path) +
                       " WITH (format = 'parquet', compression = 'zstd', "
                       "row_group_size = 1000)");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto groups = Duckdb("SELECT count(DISTINCT row_group_id)::VARCHAR FROM parquet_metadata(" + SqlString(path) + ")");
  ASSERT_TRUE(groups.ok);
  EXPECT_EQ(groups.rows.at(0).at(0), Cell("10"));
  auto expected = Duckdb(CanonicalSql(Parenthesized(GeneratorSql(Engine::kDuckdb, columns, kRows)), columns, true));
  auto actual = Duckdb(CanonicalSql(ReadParquet(path), columns, false));
  ASSERT_TRUE(expected.ok && actual.ok);
  std::string diff = DiffRows(expected.rows, actual.rows, ColumnNames(columns));
  EXPECT_TRUE(diff.empty()) << diff;
}

// A VECTOR(768) column, the shape of a real embedding, reads in DuckDB as a
// 768-element float list holding the same floats.
TEST_F(ParquetInteropTest, DuckdbReadsAlopexVector768AsFloatList) {
  SKIP_WITHOUT_DUCKDB();
  std::string path = dir_.File("embeddings.parquet");
  // Element k of row i is i + k/1024: exact in FLOAT, so the sum is exact too.
  auto w = con_->Query(
      "COPY (SELECT i AS id, list(i + k::DOUBLE / 1024 ORDER "
      "BY k)::FLOAT[]::VECTOR(768) AS embedding "
      "FROM range(50) t(i), range(768) r(k) GROUP BY i) TO " +
      SqlString(path) + " WITH (format = 'parquet')");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto r = Duckdb(
      "SELECT any_value(typeof(embedding)), "
      "min(len(embedding))::VARCHAR, max(len(embedding))::VARCHAR, "
      "sum(list_sum(embedding))::VARCHAR, "
      "max(embedding[768])::VARCHAR FROM read_parquet(" +
      SqlString(path) + ")");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], Cell("FLOAT[]"));
  EXPECT_EQ(r.rows[0][1], Cell("768"));
  EXPECT_EQ(r.rows[0][2], Cell("768"));
  // The sum over i < 50, k < 768 of (i + k/1024) is 768 * 1225 + 50 * (767 *
  // 768 / 2) / 1024.
  EXPECT_EQ(r.rows[0][3], Cell("955181.25"));
  EXPECT_EQ(r.rows[0][4],
            Cell("49.749023"));  // 49 + 767/1024 as DuckDB prints a FLOAT
}

}  // namespace
}  // namespace alopex::interop
