// Parquet statistics: decoding min/max into Alopex Values (with the legacy
// min/max trust rules), comparing Values for pruning, and the plain
// physical encoding of a Value (statistics, bloom filter hashing).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alopex/value.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/parquet_schema.h"

namespace alopex {

// Whole-file statistics of one top-level leaf column, as the writer reports
// them for Delta "stats" (nested columns may leave min/max empty).
struct ColumnStatistics {
  std::optional<Value> min, max;
  int64_t null_count = 0;
};

namespace parquet {

// Decodes a statistics value (PLAIN encoding; BYTE_ARRAY without length prefix)
// of `leaf` into an Alopex value; nullopt when it cannot be decoded.
std::optional<Value> DecodeStatValue(const LeafInfo& leaf, std::string_view bytes);

// The PLAIN physical bytes of `v` in `leaf`'s physical type (BYTE_ARRAY without
// the length prefix); nullopt when `v` does not convert exactly.
std::optional<std::string> EncodePhysicalValue(const LeafInfo& leaf, const Value& v);

// Which of min/max to trust: prefers min_value/max_value; uses the deprecated
// min/max only for signed-order types (or when equal).
void ChooseStatistics(const LeafInfo& leaf, const Statistics& s, const FileMetaData& md,
                      std::optional<std::string>* min, std::optional<std::string>* max);

// Three-way comparison of two non-null values of comparable types; nullopt
// when they cannot be compared (the caller must then assume "may match").
std::optional<int> CompareValues(const Value& a, const Value& b);

}  // namespace parquet
}  // namespace alopex
