// Hive-style partition folders: ".../year=2024/country=US/part-0.parquet".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "alopex/value.h"

namespace alopex {

struct HivePartition {
  std::string key;
  std::optional<std::string> value;  // nullopt for __HIVE_DEFAULT_PARTITION__ (NULL)
};

// The `key=value` folder segments of a file path, outermost first; keys and values
// are URL-decoded. The last segment (the file name) is not a folder and is
// ignored. A key that appears twice keeps its innermost value, in its first position.
std::vector<HivePartition> ParseHivePartitions(std::string_view path);

// Decodes %XX escapes ("a%20b" → "a b"); malformed escapes stay as they are.
std::string UrlDecode(std::string_view s);
// Encodes the characters Hive escapes in partition folder names (/, =, %, :, space, ...).
std::string UrlEncodePartitionValue(std::string_view s);

// The type of a partition column from its values (NULLs ignored): BIGINT when
// every value is an integer, DOUBLE when every value is a number, DATE when every
// value is a YYYY-MM-DD date, else VARCHAR (also when there are only NULLs).
LogicalType InferHivePartitionType(const std::vector<std::optional<std::string>>& values);

// The value of a partition as `type` (one InferHivePartitionType returned, or
// VARCHAR); an error names the key and the text.
Result<Value> HivePartitionValue(const HivePartition& partition, const LogicalType& type);

}  // namespace alopex
