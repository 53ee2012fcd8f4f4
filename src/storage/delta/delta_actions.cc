#include "storage/delta/delta_actions.h"

#include <algorithm>

namespace alopex {

namespace {

Status Missing(const char* action, const char* field) {
  return Status::Corruption(std::string(action) + " action lacks required field '" + field + "'");
}

Status WrongKind(const char* action, const char* field, const char* expected) {
  return Status::Corruption(std::string(action) + " action field '" + field + "' is not " + expected);
}

// Required string member.
Status ReqString(const JsonNode& o, const char* action, const char* field, std::string* out) {
  const JsonNode* n = o.Find(field);
  if (!n || n->is_null()) return Missing(action, field);
  if (!n->is_string()) return WrongKind(action, field, "a string");
  *out = n->str();
  return Status::OK();
}

template <typename Int>
Status ReqInt(const JsonNode& o, const char* action, const char* field, Int* out) {
  const JsonNode* n = o.Find(field);
  if (!n || n->is_null()) return Missing(action, field);
  auto v = o.GetInt(field);
  if (!v) return WrongKind(action, field, "a number");
  *out = Int(*v);
  return Status::OK();
}

std::optional<std::string> OptString(const JsonNode& o, const char* field) { return o.GetString(field); }
std::optional<int64_t> OptInt(const JsonNode& o, const char* field) { return o.GetInt(field); }

StringMap ReadStringMap(const JsonNode* n) {
  StringMap out;
  if (!n || !n->is_object()) return out;
  for (const auto& [k, v] : n->members()) {
    if (v.is_string()) out[k] = v.str();
    else if (!v.is_null()) out[k] = v.Serialize();
  }
  return out;
}

PartitionValues ReadPartitionValues(const JsonNode* n) {
  PartitionValues out;
  if (!n || !n->is_object()) return out;
  for (const auto& [k, v] : n->members()) {
    if (v.is_null()) out[k] = std::nullopt;
    else if (v.is_string()) out[k] = v.str();
    else out[k] = v.Serialize();
  }
  return out;
}

std::optional<std::vector<std::string>> ReadStringArray(const JsonNode* n) {
  if (!n || !n->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& v : n->items())
    if (v.is_string()) out.push_back(v.str());
  return out;
}

JsonNode StringMapToJson(const StringMap& m) {
  JsonNode o = JsonNode::Object();
  for (const auto& [k, v] : m) o.Set(k, JsonNode::String(v));
  return o;
}

JsonNode PartitionValuesToJson(const PartitionValues& m) {
  JsonNode o = JsonNode::Object();
  for (const auto& [k, v] : m) o.Set(k, v ? JsonNode::String(*v) : JsonNode::Null());
  return o;
}

JsonNode StringArrayToJson(const std::vector<std::string>& v) {
  JsonNode a = JsonNode::Array();
  for (const auto& s : v) a.Push(JsonNode::String(s));
  return a;
}

Result<Protocol> ProtocolFromJson(const JsonNode& o) {
  Protocol p;
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "protocol", "minReaderVersion", &p.min_reader_version));
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "protocol", "minWriterVersion", &p.min_writer_version));
  p.reader_features = ReadStringArray(o.Find("readerFeatures"));
  p.writer_features = ReadStringArray(o.Find("writerFeatures"));
  return p;
}

Result<Metadata> MetadataFromJson(const JsonNode& o) {
  Metadata m;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "metaData", "id", &m.id));
  m.name = OptString(o, "name");
  m.description = OptString(o, "description");
  if (const JsonNode* f = o.Find("format"); f && f->is_object()) {
    if (auto p = f->GetString("provider")) m.format_provider = *p;
    m.format_options = ReadStringMap(f->Find("options"));
  }
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "metaData", "schemaString", &m.schema_string));
  if (auto cols = ReadStringArray(o.Find("partitionColumns"))) m.partition_columns = std::move(*cols);
  m.configuration = ReadStringMap(o.Find("configuration"));
  m.created_time = OptInt(o, "createdTime");
  return m;
}

Result<AddFile> AddFromJson(const JsonNode& o) {
  AddFile a;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "add", "path", &a.path));
  a.partition_values = ReadPartitionValues(o.Find("partitionValues"));
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "add", "size", &a.size));
  a.modification_time = OptInt(o, "modificationTime").value_or(0);
  a.data_change = o.GetBool("dataChange").value_or(true);
  a.stats = OptString(o, "stats");
  a.tags = ReadStringMap(o.Find("tags"));
  if (const JsonNode* dv = o.Find("deletionVector"); dv && dv->is_object()) {
    ALOPEX_ASSIGN_OR_RETURN(a.deletion_vector, DeletionVectorFromJson(*dv));
  }
  a.base_row_id = OptInt(o, "baseRowId");
  a.default_row_commit_version = OptInt(o, "defaultRowCommitVersion");
  a.clustering_provider = OptString(o, "clusteringProvider");
  return a;
}

Result<RemoveFile> RemoveFromJson(const JsonNode& o) {
  RemoveFile r;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "remove", "path", &r.path));
  r.deletion_timestamp = OptInt(o, "deletionTimestamp");
  r.data_change = o.GetBool("dataChange").value_or(true);
  r.extended_file_metadata = o.GetBool("extendedFileMetadata");
  if (const JsonNode* pv = o.Find("partitionValues"); pv && pv->is_object()) r.partition_values = ReadPartitionValues(pv);
  r.size = OptInt(o, "size");
  r.stats = OptString(o, "stats");
  r.tags = ReadStringMap(o.Find("tags"));
  if (const JsonNode* dv = o.Find("deletionVector"); dv && dv->is_object()) {
    ALOPEX_ASSIGN_OR_RETURN(r.deletion_vector, DeletionVectorFromJson(*dv));
  }
  r.base_row_id = OptInt(o, "baseRowId");
  r.default_row_commit_version = OptInt(o, "defaultRowCommitVersion");
  return r;
}

CommitInfo CommitInfoFromJson(const JsonNode& o) {
  CommitInfo c;
  for (const auto& [k, v] : o.members()) {
    if (k == "timestamp") c.timestamp = o.GetInt(k);
    else if (k == "inCommitTimestamp") c.in_commit_timestamp = o.GetInt(k);
    else if (k == "operation" && v.is_string()) c.operation = v.str();
    else if (k == "operationParameters" && v.is_object()) {
      for (const auto& [pk, pv] : v.members()) {
        if (pv.is_null()) c.operation_parameters[pk] = std::nullopt;
        else c.operation_parameters[pk] = pv.is_string() ? pv.str() : pv.Serialize();
      }
    } else if (k == "readVersion") c.read_version = o.GetInt(k);
    else if (k == "isolationLevel") c.isolation_level = o.GetString(k);
    else if (k == "isBlindAppend") c.is_blind_append = o.GetBool(k);
    else if (k == "operationMetrics") c.operation_metrics = ReadStringMap(&v);
    else if (k == "engineInfo") c.engine_info = o.GetString(k);
    else if (k == "txnId") c.txn_id = o.GetString(k);
    else if (k == "userMetadata") c.user_metadata = o.GetString(k);
    else c.extra.Set(k, v);
  }
  return c;
}

Result<Txn> TxnFromJson(const JsonNode& o) {
  Txn t;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "txn", "appId", &t.app_id));
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "txn", "version", &t.version));
  t.last_updated = OptInt(o, "lastUpdated");
  return t;
}

Result<DomainMetadata> DomainFromJson(const JsonNode& o) {
  DomainMetadata d;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "domainMetadata", "domain", &d.domain));
  d.configuration = OptString(o, "configuration").value_or("");
  d.removed = o.GetBool("removed").value_or(false);
  return d;
}

JsonNode ToJson(const Protocol& p) {
  JsonNode o = JsonNode::Object();
  o.Set("minReaderVersion", JsonNode::Int(p.min_reader_version));
  o.Set("minWriterVersion", JsonNode::Int(p.min_writer_version));
  if (p.reader_features) o.Set("readerFeatures", StringArrayToJson(*p.reader_features));
  if (p.writer_features) o.Set("writerFeatures", StringArrayToJson(*p.writer_features));
  return o;
}

JsonNode ToJson(const Metadata& m) {
  JsonNode o = JsonNode::Object();
  o.Set("id", JsonNode::String(m.id));
  if (m.name) o.Set("name", JsonNode::String(*m.name));
  if (m.description) o.Set("description", JsonNode::String(*m.description));
  JsonNode format = JsonNode::Object();
  format.Set("provider", JsonNode::String(m.format_provider));
  format.Set("options", StringMapToJson(m.format_options));
  o.Set("format", std::move(format));
  o.Set("schemaString", JsonNode::String(m.schema_string));
  o.Set("partitionColumns", StringArrayToJson(m.partition_columns));
  o.Set("configuration", StringMapToJson(m.configuration));
  if (m.created_time) o.Set("createdTime", JsonNode::Int(*m.created_time));
  return o;
}

JsonNode ToJson(const AddFile& a) {
  JsonNode o = JsonNode::Object();
  o.Set("path", JsonNode::String(a.path));
  o.Set("partitionValues", PartitionValuesToJson(a.partition_values));
  o.Set("size", JsonNode::Int(a.size));
  o.Set("modificationTime", JsonNode::Int(a.modification_time));
  o.Set("dataChange", JsonNode::Bool(a.data_change));
  if (a.stats) o.Set("stats", JsonNode::String(*a.stats));
  if (!a.tags.empty()) o.Set("tags", StringMapToJson(a.tags));
  if (a.deletion_vector) o.Set("deletionVector", DeletionVectorToJson(*a.deletion_vector));
  if (a.base_row_id) o.Set("baseRowId", JsonNode::Int(*a.base_row_id));
  if (a.default_row_commit_version) o.Set("defaultRowCommitVersion", JsonNode::Int(*a.default_row_commit_version));
  if (a.clustering_provider) o.Set("clusteringProvider", JsonNode::String(*a.clustering_provider));
  return o;
}

JsonNode ToJson(const RemoveFile& r) {
  JsonNode o = JsonNode::Object();
  o.Set("path", JsonNode::String(r.path));
  if (r.deletion_timestamp) o.Set("deletionTimestamp", JsonNode::Int(*r.deletion_timestamp));
  o.Set("dataChange", JsonNode::Bool(r.data_change));
  if (r.extended_file_metadata) o.Set("extendedFileMetadata", JsonNode::Bool(*r.extended_file_metadata));
  if (r.partition_values) o.Set("partitionValues", PartitionValuesToJson(*r.partition_values));
  if (r.size) o.Set("size", JsonNode::Int(*r.size));
  if (r.stats) o.Set("stats", JsonNode::String(*r.stats));
  if (!r.tags.empty()) o.Set("tags", StringMapToJson(r.tags));
  if (r.deletion_vector) o.Set("deletionVector", DeletionVectorToJson(*r.deletion_vector));
  if (r.base_row_id) o.Set("baseRowId", JsonNode::Int(*r.base_row_id));
  if (r.default_row_commit_version) o.Set("defaultRowCommitVersion", JsonNode::Int(*r.default_row_commit_version));
  return o;
}

JsonNode ToJson(const CommitInfo& c) {
  JsonNode o = JsonNode::Object();
  // inCommitTimestamp first: the protocol requires it leading when the feature is on.
  if (c.in_commit_timestamp) o.Set("inCommitTimestamp", JsonNode::Int(*c.in_commit_timestamp));
  if (c.timestamp) o.Set("timestamp", JsonNode::Int(*c.timestamp));
  o.Set("operation", JsonNode::String(c.operation));
  JsonNode params = JsonNode::Object();
  for (const auto& [k, v] : c.operation_parameters) params.Set(k, v ? JsonNode::String(*v) : JsonNode::Null());
  o.Set("operationParameters", std::move(params));
  if (c.read_version) o.Set("readVersion", JsonNode::Int(*c.read_version));
  if (c.isolation_level) o.Set("isolationLevel", JsonNode::String(*c.isolation_level));
  if (c.is_blind_append) o.Set("isBlindAppend", JsonNode::Bool(*c.is_blind_append));
  o.Set("operationMetrics", StringMapToJson(c.operation_metrics));
  if (c.engine_info) o.Set("engineInfo", JsonNode::String(*c.engine_info));
  if (c.txn_id) o.Set("txnId", JsonNode::String(*c.txn_id));
  if (c.user_metadata) o.Set("userMetadata", JsonNode::String(*c.user_metadata));
  for (const auto& [k, v] : c.extra.members())
    if (!o.Find(k)) o.Set(k, v);
  return o;
}

JsonNode ToJson(const Txn& t) {
  JsonNode o = JsonNode::Object();
  o.Set("appId", JsonNode::String(t.app_id));
  o.Set("version", JsonNode::Int(t.version));
  if (t.last_updated) o.Set("lastUpdated", JsonNode::Int(*t.last_updated));
  return o;
}

JsonNode ToJson(const DomainMetadata& d) {
  JsonNode o = JsonNode::Object();
  o.Set("domain", JsonNode::String(d.domain));
  o.Set("configuration", JsonNode::String(d.configuration));
  o.Set("removed", JsonNode::Bool(d.removed));
  return o;
}

JsonNode ToJson(const CheckpointMetadata& c) {
  JsonNode o = JsonNode::Object();
  o.Set("version", JsonNode::Int(c.version));
  if (!c.tags.empty()) o.Set("tags", StringMapToJson(c.tags));
  return o;
}

JsonNode ToJson(const SidecarFile& s) {
  JsonNode o = JsonNode::Object();
  o.Set("path", JsonNode::String(s.path));
  o.Set("sizeInBytes", JsonNode::Int(s.size_in_bytes));
  o.Set("modificationTime", JsonNode::Int(s.modification_time));
  if (!s.tags.empty()) o.Set("tags", StringMapToJson(s.tags));
  return o;
}

}  // namespace

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id = storage_type + path_or_inline_dv;
  if (offset) id += "@" + std::to_string(*offset);
  return id;
}

bool Protocol::HasReaderFeature(std::string_view name) const {
  if (!reader_features) return false;
  return std::find(reader_features->begin(), reader_features->end(), name) != reader_features->end();
}

bool Protocol::HasWriterFeature(std::string_view name) const {
  if (!writer_features) return false;
  return std::find(writer_features->begin(), writer_features->end(), name) != writer_features->end();
}

std::optional<int64_t> AddFile::NumRecords() const {
  if (!stats) return std::nullopt;
  auto parsed = JsonNode::Parse(*stats);
  if (!parsed.ok()) return std::nullopt;
  return parsed->GetInt("numRecords");
}

RemoveFile RemoveFile::For(const AddFile& add, int64_t timestamp_ms, bool data_change) {
  RemoveFile r;
  r.path = add.path;
  r.deletion_timestamp = timestamp_ms;
  r.data_change = data_change;
  r.extended_file_metadata = true;
  r.partition_values = add.partition_values;
  r.size = add.size;
  r.stats = add.stats;
  r.tags = add.tags;
  r.deletion_vector = add.deletion_vector;
  r.base_row_id = add.base_row_id;
  r.default_row_commit_version = add.default_row_commit_version;
  return r;
}

Result<DeletionVectorDescriptor> DeletionVectorFromJson(const JsonNode& o) {
  DeletionVectorDescriptor dv;
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "deletionVector", "storageType", &dv.storage_type));
  ALOPEX_RETURN_IF_ERROR(ReqString(o, "deletionVector", "pathOrInlineDv", &dv.path_or_inline_dv));
  if (auto off = o.GetInt("offset")) dv.offset = int32_t(*off);
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "deletionVector", "sizeInBytes", &dv.size_in_bytes));
  ALOPEX_RETURN_IF_ERROR(ReqInt(o, "deletionVector", "cardinality", &dv.cardinality));
  return dv;
}

JsonNode DeletionVectorToJson(const DeletionVectorDescriptor& dv) {
  JsonNode o = JsonNode::Object();
  o.Set("storageType", JsonNode::String(dv.storage_type));
  o.Set("pathOrInlineDv", JsonNode::String(dv.path_or_inline_dv));
  if (dv.offset) o.Set("offset", JsonNode::Int(*dv.offset));
  o.Set("sizeInBytes", JsonNode::Int(dv.size_in_bytes));
  o.Set("cardinality", JsonNode::Int(dv.cardinality));
  return o;
}

const char* ActionName(const Action& action) {
  switch (action.index()) {
    case 0: return "protocol";
    case 1: return "metaData";
    case 2: return "add";
    case 3: return "remove";
    case 4: return "commitInfo";
    case 5: return "txn";
    case 6: return "domainMetadata";
    case 7: return "checkpointMetadata";
    case 8: return "sidecar";
  }
  return "?";
}

Result<std::optional<Action>> ActionFromJson(const JsonNode& line) {
  if (!line.is_object()) return Status::Corruption("an action must be a JSON object");
  for (const auto& [name, body] : line.members()) {
    if (body.is_null()) continue;
    if (!body.is_object()) {
      if (name == "protocol" || name == "metaData" || name == "add" || name == "remove" || name == "txn")
        return Status::Corruption("action '" + name + "' is not a JSON object");
      continue;
    }
    if (name == "protocol") {
      ALOPEX_ASSIGN_OR_RETURN(Protocol p, ProtocolFromJson(body));
      return std::optional<Action>(std::move(p));
    }
    if (name == "metaData") {
      ALOPEX_ASSIGN_OR_RETURN(Metadata m, MetadataFromJson(body));
      return std::optional<Action>(std::move(m));
    }
    if (name == "add") {
      ALOPEX_ASSIGN_OR_RETURN(AddFile a, AddFromJson(body));
      return std::optional<Action>(std::move(a));
    }
    if (name == "remove") {
      ALOPEX_ASSIGN_OR_RETURN(RemoveFile r, RemoveFromJson(body));
      return std::optional<Action>(std::move(r));
    }
    if (name == "commitInfo") return std::optional<Action>(CommitInfoFromJson(body));
    if (name == "txn") {
      ALOPEX_ASSIGN_OR_RETURN(Txn t, TxnFromJson(body));
      return std::optional<Action>(std::move(t));
    }
    if (name == "domainMetadata") {
      ALOPEX_ASSIGN_OR_RETURN(DomainMetadata d, DomainFromJson(body));
      return std::optional<Action>(std::move(d));
    }
    if (name == "checkpointMetadata") {
      CheckpointMetadata c;
      ALOPEX_RETURN_IF_ERROR(ReqInt(body, "checkpointMetadata", "version", &c.version));
      c.tags = ReadStringMap(body.Find("tags"));
      return std::optional<Action>(std::move(c));
    }
    if (name == "sidecar") {
      SidecarFile s;
      ALOPEX_RETURN_IF_ERROR(ReqString(body, "sidecar", "path", &s.path));
      s.size_in_bytes = body.GetInt("sizeInBytes").value_or(0);
      s.modification_time = body.GetInt("modificationTime").value_or(0);
      s.tags = ReadStringMap(body.Find("tags"));
      return std::optional<Action>(std::move(s));
    }
    // cdc and actions of newer protocol versions: not part of the table state.
  }
  return std::optional<Action>();
}

JsonNode ActionToJson(const Action& action) {
  JsonNode line = JsonNode::Object();
  std::visit([&](const auto& a) { line.Set(ActionName(action), ToJson(a)); }, action);
  return line;
}

Result<std::vector<Action>> ParseActions(std::string_view ndjson, const std::string& source) {
  std::vector<Action> out;
  size_t pos = 0;
  int line_no = 0;
  while (pos < ndjson.size()) {
    size_t end = ndjson.find('\n', pos);
    if (end == std::string_view::npos) end = ndjson.size();
    std::string_view line = ndjson.substr(pos, end - pos);
    pos = end + 1;
    line_no++;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto node = JsonNode::Parse(line);
    if (!node.ok()) return node.status().WithContext(source + ": line " + std::to_string(line_no) + ": ");
    auto action = ActionFromJson(*node);
    if (!action.ok()) return action.status().WithContext(source + ": line " + std::to_string(line_no) + ": ");
    if (*action) out.push_back(std::move(**action));
  }
  return out;
}

std::string SerializeActions(const std::vector<Action>& actions) {
  std::string out;
  for (const auto& a : actions) {
    ActionToJson(a).AppendTo(&out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace alopex
