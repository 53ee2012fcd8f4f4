// Delta deletion vectors (PROTOCOL.md "Deletion Vectors"): Z85 text, the
// RoaringBitmapArray serialization of the deleted row indexes, and loading a
// descriptor's bitmap from inline text or from a deletion_vector_<uuid>.bin file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"
#include "io/file_system.h"
#include "storage/delta/delta_actions.h"

namespace alopex {

// Z85 (ZeroMQ base-85): 5 characters per 4 bytes, big-endian. Decoding needs a
// multiple of 5 characters; encoding pads `bytes` with zeros to a multiple of 4.
Result<std::string> Z85Decode(std::string_view text);
std::string Z85Encode(std::string_view bytes);

// The sorted, distinct 64-bit row indexes of a RoaringBitmapArray: the portable
// layout (magic 1681511377) or the native one (magic 1681511376). Array, bitset
// and run containers are all read. Errors say what is malformed and where.
Result<std::vector<uint64_t>> ParseRoaringBitmapArray(std::string_view bytes);
// The portable RoaringBitmapArray of `rows` (any order, duplicates allowed).
std::string SerializeRoaringBitmapArray(std::vector<uint64_t> rows);

// The file a "u" or "p" descriptor points at, below `table_root` for "u".
Result<std::string> DeletionVectorFilePath(const DeletionVectorDescriptor& dv, const std::string& table_root);

// The deleted row indexes of `dv`, sorted. On-disk DVs are read at their
// offset and checked (size prefix and CRC-32); the count must equal the
// descriptor's cardinality. Errors name the DV file or the inline descriptor.
Result<std::vector<uint64_t>> LoadDeletionVector(const DeletionVectorDescriptor& dv, const std::string& table_root,
                                                 FileSystem* fs);

// An inline ("i") descriptor holding `rows`.
DeletionVectorDescriptor MakeInlineDeletionVector(const std::vector<uint64_t>& rows);

}  // namespace alopex
