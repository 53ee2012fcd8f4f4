#include "storage/delta/delta_log.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <set>
#include <unordered_map>

#include "alopex/version.h"
#include "io/hive_partition.h"
#include "storage/delta/deletion_vector.h"
#include "storage/delta/delta_checkpoint.h"

namespace alopex {

namespace {

constexpr const char* kLogDir = "_delta_log";
constexpr int64_t kDefaultCheckpointInterval = 10;
constexpr const char* kMaterializedRowIdKey = "delta.rowTracking.materializedRowIdColumnName";
constexpr const char* kMaterializedRowCommitVersionKey = "delta.rowTracking.materializedRowCommitVersionColumnName";

std::string VersionName(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020" PRId64, v);
  return buf;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsTrue(const std::string& s) {
  std::string l = s;
  for (auto& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
  return l == "true";
}

// Key of a logical file: normalized path + DV id.
std::string FileKey(const std::string& path, const std::optional<DeletionVectorDescriptor>& dv) {
  std::string key = UrlDecode(path);
  key.push_back('\0');
  if (dv) key += dv->UniqueId();
  return key;
}

const std::set<std::string, std::less<>>& ReaderFeatures() {
  static const std::set<std::string, std::less<>> kSet = {"columnMapping", "deletionVectors", "v2Checkpoint",
                                                          "timestampNtz", "vacuumProtocolCheck"};
  return kSet;
}

// Writer features Alopex honours (or checks to be inactive) when committing.
const std::set<std::string, std::less<>>& WriterFeatures() {
  static const std::set<std::string, std::less<>> kSet = {
      "appendOnly",     "invariants",      "checkConstraints", "changeDataFeed",      "generatedColumns",
      "columnMapping",  "identityColumns", "deletionVectors",  "timestampNtz",        "domainMetadata",
      "v2Checkpoint",   "rowTracking",     "vacuumProtocolCheck", "inCommitTimestamp", "typeWidening",
      "typeWidening-preview"};
  return kSet;
}

// Mutable replay state: adds and removes keyed by FileKey.
struct ReplayState {
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::unordered_map<std::string, AddFile> adds;
  std::unordered_map<std::string, RemoveFile> removes;
  std::map<std::string, Txn> txns;
  std::map<std::string, DomainMetadata> domains;  // including removed ones

  void Apply(std::vector<Action>& actions) {
    // A commit's removes go before its adds (an add and a remove of the same
    // key in one commit are invalid; this order matches Kernel).
    for (auto& a : actions) {
      if (auto* r = std::get_if<RemoveFile>(&a)) {
        std::string key = FileKey(r->path, r->deletion_vector);
        adds.erase(key);
        removes[key] = std::move(*r);
      }
    }
    for (auto& a : actions) {
      if (auto* add = std::get_if<AddFile>(&a)) {
        std::string key = FileKey(add->path, add->deletion_vector);
        removes.erase(key);
        adds[key] = std::move(*add);
      } else if (auto* p = std::get_if<Protocol>(&a)) {
        protocol = std::move(*p);
      } else if (auto* m = std::get_if<Metadata>(&a)) {
        metadata = std::move(*m);
      } else if (auto* t = std::get_if<Txn>(&a)) {
        txns[t->app_id] = std::move(*t);
      } else if (auto* d = std::get_if<DomainMetadata>(&a)) {
        domains[d->domain] = std::move(*d);
      }
    }
  }

  void LoadFrom(const DeltaSnapshot& s) {
    protocol = s.protocol;
    metadata = s.metadata;
    for (const auto& a : s.files) adds[FileKey(a.path, a.deletion_vector)] = a;
    for (const auto& r : s.tombstones) removes[FileKey(r.path, r.deletion_vector)] = r;
    txns = s.transactions;
    domains = s.domains;
  }
};

std::optional<int64_t> CommitTime(const std::vector<Action>& actions) {
  for (const auto& a : actions) {
    if (const auto* ci = std::get_if<CommitInfo>(&a)) {
      if (ci->in_commit_timestamp) return ci->in_commit_timestamp;
      if (ci->timestamp) return ci->timestamp;
    }
  }
  return std::nullopt;
}

Status CheckReaderProtocol(const Protocol& p, const std::string& table) {
  if (p.min_reader_version > 3 || p.min_reader_version < 1)
    return Status::NotImplemented("Delta table " + table + " requires reader protocol version " +
                                  std::to_string(p.min_reader_version) + "; Alopex reads versions 1 to 3");
  if (p.min_reader_version == 3) {
    if (!p.reader_features)
      return Status::Corruption("Delta table " + table + " has minReaderVersion 3 but no readerFeatures");
    for (const auto& f : *p.reader_features)
      if (!IsSupportedReaderFeature(f))
        return Status::NotImplemented("Unsupported Delta reader feature '" + f + "' in table " + table +
                                      " (minReaderVersion 3)");
  }
  return Status::OK();
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (uint64_t(rd()) << 32) ^ rd() ^
           uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  }());
  return rng;
}

}  // namespace

std::optional<Protocol> WithWriterFeature(const Protocol& p, const std::string& feature) {
  // The features each legacy writer version implies.
  static const std::pair<const char*, int> kLegacy[] = {{"appendOnly", 2},       {"invariants", 2},
                                                        {"checkConstraints", 3}, {"changeDataFeed", 4},
                                                        {"generatedColumns", 4}, {"columnMapping", 5},
                                                        {"identityColumns", 6}};
  if (p.min_writer_version == 7 && p.HasWriterFeature(feature)) return std::nullopt;
  Protocol out = p;
  if (out.min_writer_version < 7) {
    for (const auto& [name, version] : kLegacy)
      if (name == feature && p.min_writer_version >= version) return std::nullopt;
    out.writer_features = std::vector<std::string>{};
    for (const auto& [name, version] : kLegacy)
      if (p.min_writer_version >= version) out.writer_features->push_back(name);
    out.min_writer_version = 7;
  }
  out.writer_features->push_back(feature);
  return out;
}

Protocol WithPropertyFeatures(Protocol p, const StringMap& configuration) {
  auto on = [&](const char* key) {
    auto it = configuration.find(key);
    return it != configuration.end() && IsTrue(it->second);
  };
  std::vector<const char*> features;
  if (on("delta.enableRowTracking")) features = {"domainMetadata", "rowTracking"};
  if (on("delta.appendOnly")) features.push_back("appendOnly");
  for (const char* f : features)
    if (auto next = WithWriterFeature(p, f)) p = std::move(*next);
  return p;
}

int64_t DeltaNowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomUuid() {
  uint64_t hi = Rng()(), lo = Rng()();
  hi = (hi & ~uint64_t(0xF000)) | 0x4000;                      // version 4
  lo = (lo & ~(uint64_t(0xC) << 60)) | (uint64_t(0x8) << 60);  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xFFFF),
                unsigned(hi & 0xFFFF), unsigned(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

bool IsSupportedReaderFeature(std::string_view name) { return ReaderFeatures().count(name) > 0; }

bool TracksRowIds(const Protocol& protocol, const StringMap& configuration) {
  auto suspended = configuration.find("delta.rowTrackingSuspended");
  return protocol.min_writer_version == 7 && protocol.HasWriterFeature("rowTracking") &&
         !(suspended != configuration.end() && IsTrue(suspended->second));
}

bool TracksRowIds(const DeltaSnapshot& snapshot) { return TracksRowIds(snapshot.protocol, snapshot.configuration()); }

std::optional<RowTrackingColumns> MaterializedRowTrackingColumns(const StringMap& configuration) {
  auto id = configuration.find(kMaterializedRowIdKey);
  auto version = configuration.find(kMaterializedRowCommitVersionKey);
  if (id == configuration.end() || version == configuration.end()) return std::nullopt;
  return RowTrackingColumns{id->second, version->second};
}

RowTrackingColumns EnsureMaterializedRowTrackingColumns(StringMap* configuration) {
  auto& id = (*configuration)[kMaterializedRowIdKey];
  if (id.empty()) id = "_row-id-col-" + RandomUuid();
  auto& version = (*configuration)[kMaterializedRowCommitVersionKey];
  if (version.empty()) version = "_row-commit-version-col-" + RandomUuid();
  return {id, version};
}

std::string DeltaSnapshot::Property(const std::string& key, const std::string& fallback) const {
  auto it = metadata.configuration.find(key);
  return it == metadata.configuration.end() ? fallback : it->second;
}

std::optional<int64_t> DeltaSnapshot::TxnVersion(const std::string& app_id) const {
  auto it = transactions.find(app_id);
  if (it == transactions.end()) return std::nullopt;
  return it->second.version;
}

std::optional<int64_t> DeltaSnapshot::NumRecords() const {
  int64_t total = 0;
  for (const auto& f : files) {
    auto n = f.NumRecords();
    if (!n) return std::nullopt;
    total += *n - (f.deletion_vector ? f.deletion_vector->cardinality : 0);
  }
  return total;
}

DeltaSnapshot DeltaSnapshot::WithFiles(const std::vector<size_t>& indices) const {
  DeltaSnapshot out;
  out.table_path = table_path;
  out.version = version;
  out.timestamp_ms = timestamp_ms;
  out.protocol = protocol;
  out.metadata = metadata;
  out.schema = schema;
  out.column_mapping = column_mapping;
  out.transactions = transactions;
  out.domains = domains;
  out.checkpoint_version = checkpoint_version;
  for (size_t i : indices) out.files.push_back(files.at(i));
  return out;
}

// ---------------------------------------------------------------- listing

struct DeltaTable::LogListing {
  struct Checkpoint {
    int64_t version = 0;
    std::vector<std::string> paths;  // all parts, in part order
    bool complete = true;
  };
  std::map<int64_t, FileInfo> commits;
  std::vector<Checkpoint> checkpoints;  // ascending by version
};

std::string DeltaTable::log_path() const { return JoinPath(path_, kLogDir); }

std::string DeltaTable::CommitPath(int64_t version) const {
  return JoinPath(log_path(), VersionName(version) + ".json");
}

Result<DeltaTable::LogListing> DeltaTable::ListLog() {
  auto files = fs_->List(log_path(), false);
  if (!files.ok()) {
    if (files.status().code() == StatusCode::kNotFound)
      return Status::NotFound("Delta table " + path_ + " has no _delta_log directory");
    return files.status().WithContext("Delta table " + path_ + ": ");
  }
  LogListing out;
  // version -> (total parts -> part paths) for multi-part checkpoints
  std::map<int64_t, std::map<int64_t, std::map<int64_t, std::string>>> multipart;
  std::map<int64_t, std::vector<std::string>> single;
  for (auto& f : *files) {
    if (f.is_directory) continue;
    std::string name = BaseName(f.path);
    if (name.size() < 21 || !AllDigits(std::string_view(name).substr(0, 20)) || name[20] != '.') continue;
    int64_t v = std::stoll(name.substr(0, 20));
    std::string rest = name.substr(21);
    if (rest == "json") {
      out.commits[v] = f;
    } else if (rest == "checkpoint.parquet") {
      single[v].insert(single[v].begin(), f.path);  // classic first
    } else if (rest.rfind("checkpoint.", 0) == 0) {
      std::string tail = rest.substr(11);
      // {o:010}.{p:010}.parquet
      if (tail.size() == 29 && AllDigits(tail.substr(0, 10)) && tail[10] == '.' && AllDigits(tail.substr(11, 10)) &&
          tail.substr(21) == ".parquet") {
        multipart[v][std::stoll(tail.substr(11, 10))][std::stoll(tail.substr(0, 10))] = f.path;
      } else {
        // {uuid}.parquet or {uuid}.json: a V2 checkpoint.
        size_t dot = tail.find('.');
        if (dot != std::string::npos && tail.find('.', dot + 1) == std::string::npos &&
            (tail.substr(dot) == ".parquet" || tail.substr(dot) == ".json"))
          single[v].push_back(f.path);
      }
    }
  }
  std::map<int64_t, std::vector<LogListing::Checkpoint>> by_version;
  for (auto& [v, paths] : single)
    for (auto& p : paths) by_version[v].push_back({v, {p}, true});
  for (auto& [v, totals] : multipart) {
    for (auto& [total, parts] : totals) {
      LogListing::Checkpoint c{v, {}, int64_t(parts.size()) == total};
      for (int64_t i = 1; i <= total && c.complete; i++) {
        auto it = parts.find(i);
        if (it == parts.end()) c.complete = false;
        else c.paths.push_back(it->second);
      }
      by_version[v].push_back(std::move(c));
    }
  }
  for (auto& [v, list] : by_version)
    for (auto& c : list)
      if (c.complete) out.checkpoints.push_back(std::move(c));
  return out;
}

Result<std::vector<Action>> DeltaTable::ReadCommit(int64_t version) {
  std::string path = CommitPath(version);
  auto text = fs_->ReadAll(path);
  if (!text.ok()) return text.status().WithContext("Delta table " + path_ + ", version " + std::to_string(version) + ": ");
  auto actions = ParseActions(*text, path);
  if (!actions.ok())
    return actions.status().WithContext("Delta table " + path_ + ", version " + std::to_string(version) + ": ");
  return actions;
}

// ---------------------------------------------------------------- snapshots

Result<std::unique_ptr<DeltaTable>> DeltaTable::Open(const std::string& uri, FileSystem* fs) {
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(uri));
  }
  std::string path = uri;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::unique_ptr<DeltaTable> table(new DeltaTable(path, fs));
  ALOPEX_ASSIGN_OR_RETURN(LogListing listing, table->ListLog());
  if (listing.commits.empty() && listing.checkpoints.empty())
    return Status::NotFound("Delta table " + path + " has no commits in _delta_log");
  return table;
}

Result<int64_t> DeltaTable::LatestVersion() {
  ALOPEX_ASSIGN_OR_RETURN(LogListing listing, ListLog());
  if (listing.commits.empty()) return Status::NotFound("Delta table " + path_ + " has no commits in _delta_log");
  return listing.commits.rbegin()->first;
}

Result<DeltaSnapshot> DeltaTable::Snapshot(int64_t version) {
  ALOPEX_ASSIGN_OR_RETURN(LogListing listing, ListLog());
  return LoadSnapshot(listing, version);
}

Result<DeltaSnapshot> DeltaTable::LoadSnapshot(const LogListing& listing, int64_t version) {
  const std::string where = "Delta table " + path_;
  if (listing.commits.empty() && listing.checkpoints.empty())
    return Status::NotFound(where + " has no commits in _delta_log");
  int64_t latest = listing.commits.empty() ? listing.checkpoints.back().version : listing.commits.rbegin()->first;
  if (!listing.checkpoints.empty()) latest = std::max(latest, listing.checkpoints.back().version);
  int64_t target = version < 0 ? latest : version;
  if (target > latest)
    return Status::NotFound(where + ": version " + std::to_string(target) + " does not exist (latest is " +
                            std::to_string(latest) + ")");

  ReplayState state;
  int64_t start = 0;  // first commit to replay
  int64_t checkpoint_version = -1;
  std::optional<int64_t> timestamp;

  std::shared_ptr<const DeltaSnapshot> cached;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    cached = cached_;
  }
  const LogListing::Checkpoint* checkpoint = nullptr;
  for (auto it = listing.checkpoints.rbegin(); it != listing.checkpoints.rend(); ++it) {
    if (it->version <= target) {
      checkpoint = &*it;
      break;
    }
  }
  // Commits after the checkpoint must all be there before anything is read.
  for (int64_t v = checkpoint ? checkpoint->version + 1 : 0; v <= target; v++) {
    if (!listing.commits.count(v))
      return Status::Corruption(where + ": log file " + VersionName(v) + ".json is missing (versions are not contiguous" +
                                " up to " + std::to_string(target) + ")");
  }
  if (cached && cached->version <= target && cached->version >= (checkpoint ? checkpoint->version : -1)) {
    state.LoadFrom(*cached);
    start = cached->version + 1;
    checkpoint_version = cached->checkpoint_version;
    if (cached->version == target) return DeltaSnapshot(*cached);
  } else if (checkpoint) {
    std::vector<Action> actions;
    for (const auto& part : checkpoint->paths) {
      auto part_actions = ReadCheckpointFile(part, fs_);
      if (!part_actions.ok())
        return part_actions.status().WithContext(where + ", checkpoint version " + std::to_string(checkpoint->version) +
                                                 ": ");
      for (auto& a : *part_actions) actions.push_back(std::move(a));
    }
    // V2: file actions live in sidecar files.
    std::vector<std::string> sidecars;
    for (const auto& a : actions)
      if (const auto* s = std::get_if<SidecarFile>(&a)) sidecars.push_back(s->path);
    for (const auto& s : sidecars) {
      std::string p = s.find("://") != std::string::npos || (!s.empty() && s[0] == '/')
                          ? UrlDecode(s)
                          : JoinPath(JoinPath(log_path(), "_sidecars"), UrlDecode(s));
      auto side = ReadCheckpointFile(p, fs_);
      if (!side.ok())
        return side.status().WithContext(where + ", checkpoint version " + std::to_string(checkpoint->version) +
                                         ", sidecar: ");
      for (auto& a : *side) actions.push_back(std::move(a));
    }
    state.Apply(actions);
    start = checkpoint->version + 1;
    checkpoint_version = checkpoint->version;
  } else if (!listing.commits.count(0)) {
    return Status::Corruption(where + ": _delta_log has neither a checkpoint nor " + VersionName(0) + ".json");
  }

  for (int64_t v = start; v <= target; v++) {
    if (!listing.commits.count(v))
      return Status::Corruption(where + ": log file " + VersionName(v) + ".json is missing (versions are not contiguous" +
                                " up to " + std::to_string(target) + ")");
    ALOPEX_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommit(v));
    if (v == target) timestamp = CommitTime(actions);
    state.Apply(actions);
  }
  if (!timestamp) {
    // The snapshot is the checkpoint itself (or a cached one): its commit's time.
    auto it = listing.commits.find(target);
    if (it != listing.commits.end()) {
      auto actions = ReadCommit(target);
      if (actions.ok()) timestamp = CommitTime(*actions);
      if (!timestamp) timestamp = it->second.mtime_micros / 1000;
    } else {
      timestamp = 0;
    }
  }

  if (!state.protocol) return Status::Corruption(where + ": no protocol action up to version " + std::to_string(target));
  ALOPEX_RETURN_IF_ERROR(CheckReaderProtocol(*state.protocol, path_));
  if (!state.metadata) return Status::Corruption(where + ": no metaData action up to version " + std::to_string(target));

  DeltaSnapshot snap;
  snap.table_path = path_;
  snap.version = target;
  snap.timestamp_ms = *timestamp;
  snap.protocol = *state.protocol;
  snap.metadata = *state.metadata;
  snap.checkpoint_version = checkpoint_version;
  auto schema = ParseDeltaSchema(snap.metadata.schema_string);
  if (!schema.ok()) return schema.status().WithContext(where + ", version " + std::to_string(target) + ": ");
  snap.schema = std::move(*schema);
  bool mapping_supported = snap.protocol.min_reader_version == 2 || snap.protocol.HasReaderFeature("columnMapping");
  if (mapping_supported) {
    auto mode = ParseColumnMappingMode(snap.Property("delta.columnMapping.mode", "none"));
    if (!mode.ok()) return mode.status().WithContext(where + ": ");
    snap.column_mapping = *mode;
  }
  snap.files.reserve(state.adds.size());
  for (auto& [k, a] : state.adds) snap.files.push_back(std::move(a));
  std::sort(snap.files.begin(), snap.files.end(), [](const AddFile& a, const AddFile& b) { return a.path < b.path; });
  for (auto& [k, r] : state.removes) snap.tombstones.push_back(std::move(r));
  std::sort(snap.tombstones.begin(), snap.tombstones.end(),
            [](const RemoveFile& a, const RemoveFile& b) { return a.path < b.path; });
  snap.transactions = std::move(state.txns);
  for (auto& [k, d] : state.domains)
    if (!d.removed) snap.domains[k] = d;

  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (!cached_ || cached_->version < snap.version) cached_ = std::make_shared<const DeltaSnapshot>(snap);
  }
  return snap;
}

Result<std::map<int64_t, int64_t>> DeltaTable::CommitTimestamps() {
  ALOPEX_ASSIGN_OR_RETURN(LogListing listing, ListLog());
  std::map<int64_t, int64_t> out;
  int64_t prev = INT64_MIN;
  for (const auto& [v, info] : listing.commits) {
    auto actions = ReadCommit(v);
    std::optional<int64_t> t;
    if (actions.ok()) t = CommitTime(*actions);
    int64_t ts = t ? *t : info.mtime_micros / 1000;
    if (prev != INT64_MIN && ts <= prev) ts = prev + 1;  // monotonic, as Spark does for file times
    out[v] = ts;
    prev = ts;
  }
  return out;
}

Result<DeltaSnapshot> DeltaTable::SnapshotAsOfTimestamp(int64_t micros) {
  ALOPEX_ASSIGN_OR_RETURN(auto times, CommitTimestamps());
  if (times.empty()) return Status::NotFound("Delta table " + path_ + " has no commits in _delta_log");
  int64_t ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
  int64_t found = -1;
  for (const auto& [v, t] : times)
    if (t <= ms) found = v;
  if (found < 0)
    return Status::InvalidArgument("Delta table " + path_ + ": timestamp " + std::to_string(micros) +
                                   " us is before the earliest commit (version " + std::to_string(times.begin()->first) +
                                   " at " + std::to_string(times.begin()->second) + " ms)");
  return Snapshot(found);
}

// ---------------------------------------------------------------- create

Result<std::unique_ptr<DeltaTable>> DeltaTable::Create(const std::string& uri, const std::vector<std::string>& names,
                                                       const std::vector<LogicalType>& types,
                                                       const std::vector<std::string>& partition_columns,
                                                       const StringMap& configuration, FileSystem* fs) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, DeltaSchemaFromColumns(names, types));
  return Create(uri, schema, partition_columns, configuration, fs);
}

Result<std::unique_ptr<DeltaTable>> DeltaTable::Create(const std::string& uri, const DeltaSchema& schema,
                                                       const std::vector<std::string>& partition_columns,
                                                       const StringMap& configuration, FileSystem* fs) {
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(uri));
  }
  std::string path = uri;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::unique_ptr<DeltaTable> table(new DeltaTable(path, fs));
  for (const auto& p : partition_columns) {
    int idx = schema.FieldIndex(p);
    if (idx < 0)
      return Status::InvalidArgument("Delta table " + path + ": partition column '" + p + "' is not in the schema");
    if (schema.fields[size_t(idx)].kind != DeltaField::Kind::kPrimitive)
      return Status::InvalidArgument("Delta table " + path + ": partition column '" + p + "' must have a primitive type");
  }
  if (partition_columns.size() >= schema.fields.size() && !schema.fields.empty())
    return Status::InvalidArgument("Delta table " + path + ": every column is a partition column");

  // (1,2), or writer version 7 listing only the features the table uses.
  Protocol protocol;
  protocol.min_writer_version = 7;
  protocol.writer_features = std::vector<std::string>{};
  for (const auto& f : schema.fields)
    if (f.delta_type == "timestamp_ntz" && !protocol.HasWriterFeature("timestampNtz")) {
      protocol.min_reader_version = 3;
      protocol.reader_features = std::vector<std::string>{"timestampNtz"};
      protocol.writer_features->push_back("timestampNtz");
    }
  protocol = WithPropertyFeatures(std::move(protocol), configuration);
  if (protocol.writer_features->empty()) protocol = Protocol();
  bool row_tracking = TracksRowIds(protocol, configuration);
  Metadata md;
  md.id = RandomUuid();
  md.schema_string = SerializeDeltaSchema(schema);
  md.partition_columns = partition_columns;
  md.configuration = configuration;
  if (row_tracking) EnsureMaterializedRowTrackingColumns(&md.configuration);
  md.created_time = DeltaNowMillis();

  CommitOptions options;
  options.operation = "CREATE TABLE";
  JsonNode parts = JsonNode::Array();
  for (const auto& p : partition_columns) parts.Push(JsonNode::String(p));
  options.operation_parameters["partitionBy"] = parts.Serialize();
  options.operation_parameters["isManaged"] = "false";
  JsonNode props = JsonNode::Object();
  for (const auto& [k, v] : configuration) props.Set(k, JsonNode::String(v));
  options.operation_parameters["properties"] = props.Serialize();
  options.max_retries = 0;
  auto committed = table->Commit({protocol, md}, -1, options);
  if (!committed.ok()) {
    if (committed.status().code() == StatusCode::kConflict || committed.status().code() == StatusCode::kAlreadyExists)
      return Status::AlreadyExists("Delta table " + path + " already exists");
    return committed.status();
  }
  return table;
}

// ---------------------------------------------------------------- commit

Status DeltaTable::CheckWriteProtocol(const DeltaSnapshot& snapshot, const std::vector<Action>& actions) const {
  const Protocol& p = snapshot.protocol;
  const std::string where = "Delta table " + path_;
  if (p.min_writer_version > 7 || p.min_writer_version < 1)
    return Status::NotImplemented(where + " requires writer protocol version " + std::to_string(p.min_writer_version) +
                                  "; Alopex writes versions 1 to 7");
  auto supports = [&](const char* feature, int legacy_version) {
    if (p.min_writer_version == 7) return p.HasWriterFeature(feature);
    return legacy_version > 0 && p.min_writer_version >= legacy_version;
  };
  if (p.min_writer_version == 7 && p.writer_features) {
    for (const auto& f : *p.writer_features)
      if (!WriterFeatures().count(f))
        return Status::NotImplemented("Unsupported Delta writer feature '" + f + "' in table " + path_ +
                                      " (minWriterVersion 7)");
  }
  bool removes_data = false;
  for (const auto& a : actions)
    if (const auto* r = std::get_if<RemoveFile>(&a); r && r->data_change) removes_data = true;
  if (supports("appendOnly", 2) && IsTrue(snapshot.Property("delta.appendOnly")) && removes_data)
    return Status::InvalidArgument(where + " is append-only (delta.appendOnly=true): rows cannot be removed");
  std::function<Status(const DeltaField&)> check_field = [&](const DeltaField& f) -> Status {
    if (supports("invariants", 2) && f.metadata.Find("delta.invariants"))
      return Status::NotImplemented(where + ": column '" + f.name + "' has a delta.invariants constraint");
    if (supports("generatedColumns", 4) && f.metadata.Find("delta.generationExpression"))
      return Status::NotImplemented(where + ": column '" + f.name + "' is a generated column");
    if (supports("identityColumns", 6) && f.metadata.Find("delta.identity.start"))
      return Status::NotImplemented(where + ": column '" + f.name + "' is an identity column");
    for (const auto& c : f.children) ALOPEX_RETURN_IF_ERROR(check_field(c));
    return Status::OK();
  };
  for (const auto& f : snapshot.schema.fields) ALOPEX_RETURN_IF_ERROR(check_field(f));
  if (supports("checkConstraints", 3)) {
    for (const auto& [k, v] : snapshot.configuration())
      if (k.rfind("delta.constraints.", 0) == 0)
        return Status::NotImplemented(where + " has CHECK constraint '" + k.substr(18) + "'");
  }
  if (supports("changeDataFeed", 4) && IsTrue(snapshot.Property("delta.enableChangeDataFeed")) && removes_data)
    return Status::NotImplemented(where + " has the change data feed enabled; Alopex writes no cdc files for removes");
  if (snapshot.column_mapping == ColumnMappingMode::kId) {
    for (const auto& a : actions)
      if (std::holds_alternative<AddFile>(a))
        return Status::NotImplemented(where + " uses column mapping mode 'id'; Alopex cannot write field ids yet");
  }
  return Status::OK();
}

Status DeltaTable::CheckConflicts(const std::vector<Action>& ours, const CommitOptions& options, ReadScope scope,
                                  int64_t winner_version, const std::vector<Action>& winner) {
  const std::string where = "Delta table " + path_ + ": concurrent commit " + VersionName(winner_version) + ".json ";
  std::set<std::string> our_removes, our_reads, our_apps, our_domains;
  bool we_change_metadata = false;
  for (const auto& a : ours) {
    if (const auto* r = std::get_if<RemoveFile>(&a)) {
      our_removes.insert(FileKey(r->path, r->deletion_vector));
      our_reads.insert(UrlDecode(r->path));
    } else if (const auto* t = std::get_if<Txn>(&a)) {
      our_apps.insert(t->app_id);
    } else if (const auto* d = std::get_if<DomainMetadata>(&a)) {
      our_domains.insert(d->domain);
    } else if (std::holds_alternative<Metadata>(a) || std::holds_alternative<Protocol>(a)) {
      we_change_metadata = true;
    }
  }
  for (const auto& p : options.read_files) our_reads.insert(UrlDecode(p));
  bool winner_blind = false;
  for (const auto& a : winner)
    if (const auto* ci = std::get_if<CommitInfo>(&a)) winner_blind = ci->is_blind_append.value_or(false);

  for (const auto& a : winner) {
    if (std::holds_alternative<Protocol>(a))
      return Status::Conflict(where + "changed the protocol (ProtocolChanged)");
    if (std::holds_alternative<Metadata>(a))
      return Status::Conflict(where + "changed the table metadata (MetadataChanged)");
    if (const auto* t = std::get_if<Txn>(&a); t && our_apps.count(t->app_id))
      return Status::Conflict(where + "committed a transaction for app id '" + t->app_id + "' (ConcurrentTransaction)");
    if (const auto* d = std::get_if<DomainMetadata>(&a);
        d && our_domains.count(d->domain) && d->domain != "delta.rowTracking")
      return Status::Conflict(where + "changed domain '" + d->domain + "' (ConcurrentTransaction)");
    if (const auto* r = std::get_if<RemoveFile>(&a)) {
      if (our_removes.count(FileKey(r->path, r->deletion_vector)))
        return Status::Conflict(where + "also removed file " + r->path + " (ConcurrentDeleteDelete)");
      if (r->data_change && (scope == ReadScope::kWholeTable || our_reads.count(UrlDecode(r->path))))
        return Status::Conflict(where + "removed file " + r->path + " that this commit read (ConcurrentDeleteRead)");
    }
    if (const auto* add = std::get_if<AddFile>(&a); add && add->data_change) {
      bool counts = scope == ReadScope::kWholeTable &&
                    (options.isolation_level != "WriteSerializable" || !winner_blind || we_change_metadata);
      if (counts || (we_change_metadata && scope != ReadScope::kNothing))
        return Status::Conflict(where + "added file " + add->path + " to data this commit read (ConcurrentAppend)");
    }
  }
  return Status::OK();
}

Result<int64_t> DeltaTable::Commit(const std::vector<Action>& input, int64_t read_version,
                                   const CommitOptions& options) {
  const std::string where = "Delta table " + path_;
  // Validate the commit on its own.
  int metadata_count = 0, protocol_count = 0;
  std::set<std::string> add_keys, remove_keys, apps;
  bool has_removes = false, only_data_adds = true;
  for (const auto& a : input) {
    if (std::holds_alternative<CommitInfo>(a) || std::holds_alternative<CheckpointMetadata>(a) ||
        std::holds_alternative<SidecarFile>(a))
      return Status::InvalidArgument(where + ": a commit may not contain a " + ActionName(a) +
                                     " action (Alopex writes commitInfo itself)");
    if (std::holds_alternative<Metadata>(a)) metadata_count++;
    if (std::holds_alternative<Protocol>(a)) protocol_count++;
    if (const auto* add = std::get_if<AddFile>(&a)) {
      if (!add_keys.insert(FileKey(add->path, add->deletion_vector)).second)
        return Status::InvalidArgument(where + ": file " + add->path + " is added twice in one commit");
      if (!add->data_change) only_data_adds = false;
    } else if (const auto* r = std::get_if<RemoveFile>(&a)) {
      has_removes = true;
      if (!remove_keys.insert(FileKey(r->path, r->deletion_vector)).second)
        return Status::InvalidArgument(where + ": file " + r->path + " is removed twice in one commit");
    } else if (const auto* t = std::get_if<Txn>(&a)) {
      if (!apps.insert(t->app_id).second)
        return Status::InvalidArgument(where + ": two txn actions for app id '" + t->app_id + "'");
    } else if (!std::holds_alternative<Metadata>(a) && !std::holds_alternative<Protocol>(a) &&
               !std::holds_alternative<DomainMetadata>(a)) {
      only_data_adds = false;
    }
    if (!std::holds_alternative<AddFile>(a)) only_data_adds = false;
  }
  for (const auto& k : add_keys)
    if (remove_keys.count(k))
      return Status::InvalidArgument(where + ": a commit may not add and remove the same file and deletion vector");
  if (metadata_count > 1 || protocol_count > 1)
    return Status::InvalidArgument(where + ": a commit holds at most one metaData and one protocol action");
  if (read_version < 0 && (metadata_count != 1 || protocol_count != 1))
    return Status::InvalidArgument(where + ": version 0 must contain a protocol and a metaData action");

  // Never let a commit turn on what Alopex cannot honour.
  for (const auto& a : input) {
    if (const auto* p = std::get_if<Protocol>(&a)) {
      ALOPEX_RETURN_IF_ERROR(CheckReaderProtocol(*p, path_));
      if (p->min_writer_version > 7 || p->min_writer_version < 1)
        return Status::NotImplemented(where + ": cannot commit writer protocol version " +
                                      std::to_string(p->min_writer_version));
      if (p->writer_features)
        for (const auto& f : *p->writer_features)
          if (!WriterFeatures().count(f))
            return Status::NotImplemented("Unsupported Delta writer feature '" + f + "' in a commit to table " + path_);
    }
  }

  ReadScope scope = options.read_scope.value_or(has_removes ? ReadScope::kFiles : ReadScope::kNothing);
  bool blind_append = only_data_adds && scope == ReadScope::kNothing;

  // The table as read: protocol checks, row tracking, in-commit timestamps.
  std::optional<DeltaSnapshot> base;
  if (read_version >= 0) {
    ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, Snapshot(read_version));
    base = std::move(snap);
    ALOPEX_RETURN_IF_ERROR(CheckWriteProtocol(*base, input));
  }
  // Protocol and metadata in force after this commit.
  Protocol protocol = base ? base->protocol : Protocol();
  StringMap config = base ? base->configuration() : StringMap();
  for (const auto& a : input) {
    if (const auto* p = std::get_if<Protocol>(&a)) protocol = *p;
    if (const auto* m = std::get_if<Metadata>(&a)) config = m->configuration;
  }
  bool row_tracking = TracksRowIds(protocol, config);
  bool ict = config.count("delta.enableInCommitTimestamps") && IsTrue(config.at("delta.enableInCommitTimestamps"));
  int64_t row_id_high_water = -1;
  if (base) {
    auto it = base->domains.find("delta.rowTracking");
    if (it != base->domains.end()) {
      auto cfg = JsonNode::Parse(it->second.configuration);
      if (cfg.ok()) row_id_high_water = cfg->GetInt("rowIdHighWaterMark").value_or(-1);
    }
  }
  int64_t previous_time = base ? base->timestamp_ms : 0;

  int64_t version = read_version + 1;
  for (int attempt = 0;; attempt++) {
    int64_t now = options.timestamp_ms ? options.timestamp_ms : DeltaNowMillis();
    CommitInfo ci;
    ci.timestamp = now;
    if (ict) ci.in_commit_timestamp = std::max(now, previous_time + 1);
    ci.operation = options.operation;
    for (const auto& [k, v] : options.operation_parameters) ci.operation_parameters[k] = v;
    if (read_version >= 0) ci.read_version = read_version;
    ci.isolation_level = options.isolation_level;
    ci.is_blind_append = blind_append;
    ci.operation_metrics = options.operation_metrics;
    ci.engine_info = std::string("Alopex/") + kVersion;
    ci.txn_id = RandomUuid();
    ci.user_metadata = options.user_metadata;

    std::vector<Action> actions;
    actions.reserve(input.size() + 2);
    actions.push_back(ci);
    int64_t high_water = row_id_high_water;
    for (const auto& a : input) {
      if (row_tracking) {
        if (const auto* add = std::get_if<AddFile>(&a)) {
          AddFile copy = *add;
          if (!copy.base_row_id) {
            auto n = copy.NumRecords();
            if (!n)
              return Status::InvalidArgument(where + ": row tracking needs numRecords in the stats of file " +
                                             copy.path);
            copy.base_row_id = high_water + 1;
            high_water += *n;
          }
          if (!copy.default_row_commit_version) copy.default_row_commit_version = version;
          actions.push_back(std::move(copy));
          continue;
        }
      }
      actions.push_back(a);
    }
    bool assigned_ids = row_tracking && high_water != row_id_high_water;
    if (assigned_ids) {
      JsonNode cfg = JsonNode::Object();
      cfg.Set("rowIdHighWaterMark", JsonNode::Int(high_water));
      actions.push_back(DomainMetadata{"delta.rowTracking", cfg.Serialize(), false});
    }
    // The commitInfo tag Spark reads to trust preserved row ids: rows that
    // moved to new files kept them only when the writer materialized them.
    if (row_tracking && (has_removes ? options.row_ids_preserved : assigned_ids)) {
      JsonNode tags = JsonNode::Object();
      tags.Set("delta.rowTracking.preserved", JsonNode::String("true"));
      std::get<CommitInfo>(actions[0]).extra.Set("tags", std::move(tags));
    }

    std::string path = CommitPath(version);
    Status st = fs_->PutIfAbsent(path, SerializeActions(actions));
    if (st.ok()) {
      if (options.auto_checkpoint && version > 0) {
        int64_t interval = kDefaultCheckpointInterval;
        if (auto it = config.find("delta.checkpointInterval"); it != config.end()) {
          try {
            interval = std::stoll(it->second);
          } catch (...) {
          }
        }
        // A failed checkpoint never fails the commit: readers fall back to the JSON log.
        if (interval > 0 && version % interval == 0) (void)Checkpoint(version);
      }
      return version;
    }
    if (st.code() != StatusCode::kAlreadyExists)
      return st.WithContext(where + ": writing log file " + VersionName(version) + ".json: ");
    if (read_version < 0) return Status::Conflict(where + " already exists (" + VersionName(0) + ".json is present)");
    if (attempt >= options.max_retries)
      return Status::Conflict(where + ": gave up after " + std::to_string(attempt + 1) +
                              " attempts to commit (last tried version " + std::to_string(version) + ")");
    // Someone else won `version`: check every winner up to the newest commit
    // against what we read and wrote, then try the version after it.
    do {
      ALOPEX_ASSIGN_OR_RETURN(std::vector<Action> winner, ReadCommit(version));
      ALOPEX_RETURN_IF_ERROR(CheckConflicts(input, options, scope, version, winner));
      for (const auto& a : winner) {
        if (const auto* d = std::get_if<DomainMetadata>(&a); d && d->domain == "delta.rowTracking") {
          auto cfg = JsonNode::Parse(d->configuration);
          if (cfg.ok())
            row_id_high_water = std::max(row_id_high_water, cfg->GetInt("rowIdHighWaterMark").value_or(-1));
        }
      }
      if (auto t = CommitTime(winner)) previous_time = std::max(previous_time, *t);
      version++;
    } while (fs_->Exists(CommitPath(version)));
  }
}

// ---------------------------------------------------------------- checkpoint

Status DeltaTable::Checkpoint(int64_t version) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, Snapshot(version));
  const std::string where = "Delta table " + path_ + ", checkpoint of version " + std::to_string(snap.version) + ": ";
  std::vector<Action> actions;
  actions.push_back(snap.protocol);
  actions.push_back(snap.metadata);
  for (const auto& [app, t] : snap.transactions) actions.push_back(t);
  for (const auto& [d, dm] : snap.domains) actions.push_back(dm);
  int64_t num_adds = 0;
  for (const auto& f : snap.files) {
    actions.push_back(f);
    num_adds++;
  }
  // Unexpired tombstones (delta.deletedFileRetentionDuration, default one week).
  int64_t retention_ms = int64_t(7) * 24 * 3600 * 1000;
  int64_t cutoff = DeltaNowMillis() - retention_ms;
  for (const auto& r : snap.tombstones) {
    if (r.deletion_timestamp.value_or(INT64_MAX) < cutoff) continue;
    RemoveFile copy = r;
    copy.stats.reset();
    copy.tags.clear();
    actions.push_back(std::move(copy));
  }
  bool v2 = snap.protocol.HasWriterFeature("v2Checkpoint");
  if (v2) actions.push_back(CheckpointMetadata{snap.version, {}});
  auto bytes = SerializeCheckpoint(actions, v2);
  if (!bytes.ok()) return bytes.status().WithContext(where);
  std::string file = JoinPath(log_path(), VersionName(snap.version) + ".checkpoint.parquet");
  Status st = fs_->PutIfAbsent(file, *bytes);
  if (!st.ok() && st.code() != StatusCode::kAlreadyExists) return st.WithContext(where);

  // _last_checkpoint never moves backwards.
  std::string last = JoinPath(log_path(), "_last_checkpoint");
  if (fs_->Exists(last)) {
    auto text = fs_->ReadAll(last);
    if (text.ok()) {
      auto node = JsonNode::Parse(*text);
      if (node.ok() && node->GetInt("version").value_or(-1) > snap.version) return Status::OK();
    }
  }
  JsonNode hint = JsonNode::Object();
  hint.Set("version", JsonNode::Int(snap.version));
  hint.Set("size", JsonNode::Int(int64_t(actions.size())));
  hint.Set("sizeInBytes", JsonNode::Int(int64_t(bytes->size())));
  hint.Set("numOfAddFiles", JsonNode::Int(num_adds));
  st = fs_->WriteAtomic(last, hint.Serialize());
  if (!st.ok()) return st.WithContext(where + "writing _last_checkpoint: ");
  return Status::OK();
}

// ---------------------------------------------------------------- history

Result<std::vector<DeltaHistoryEntry>> DeltaTable::History(int64_t limit) {
  ALOPEX_ASSIGN_OR_RETURN(LogListing listing, ListLog());
  ALOPEX_ASSIGN_OR_RETURN(auto times, CommitTimestamps());
  std::vector<DeltaHistoryEntry> out;
  for (auto it = listing.commits.rbegin(); it != listing.commits.rend(); ++it) {
    if (limit >= 0 && int64_t(out.size()) >= limit) break;
    ALOPEX_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommit(it->first));
    DeltaHistoryEntry e;
    e.version = it->first;
    e.timestamp_ms = times[it->first];
    for (const auto& a : actions) {
      if (const auto* ci = std::get_if<CommitInfo>(&a)) {
        e.operation = ci->operation;
        e.operation_parameters = ci->operation_parameters;
        e.read_version = ci->read_version;
        e.isolation_level = ci->isolation_level;
        e.is_blind_append = ci->is_blind_append;
        e.operation_metrics = ci->operation_metrics;
        e.engine_info = ci->engine_info;
        e.user_metadata = ci->user_metadata;
        break;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

// ---------------------------------------------------------------- vacuum

Result<VacuumResult> DeltaTable::Vacuum(double retain_hours, bool dry_run) {
  if (retain_hours < 0) return Status::InvalidArgument("VACUUM retention must not be negative");
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, Snapshot());
  ALOPEX_RETURN_IF_ERROR(CheckWriteProtocol(snap, {}));
  int64_t cutoff_ms = DeltaNowMillis() - int64_t(retain_hours * 3600.0 * 1000.0);

  auto absolute = [&](const std::string& p) -> std::string {
    std::string decoded = UrlDecode(p);
    if (p.find("://") != std::string::npos || p.rfind("file:", 0) == 0 || (!p.empty() && p[0] == '/')) return decoded;
    return JoinPath(path_, decoded);
  };
  std::set<std::string> keep;
  auto keep_dv = [&](const std::optional<DeletionVectorDescriptor>& dv) {
    if (!dv || dv->storage_type == "i") return;
    if (auto p = DeletionVectorFilePath(*dv, path_); p.ok()) keep.insert(*p);
  };
  for (const auto& f : snap.files) {
    keep.insert(absolute(f.path));
    keep_dv(f.deletion_vector);
  }
  for (const auto& r : snap.tombstones) {
    if (r.deletion_timestamp.value_or(INT64_MAX) >= cutoff_ms) {
      keep.insert(absolute(r.path));
      keep_dv(r.deletion_vector);
    }
  }

  ALOPEX_ASSIGN_OR_RETURN(std::vector<FileInfo> files, fs_->List(path_, true));
  VacuumResult result;
  const std::string root = path_ + "/";
  for (const auto& f : files) {
    if (f.is_directory) continue;
    if (f.path.compare(0, root.size(), root) != 0) continue;
    std::string rel = f.path.substr(root.size());
    // Skip hidden and underscore directories (the log, checkpoints' sidecars,
    // temp folders) except change data; skip hidden files (.crc, _SUCCESS).
    bool hidden = false;
    size_t start = 0;
    while (start < rel.size()) {
      size_t slash = rel.find('/', start);
      std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      bool is_dir = slash != std::string::npos;
      if (!part.empty() && (part[0] == '.' || part[0] == '_') && !(is_dir && part == "_change_data")) hidden = true;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (hidden) continue;
    if (keep.count(f.path)) continue;
    if (f.mtime_micros / 1000 >= cutoff_ms) continue;  // may belong to a running write
    result.files.push_back(f.path);
    result.bytes += int64_t(f.size);
  }
  std::sort(result.files.begin(), result.files.end());
  if (!dry_run) {
    for (const auto& p : result.files) {
      Status st = fs_->Delete(p);
      if (!st.ok() && st.code() != StatusCode::kNotFound) return st.WithContext("Delta table " + path_ + ": VACUUM: ");
    }
  }
  return result;
}

}  // namespace alopex
