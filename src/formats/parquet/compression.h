// Page compression codecs (Parquet CompressionCodec): SNAPPY raw blocks, GZIP
// (several concatenated members allowed), BROTLI, ZSTD, LZ4_RAW, and the
// deprecated LZ4 codec with its Hadoop-framing / frame / raw-block fallbacks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "alopex/status.h"
#include "formats/parquet/parquet_metadata.h"

namespace alopex::parquet {

// Decompresses `in` into exactly `out_size` bytes at `out`. Any other size, or a
// malformed stream, is a Corruption status (no message prefix; callers add the
// column and page).
Status Decompress(Codec codec, const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size);

// Compresses `in` and appends the result to `out`. `level` 0 = codec default.
Status Compress(Codec codec, int level, const uint8_t* in, size_t in_size, std::string* out);

// Maps a user spelling (none|uncompressed|snappy|gzip|zstd|lz4|lz4_raw|brotli) to a codec.
Result<Codec> CodecFromName(const std::string& name);

}  // namespace alopex::parquet
