#include "ingest/file_export.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>

#include "common/cast.h"
#include "common/text.h"
#include "exec/expression_executor.h"
#include "formats/csv/csv_writer.h"
#include "formats/json/json_writer.h"
#include "formats/parquet/parquet_writer.h"
#include "io/file_system.h"
#include "io/hive_partition.h"

namespace alopex {

namespace {

enum class FileFormat { kParquet, kCsv, kJson };

// Partition writers kept open at once; beyond this the least recently used is
// closed and the partition continues in a new file.
constexpr size_t kMaxOpenWriters = 64;

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string RandomToken() {
  static std::mt19937_64 rng(uint64_t(std::random_device{}()) ^
                             uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const char* hex = "0123456789abcdef";
  uint64_t x = rng();
  std::string s;
  for (int i = 0; i < 16; i++) s += hex[(x >> (4 * i)) & 15];
  return s;
}

struct ExportOptions {
  std::optional<FileFormat> format;
  std::optional<std::string> compression;
  int compression_level = 0;
  std::optional<int64_t> row_group_size;
  std::optional<int64_t> row_group_bytes;
  int64_t file_size_bytes = 0;
  bool overwrite = false;
  std::string filename_pattern = "data_{i}";
  CsvWriteOptions csv;
  bool csv_option_given = false;
  bool json_array = false;
  bool json_option_given = false;
};

Status OptionError(const std::string& name, const std::string& what) {
  return Status::InvalidArgument("COPY TO: option \"" + name + "\" " + what);
}

Result<std::string> OptString(const std::string& name, const Value& v) {
  if (v.is_null() || v.type().IsNested()) return OptionError(name, "must be a string, got " + v.ToSqlLiteral());
  return v.type().id() == TypeId::kVarchar ? v.GetString() : v.ToString();
}

Result<bool> OptBool(const std::string& name, const Value& v) {
  auto b = CastValue(v, TypeId::kBoolean);
  if (v.is_null() || !b.ok()) return OptionError(name, "must be a BOOLEAN, got " + v.ToSqlLiteral());
  return b->GetBool();
}

Result<int64_t> OptInt(const std::string& name, const Value& v) {
  auto i = CastValue(v, TypeId::kBigInt);
  if (v.is_null() || !i.ok()) return OptionError(name, "must be an integer, got " + v.ToSqlLiteral());
  return i->GetInt64();
}

// A byte count: an integer, or text with a unit ('64MB', '1GiB').
Result<int64_t> OptBytes(const std::string& name, const Value& v) {
  if (!v.is_null() && v.type().IsInteger()) return v.GetInt64();
  ALOPEX_ASSIGN_OR_RETURN(std::string text, OptString(name, v));
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) i++;
  if (i == 0) return OptionError(name, "must be a size in bytes such as 1000000 or '64MB', got '" + text + "'");
  double n = std::atof(text.substr(0, i).c_str());
  std::string unit;
  for (; i < text.size(); i++)
    if (!std::isspace(static_cast<unsigned char>(text[i])))
      unit += char(std::tolower(static_cast<unsigned char>(text[i])));
  static const std::map<std::string, double> kUnits = {
      {"", 1},     {"b", 1},        {"kb", 1e3},        {"mb", 1e6},
      {"gb", 1e9}, {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end())
    return OptionError(name, "has an unknown unit \"" + unit + "\" (use B, KB, MB, GB, KiB, MiB, GiB)");
  return int64_t(std::llround(n * it->second));
}

Result<char> OptChar(const std::string& name, const Value& v) {
  ALOPEX_ASSIGN_OR_RETURN(std::string s, OptString(name, v));
  if (s == "\\t") return '\t';
  if (s.empty()) return '\0';
  if (s.size() != 1) return OptionError(name, "must be a single character, got '" + s + "'");
  return s[0];
}

Status ApplyExportOption(const std::string& name, const Value& v, ExportOptions* o) {
  if (name == "format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string f, OptString(name, v));
    f = AsciiLower(f);
    if (f == "parquet")
      o->format = FileFormat::kParquet;
    else if (f == "csv")
      o->format = FileFormat::kCsv;
    else if (f == "json" || f == "ndjson" || f == "jsonl")
      o->format = FileFormat::kJson;
    else
      return OptionError(name, "must be 'parquet', 'csv' or 'json', got '" + f + "'");
  } else if (name == "compression" || name == "codec") {
    ALOPEX_ASSIGN_OR_RETURN(std::string c, OptString(name, v));
    o->compression = AsciiLower(c);
  } else if (name == "compression_level") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, OptInt(name, v));
    o->compression_level = int(n);
  } else if (name == "row_group_size") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, OptInt(name, v));
    if (n <= 0) return OptionError(name, "must be a positive number of rows");
    o->row_group_size = n;
  } else if (name == "row_group_size_bytes") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, OptBytes(name, v));
    if (n <= 0) return OptionError(name, "must be a positive number of bytes");
    o->row_group_bytes = n;
  } else if (name == "file_size_bytes") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, OptBytes(name, v));
    if (n <= 0) return OptionError(name, "must be a positive number of bytes");
    o->file_size_bytes = n;
  } else if (name == "overwrite" || name == "overwrite_or_ignore") {
    ALOPEX_ASSIGN_OR_RETURN(o->overwrite, OptBool(name, v));
  } else if (name == "filename_pattern") {
    ALOPEX_ASSIGN_OR_RETURN(o->filename_pattern, OptString(name, v));
    if (o->filename_pattern.find("{i}") == std::string::npos && o->filename_pattern.find("{uuid}") == std::string::npos)
      return OptionError(name, "must contain {i} or {uuid}, got '" + o->filename_pattern + "'");
    if (o->filename_pattern.find('/') != std::string::npos) return OptionError(name, "must not contain '/'");
  } else if (name == "partition_by" || name == "per_thread_output") {
    // Handled by the caller.
  } else if (name == "header") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.header, OptBool(name, v));
    o->csv_option_given = true;
  } else if (name == "delimiter" || name == "delim" || name == "sep") {
    ALOPEX_ASSIGN_OR_RETURN(char c, OptChar(name, v));
    if (c == '\0') return OptionError(name, "must not be empty");
    o->csv.delimiter = c;
    o->csv_option_given = true;
  } else if (name == "quote") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.quote, OptChar(name, v));
    o->csv_option_given = true;
  } else if (name == "escape") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.escape, OptChar(name, v));
    o->csv_option_given = true;
  } else if (name == "nullstr" || name == "null") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.null_string, OptString(name, v));
    o->csv_option_given = true;
  } else if (name == "dateformat" || name == "date_format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, OptString(name, v));
    o->csv.dateformat = s;
    o->csv_option_given = true;
  } else if (name == "timestampformat" || name == "timestamp_format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, OptString(name, v));
    o->csv.timestampformat = s;
    o->csv_option_given = true;
  } else if (name == "array") {
    ALOPEX_ASSIGN_OR_RETURN(o->json_array, OptBool(name, v));
    o->json_option_given = true;
  } else {
    return Status::InvalidArgument("COPY TO: unknown option \"" + name + "\"");
  }
  return Status::OK();
}

// One open output file of any format.
class FormatWriter {
 public:
  Status Write(const Batch& b) {
    if (parquet) return parquet->Write(b);
    if (csv) return csv->Write(b);
    return json->Write(b);
  }
  Status Close() {
    if (parquet) return parquet->Close();
    if (csv) return csv->Close();
    return json->Close();
  }
  uint64_t bytes_written() const {
    if (parquet) return parquet->bytes_written();
    if (csv) return csv->bytes_written();
    return json->bytes_written();
  }
  std::unique_ptr<ParquetWriter> parquet;
  std::unique_ptr<CsvWriter> csv;
  std::unique_ptr<JsonWriter> json;
};

class Exporter {
 public:
  Exporter(std::string path, ExportOptions options, FileFormat format, bool gzip, bool folder, FileSystem* fs,
           std::vector<std::string> names, std::vector<LogicalType> types)
      : path_(std::move(path)),
        o_(std::move(options)),
        format_(format),
        gzip_(gzip),
        folder_(folder),
        fs_(fs),
        names_(std::move(names)),
        types_(std::move(types)) {
    while (folder_ && path_.size() > 1 && path_.back() == '/') path_.pop_back();
    token_ = RandomToken();
  }

  // Refuses an existing target without overwrite; remembers what to replace
  // with it.
  Status CheckTarget() {
    if (!folder_) {
      if (!fs_->Exists(path_)) return Status::OK();
      if (!o_.overwrite)
        return Status::IOError("COPY TO: " + path_ + " already exists; use overwrite = true to replace it");
      auto info = fs_->Stat(path_);
      if (info.ok() && info->is_directory)
        return Status::IOError("COPY TO: " + path_ + " is a folder; write to '" + path_ + "/' to fill it");
      replace_file_ = true;
      return Status::OK();
    }
    if (!fs_->Exists(path_)) return Status::OK();
    auto info = fs_->Stat(path_);
    if (info.ok() && !info->is_directory) {
      if (!o_.overwrite)
        return Status::IOError("COPY TO: " + path_ + " already exists as a file; use overwrite = true to replace it");
      old_files_.push_back(path_);
      return Status::OK();
    }
    auto listed = fs_->List(path_, true);
    if (!listed.ok()) return Status::OK();
    for (const auto& f : *listed)
      if (!f.is_directory) old_files_.push_back(f.path);
    if (!old_files_.empty() && !o_.overwrite)
      return Status::IOError("COPY TO: folder " + path_ + " is not empty; use overwrite = true to replace its files");
    return Status::OK();
  }

  Status Write(const Batch& batch, size_t num_partition_columns) {
    ALOPEX_RETURN_IF_ERROR(CheckBatch(batch));
    rows_ += int64_t(batch.num_rows);
    if (num_partition_columns == 0) return WriteTo("", batch);
    if (batch.num_rows == 0) return Status::OK();
    size_t data_cols = batch.num_columns() - num_partition_columns;
    // Rows grouped by partition folder, in order of first appearance.
    std::vector<std::string> order;
    std::unordered_map<std::string, std::vector<uint32_t>> rows;
    std::string key;
    for (size_t r = 0; r < batch.num_rows; r++) {
      key.clear();
      for (size_t p = 0; p < num_partition_columns; p++) {
        const Column& col = batch.columns[data_cols + p];
        key += UrlEncodePartitionValue(names_[data_cols + p]);
        key += '=';
        key += col.IsNull(r) ? std::string("__HIVE_DEFAULT_PARTITION__") : UrlEncodePartitionValue(FormatValue(col, r));
        key += '/';
      }
      auto [it, inserted] = rows.try_emplace(key);
      if (inserted) order.push_back(key);
      it->second.push_back(uint32_t(r));
    }
    for (const auto& k : order) {
      const auto& sel = rows[k];
      Batch part = GatherBatch(batch, sel.data(), sel.size());
      part.columns.resize(data_cols);
      ALOPEX_RETURN_IF_ERROR(WriteTo(k, part));
    }
    return Status::OK();
  }

  // Closes every writer, replaces the old target and moves the new files into
  // place.
  Result<ExportSummary> Finish(size_t num_partition_columns) {
    if (partitions_.empty() && num_partition_columns == 0) {
      // No rows: still write one (empty) file carrying the schema.
      ALOPEX_RETURN_IF_ERROR(WriteTo("", Batch(DataTypes(num_partition_columns), 0)));
    }
    for (auto& [key, p] : partitions_)
      if (p.writer) ALOPEX_RETURN_IF_ERROR(CloseWriter(&p));
    for (const auto& old : old_files_) ALOPEX_RETURN_IF_ERROR(fs_->Delete(old));
    if (replace_file_) ALOPEX_RETURN_IF_ERROR(fs_->Delete(path_));
    ExportSummary summary;
    summary.rows = rows_;
    for (size_t i = 0; i < files_.size(); i++) {
      ALOPEX_RETURN_IF_ERROR(fs_->Rename(files_[i].first, files_[i].second));
      renamed_ = i + 1;
      auto info = fs_->Stat(files_[i].second);
      if (info.ok()) summary.bytes += int64_t(info->size);
    }
    summary.files = int64_t(files_.size());
    return summary;
  }

  // Removes every temporary file written (after a failure).
  void Abandon() {
    for (auto& [key, p] : partitions_) p.writer.reset();
    for (size_t i = renamed_; i < files_.size(); i++) (void)fs_->Delete(files_[i].first);
  }

 private:
  struct Partition {
    std::string dir;  // "key=value/..." below the folder, "" for none
    int next_file = 0;
    std::unique_ptr<FormatWriter> writer;
    size_t writer_file = 0;  // index in files_ of the file `writer` writes
    uint64_t last_used = 0;
  };

  std::vector<LogicalType> DataTypes(size_t num_partition_columns) const {
    return std::vector<LogicalType>(types_.begin(), types_.end() - long(num_partition_columns));
  }

  Status CheckBatch(const Batch& b) const {
    if (b.num_columns() != types_.size())
      return Status::Internal("COPY TO: a batch has " + std::to_string(b.num_columns()) + " columns, expected " +
                              std::to_string(types_.size()));
    return Status::OK();
  }

  std::string Extension() const {
    std::string ext = format_ == FileFormat::kParquet ? ".parquet" : format_ == FileFormat::kCsv ? ".csv" : ".json";
    if (gzip_) ext += ".gz";
    return ext;
  }

  std::string FileName(int i) const {
    std::string name = o_.filename_pattern;
    size_t at;
    while ((at = name.find("{i}")) != std::string::npos) name.replace(at, 3, std::to_string(i));
    while ((at = name.find("{uuid}")) != std::string::npos) name.replace(at, 6, RandomToken());
    return name + Extension();
  }

  Status WriteTo(const std::string& key, const Batch& data) {
    Partition& p = partitions_[key];
    p.dir = key;
    p.last_used = ++clock_;
    if (!p.writer) ALOPEX_RETURN_IF_ERROR(OpenWriter(&p, data.types()));
    Status st = p.writer->Write(data);
    if (!st.ok()) return st.WithContext("COPY TO " + files_[p.writer_file].second + ": ");
    if (folder_ && o_.file_size_bytes > 0 && p.writer->bytes_written() >= uint64_t(o_.file_size_bytes))
      ALOPEX_RETURN_IF_ERROR(CloseWriter(&p));
    return Status::OK();
  }

  Status OpenWriter(Partition* p, const std::vector<LogicalType>& types) {
    if (open_writers_ >= kMaxOpenWriters) {
      Partition* lru = nullptr;
      for (auto& [k, q] : partitions_)
        if (q.writer && (!lru || q.last_used < lru->last_used)) lru = &q;
      if (lru) ALOPEX_RETURN_IF_ERROR(CloseWriter(lru));
    }
    std::string final_path, dir;
    if (folder_) {
      dir = p->dir.empty() ? path_ : JoinPath(path_, p->dir.substr(0, p->dir.size() - 1));
      final_path = JoinPath(dir, FileName(p->next_file++));
    } else {
      final_path = path_;
      dir = ParentOf(path_);
    }
    // Hidden names ('.'-prefixed) are skipped by globs until the rename.
    std::string tmp_name = ".tmp-" + token_ + "-" + BaseName(final_path);
    std::string tmp = dir.empty() ? tmp_name : JoinPath(dir, tmp_name);
    std::vector<std::string> names(names_.begin(), names_.begin() + long(types.size()));
    auto w = std::make_unique<FormatWriter>();
    files_.emplace_back(tmp, final_path);
    p->writer_file = files_.size() - 1;
    Status st;
    switch (format_) {
      case FileFormat::kParquet: {
        ParquetWriteOptions po;
        po.compression = o_.compression.value_or("snappy");
        if (po.compression == "none") po.compression = "uncompressed";
        po.compression_level = o_.compression_level;
        if (o_.row_group_size) po.row_group_size = *o_.row_group_size;
        if (o_.row_group_bytes) po.row_group_bytes = *o_.row_group_bytes;
        auto r = ParquetWriter::Open(tmp, names, types, po, fs_);
        if (r.ok())
          w->parquet = std::move(*r);
        else
          st = r.status();
        break;
      }
      case FileFormat::kCsv: {
        CsvWriteOptions co = o_.csv;
        co.compression = gzip_ ? CsvWriteOptions::Compression::kGzip : CsvWriteOptions::Compression::kNone;
        auto r = CsvWriter::Open(tmp, names, types, co, fs_);
        if (r.ok())
          w->csv = std::move(*r);
        else
          st = r.status();
        break;
      }
      case FileFormat::kJson: {
        JsonWriteOptions jo;
        jo.format = o_.json_array ? JsonWriteOptions::Format::kArray : JsonWriteOptions::Format::kNewlineDelimited;
        jo.compression = gzip_ ? JsonWriteOptions::Compression::kGzip : JsonWriteOptions::Compression::kNone;
        auto r = JsonWriter::Open(tmp, names, types, jo, fs_);
        if (r.ok())
          w->json = std::move(*r);
        else
          st = r.status();
        break;
      }
    }
    if (!st.ok()) return st.WithContext("COPY TO " + final_path + ": ");
    p->writer = std::move(w);
    open_writers_++;
    return Status::OK();
  }

  Status CloseWriter(Partition* p) {
    Status st = p->writer->Close();
    p->writer.reset();
    open_writers_--;
    if (!st.ok()) return st.WithContext("COPY TO " + files_[p->writer_file].second + ": ");
    return Status::OK();
  }

  std::string path_;
  ExportOptions o_;
  FileFormat format_;
  bool gzip_;
  bool folder_;
  FileSystem* fs_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::string token_;
  bool replace_file_ = false;
  std::vector<std::string> old_files_;
  std::map<std::string, Partition> partitions_;  // by folder key "k=v/..."; "" without partitions
  size_t open_writers_ = 0;
  uint64_t clock_ = 0;
  std::vector<std::pair<std::string, std::string>> files_;  // (temporary, final)
  size_t renamed_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

Result<ExportSummary> WriteFiles(const std::string& path, const std::vector<std::pair<std::string, Value>>& options,
                                 const std::vector<std::string>& names, const std::vector<LogicalType>& types,
                                 size_t num_partition_columns,
                                 const std::function<Status(const std::function<Status(const Batch&)>&)>& produce) {
  if (names.size() != types.size() || num_partition_columns > types.size())
    return Status::Internal("WriteFiles: names, types and partition columns do not agree");
  if (num_partition_columns == types.size() && !types.empty())
    return Status::InvalidArgument("COPY TO: partition_by names every column; no column is left to write");
  if (path.empty()) return Status::InvalidArgument("COPY TO: the target path is empty");
  ExportOptions o;
  for (const auto& [name, value] : options) ALOPEX_RETURN_IF_ERROR(ApplyExportOption(AsciiLower(name), value, &o));

  bool folder = path.back() == '/' || num_partition_columns > 0 || o.file_size_bytes > 0;
  std::string lower = AsciiLower(path);
  bool gz_name = lower.ends_with(".gz");
  std::string stem = gz_name ? lower.substr(0, lower.size() - 3) : lower;
  FileFormat format = FileFormat::kParquet;
  if (o.format) {
    format = *o.format;
  } else if (!folder || path.back() != '/') {
    if (stem.ends_with(".csv") || stem.ends_with(".tsv"))
      format = FileFormat::kCsv;
    else if (stem.ends_with(".json") || stem.ends_with(".jsonl") || stem.ends_with(".ndjson"))
      format = FileFormat::kJson;
    else if (stem.ends_with(".parquet") || stem.ends_with(".parq") || folder)
      format = FileFormat::kParquet;
    else
      return Status::InvalidArgument("COPY TO: cannot tell the format of " + path +
                                     " from its extension; give format = 'parquet', 'csv' or 'json'");
  }
  if (format == FileFormat::kParquet && o.csv_option_given)
    return Status::InvalidArgument(
        "COPY TO: CSV options (header, delimiter, "
        "quote, ...) do not apply to parquet files");
  if (format != FileFormat::kJson && o.json_option_given)
    return Status::InvalidArgument("COPY TO: option \"array\" applies to json files only");
  if (format == FileFormat::kJson && o.csv_option_given)
    return Status::InvalidArgument(
        "COPY TO: CSV options (header, delimiter, "
        "quote, ...) do not apply to json files");
  bool gzip = false;
  if (format == FileFormat::kParquet) {
    static const std::set<std::string> kCodecs = {"snappy",  "zstd",   "gzip",         "lz4",
                                                  "lz4_raw", "brotli", "uncompressed", "none"};
    if (o.compression && !kCodecs.count(*o.compression))
      return OptionError("compression",
                         "must be one of snappy, zstd, gzip, lz4, lz4_raw, "
                         "brotli, uncompressed for "
                         "parquet, got '" +
                             *o.compression + "'");
  } else {
    std::string c = o.compression.value_or("auto");
    if (c == "gzip")
      gzip = true;
    else if (c == "auto")
      gzip = gz_name;
    else if (c != "none" && c != "uncompressed")
      return OptionError("compression", "must be 'gzip' or 'none' for " +
                                            std::string(format == FileFormat::kCsv ? "csv" : "json") + ", got '" + c +
                                            "'");
    if (o.row_group_size || o.row_group_bytes)
      return Status::InvalidArgument("COPY TO: row_group_size options apply to parquet files only");
  }

  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(path));
  Exporter ex(path, std::move(o), format, gzip, folder, fs, names, types);
  ALOPEX_RETURN_IF_ERROR(ex.CheckTarget());
  Status st = produce([&](const Batch& b) { return ex.Write(b, num_partition_columns); });
  if (!st.ok()) {
    ex.Abandon();
    return st;
  }
  auto summary = ex.Finish(num_partition_columns);
  if (!summary.ok()) ex.Abandon();
  return summary;
}

}  // namespace alopex
