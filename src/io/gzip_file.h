// Gzip streams over the FileSystem interfaces, for .csv.gz / .json.gz files.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/file_system.h"

namespace alopex {

// A WritableFile that gzip-compresses everything appended and writes it to
// `inner`; Close() finishes the stream and closes `inner`.
std::unique_ptr<WritableFile> NewGzipWritableFile(std::unique_ptr<WritableFile> inner, int level = 6);

// Decompresses a whole gzip (or zlib) stream, concatenated members included.
// Errors are Corruption naming `name`.
Result<std::string> GzipDecompress(std::string_view data, const std::string& name);

// True when `data` starts with the gzip magic bytes.
bool IsGzip(std::string_view data);

// Opens `path` for reading; a gzip file (by its magic bytes, whatever its
// name) is read whole and decompressed into memory. Errors name `name`.
Result<std::unique_ptr<RandomAccessFile>> OpenMaybeGzip(FileSystem* fs, const std::string& path,
                                                        const std::string& name);

}  // namespace alopex
