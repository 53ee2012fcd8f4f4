// Row tracking (PROTOCOL.md "Row Tracking"): the materialized column names a
// new table records, the row_id / row_commit_version / file_index columns a
// scan adds, and rewrites that keep row ids through the materialized columns.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/parquet_writer.h"
#include "storage/delta/deletion_vector.h"
#include "storage/delta/delta_log.h"
#include "storage/delta/delta_scan.h"
#include "storage/delta/delta_test_util.h"

namespace alopex {
namespace {

using delta_test::Append;
using delta_test::AsActions;
using delta_test::IdNameBatch;
using delta_test::kNames;
using delta_test::kTypes;
using delta_test::One;
using delta_test::ScratchDir;

const StringMap kRowTracking = {{"delta.enableRowTracking", "true"}};



std::shared_ptr<const DeltaSnapshot> Latest(DeltaTable& t) {
  auto snap = t.Snapshot();
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  return std::make_shared<const DeltaSnapshot>(std::move(*snap));
}

struct TrackedRow {
  std::string name;
  int64_t row_id = -1;
  int64_t version = -1;
};

// id -> (name, row_id, row_commit_version) of every row the scan returns.
std::map<int64_t, TrackedRow> ScanTracked(std::shared_ptr<const DeltaSnapshot> snap,
                                          const std::vector<ColumnPredicate>& predicates = {}) {
  std::map<int64_t, TrackedRow> out;
  ScanMetadataColumns extra;
  extra.row_id = true;
  extra.row_commit_version = true;
  auto scan = DeltaFileScan::Make(snap, {"id", "name"}, predicates, nullptr, extra);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return out;
  for (size_t i = 0; i < scan->num_files(); i++) {
    Status st = scan->ReadFile(i, [&](Batch&& b) {
      EXPECT_EQ(b.num_columns(), 4u);
      EXPECT_EQ(b.columns[2].type(), LogicalType(TypeId::kBigInt));
      EXPECT_EQ(b.columns[3].type(), LogicalType(TypeId::kBigInt));
      for (size_t r = 0; r < b.num_rows; r++) {
        int64_t id = b.columns[0].data<int64_t>()[r];
        EXPECT_FALSE(out.count(id)) << "row " << id << " read twice";
        out[id] = {std::string(b.columns[1].GetStringView(r)), b.columns[2].data<int64_t>()[r],
                   b.columns[3].data<int64_t>()[r]};
      }
      return Status::OK();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  return out;
}

// The commitInfo tags of `version`, as JSON text ("" when it has none).
std::string CommitTags(DeltaTable& t, int64_t version) {
  char name[64];
  std::snprintf(name, sizeof(name), "/_delta_log/%020lld.json", static_cast<long long>(version));
  auto text = t.fs()->ReadAll(t.path() + name);
  EXPECT_TRUE(text.ok());
  auto actions = ParseActions(*text, name);
  EXPECT_TRUE(actions.ok());
  for (const auto& a : *actions)
    if (const auto* ci = std::get_if<CommitInfo>(&a))
      if (const JsonNode* tags = ci->extra.Find("tags")) return tags->Serialize();
  return "";
}

TEST(RowTrackingTest, CreateRecordsTheMaterializedColumnNames) {
  ScratchDir dir;
  auto table = DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {}, kRowTracking);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto snap = Latest(**table);
  EXPECT_TRUE(TracksRowIds(*snap));
  const StringMap& config = snap->configuration();
  const std::string id_key = "delta.rowTracking.materializedRowIdColumnName";
  const std::string version_key = "delta.rowTracking.materializedRowCommitVersionColumnName";
  ASSERT_TRUE(config.count(id_key));
  ASSERT_TRUE(config.count(version_key));
  EXPECT_EQ(config.at(id_key).rfind("_row-id-col-", 0), 0u) << config.at(id_key);
  EXPECT_EQ(config.at(id_key).size(), std::string("_row-id-col-").size() + 36);
  EXPECT_EQ(config.at(version_key).rfind("_row-commit-version-col-", 0), 0u) << config.at(version_key);
  auto names = MaterializedRowTrackingColumns(config);
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(names->row_id, config.at(id_key));
  EXPECT_EQ(names->row_commit_version, config.at(version_key));
  // The hidden columns are not in the schema.
  EXPECT_EQ(snap->schema.names(), kNames);

  // Names given by the caller are kept; two tables get different fresh names.
  StringMap given = kRowTracking;
  given[id_key] = "my_row_id";
  auto other = DeltaTable::Create(dir.Sub("u"), kNames, kTypes, {}, given);
  ASSERT_TRUE(other.ok());
  auto other_names = MaterializedRowTrackingColumns(Latest(**other)->configuration());
  ASSERT_TRUE(other_names.has_value());
  EXPECT_EQ(other_names->row_id, "my_row_id");
  EXPECT_NE(other_names->row_commit_version, names->row_commit_version);

  // Without row tracking: no names, no ids.
  auto plain = DeltaTable::Create(dir.Sub("plain"), kNames, kTypes, {});
  ASSERT_TRUE(plain.ok());
  auto plain_snap = Latest(**plain);
  EXPECT_FALSE(TracksRowIds(*plain_snap));
  EXPECT_FALSE(MaterializedRowTrackingColumns(plain_snap->configuration()).has_value());

  // Suspended row tracking assigns no ids.
  StringMap suspended = snap->configuration();
  suspended["delta.rowTrackingSuspended"] = "TRUE";
  EXPECT_FALSE(TracksRowIds(snap->protocol, suspended));
  suspended["delta.rowTrackingSuspended"] = "false";
  EXPECT_TRUE(TracksRowIds(snap->protocol, suspended));

  // Ensure fills in only what is missing.
  StringMap partial = {{id_key, "kept"}};
  RowTrackingColumns ensured = EnsureMaterializedRowTrackingColumns(&partial);
  EXPECT_EQ(ensured.row_id, "kept");
  EXPECT_EQ(partial.at(version_key), ensured.row_commit_version);
  EXPECT_EQ(ensured.row_commit_version.rfind("_row-commit-version-col-", 0), 0u);
}

TEST(RowTrackingTest, ScanReturnsBaseRowIdPlusIndexAndTheCommitVersion) {
  ScratchDir dir;
  auto table = DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {}, kRowTracking);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(Append(**table, 100, 10), 1);
  ASSERT_EQ(Append(**table, 200, 5), 2);
  auto rows = ScanTracked(Latest(**table));
  ASSERT_EQ(rows.size(), 15u);
  for (int64_t i = 0; i < 10; i++) {
    EXPECT_EQ(rows[100 + i].row_id, i) << "id " << 100 + i;
    EXPECT_EQ(rows[100 + i].version, 1);
  }
  for (int64_t i = 0; i < 5; i++) {
    EXPECT_EQ(rows[200 + i].row_id, 10 + i) << "id " << 200 + i;
    EXPECT_EQ(rows[200 + i].version, 2);
  }
}

TEST(RowTrackingTest, RowIdsCountSkippedRowGroupsAndDeletedRows) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {}, kRowTracking);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(Append(**table, 100000, 10), 1);  // row ids 0..9

  // One file of five 1000-row groups, ids 0..4999 in order.
  ParquetWriteOptions pw;
  pw.row_group_size = 1000;
  const std::string relative = "part-00000-row-groups.snappy.parquet";
  auto writer = ParquetWriter::Open(uri + "/" + relative, kNames, kTypes, pw);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(IdNameBatch(0, 5000)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  auto reader = ParquetReader::Open(uri + "/" + relative);
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ((*reader)->num_row_groups(), 5);
  AddFile add;
  add.path = relative;
  add.size = int64_t((*writer)->bytes_written());
  add.modification_time = DeltaNowMillis();
  add.data_change = true;
  add.stats = "{\"numRecords\":5000}";
  ASSERT_EQ(*(*table)->Commit({add}, 1), 2);  // row ids 10..5009

  ColumnPredicate high;
  high.column = "id";
  high.op = ColumnPredicate::Op::kGe;
  high.value = Value::BigInt(3500);
  auto expect_rows = [&](const std::map<int64_t, TrackedRow>& rows, const std::set<int64_t>& deleted) {
    for (const auto& [id, row] : rows) {
      if (id >= 100000) continue;
      EXPECT_FALSE(deleted.count(id)) << "deleted row " << id << " was returned";
      EXPECT_EQ(row.row_id, id + 10) << "id " << id;
      EXPECT_EQ(row.version, 2) << "id " << id;
    }
  };

  // The predicate skips the first three row groups; the ids still count them.
  auto skipped = ScanTracked(Latest(**table), {high});
  EXPECT_EQ(skipped.size(), 10u + 2000u);
  EXPECT_FALSE(skipped.count(2999));
  EXPECT_TRUE(skipped.count(3000));
  expect_rows(skipped, {});

  // A deletion vector drops rows; the survivors keep their ids.
  auto snap = Latest(**table);
  const AddFile* file = nullptr;
  for (const auto& f : snap->files)
    if (f.path == relative) file = &f;
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(file->base_row_id, 10);
  const std::set<int64_t> deleted = {0, 1, 2047, 3001, 3002, 4999};
  AddFile with_dv = *file;
  with_dv.deletion_vector = MakeInlineDeletionVector({deleted.begin(), deleted.end()});
  ASSERT_EQ(*(*table)->Commit({with_dv, RemoveFile::For(*file, DeltaNowMillis())}, 2), 3);
  // Removes without row_ids_preserved: no preserved tag.
  EXPECT_EQ(CommitTags(**table, 3), "");

  auto all = ScanTracked(Latest(**table));
  EXPECT_EQ(all.size(), 10u + 5000u - deleted.size());
  expect_rows(all, deleted);
  EXPECT_EQ(all[3].row_id, 13);
  EXPECT_EQ(all[3000].row_id, 3010);
  EXPECT_EQ(all[3003].row_id, 3013);
  auto pruned = ScanTracked(Latest(**table), {high});
  EXPECT_EQ(pruned.size(), 10u + 2000u - 3u);
  expect_rows(pruned, deleted);
  EXPECT_EQ(pruned[4998].row_id, 5008);
}

TEST(RowTrackingTest, RewriteWithMaterializedIdsKeepsThem) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {}, kRowTracking);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(Append(**table, 0, 10), 1);  // row ids 0..9
  ASSERT_EQ(Append(**table, 10, 5), 2);  // row ids 10..14
  auto before = Latest(**table);
  auto before_rows = ScanTracked(before);
  ASSERT_EQ(before_rows.size(), 15u);

  // Rewrite the file holding ids 0..9: rows 3 and 7 change (NULL id and
  // version: they get fresh ones), the rest keep theirs, written in reverse.
  const AddFile* old_file = nullptr;
  for (const auto& f : before->files)
    if (f.default_row_commit_version == 1) old_file = &f;
  ASSERT_NE(old_file, nullptr);
  auto names = MaterializedRowTrackingColumns(before->configuration());
  ASSERT_TRUE(names.has_value());
  auto writer = DeltaDataWriter::Open(*before, int64_t(128) << 20, nullptr, "", names);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  // A batch without the two extra columns is refused.
  EXPECT_FALSE((*writer)->Write(IdNameBatch(0, 1)).ok());
  Batch b({TypeId::kBigInt, TypeId::kVarchar, TypeId::kBigInt, TypeId::kBigInt});
  b.SetRows(10);
  for (size_t k = 0; k < 10; k++) {
    int64_t id = 9 - int64_t(k);
    bool changed = id == 3 || id == 7;
    b.columns[0].data<int64_t>()[k] = id;
    b.columns[1].SetString(k, (changed ? "new-" : "name-") + std::to_string(id));
    if (changed) {
      b.columns[2].SetNull(k);
      b.columns[3].SetNull(k);
    } else {
      b.columns[2].data<int64_t>()[k] = before_rows[id].row_id;
      b.columns[3].data<int64_t>()[k] = before_rows[id].version;
    }
  }
  ASSERT_TRUE((*writer)->Write(b).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 1u);

  // The hidden columns are in the file, not in the stats.
  auto reader = ParquetReader::Open(ResolveDataFilePath(uri, (*adds)[0].path));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->column_names(),
            (std::vector<std::string>{"id", "name", names->row_id, names->row_commit_version}));
  auto stats = JsonNode::Parse(*(*adds)[0].stats);
  ASSERT_TRUE(stats.ok());
  for (const char* key : {"minValues", "maxValues", "nullCount"}) {
    const JsonNode* section = stats->Find(key);
    ASSERT_NE(section, nullptr) << key;
    std::vector<std::string> keys;
    for (const auto& [k, v] : section->members()) keys.push_back(k);
    EXPECT_EQ(keys, kNames) << key;
  }

  CommitOptions options;
  options.operation = "UPDATE";
  options.row_ids_preserved = true;
  auto v = (*table)->Commit({(*adds)[0], RemoveFile::For(*old_file, DeltaNowMillis())}, before->version, options);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(*v, 3);
  EXPECT_EQ(CommitTags(**table, 3), "{\"delta.rowTracking.preserved\":\"true\"}");

  auto after = Latest(**table);
  EXPECT_EQ(after->schema.names(), kNames);
  const AddFile* new_file = nullptr;
  for (const auto& f : after->files)
    if (f.default_row_commit_version == 3) new_file = &f;
  ASSERT_NE(new_file, nullptr);
  // A fresh base above the old high-water mark (14), as the protocol wants.
  EXPECT_EQ(new_file->base_row_id, 15);
  EXPECT_EQ(after->domains.at("delta.rowTracking").configuration, "{\"rowIdHighWaterMark\":24}");

  auto rows = ScanTracked(after);
  ASSERT_EQ(rows.size(), 15u);
  for (int64_t id = 0; id < 15; id++) {
    if (id == 3 || id == 7) continue;
    EXPECT_EQ(rows[id].row_id, before_rows[id].row_id) << "id " << id;
    EXPECT_EQ(rows[id].version, before_rows[id].version) << "id " << id;
  }
  // Changed rows: base 15 + their place in the new file (id 7 at 2, id 3 at 6).
  EXPECT_EQ(rows[7].row_id, 17);
  EXPECT_EQ(rows[3].row_id, 21);
  EXPECT_EQ(rows[7].version, 3);
  EXPECT_EQ(rows[3].version, 3);
  EXPECT_EQ(rows[3].name, "new-3");

  // A scan without extras does not show the hidden columns.
  ASSERT_TRUE(ScanSnapshot(*after, {}, [&](Batch&& out) {
                EXPECT_EQ(out.num_columns(), 2u);
                return Status::OK();
              }).ok());
}

TEST(RowTrackingTest, PartitionedWriterStoresMaterializedColumns) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  std::vector<std::string> names = {"id", "p"};
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kVarchar};
  auto table = DeltaTable::Create(uri, names, types, {"p"}, kRowTracking);
  ASSERT_TRUE(table.ok());
  auto snap = Latest(**table);
  auto columns = MaterializedRowTrackingColumns(snap->configuration());
  ASSERT_TRUE(columns.has_value());
  auto writer = DeltaDataWriter::Open(*snap, int64_t(128) << 20, nullptr, "", columns);
  ASSERT_TRUE(writer.ok());
  // ids 0..7, p = a (even) or b (odd); ids < 4 carry ids 1000 + id; versions
  // arrive as INTEGER (cast to BIGINT) and only id 0 has one.
  Batch b({TypeId::kBigInt, TypeId::kVarchar, TypeId::kBigInt, TypeId::kInteger});
  b.SetRows(8);
  for (size_t r = 0; r < 8; r++) {
    b.columns[0].data<int64_t>()[r] = int64_t(r);
    b.columns[1].SetString(r, r % 2 ? "b" : "a");
    if (r < 4)
      b.columns[2].data<int64_t>()[r] = 1000 + int64_t(r);
    else
      b.columns[2].SetNull(r);
    if (r == 0)
      b.columns[3].data<int32_t>()[r] = 42;
    else
      b.columns[3].SetNull(r);
  }
  ASSERT_TRUE((*writer)->Write(b).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 2u);
  for (const auto& add : *adds) {
    auto reader = ParquetReader::Open(ResolveDataFilePath(uri, add.path));
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->column_names(),
              (std::vector<std::string>{"id", columns->row_id, columns->row_commit_version}));
  }
  ASSERT_EQ(*(*table)->Commit(AsActions(*adds), 0), 1);

  auto after = Latest(**table);
  std::map<std::string, int64_t> base;  // partition value -> baseRowId
  for (const auto& f : after->files) base[*f.partition_values.at("p")] = *f.base_row_id;
  ASSERT_EQ(base.size(), 2u);
  std::map<int64_t, std::pair<int64_t, int64_t>> got;  // id -> (row id, version)
  ScanMetadataColumns extra;
  extra.row_id = true;
  extra.row_commit_version = true;
  auto scan = DeltaFileScan::Make(after, {"id"}, {}, nullptr, extra);
  ASSERT_TRUE(scan.ok());
  for (size_t i = 0; i < scan->num_files(); i++)
    ASSERT_TRUE(scan->ReadFile(i,
                               [&](Batch&& out) {
                                 EXPECT_EQ(out.num_columns(), 3u);
                                 for (size_t r = 0; r < out.num_rows; r++)
                                   got[out.columns[0].data<int64_t>()[r]] = {out.columns[1].data<int64_t>()[r],
                                                                             out.columns[2].data<int64_t>()[r]};
                                 return Status::OK();
                               })
                    .ok());
  ASSERT_EQ(got.size(), 8u);
  for (int64_t id = 0; id < 4; id++) EXPECT_EQ(got[id].first, 1000 + id);
  // Each partition's file holds its rows in batch order: ids 4, 6 at 2, 3 of a.
  EXPECT_EQ(got[4].first, base["a"] + 2);
  EXPECT_EQ(got[6].first, base["a"] + 3);
  EXPECT_EQ(got[5].first, base["b"] + 2);
  EXPECT_EQ(got[7].first, base["b"] + 3);
  EXPECT_EQ(got[0].second, 42);
  for (int64_t id = 1; id < 8; id++) EXPECT_EQ(got[id].second, 1) << "id " << id;
}

TEST(RowTrackingTest, FileIndexIsThePositionInTheSnapshot) {
  ScratchDir dir;
  auto table = DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  for (int i = 0; i < 3; i++) Append(**table, i * 100, 10);
  auto snap = Latest(**table);
  ASSERT_EQ(snap->files.size(), 3u);
  // The id range of each add, from its stats.
  auto range_of = [&](size_t i) {
    auto stats = JsonNode::Parse(*snap->files[i].stats);
    EXPECT_TRUE(stats.ok());
    return std::make_pair(*stats->Find("minValues")->GetInt("id"), *stats->Find("maxValues")->GetInt("id"));
  };

  // Skip the file holding ids 0..9, so scan positions differ from snapshot ones.
  ColumnPredicate p;
  p.column = "id";
  p.op = ColumnPredicate::Op::kGe;
  p.value = Value::BigInt(100);
  ScanMetadataColumns extra;
  extra.file_index = true;
  // No columns: every schema column, then the file index.
  auto scan = DeltaFileScan::Make(snap, {}, {p}, nullptr, extra);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->num_files(), 2u);
  size_t rows = 0;
  std::set<int32_t> seen;
  for (size_t i = 0; i < scan->num_files(); i++) {
    ASSERT_TRUE(scan->ReadFile(i,
                               [&](Batch&& b) {
                                 EXPECT_EQ(b.num_columns(), 3u);
                                 EXPECT_EQ(b.columns[2].type(), LogicalType(TypeId::kInteger));
                                 for (size_t r = 0; r < b.num_rows; r++) {
                                   int32_t fi = b.columns[2].data<int32_t>()[r];
                                   int64_t id = b.columns[0].data<int64_t>()[r];
                                   EXPECT_GE(fi, 0);
                                   EXPECT_LT(size_t(fi), snap->files.size());
                                   if (fi < 0 || size_t(fi) >= snap->files.size()) continue;
                                   auto [lo, hi] = range_of(size_t(fi));
                                   EXPECT_TRUE(id >= lo && id <= hi) << "id " << id << " in file " << fi;
                                   seen.insert(fi);
                                   rows++;
                                 }
                                 return Status::OK();
                               })
                    .ok());
  }
  EXPECT_EQ(rows, 20u);
  EXPECT_EQ(seen.size(), 2u);
}

TEST(RowTrackingTest, RowIdsOfATableWithoutRowTrackingAreRefused) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Append(**table, 0, 10);
  auto snap = Latest(**table);
  for (int which = 0; which < 2; which++) {
    ScanMetadataColumns extra;
    (which ? extra.row_commit_version : extra.row_id) = true;
    auto scan = DeltaFileScan::Make(snap, {"id"}, {}, nullptr, extra);
    ASSERT_FALSE(scan.ok());
    EXPECT_EQ(scan.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(scan.status().message().find(uri), std::string::npos) << scan.status().ToString();
    EXPECT_NE(scan.status().message().find("does not track row ids"), std::string::npos);
    EXPECT_NE(scan.status().message().find("delta.enableRowTracking"), std::string::npos);
  }
}

// The hidden columns cannot take a table column's name, or none.
TEST(RowTrackingTest, WriterRefusesRowTrackingNamesThatClash) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {}, kRowTracking);
  ASSERT_TRUE(table.ok());
  auto snap = Latest(**table);
  for (const RowTrackingColumns& names : {RowTrackingColumns{"name", "_v"}, RowTrackingColumns{"_id", ""}}) {
    auto writer = DeltaDataWriter::Open(*snap, int64_t(128) << 20, nullptr, "", names);
    ASSERT_FALSE(writer.ok()) << names.row_id << "/" << names.row_commit_version;
    EXPECT_EQ(writer.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(writer.status().message().find(uri), std::string::npos) << writer.status().ToString();
    EXPECT_NE(writer.status().message().find("row-tracking column name '" +
                                             (names.row_id == "name" ? std::string("name") : std::string()) + "'"),
              std::string::npos)
        << writer.status().ToString();
  }
}

TEST(RowTrackingTest, FilesWithoutBaseRowIdAreRefused) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(Append(**table, 0, 10), 1);  // before row tracking: no baseRowId
  // The feature turned on later, without a backfill of the old file.
  Protocol p;
  p.min_reader_version = 1;
  p.min_writer_version = 7;
  p.writer_features = std::vector<std::string>{"domainMetadata", "rowTracking"};
  ASSERT_TRUE((*table)->Commit({p}, 1).ok());
  ASSERT_EQ(Append(**table, 10, 5), 3);
  auto snap = Latest(**table);
  ASSERT_TRUE(TracksRowIds(*snap));
  for (int which = 0; which < 2; which++) {
    ScanMetadataColumns extra;
    (which ? extra.row_commit_version : extra.row_id) = true;
    auto scan = DeltaFileScan::Make(snap, {"id"}, {}, nullptr, extra);
    ASSERT_TRUE(scan.ok()) << scan.status().ToString();
    ASSERT_EQ(scan->num_files(), 2u);
    int refused = 0;
    for (size_t i = 0; i < scan->num_files(); i++) {
      const AddFile& add = scan->file(i);
      size_t rows = 0;
      Status st = scan->ReadFile(i, [&](Batch&& b) {
        rows += b.num_rows;
        return Status::OK();
      });
      if (add.base_row_id) {
        EXPECT_TRUE(st.ok()) << st.ToString();
        EXPECT_EQ(rows, 5u);
        continue;
      }
      refused++;
      ASSERT_FALSE(st.ok());
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(rows, 0u);
      EXPECT_NE(st.message().find(ResolveDataFilePath(uri, add.path)), std::string::npos) << st.ToString();
      EXPECT_NE(st.message().find(which ? "defaultRowCommitVersion" : "baseRowId"), std::string::npos) << st.ToString();
    }
    EXPECT_EQ(refused, 1);
  }
}

}  // namespace
}  // namespace alopex
