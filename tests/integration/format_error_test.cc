// Damaged input files: a truncated Parquet file, a corrupt page header, a CSV
// with ragged rows and a JSON line that does not parse. Each must fail the
// query (never crash or return partial rows) with an error that names the file
// and the position: the byte offset, or the line.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "alopex/database.h"
#include "duckdb_peer.h"

namespace alopex::interop {
namespace {

// `message` without the file's path, so numbers in the path (the scratch
// folder, a file name) cannot pass for a position.
std::string WithoutPath(std::string message, const std::string& path) {
  for (size_t at; (at = message.find(path)) != std::string::npos;) message.erase(at, path.size());
  return message;
}

// True when `message`, apart from `path`, holds `number` as a whole number.
bool MentionsNumber(const std::string& message, const std::string& path, uint64_t number) {
  std::regex re("(^|[^0-9])" + std::to_string(number) + "([^0-9]|$)");
  return std::regex_search(WithoutPath(message, path), re);
}

class FormatErrorTest : public testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }

  // Runs `sql`, which must fail; returns the error message.
  std::string ErrorOf(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_FALSE(r.ok()) << "expected an error from: " << sql << "\n(got " << (r.ok() ? r->num_rows() : 0) << " rows)";
    return r.ok() ? std::string() : r.status().ToString();
  }

  // A Parquet file of two row groups (id BIGINT, name VARCHAR, x DOUBLE)
  // written by Alopex.
  std::string WriteParquet(const std::string& name) {
    std::string path = dir_.File(name);
    auto w = con_->Query(
        "COPY (SELECT i AS id, 'name ' || i::VARCHAR AS name, "
        "i::DOUBLE / 3 AS x FROM range(2000) t(i)) TO " +
        SqlString(path) + " WITH (format = 'parquet', row_group_size = 1000)");
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return path;
  }

  // The byte offset of the first data page of `column` in `row_group`.
  uint64_t DataPageOffset(const std::string& path, const std::string& column, int row_group) {
    auto r = con_->Query("SELECT data_page_offset FROM parquet_metadata(" + SqlString(path) +
                         ") WHERE path_in_schema = " + SqlString(column) +
                         " AND row_group_id = " + std::to_string(row_group));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || r->num_rows() != 1) return 0;
    return uint64_t(r->GetInt64(0, 0));
  }

  // Reads every value of every column.
  static std::string ScanAll(const std::string& reader) {
    return "SELECT count(*), sum(id), max(name), sum(x) FROM " + reader;
  }

  ScratchDir dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

// ------------------------------------------------------------------ Parquet

// Cut anywhere: inside the magic, inside the data, inside the footer, or just
// before the final magic. The error names the file.
TEST_F(FormatErrorTest, TruncatedParquetNamesTheFile) {
  std::string whole = ReadWholeFile(WriteParquet("whole.parquet"));
  ASSERT_GT(whole.size(), 100u);
  for (size_t length : {size_t(0), size_t(3), size_t(7), size_t(100), whole.size() / 2, whole.size() - 20,
                        whole.size() - 9, whole.size() - 1}) {
    SCOPED_TRACE("truncated to " + std::to_string(length) + " of " + std::to_string(whole.size()) + " bytes");
    std::string path = dir_.File("truncated_" + std::to_string(length) + ".parquet");
    WriteWholeFile(path, whole.substr(0, length));
    std::string message = ErrorOf(ScanAll("read_parquet(" + SqlString(path) + ")"));
    EXPECT_NE(message.find(path), std::string::npos) << message;
  }
}

// Files too short to hold a footer say how long they are.
TEST_F(FormatErrorTest, TinyParquetFileGivesItsLength) {
  std::string whole = ReadWholeFile(WriteParquet("whole.parquet"));
  for (size_t length : {size_t(0), size_t(3), size_t(7)}) {
    std::string path = dir_.File("tiny_" + std::to_string(length) + ".parquet");
    WriteWholeFile(path, whole.substr(0, length));
    std::string message = ErrorOf(ScanAll("read_parquet(" + SqlString(path) + ")"));
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_TRUE(MentionsNumber(message, path, length)) << message;
  }
}

// A file cut after the data but before its end has no footer magic; the error
// should say where the file ends (its length), like the tiny-file error does.
// (The message names the byte offset where the footer magic should be.)
TEST_F(FormatErrorTest, TruncatedParquetGivesTheByteOffset) {
  std::string whole = ReadWholeFile(WriteParquet("whole.parquet"));
  for (size_t length : {size_t(100), whole.size() / 2, whole.size() - 1}) {
    std::string path = dir_.File("cut_" + std::to_string(length) + ".parquet");
    WriteWholeFile(path, whole.substr(0, length));
    std::string message = ErrorOf(ScanAll("read_parquet(" + SqlString(path) + ")"));
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_TRUE(MentionsNumber(message, path, length)) << message;
  }
}

// Data bytes lost but the footer kept: the footer points past the data. The
// error names the file, a column chunk and where the data ends.
TEST_F(FormatErrorTest, ParquetWithMissingDataNamesTheColumnChunk) {
  std::string whole = ReadWholeFile(WriteParquet("whole.parquet"));
  uint32_t footer_length =
      uint32_t(uint8_t(whole[whole.size() - 8])) | uint32_t(uint8_t(whole[whole.size() - 7])) << 8 |
      uint32_t(uint8_t(whole[whole.size() - 6])) << 16 | uint32_t(uint8_t(whole[whole.size() - 5])) << 24;
  ASSERT_LT(footer_length + 8, whole.size());
  uint64_t name_offset = DataPageOffset(dir_.File("whole.parquet"), "name", 0);
  size_t kept = name_offset + 100;  // the id chunk whole, the name chunk cut short
  std::string path = dir_.File("spliced.parquet");
  WriteWholeFile(path, whole.substr(0, kept) + whole.substr(whole.size() - footer_length - 8));
  std::string message = ErrorOf(ScanAll("read_parquet(" + SqlString(path) + ")"));
  EXPECT_NE(message.find(path), std::string::npos) << message;
  // Whichever chunk the reader reaches first (the cut one, or one wholly past
  // the data).
  EXPECT_TRUE(std::regex_search(message, std::regex("column [a-z]+ row group [0-9]"))) << message;
  EXPECT_TRUE(MentionsNumber(message, path, kept)) << "the data's length, " << kept << ": " << message;
}

// Garbage over a data page header, in the first column and in a later row
// group: the error names the file, the column and the byte offset of the
// header.
TEST_F(FormatErrorTest, CorruptPageHeaderNamesFileColumnAndOffset) {
  std::string clean = WriteParquet("clean.parquet");
  std::string whole = ReadWholeFile(clean);
  struct Damage {
    std::string column;
    int row_group;
    char byte;
  };
  for (const Damage& d : {Damage{"id", 0, '\xff'}, Damage{"name", 1, '\xff'}, Damage{"x", 1, '\x00'}}) {
    uint64_t offset = DataPageOffset(clean, d.column, d.row_group);
    ASSERT_GT(offset, 0u);
    SCOPED_TRACE("column " + d.column + " row group " + std::to_string(d.row_group) + " header at byte " +
                 std::to_string(offset));
    std::string bytes = whole;
    for (size_t i = 0; i < 6; i++) bytes[offset + i] = d.byte;
    std::string path = dir_.File("corrupt_" + d.column + ".parquet");
    WriteWholeFile(path, bytes);
    std::string message = ErrorOf(ScanAll("read_parquet(" + SqlString(path) + ")"));
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("column " + d.column), std::string::npos) << message;
    // The header's own offset, or that of the byte within it that failed to
    // parse.
    bool has_offset = false;
    for (uint64_t at = offset; at < offset + 8; at++) has_offset |= MentionsNumber(message, path, at);
    EXPECT_TRUE(has_offset) << message;
  }
}

// ------------------------------------------------------------------ CSV

struct RaggedCsv {
  std::string name;
  std::string content;
  int line;  // the 1-based line of the ragged row in the file
};

std::string ManyGoodRows(int n) {
  std::string s;
  for (int i = 0; i < n; i++) s += std::to_string(i) + ",v" + std::to_string(i) + "," + std::to_string(i * 2) + "\n";
  return s;
}

TEST_F(FormatErrorTest, RaggedCsvNamesFileAndLine) {
  std::vector<RaggedCsv> cases = {
      {"short_row.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n", 4},
      {"long_row.csv", "a,b,c\n1,2,3\n4,5,6,7\n", 3},
      // Past any sniffing sample: found while scanning.
      {"late_short_row.csv", "a,b,c\n" + ManyGoodRows(5000) + "1,2\n" + ManyGoodRows(10), 5002},
      {"no_header.csv", "1,2,3\n4,5\n", 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = dir_.File(c.name);
    WriteWholeFile(path, c.content);
    std::string header = c.name == "no_header.csv" ? "false" : "true";
    std::string message = ErrorOf("SELECT * FROM read_csv(" + SqlString(path) + ", header = " + header + ")");
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_TRUE(
        std::regex_search(WithoutPath(message, path), std::regex("line " + std::to_string(c.line) + "([^0-9]|$)")))
        << message;
  }
}

// Lines are counted in the file as an editor shows them: CRLF ends one line,
// and a quoted field spanning two lines counts both.
TEST_F(FormatErrorTest, RaggedCsvLineCountsQuotedNewlinesAndCrlf) {
  std::vector<RaggedCsv> cases = {
      {"crlf.csv", "a,b,c\r\n1,2,3\r\n4,5\r\n", 3},
      {"quoted_newline.csv", "a,b,c\n1,\"two\nlines\",3\n4,5,6\n7,8\n", 5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = dir_.File(c.name);
    WriteWholeFile(path, c.content);
    std::string message = ErrorOf("SELECT * FROM read_csv(" + SqlString(path) + ", header = true)");
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_TRUE(
        std::regex_search(WithoutPath(message, path), std::regex("line " + std::to_string(c.line) + "([^0-9]|$)")))
        << message;
  }
}

// ------------------------------------------------------------------ JSON

TEST_F(FormatErrorTest, BadJsonLineNamesFileLineAndByteOffset) {
  struct BadJson {
    std::string name;
    std::string content;
    int line;
  };
  std::string good_lines;
  for (int i = 0; i < 3000; i++) good_lines += "{\"a\":" + std::to_string(i) + ",\"b\":\"x\"}\n";
  std::vector<BadJson> cases = {
      {"unterminated.json",
       "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\"y\"}\n{\"a\":3,\"b\":\n{\"a\":"
       "4,\"b\":\"z\"}\n",
       3},
      {"garbage.json", "{\"a\":1,\"b\":\"x\"}\nnot json at all\n", 2},
      {"late.json", good_lines + "{\"a\":3000,\"b\":\"x\"\n" + "{\"a\":3001,\"b\":\"x\"}\n", 3001},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = dir_.File(c.name);
    WriteWholeFile(path, c.content);
    // The byte offset where the bad line starts.
    size_t offset = 0;
    for (int l = 1; l < c.line; l++) offset = c.content.find('\n', offset) + 1;
    for (std::string format : {"newline_delimited", "auto"}) {
      std::string message =
          ErrorOf("SELECT * FROM read_json(" + SqlString(path) + ", format = " + SqlString(format) + ")");
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_TRUE(
          std::regex_search(WithoutPath(message, path), std::regex("line " + std::to_string(c.line) + "([^0-9]|$)")))
          << message;
      bool has_offset = false;
      size_t line_end = c.content.find('\n', offset);
      for (size_t at = offset; at <= line_end; at++) has_offset |= MentionsNumber(message, path, at);
      EXPECT_TRUE(has_offset) << "expected a byte offset within [" << offset << ", " << line_end << "]: " << message;
    }
  }
}

}  // namespace
}  // namespace alopex::interop
