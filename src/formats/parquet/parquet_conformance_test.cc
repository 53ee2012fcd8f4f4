// Reads every file of the shared Parquet conformance data (written by Impala,
// parquet-mr, Spark, Arrow, parquet-rs, DuckDB, ...) and checks it against
// EXPECTED.json, the upstream *_expect.csv files and the DuckDB reference rows;
// reads every malformed file and checks it fails cleanly (or reads, where
// EXPECTED.json allows).
#include <gtest/gtest.h>

#include <dirent.h>

#include <functional>
#include <iostream>
#include <set>

#include "formats/parquet/parquet_test_util.h"

namespace alopex {
namespace {

using parquet_test::Json;

std::string ParquetDir() { return parquet_test::TestDataDir() + "/parquet"; }
std::string BadDir() { return parquet_test::TestDataDir() + "/parquet-bad"; }

struct FileRows {
  std::unique_ptr<ParquetReader> reader;
  std::vector<Batch> batches;
  Value Get(size_t col, size_t row) const {
    for (const auto& b : batches) {
      if (row < b.num_rows) return b.columns[col].GetValue(row);
      row -= b.num_rows;
    }
    return Value();
  }
  size_t rows() const {
    size_t n = 0;
    for (const auto& b : batches) n += b.num_rows;
    return n;
  }
  int Col(const std::string& name) const {
    const auto& names = reader->column_names();
    for (size_t i = 0; i < names.size(); i++)
      if (names[i] == name) return int(i);
    return -1;
  }
};

Status ReadFile(const std::string& path, FileRows* out, const ParquetReadOptions& options = {}) {
  ALOPEX_ASSIGN_OR_RETURN(out->reader, ParquetReader::Open(path));
  return parquet_test::ReadAllBatches(*out->reader, options, &out->batches);
}

class ParquetConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!parquet_test::FileExists(ParquetDir() + "/EXPECTED.json"))
      GTEST_SKIP() << "Parquet conformance data not found at " << ParquetDir()
                   << " (set ALOPEX_TESTDATA to the shared testdata folder)";
    ASSERT_TRUE(parquet_test::ParseJson(parquet_test::ReadText(ParquetDir() + "/EXPECTED.json"), &expected_));
    std::string ref = ParquetDir() + "/expected/duckdb/duckdb-reference.json";
    if (parquet_test::FileExists(ref)) ASSERT_TRUE(parquet_test::ParseJson(parquet_test::ReadText(ref), &duckdb_));
  }
  void CheckFile(const std::string& name, const Json& exp, const std::string& path);
  Json expected_;
  Json duckdb_;
};

bool MatchValue(const Value& v, const Json& j, std::string* why) { return parquet_test::MatchesJson(v, j, why); }

// Every file listed in EXPECTED.json: row counts, listed values and rules, CSVs,
// and the DuckDB reference rows.
TEST_F(ParquetConformance, EveryFileMatchesExpectations) {
  const Json* files = expected_.Get("files");
  ASSERT_NE(files, nullptr);
  bool stress = std::getenv("ALOPEX_PARQUET_STRESS") != nullptr;
  int checked = 0;
  for (const auto& [name, exp] : files->fields) {
    SCOPED_TRACE(name);
    if (exp.Get("warning") && !stress) continue;  // large_string_map: > 2 GiB when decompressed
    std::string path = ParquetDir() + "/" + name;
    try {
      CheckFile(name, exp, path);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "exception " << e.what();
    }
    checked++;
  }
  EXPECT_GT(checked, 40);
}

void ParquetConformance::CheckFile(const std::string& name, const Json& exp, const std::string& path) {
  {
    FileRows fr;
    Status st = ReadFile(path, &fr);
    ASSERT_TRUE(st.ok()) << st.ToString();
    if (const Json* rows = exp.Get("rows")) {
      EXPECT_EQ(fr.reader->num_rows(), int64_t(rows->num));
      EXPECT_EQ(fr.rows(), size_t(rows->num));
    }
    if (const Json* rgs = exp.Get("row_groups")) EXPECT_EQ(fr.reader->num_row_groups(), int(rgs->num));
    if (const Json* rgr = exp.Get("row_group_rows")) {
      for (size_t g = 0; g < rgr->items.size() && int(g) < fr.reader->num_row_groups(); g++)
        EXPECT_EQ(fr.reader->row_group_num_rows(int(g)), int64_t(rgr->items[g].num));
    }
    if (const Json* fs = exp.Get("footer_metadata_size")) EXPECT_EQ(fr.reader->footer_size(), uint32_t(fs->num));
    // "values" / "values_prefix": column -> list of values.
    for (const char* key : {"values", "values_prefix"}) {
      const Json* vals = exp.Get(key);
      if (!vals || vals->kind != Json::kObject) continue;
      for (const auto& [col, list] : vals->fields) {
        std::string cname = col == "a_micros" ? "a" : col;
        int c = fr.Col(cname);
        ASSERT_GE(c, 0) << "column " << cname;
        if (list.kind != Json::kArray) continue;
        for (size_t r = 0; r < list.items.size(); r++) {
          Value v = fr.Get(size_t(c), r);
          const Json& j = list.items[r];
          if (col == "a_micros") {
            if (j.kind == Json::kNull) {
              EXPECT_TRUE(v.is_null()) << "row " << r;
            } else {
              EXPECT_EQ(std::to_string(v.GetInt64()), j.str) << "row " << r;
            }
            continue;
          }
          if (v.type().id() == TypeId::kFloat && j.kind == Json::kString && j.str == "-0.0") {
            EXPECT_TRUE(v.GetDouble() == 0 && std::signbit(v.GetDouble())) << "row " << r;
            continue;
          }
          std::string why;
          if (v.type().IsInteger() && j.kind == Json::kNumber) {
            EXPECT_EQ(std::to_string(v.GetInt64()), j.str) << col << " row " << r;
            continue;
          }
          EXPECT_TRUE(MatchValue(v, j, &why)) << col << " row " << r << ": " << why;
        }
      }
    }
    if (const Json* at = exp.Get("values_at")) {
      for (const auto& [col, m] : at->fields) {
        int c = fr.Col(col);
        ASSERT_GE(c, 0);
        for (const auto& [row, j] : m.fields) {
          std::string why;
          EXPECT_TRUE(MatchValue(fr.Get(size_t(c), std::stoul(row)), j, &why)) << col << "[" << row << "]: " << why;
        }
      }
    }
    if (const Json* csv = exp.Get("expect_csv")) {
      std::string text = parquet_test::ReadText(ParquetDir() + "/" + csv->str);
      std::istringstream in(text);
      std::string line;
      std::getline(in, line);  // header
      size_t r = 0;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::vector<std::string> cells;
        std::vector<bool> quoted;
        std::string cur;
        bool q = false, was_quoted = false;
        for (char ch : line) {
          if (ch == '"') {
            q = !q;
            was_quoted = true;
          } else if (ch == ',' && !q) {
            cells.push_back(cur);
            quoted.push_back(was_quoted);
            cur.clear();
            was_quoted = false;
          } else {
            cur.push_back(ch);
          }
        }
        cells.push_back(cur);
        quoted.push_back(was_quoted);
        ASSERT_EQ(cells.size(), fr.reader->column_names().size()) << "csv row " << r;
        for (size_t c = 0; c < cells.size(); c++) {
          Value v = fr.Get(c, r);
          if (cells[c].empty() && !quoted[c]) {
            EXPECT_TRUE(v.is_null()) << "csv row " << r << " col " << c;
          } else {
            EXPECT_EQ(parquet_test::ScalarText(v), cells[c]) << "csv row " << r << " col " << c;
          }
        }
        r++;
      }
      EXPECT_EQ(r, fr.rows());
    }
    // Value rules spelled out in EXPECTED.json.
    if (name == "delta_length_byte_array.parquet") {
      int c = fr.Col("FRUIT");
      for (size_t i = 0; i < fr.rows(); i++)
        ASSERT_EQ(fr.Get(size_t(c), i).GetString(), "apple_banana_mango" + std::to_string(i * i)) << i;
    }
    if (name == "concatenated_gzip_members.parquet") {
      for (size_t i = 0; i < fr.rows(); i++) ASSERT_EQ(fr.Get(0, i).GetUInt64(), i + 1);
    }
    if (name == "overflow_i16_page_cnt.parquet") {
      for (size_t i = 0; i < fr.rows(); i += 97) ASSERT_FALSE(fr.Get(0, i).GetBool());
    }
    if (name.find("row_index_multiple_row_groups") != std::string::npos) {
      for (size_t i = 0; i < fr.rows(); i += 7) ASSERT_EQ(fr.Get(0, i).GetInt64(), int64_t(i));
    }
    if (name == "byte_stream_split_extended.gzip.parquet") {
      for (const char* x : {"float16", "float", "double", "int32", "int64", "flba5", "decimal"}) {
        int a = fr.Col(std::string(x) + "_plain"), b = fr.Col(std::string(x) + "_byte_stream_split");
        ASSERT_GE(a, 0);
        ASSERT_GE(b, 0);
        for (size_t i = 0; i < fr.rows(); i++) {
          Value va = fr.Get(size_t(a), i), vb = fr.Get(size_t(b), i);
          if (va.type().IsFloating() && !va.is_null() && std::isnan(va.GetDouble())) continue;
          ASSERT_TRUE(va == vb) << x << " row " << i;
        }
      }
    }
    if (name.find("duckdb_list_float32_dim128") != std::string::npos) {
      int c = fr.Col("emb");
      size_t null_lists = 0, empty = 0, total = 0, null_elems = 0;
      double sum = 0;
      for (size_t i = 0; i < fr.rows(); i++) {
        Value v = fr.Get(size_t(c), i);
        if (v.is_null()) {
          null_lists++;
          continue;
        }
        if (v.children().empty()) empty++;
        for (const Value& e : v.children()) {
          total++;
          if (e.is_null()) null_elems++;
          else sum += e.GetDouble();
        }
      }
      EXPECT_EQ(null_lists, 6u);
      EXPECT_EQ(empty, 6u);
      EXPECT_EQ(total, 36864u);
      EXPECT_EQ(null_elems, 4u);
      EXPECT_DOUBLE_EQ(sum, 5825444.5);
    }
    if (name.find("duckdb_list_double_dim16") != std::string::npos) {
      int c = fr.Col("vec");
      double sum = 0;
      size_t total = 0;
      for (size_t i = 0; i < fr.rows(); i++) {
        Value list = fr.Get(size_t(c), i);
        for (const Value& e : list.children()) {
          total++;
          sum += e.GetDouble();
        }
      }
      EXPECT_EQ(total, 16000u);
      EXPECT_DOUBLE_EQ(sum, 1878000.0);
      // The same file decoded straight into VECTOR(16).
      FileRows vr;
      ParquetReadOptions opt;
      opt.vectors_from_lists = true;
      opt.columns = {"vec"};
      ASSERT_TRUE(ReadFile(path, &vr, opt).ok());
      ASSERT_EQ(vr.batches[0].columns[0].type(), LogicalType::Vector(16));
      for (size_t i = 0; i < vr.rows(); i += 37) {
        Value v = vr.Get(0, i);
        for (size_t j = 0; j < 16; j++) ASSERT_FLOAT_EQ(v.GetVector()[j], float(double(i) * 0.25 - double(j)));
      }
    }
    if (const Json* st = exp.Get("stats"); st && name == "data_index_bloom_encoding_stats.parquet") {
      auto s = fr.reader->LeafStatistics(0, 0);
      ASSERT_TRUE(s.min && s.max);
      EXPECT_EQ(s.min->GetString(), st->Get("min")->str);
      EXPECT_EQ(s.max->GetString(), st->Get("max")->str);
      EXPECT_EQ(*s.null_count, 0);
    }
    if (name == "int32_with_null_pages.parquet") {
      auto s = fr.reader->LeafStatistics(0, 0);
      EXPECT_EQ(*s.null_count, int64_t(exp.Get("null_count")->num));
      EXPECT_EQ(s.min->GetInt64(), int64_t(exp.Get("min")->num));
      EXPECT_EQ(s.max->GetInt64(), int64_t(exp.Get("max")->num));
    }
    if (const Json* ci = exp.Get("column_index")) {
      auto r = fr.reader->ReadColumnIndex(0, 0);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ASSERT_TRUE(r->has_value());
      const auto& index = **r;
      const Json* pages = ci->Get("pages");
      ASSERT_EQ(index.null_pages.size(), pages->items.size());
      std::string bo = ci->Get("boundary_order")->str;
      EXPECT_EQ(index.boundary_order, bo == "ASCENDING" ? 1 : bo == "DESCENDING" ? 2 : 0);
      for (size_t p = 0; p < pages->items.size(); p++) {
        const Json& pg = pages->items[p];
        EXPECT_EQ(index.null_counts[p], int64_t(pg.items[0].num));
        if (pg.items[1].kind == Json::kNull) {
          EXPECT_TRUE(index.null_pages[p]);
        } else if (pg.items[1].kind == Json::kNumber) {
          int32_t mn, mx;
          std::memcpy(&mn, index.min_values[p].data(), 4);
          std::memcpy(&mx, index.max_values[p].data(), 4);
          EXPECT_EQ(mn, int32_t(pg.items[1].num));
          EXPECT_EQ(mx, int32_t(pg.items[2].num));
        } else {
          auto hex = [](const std::string& s) {
            std::string h;
            char b[4];
            for (unsigned char c : s) {
              std::snprintf(b, sizeof(b), "%02X", c);
              h += b;
            }
            return h;
          };
          EXPECT_EQ(hex(index.min_values[p]), pg.items[1].str);
          EXPECT_EQ(hex(index.max_values[p]), pg.items[2].str);
        }
      }
      auto oi = fr.reader->ReadOffsetIndex(0, 0);
      ASSERT_TRUE(oi.ok() && oi->has_value());
      EXPECT_EQ((*oi)->page_locations.size(), pages->items.size());
    }
    // The DuckDB reference rows, where DuckDB agrees with upstream.
    std::string flat = name;
    for (auto& ch : flat)
      if (ch == '/') ch = '_';
    std::string jsonl_name = name;
    for (size_t p; (p = jsonl_name.find('/')) != std::string::npos;) jsonl_name.replace(p, 1, "__");
    std::string jsonl = ParquetDir() + "/expected/duckdb/" + jsonl_name + ".jsonl";
    if (parquet_test::FileExists(jsonl) && !exp.Get("duckdb_divergence")) {
      std::istringstream in(parquet_test::ReadText(jsonl));
      std::string line;
      size_t r = 0;
      int mismatches = 0;
      while (std::getline(in, line) && mismatches < 5) {
        Json row;
        ASSERT_TRUE(parquet_test::ParseJson(line, &row)) << jsonl << ":" << r;
        for (const auto& [col, j] : row.fields) {
          int c = fr.Col(col);
          if (c < 0) {
            ADD_FAILURE() << "column " << col << " missing";
            mismatches++;
            continue;
          }
          std::string why;
          Value v = fr.Get(size_t(c), r);
          if (!MatchValue(v, j, &why)) {
            ADD_FAILURE() << "row " << r << " column " << col << ": " << why;
            mismatches++;
          }
        }
        r++;
      }
      if (mismatches == 0) EXPECT_EQ(r, fr.rows());
    }
  }
}

// Reads every .parquet file under the folder (also ones EXPECTED.json does not list).
TEST_F(ParquetConformance, EveryFileInFolderReads) {
  std::function<void(const std::string&)> walk = [&](const std::string& dir) {
    DIR* d = opendir(dir.c_str());
    if (!d) return;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == ".." || n == "expected") continue;
      std::string p = dir + "/" + n;
      if (e->d_type == DT_DIR) {
        walk(p);
      } else if (n.size() > 8 && n.compare(n.size() - 8, 8, ".parquet") == 0 && n.find("large_string_map") == std::string::npos) {
        SCOPED_TRACE(p);
        FileRows fr;
        Status st = ReadFile(p, &fr);
        EXPECT_TRUE(st.ok()) << st.ToString();
        if (st.ok()) EXPECT_EQ(int64_t(fr.rows()), fr.reader->num_rows());
      }
    }
    closedir(d);
  };
  walk(ParquetDir());
}

// DuckDB's view of the schema: our top-level types must match where both have them.
TEST_F(ParquetConformance, TypesMatchDuckDB) {
  if (duckdb_.kind != Json::kObject) GTEST_SKIP() << "no DuckDB reference";
  for (const auto& [name, ref] : duckdb_.fields) {
    SCOPED_TRACE(name);
    const Json* schema = ref.Get("duckdb_schema");
    if (!schema || schema->items.empty()) continue;
    if (name.find("large_string_map") != std::string::npos) continue;
    auto reader = ParquetReader::Open(ParquetDir() + "/" + name);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const auto& names = (*reader)->column_names();
    const auto& types = (*reader)->column_types();
    for (size_t k = 0; k < schema->items.size(); k++) {
      size_t i = std::find(names.begin(), names.end(), schema->items[k].Get("name")->str) - names.begin();
      ASSERT_LT(i, names.size()) << schema->items[k].Get("name")->str;
      std::string dt = schema->items[k].Get("duckdb_type")->str;
      std::string ours = types[i].ToString();
      // Spelling differences that are not type differences.
      auto norm = [](std::string s) {
        std::string o;
        for (char c : s)
          if (c != '"' && c != ' ') o.push_back(c);
        return o;
      };
      if (dt.rfind("STRUCT", 0) == 0 || dt.find("MAP") != std::string::npos) continue;  // spelled differently
      EXPECT_EQ(norm(ours), norm(dt)) << names[i];
    }
  }
}

// Malformed files: no crash, hang or out-of-bounds read; refused unless EXPECTED.json allows reading.
TEST(ParquetBadFiles, RefusedCleanly) {
  std::string exp_path = BadDir() + "/EXPECTED.json";
  if (!parquet_test::FileExists(exp_path))
    GTEST_SKIP() << "malformed Parquet data not found at " << BadDir() << " (set ALOPEX_TESTDATA)";
  Json exp;
  ASSERT_TRUE(parquet_test::ParseJson(parquet_test::ReadText(exp_path), &exp));
  for (const auto& [name, e] : exp.Get("files")->fields) {
    SCOPED_TRACE(name);
    std::string expect = e.Get("expect")->str;
    FileRows fr;
    Status st = ReadFile(BadDir() + "/" + name, &fr);
    bool may_succeed = expect.rfind("error", 0) != 0;
    std::cout << "  " << name << ": " << (st.ok() ? "read " + std::to_string(fr.rows()) + " rows" : st.ToString())
              << "\n";
    if (!may_succeed) {
      EXPECT_FALSE(st.ok()) << "expected an error for " << name;
    }
    if (!st.ok()) {
      EXPECT_NE(st.message().find(name), std::string::npos) << "error should name the file: " << st.ToString();
      EXPECT_TRUE(st.code() == StatusCode::kCorruption || st.code() == StatusCode::kNotImplemented ||
                  st.code() == StatusCode::kOutOfRange)
          << st.ToString();
    }
    if (name == "nation.dict-malformed.parquet" && st.ok()) {
      EXPECT_EQ(fr.rows(), 25u);
      EXPECT_EQ(fr.Get(0, 0).GetInt64(), 0);
      EXPECT_EQ(fr.Get(1, 0).GetString(), "ALGERIA");
    }
  }
}

// Truncations of a valid file at every length fail with a Corruption naming the file.
TEST(ParquetBadFiles, TruncatedFilesAreRefused) {
  std::string src = ParquetDir() + "/alltypes_plain.parquet";
  if (!parquet_test::FileExists(src)) GTEST_SKIP() << "conformance data not found";
  std::string bytes = parquet_test::ReadText(src);
  std::string tmp = ::testing::TempDir() + "/alopex_truncated.parquet";
  for (size_t len : {size_t(0), size_t(3), size_t(11), size_t(12), bytes.size() / 2, bytes.size() - 1}) {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), std::streamsize(len));
    }
    FileRows fr;
    Status st = ReadFile(tmp, &fr);
    EXPECT_FALSE(st.ok()) << len;
    EXPECT_NE(st.message().find("alopex_truncated.parquet"), std::string::npos) << st.ToString();
  }
}

// Every single-byte corruption of a small file: never crashes.
TEST(ParquetBadFiles, ByteFlipsNeverCrash) {
  std::string src = ParquetDir() + "/alltypes_dictionary.parquet";
  if (!parquet_test::FileExists(src)) GTEST_SKIP() << "conformance data not found";
  std::string bytes = parquet_test::ReadText(src);
  std::string tmp = ::testing::TempDir() + "/alopex_flipped.parquet";
  for (size_t i = 0; i < bytes.size(); i += 1) {
    std::string b = bytes;
    b[i] = char(b[i] ^ (i % 2 ? 0xff : 0x41));
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(b.data(), std::streamsize(b.size()));
    }
    FileRows fr;
    (void)ReadFile(tmp, &fr);
  }
}

}  // namespace
}  // namespace alopex
