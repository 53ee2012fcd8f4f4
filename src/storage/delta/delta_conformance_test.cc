// Conformance against the Spark-written Delta golden tables in
// $ALOPEX_TESTDATA/delta (default <repo>/../shared/testdata/delta): every
// version listed in EXPECTED.json is read and compared row by row (as
// multisets), and the logs that must be refused are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "common/cast.h"
#include "common/datetime.h"
#include "storage/delta/delta_log.h"
#include "storage/delta/delta_scan.h"

namespace alopex {
namespace {

std::string TestDataDir() {
  if (const char* env = std::getenv("ALOPEX_TESTDATA"); env && *env) return env;
  std::string file = __FILE__;
  const std::string tail = "/src/storage/delta/delta_conformance_test.cc";
  std::string root = file.size() > tail.size() ? file.substr(0, file.size() - tail.size()) : ".";
  return root + "/../shared/testdata";
}

std::string DeltaDir() { return TestDataDir() + "/delta"; }

const JsonNode* Expected() {
  static JsonNode* doc = [] {
    auto fs = FileSystem::ForPath(DeltaDir());
    if (!fs.ok()) return static_cast<JsonNode*>(nullptr);
    auto text = (*fs)->ReadAll(DeltaDir() + "/EXPECTED.json");
    if (!text.ok()) return static_cast<JsonNode*>(nullptr);
    auto parsed = JsonNode::Parse(*text);
    if (!parsed.ok()) return static_cast<JsonNode*>(nullptr);
    return new JsonNode(std::move(*parsed));
  }();
  return doc;
}

// Canonical text of a JSON value: object keys sorted, integers as integers,
// other numbers with 6 significant digits (float columns read back exactly
// only to float precision).
std::string Canon(const JsonNode& n) {
  switch (n.kind()) {
    case JsonNode::Kind::kNumber: {
      if (n.is_integer()) return std::to_string(n.int_value());
      double d = n.double_value();
      if (d == double(int64_t(d)) && std::abs(d) < 1e15) return std::to_string(int64_t(d));
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.6g", d);
      return buf;
    }
    case JsonNode::Kind::kArray: {
      std::string s = "[";
      for (const auto& i : n.items()) s += Canon(i) + ",";
      return s + "]";
    }
    case JsonNode::Kind::kObject: {
      std::vector<std::pair<std::string, std::string>> m;
      for (const auto& [k, v] : n.members()) m.emplace_back(k, Canon(v));
      std::sort(m.begin(), m.end());
      std::string s = "{";
      for (const auto& [k, v] : m) s += k + ":" + v + ",";
      return s + "}";
    }
    default: return n.Serialize();
  }
}

std::string HexOf(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// A value in EXPECTED.json's conventions; `suffix` is the key's suffix
// (_hex, _utf8, _micros_utc) and applies to nested elements too.
JsonNode ToExpectedForm(const Value& v, const std::string& suffix) {
  if (v.is_null()) return JsonNode::Null();
  const LogicalType& t = v.type();
  switch (t.id()) {
    case TypeId::kBoolean: return JsonNode::Bool(v.GetBool());
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return JsonNode::Int(v.GetInt64());
    case TypeId::kFloat:
    case TypeId::kDouble: return JsonNode::Double(v.GetDouble());
    case TypeId::kDecimal: return JsonNode::String(FormatDecimal(v.GetInt128(), t.scale()));
    case TypeId::kVarchar: return JsonNode::String(v.GetString());
    case TypeId::kBlob: return JsonNode::String(suffix == "_utf8" ? v.GetString() : HexOf(v.GetString()));
    case TypeId::kDate: return JsonNode::String(FormatDate(int32_t(v.GetInt64())));
    case TypeId::kList: {
      JsonNode a = JsonNode::Array();
      for (const auto& c : v.children()) a.Push(ToExpectedForm(c, suffix));
      return a;
    }
    case TypeId::kMap: {
      JsonNode a = JsonNode::Array();
      for (const auto& kv : v.children()) {
        JsonNode e = JsonNode::Object();
        e.Set("key", ToExpectedForm(kv.children()[0], suffix));
        e.Set("value", ToExpectedForm(kv.children()[1], suffix));
        a.Push(std::move(e));
      }
      return a;
    }
    case TypeId::kStruct: {
      JsonNode o = JsonNode::Object();
      for (size_t i = 0; i < t.fields().size(); i++) o.Set(t.fields()[i].name, ToExpectedForm(v.children()[i], suffix));
      return o;
    }
    default: return JsonNode::String(v.ToString());
  }
}

// EXPECTED.json spells some decimals as "0E-10 (= 0.0000000000)": keep the plain form.
JsonNode NormalizeExpected(const JsonNode& v) {
  if (v.is_string()) {
    const std::string& s = v.str();
    size_t eq = s.find(" (= ");
    if (eq != std::string::npos && s.back() == ')') return JsonNode::String(s.substr(eq + 4, s.size() - eq - 5));
  }
  return v;
}

const char* const kSuffixes[] = {"_micros_utc", "_hex", "_utf8"};

struct ReadResult {
  Status status;
  std::vector<std::string> rows;  // canonical, sorted
  size_t count = 0;
};

// Reads a snapshot and renders each row with the keys of `keys` (the expected rows' keys).
ReadResult ReadVersion(DeltaTable& table, int64_t version, const std::vector<std::string>& keys) {
  ReadResult out;
  auto snap = table.Snapshot(version);
  if (!snap.ok()) {
    out.status = snap.status();
    return out;
  }
  // key -> (schema column, suffix)
  std::vector<std::pair<std::string, std::string>> plan;
  std::vector<std::string> projection;
  for (const auto& k : keys) {
    std::string column = k, suffix;
    if (snap->schema.FieldIndex(k) < 0) {
      for (const char* s : kSuffixes) {
        std::string sx = s;
        if (k.size() > sx.size() && k.compare(k.size() - sx.size(), sx.size(), sx) == 0 &&
            snap->schema.FieldIndex(k.substr(0, k.size() - sx.size())) >= 0) {
          column = k.substr(0, k.size() - sx.size());
          suffix = sx;
        }
      }
    }
    if (snap->schema.FieldIndex(column) < 0) continue;  // e.g. a raw partition string: not a column
    plan.emplace_back(k, suffix);
    projection.push_back(column);
  }
  out.status = ScanSnapshot(*snap, projection, [&](Batch&& b) {
    for (size_t r = 0; r < b.num_rows; r++) {
      JsonNode row = JsonNode::Object();
      for (size_t c = 0; c < plan.size(); c++) row.Set(plan[c].first, ToExpectedForm(b.columns[c].GetValue(r), plan[c].second));
      out.rows.push_back(Canon(row));
    }
    out.count += b.num_rows;
    return Status::OK();
  });
  std::sort(out.rows.begin(), out.rows.end());
  return out;
}

class DeltaGoldenTableTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!Expected()) GTEST_SKIP() << "Delta golden tables not found at " << DeltaDir() << " (set ALOPEX_TESTDATA)";
  }
};

TEST_P(DeltaGoldenTableTest, MatchesExpected) {
  const std::string name = GetParam();
  const JsonNode* spec = Expected()->Find("tables")->Find(name);
  ASSERT_NE(spec, nullptr) << name << " is not in EXPECTED.json";
  const std::string path = DeltaDir() + "/" + name;

  if (spec->Find("expect_error") && !spec->Find("expect_error")->is_null()) {
    auto table = DeltaTable::Open(path);
    Status st = table.ok() ? (*table)->Snapshot().status() : table.status();
    ASSERT_FALSE(st.ok()) << name << " must be refused";
    EXPECT_NE(st.message().find(path), std::string::npos) << "the error names the table: " << st.message();
    std::printf("[ refused  ] %s: %s\n", name.c_str(), st.ToString().c_str());
    return;
  }

  auto table = DeltaTable::Open(path);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto latest = (*table)->Snapshot();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->version, spec->GetInt("latest_version").value_or(-1));

  // Versions with full rows.
  const JsonNode* versions = spec->Find("versions");
  int checked_rows = 0, checked_counts = 0;
  if (versions) {
    for (const auto& [v, rows] : versions->members()) {
      int64_t version = std::stoll(v);
      std::vector<std::string> keys;
      std::vector<std::string> expected;
      for (const auto& r : rows.items()) {
        for (const auto& [k, val] : r.members())
          if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      }
      ReadResult got = ReadVersion(**table, version, keys);
      ASSERT_TRUE(got.status.ok()) << name << " v" << version << ": " << got.status.ToString();
      // Expected rows restricted to the keys we could map to columns.
      auto snap = (*table)->Snapshot(version);
      for (const auto& given : rows.items()) {
        // "ALL_22_COLUMNS_NULL" and the like: a row of nulls.
        JsonNode r = JsonNode::Object();
        for (const auto& k : keys) r.Set(k, JsonNode::Null());
        for (const auto& [k, val] : given.members()) r.Set(k, NormalizeExpected(val));
        JsonNode row = JsonNode::Object();
        for (const auto& [k, val] : r.members()) {
          bool mapped = snap->schema.FieldIndex(k) >= 0;
          for (const char* s : kSuffixes) {
            std::string sx = s;
            if (k.size() > sx.size() && k.compare(k.size() - sx.size(), sx.size(), sx) == 0 &&
                snap->schema.FieldIndex(k.substr(0, k.size() - sx.size())) >= 0)
              mapped = true;
          }
          if (mapped) row.Set(k, val);
        }
        expected.push_back(Canon(row));
      }
      std::sort(expected.begin(), expected.end());
      if (keys.empty()) {
        EXPECT_EQ(got.count, 0u) << name << " v" << version;
      } else {
        ASSERT_EQ(got.rows.size(), expected.size()) << name << " v" << version;
        for (size_t i = 0; i < expected.size(); i++)
          ASSERT_EQ(got.rows[i], expected[i]) << name << " v" << version << " row " << i;
      }
      checked_rows++;
    }
  }
  // Row counts of every listed version.
  for (const char* key : {"expected_row_count_per_version", "live_row_count_per_version"}) {
    const JsonNode* counts = spec->Find(key);
    if (!counts || !counts->is_object()) continue;
    for (const auto& [v, n] : counts->members()) {
      auto snap = (*table)->Snapshot(std::stoll(v));
      ASSERT_TRUE(snap.ok()) << snap.status().ToString();
      size_t count = 0;
      Status st = ScanSnapshot(*snap, {snap->schema.fields[0].name}, [&](Batch&& b) {
        count += b.num_rows;
        return Status::OK();
      });
      ASSERT_TRUE(st.ok()) << name << " v" << v << ": " << st.ToString();
      EXPECT_EQ(int64_t(count), n.int_value()) << name << " v" << v;
      checked_counts++;
    }
  }
  if (const JsonNode* files = spec->Find("active_files_per_version")) {
    for (const auto& [v, n] : files->members()) {
      auto snap = (*table)->Snapshot(std::stoll(v));
      ASSERT_TRUE(snap.ok());
      EXPECT_EQ(int64_t(snap->files.size()), n.int_value()) << name << " v" << v;
    }
  }
  if (const JsonNode* parts = spec->Find("partition_columns"); parts && parts->is_array()) {
    std::vector<std::string> want;
    for (const auto& p : parts->items()) want.push_back(p.str());
    EXPECT_EQ(latest->partition_columns(), want);
  }
  if (const JsonNode* per = spec->Find("partition_columns_per_version")) {
    for (const auto& [v, list] : per->members()) {
      std::vector<std::string> want;
      for (const auto& p : list.items()) want.push_back(p.str());
      EXPECT_EQ((*table)->Snapshot(std::stoll(v))->partition_columns(), want) << v;
    }
  }
  if (const JsonNode* per = spec->Find("schema_per_version")) {
    for (const auto& [v, list] : per->members()) {
      std::vector<std::string> want;
      for (const auto& p : list.items()) want.push_back(p.str().substr(0, p.str().find(':')));
      EXPECT_EQ((*table)->Snapshot(std::stoll(v))->schema.names(), want) << v;
    }
  }
  if (const JsonNode* proto = spec->Find("protocol")) {
    EXPECT_EQ(latest->protocol.min_reader_version, proto->GetInt("minReaderVersion").value_or(-1));
    EXPECT_EQ(latest->protocol.min_writer_version, proto->GetInt("minWriterVersion").value_or(-1));
  }
  if (const JsonNode* stats = spec->Find("expected_add_stats")) {
    ASSERT_EQ(latest->files.size(), 1u);
    auto parsed = JsonNode::Parse(latest->files[0].stats.value_or("null"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(Canon(*parsed), Canon(*stats));
  }
  std::printf("[ golden   ] %s: %d versions by content, %d by count, latest v%lld\n", name.c_str(), checked_rows,
              checked_counts, static_cast<long long>(latest->version));
}

std::vector<std::string> GoldenTables() {
  std::vector<std::string> names;
  if (const JsonNode* doc = Expected())
    if (const JsonNode* tables = doc->Find("tables"))
      for (const auto& [k, v] : tables->members()) names.push_back(k);
  if (names.empty()) names.push_back("absent");
  return names;
}

INSTANTIATE_TEST_SUITE_P(Golden, DeltaGoldenTableTest, ::testing::ValuesIn(GoldenTables()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// Time travel by timestamp over a golden table: commit times come from commitInfo.
TEST(DeltaGoldenTimeTravelTest, TimestampsFromCommitInfo) {
  if (!Expected()) GTEST_SKIP() << "Delta golden tables not found at " << DeltaDir();
  auto table = DeltaTable::Open(DeltaDir() + "/v2-checkpoint-parquet");
  ASSERT_TRUE(table.ok());
  // v0 1714496109365, v1 1714496110834, v2 1714496112086 (commitInfo.timestamp).
  auto s = (*table)->SnapshotAsOfTimestamp(int64_t(1714496110900) * 1000);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(s->timestamp_ms, 1714496110834);
  auto history = (*table)->History();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].operation, "WRITE");
  EXPECT_EQ((*history)[0].operation_metrics.at("numOutputRows"), "10");
  EXPECT_EQ((*history)[2].operation, "CREATE TABLE");
}

}  // namespace
}  // namespace alopex
