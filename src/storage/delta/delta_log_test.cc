#include "storage/delta/delta_log.h"

#include <gtest/gtest.h>

#include <sys/time.h>

#include <atomic>
#include <set>
#include <thread>

#include "storage/delta/deletion_vector.h"
#include "storage/delta/delta_checkpoint.h"
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


// Rows of a snapshot as sorted "id:name" strings.
std::vector<std::string> ReadRows(const DeltaSnapshot& snap) {
  std::vector<std::string> rows;
  Status st = ScanSnapshot(snap, {"id", "name"}, [&](Batch&& b) {
    for (size_t r = 0; r < b.num_rows; r++)
      rows.push_back(std::to_string(b.columns[0].data<int64_t>()[r]) + ":" +
                     (b.columns[1].IsNull(r) ? "NULL" : std::string(b.columns[1].GetStringView(r))));
    return Status::OK();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::sort(rows.begin(), rows.end());
  return rows;
}



TEST(DeltaLogTest, CreateAppendSnapshotEveryVersionCheckpointReopen) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {}, {{"delta.checkpointInterval", "5"}});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  for (int i = 0; i < 12; i++) EXPECT_EQ(Append(**table, i * 10, 10), i + 1);

  // Version 5 and 10 got automatic checkpoints.
  auto fs = (*table)->fs();
  EXPECT_TRUE(fs->Exists(uri + "/_delta_log/00000000000000000005.checkpoint.parquet"));
  EXPECT_TRUE(fs->Exists(uri + "/_delta_log/00000000000000000010.checkpoint.parquet"));
  auto last = fs->ReadAll(uri + "/_delta_log/_last_checkpoint");
  ASSERT_TRUE(last.ok());
  EXPECT_NE(last->find("\"version\":10"), std::string::npos) << *last;

  auto reopened = DeltaTable::Open(uri);
  ASSERT_TRUE(reopened.ok());
  for (int64_t v = 0; v <= 12; v++) {
    auto snap = (*reopened)->Snapshot(v);
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ(snap->version, v);
    EXPECT_EQ(snap->files.size(), size_t(v));
    EXPECT_EQ(ReadRows(*snap).size(), size_t(v * 10));
    EXPECT_EQ(snap->NumRecords(), v * 10);
    EXPECT_EQ(snap->checkpoint_version, v >= 10 ? 10 : (v >= 5 ? 5 : -1));
  }
  // The checkpoint alone rebuilds the state: remove the JSON commits it covers.
  for (int v = 0; v <= 10; v++) {
    char name[64];
    std::snprintf(name, sizeof(name), "/_delta_log/%020d.json", v);
    ASSERT_TRUE(fs->Delete(uri + name).ok());
  }
  auto fresh = DeltaTable::Open(uri);
  ASSERT_TRUE(fresh.ok());
  auto snap = (*fresh)->Snapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->version, 12);
  auto rows = ReadRows(*snap);
  ASSERT_EQ(rows.size(), 120u);
  EXPECT_EQ(snap->schema.names(), kNames);
  // Versions before the checkpoint are gone.
  EXPECT_FALSE((*fresh)->Snapshot(3).ok());
}

TEST(DeltaLogTest, CreateTwiceIsAlreadyExists) {
  ScratchDir dir;
  ASSERT_TRUE(DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {}).ok());
  auto again = DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(DeltaTable::Open(dir.Sub("missing")).ok());
}

TEST(DeltaLogTest, ConcurrentBlindAppendsAllLandExactlyOnce) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  ASSERT_TRUE(DeltaTable::Create(uri, kNames, kTypes, {}).ok());
  constexpr int kThreads = 4, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      auto table = DeltaTable::Open(uri);
      if (!table.ok()) {
        failures++;
        return;
      }
      for (int i = 0; i < kPerThread; i++) {
        int64_t id = t * 1000 + i;
        auto adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(id, 1)));
        if (!adds.ok()) {
          failures++;
          continue;
        }
        // Everyone reads version 0: all but one attempt per version lose the race.
        CommitOptions o;
        o.auto_checkpoint = (i % 7 == 0);
        auto v = (*table)->Commit(AsActions(*adds), 0, o);
        if (!v.ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto table = DeltaTable::Open(uri);
  ASSERT_TRUE(table.ok());
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->version, kThreads * kPerThread);
  // Versions 0..200 contiguous, each commit once.
  auto fs = (*table)->fs();
  for (int v = 0; v <= kThreads * kPerThread; v++) {
    char name[64];
    std::snprintf(name, sizeof(name), "/_delta_log/%020d.json", v);
    EXPECT_TRUE(fs->Exists(uri + name)) << v;
  }
  auto rows = ReadRows(*snap);
  ASSERT_EQ(rows.size(), size_t(kThreads * kPerThread));
  std::set<std::string> distinct(rows.begin(), rows.end());
  EXPECT_EQ(distinct.size(), rows.size());
}

TEST(DeltaLogTest, ConcurrentDeletesOfTheSameFileConflict) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Append(**table, 0, 10);
  auto snap = (*table)->Snapshot(1);
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->files.size(), 1u);
  RemoveFile rm = RemoveFile::For(snap->files[0], DeltaNowMillis());
  CommitOptions del;
  del.operation = "DELETE";
  auto first = (*table)->Commit({rm}, 1, del);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = (*table)->Commit({rm}, 1, del);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_NE(second.status().message().find("ConcurrentDeleteDelete"), std::string::npos) << second.status().message();
  EXPECT_NE(second.status().message().find(uri), std::string::npos);
  EXPECT_NE(second.status().message().find("00000000000000000002.json"), std::string::npos);
}

TEST(DeltaLogTest, ConflictRules) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Append(**table, 0, 10);  // v1
  Append(**table, 10, 10);  // v2
  auto snap1 = (*table)->Snapshot(1);
  ASSERT_TRUE(snap1.ok());

  // A blind append read at v1 does not conflict with the append at v2.
  auto adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(100, 1)));
  ASSERT_TRUE(adds.ok());
  auto v = (*table)->Commit(AsActions(*adds), 1);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 3);

  // A transaction that read the whole table at v1 conflicts with those appends.
  CommitOptions whole;
  whole.read_scope = ReadScope::kWholeTable;
  adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(200, 1)));
  auto c = (*table)->Commit(AsActions(*adds), 1, whole);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("ConcurrentAppend"), std::string::npos);
  // ... unless it runs WriteSerializable and the winners were blind appends.
  whole.isolation_level = "WriteSerializable";
  c = (*table)->Commit(AsActions(*adds), 1, whole);
  EXPECT_TRUE(c.ok()) << c.status().ToString();

  // Deleting a file that a concurrent commit removed conflicts (read of that file).
  auto now = (*table)->Snapshot();
  ASSERT_TRUE(now.ok());
  RemoveFile rm = RemoveFile::For(now->files[0], DeltaNowMillis());
  ASSERT_TRUE((*table)->Commit({rm}, now->version).ok());
  CommitOptions reads;
  reads.read_files = {now->files[0].path};
  adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(300, 1)));
  c = (*table)->Commit(AsActions(*adds), now->version, reads);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("ConcurrentDeleteRead"), std::string::npos) << c.status().message();

  // A metadata change conflicts with everything after the read version.
  auto latest = (*table)->Snapshot();
  ASSERT_TRUE(latest.ok());
  Metadata md = latest->metadata;
  md.configuration["delta.checkpointInterval"] = "3";
  ASSERT_TRUE((*table)->Commit({md}, latest->version).ok());
  adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(400, 1)));
  c = (*table)->Commit(AsActions(*adds), latest->version);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("MetadataChanged"), std::string::npos);

  // Same app id txn from two writers.
  latest = (*table)->Snapshot();
  ASSERT_TRUE((*table)->Commit({Txn{"job", 1, DeltaNowMillis()}}, latest->version).ok());
  c = (*table)->Commit({Txn{"job", 2, DeltaNowMillis()}}, latest->version);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("'job'"), std::string::npos);
  auto after = (*table)->Snapshot();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->TxnVersion("job"), 1);
}

TEST(DeltaLogTest, InvalidCommitsAreRefused) {
  ScratchDir dir;
  auto table = DeltaTable::Create(dir.Sub("t"), kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Metadata m;
  m.id = "x";
  auto c = (*table)->Commit({m, m}, 0);
  EXPECT_FALSE(c.ok());
  CommitInfo ci;
  c = (*table)->Commit({ci}, 0);
  EXPECT_FALSE(c.ok());
  EXPECT_FALSE((*table)->Commit({}, 7).ok());  // version 7 does not exist
}

// Every line Alopex writes carries the fields PROTOCOL.md marks required.
TEST(DeltaLogTest, WrittenActionsHaveTheRequiredFields) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, {"id", "name", "p"}, {TypeId::kBigInt, TypeId::kVarchar, TypeId::kInteger},
                                  {"p"});
  ASSERT_TRUE(table.ok());
  Batch b({LogicalType(TypeId::kBigInt), LogicalType(TypeId::kVarchar), LogicalType(TypeId::kInteger)});
  b.SetRows(4);
  for (int i = 0; i < 4; i++) {
    b.columns[0].data<int64_t>()[i] = i;
    b.columns[1].SetString(size_t(i), "n");
    b.columns[2].data<int32_t>()[i] = i % 2;
  }
  b.columns[2].SetNull(3);
  auto adds = WriteDataFiles(uri, {"id", "name", "p"}, {TypeId::kBigInt, TypeId::kVarchar, TypeId::kInteger}, {"p"},
                             One(std::move(b)));
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  EXPECT_EQ(adds->size(), 3u);  // p=0, p=1, p=NULL
  auto v = (*table)->Commit(AsActions(*adds), 0);
  ASSERT_TRUE(v.ok());
  const AddFile* p0 = nullptr;
  for (const auto& a : *adds)
    if (a.partition_values.at("p") == "0") p0 = &a;
  ASSERT_NE(p0, nullptr);
  EXPECT_EQ(p0->path.substr(0, 4), "p=0/");
  ASSERT_TRUE((*table)->Commit({RemoveFile::For(*p0, DeltaNowMillis()), Txn{"app", 3, 5}}, 1).ok());

  const std::map<std::string, std::vector<std::string>> required = {
      {"protocol", {"minReaderVersion", "minWriterVersion"}},
      {"metaData", {"id", "format", "schemaString", "partitionColumns", "configuration"}},
      {"add", {"path", "partitionValues", "size", "modificationTime", "dataChange", "stats"}},
      {"remove", {"path", "dataChange", "deletionTimestamp"}},
      {"txn", {"appId", "version"}},
      {"commitInfo", {"timestamp", "operation", "operationParameters"}},
  };
  std::set<std::string> seen;
  auto fs = (*table)->fs();
  for (int ver = 0; ver <= 2; ver++) {
    char name[64];
    std::snprintf(name, sizeof(name), "/_delta_log/%020d.json", ver);
    auto text = fs->ReadAll(uri + name);
    ASSERT_TRUE(text.ok());
    ASSERT_EQ(text->back(), '\n');
    size_t pos = 0;
    int line_no = 0;
    while (pos < text->size()) {
      size_t end = text->find('\n', pos);
      auto line = JsonNode::Parse(text->substr(pos, end - pos));
      pos = end + 1;
      ASSERT_TRUE(line.ok());
      ASSERT_EQ(line->members().size(), 1u);
      const auto& [action, body] = line->members()[0];
      if (line_no++ == 0) {
        EXPECT_EQ(action, "commitInfo") << "commitInfo must come first";
      }
      seen.insert(action);
      auto it = required.find(action);
      ASSERT_NE(it, required.end()) << action;
      for (const auto& f : it->second) EXPECT_NE(body.Find(f), nullptr) << action << " lacks " << f;
      if (action == "metaData") {
        EXPECT_EQ(body.Find("format")->GetString("provider"), "parquet");
        EXPECT_NE(body.Find("format")->Find("options"), nullptr);
      }
      if (action == "add") {
        auto stats = JsonNode::Parse(*body.GetString("stats"));
        ASSERT_TRUE(stats.ok());
        for (const char* k : {"numRecords", "minValues", "maxValues", "nullCount"})
          EXPECT_NE(stats->Find(k), nullptr) << k;
        EXPECT_EQ(stats->Find("minValues")->Find("p"), nullptr) << "partition columns are not in the files";
        EXPECT_NE(body.Find("partitionValues")->Find("p"), nullptr);
      }
      if (action == "protocol") {
        EXPECT_EQ(body.GetInt("minReaderVersion"), 1);
        EXPECT_EQ(body.GetInt("minWriterVersion"), 2);
      }
    }
  }
  EXPECT_EQ(seen.size(), required.size());

  // The partitioned table reads back with typed partition values, NULL included.
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  std::multiset<std::string> got;
  ASSERT_TRUE(ScanSnapshot(*snap, {"p", "id"}, [&](Batch&& out) {
                for (size_t r = 0; r < out.num_rows; r++) {
                  got.insert(out.columns[0].GetValue(r).ToString() + "/" + out.columns[1].GetValue(r).ToString());
                }
                return Status::OK();
              }).ok());
  EXPECT_EQ(got.size(), 2u);  // p=0 was removed
  EXPECT_TRUE(got.count("1/1"));
  EXPECT_TRUE(got.count("NULL/3"));
}

// Sets a local file's modification time `days` back.
void Age(const std::string& path, int days) {
  struct timeval tv[2];
  tv[0].tv_sec = tv[1].tv_sec = time(nullptr) - days * 24 * 3600;
  tv[0].tv_usec = tv[1].tv_usec = 0;
  ASSERT_EQ(::utimes(path.c_str(), tv), 0) << path;
}

TEST(DeltaLogTest, VacuumKeepsReferencedFiles) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Append(**table, 0, 5);
  Append(**table, 5, 5);
  Append(**table, 10, 5);
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->files.size(), 3u);
  std::string old_removed = ResolveDataFilePath(uri, snap->files[0].path);
  std::string new_removed = ResolveDataFilePath(uri, snap->files[1].path);
  std::string live = ResolveDataFilePath(uri, snap->files[2].path);
  // One remove dated past the one-week retention, one recent.
  const int64_t day = 24LL * 3600 * 1000;
  ASSERT_TRUE((*table)
                  ->Commit({RemoveFile::For(snap->files[0], DeltaNowMillis() - 10 * day),
                            RemoveFile::For(snap->files[1], DeltaNowMillis())},
                           3)
                  .ok());
  auto fs = (*table)->fs();
  // An orphan (a failed write), and a file under _tmp VACUUM must never touch.
  std::string orphan = uri + "/part-orphan.parquet";
  ASSERT_TRUE(fs->WriteAtomic(orphan, "x").ok());
  ASSERT_TRUE(fs->WriteAtomic(uri + "/_tmp/part-hidden.parquet", "x").ok());
  for (const auto& p : {old_removed, new_removed, live, orphan, uri + "/_tmp/part-hidden.parquet"}) Age(p, 30);
  // A recent orphan (a day old: inside the week's retention) may belong to a
  // running write: kept. Dating it a day back keeps the test independent of
  // how the clock and file times compare to the millisecond.
  ASSERT_TRUE(fs->WriteAtomic(uri + "/part-fresh.parquet", "x").ok());
  Age(uri + "/part-fresh.parquet", 1);

  auto dry_week = (*table)->Vacuum(168, true);
  ASSERT_TRUE(dry_week.ok()) << dry_week.status().ToString();
  std::vector<std::string> want = {old_removed, orphan};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(dry_week->files, want);
  EXPECT_EQ(dry_week->bytes, int64_t(snap->files[0].size) + 1);

  auto dry_now = (*table)->Vacuum(0, true);
  ASSERT_TRUE(dry_now.ok());
  EXPECT_EQ(dry_now->files.size(), 4u);  // with no retention, the fresh orphan too
  EXPECT_TRUE(fs->Exists(old_removed));  // a dry run deletes nothing

  auto real = (*table)->Vacuum(168);
  ASSERT_TRUE(real.ok());
  EXPECT_FALSE(fs->Exists(old_removed));
  EXPECT_FALSE(fs->Exists(orphan));
  EXPECT_TRUE(fs->Exists(new_removed));
  EXPECT_TRUE(fs->Exists(live));
  EXPECT_TRUE(fs->Exists(uri + "/part-fresh.parquet"));
  EXPECT_TRUE(fs->Exists(uri + "/_tmp/part-hidden.parquet"));
  EXPECT_TRUE(fs->Exists(uri + "/_delta_log/00000000000000000000.json"));
  auto after = (*table)->Snapshot();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(ReadRows(*after).size(), 5u);
}

TEST(DeltaLogTest, TimeTravelByTimestampAndHistory) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  const int64_t t0 = DeltaNowMillis() + 3600 * 1000;  // ms, after the CREATE
  Append(**table, 0, 1, t0 + 1000);   // v1
  Append(**table, 1, 1, t0 + 2000);   // v2
  Append(**table, 2, 1, t0 + 3000);   // v3
  auto at = [&](int64_t ms) { return (*table)->SnapshotAsOfTimestamp(ms * 1000); };
  EXPECT_EQ(at(t0 + 1000)->version, 1);
  EXPECT_EQ(at(t0 + 1999)->version, 1);
  EXPECT_EQ(at(t0 + 2000)->version, 2);
  EXPECT_EQ(at(t0 + 99999)->version, 3);
  EXPECT_EQ(at(t0 + 2500)->timestamp_ms, t0 + 2000);
  EXPECT_EQ(ReadRows(*at(t0 + 2500)).size(), 2u);
  auto before = (*table)->SnapshotAsOfTimestamp(0);
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.status().message().find("before the earliest commit"), std::string::npos);

  auto history = (*table)->History();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[0].version, 3);
  EXPECT_EQ((*history)[0].operation, "WRITE");
  EXPECT_EQ((*history)[0].read_version, 2);
  EXPECT_EQ((*history)[0].is_blind_append, true);
  EXPECT_EQ((*history)[3].operation, "CREATE TABLE");
  EXPECT_LT((*history)[3].timestamp_ms, (*history)[2].timestamp_ms);
  auto limited = (*table)->History(2);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 2u);
}

TEST(DeltaLogTest, DeletionVectorsHideRowsInScans) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Append(**table, 0, 5000);
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  AddFile with_dv = snap->files[0];
  with_dv.deletion_vector = MakeInlineDeletionVector({0, 2, 4095, 4999});
  RemoveFile rm = RemoveFile::For(snap->files[0], DeltaNowMillis());
  ASSERT_TRUE((*table)->Commit({with_dv, rm}, snap->version).ok());
  auto after = (*table)->Snapshot();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->files.size(), 1u);
  EXPECT_EQ(after->NumRecords(), 4996);
  auto rows = ReadRows(*after);
  EXPECT_EQ(rows.size(), 4996u);
  std::set<std::string> s(rows.begin(), rows.end());
  EXPECT_FALSE(s.count("0:name-0"));
  EXPECT_TRUE(s.count("1:name-1"));
  EXPECT_FALSE(s.count("4095:name-4095"));
  EXPECT_FALSE(s.count("4999:name-4999"));
  // The DV survives a checkpoint.
  ASSERT_TRUE((*table)->Checkpoint().ok());
  auto reopened = DeltaTable::Open(uri);
  ASSERT_TRUE(reopened.ok());
  auto from_cp = (*reopened)->Snapshot();
  ASSERT_TRUE(from_cp.ok());
  EXPECT_EQ(from_cp->checkpoint_version, from_cp->version);
  ASSERT_TRUE(from_cp->files[0].deletion_vector.has_value());
  EXPECT_EQ(*from_cp->files[0].deletion_vector, *with_dv.deletion_vector);
  EXPECT_EQ(ReadRows(*from_cp).size(), 4996u);
}

TEST(DeltaLogTest, RowTrackingAssignsBaseRowIds) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {}, {{"delta.enableRowTracking", "true"}});
  ASSERT_TRUE(table.ok());
  auto v0 = (*table)->Snapshot();
  ASSERT_TRUE(v0.ok());
  EXPECT_EQ(v0->protocol.min_writer_version, 7);
  EXPECT_TRUE(v0->protocol.HasWriterFeature("rowTracking"));
  EXPECT_TRUE(v0->protocol.HasWriterFeature("domainMetadata"));
  Append(**table, 0, 10);
  Append(**table, 10, 5);
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->files.size(), 2u);
  std::map<int64_t, int64_t> base_by_version;
  for (const auto& f : snap->files) base_by_version[*f.default_row_commit_version] = *f.base_row_id;
  EXPECT_EQ(base_by_version[1], 0);
  EXPECT_EQ(base_by_version[2], 10);
  ASSERT_TRUE(snap->domains.count("delta.rowTracking"));
  EXPECT_EQ(snap->domains.at("delta.rowTracking").configuration, "{\"rowIdHighWaterMark\":14}");
}

TEST(DeltaLogTest, AlopexTypesRoundTripThroughDataFiles) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  std::vector<std::string> names = {"id", "emb", "u", "doc", "ts", "part_ts"};
  std::vector<LogicalType> types = {TypeId::kBigInt, LogicalType::Vector(3), TypeId::kUuid,
                                    TypeId::kJson,   TypeId::kTimestamp,    TypeId::kTimestamp};
  auto table = DeltaTable::Create(uri, names, types, {"part_ts"});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  Batch b(types);
  b.SetRows(2);
  for (size_t r = 0; r < 2; r++) {
    b.columns[0].data<int64_t>()[r] = int64_t(r);
    for (int k = 0; k < 3; k++) b.columns[1].vector_row(r)[k] = float(r * 10 + k) + 0.5f;
    b.columns[2].data<Uuid>()[r] = Uuid{0x0123456789abcdefULL, r};
    b.columns[3].SetString(r, "{\"a\":" + std::to_string(r) + "}");
    b.columns[4].data<int64_t>()[r] = 1700000000123456 + int64_t(r);
    b.columns[5].data<int64_t>()[r] = 1600000000000000 + int64_t(r) * 1000001;
  }
  auto adds = WriteDataFiles(uri, names, types, {"part_ts"}, One(b.Clone()));
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_TRUE((*table)->Commit(AsActions(*adds), 0).ok());
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->schema.types(), types);
  std::vector<std::string> got;
  ASSERT_TRUE(ScanSnapshot(*snap, {}, [&](Batch&& out) {
                EXPECT_EQ(out.types(), types);
                for (size_t r = 0; r < out.num_rows; r++) {
                  std::string row;
                  for (auto& c : out.columns) row += c.GetValue(r).ToString() + "|";
                  got.push_back(row);
                }
                return Status::OK();
              }).ok());
  std::vector<std::string> want;
  for (size_t r = 0; r < 2; r++) {
    std::string row;
    for (auto& c : b.columns) row += c.GetValue(r).ToString() + "|";
    want.push_back(row);
  }
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

TEST(DeltaLogTest, PartitionValuesWithSpecialCharactersRoundTrip) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  std::vector<std::string> names = {"id", "p", "d"};
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kVarchar, LogicalType::Decimal(10, 2)};
  auto table = DeltaTable::Create(uri, names, types, {"p", "d"});
  ASSERT_TRUE(table.ok());
  const std::vector<std::string> values = {"a b", "x:y/z", "100%", "=?#", "\xc3\xa9t\xc3\xa9", "null"};
  Batch b(types);
  b.SetRows(values.size());
  for (size_t i = 0; i < values.size(); i++) {
    b.columns[0].data<int64_t>()[i] = int64_t(i);
    b.columns[1].SetString(i, values[i]);
    b.columns[2].data<int64_t>()[i] = -12345 + int64_t(i);
  }
  auto snap0 = (*table)->Snapshot();
  ASSERT_TRUE(snap0.ok());
  auto adds = WriteDataFiles(*snap0, One(std::move(b)));
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), values.size());
  ASSERT_TRUE((*table)->Commit(AsActions(*adds), 0).ok());
  auto snap = (*table)->Snapshot();
  ASSERT_TRUE(snap.ok());
  std::map<int64_t, std::string> got;
  ASSERT_TRUE(ScanSnapshot(*snap, {"id", "p", "d"}, [&](Batch&& out) {
                for (size_t r = 0; r < out.num_rows; r++)
                  got[out.columns[0].data<int64_t>()[r]] =
                      std::string(out.columns[1].GetStringView(r)) + "|" + out.columns[2].GetValue(r).ToString();
                return Status::OK();
              }).ok());
  ASSERT_EQ(got.size(), values.size());
  for (size_t i = 0; i < values.size(); i++)
    EXPECT_EQ(got[int64_t(i)], values[i] + "|" + Value::Decimal(-12345 + int64_t(i), 10, 2).ToString());
  for (const auto& a : *adds) {
    EXPECT_TRUE((*table)->fs()->Exists(ResolveDataFilePath(uri, a.path))) << a.path;
    EXPECT_EQ(a.path.find(' '), std::string::npos) << "add.path is URI-encoded: " << a.path;
  }
}

TEST(DeltaLogTest, FilesRollAtTheTargetSize) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  std::vector<Batch> batches;
  for (int i = 0; i < 20; i++) batches.push_back(IdNameBatch(i * 2000, 2000));
  auto adds = WriteDataFiles(uri, kNames, kTypes, {}, batches, 64 * 1024);
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  EXPECT_GT(adds->size(), 1u);
  int64_t total = 0;
  for (const auto& a : *adds) total += *a.NumRecords();
  EXPECT_EQ(total, 40000);
}

TEST(DeltaLogTest, UnsupportedWriterFeaturesAreRefused) {
  ScratchDir dir;
  std::string uri = dir.Sub("t");
  auto table = DeltaTable::Create(uri, kNames, kTypes, {});
  ASSERT_TRUE(table.ok());
  Protocol p;
  p.min_reader_version = 1;
  p.min_writer_version = 7;
  p.writer_features = std::vector<std::string>{"icebergCompatV2"};
  auto refused = (*table)->Commit({p}, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("icebergCompatV2"), std::string::npos);
  // Another engine turned it on.
  ASSERT_TRUE((*table)->fs()->PutIfAbsent(uri + "/_delta_log/00000000000000000001.json", SerializeActions({p})).ok());
  auto adds = WriteDataFiles(uri, kNames, kTypes, {}, One(IdNameBatch(0, 1)));
  auto c = (*table)->Commit(AsActions(*adds), 1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("icebergCompatV2"), std::string::npos);
  // An unknown reader feature makes the table unreadable, with a clear message.
  p.min_reader_version = 3;
  p.reader_features = std::vector<std::string>{"futureThing"};
  p.writer_features = std::vector<std::string>{"futureThing"};
  ASSERT_TRUE((*table)->fs()->PutIfAbsent(uri + "/_delta_log/00000000000000000002.json", SerializeActions({p})).ok());
  auto s = (*table)->Snapshot();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("Unsupported Delta reader feature 'futureThing'"), std::string::npos);
}

}  // namespace
}  // namespace alopex
