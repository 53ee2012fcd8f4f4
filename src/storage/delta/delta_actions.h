// Delta Lake log actions (PROTOCOL.md "Actions"): the typed form of each line
// of a `_delta_log/NNN.json` commit and of each checkpoint row, with parsing
// from and serialization to newline-delimited JSON. Unknown actions and unknown
// fields are ignored on read, as the protocol requires; every field the
// protocol marks required is always written.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "alopex/status.h"
#include "storage/delta/json_node.h"

namespace alopex {

// add/remove "partitionValues": a value per partition column (nullopt = null).
using PartitionValues = std::map<std::string, std::optional<std::string>>;
using StringMap = std::map<std::string, std::string>;

// A deletion vector descriptor (PROTOCOL.md "Deletion Vector Descriptor Schema").
struct DeletionVectorDescriptor {
  std::string storage_type;       // "u" (UUID-named file), "i" (inline), "p" (absolute path)
  std::string path_or_inline_dv;  // see storage_type
  std::optional<int32_t> offset;  // byte offset in the DV file (absent for "i")
  int32_t size_in_bytes = 0;      // bytes of the serialized bitmap
  int64_t cardinality = 0;        // rows deleted

  // storage_type + path_or_inline_dv [+ "@" + offset]: the DV part of a logical file's key.
  std::string UniqueId() const;
  bool operator==(const DeletionVectorDescriptor&) const = default;
};

struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  // Present iff the reader version is 3 / the writer version is 7.
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  bool HasReaderFeature(std::string_view name) const;
  bool HasWriterFeature(std::string_view name) const;
  bool operator==(const Protocol&) const = default;
};

struct Metadata {
  std::string id;  // a GUID
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::string format_provider = "parquet";
  StringMap format_options;
  std::string schema_string;  // the schema JSON (delta_schema.h)
  std::vector<std::string> partition_columns;
  StringMap configuration;  // table properties
  std::optional<int64_t> created_time;  // milliseconds since the epoch
};

struct AddFile {
  std::string path;  // URI, relative to the table root or absolute
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;  // milliseconds since the epoch
  bool data_change = true;
  std::optional<std::string> stats;  // JSON text: numRecords, minValues, maxValues, nullCount
  StringMap tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;

  // numRecords from `stats`, when present.
  std::optional<int64_t> NumRecords() const;
};

struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp;  // milliseconds since the epoch
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<std::string> stats;
  StringMap tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;

  // The remove of `add` at `timestamp_ms`, with the add's full metadata.
  static RemoveFile For(const AddFile& add, int64_t timestamp_ms, bool data_change = true);
};

// Free-form provenance of a commit. The typed fields are the ones Spark and
// DESCRIBE HISTORY use; `extra` keeps every other member as read.
struct CommitInfo {
  std::optional<int64_t> timestamp;  // milliseconds since the epoch (writer clock)
  std::optional<int64_t> in_commit_timestamp;
  std::string operation;
  // Values are JSON text (Spark: "[]", "\"Append\"", ...) or plain strings.
  std::map<std::string, std::optional<std::string>> operation_parameters;
  std::optional<int64_t> read_version;
  std::optional<std::string> isolation_level;
  std::optional<bool> is_blind_append;
  StringMap operation_metrics;
  std::optional<std::string> engine_info;
  std::optional<std::string> txn_id;
  std::optional<std::string> user_metadata;
  JsonNode extra = JsonNode::Object();
};

struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
};

struct DomainMetadata {
  std::string domain;
  std::string configuration;  // opaque, usually JSON
  bool removed = false;
};

// V2 checkpoints only.
struct CheckpointMetadata {
  int64_t version = 0;
  StringMap tags;
};

struct SidecarFile {
  std::string path;  // URI-encoded, normally a bare name inside _delta_log/_sidecars/
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  StringMap tags;
};

using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, CommitInfo, Txn, DomainMetadata,
                            CheckpointMetadata, SidecarFile>;

// The protocol's name of an action ("add", "metaData", ...).
const char* ActionName(const Action& action);

// One action from its JSON object ({"add": {...}}). nullopt for actions this
// reader ignores (cdc, unknown names). Missing required fields are a Corruption
// error naming the action and the field.
Result<std::optional<Action>> ActionFromJson(const JsonNode& line);
JsonNode ActionToJson(const Action& action);

// Parses a whole commit file; errors name `source` (the log file) and the line.
Result<std::vector<Action>> ParseActions(std::string_view ndjson, const std::string& source);
// One line per action, each ending in '\n'.
std::string SerializeActions(const std::vector<Action>& actions);

// Descriptor and partition-value helpers shared with checkpoints.
Result<DeletionVectorDescriptor> DeletionVectorFromJson(const JsonNode& node);
JsonNode DeletionVectorToJson(const DeletionVectorDescriptor& dv);

}  // namespace alopex
