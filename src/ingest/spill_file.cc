#include "ingest/spill_file.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>

#include "common/cast.h"
#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/parquet_writer.h"
#include "io/file_system.h"

namespace alopex {

Result<std::unique_ptr<SpillFolder>> SpillFolder::Create(const std::string& parent) {
  static std::atomic<uint64_t> counter{0};
  std::string root = parent;
  if (root.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    root = tmp && *tmp ? tmp : "/tmp";
  }
  // pid, a process-wide counter and the clock: unique across this process's
  // imports and across processes sharing `root`.
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  std::string path = JoinPath(root, "alopex-spill-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
                                        std::to_string(uint64_t(now) & 0xffffff));
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(path));
  Status st = fs->CreateDirectories(path);
  if (!st.ok()) return st.WithContext("spill folder " + path + ": ");
  return std::unique_ptr<SpillFolder>(new SpillFolder(path));
}

SpillFolder::~SpillFolder() {
  auto fs = FileSystem::ForPath(path_);
  if (fs.ok()) (void)(*fs)->DeleteRecursive(path_);
}

std::string SpillFolder::NewFilePath(const std::string& prefix) {
  return JoinPath(path_, prefix + "-" + std::to_string(next_file_++) + ".parquet");
}

Result<std::unique_ptr<SpillWriter>> SpillWriter::Open(const std::string& path, const std::vector<LogicalType>& types,
                                                       int64_t buffer_bytes) {
  std::vector<std::string> names;
  for (size_t i = 0; i < types.size(); i++) names.push_back("c" + std::to_string(i));
  ParquetWriteOptions o;
  o.compression = "lz4_raw";
  o.dictionary = false;
  o.statistics = false;
  o.page_index = false;
  o.row_group_bytes = std::max<int64_t>(buffer_bytes, 64 << 10);
  o.page_size = std::min<int64_t>(o.page_size, o.row_group_bytes);
  auto w = std::unique_ptr<SpillWriter>(new SpillWriter());
  w->path_ = path;
  auto opened = ParquetWriter::Open(path, std::move(names), types, o);
  if (!opened.ok()) return opened.status().WithContext("spill file " + path + ": ");
  w->writer_ = std::move(*opened);
  return w;
}

SpillWriter::~SpillWriter() = default;

Status SpillWriter::Write(const Batch& batch) {
  if (batch.num_rows == 0) return Status::OK();
  rows_ += batch.num_rows;
  return writer_->Write(batch).WithContext("spill file " + path_ + ": ");
}

Status SpillWriter::Close() { return writer_->Close().WithContext("spill file " + path_ + ": "); }

Status ReadSpillFile(const std::string& path, const std::vector<LogicalType>& types,
                     const std::function<Status(Batch&&)>& sink) {
  auto opened = ParquetReader::Open(path);
  if (!opened.ok()) return opened.status().WithContext("spill file " + path + ": ");
  ParquetReader& reader = **opened;
  ParquetReadOptions o;
  o.vectors_from_lists = true;
  for (int rg = 0; rg < reader.num_row_groups(); rg++) {
    ALOPEX_RETURN_IF_ERROR(reader.ReadRowGroup(rg, o, [&](Batch&& b) -> Status {
      if (b.columns.size() != types.size())
        return Status::Corruption("spill file " + path + ": " + std::to_string(b.columns.size()) +
                                  " columns, expected " + std::to_string(types.size()));
      for (size_t c = 0; c < types.size(); c++) {
        if (b.columns[c].type() == types[c]) continue;
        Column cast;
        ALOPEX_RETURN_IF_ERROR(CastColumn(b.columns[c], types[c], &cast).WithContext("spill file " + path + ": "));
        b.columns[c] = std::move(cast);
      }
      return sink(std::move(b));
    }));
  }
  return Status::OK();
}

}  // namespace alopex
