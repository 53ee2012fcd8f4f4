#include "formats/csv/csv_reader.h"

#include <gtest/gtest.h>

#include <charconv>
#include <thread>

#include "common/cast.h"
#include "formats/csv/csv_writer.h"
#include "io/memory_file_system.h"

namespace alopex {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string Put(const std::string& name, const std::string& text) {
  std::string path = "mem://csvtest/" + name;
  auto fs = *FileSystem::ForPath(path);
  EXPECT_TRUE(fs->WriteAtomic(path, text).ok());
  return path;
}

void AppendRows(const Batch& b, Rows* out) {
  for (size_t r = 0; r < b.num_rows; r++) {
    std::vector<std::string> row;
    for (const auto& c : b.columns) {
      if (c.IsNull(r)) {
        row.push_back("NULL");
      } else if (c.type().id() == TypeId::kDouble) {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof(buf), c.data<double>()[r]);
        row.emplace_back(buf, res.ptr);
      } else {
        row.push_back(FormatValue(c, r));
      }
    }
    out->push_back(std::move(row));
  }
}

Rows ReadAll(CsvReader* reader, const std::vector<int>& projection = {}) {
  Rows rows;
  Status st = reader->ReadAll(projection, [&](Batch&& b) {
    EXPECT_LE(b.num_rows, kBatchSize);
    AppendRows(b, &rows);
    return Status::OK();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return rows;
}

std::unique_ptr<CsvReader> Open(const std::string& path, const CsvReadOptions& o = {}) {
  auto r = CsvReader::Open(path, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

std::vector<std::string> TypeNames(const CsvReader& r) {
  std::vector<std::string> out;
  for (const auto& t : r.column_types()) out.push_back(t.ToString());
  return out;
}

Status ReadError(const std::string& path, const CsvReadOptions& o = {}) {
  auto r = CsvReader::Open(path, o);
  if (!r.ok()) return r.status();
  return (*r)->ReadAll({}, [](Batch&&) { return Status::OK(); });
}

using S = std::vector<std::string>;

TEST(CsvReaderTest, SniffsHeaderAndTypes) {
  auto r = Open(Put("basic.csv",
                    "id,name,price,day,flag,ts\n"
                    "1,apple,1.5,2024-01-31,true,2024-01-31 10:00:00\n"
                    "2,pear,2,2024-02-01,false,2024-01-31 11:30:00.5\n"
                    "3,\"fig, dried\",,2024-02-02,true,2024-02-01T00:00:00\n"));
  EXPECT_EQ(r->column_names(), S({"id", "name", "price", "day", "flag", "ts"}));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "VARCHAR", "DOUBLE", "DATE", "BOOLEAN", "TIMESTAMP"}));
  EXPECT_EQ(r->dialect().delimiter, ',');
  EXPECT_TRUE(r->dialect().header);
  Rows rows = ReadAll(r.get());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], S({"1", "apple", "1.5", "2024-01-31", "true", "2024-01-31 10:00:00"}));
  EXPECT_EQ(rows[1], S({"2", "pear", "2", "2024-02-01", "false", "2024-01-31 11:30:00.5"}));
  EXPECT_EQ(rows[2], S({"3", "fig, dried", "NULL", "2024-02-02", "true", "2024-02-01 00:00:00"}));
}

TEST(CsvReaderTest, SniffsDelimiters) {
  for (char d : {';', '|', '\t', ','}) {
    std::string text = std::string("a") + d + "b" + d + "c\n1" + d + "x,y" + d + "3\n4" + d + "z" + d + "6\n";
    if (d == ',') text = "a,b,c\n1,\"x,y\",3\n4,z,6\n";
    auto r = Open(Put(std::string("delim") + std::to_string(int(d)) + ".csv", text));
    EXPECT_EQ(r->dialect().delimiter, d);
    EXPECT_EQ(r->column_names(), S({"a", "b", "c"}));
    Rows rows = ReadAll(r.get());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], S({"1", "x,y", "3"}));
  }
}

TEST(CsvReaderTest, QuotingRules) {
  auto r = Open(Put("quotes.csv",
                    "\xEF\xBB\xBFk,text\r\n"
                    "1,\"say \"\"hi\"\"\"\r\n"
                    "2,\"two\r\nlines\"\r\n"
                    "3,plain \"inner\" quote\r\n"
                    "4,\"\"\r\n"
                    "5,\r\n"));
  EXPECT_EQ(r->column_names(), S({"k", "text"}));
  Rows rows = ReadAll(r.get());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][1], "say \"hi\"");
  EXPECT_EQ(rows[1][1], "two\r\nlines");
  EXPECT_EQ(rows[2][1], "plain \"inner\" quote");
  EXPECT_EQ(rows[3][1], "NULL");  // quoted empty is NULL too, as in DuckDB
  EXPECT_EQ(rows[4][1], "NULL");
}

TEST(CsvReaderTest, SingleQuotesAndBackslashEscape) {
  auto r = Open(Put("single.csv", "a,b\n1,'x, y'\n2,'z'\n"));
  EXPECT_EQ(r->dialect().quote, '\'');
  EXPECT_EQ(ReadAll(r.get())[0][1], "x, y");

  CsvReadOptions o;
  o.escape = '\\';
  auto e = Open(Put("escape.csv", "a,b\n1,\"he said \\\"no\\\"\"\n2,\"c:\\\\dir\"\n"), o);
  Rows rows = ReadAll(e.get());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "he said \"no\"");
  EXPECT_EQ(rows[1][1], "c:\\dir");
}

TEST(CsvReaderTest, NoHeaderWhenFirstRowHasTypes) {
  auto r = Open(Put("noheader.csv", "1,2.5,x\n2,3.5,y\n"));
  EXPECT_FALSE(r->dialect().header);
  EXPECT_EQ(r->column_names(), S({"column0", "column1", "column2"}));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "DOUBLE", "VARCHAR"}));
  EXPECT_EQ(ReadAll(r.get()).size(), 2u);
}

TEST(CsvReaderTest, GeneratedNamesArePadded) {
  std::string line;
  for (int i = 0; i < 11; i++) line += (i ? "," : "") + std::to_string(i);
  auto r = Open(Put("wide.csv", line + "\n" + line + "\n"));
  EXPECT_EQ(r->column_names()[0], "column00");
  EXPECT_EQ(r->column_names()[10], "column10");
}

TEST(CsvReaderTest, WideningAndLeadingZeros) {
  auto r = Open(Put("widen.csv", "a,b,c,d,e\n1,1,2024-01-01,01234,true\n2.5,x,2024-01-02 10:00:00,00042,1\n"));
  EXPECT_EQ(TypeNames(*r), S({"DOUBLE", "VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR"}));
  EXPECT_EQ(ReadAll(r.get())[0][3], "01234");
}

TEST(CsvReaderTest, NullStrings) {
  CsvReadOptions o;
  o.null_strings = {"NA", "null"};
  auto r = Open(Put("nulls.csv", "a,b\n1,NA\nnull,x\n3,\n"), o);
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "VARCHAR"}));
  Rows rows = ReadAll(r.get());
  EXPECT_EQ(rows, Rows({{"1", "NULL"}, {"NULL", "x"}, {"3", ""}}));
}

TEST(CsvReaderTest, AllNullColumnIsVarchar) {
  auto r = Open(Put("allnull.csv", "a,b\n1,\n2,\n"));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "VARCHAR"}));
}

TEST(CsvReaderTest, RaggedRowNamesFileAndLine) {
  std::string text = "a,b,c,d\n";
  for (int i = 2; i <= 6; i++) text += "1,2,3,4\n";
  text += "1,2,3,4,5\n";  // line 7
  Status st = ReadError(Put("ragged.csv", text));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "mem://csvtest/ragged.csv: line 7: expected 4 columns, found 5");

  CsvReadOptions o;
  o.filename = "file.csv";
  Status named = ReadError(Put("ragged2.csv", text), o);
  EXPECT_EQ(named.message(), "file.csv: line 7: expected 4 columns, found 5");
}

TEST(CsvReaderTest, ConversionErrorNamesLineColumnAndValue) {
  std::string text = "id,price\n";
  for (int i = 2; i <= 11; i++) text += std::to_string(i) + "," + std::to_string(i) + ".5\n";
  text += "12,abc\n";
  CsvReadOptions o;
  o.sample_size = 5;
  o.filename = "file.csv";
  Status st = ReadError(Put("conv.csv", text), o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kConversionError);
  EXPECT_EQ(st.message(), "file.csv: line 12, column \"price\": could not convert \"abc\" to DOUBLE");
}

TEST(CsvReaderTest, IgnoreErrorsSkipsAndReportsRows) {
  CsvReadOptions o;
  o.column_types = {TypeId::kBigInt, TypeId::kBigInt};
  o.ignore_errors = true;
  std::vector<uint64_t> rejected_lines;
  o.on_rejected_row = [&](uint64_t line, const Status&) { rejected_lines.push_back(line); };
  auto r = Open(Put("ignore.csv", "a,b\n1,2\nx,3\n4,5,6\n7,8\n"), o);
  Rows rows = ReadAll(r.get());
  EXPECT_EQ(rows, Rows({{"1", "2"}, {"7", "8"}}));
  EXPECT_EQ(rejected_lines, (std::vector<uint64_t>{3, 4}));
}

TEST(CsvReaderTest, InvalidUtf8NamesFileAndLine) {
  Status st = ReadError(Put("utf8.csv", "a,b\n1,ok\n2,bad\xC3\x28text\n"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("utf8.csv: line 3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("UTF-8"), std::string::npos) << st.message();
  // Valid multi-byte text is fine.
  auto r = Open(Put("utf8ok.csv", "a,b\n1,caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n"));
  EXPECT_EQ(ReadAll(r.get())[0][1], "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(CsvReaderTest, MalformedQuotes) {
  // With quote sniffed, the text is well-formed under quote ' (where " is a plain character).
  CsvReadOptions q;
  q.quote = '"';
  Status unterminated = ReadError(Put("unterminated.csv", "a,b\n1,\"open\n2,x\n"), q);

  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.message().find("line 2"), std::string::npos) << unterminated.message();
  EXPECT_NE(unterminated.message().find("unterminated"), std::string::npos);
  CsvReadOptions o;
  o.quote = '"';
  o.delimiter = ',';
  Status bad = ReadError(Put("badquote.csv", "a,b\n1,x\n2,\"ab\"cd\n"), o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("line 3"), std::string::npos) << bad.message();
}

TEST(CsvReaderTest, MissingFileIsNotFound) {
  auto r = CsvReader::Open("mem://csvtest/none.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("none.csv"), std::string::npos);
}

TEST(CsvReaderTest, EmptyAndHeaderOnlyFiles) {
  auto empty = CsvReader::Open(Put("empty.csv", ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty.csv"), std::string::npos);

  CsvReadOptions o;
  o.column_names = {"a", "b"};
  o.column_types = {TypeId::kBigInt, TypeId::kVarchar};
  auto explicit_empty = Open(Put("empty2.csv", ""), o);
  EXPECT_EQ(ReadAll(explicit_empty.get()).size(), 0u);

  auto header_only = Open(Put("headeronly.csv", "x,y\n"));
  EXPECT_EQ(header_only->column_names(), S({"x", "y"}));
  EXPECT_EQ(ReadAll(header_only.get()).size(), 0u);
}

TEST(CsvReaderTest, ExplicitSchemaAndOptions) {
  CsvReadOptions o;
  o.column_names = {"n", "v", "d"};
  o.column_types = {TypeId::kInteger, LogicalType::Decimal(10, 2), TypeId::kDate};
  o.header = false;
  o.dateformat = "%d/%m/%Y";
  auto r = Open(Put("explicit.csv", "1,2.50,31/01/2024\n2,3.25,01/02/2024\n"), o);
  EXPECT_EQ(TypeNames(*r), S({"INTEGER", "DECIMAL(10,2)", "DATE"}));
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1", "2.50", "2024-01-31"}, {"2", "3.25", "2024-02-01"}}));

  CsvReadOptions overflow;
  overflow.column_types = {TypeId::kTinyInt};
  overflow.header = false;
  Status st = ReadError(Put("overflow.csv", "1\n300\n"), overflow);
  EXPECT_NE(st.message().find("could not convert \"300\" to TINYINT"), std::string::npos) << st.message();
}

TEST(CsvReaderTest, SkipRowsAllVarcharOverridesAndProjection) {
  CsvReadOptions o;
  o.skip_rows = 2;
  o.all_varchar = true;
  auto r = Open(Put("skip.csv", "junk line\nmore junk\na,b,c\n1,2,3\n4,5,6\n"), o);
  EXPECT_EQ(r->column_names(), S({"a", "b", "c"}));
  EXPECT_EQ(TypeNames(*r), S({"VARCHAR", "VARCHAR", "VARCHAR"}));
  EXPECT_EQ(ReadAll(r.get(), {2, 0}), Rows({{"3", "1"}, {"6", "4"}}));

  CsvReadOptions t;
  t.column_type_overrides = {{"b", TypeId::kDouble}};
  auto r2 = Open(Put("override.csv", "a,b\n1,2\n"), t);
  EXPECT_EQ(TypeNames(*r2), S({"BIGINT", "DOUBLE"}));
  t.column_type_overrides = {{"zz", TypeId::kDouble}};
  auto bad = CsvReader::Open(Put("override.csv", "a,b\n1,2\n"), t);
  EXPECT_FALSE(bad.ok());
}

TEST(CsvReaderTest, DuplicateAndEmptyHeaderNames) {
  auto r = Open(Put("dups.csv", "a,a,,b\n1,2,3,4\n"));
  EXPECT_EQ(r->column_names(), S({"a", "a_1", "column2", "b"}));
}

// A generated file read in many small splits gives the same rows as one split,
// also when the splits are parsed concurrently.
void CheckSplitsMatchSequential(const std::string& text, const std::string& name) {
  std::string path = Put(name, text);
  CsvReadOptions one;
  one.split_bytes = 1 << 30;
  auto whole = Open(path, one);
  ASSERT_EQ(whole->num_splits(), 1u);
  Rows expected = ReadAll(whole.get());

  CsvReadOptions many;
  many.split_bytes = 4096;
  auto split = Open(path, many);
  EXPECT_GT(split->num_splits(), 10u);
  Rows got = ReadAll(split.get());
  EXPECT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < std::min(got.size(), expected.size()); i++) {
    if (got[i] != expected[i]) {
      ADD_FAILURE() << "row " << i << ": " << ::testing::PrintToString(got[i]) << " vs "
                    << ::testing::PrintToString(expected[i]);
      break;
    }
  }

  std::vector<Rows> parts(split->num_splits());
  std::vector<std::thread> threads;
  std::vector<Status> statuses(4);
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      for (size_t i = size_t(t); i < parts.size(); i += 4) {
        Status st = split->ReadSplit(i, {}, [&](Batch&& b) {
          AppendRows(b, &parts[i]);
          return Status::OK();
        });
        if (!st.ok()) statuses[size_t(t)] = st;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (auto& st : statuses) EXPECT_TRUE(st.ok()) << st.ToString();
  Rows combined;
  for (auto& p : parts) combined.insert(combined.end(), p.begin(), p.end());
  EXPECT_EQ(combined.size(), expected.size());
  for (size_t i = 0; i < std::min(combined.size(), expected.size()); i++) {
    if (combined[i] != expected[i]) {
      ADD_FAILURE() << "parallel row " << i << ": " << ::testing::PrintToString(combined[i]) << " vs "
                    << ::testing::PrintToString(expected[i]);
      break;
    }
  }
}

TEST(CsvReaderTest, ManySplitsMatchSequentialRead) {
  std::string text = "id,name,score,day\n";
  for (int i = 0; i < 20000; i++) {
    text += std::to_string(i) + ",name " + std::to_string(i * 7 % 1000) + (i % 13 == 0 ? ",," : "," + std::to_string(i * 0.25) + ",") +
            "2024-01-" + std::to_string(10 + i % 20) + "\n";
  }
  CheckSplitsMatchSequential(text, "many.csv");
}

TEST(CsvReaderTest, ManySplitsWithQuotedNewlines) {
  std::string text = "id,comment\n";
  for (int i = 0; i < 5000; i++) {
    text += std::to_string(i) + ",";
    if (i % 3 == 0)
      text += "\"line one\n2,looks,like,a row\nend " + std::to_string(i) + "\"\n";
    else
      text += "plain " + std::to_string(i) + "\n";
  }
  CheckSplitsMatchSequential(text, "quoted_nl.csv");
}

TEST(CsvReaderTest, ErrorLineInALaterSplit) {
  std::string text = "a,b\n";
  for (int i = 0; i < 10000; i++) text += std::to_string(i) + ",x\n";
  text += "oops,x\n";  // line 10002
  CsvReadOptions o;
  o.split_bytes = 4096;
  o.column_types = {TypeId::kBigInt, TypeId::kVarchar};
  o.filename = "big.csv";
  auto r = Open(Put("laterr.csv", text), o);
  ASSERT_GT(r->num_splits(), 5u);
  // Read only the last split: the line is still exact.
  Status st = r->ReadSplit(r->num_splits() - 1, {}, [](Batch&&) { return Status::OK(); });
  EXPECT_EQ(st.message(), "big.csv: line 10002, column \"a\": could not convert \"oops\" to BIGINT");
  auto first = r->SplitFirstLine(r->num_splits() - 1);
  ASSERT_TRUE(first.ok());
  EXPECT_GT(*first, 2u);
}

TEST(CsvReaderTest, BatchesCarryTheirLines) {
  std::string text = "a\n";
  for (int i = 0; i < 5000; i++) text += std::to_string(i) + "\n";
  auto r = Open(Put("lines.csv", text));
  std::vector<uint64_t> lines;
  ASSERT_TRUE(r->ReadSplitAnnotated(0, {}, [&](Batch&&, const CsvBatchInfo& info) {
                 lines.push_back(info.line_in_split);
                 return Status::OK();
               }).ok());
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 1 + kBatchSize, 1 + 2 * kBatchSize}));
  EXPECT_EQ(*r->SplitFirstLine(0), 2u);
}

TEST(CsvReaderTest, GzipFilesAreDecompressed) {
  CsvWriteOptions wo;
  wo.compression = CsvWriteOptions::Compression::kGzip;
  Batch b({TypeId::kBigInt, TypeId::kVarchar});
  b.SetRows(2);
  b.columns[0].data<int64_t>()[0] = 1;
  b.columns[0].data<int64_t>()[1] = 2;
  b.columns[1].SetString(0, "one");
  b.columns[1].SetString(1, "two, with comma");
  auto w = CsvWriter::Open("mem://csvtest/z.csv.gz", {"n", "s"}, {TypeId::kBigInt, TypeId::kVarchar}, wo);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Close().ok());
  auto r = Open("mem://csvtest/z.csv.gz");
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1", "one"}, {"2", "two, with comma"}}));
}

// A file system whose files fail every read past `fail_from` bytes.
class FailingReadFileSystem : public MemoryFileSystem {
 public:
  explicit FailingReadFileSystem(uint64_t fail_from) : fail_from_(fail_from) {}
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    ALOPEX_ASSIGN_OR_RETURN(auto inner, MemoryFileSystem::OpenForRead(path));
    return std::unique_ptr<RandomAccessFile>(new FailingFile(std::move(inner), fail_from_));
  }

 private:
  class FailingFile : public RandomAccessFile {
   public:
    FailingFile(std::unique_ptr<RandomAccessFile> inner, uint64_t fail_from)
        : inner_(std::move(inner)), fail_from_(fail_from) {}
    uint64_t size() const override { return inner_->size(); }
    const std::string& path() const override { return inner_->path(); }
    Status ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
      if (offset + n > fail_from_) return Status::IOError("injected read failure in " + path());
      return inner_->ReadAt(offset, n, out);
    }

   private:
    std::unique_ptr<RandomAccessFile> inner_;
    uint64_t fail_from_;
  };
  uint64_t fail_from_;
};

TEST(CsvReaderTest, ReadFailuresPropagate) {
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; i++) text += std::to_string(i) + ",x\n";
  for (uint64_t fail_from : {uint64_t(0), uint64_t(100), uint64_t(text.size() / 2)}) {
    FailingReadFileSystem fs(fail_from);
    fs.Put("mem://fail/f.csv", text);
    CsvReadOptions o;
    o.split_bytes = 4096;
    auto r = CsvReader::Open("mem://fail/f.csv", o, &fs);
    Status st = r.ok() ? (*r)->ReadAll({}, [](Batch&&) { return Status::OK(); }) : r.status();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
    EXPECT_NE(st.message().find("f.csv"), std::string::npos);
  }
}

TEST(CsvReaderTest, SinkErrorsStopTheRead) {
  std::string text = "a\n";
  for (int i = 0; i < 5000; i++) text += std::to_string(i) + "\n";
  auto r = Open(Put("sinkerr.csv", text));
  int calls = 0;
  Status st = r->ReadAll({}, [&](Batch&&) {
    calls++;
    return Status::Cancelled("stop");
  });
  EXPECT_EQ(st.code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace alopex
