#include "formats/json/json_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "common/cast.h"
#include "formats/json/json_writer.h"

namespace alopex {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using S = std::vector<std::string>;

std::string Put(const std::string& name, const std::string& text) {
  std::string path = "mem://jsontest/" + name;
  EXPECT_TRUE((*FileSystem::ForPath(path))->WriteAtomic(path, text).ok());
  return path;
}

void AppendRows(const Batch& b, Rows* out) {
  for (size_t r = 0; r < b.num_rows; r++) {
    std::vector<std::string> row;
    for (const auto& c : b.columns) row.push_back(c.IsNull(r) ? "NULL" : FormatValue(c, r));
    out->push_back(std::move(row));
  }
}

std::unique_ptr<JsonReader> Open(const std::string& path, const JsonReadOptions& o = {}) {
  auto r = JsonReader::Open(path, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

Rows ReadAll(JsonReader* r, const std::vector<int>& projection = {}) {
  Rows rows;
  Status st = r->ReadAll(projection, [&](Batch&& b) {
    AppendRows(b, &rows);
    return Status::OK();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return rows;
}

S TypeNames(const JsonReader& r) {
  S out;
  for (const auto& t : r.column_types()) out.push_back(t.ToString());
  return out;
}

Status ReadError(const std::string& path, const JsonReadOptions& o = {}) {
  auto r = JsonReader::Open(path, o);
  if (!r.ok()) return r.status();
  return (*r)->ReadAll({}, [](Batch&&) { return Status::OK(); });
}

TEST(JsonReaderTest, NewlineDelimitedWithInference) {
  auto r = Open(Put("basic.ndjson",
                    "{\"id\": 1, \"name\": \"a\", \"score\": 1, \"tags\": [\"x\"], \"meta\": {\"k\": 1}, \"day\": \"2024-01-31\"}\n"
                    "{\"id\": 2, \"name\": \"b\", \"score\": 2.5, \"tags\": [], \"meta\": {\"k\": 2, \"z\": true}}\n"
                    "\n"
                    "{\"id\": 3, \"name\": null, \"score\": null, \"extra\": \"e\", \"day\": \"2024-02-01\"}\n"));
  EXPECT_EQ(r->format(), JsonFormat::kNewlineDelimited);
  EXPECT_EQ(r->column_names(), S({"id", "name", "score", "tags", "meta", "day", "extra"}));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "VARCHAR", "DOUBLE", "VARCHAR[]", "STRUCT(k BIGINT, z BOOLEAN)", "DATE",
                              "VARCHAR"}));
  Rows rows = ReadAll(r.get());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], S({"1", "a", "1.0", "[x]", "{'k': 1, 'z': NULL}", "2024-01-31", "NULL"}));
  EXPECT_EQ(rows[1], S({"2", "b", "2.5", "[]", "{'k': 2, 'z': true}", "NULL", "NULL"}));
  EXPECT_EQ(rows[2], S({"3", "NULL", "NULL", "NULL", "NULL", "2024-02-01", "e"}));
}

TEST(JsonReaderTest, TopLevelArray) {
  auto r = Open(Put("array.json", "  [\n {\"a\": 1, \"b\": \"x\"},\n {\"a\": 2, \"b\": \"y\"}\n]\n"));
  EXPECT_EQ(r->format(), JsonFormat::kArray);
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1", "x"}, {"2", "y"}}));
}

TEST(JsonReaderTest, LinesOfArraysAreNotOneArray) {
  auto r = Open(Put("linearrays.json", "[1, 2]\n[3]\n"));
  EXPECT_EQ(r->format(), JsonFormat::kNewlineDelimited);
  EXPECT_FALSE(r->records_are_objects());
  EXPECT_EQ(r->column_names(), S({"json"}));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT[]"}));
  EXPECT_EQ(ReadAll(r.get()), Rows({{"[1, 2]"}, {"[3]"}}));
}

TEST(JsonReaderTest, PrettyPrintedRecords) {
  auto r = Open(Put("pretty.json", "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n"));
  EXPECT_EQ(r->format(), JsonFormat::kUnstructured);
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1"}, {"2"}}));
}

TEST(JsonReaderTest, WideningRules) {
  auto r = Open(Put("widen.ndjson",
                    "{\"i\": 1, \"d\": 1, \"s\": 1, \"n\": null, \"mixed\": [1], \"b\": true}\n"
                    "{\"i\": 2, \"d\": 1.5, \"s\": \"x\", \"n\": null, \"mixed\": {\"a\": 1}, \"b\": 3}\n"));
  EXPECT_EQ(TypeNames(*r), S({"BIGINT", "DOUBLE", "VARCHAR", "VARCHAR", "JSONB", "VARCHAR"}));
  Rows rows = ReadAll(r.get());
  EXPECT_EQ(rows[0], S({"1", "1.0", "1", "NULL", "[1]", "true"}));
  EXPECT_EQ(rows[1], S({"2", "1.5", "x", "NULL", "{\"a\":1}", "3"}));
}

TEST(JsonReaderTest, MalformedLineNamesLineAndOffset) {
  std::string text = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3,,}\n";
  JsonReadOptions o;
  o.filename = "file.json";
  Status st = ReadError(Put("bad.ndjson", text), o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("file.json: line 3 (byte offset 18): malformed JSON: ", 0), 0u) << st.message();

  o.ignore_errors = true;
  auto r = Open(Put("bad.ndjson", text), o);
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1"}, {"2"}}));
}

TEST(JsonReaderTest, TypeMismatchAfterSample) {
  std::string text;
  for (int i = 0; i < 10; i++) text += "{\"a\": " + std::to_string(i) + "}\n";
  text += "{\"a\": \"oops\"}\n";
  JsonReadOptions o;
  o.sample_size = 5;
  o.filename = "f.json";
  Status st = ReadError(Put("mismatch.ndjson", text), o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kConversionError);
  EXPECT_NE(st.message().find("f.json: line 11"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("column \"a\": could not convert \"oops\" to BIGINT"), std::string::npos)
      << st.message();
}

TEST(JsonReaderTest, ExplicitColumns) {
  JsonReadOptions o;
  o.columns = {{"v", LogicalType::Vector(3)}, {"n", TypeId::kInteger}, {"d", LogicalType::Decimal(6, 2)}};
  auto r = Open(Put("explicit.ndjson", "{\"v\": [1, 2, 3.5], \"n\": 7, \"d\": 1.25}\n{\"n\": \"8\"}\n"), o);
  EXPECT_EQ(TypeNames(*r), S({"VECTOR(3)", "INTEGER", "DECIMAL(6,2)"}));
  Rows rows = ReadAll(r.get());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "7");
  EXPECT_EQ(rows[0][2], "1.25");
  EXPECT_EQ(rows[1], S({"NULL", "8", "NULL"}));

  Status dim = ReadError(Put("dim.ndjson", "{\"v\": [1, 2]}\n"), o);
  EXPECT_NE(dim.message().find("expected 3 values for VECTOR(3), found 2"), std::string::npos) << dim.message();
}

TEST(JsonReaderTest, ErrorsForMissingAndEmptyFiles) {
  auto missing = JsonReader::Open("mem://jsontest/none.json");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto empty = JsonReader::Open(Put("empty.json", "  \n"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty.json"), std::string::npos);
  auto notarray = JsonReader::Open(Put("broken_array.json", "[{\"a\": 1},"));
  EXPECT_FALSE(notarray.ok());
}

TEST(JsonReaderTest, ManySplitsMatchSequential) {
  std::string text;
  for (int i = 0; i < 20000; i++)
    text += "{\"id\": " + std::to_string(i) + ", \"s\": \"v" + std::to_string(i % 97) + "\", \"l\": [" +
            std::to_string(i % 3) + "]}\n";
  std::string path = Put("many.ndjson", text);
  auto whole = Open(path);
  ASSERT_EQ(whole->num_splits(), 1u);
  Rows expected = ReadAll(whole.get());
  ASSERT_EQ(expected.size(), 20000u);
  JsonReadOptions o;
  o.split_bytes = 8192;
  auto split = Open(path, o);
  ASSERT_GT(split->num_splits(), 20u);
  std::vector<Rows> parts(split->num_splits());
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; t++) {
    threads.emplace_back([&, t] {
      for (size_t i = size_t(t); i < parts.size(); i += 3) {
        Status st = split->ReadSplit(i, {}, [&](Batch&& b) {
          AppendRows(b, &parts[i]);
          return Status::OK();
        });
        EXPECT_TRUE(st.ok()) << st.ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  Rows combined;
  for (auto& p : parts) combined.insert(combined.end(), p.begin(), p.end());
  EXPECT_EQ(combined, expected);
}

// What on_rejected_record reported; it may be called from several threads.
struct Rejects {
  struct Entry {
    uint64_t line;
    Status error;
    std::string raw;
  };
  std::mutex mu;
  std::vector<Entry> entries;
  void Attach(JsonReadOptions* o) {
    o->on_rejected_record = [this](uint64_t line, const Status& error, std::string_view raw) {
      std::lock_guard<std::mutex> lock(mu);
      entries.push_back({line, error, std::string(raw)});
    };
  }
  std::vector<uint64_t> Lines() {
    std::vector<uint64_t> out;
    for (const auto& e : entries) out.push_back(e.line);
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST(JsonReaderTest, RejectedLinesAreSkippedAndReported) {
  std::string long_bad = "{\"id\": 9, \"v\": \"" + std::string(300, 'x');  // no closing quote
  std::string text =
      "{\"id\": 1, \"v\": \"a\"}\n"
      "{\"id\": 2, \"v\":\n"
      "\n"
      "  42  \n"
      "{\"id\": 3, \"v\": \"c\"}\r\n" +
      long_bad + "\n" +
      "{\"id\": 4, \"v\": \"\xff\xfe\"}\n"
      "{\"id\": 5, \"v\": \"e\"}";
  JsonReadOptions o;
  o.filename = "r.json";
  Rejects rejects;
  rejects.Attach(&o);
  auto r = Open(Put("rejects.json", text), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), JsonFormat::kNewlineDelimited);
  // The non-object line is left out of inference: the records stay objects.
  EXPECT_EQ(r->column_names(), S({"id", "v"}));
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1", "a"}, {"3", "c"}, {"5", "e"}}));
  ASSERT_EQ(rejects.entries.size(), 4u);
  auto& bad = rejects.entries[0];
  EXPECT_EQ(bad.line, 2u);
  EXPECT_EQ(bad.error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.error.message().rfind("r.json: line 2 (byte offset 20): malformed JSON: ", 0), 0u)
      << bad.error.message();
  EXPECT_EQ(bad.raw, "{\"id\": 2, \"v\":");
  auto& scalar = rejects.entries[1];
  EXPECT_EQ(scalar.line, 4u);
  EXPECT_EQ(scalar.error.code(), StatusCode::kConversionError);
  EXPECT_NE(scalar.error.message().find("r.json: line 4 (byte offset 36): expected a JSON object, found a number"),
            std::string::npos)
      << scalar.error.message();
  EXPECT_EQ(scalar.raw, "42");
  auto& cut = rejects.entries[2];
  EXPECT_EQ(cut.line, 6u);
  EXPECT_EQ(cut.raw, long_bad.substr(0, 200) + "...");
  // Bytes that are not UTF-8 do not reach the report.
  auto& utf8 = rejects.entries[3];
  EXPECT_EQ(utf8.line, 7u);
  EXPECT_EQ(utf8.raw, "{\"id\": 4, \"v\": \"??\"}");

  // Without the callback the first bad line fails the read, as before.
  JsonReadOptions plain;
  plain.filename = "r.json";
  Status st = ReadError(Put("rejects.json", text), plain);
  EXPECT_EQ(st.message().rfind("r.json: line 2 (byte offset 20): malformed JSON: ", 0), 0u) << st.message();
}

TEST(JsonReaderTest, RejectedRecordThatDoesNotConvert) {
  std::string text;
  for (int i = 0; i < 10; i++) text += "{\"a\": " + std::to_string(i) + "}\n";
  text += "{\"a\": \"oops\"}\n{\"a\": 10}\n";
  JsonReadOptions o;
  o.sample_size = 5;
  o.filename = "f.json";
  Rejects rejects;
  rejects.Attach(&o);
  auto r = Open(Put("mismatch_rejected.ndjson", text), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(ReadAll(r.get()).size(), 11u);
  ASSERT_EQ(rejects.entries.size(), 1u);
  EXPECT_EQ(rejects.entries[0].line, 11u);
  EXPECT_EQ(rejects.entries[0].error.code(), StatusCode::kConversionError);
  EXPECT_NE(rejects.entries[0].error.message().find("column \"a\": could not convert \"oops\" to BIGINT"),
            std::string::npos);
  EXPECT_EQ(rejects.entries[0].raw, "{\"a\": \"oops\"}");
}

TEST(JsonReaderTest, BadFirstLineIsRejectedWhenSkipping) {
  std::string text = "{\"id\": 1, \"v\"\n{\"id\": 2}\n{\"id\": 3}\n";
  JsonReadOptions o;
  Rejects rejects;
  rejects.Attach(&o);
  auto r = Open(Put("badfirst.json", text), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), JsonFormat::kNewlineDelimited);
  EXPECT_EQ(ReadAll(r.get()), Rows({{"2"}, {"3"}}));
  EXPECT_EQ(rejects.Lines(), std::vector<uint64_t>({1}));
  // Pretty-printed records are still read whole.
  Rejects none;
  JsonReadOptions p;
  none.Attach(&p);
  auto pretty = Open(Put("pretty_skip.json", "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n"), p);
  ASSERT_TRUE(pretty);
  EXPECT_EQ(pretty->format(), JsonFormat::kUnstructured);
  EXPECT_EQ(ReadAll(pretty.get()), Rows({{"1"}, {"2"}}));
  EXPECT_TRUE(none.entries.empty());
}

TEST(JsonReaderTest, RejectedLinesKeepTheirLineAcrossSplits) {
  // Every 997th line is bad; splits read out of order and concurrently must
  // still report the line in the file and its byte offset.
  std::string text;
  std::vector<uint64_t> bad_lines;
  std::vector<uint64_t> bad_offsets;
  for (int i = 1; i <= 20000; i++) {
    if (i % 997 == 0) {
      bad_lines.push_back(uint64_t(i));
      bad_offsets.push_back(text.size());
      text += "{\"id\": " + std::to_string(i) + ", \"s\": }\n";
    } else {
      text += "{\"id\": " + std::to_string(i) + ", \"s\": \"v" + std::to_string(i % 97) + "\"}\n";
    }
  }
  std::string path = Put("split_rejects.ndjson", text);
  for (bool reverse : {false, true}) {
    JsonReadOptions o;
    o.split_bytes = 8192;
    o.filename = "s.json";
    Rejects rejects;
    rejects.Attach(&o);
    auto r = Open(path, o);
    ASSERT_TRUE(r);
    ASSERT_GT(r->num_splits(), 20u);
    std::atomic<size_t> rows{0};
    std::vector<std::thread> threads;
    size_t n = r->num_splits();
    for (size_t t = 0; t < 3; t++) {
      threads.emplace_back([&, t] {
        for (size_t k = t; k < n; k += 3) {
          size_t i = reverse ? n - 1 - k : k;
          Status st = r->ReadSplit(i, {}, [&](Batch&& b) {
            rows += b.num_rows;
            return Status::OK();
          });
          EXPECT_TRUE(st.ok()) << st.ToString();
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(rows.load(), 20000u - bad_lines.size());
    EXPECT_EQ(rejects.Lines(), bad_lines);
    for (const auto& e : rejects.entries) {
      size_t k = size_t(std::find(bad_lines.begin(), bad_lines.end(), e.line) - bad_lines.begin());
      ASSERT_LT(k, bad_offsets.size());
      std::string want = "s.json: line " + std::to_string(e.line) + " (byte offset " + std::to_string(bad_offsets[k]) +
                         "): malformed JSON: ";
      EXPECT_EQ(e.error.message().rfind(want, 0), 0u) << e.error.message();
      EXPECT_EQ(e.raw, "{\"id\": " + std::to_string(e.line) + ", \"s\": }");
    }
  }
  // Without the callback a split names the same line (columns given: the
  // sample would fail the open on the first bad line).
  JsonReadOptions o;
  o.split_bytes = 8192;
  o.filename = "s.json";
  o.columns = {{"id", TypeId::kBigInt}, {"s", TypeId::kVarchar}};
  auto r = Open(path, o);
  ASSERT_TRUE(r);
  Status st = r->ReadSplit(r->num_splits() - 1, {}, [](Batch&&) { return Status::OK(); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("s.json: line " + std::to_string(bad_lines.back()) + " (byte offset " +
                                   std::to_string(bad_offsets.back()) + ")",
                               0),
            0u)
      << st.message();
}

TEST(JsonReaderTest, SyntaxErrorInAnArrayCannotBeSkipped) {
  std::string text = "[\n{\"a\": 1},\n{\"a\": ,\n{\"a\": 3}\n]\n";
  JsonReadOptions o;
  o.filename = "arr.json";
  o.format = JsonFormat::kArray;
  Rejects rejects;
  rejects.Attach(&o);
  Status st = ReadError(Put("bad_array.json", text), o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("arr.json: malformed JSON: ", 0), 0u) << st.message();
  EXPECT_NE(st.message().find("a syntax error inside a JSON array cannot be skipped"), std::string::npos)
      << st.message();
  // Also when the columns are given and the file is first parsed by the read.
  o.columns = {{"a", TypeId::kBigInt}};
  st = ReadError(Put("bad_array.json", text), o);
  EXPECT_NE(st.message().find("a syntax error inside a JSON array cannot be skipped"), std::string::npos)
      << st.message();
  EXPECT_TRUE(rejects.entries.empty());

  // An element that parses but is not a record is skipped; its line is unknown.
  JsonReadOptions ok;
  Rejects elements;
  elements.Attach(&ok);
  auto r = Open(Put("array_scalar.json", "[{\"a\": 1}, 7, {\"a\": 3}]"), ok);
  ASSERT_TRUE(r);
  EXPECT_EQ(ReadAll(r.get()), Rows({{"1"}, {"3"}}));
  ASSERT_EQ(elements.entries.size(), 1u);
  EXPECT_EQ(elements.entries[0].line, 0u);
  EXPECT_NE(elements.entries[0].error.message().find("array element 2: expected a JSON object, found a number"),
            std::string::npos)
      << elements.entries[0].error.message();
  EXPECT_EQ(elements.entries[0].raw, "7");
}

TEST(JsonWriterTest, RoundTripLinesAndArray) {
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kVarchar, TypeId::kDouble, TypeId::kDate,
                                    LogicalType::List(TypeId::kBigInt),
                                    LogicalType::Struct({{"x", TypeId::kBigInt}, {"y", TypeId::kVarchar}}),
                                    TypeId::kJson, TypeId::kBoolean};
  std::vector<std::string> names = {"id", "text", "d", "day", "list", "st", "raw", "flag"};
  Batch b(types);
  b.SetRows(3);
  for (size_t i = 0; i < 3; i++) {
    b.columns[0].data<int64_t>()[i] = int64_t(i);
    b.columns[1].SetString(i, i == 1 ? "quote \" backslash \\ newline \n tab \t" : "t" + std::to_string(i));
    b.columns[2].data<double>()[i] = 0.5 + double(i);
    b.columns[3].data<int32_t>()[i] = 19753 + int32_t(i);
    b.columns[4].SetValue(i, Value::List(TypeId::kBigInt, {Value::BigInt(int64_t(i)), Value::BigInt(7)}));
    b.columns[5].SetValue(i, Value::Nested(types[5], {Value::BigInt(int64_t(i)), Value::Varchar("y")}));
    b.columns[6].SetString(i, "{\"k\":[1,2]}");
    b.columns[7].data<uint8_t>()[i] = i % 2;
  }
  b.columns[2].SetNull(2);
  for (auto format : {JsonWriteOptions::Format::kNewlineDelimited, JsonWriteOptions::Format::kArray}) {
    JsonWriteOptions wo;
    wo.format = format;
    std::string path = format == JsonWriteOptions::Format::kArray ? "mem://jsonwrite/a.json" : "mem://jsonwrite/l.json";
    auto w = JsonWriter::Open(path, names, types, wo);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Close().ok());
    auto text = (*FileSystem::ForPath(path))->ReadAll(path);
    if (format == JsonWriteOptions::Format::kNewlineDelimited) {
      EXPECT_EQ(text->substr(0, text->find('\n')),
                "{\"id\":0,\"text\":\"t0\",\"d\":0.5,\"day\":\"2024-01-31\",\"list\":[0,7],\"st\":{\"x\":0,\"y\":\"y\"},"
                "\"raw\":{\"k\":[1,2]},\"flag\":false}");
    }
    JsonReadOptions ro;
    ro.columns.clear();
    auto r = Open(path, ro);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->column_names(), names);
    std::vector<LogicalType> want = types;
    want[6] = LogicalType::Struct({{"k", LogicalType::List(TypeId::kBigInt)}});  // JSON text reads back as structure
    EXPECT_EQ(r->column_types(), want) << ::testing::PrintToString(TypeNames(*r));
    Rows rows = ReadAll(r.get());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1][1], "quote \" backslash \\ newline \n tab \t");
    EXPECT_EQ(rows[2][2], "NULL");
    EXPECT_EQ(rows[1][4], "[1, 7]");
  }
}

}  // namespace
}  // namespace alopex
