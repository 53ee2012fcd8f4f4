#include "ingest/copy_from.h"

#include <strings.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <unordered_map>

#include "common/cast.h"
#include "exec/expression_executor.h"
#include "ingest/import_file.h"
#include "ingest/import_jobs.h"
#include "ingest/loaded_files.h"
#include "ingest/spill_file.h"
#include "io/hive_partition.h"
#include "storage/table.h"
#include "storage/table_scan.h"

namespace alopex {

std::vector<ColumnDef> ErrorTableColumns() {
  LogicalType v(TypeId::kVarchar), b(TypeId::kBigInt);
  return {{"job_id", v, false, std::nullopt},     {"file", v, false, std::nullopt},
          {"row_number", b, false, std::nullopt}, {"column_name", v, false, std::nullopt},
          {"message", v, false, std::nullopt},    {"raw_value", v, false, std::nullopt}};
}

namespace {

bool SameName(const std::string& a, const std::string& b) { return strcasecmp(a.c_str(), b.c_str()) == 0; }

bool IsFloatList(const LogicalType& t) { return t.id() == TypeId::kList && t.child().IsFloating(); }

std::string JoinNames(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); i++) s += (i ? ", " : "") + names[i];
  return s;
}

// Raw text of a rejected value for the error table, shortened.
std::string RawText(const Column& c, size_t row) {
  if (c.IsNull(row)) return "NULL";
  std::string s = FormatValue(c, row);
  if (s.size() > 1000) s = s.substr(0, 1000) + "...";
  return s;
}

// The stop signal a worker's sink returns: the import already failed elsewhere
// or a row error was recorded; the real error is reported separately.
const char* const kStopped = "import stopped";

struct FileEntry {
  FileInfo info;
  ImportFormat format = ImportFormat::kParquet;
  std::vector<Value> partition_values;  // one per partition column
};

// A column the import fills, fixed for the whole import.
struct ImportColumn {
  std::string source;  // file column or partition key
  std::string target;  // target column
  std::optional<LogicalType> cast;
  LogicalType type;           // final type (unset while infer_vector)
  LogicalType source_type;    // in the first file
  bool infer_vector = false;  // a new float-list column: VECTOR(n) when every row has n values, else a list
  bool explicit_source = false;
  bool not_null = false;
  bool new_column = false;  // added to an existing table (mergeSchema, schemaless table)
};

struct CellError {
  uint64_t row = 0;   // in the morsel, 0-based
  size_t column = 0;  // import column
  std::string message;
  std::string raw;
  bool has_row = true;
};

struct MorselOutput {
  std::vector<Batch> batches;
  uint64_t rows_read = 0;
  std::vector<CellError> errors;
  std::optional<CellError> fatal;
  Status status;
};

struct FilePlan {
  std::vector<int> read;        // file columns read
  std::vector<int> slot;        // per import column: index into read, or -1 (constant)
  std::vector<int> uses;        // per read column: import columns using it
  std::vector<Value> constant;  // per import column with slot -1
  bool vectors = false;
};

struct FileState {
  FileEntry entry;
  std::shared_ptr<ImportFile> file;
  FilePlan plan;
  size_t num_morsels = 0, next_morsel = 0, done_morsels = 0;
  bool opened = false;
  std::vector<MorselOutput> morsels;
  std::vector<int64_t> first_rows;  // known row offsets (Parquet), else -1
  std::vector<RejectedLine> rejected;
  Status open_error;
};

Batch ToTableRow(Batch&& in, const std::vector<ColumnDef>& table_cols, const std::vector<int>& source_of);
std::vector<Batch> Rebatch(std::vector<Batch> batches, size_t size);

// The table as an upsert / update sees it: its columns, the import column of
// each (-1: none) and the table columns of key_columns. Its rows, as read,
// spilled and written back, hold the table's columns, then with row_ids
// _row_id and _row_commit_version, then with per_file the data file (dropped
// when written back).
struct MergeTarget {
  std::vector<ColumnDef> columns;
  std::vector<int> source_of;
  std::vector<size_t> keys;
  bool insert = false;   // upsert: import rows matching no table row are added
  bool row_ids = false;  // the table tracks row ids: rows keep theirs
  // A stored table: only its data files holding a matched row are rewritten.
  // An in-memory table is rewritten whole.
  bool per_file = false;
  size_t num_files = 0;

  size_t width() const { return columns.size() + (row_ids ? 2 : 0); }  // columns written back
  std::vector<int> ScanColumns() const;
  std::vector<LogicalType> RowTypes() const;
  // The rewrite: the data files `touched` marks (per_file), with row ids.
  RewriteSpec Spec(const std::vector<bool>& touched) const;
};

class Importer {
 public:
  Importer(const ImportRequest& req, Catalog& catalog, const ExecContext& ctx, ImportJob& job)
      : req_(req), o_(req.options), catalog_(catalog), ctx_(ctx), job_(job) {}

  Result<ImportResult> Run();

 private:
  Status Fail(const std::string& what) const { return Status::InvalidArgument(req_.statement + ": " + what); }
  Status ListFiles();
  Status ResolvePartitions();
  Status PruneFiles();
  Status ResolveColumns(const std::vector<std::string>& src_names, const std::vector<LogicalType>& src_types,
                        const std::string& first_path);
  Status ReadAll();
  Status OpenFile(FileState& f);
  void FinishFile(FileState& f);
  void ReadMorsel(FileState& f, size_t m);
  Status ConvertBatch(FileState& f, Batch&& in, uint64_t base, MorselOutput* out);
  Status ConvertStep(const Column& in, const LogicalType& to, size_t column, uint64_t base, Column* out,
                     std::vector<uint8_t>* bad, MorselOutput* mo);
  Status FirstError();
  uint64_t RowNumber(const FileState& f, size_t morsel, uint64_t local) const;
  Status ResolveInferredTypes(std::vector<Batch>* rows);
  Result<uint64_t> Commit(std::vector<Batch> rows);
  CommitInfoExtra CommitExtra() const;
  Result<uint64_t> Merge(const std::shared_ptr<Table>& table, std::vector<Batch> rows);
  Status KeysTooLarge() const;
  Result<uint64_t> MergeSpilled(const std::shared_ptr<Table>& table, const std::shared_ptr<const TableSnapshot>& base,
                                const MergeTarget& t, std::vector<Batch> rows, uint64_t input_bytes,
                                uint64_t input_rows);
  Status WriteErrorTable();
  std::string ColumnLabel(size_t j) const {
    const ImportColumn& c = cols_[j];
    if (SameName(c.source, c.target)) return "column \"" + c.target + "\"";
    return "column \"" + c.source + "\" (into \"" + c.target + "\")";
  }

  const ImportRequest& req_;
  const ImportOptions& o_;
  Catalog& catalog_;
  const ExecContext& ctx_;
  ImportJob& job_;

  std::vector<FileEntry> entries_;
  std::vector<std::string> part_keys_;
  std::vector<LogicalType> part_types_;
  std::shared_ptr<Table> table_;  // nullptr: created by the import
  bool schemaless_ = false;       // an existing table without columns
  std::vector<ImportColumn> cols_;
  std::vector<size_t> key_cols_;  // import columns of key_columns
  std::vector<FileState> files_;
  std::optional<LoadedFileRegistry::Lease> lease_;

  // Streaming (append mode): converted rows go straight to the table's data
  // files through one appender, committed once at the end, so an import never
  // holds its data in memory. The first batch fixes the inferred vector types
  // and creates a new table.
  bool stream_ = false;
  std::mutex stream_mu_;
  std::atomic<bool> stream_ready_{false};
  std::vector<LogicalType> stream_types_;  // per import column: the type written
  std::unique_ptr<TableAppender> appender_;
  std::vector<ColumnDef> table_cols_;
  std::vector<int> source_of_;  // per table column: its import column, or -1
  bool created_table_ = false;
  Status PrepareStream(const Batch& first, const FilePlan& plan);
  // preserve_sort: morsels in file order, then morsel order, are the table's row order.
  uint64_t MorselSequence(const FileState& f, const MorselOutput& mo) const {
    return (uint64_t(&f - files_.data()) << 32) | uint64_t(&mo - f.morsels.data());
  }
  Result<uint64_t> CommitStream();

  std::atomic<bool> stop_{false};
  std::atomic<bool> too_many_errors_{false};
};

// ---------------------------------------------------------------- files

Status Importer::ListFiles() {
  std::set<std::string> seen;
  for (const auto& pattern : req_.sources) {
    auto found = ExpandGlob(pattern);
    if (!found.ok()) {
      if (found.status().code() == StatusCode::kNotFound) {
        std::string what =
            IsGlob(pattern) ? "no files match \"" + pattern + "\"" : "file \"" + pattern + "\" does not exist";
        return Status::NotFound(req_.statement + ": " + what);
      }
      return found.status().WithContext(req_.statement + ": ");
    }
    bool single = !IsGlob(pattern) && found->size() == 1 && (*found)[0].path == pattern;
    for (auto& info : *found) {
      std::optional<ImportFormat> ext = ImportFormatFromPath(info.path);
      std::optional<ImportFormat> format = o_.format ? o_.format : ext;
      if (!single) {
        // In folders and globs, files of another format (or none) are skipped.
        if (!ext && !o_.format) continue;
        if (o_.format && ext && *ext != *o_.format) continue;
      }
      if (!format)
        return Fail("cannot tell the format of " + info.path +
                    " from its extension; give format = 'parquet', 'csv' or 'json'");
      if (!seen.insert(info.path).second) continue;
      entries_.push_back({std::move(info), *format, {}});
    }
  }
  if (entries_.empty()) {
    std::string where;
    for (const auto& p : req_.sources) where += (where.empty() ? "'" : ", '") + p + "'";
    return Status::NotFound(req_.statement + ": no Parquet, CSV or JSON files in " + where);
  }
  std::set<ImportFormat> formats;
  for (const auto& e : entries_) formats.insert(e.format);
  for (ImportFormat f : formats) ALOPEX_RETURN_IF_ERROR(ValidateImportOptions(o_, f, req_.statement));
  return Status::OK();
}

Status Importer::ResolvePartitions() {
  std::vector<std::vector<HivePartition>> parts;
  for (const auto& e : entries_) parts.push_back(ParseHivePartitions(e.info.path));
  auto value_of = [&](size_t file, const std::string& key) -> const HivePartition* {
    for (const auto& p : parts[file])
      if (p.key == key) return &p;
    return nullptr;
  };
  if (!o_.partition_columns.empty()) {
    for (const auto& k : o_.partition_columns) {
      std::string key;
      for (const auto& p : parts[0])
        if (SameName(p.key, k)) key = p.key;
      if (key.empty())
        return Fail("partition column \"" + k + "\" is not a key=value folder of " + entries_[0].info.path);
      part_keys_.push_back(key);
    }
    for (size_t i = 0; i < entries_.size(); i++)
      for (const auto& k : part_keys_)
        if (!value_of(i, k))
          return Fail("partition column \"" + k + "\": " + entries_[i].info.path + " is not in a " + k + "=... folder");
  } else {
    // Every key shared by all files, as DuckDB's hive_partitioning.
    for (const auto& p : parts[0]) {
      bool everywhere = true;
      for (size_t i = 1; i < entries_.size() && everywhere; i++) everywhere = value_of(i, p.key) != nullptr;
      if (everywhere) part_keys_.push_back(p.key);
    }
  }
  for (const auto& k : part_keys_) {
    std::vector<std::optional<std::string>> values;
    for (size_t i = 0; i < entries_.size(); i++) values.push_back(value_of(i, k)->value);
    part_types_.push_back(InferHivePartitionType(values));
  }
  for (size_t i = 0; i < entries_.size(); i++) {
    for (size_t k = 0; k < part_keys_.size(); k++) {
      auto v = HivePartitionValue(*value_of(i, part_keys_[k]), part_types_[k]);
      if (!v.ok()) return v.status().WithContext(req_.statement + ": " + entries_[i].info.path + ": ");
      entries_[i].partition_values.push_back(*v);
    }
  }
  return Status::OK();
}

// Drops the files whose partition values fail partition_filter, before any
// file is opened.
Status Importer::PruneFiles() {
  if (o_.partition_filter.empty()) return Status::OK();
  if (part_keys_.empty())
    return Fail("partition_filter needs files in key=value partition folders (as data/year=2024/month=03/)");
  if (!req_.bind_partition_filter) return Status::Internal("no binder for partition_filter");
  auto bound = req_.bind_partition_filter(part_keys_, part_types_);
  if (!bound.ok()) return bound.status().WithContext(req_.statement + ": partition_filter: ");
  std::vector<FileEntry> kept;
  for (auto& e : entries_) {
    Batch row;
    row.num_rows = 1;
    for (const Value& v : e.partition_values) row.columns.push_back(Column::Constant(v, 1));
    Column result;
    ALOPEX_RETURN_IF_ERROR(EvaluateExpression(**bound, row, &result, ctx_)
                               .WithContext(req_.statement + ": partition_filter on " + e.info.path + ": "));
    if (result.IsValid(0) && result.GetValue(0).GetBool()) kept.push_back(std::move(e));
  }
  entries_ = std::move(kept);
  return Status::OK();
}

// ---------------------------------------------------------------- columns

Status Importer::ResolveColumns(const std::vector<std::string>& src_names, const std::vector<LogicalType>& src_types,
                                const std::string& first_path) {
  bool creating = !table_ || schemaless_;
  std::vector<ColumnDef> table_cols = table_ ? table_->columns() : std::vector<ColumnDef>{};
  const std::string table_name = req_.table;

  // Source columns: the file's, then partition keys the file does not have.
  std::vector<std::string> names = src_names;
  std::vector<LogicalType> types = src_types;
  for (size_t k = 0; k < part_keys_.size(); k++) {
    bool shadowed = false;
    for (const auto& n : src_names) shadowed |= SameName(n, part_keys_[k]);
    if (!shadowed) {
      names.push_back(part_keys_[k]);
      types.push_back(part_types_[k]);
    }
  }
  auto find_source = [&](const std::string& n) -> int {
    for (size_t i = 0; i < names.size(); i++)
      if (SameName(names[i], n)) return int(i);
    return -1;
  };
  auto table_index = [&](const std::string& n) -> int {
    for (size_t i = 0; i < table_cols.size(); i++)
      if (SameName(table_cols[i].name, n)) return int(i);
    return -1;
  };
  auto new_column = [&](ImportColumn c, const LogicalType& src_type) {
    c.source_type = src_type;
    if (c.cast) {
      c.type = *c.cast;
    } else if (IsFloatList(src_type)) {
      c.infer_vector = true;
    } else {
      c.type = src_type.id() == TypeId::kNull ? LogicalType(TypeId::kVarchar) : src_type;
    }
    return c;
  };

  if (!req_.columns.empty()) {
    for (const auto& spec : req_.columns) {
      if (!creating && table_index(spec.target) < 0) {
        std::vector<std::string> tn;
        for (const auto& d : table_cols) tn.push_back(d.name);
        return Status::BinderError(req_.statement + ": table \"" + table_name + "\" has no column \"" + spec.target +
                                   "\" (it has " + JoinNames(tn) + ")");
      }
      int s = find_source(spec.source);
      if (s < 0)
        return Status::InvalidArgument(req_.statement + ": " + first_path + " has no column \"" + spec.source +
                                       "\" (it has " + JoinNames(names) + ")");
      ImportColumn c;
      c.source = names[size_t(s)];
      c.target = spec.target;
      c.cast = spec.cast;
      c.explicit_source = true;
      if (creating) {
        cols_.push_back(new_column(std::move(c), types[size_t(s)]));
        continue;
      }
      int t = table_index(spec.target);
      const ColumnDef& def = table_cols[size_t(t)];
      c.target = def.name;
      c.type = def.type;
      c.source_type = types[size_t(s)];
      c.not_null = def.not_null;
      if (c.cast && c.cast->id() == TypeId::kVector && def.type.id() == TypeId::kVector &&
          c.cast->dimension() != def.type.dimension())
        return Fail("column \"" + def.name + "\" is " + def.type.ToString() + ", but the import casts it to " +
                    c.cast->ToString());
      cols_.push_back(std::move(c));
    }
  } else if (creating) {
    for (size_t i = 0; i < names.size(); i++) {
      ImportColumn c;
      c.source = c.target = names[i];
      c.new_column = schemaless_;
      cols_.push_back(new_column(std::move(c), types[i]));
    }
  } else {
    for (const auto& def : table_cols) {
      int s = find_source(def.name);
      if (s < 0) continue;
      ImportColumn c;
      c.source = names[size_t(s)];
      c.target = def.name;
      c.type = def.type;
      c.source_type = types[size_t(s)];
      c.not_null = def.not_null;
      cols_.push_back(std::move(c));
    }
    if (req_.copy_into) {
      for (size_t i = 0; i < names.size(); i++) {
        if (table_index(names[i]) >= 0) continue;
        if (!o_.merge_schema)
          return Fail(first_path + " has a column \"" + names[i] + "\", which table \"" + table_name +
                      "\" does not have; use COPY_OPTIONS ('mergeSchema' = 'true') to add it");
        ImportColumn c;
        c.source = c.target = names[i];
        c.new_column = true;
        cols_.push_back(new_column(std::move(c), types[i]));
      }
    }
    if (cols_.empty()) {
      std::vector<std::string> tn;
      for (const auto& d : table_cols) tn.push_back(d.name);
      return Fail("no column of " + first_path + " (" + JoinNames(names) + ") matches a column of table \"" +
                  table_name + "\" (" + JoinNames(tn) + "); map them with MAP COLUMNS (source => target, ...)");
    }
  }
  for (size_t i = 0; i < cols_.size(); i++)
    for (size_t k = 0; k < i; k++)
      if (SameName(cols_[i].target, cols_[k].target)) return Fail("column \"" + cols_[i].target + "\" is filled twice");
  for (const auto& c : cols_) {
    if (c.infer_vector || c.source_type.id() == TypeId::kNull) continue;
    const LogicalType& first = c.cast ? *c.cast : c.type;
    if (!CanCast(c.source_type, first) || (c.cast && !CanCast(*c.cast, c.type)))
      return Status::ConversionError(req_.statement + ": " + first_path + ": column \"" + c.source + "\" of type " +
                                     c.source_type.ToString() + " cannot be imported into \"" + c.target + "\" " +
                                     (c.cast ? c.cast->ToString() : c.type.ToString()));
  }

  // Keys, and table columns the import must fill.
  for (const auto& k : o_.key_columns) {
    size_t found = cols_.size();
    for (size_t j = 0; j < cols_.size(); j++)
      if (SameName(cols_[j].target, k)) found = j;
    if (found == cols_.size()) {
      if (!creating && table_index(k) < 0)
        return Fail("key column \"" + k + "\" is not a column of table \"" + table_name + "\"");
      return Fail("key column \"" + k + "\" is not imported; list or map it");
    }
    key_cols_.push_back(found);
  }
  if (!creating && o_.mode != ImportMode::kUpdate) {
    for (const auto& def : table_cols) {
      if (!def.not_null || def.default_value) continue;
      bool filled = false;
      for (const auto& c : cols_) filled |= SameName(c.target, def.name);
      if (!filled)
        return Fail("column \"" + def.name + "\" of table \"" + table_name +
                    "\" is NOT NULL without a DEFAULT, and the import does not fill it");
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------- reading

Status Importer::OpenFile(FileState& f) {
  bool collect = o_.on_error == OnError::kContinue;
  auto opened = ImportFile::Open(f.entry.info, f.entry.format, o_, collect);
  if (!opened.ok()) return opened.status().WithContext(req_.statement + ": ");
  f.file = std::move(*opened);
  const ImportFile& file = *f.file;
  FilePlan& p = f.plan;
  p.slot.assign(cols_.size(), -1);
  p.constant.assign(cols_.size(), Value());
  for (size_t j = 0; j < cols_.size(); j++) {
    const ImportColumn& c = cols_[j];
    int local = file.ColumnIndex(c.source);
    if (local >= 0) {
      auto it = std::find(p.read.begin(), p.read.end(), local);
      if (it == p.read.end()) {
        p.slot[j] = int(p.read.size());
        p.read.push_back(local);
        p.uses.push_back(1);
      } else {
        p.slot[j] = int(it - p.read.begin());
        p.uses[size_t(p.slot[j])]++;
      }
      const LogicalType& t = file.types()[size_t(local)];
      if (t.id() == TypeId::kList && IsFloatList(t) &&
          (c.infer_vector || (c.cast ? *c.cast : c.type).id() == TypeId::kVector))
        p.vectors = true;
      continue;
    }
    size_t k = 0;
    while (k < part_keys_.size() && !SameName(part_keys_[k], c.source)) k++;
    if (k < part_keys_.size()) {
      p.constant[j] = f.entry.partition_values[k];
      continue;
    }
    if (c.explicit_source)
      return Status::InvalidArgument(req_.statement + ": " + f.entry.info.path + " has no column \"" + c.source +
                                     "\" (it has " + JoinNames(file.names()) + ")");
    // By name: a file without the column gives NULLs.
    p.constant[j] = Value::Null(c.infer_vector ? c.source_type : c.type);
  }
  // COPY INTO keeps the table's schema unless mergeSchema: a later file with
  // a column the table lacks is an error, as for the first file.
  if (req_.copy_into && !o_.merge_schema && table_ && !schemaless_) {
    for (const auto& n : file.names()) {
      if (table_->ColumnIndex(n) >= 0) continue;
      return Fail(f.entry.info.path + " has a column \"" + n + "\", which table \"" + req_.table +
                  "\" does not have; use COPY_OPTIONS ('mergeSchema' = 'true') to add it");
    }
  }
  f.num_morsels = file.num_morsels();
  f.morsels.resize(f.num_morsels);
  for (size_t m = 0; m < f.num_morsels; m++) f.first_rows.push_back(file.MorselFirstRow(m));
  return Status::OK();
}

void Importer::FinishFile(FileState& f) {
  if (f.file) f.rejected = f.file->TakeRejected();
  // Splits report their rejects as they are read; the error table lists them in file order.
  std::stable_sort(f.rejected.begin(), f.rejected.end(),
                   [](const RejectedLine& a, const RejectedLine& b) { return a.line < b.line; });
  if (!f.rejected.empty()) {
    job_.AddRejected(f.rejected.size());
    job_.AddErrors(f.rejected.size());
    if (o_.max_errors >= 0 && job_.rejected() > uint64_t(o_.max_errors)) {
      too_many_errors_ = true;
      stop_ = true;
    }
  }
  f.file.reset();  // closes the reader
  job_.AddFilesDone(1);
  if (ctx_.progress) ctx_.progress->AddWork(1);
}

Status Importer::ConvertStep(const Column& in, const LogicalType& to, size_t column, uint64_t base, Column* out,
                             std::vector<uint8_t>* bad, MorselOutput* mo) {
  bool collect = o_.on_error == OnError::kContinue;
  size_t n = in.size();
  // Abort mode: the column's first bad row becomes a candidate; the batch's
  // earliest candidate over all columns is the error (ConvertBatch).
  auto reject = [&](size_t row, std::string message) -> Status {
    CellError e{base + row, column, std::move(message), RawText(in, row)};
    if (!collect) {
      if (!mo->fatal || e.row < mo->fatal->row) mo->fatal = std::move(e);
      return Status::Cancelled(kStopped);
    }
    (*bad)[row] = 1;
    mo->errors.push_back(std::move(e));
    return Status::OK();
  };
  std::vector<uint8_t> flagged;
  // Vector dimensions first, for a message with both dimensions.
  if (to.id() == TypeId::kVector && (in.type().id() == TypeId::kList || in.type().id() == TypeId::kVector)) {
    uint64_t dim = uint64_t(to.dimension());
    for (size_t r = 0; r < n; r++) {
      if (in.IsNull(r)) continue;
      uint64_t len = in.type().id() == TypeId::kList ? in.list_entries()[r].length : uint64_t(in.type().dimension());
      if (len == dim) continue;
      if (flagged.empty()) flagged.assign(n, 0);
      flagged[r] = 1;
      ALOPEX_RETURN_IF_ERROR(reject(r, "expected " + to.ToString() + ", got " + std::to_string(len) + " values"));
    }
  }
  if (!collect) {
    size_t row = 0;
    Status st = CastColumn(in, to, out, false, &row);
    if (!st.ok()) {
      if (st.code() != StatusCode::kConversionError || row >= n) return st;
      return reject(row, st.message());
    }
    return Status::OK();
  }
  ALOPEX_RETURN_IF_ERROR(CastColumn(in, to, out, true));
  for (size_t r = 0; r < n; r++) {
    if (in.IsNull(r) || out->IsValid(r) || (!flagged.empty() && flagged[r])) continue;
    auto v = CastValue(in.GetValue(r), to);
    ALOPEX_RETURN_IF_ERROR(reject(r, v.ok() ? "cannot convert to " + to.ToString() : v.status().message()));
  }
  return Status::OK();
}

Status Importer::ConvertBatch(FileState& f, Batch&& in, uint64_t base, MorselOutput* mo) {
  ALOPEX_RETURN_IF_ERROR(ctx_.CheckInterrupt());
  if (stop_) return Status::Cancelled(kStopped);
  const FilePlan& p = f.plan;
  if (stream_ && !stream_ready_.load(std::memory_order_acquire)) ALOPEX_RETURN_IF_ERROR(PrepareStream(in, p));
  size_t n = in.num_rows;
  bool collect = o_.on_error == OnError::kContinue;
  std::vector<uint8_t> bad(collect ? n : 0, 0);
  const size_t errors_before = mo->errors.size();
  std::vector<int> uses = p.uses;
  Batch out;
  out.num_rows = n;
  out.columns.resize(cols_.size());
  bool any_failed = false;
  for (size_t j = 0; j < cols_.size(); j++) {
    bool failed = false;
    const ImportColumn& c = cols_[j];
    Column owned;
    if (p.slot[j] >= 0) {
      size_t s = size_t(p.slot[j]);
      owned = --uses[s] == 0 ? std::move(in.columns[s]) : in.columns[s].Clone();
    } else {
      owned = Column::Constant(p.constant[j], n);
    }
    // A step that fails in abort mode leaves a candidate in mo->fatal; the
    // other columns still run so the earliest bad row is the one reported.
    auto step = [&](const LogicalType& to) -> Status {
      Column next;
      Status st = ConvertStep(owned, to, j, base, &next, &bad, mo);
      if (!st.ok()) {
        if (st.code() != StatusCode::kCancelled || st.message() != kStopped) return st;
        failed = any_failed = true;
        return Status::OK();
      }
      owned = std::move(next);
      return Status::OK();
    };
    if (c.cast && owned.type() != *c.cast) ALOPEX_RETURN_IF_ERROR(step(*c.cast));
    if (stream_) {
      if (!failed && owned.type() != stream_types_[j]) ALOPEX_RETURN_IF_ERROR(step(stream_types_[j]));
    } else if (!failed && !c.infer_vector && owned.type() != c.type) {
      ALOPEX_RETURN_IF_ERROR(step(c.type));
    }
    if (!failed && c.not_null && owned.MayHaveNulls()) {
      for (size_t r = 0; r < n; r++) {
        if (owned.IsValid(r) || (collect && bad[r])) continue;
        CellError e{base + r, j, "NULL value in NOT NULL column", "NULL"};
        if (!collect) {
          if (!mo->fatal || e.row < mo->fatal->row) mo->fatal = std::move(e);
          any_failed = true;
          break;
        }
        bad[r] = 1;
        mo->errors.push_back(std::move(e));
      }
    }
    out.columns[j] = std::move(owned);
  }
  if (any_failed) return Status::Cancelled(kStopped);
  uint64_t rejected = 0;
  for (uint8_t b : bad) rejected += b;
  if (rejected) {
    std::vector<uint32_t> sel;
    for (size_t r = 0; r < n; r++)
      if (!bad[r]) sel.push_back(uint32_t(r));
    Batch kept;
    kept.num_rows = sel.size();
    for (auto& col : out.columns) {
      Column g(col.type(), sel.size());
      g.Gather(col, sel.data(), sel.size());
      kept.columns.push_back(std::move(g));
    }
    out = std::move(kept);
    job_.AddRejected(rejected);
    job_.AddErrors(mo->errors.size() - errors_before);
    if (o_.max_errors >= 0 && job_.rejected() > uint64_t(o_.max_errors)) {
      too_many_errors_ = true;
      stop_ = true;
    }
  }
  job_.AddRows(out.num_rows);
  if (ctx_.progress) ctx_.progress->AddRows(out.num_rows);
  if (out.num_rows == 0) return Status::OK();
  if (stream_) {
    std::vector<Batch> rows;
    rows.push_back(ToTableRow(std::move(out), table_cols_, source_of_));
    // batch_size: the most rows handed to the table's writer at a time.
    if (o_.batch_size > 0 && rows[0].num_rows > size_t(o_.batch_size))
      rows = Rebatch(std::move(rows), size_t(o_.batch_size));
    for (Batch& row : rows) {
      Status st = o_.preserve_sort ? appender_->WriteOrdered(MorselSequence(f, *mo), std::move(row))
                                   : appender_->Write(std::move(row));
      if (!st.ok()) return st;
    }
    return Status::OK();
  }
  mo->batches.push_back(std::move(out));
  return Status::OK();
}

Status Importer::PrepareStream(const Batch& first, const FilePlan& p) {
  std::lock_guard<std::mutex> lock(stream_mu_);
  if (stream_ready_.load(std::memory_order_relaxed)) return Status::OK();
  std::vector<LogicalType> types;
  for (size_t j = 0; j < cols_.size(); j++) {
    const ImportColumn& c = cols_[j];
    if (!c.infer_vector) {
      types.push_back(c.type);
      continue;
    }
    // VECTOR(n) when this batch's lists all hold n floats, else a float list.
    LogicalType t = LogicalType::List(c.source_type.child().id() == TypeId::kDouble ? TypeId::kDouble : TypeId::kFloat);
    if (p.slot[j] >= 0) {
      const Column& col = first.columns[size_t(p.slot[j])];
      if (col.type().id() == TypeId::kVector) {
        t = col.type();
      } else if (col.type().id() == TypeId::kList) {
        int64_t dim = -1;
        bool uniform = true;
        const ListEntry* e = col.list_entries();
        for (size_t r = 0; r < col.size() && uniform; r++) {
          if (col.IsNull(r)) continue;
          if (dim >= 0 && int64_t(e[r].length) != dim) uniform = false;
          dim = int64_t(e[r].length);
          for (uint64_t k = 0; k < e[r].length && uniform; k++)
            if (col.child().IsNull(e[r].offset + k)) uniform = false;
        }
        if (col.type().child().id() == TypeId::kDouble) t = LogicalType::List(TypeId::kDouble);
        if (uniform && dim > 0) t = LogicalType::Vector(int(dim));
      }
    }
    types.push_back(t);
  }
  if (!table_) {
    std::vector<ColumnDef> defs;
    for (size_t j = 0; j < cols_.size(); j++) defs.push_back({cols_[j].target, types[j], false, std::nullopt});
    auto table = std::make_shared<Table>(req_.schema, req_.table, defs);
    ALOPEX_RETURN_IF_ERROR(catalog_.CreateTable(table, false, false).WithContext(req_.statement + ": "));
    table_ = catalog_.GetTable(req_.schema, req_.table);
    if (!table_) return Status::Internal(req_.statement + ": table " + req_.table + " vanished after CREATE");
    created_table_ = true;
  }
  table_cols_ = table_->columns();
  source_of_.assign(table_cols_.size(), -1);
  for (size_t c = 0; c < table_cols_.size(); c++)
    for (size_t j = 0; j < cols_.size(); j++)
      if (SameName(cols_[j].target, table_cols_[c].name)) source_of_[c] = int(j);
  ALOPEX_ASSIGN_OR_RETURN(appender_, table_->OpenAppender());
  stream_types_ = std::move(types);
  stream_ready_.store(true, std::memory_order_release);
  return Status::OK();
}

CommitInfoExtra Importer::CommitExtra() const {
  CommitInfoExtra extra;
  extra.operation = req_.copy_into ? "COPY INTO" : "WRITE";
  if (lease_) {
    std::vector<FileInfo> loaded;
    for (const auto& f : files_) loaded.push_back(f.entry.info);
    extra.domains.push_back(lease_->DomainWith(loaded));
  }
  return extra;
}

Result<uint64_t> Importer::CommitStream() {
  if (!stream_ready_) {  // no row was read: the table still gets its columns
    Batch none;
    FilePlan plan;
    plan.slot.assign(cols_.size(), -1);
    ALOPEX_RETURN_IF_ERROR(PrepareStream(none, plan));
  }
  uint64_t n = appender_->rows_written();
  ALOPEX_RETURN_IF_ERROR(appender_->Commit(CommitExtra()).status().WithContext(req_.statement + ": "));
  return n;
}

void Importer::ReadMorsel(FileState& f, size_t m) {
  MorselOutput& mo = f.morsels[m];
  Status st = f.file->ReadMorsel(m, f.plan.read, f.plan.vectors, [&](Batch&& b) -> Status {
    uint64_t base = mo.rows_read;
    mo.rows_read += b.num_rows;
    return ConvertBatch(f, std::move(b), base, &mo);
  });
  if (!st.ok() && !mo.fatal &&
      !(st.code() == StatusCode::kCancelled && st.message().find(kStopped) != std::string::npos))
    mo.status = st;
  // The morsel's ordered files are complete: close them (bounds memory).
  if (stream_ && o_.preserve_sort && stream_ready_.load(std::memory_order_acquire)) {
    Status end = appender_->EndSequence(MorselSequence(f, mo));
    if (!end.ok() && mo.status.ok()) mo.status = end;
  }
  uint64_t bytes = f.file->MorselBytes(m);
  job_.AddBytes(bytes);
  if (ctx_.progress) ctx_.progress->AddBytes(bytes);
}

Status Importer::ReadAll() {
  int workers = o_.parallel_workers > 0 ? o_.parallel_workers : std::max(1, ctx_.threads);
  if (o_.parallel_workers <= 0 && req_.memory_limit > 0) {
    // A worker holds one morsel read and decoded (a Parquet row group can be
    // as large as its file) and the data file it writes: run only as many as
    // alopex.import_memory_limit holds.
    uint64_t largest = 0;
    for (const auto& f : files_) largest = std::max<uint64_t>(largest, f.entry.info.size);
    uint64_t per_worker = 2 * std::min<uint64_t>(largest, uint64_t(1) << 30) + (uint64_t(64) << 20);
    workers = std::max(1, std::min<int>(workers, int(uint64_t(req_.memory_limit) / per_worker)));
  }
  if (ctx_.pool) workers = std::min(workers, ctx_.pool->size());
  workers = std::max(1, std::min<int>(workers, int(files_.size()) * 64));
  std::mutex mu;
  std::condition_variable cv;
  size_t next_open = 0, opening = 0, first_active = 0;
  auto work = [&](int) -> Status {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      if (stop_) return Status::OK();
      while (first_active < next_open && files_[first_active].opened &&
             files_[first_active].next_morsel == files_[first_active].num_morsels)
        first_active++;
      FileState* f = nullptr;
      size_t morsel = 0;
      for (size_t i = first_active; i < next_open && !f; i++) {
        FileState& c = files_[i];
        if (c.opened && c.next_morsel < c.num_morsels) {
          f = &c;
          morsel = c.next_morsel++;
        }
      }
      if (!f) {
        if (next_open < files_.size()) {
          FileState& c = files_[next_open++];
          opening++;
          lock.unlock();
          Status st = OpenFile(c);
          lock.lock();
          opening--;
          if (!st.ok()) {
            c.open_error = st;
            stop_ = true;
          } else {
            c.opened = true;
            if (c.num_morsels == 0) FinishFile(c);
          }
          cv.notify_all();
          continue;
        }
        if (opening == 0) return Status::OK();
        cv.wait(lock);
        continue;
      }
      lock.unlock();
      ReadMorsel(*f, morsel);
      lock.lock();
      const MorselOutput& mo = f->morsels[morsel];
      if (mo.fatal || !mo.status.ok()) stop_ = true;
      if (++f->done_morsels == f->num_morsels) FinishFile(*f);
      cv.notify_all();
    }
  };
  if (ctx_.pool && workers > 1) return ctx_.pool->Run(workers, work);
  return work(0);
}

uint64_t Importer::RowNumber(const FileState& f, size_t morsel, uint64_t local) const {
  int64_t first = f.first_rows.empty() ? -1 : f.first_rows[morsel];
  if (first < 0) {
    first = 0;
    for (size_t m = 0; m < morsel; m++) first += int64_t(f.morsels[m].rows_read);
  }
  return uint64_t(first) + local + 1;
}

// The first error in file order, as a Status naming file, row and column.
Status Importer::FirstError() {
  for (FileState& f : files_) {
    if (!f.open_error.ok()) return f.open_error;
    for (size_t m = 0; m < f.morsels.size(); m++) {
      const MorselOutput& mo = f.morsels[m];
      if (mo.fatal) {
        const CellError& e = *mo.fatal;
        return Status::ConversionError(req_.statement + ": " + f.entry.info.path + ": row " +
                                       std::to_string(RowNumber(f, m, e.row)) + ", " + ColumnLabel(e.column) + ": " +
                                       e.message);
      }
      if (!mo.status.ok()) return mo.status.WithContext(req_.statement + ": ");
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------- commit

// Decides VECTOR(n) or a float list for new float-list columns from all rows.
Status Importer::ResolveInferredTypes(std::vector<Batch>* rows) {
  for (size_t j = 0; j < cols_.size(); j++) {
    ImportColumn& c = cols_[j];
    if (!c.infer_vector) continue;
    int64_t dim = -1;
    bool uniform = true, any_double = c.source_type.child().id() == TypeId::kDouble;
    for (const Batch& b : *rows) {
      const Column& col = b.columns[j];
      if (col.type().id() == TypeId::kVector) {
        if (col.size() == col.CountNulls()) continue;
        int64_t d = col.type().dimension();
        if (dim >= 0 && d != dim) uniform = false;
        dim = d;
        continue;
      }
      if (col.type().id() != TypeId::kList) {
        uniform = false;
        continue;
      }
      if (col.type().child().id() == TypeId::kDouble) any_double = true;
      const ListEntry* e = col.list_entries();
      for (size_t r = 0; r < col.size() && uniform; r++) {
        if (col.IsNull(r)) continue;
        int64_t d = int64_t(e[r].length);
        if (dim >= 0 && d != dim) uniform = false;
        dim = d;
        for (uint64_t k = 0; k < e[r].length && uniform; k++)
          if (col.child().IsNull(e[r].offset + k)) uniform = false;
      }
    }
    if (uniform && dim > 0)
      c.type = LogicalType::Vector(int(dim));
    else
      c.type = LogicalType::List(any_double ? TypeId::kDouble : TypeId::kFloat);
    for (Batch& b : *rows) {
      Column& col = b.columns[j];
      if (col.type() == c.type) continue;
      Column cast;
      ALOPEX_RETURN_IF_ERROR(
          CastColumn(col, c.type, &cast).WithContext(req_.statement + ": column \"" + c.target + "\": "));
      col = std::move(cast);
    }
  }
  return Status::OK();
}

// Rows of `batches` re-cut into batches of `size` rows.
std::vector<Batch> Rebatch(std::vector<Batch> batches, size_t size) {
  std::vector<Batch> out;
  Batch cur;
  for (Batch& b : batches) {
    size_t off = 0;
    while (off < b.num_rows) {
      if (cur.columns.empty()) cur = Batch(b.types(), 0);
      size_t take = std::min(size - cur.num_rows, b.num_rows - off);
      for (size_t c = 0; c < b.columns.size(); c++) cur.columns[c].AppendRange(b.columns[c], off, take);
      cur.num_rows += take;
      off += take;
      if (cur.num_rows == size) {
        out.push_back(std::move(cur));
        cur = Batch();
      }
    }
  }
  if (cur.num_rows) out.push_back(std::move(cur));
  return out;
}

// Encodes the key columns of one row; NULL keys give nullopt (they never match).
std::optional<std::string> EncodeKey(const Batch& b, const std::vector<size_t>& cols, size_t row) {
  std::string key, text;
  for (size_t c : cols) {
    const Column& col = b.columns[c];
    if (col.IsNull(row)) return std::nullopt;
    text.clear();
    AppendValueText(col, row, &text);
    uint32_t len = uint32_t(text.size());
    key.append(reinterpret_cast<const char*>(&len), sizeof(len));
    key += text;
  }
  return key;
}

// Full table rows from import-column rows: the other columns get their
// default or NULL.
Batch ToTableRow(Batch&& in, const std::vector<ColumnDef>& table_cols, const std::vector<int>& source_of) {
  Batch out;
  out.num_rows = in.num_rows;
  for (size_t c = 0; c < table_cols.size(); c++) {
    if (source_of[c] >= 0) {
      out.columns.push_back(std::move(in.columns[size_t(source_of[c])]));
    } else {
      const ColumnDef& d = table_cols[c];
      out.columns.push_back(Column::Constant(d.default_value ? *d.default_value : Value::Null(d.type), in.num_rows));
    }
  }
  return out;
}

// Estimated bytes a column holds in memory.
uint64_t EstimateBytes(const Column& c) {
  uint64_t n = c.size() / 8;  // validity
  if (c.type().IsString()) {
    for (size_t r = 0; r < c.size(); r++) n += sizeof(StringRef) + (c.IsNull(r) ? 0 : c.GetStringView(r).size());
    return n;
  }
  if (c.type().id() == TypeId::kVector)
    return n + c.size() * sizeof(float) * size_t(std::max(0, int(c.type().dimension())));
  if (c.children().empty()) return n + c.size() * 16;
  n += c.size() * sizeof(ListEntry);
  for (const Column& child : c.children()) n += EstimateBytes(child);
  return n;
}

// The partition of an encoded key among `partitions`.
size_t KeyPartition(const std::string& key, size_t partitions) {
  // Mixed, so that std::hash being the identity for short keys on some
  // platforms still spreads them.
  uint64_t h = std::hash<std::string>()(key) * 0x9E3779B97F4A7C15ull;
  return size_t((h >> 32) % partitions);
}

Batch GatherRows(const Batch& b, const std::vector<uint32_t>& sel) {
  Batch g;
  g.num_rows = sel.size();
  for (const auto& col : b.columns) {
    Column c(col.type(), sel.size());
    c.Gather(col, sel.data(), sel.size());
    g.columns.push_back(std::move(c));
  }
  return g;
}

std::vector<int> MergeTarget::ScanColumns() const {
  std::vector<int> ids;
  for (size_t c = 0; c < columns.size(); c++) ids.push_back(int(c));
  if (row_ids) ids.insert(ids.end(), {kRowIdColumn, kRowCommitVersionColumn});
  if (per_file) ids.push_back(kDataFileColumn);
  return ids;
}

std::vector<LogicalType> MergeTarget::RowTypes() const {
  std::vector<LogicalType> types;
  for (const ColumnDef& c : columns) types.push_back(c.type);
  if (row_ids) types.insert(types.end(), 2, LogicalType(TypeId::kBigInt));
  if (per_file) types.push_back(LogicalType(TypeId::kInteger));
  return types;
}

RewriteSpec MergeTarget::Spec(const std::vector<bool>& touched) const {
  RewriteSpec spec;
  spec.row_ids = row_ids;
  if (per_file) {
    spec.files.emplace();
    for (size_t f = 0; f < touched.size(); f++)
      if (touched[f]) spec.files->push_back(f);
  }
  return spec;
}

// One merge by key of import rows into table rows (MergeTarget's layout). The
// import row that wins a key is its last one (with a sequence column, the one
// numbered highest); table rows with that key take its values, and an upsert
// adds the winners no table row took. Table rows go through Match, then Emit.
class KeyMerge {
 public:
  struct Ref {
    uint32_t batch, row;
  };
  using Matches = std::vector<std::optional<Ref>>;  // per table row: the winner it takes
  using Sink = std::function<Status(Batch&&)>;

  // `rows` hold the import columns, then the BIGINT sequence column `seq`
  // (-1: none); they outlive the merge. `touched` (per_file: a flag per data
  // file) collects the files holding a matched row; the merges of one import
  // share it.
  KeyMerge(const MergeTarget& t, const std::vector<size_t>& key_cols, const std::vector<Batch>& rows, int seq,
           std::vector<bool>* touched)
      : t_(t), key_cols_(key_cols), rows_(rows), seq_(seq), touched_(touched) {}

  // Indexes the import keys; false once the index passes `limit` bytes (0: no limit).
  bool Index(int64_t limit);
  // The winners `table_rows` match; marks their data files touched.
  Matches Match(const Batch& table_rows);
  // Hands `sink` the rows of `table_rows` in touched data files (all of them
  // without per_file), without the data file column; matched rows carry the
  // import's values and keep their id with a NULL commit version.
  Status Emit(Batch&& table_rows, Matches match, const Sink& sink) const;
  // Upsert: the winners no table row matched, as new rows (NULL ids).
  Status EmitInserts(const Sink& sink);
  // Table rows matched plus rows inserted.
  uint64_t rows() const { return updated_ + inserted_; }

 private:
  bool IsWinner(size_t batch, size_t row) const;

  const MergeTarget& t_;
  const std::vector<size_t>& key_cols_;
  const std::vector<Batch>& rows_;
  const int seq_;
  std::vector<bool>* touched_;
  std::unordered_map<std::string, Ref> winners_;
  std::set<std::pair<uint32_t, uint32_t>> used_;  // winners a table row took
  uint64_t updated_ = 0, inserted_ = 0;
};

bool KeyMerge::Index(int64_t limit) {
  auto seq_of = [&](Ref r) { return rows_[r.batch].columns[size_t(seq_)].data<int64_t>()[r.row]; };
  uint64_t key_bytes = 0;
  for (size_t bi = 0; bi < rows_.size(); bi++) {
    for (size_t r = 0; r < rows_[bi].num_rows; r++) {
      auto key = EncodeKey(rows_[bi], key_cols_, r);
      if (!key) continue;
      Ref ref{uint32_t(bi), uint32_t(r)};
      auto [it, inserted] = winners_.try_emplace(std::move(*key), ref);
      if (inserted)
        key_bytes += it->first.size() + 64;
      else if (seq_ < 0 || seq_of(ref) > seq_of(it->second))
        it->second = ref;
    }
    if (limit > 0 && int64_t(key_bytes) > limit) return false;
  }
  return true;
}

KeyMerge::Matches KeyMerge::Match(const Batch& b) {
  Matches match(b.num_rows);
  if (winners_.empty()) return match;
  const int32_t* file = t_.per_file ? b.columns[t_.width()].data<int32_t>() : nullptr;
  for (size_t r = 0; r < b.num_rows; r++) {
    auto key = EncodeKey(b, t_.keys, r);
    if (!key) continue;
    auto it = winners_.find(*key);
    if (it == winners_.end()) continue;
    match[r] = it->second;
    used_.insert({it->second.batch, it->second.row});
    updated_++;
    if (file) (*touched_)[size_t(file[r])] = true;
  }
  return match;
}

Status KeyMerge::Emit(Batch&& b, Matches match, const Sink& sink) const {
  if (t_.per_file) {
    const int32_t* file = b.columns[t_.width()].data<int32_t>();
    std::vector<uint32_t> keep;
    for (size_t r = 0; r < b.num_rows; r++)
      if ((*touched_)[size_t(file[r])]) keep.push_back(uint32_t(r));
    if (keep.empty()) return Status::OK();  // files no import row matched stay as they are
    if (keep.size() < b.num_rows) {
      b = GatherRows(b, keep);
      Matches kept;
      for (uint32_t r : keep) kept.push_back(match[r]);
      match = std::move(kept);
    }
    b.columns.resize(t_.width());
  }
  if (std::none_of(match.begin(), match.end(), [](const auto& m) { return m.has_value(); })) return sink(std::move(b));
  const std::vector<ColumnDef>& table_cols = t_.columns;
  Batch nb;
  nb.num_rows = b.num_rows;
  for (size_t c = 0; c < table_cols.size(); c++) {
    if (t_.source_of[c] < 0) {
      nb.columns.push_back(std::move(b.columns[c]));
      continue;
    }
    const size_t j = size_t(t_.source_of[c]);
    Column col(table_cols[c].type, b.num_rows);
    size_t r = 0;
    while (r < b.num_rows) {
      if (!match[r]) {  // a run of unchanged rows
        size_t end = r;
        while (end < b.num_rows && !match[end]) end++;
        col.AppendRange(b.columns[c], r, end - r);
        r = end;
        continue;
      }
      col.AppendRange(rows_[match[r]->batch].columns[j], match[r]->row, 1);
      r++;
    }
    nb.columns.push_back(std::move(col));
  }
  if (t_.row_ids) {
    // An updated row keeps its id and takes this commit's version (NULL).
    nb.columns.push_back(std::move(b.columns[table_cols.size()]));
    Column version = std::move(b.columns[table_cols.size() + 1]);
    for (size_t r = 0; r < b.num_rows; r++)
      if (match[r]) version.SetNull(r);
    nb.columns.push_back(std::move(version));
  }
  return sink(std::move(nb));
}

bool KeyMerge::IsWinner(size_t bi, size_t r) const {
  auto key = EncodeKey(rows_[bi], key_cols_, r);
  if (!key) return true;  // NULL keys match nothing and are all kept
  auto it = winners_.find(*key);
  return it->second.batch == bi && it->second.row == r;
}

Status KeyMerge::EmitInserts(const Sink& sink) {
  if (!t_.insert) return Status::OK();
  for (size_t bi = 0; bi < rows_.size(); bi++) {
    std::vector<uint32_t> sel;
    for (size_t r = 0; r < rows_[bi].num_rows; r++)
      if (!used_.count({uint32_t(bi), uint32_t(r)}) && IsWinner(bi, r)) sel.push_back(uint32_t(r));
    if (sel.empty()) continue;
    inserted_ += sel.size();
    Batch b = ToTableRow(GatherRows(rows_[bi], sel), t_.columns, t_.source_of);
    if (t_.row_ids)
      for (int k = 0; k < 2; k++) b.columns.push_back(Column::Constant(Value::Null(TypeId::kBigInt), b.num_rows));
    ALOPEX_RETURN_IF_ERROR(sink(std::move(b)));
  }
  return Status::OK();
}

Status Importer::KeysTooLarge() const {
  return Status::OutOfRange(req_.statement + ": the keys of one spill partition of this " +
                            (o_.mode == ImportMode::kUpsert ? std::string("upsert") : std::string("update")) +
                            " need more than alopex.import_memory_limit (" + std::to_string(req_.memory_limit) +
                            " bytes): raise the limit or lower alopex.import_spill_threshold");
}

// Unless the input spills, the table is read one data file at a time (a stored
// table's morsels are its data files, table_scan.h): once a file's rows are
// matched it is known whether the file is rewritten; if not, they are dropped.
Result<uint64_t> Importer::Merge(const std::shared_ptr<Table>& table, std::vector<Batch> rows) {
  ALOPEX_ASSIGN_OR_RETURN(auto base, table->Snapshot());
  MergeTarget t;
  t.columns = base->columns;
  t.source_of.assign(t.columns.size(), -1);
  for (size_t c = 0; c < t.columns.size(); c++)
    for (size_t j = 0; j < cols_.size(); j++)
      if (SameName(cols_[j].target, t.columns[c].name)) t.source_of[c] = int(j);
  for (size_t k : key_cols_)
    for (size_t c = 0; c < t.columns.size(); c++)
      if (SameName(cols_[k].target, t.columns[c].name)) t.keys.push_back(c);
  t.insert = o_.mode == ImportMode::kUpsert;
  t.per_file = base->files != nullptr;
  t.row_ids = t.per_file && base->row_tracking;
  t.num_files = base->num_files;

  // What the input holds in memory, and what its keys will.
  uint64_t input_bytes = 0, input_rows = 0;
  for (const Batch& b : rows) {
    input_rows += b.num_rows;
    input_bytes += b.num_rows * 64;  // the key map's entry
    for (const Column& c : b.columns) input_bytes += EstimateBytes(c);
    for (size_t k : key_cols_) input_bytes += EstimateBytes(b.columns[k]);
  }
  bool spill = (req_.spill_threshold > 0 && int64_t(input_bytes) > req_.spill_threshold) ||
               (req_.memory_limit > 0 && int64_t(input_bytes) > req_.memory_limit);
  if (spill && input_rows > 0) return MergeSpilled(table, base, t, std::move(rows), input_bytes, input_rows);

  auto fail = [&](const Status& st) { return st.WithContext(req_.statement + ": "); };
  std::vector<bool> touched(t.per_file ? t.num_files : 0);
  KeyMerge merge(t, key_cols_, rows, -1, &touched);
  if (!merge.Index(req_.memory_limit)) return KeysTooLarge();
  std::vector<Batch> next;
  auto emit = [&](Batch&& b) -> Status {
    next.push_back(std::move(b));
    return Status::OK();
  };
  ALOPEX_ASSIGN_OR_RETURN(auto scan, TableScan::Make(base, t.ScanColumns()));
  for (size_t m = 0; m < scan->num_morsels(); m++) {
    std::vector<std::pair<Batch, KeyMerge::Matches>> morsel;
    ALOPEX_RETURN_IF_ERROR(fail(scan->Read(m, [&](Batch&& b) {
      KeyMerge::Matches match = merge.Match(b);
      morsel.emplace_back(std::move(b), std::move(match));
      return Status::OK();
    })));
    for (auto& [b, match] : morsel) ALOPEX_RETURN_IF_ERROR(merge.Emit(std::move(b), std::move(match), emit));
  }
  ALOPEX_RETURN_IF_ERROR(merge.EmitInserts(emit));
  ALOPEX_RETURN_IF_ERROR(fail(table->Replace(*base, std::move(next), "MERGE", t.Spec(touched))));
  return merge.rows();
}

// Grace hash: both sides go to spill files by a hash of the key, so that one
// partition of each fits alopex.import_spill_threshold, plus one file a side
// for the rows with a NULL key (they match nothing: the table's are kept, the
// input's inserted by an upsert). Import rows carry a global sequence number so
// the last occurrence of a key still wins. A first pass over the partitions
// finds the data files holding a matched row (stored tables), a second merges
// them one at a time (KeyMerge) and streams the result into one rewrite of
// those files (of all rows for an in-memory table). The spill folder goes when
// this returns, whatever happened.
Result<uint64_t> Importer::MergeSpilled(const std::shared_ptr<Table>& table,
                                        const std::shared_ptr<const TableSnapshot>& base, const MergeTarget& t,
                                        std::vector<Batch> rows, uint64_t input_bytes, uint64_t input_rows) {
  int64_t budget = req_.spill_threshold > 0 ? req_.spill_threshold : req_.memory_limit;
  if (req_.memory_limit > 0) budget = std::min(budget, req_.memory_limit);
  budget = std::max<int64_t>(budget, 1);
  // The table's rows are estimated at the input's average width.
  uint64_t base_bytes = uint64_t(base->num_rows) * (input_bytes / input_rows + 1);
  const size_t kMaxPartitions = 256;
  size_t parts = size_t(std::clamp<uint64_t>((input_bytes + base_bytes) / uint64_t(budget) + 1, 2, kMaxPartitions));
  int64_t buffer = budget / int64_t(parts);

  auto fail = [&](const Status& st) { return st.WithContext(req_.statement + ": "); };
  auto created = SpillFolder::Create(req_.spill_dir);
  if (!created.ok()) return fail(created.status());
  std::unique_ptr<SpillFolder> folder = std::move(*created);

  // A side's spill files: one per partition, the last (`parts`) for NULL keys.
  struct Side {
    std::string name;
    std::vector<LogicalType> types;
    std::vector<std::unique_ptr<SpillWriter>> files;
  };
  Side input{"input", rows[0].types(), {}}, stored{"table", t.RowTypes(), {}};
  const int seq_col = int(input.types.size());
  input.types.push_back(LogicalType(TypeId::kBigInt));
  input.files.resize(parts + 1);
  stored.files.resize(parts + 1);
  auto spill = [&](Side& side, const std::vector<size_t>& keys, const Batch& b) -> Status {
    std::vector<std::vector<uint32_t>> sel(parts + 1);
    for (size_t r = 0; r < b.num_rows; r++) {
      auto key = EncodeKey(b, keys, r);
      sel[key ? KeyPartition(*key, parts) : parts].push_back(uint32_t(r));
    }
    for (size_t p = 0; p <= parts; p++) {
      if (sel[p].empty()) continue;
      std::unique_ptr<SpillWriter>& file = side.files[p];
      if (!file) {
        ALOPEX_ASSIGN_OR_RETURN(
            file, SpillWriter::Open(folder->NewFilePath(side.name + std::to_string(p)), side.types, buffer));
      }
      ALOPEX_RETURN_IF_ERROR(sel[p].size() == b.num_rows ? file->Write(b) : file->Write(GatherRows(b, sel[p])));
    }
    return Status::OK();
  };

  // The input, batch by batch, released as it goes.
  int64_t next_seq = 0;
  for (Batch& b : rows) {
    Column seq(LogicalType(TypeId::kBigInt), b.num_rows);
    seq.Resize(b.num_rows);
    for (size_t r = 0; r < b.num_rows; r++) seq.data<int64_t>()[r] = next_seq++;
    b.columns.push_back(std::move(seq));
    ALOPEX_RETURN_IF_ERROR(fail(spill(input, key_cols_, b)));
    b = Batch();
  }
  rows.clear();
  // The table, read as it is stored.
  ALOPEX_ASSIGN_OR_RETURN(auto scan, TableScan::Make(base, t.ScanColumns()));
  for (size_t m = 0; m < scan->num_morsels(); m++)
    ALOPEX_RETURN_IF_ERROR(fail(scan->Read(m, [&](Batch&& b) { return spill(stored, t.keys, b); })));
  for (Side* side : {&input, &stored})
    for (auto& f : side->files)
      if (f) ALOPEX_RETURN_IF_ERROR(fail(f->Close()));

  // Merges partition p into `out`; while `out` is not open yet, only marks
  // the data files it touches.
  std::vector<bool> touched(t.per_file ? t.num_files : 0);
  std::unique_ptr<TableAppender> out;
  auto emit = [&](Batch&& b) { return out->Write(std::move(b)); };
  auto merge_partition = [&](size_t p) -> Result<uint64_t> {
    std::vector<Batch> in_rows;
    if (input.files[p]) {
      ALOPEX_RETURN_IF_ERROR(fail(ReadSpillFile(input.files[p]->path(), input.types, [&](Batch&& b) {
        in_rows.push_back(std::move(b));
        return Status::OK();
      })));
    }
    KeyMerge merge(t, key_cols_, in_rows, seq_col, &touched);
    if (!merge.Index(req_.memory_limit)) return KeysTooLarge();
    if (stored.files[p]) {
      ALOPEX_RETURN_IF_ERROR(fail(ReadSpillFile(stored.files[p]->path(), stored.types, [&](Batch&& b) {
        KeyMerge::Matches match = merge.Match(b);
        return out ? merge.Emit(std::move(b), std::move(match), emit) : Status::OK();
      })));
    }
    if (out) ALOPEX_RETURN_IF_ERROR(fail(merge.EmitInserts(emit)));
    return merge.rows();
  };
  if (t.per_file) {
    for (size_t p = 0; p < parts && std::find(touched.begin(), touched.end(), false) != touched.end(); p++) {
      ALOPEX_RETURN_IF_ERROR(ctx_.CheckInterrupt());
      if (input.files[p] && stored.files[p]) ALOPEX_RETURN_IF_ERROR(merge_partition(p).status());
    }
  }
  ALOPEX_ASSIGN_OR_RETURN(out, table->OpenRewriter(base, "MERGE", t.Spec(touched)));
  uint64_t n = 0;
  for (size_t p = 0; p <= parts; p++) {
    ALOPEX_RETURN_IF_ERROR(ctx_.CheckInterrupt());
    ALOPEX_ASSIGN_OR_RETURN(uint64_t merged, merge_partition(p));
    n += merged;
  }
  ALOPEX_RETURN_IF_ERROR(fail(out->Commit().status()));
  return n;
}

Result<uint64_t> Importer::Commit(std::vector<Batch> rows) {
  ALOPEX_RETURN_IF_ERROR(ResolveInferredTypes(&rows));
  if (o_.batch_size > 0) rows = Rebatch(std::move(rows), size_t(o_.batch_size));

  if (!table_) {
    std::vector<ColumnDef> defs;
    for (const auto& c : cols_) defs.push_back({c.target, c.type, false, std::nullopt});
    auto table = std::make_shared<Table>(req_.schema, req_.table, defs);
    uint64_t n = 0;
    if (o_.mode == ImportMode::kUpsert) {
      // A new table: only the deduplication of the input applies.
      ALOPEX_ASSIGN_OR_RETURN(n, Merge(table, std::move(rows)));
    } else {
      for (const auto& b : rows) n += b.num_rows;
      ALOPEX_RETURN_IF_ERROR(table->Append(std::move(rows)));
    }
    ALOPEX_RETURN_IF_ERROR(catalog_.CreateTable(table, false, false).WithContext(req_.statement + ": "));
    table_ = table;
    return n;
  }

  // New columns (a schemaless table, mergeSchema) join the table: with the
  // rows in one commit when appending, before the merge otherwise.
  std::vector<ColumnDef> added;
  for (const auto& c : cols_)
    if (c.new_column && table_->ColumnIndex(c.target) < 0) added.push_back({c.target, c.type, false, std::nullopt});
  if (o_.mode != ImportMode::kAppend) {
    for (const auto& c : added) ALOPEX_RETURN_IF_ERROR(table_->AddColumn(c).WithContext(req_.statement + ": "));
    return Merge(table_, std::move(rows));
  }

  std::vector<ColumnDef> table_cols = table_->columns();
  for (const auto& c : added) table_cols.push_back(c);
  std::vector<int> source_of(table_cols.size(), -1);
  for (size_t c = 0; c < table_cols.size(); c++)
    for (size_t j = 0; j < cols_.size(); j++)
      if (SameName(cols_[j].target, table_cols[c].name)) source_of[c] = int(j);
  uint64_t n = 0;
  std::vector<Batch> full;
  for (auto& b : rows) {
    n += b.num_rows;
    full.push_back(ToTableRow(std::move(b), table_cols, source_of));
  }
  CommitInfoExtra extra = CommitExtra();
  extra.add_columns = std::move(added);
  ALOPEX_RETURN_IF_ERROR(table_->Append(std::move(full), extra).WithContext(req_.statement + ": "));
  return n;
}

Status Importer::WriteErrorTable() {
  if (o_.error_table.empty()) return Status::OK();
  std::vector<std::vector<Value>> rows;
  LogicalType v(TypeId::kVarchar);
  for (const FileState& f : files_) {
    // A rejected line's row_number is its line in the file (NULL when unknown).
    for (const RejectedLine& l : f.rejected)
      rows.push_back({Value::Varchar(job_.id()), Value::Varchar(f.entry.info.path),
                      l.line ? Value::BigInt(int64_t(l.line)) : Value::Null(TypeId::kBigInt), Value::Null(v),
                      Value::Varchar(l.message), l.raw ? Value::Varchar(*l.raw) : Value::Null(v)});
    for (size_t m = 0; m < f.morsels.size(); m++)
      for (const CellError& e : f.morsels[m].errors)
        rows.push_back({Value::Varchar(job_.id()), Value::Varchar(f.entry.info.path),
                        Value::BigInt(int64_t(RowNumber(f, m, e.row))), Value::Varchar(cols_[e.column].source),
                        Value::Varchar(e.message), Value::Varchar(e.raw)});
  }
  std::string schema = Catalog::kDefaultSchema, name = o_.error_table;
  if (auto dot = name.find('.'); dot != std::string::npos) {
    schema = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  auto table = catalog_.GetTable(schema, name);
  if (!table) {
    table = std::make_shared<Table>(schema, name, ErrorTableColumns());
    Status st = catalog_.CreateTable(table, true, false);
    if (!st.ok()) return st.WithContext(req_.statement + ": error_table: ");
    table = catalog_.GetTable(schema, name);
  }
  std::vector<ColumnDef> cols = table->columns();
  std::vector<ColumnDef> want = ErrorTableColumns();
  std::vector<int> source_of(cols.size(), -1);
  bool any = false;
  for (size_t c = 0; c < cols.size(); c++)
    for (size_t k = 0; k < want.size(); k++)
      if (SameName(cols[c].name, want[k].name)) source_of[c] = int(k), any = true;
  if (!any)
    return Fail("error_table \"" + o_.error_table +
                "\" exists without the columns job_id, file, row_number, column_name, message, raw_value");
  if (rows.empty()) return Status::OK();
  Batch b;
  b.num_rows = rows.size();
  for (size_t c = 0; c < cols.size(); c++) {
    Column col(cols[c].type, rows.size());
    for (const auto& r : rows) {
      Value val = source_of[c] >= 0 ? r[size_t(source_of[c])] : Value::Null(cols[c].type);
      auto cast = CastValue(val, cols[c].type);
      if (!cast.ok())
        return cast.status().WithContext(req_.statement + ": error_table column \"" + cols[c].name + "\": ");
      col.AppendValue(*cast);
    }
    b.columns.push_back(std::move(col));
  }
  std::vector<Batch> batches;
  batches.push_back(std::move(b));
  return table->Append(std::move(batches)).WithContext(req_.statement + ": error_table: ");
}

Result<ImportResult> Importer::Run() {
  if (o_.build_indexes)
    return Fail(
        "build_indexes = true: vector indexes come with the vector-search feature, which this build does "
        "not have yet; import with build_indexes = false");
  ALOPEX_RETURN_IF_ERROR(ListFiles());
  ALOPEX_RETURN_IF_ERROR(ResolvePartitions());
  ALOPEX_RETURN_IF_ERROR(PruneFiles());

  table_ = catalog_.GetTable(req_.schema, req_.table);
  if (!table_ && !catalog_.SchemaExists(req_.schema))
    return Status::NotFound(req_.statement + ": Schema with name \"" + req_.schema + "\" does not exist");
  if (table_ && table_->columns().empty()) schemaless_ = true;
  if (!table_ && o_.mode == ImportMode::kUpdate)
    return Status::NotFound(req_.statement + ": mode 'update' needs an existing table; \"" + req_.table +
                            "\" does not exist");
  if (req_.copy_into && table_) {
    auto lease = LoadedFileRegistry::Global().Acquire(table_);
    if (!lease.ok()) return lease.status().WithContext(req_.statement + ": ");
    lease_.emplace(std::move(*lease));
    if (!o_.force) {
      std::vector<FileEntry> fresh;
      for (auto& e : entries_)
        if (!lease_->Contains(e.info)) fresh.push_back(std::move(e));
      entries_ = std::move(fresh);
    }
  }
  if (entries_.empty()) {
    if (!table_)
      return Fail("no file is left after partition_filter, so the columns of the new table \"" + req_.table +
                  "\" are unknown");
    job_.Complete(0, (*table_->Snapshot())->version);
    return ImportResult{job_.id(), 0, 0, 0, (*table_->Snapshot())->version};
  }

  // The source schema: of the first file, or the union of all files where the
  // import defines the table's columns from them (COPY INTO).
  std::vector<std::string> src_names;
  std::vector<LogicalType> src_types;
  {
    bool union_all = req_.copy_into && (!table_ || schemaless_ || o_.merge_schema);
    size_t probe = union_all ? entries_.size() : 1;
    for (size_t i = 0; i < probe; i++) {
      auto f = ImportFile::Open(entries_[i].info, entries_[i].format, o_, false);
      if (!f.ok()) return f.status().WithContext(req_.statement + ": ");
      for (size_t c = 0; c < (*f)->names().size(); c++) {
        const std::string& n = (*f)->names()[c];
        const LogicalType& t = (*f)->types()[c];
        size_t k = 0;
        while (k < src_names.size() && !SameName(src_names[k], n)) k++;
        if (k == src_names.size()) {
          src_names.push_back(n);
          src_types.push_back(t);
        } else if (src_types[k] != t) {
          auto common = CommonSuperType(src_types[k], t);
          if (common.ok()) src_types[k] = *common;
        }
      }
    }
  }
  ALOPEX_RETURN_IF_ERROR(ResolveColumns(src_names, src_types, entries_[0].info.path));

  files_.resize(entries_.size());
  uint64_t bytes_total = 0;
  for (size_t i = 0; i < entries_.size(); i++) {
    files_[i].entry = entries_[i];
    bytes_total += entries_[i].info.size;
  }
  job_.SetFilesTotal(files_.size());
  if (ctx_.progress) {
    ctx_.progress->AddWorkTotal(files_.size());
    ctx_.progress->AddBytesTotal(bytes_total);
  }

  bool adds_columns = false;
  for (const auto& c : cols_) adds_columns |= c.new_column;
  stream_ = o_.mode == ImportMode::kAppend && !adds_columns && !schemaless_;
  Status read = ReadAll();
  if (!read.ok() || too_many_errors_ || !FirstError().ok() || !ctx_.CheckInterrupt().ok()) {
    // Nothing is committed; a table this import created goes away again.
    appender_.reset();
    if (created_table_) (void)catalog_.DropTable(req_.schema, req_.table, true);
  }
  ALOPEX_RETURN_IF_ERROR(read);
  if (too_many_errors_) {
    return Status::ConversionError(req_.statement + ": " + std::to_string(job_.rejected()) +
                                   " rows were rejected, more than max_errors = " + std::to_string(o_.max_errors) +
                                   "; nothing was imported");
  }
  ALOPEX_RETURN_IF_ERROR(FirstError());
  ALOPEX_RETURN_IF_ERROR(ctx_.CheckInterrupt());

  uint64_t n = 0;
  if (stream_) {
    auto committed = CommitStream();
    if (!committed.ok() && created_table_) (void)catalog_.DropTable(req_.schema, req_.table, true);
    ALOPEX_ASSIGN_OR_RETURN(n, std::move(committed));
  } else {
    std::vector<Batch> rows;
    for (FileState& f : files_)
      for (MorselOutput& mo : f.morsels)
        for (Batch& b : mo.batches) rows.push_back(std::move(b));
    ALOPEX_ASSIGN_OR_RETURN(n, Commit(std::move(rows)));
  }
  int64_t version = (*table_->Snapshot())->version;
  // The rejected rows are kept even if writing them fails: the data is committed.
  Status err = WriteErrorTable();
  job_.Complete(n, version);
  if (!err.ok()) return err;
  return ImportResult{job_.id(), n, job_.rejected(), files_.size(), version};
}

}  // namespace

Result<ImportResult> RunImport(const ImportRequest& request, Catalog& catalog, const ExecContext& ctx) {
  std::string target = request.schema == Catalog::kDefaultSchema ? request.table : request.schema + "." + request.table;
  auto job = ImportJobRegistry::Global().Start(target, &catalog);
  Importer importer(request, catalog, ctx, *job);
  auto r = importer.Run();
  // A job that committed stays completed even if writing its error table failed.
  if (!r.ok() && job->Snapshot().state == ImportJobState::kInProgress) job->Fail(r.status().message());
  return r;
}

}  // namespace alopex
