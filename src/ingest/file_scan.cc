#include "ingest/file_scan.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <limits>
#include <mutex>
#include <optional>
#include <set>

#include "common/cast.h"
#include "common/text.h"
#include "exec/column_predicates.h"
#include "exec/expression_executor.h"
#include "exec/plan.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_reader.h"
#include "formats/parquet/parquet_reader.h"
#include "ingest/delta_function.h"
#include "io/file_system.h"
#include "io/hive_partition.h"

namespace alopex {

namespace {

enum class FileFormat { kParquet, kCsv, kJson };

const char* FormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kParquet:
      return "parquet";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kJson:
      return "json";
  }
  return "?";
}

// The format a file name's extension names (compression suffixes looked
// through).
std::optional<FileFormat> FormatFromExtension(std::string path) {
  path = AsciiLower(std::move(path));
  for (const char* z : {".gz", ".gzip", ".zst"})
    if (path.ends_with(z)) path.resize(path.size() - std::string_view(z).size());
  if (path.ends_with(".parquet") || path.ends_with(".parq")) return FileFormat::kParquet;
  if (path.ends_with(".csv") || path.ends_with(".tsv") || path.ends_with(".txt")) return FileFormat::kCsv;
  if (path.ends_with(".json") || path.ends_with(".jsonl") || path.ends_with(".ndjson")) return FileFormat::kJson;
  return std::nullopt;
}

bool IsLineDelimitedJsonName(std::string path) {
  path = AsciiLower(std::move(path));
  if (path.ends_with(".gz")) path.resize(path.size() - 3);
  return path.ends_with(".jsonl") || path.ends_with(".ndjson");
}

// Prefixes `st` with the file's path unless its message already names it.
Status InFile(const Status& st, const std::string& path) {
  if (st.ok() || st.message().find(path) != std::string::npos) return st;
  return st.WithContext(path + ": ");
}

// ---------------------------------------------------------------- options

struct FileScanOptions {
  FileFormat format = FileFormat::kParquet;
  std::optional<bool> hive_partitioning;
  bool union_by_name = false;
  bool filename = false;
  bool vectors = false;
  CsvReadOptions csv;
  JsonReadOptions json;
  // Options given that only some formats take (read_files checks them once the
  // format is known).
  std::vector<std::pair<std::string, std::vector<FileFormat>>> format_specific;
};

class OptionReader {
 public:
  explicit OptionReader(const std::string& function) : function_(function) {}

  Status Error(const std::string& option, const std::string& what) const {
    return Status::InvalidArgument(function_ + ": option \"" + option + "\" " + what);
  }
  Result<bool> Bool(const std::string& name, const Value& v) const {
    auto b = CastValue(v, TypeId::kBoolean);
    if (v.is_null() || !b.ok()) return Error(name, "must be a BOOLEAN, got " + v.ToSqlLiteral());
    return b->GetBool();
  }
  Result<int64_t> Int(const std::string& name, const Value& v) const {
    auto i = CastValue(v, TypeId::kBigInt);
    if (v.is_null() || !i.ok()) return Error(name, "must be an integer, got " + v.ToSqlLiteral());
    return i->GetInt64();
  }
  Result<std::string> String(const std::string& name, const Value& v) const {
    if (v.is_null() || v.type().IsNested()) return Error(name, "must be a string, got " + v.ToSqlLiteral());
    return v.type().id() == TypeId::kVarchar ? v.GetString() : v.ToString();
  }
  // One character; '' means none ('\0'); '\t' spelled with a backslash is a
  // tab.
  Result<char> Char(const std::string& name, const Value& v) const {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, String(name, v));
    if (s == "\\t") return '\t';
    if (s.empty()) return '\0';
    if (s.size() != 1) return Error(name, "must be a single character, got '" + s + "'");
    return s[0];
  }
  // name → type pairs from a STRUCT {'a': 'INTEGER'} or a MAP.
  Result<std::vector<std::pair<std::string, LogicalType>>> Columns(const std::string& name, const Value& v) const {
    std::vector<std::pair<std::string, LogicalType>> out;
    auto add = [&](const std::string& col, const Value& type_text) -> Status {
      ALOPEX_ASSIGN_OR_RETURN(std::string text, String(name, type_text));
      auto t = LogicalType::Parse(text);
      if (!t.ok()) return Error(name, "names an unknown type \"" + text + "\" for column \"" + col + "\"");
      out.emplace_back(col, *t);
      return Status::OK();
    };
    if (!v.is_null() && v.type().id() == TypeId::kStruct) {
      for (size_t i = 0; i < v.children().size(); i++)
        ALOPEX_RETURN_IF_ERROR(add(v.type().fields()[i].name, v.children()[i]));
      return out;
    }
    if (!v.is_null() && v.type().id() == TypeId::kMap) {
      for (const Value& kv : v.children()) {
        if (kv.children().size() != 2 || kv.children()[0].is_null()) return Error(name, "has a NULL column name");
        ALOPEX_RETURN_IF_ERROR(add(kv.children()[0].ToString(), kv.children()[1]));
      }
      return out;
    }
    return Error(name,
                 "must be a STRUCT or MAP of column name to type, as "
                 "{'a': 'INTEGER'}, got " +
                     v.ToSqlLiteral());
  }

 private:
  const std::string& function_;
};

// The formats each option applies to, and how it is stored.
Status ApplyOption(const std::string& function, const std::string& name, const Value& v, bool is_read_files,
                   FileScanOptions* o) {
  OptionReader r(function);
  const std::vector<FileFormat> kCsvOnly = {FileFormat::kCsv};
  const std::vector<FileFormat> kJsonOnly = {FileFormat::kJson};
  const std::vector<FileFormat> kTextOnly = {FileFormat::kCsv, FileFormat::kJson};
  auto only = [&](std::vector<FileFormat> formats) { o->format_specific.emplace_back(name, std::move(formats)); };

  if (name == "hive_partitioning") {
    ALOPEX_ASSIGN_OR_RETURN(bool b, r.Bool(name, v));
    o->hive_partitioning = b;
  } else if (name == "union_by_name") {
    ALOPEX_ASSIGN_OR_RETURN(o->union_by_name, r.Bool(name, v));
  } else if (name == "filename") {
    ALOPEX_ASSIGN_OR_RETURN(o->filename, r.Bool(name, v));
  } else if (name == "vectors") {
    ALOPEX_ASSIGN_OR_RETURN(o->vectors, r.Bool(name, v));
    only({FileFormat::kParquet});
  } else if (name == "delim" || name == "sep" || name == "delimiter") {
    ALOPEX_ASSIGN_OR_RETURN(char c, r.Char(name, v));
    if (c == '\0') return r.Error(name, "must not be empty");
    o->csv.delimiter = c;
    only(kCsvOnly);
  } else if (name == "header") {
    ALOPEX_ASSIGN_OR_RETURN(bool b, r.Bool(name, v));
    o->csv.header = b;
    only(kCsvOnly);
  } else if (name == "quote") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.quote, r.Char(name, v));
    only(kCsvOnly);
  } else if (name == "escape") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.escape, r.Char(name, v));
    only(kCsvOnly);
  } else if (name == "nullstr" || name == "null") {
    o->csv.null_strings.clear();
    if (!v.is_null() && v.type().id() == TypeId::kList) {
      for (const Value& item : v.children()) {
        ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, item));
        o->csv.null_strings.push_back(std::move(s));
      }
    } else {
      ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, v));
      o->csv.null_strings.push_back(std::move(s));
    }
    only(kCsvOnly);
  } else if (name == "columns") {
    ALOPEX_ASSIGN_OR_RETURN(auto cols, r.Columns(name, v));
    o->csv.column_names.clear();
    o->csv.column_types.clear();
    for (const auto& [n, t] : cols) {
      o->csv.column_names.push_back(n);
      o->csv.column_types.push_back(t);
    }
    o->json.columns = std::move(cols);
    only(kTextOnly);
  } else if (name == "types" || name == "dtypes" || name == "column_types") {
    if (!v.is_null() && v.type().id() == TypeId::kList) {
      o->csv.column_types.clear();
      for (const Value& item : v.children()) {
        ALOPEX_ASSIGN_OR_RETURN(std::string text, r.String(name, item));
        auto t = LogicalType::Parse(text);
        if (!t.ok()) return r.Error(name, "names an unknown type \"" + text + "\"");
        o->csv.column_types.push_back(*t);
      }
    } else {
      ALOPEX_ASSIGN_OR_RETURN(o->csv.column_type_overrides, r.Columns(name, v));
    }
    only(kCsvOnly);
  } else if (name == "all_varchar") {
    ALOPEX_ASSIGN_OR_RETURN(o->csv.all_varchar, r.Bool(name, v));
    only(kCsvOnly);
  } else if (name == "sample_size") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, r.Int(name, v));
    if (n == 0 || n < -1) return r.Error(name, "must be a positive number of rows, or -1 for the whole file");
    size_t rows = n == -1 ? std::numeric_limits<size_t>::max() / 2 : size_t(n);
    o->csv.sample_size = rows;
    o->json.sample_size = rows;
    only(kTextOnly);
  } else if (name == "ignore_errors") {
    ALOPEX_ASSIGN_OR_RETURN(bool b, r.Bool(name, v));
    o->csv.ignore_errors = b;
    o->json.ignore_errors = b;
    only(kTextOnly);
  } else if (name == "skip") {
    ALOPEX_ASSIGN_OR_RETURN(int64_t n, r.Int(name, v));
    if (n < 0) return r.Error(name, "must not be negative");
    o->csv.skip_rows = size_t(n);
    only(kCsvOnly);
  } else if (name == "dateformat" || name == "date_format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, v));
    o->csv.dateformat = s;
    only(kCsvOnly);
  } else if (name == "timestampformat" || name == "timestamp_format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, v));
    o->csv.timestampformat = s;
    only(kCsvOnly);
  } else if (name == "auto_detect") {
    ALOPEX_RETURN_IF_ERROR(r.Bool(name, v).status());  // the readers always sniff what is not given
    only(kTextOnly);
  } else if (name == "compression") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, v));
    s = AsciiLower(s);
    // The readers recognise gzip by its magic bytes.
    if (s != "auto" && s != "gzip" && s != "none" && s != "uncompressed")
      return r.Error(name, "must be 'auto', 'gzip' or 'none', got '" + s + "'");
    only(kTextOnly);
  } else if ((name == "format" && !is_read_files) || name == "json_format") {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String(name, v));
    s = AsciiLower(s);
    if (s == "auto")
      o->json.format = JsonFormat::kAuto;
    else if (s == "newline_delimited" || s == "ndjson" || s == "jsonl")
      o->json.format = JsonFormat::kNewlineDelimited;
    else if (s == "array")
      o->json.format = JsonFormat::kArray;
    else if (s == "unstructured")
      o->json.format = JsonFormat::kUnstructured;
    else
      return r.Error(name,
                     "must be 'auto', 'newline_delimited', 'array' or "
                     "'unstructured', got '" +
                         s + "'");
    only(kJsonOnly);
  } else {
    return Status::InvalidArgument(function + ": unknown option \"" + name + "\"");
  }
  return Status::OK();
}

// ---------------------------------------------------------------- files

// One opened file: its reader and schema. Readers are safe to read from several
// threads at once (different row groups / splits).
struct OpenFile {
  std::unique_ptr<ParquetReader> parquet;
  std::unique_ptr<CsvReader> csv;
  std::unique_ptr<JsonReader> json;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
};

struct ScanFile {
  std::string path;
  uint64_t size = 0;
  std::vector<Value> partition_values;  // one per hive key
  std::shared_ptr<OpenFile> open;       // set once opened
  std::vector<int> column_map;          // per scan file column: index in this file, -1 when absent
};

// Reads the first batch of row group 0 with list<float> columns decoded into
// VECTOR(n) to learn each such column's dimension (vectors = true).
void ProbeVectorTypes(ParquetReader& reader, std::vector<LogicalType>* types) {
  ParquetReadOptions ro;
  ro.vectors_from_lists = true;
  std::vector<size_t> cols;
  for (size_t i = 0; i < types->size(); i++) {
    const LogicalType& t = (*types)[i];
    if (t.id() == TypeId::kList && t.child().IsFloating()) {
      ro.columns.push_back(reader.column_names()[i]);
      cols.push_back(i);
    }
  }
  if (cols.empty() || reader.num_row_groups() == 0) return;
  Status st = reader.ReadRowGroup(0, ro, [&](Batch&& b) -> Status {
    for (size_t k = 0; k < cols.size() && k < b.columns.size(); k++)
      if (b.columns[k].type().id() == TypeId::kVector) (*types)[cols[k]] = b.columns[k].type();
    return Status::Cancelled("probe done");  // one batch is enough
  });
  (void)st;
}

Result<std::shared_ptr<OpenFile>> OpenScanFile(const std::string& path, FileFormat format, const FileScanOptions& o,
                                               const CsvReadOptions& csv, const JsonReadOptions& json) {
  auto f = std::make_shared<OpenFile>();
  switch (format) {
    case FileFormat::kParquet: {
      auto r = ParquetReader::Open(path);
      if (!r.ok()) return InFile(r.status(), path);
      f->parquet = std::move(*r);
      f->names = f->parquet->column_names();
      f->types = f->parquet->column_types();
      if (o.vectors) ProbeVectorTypes(*f->parquet, &f->types);
      break;
    }
    case FileFormat::kCsv: {
      auto r = CsvReader::Open(path, csv);
      if (!r.ok()) return InFile(r.status(), path);
      f->csv = std::move(*r);
      f->names = f->csv->column_names();
      f->types = f->csv->column_types();
      break;
    }
    case FileFormat::kJson: {
      JsonReadOptions jo = json;
      if (jo.format == JsonFormat::kAuto && IsLineDelimitedJsonName(path)) jo.format = JsonFormat::kNewlineDelimited;
      auto r = JsonReader::Open(path, jo);
      if (!r.ok()) return InFile(r.status(), path);
      f->json = std::move(*r);
      f->names = f->json->column_names();
      f->types = f->json->column_types();
      break;
    }
  }
  return f;
}

// ---------------------------------------------------------------- the source

class FileScanSource : public TableFunctionSource {
 public:
  FileScanSource(std::string function, FileFormat format, FileScanOptions options, std::vector<ScanFile> files,
                 std::vector<std::string> hive_keys, std::vector<LogicalType> hive_types)
      : function_(std::move(function)),
        format_(format),
        options_(std::move(options)),
        files_(std::move(files)),
        hive_keys_(std::move(hive_keys)),
        hive_types_(std::move(hive_types)) {}

  // Reads the schema: of the first file, or the union of all with
  // union_by_name.
  Status BindSchema() {
    follow_csv_ = options_.csv;
    follow_json_ = options_.json;
    if (options_.union_by_name) {
      for (auto& f : files_) {
        ALOPEX_ASSIGN_OR_RETURN(f.open, OpenScanFile(f.path, format_, options_, options_.csv, options_.json));
        for (size_t c = 0; c < f.open->names.size(); c++) {
          const std::string& n = f.open->names[c];
          auto it = std::find(file_names_.begin(), file_names_.end(), n);
          if (it == file_names_.end()) {
            file_names_.push_back(n);
            file_types_.push_back(f.open->types[c]);
            continue;
          }
          LogicalType& t = file_types_[size_t(it - file_names_.begin())];
          if (t == f.open->types[c]) continue;
          auto common = CommonSuperType(t, f.open->types[c]);
          if (!common.ok())
            return Status::InvalidArgument(function_ + ": column \"" + n + "\" of " + f.path + " has type " +
                                           f.open->types[c].ToString() + ", which does not combine with " +
                                           t.ToString() + " from the files before it");
          t = *common;
        }
      }
    } else {
      ScanFile& first = files_[0];
      ALOPEX_ASSIGN_OR_RETURN(first.open, OpenScanFile(first.path, format_, options_, options_.csv, options_.json));
      file_names_ = first.open->names;
      file_types_ = first.open->types;
      // The other files are read with the first one's dialect and types, as
      // DuckDB does.
      if (format_ == FileFormat::kCsv) {
        const CsvDialect& d = first.open->csv->dialect();
        if (!follow_csv_.delimiter) follow_csv_.delimiter = d.delimiter;
        if (!follow_csv_.quote) follow_csv_.quote = d.quote;
        if (!follow_csv_.escape) follow_csv_.escape = d.escape;
        if (!follow_csv_.header) follow_csv_.header = d.header;
        follow_csv_.column_types = file_types_;
        follow_csv_.column_type_overrides.clear();
      }
      if (format_ == FileFormat::kJson && first.open->json->records_are_objects()) {
        follow_json_.columns.clear();
        for (size_t c = 0; c < file_names_.size(); c++)
          follow_json_.columns.emplace_back(file_names_[c], file_types_[c]);
      }
    }
    for (auto& f : files_)
      if (f.open) ALOPEX_RETURN_IF_ERROR(MapColumns(&f));

    names_ = file_names_;
    types_ = file_types_;
    for (size_t k = 0; k < hive_keys_.size(); k++) {
      if (std::find(names_.begin(), names_.end(), hive_keys_[k]) != names_.end()) {
        hive_output_.push_back(-1);  // the file's own column wins
        continue;
      }
      hive_output_.push_back(int(names_.size()));
      names_.push_back(hive_keys_[k]);
      types_.push_back(hive_types_[k]);
    }
    if (options_.filename) {
      if (std::find(names_.begin(), names_.end(), "filename") != names_.end())
        return Status::InvalidArgument(function_ +
                                       ": option filename adds a column \"filename\", but the "
                                       "files already have one");
      filename_output_ = int(names_.size());
      names_.push_back("filename");
      types_.push_back(TypeId::kVarchar);
    }
    return Status::OK();
  }

  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<LogicalType>& types() const override { return types_; }
  bool SupportsProjection() const override { return true; }

  void SetFilters(const std::vector<const BoundExpr*>& filters) override {
    filters_.clear();
    for (const BoundExpr* f : filters)
      if (f) filters_.push_back(f->Copy());
  }

  Status Prepare(const ExecContext& ctx) override {
    morsels_.clear();
    std::vector<int> out = OutputColumns();
    ALOPEX_RETURN_IF_ERROR(TranslateFilters(out));

    std::vector<size_t> live;
    for (size_t f = 0; f < files_.size(); f++) {
      ALOPEX_ASSIGN_OR_RETURN(bool keep, PartitionMayMatch(files_[f], out, ctx));
      if (keep) live.push_back(f);
    }
    ALOPEX_RETURN_IF_ERROR(OpenAll(live, ctx));

    uint64_t bytes_total = 0;
    for (size_t f : live) {
      ScanFile& file = files_[f];
      bytes_total += file.size;
      const OpenFile& of = *file.open;
      if (of.parquet) {
        ParquetReadOptions ro;
        ro.predicates = predicates_;
        for (int g : of.parquet->SelectRowGroups(ro)) morsels_.push_back({uint32_t(f), g});
      } else if (of.csv) {
        for (size_t s = 0; s < of.csv->num_splits(); s++) morsels_.push_back({uint32_t(f), int(s)});
      } else {
        for (size_t s = 0; s < of.json->num_splits(); s++) morsels_.push_back({uint32_t(f), int(s)});
      }
    }
    if (ctx.progress) ctx.progress->AddBytesTotal(bytes_total);
    return Status::OK();
  }

  size_t NumMorsels() const override { return morsels_.size(); }

  Status ReadMorsel(size_t i, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    const Morsel m = morsels_[i];
    ScanFile& file = files_[m.file];
    OpenFile& of = *file.open;
    std::vector<int> out = OutputColumns();

    // The file columns to read (indexes in the file) and where each output
    // column comes from.
    std::vector<int> read;
    std::vector<int> slot(out.size(), -1);
    std::vector<int> uses;
    for (size_t o = 0; o < out.size(); o++) {
      int c = out[size_t(o)];
      if (c >= int(file_names_.size())) continue;
      int local = file.column_map[size_t(c)];
      if (local < 0) continue;
      auto it = std::find(read.begin(), read.end(), local);
      if (it == read.end()) {
        slot[o] = int(read.size());
        read.push_back(local);
        uses.push_back(1);
      } else {
        slot[o] = int(it - read.begin());
        uses[size_t(slot[o])]++;
      }
    }
    bool count_only = read.empty();

    auto convert = [&](Batch&& in, size_t n) -> Status {
      ALOPEX_RETURN_IF_ERROR(ctx.CheckInterrupt());
      Batch b;
      b.num_rows = n;
      b.columns.reserve(out.size());
      for (size_t o = 0; o < out.size(); o++) {
        int c = out[o];
        const LogicalType& type = types_[size_t(c)];
        if (slot[o] >= 0) {
          size_t s = size_t(slot[o]);
          Column col = --uses[s] == 0 ? std::move(in.columns[s]) : in.columns[s].Clone();
          if (col.type() != type) {
            Column cast;
            size_t bad = 0;
            Status st = CastColumn(col, type, &cast, false, &bad);
            if (!st.ok())
              return InFile(st, file.path).WithContext(function_ + ": column \"" + names_[size_t(c)] + "\": ");
            col = std::move(cast);
          }
          b.columns.push_back(std::move(col));
        } else if (c < int(file_names_.size())) {
          b.columns.push_back(Column::Constant(Value::Null(type), n));
        } else if (c == filename_output_) {
          b.columns.push_back(Column::Constant(Value::Varchar(file.path), n));
        } else {
          size_t k = size_t(std::find(hive_output_.begin(), hive_output_.end(), c) - hive_output_.begin());
          b.columns.push_back(Column::Constant(file.partition_values[k], n));
        }
      }
      // Reset the use counts for the next batch.
      for (size_t o = 0; o < out.size(); o++)
        if (slot[o] >= 0) uses[size_t(slot[o])]++;
      return emit(std::move(b));
    };
    auto sink = [&](Batch&& in) -> Status {
      size_t n = in.num_rows;
      return convert(std::move(in), n);
    };

    Status st;
    uint64_t bytes = 0;
    if (of.parquet) {
      int g = m.part;
      const auto& rg = of.parquet->metadata().row_groups[size_t(g)];
      bytes = uint64_t(rg.total_compressed_size.value_or(rg.total_byte_size));
      if (count_only) {
        int64_t rows = of.parquet->row_group_num_rows(g);
        for (int64_t r = 0; r < rows && st.ok(); r += int64_t(kBatchSize)) {
          size_t n = size_t(std::min<int64_t>(int64_t(kBatchSize), rows - r));
          st = convert(Batch(), n);
        }
      } else {
        ParquetReadOptions ro;
        for (int c : read) ro.columns.push_back(of.names[size_t(c)]);
        ro.predicates = predicates_;
        ro.vectors_from_lists = options_.vectors;
        st = of.parquet->ReadRowGroup(g, ro, sink);
      }
    } else {
      std::vector<int> projection = count_only ? std::vector<int>{0} : read;
      auto text_sink =
          count_only
              ? std::function<Status(Batch &&)>([&](Batch&& in) -> Status { return convert(Batch(), in.num_rows); })
              : std::function<Status(Batch &&)>(sink);
      if (of.csv) {
        st = of.csv->ReadSplit(size_t(m.part), projection, text_sink);
        bytes = file.size / std::max<size_t>(1, of.csv->num_splits());
      } else {
        st = of.json->ReadSplit(size_t(m.part), projection, text_sink);
        bytes = file.size / std::max<size_t>(1, of.json->num_splits());
      }
    }
    if (!st.ok()) return InFile(st, file.path);
    if (ctx.progress) ctx.progress->AddBytes(bytes);
    return Status::OK();
  }

  std::string ToString() const override {
    std::string s = function_ + "(";
    s += files_.size() == 1 ? files_[0].path : std::to_string(files_.size()) + " files";
    s += ")";
    if (!predicates_.empty()) s += " [" + std::to_string(predicates_.size()) + " pushed predicates]";
    return s;
  }

 private:
  struct Morsel {
    uint32_t file;
    int part;  // row group or split
  };

  std::vector<int> OutputColumns() const {
    if (!projection_.empty()) return projection_;
    std::vector<int> all(names_.size());
    for (size_t c = 0; c < all.size(); c++) all[c] = int(c);
    return all;
  }

  // Maps the scan's file columns to the columns of `f`, checking that the file
  // has the scan's schema (unless union_by_name).
  Status MapColumns(ScanFile* f) {
    const OpenFile& of = *f->open;
    f->column_map.assign(file_names_.size(), -1);
    for (size_t c = 0; c < file_names_.size(); c++) {
      auto it = std::find(of.names.begin(), of.names.end(), file_names_[c]);
      if (it != of.names.end()) f->column_map[c] = int(it - of.names.begin());
    }
    if (options_.union_by_name) return Status::OK();
    const std::string& first = files_[0].path;
    const std::string hint = "; use union_by_name = true to combine files with different columns";
    for (size_t c = 0; c < file_names_.size(); c++) {
      int local = f->column_map[c];
      if (local < 0)
        return Status::InvalidArgument(function_ + ": " + f->path + " has no column \"" + file_names_[c] +
                                       "\", which " + first + " has" + hint);
      if (of.types[size_t(local)] != file_types_[c])
        return Status::InvalidArgument(function_ + ": column \"" + file_names_[c] + "\" of " + f->path + " has type " +
                                       of.types[size_t(local)].ToString() + ", but " + first + " has " +
                                       file_types_[c].ToString() + hint);
    }
    for (const auto& n : of.names)
      if (std::find(file_names_.begin(), file_names_.end(), n) == file_names_.end())
        return Status::InvalidArgument(function_ + ": " + f->path + " has a column \"" + n + "\", which " + first +
                                       " does not have" + hint);
    return Status::OK();
  }

  Status OpenAll(const std::vector<size_t>& live, const ExecContext& ctx) {
    std::vector<size_t> todo;
    for (size_t f : live)
      if (!files_[f].open) todo.push_back(f);
    if (todo.empty()) return Status::OK();
    std::atomic<size_t> next{0};
    auto work = [&](int) -> Status {
      for (size_t k; (k = next.fetch_add(1)) < todo.size();) {
        ALOPEX_RETURN_IF_ERROR(ctx.CheckInterrupt());
        ScanFile& f = files_[todo[k]];
        ALOPEX_ASSIGN_OR_RETURN(auto open, OpenScanFile(f.path, format_, options_, follow_csv_, follow_json_));
        std::lock_guard<std::mutex> lock(mu_);
        f.open = std::move(open);
        Status st = MapColumns(&f);
        if (!st.ok()) {
          f.open.reset();
          return st;
        }
      }
      return Status::OK();
    };
    if (ctx.pool && ctx.threads > 1 && todo.size() > 1)
      return ctx.pool->Run(std::min<int>(ctx.threads, int(todo.size())), work);
    return work(0);
  }

  // Splits the filters into partition filters (only hive / filename columns,
  // evaluated per file) and Parquet column predicates.
  Status TranslateFilters(const std::vector<int>& out) {
    predicates_.clear();
    partition_filters_.clear();
    for (const auto& f : filters_) {
      std::vector<int> refs;
      bool unsafe = false;
      ReferencedColumns(*f, &refs, &unsafe);
      if (unsafe || refs.empty()) continue;
      bool partition_only = true;
      for (int r : refs)
        if (r < 0 || size_t(r) >= out.size() || out[size_t(r)] < int(file_names_.size())) partition_only = false;
      if (partition_only) {
        partition_filters_.push_back(f.get());
        continue;
      }
      if (format_ != FileFormat::kParquet) continue;
      auto p = ToColumnPredicate(*f, [&](int ref) -> std::string {
        if (size_t(ref) >= out.size()) return "";
        int c = out[size_t(ref)];
        return c < int(file_names_.size()) ? file_names_[size_t(c)] : "";
      });
      if (p) predicates_.push_back(std::move(*p));
    }
    return Status::OK();
  }

  // False when a partition filter rejects every row of `f` (its partition
  // values and file name are constants).
  Result<bool> PartitionMayMatch(const ScanFile& f, const std::vector<int>& out, const ExecContext& ctx) const {
    if (partition_filters_.empty()) return true;
    Batch row;
    row.num_rows = 1;
    for (int c : out) {
      Value v = Value::Null(types_[size_t(c)]);
      if (c == filename_output_) {
        v = Value::Varchar(f.path);
      } else if (c >= int(file_names_.size())) {
        size_t k = size_t(std::find(hive_output_.begin(), hive_output_.end(), c) - hive_output_.begin());
        v = f.partition_values[k];
      }
      row.columns.push_back(Column::Constant(v, 1));
    }
    for (const BoundExpr* e : partition_filters_) {
      Column result;
      Status st = EvaluateExpression(*e, row, &result, ctx);
      if (!st.ok()) return true;  // leave it to the executor's filter
      Value v = result.GetValue(0);
      if (v.is_null() || !v.GetBool()) return false;
    }
    return true;
  }

  std::string function_;
  FileFormat format_;
  FileScanOptions options_;
  std::vector<ScanFile> files_;
  std::vector<std::string> hive_keys_;
  std::vector<LogicalType> hive_types_;
  CsvReadOptions follow_csv_;
  JsonReadOptions follow_json_;

  std::vector<std::string> file_names_;
  std::vector<LogicalType> file_types_;
  std::vector<int> hive_output_;  // per hive key: its output column, -1 when a
                                  // file column shadows it
  int filename_output_ = -1;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;

  std::vector<BoundExprPtr> filters_;
  std::vector<ColumnPredicate> predicates_;
  std::vector<const BoundExpr*> partition_filters_;
  std::vector<Morsel> morsels_;
  std::mutex mu_;
};

// ----------------------------------------------------------------
// parquet_metadata / parquet_schema

class ParquetInfoSource : public TableFunctionSource {
 public:
  ParquetInfoSource(std::string function, std::vector<std::string> paths)
      : function_(std::move(function)), paths_(std::move(paths)) {
    for (auto& [n, t] : function_ == "parquet_schema" ? ParquetSchemaColumns() : ParquetMetadataColumns()) {
      names_.push_back(n);
      types_.push_back(t);
    }
  }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<LogicalType>& types() const override { return types_; }
  bool SupportsProjection() const override { return true; }
  Status Prepare(const ExecContext&) override { return Status::OK(); }
  size_t NumMorsels() const override { return paths_.size(); }
  Status ReadMorsel(size_t i, const ExecContext&, const std::function<Status(Batch&&)>& emit) override {
    auto rows = function_ == "parquet_schema" ? ParquetSchemaRows(paths_[i]) : ParquetMetadataRows(paths_[i]);
    if (!rows.ok()) return InFile(rows.status(), paths_[i]);
    for (Batch& b : *rows) {
      if (!projection_.empty()) {
        Batch p;
        p.num_rows = b.num_rows;
        for (int c : projection_) p.columns.push_back(b.columns[size_t(c)].Clone());
        b = std::move(p);
      }
      ALOPEX_RETURN_IF_ERROR(emit(std::move(b)));
    }
    return Status::OK();
  }
  std::string ToString() const override { return function_ + "(" + std::to_string(paths_.size()) + " files)"; }

 private:
  std::string function_;
  std::vector<std::string> paths_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
};

// ---------------------------------------------------------------- binding

Result<std::vector<FileInfo>> ExpandPaths(const TableFunctionInput& in) {
  if (in.args.size() != 1)
    return Status::InvalidArgument(in.name + " takes one path, glob or list of paths, and named options (" + in.name +
                                   "('data/*.parquet', union_by_name = true))");
  const Value& arg = in.args[0];
  std::vector<std::string> patterns;
  if (arg.is_null()) return Status::InvalidArgument(in.name + ": the path must not be NULL");
  if (arg.type().id() == TypeId::kList) {
    for (const Value& v : arg.children()) {
      if (v.is_null() || v.type().id() != TypeId::kVarchar)
        return Status::InvalidArgument(in.name + ": the list of paths must hold strings, got " + arg.ToSqlLiteral());
      patterns.push_back(v.GetString());
    }
    if (patterns.empty()) return Status::InvalidArgument(in.name + ": the list of paths is empty");
  } else if (arg.type().id() == TypeId::kVarchar) {
    patterns.push_back(arg.GetString());
  } else {
    return Status::InvalidArgument(in.name + ": the path must be a string or a list of strings, got " +
                                   arg.ToSqlLiteral());
  }
  std::vector<FileInfo> files;
  std::set<std::string> seen;
  for (const auto& p : patterns) {
    auto found = ExpandGlob(p);
    if (!found.ok()) {
      if (found.status().code() == StatusCode::kNotFound) {
        std::string what = IsGlob(p) ? "no files match \"" + p + "\"" : "file \"" + p + "\" does not exist";
        return Status::NotFound(in.name + ": " + what);
      }
      return found.status().WithContext(in.name + ": ");
    }
    for (auto& f : *found)
      if (seen.insert(f.path).second) files.push_back(std::move(f));
  }
  return files;
}

// Hive partition keys shared by every file (outermost first), or none.
Status DetectHive(const std::string& function, std::optional<bool> requested, std::vector<ScanFile>* files,
                  std::vector<std::string>* keys, std::vector<LogicalType>* types) {
  keys->clear();
  types->clear();
  if (requested && !*requested) return Status::OK();
  std::vector<std::vector<HivePartition>> parts;
  for (const auto& f : *files) parts.push_back(ParseHivePartitions(f.path));
  for (const auto& p : parts[0]) keys->push_back(p.key);
  bool consistent = !keys->empty();
  for (size_t i = 0; i < parts.size() && consistent; i++) {
    std::set<std::string> have;
    for (const auto& p : parts[i]) have.insert(p.key);
    for (const auto& k : *keys)
      if (!have.count(k)) {
        if (requested)
          return Status::InvalidArgument(function + ": hive_partitioning: " + (*files)[i].path +
                                         " has no partition folder \"" + k + "=...\" as " + (*files)[0].path + " has");
        consistent = false;
      }
  }
  if (!consistent) {
    if (requested && keys->empty())
      return Status::InvalidArgument(function + ": hive_partitioning: " + (*files)[0].path +
                                     " is not in a key=value folder");
    keys->clear();
    return Status::OK();
  }
  for (const auto& k : *keys) {
    std::vector<std::optional<std::string>> values;
    for (const auto& ps : parts)
      for (const auto& p : ps)
        if (p.key == k) values.push_back(p.value);
    types->push_back(InferHivePartitionType(values));
  }
  for (size_t i = 0; i < files->size(); i++) {
    for (size_t k = 0; k < keys->size(); k++) {
      for (const auto& p : parts[i]) {
        if (p.key != (*keys)[k]) continue;
        auto v = HivePartitionValue(p, (*types)[k]);
        if (!v.ok()) return InFile(v.status(), (*files)[i].path);
        (*files)[i].partition_values.push_back(*v);
        break;
      }
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<TableFunctionSource>> BindFileScan(const TableFunctionInput& in) {
  const std::string& fn = in.name;
  if (fn == "parquet_metadata" || fn == "parquet_schema") {
    if (!in.named_args.empty())
      return Status::InvalidArgument(fn + ": unknown option \"" + in.named_args[0].first + "\"");
    ALOPEX_ASSIGN_OR_RETURN(auto infos, ExpandPaths(in));
    std::vector<std::string> paths;
    for (auto& f : infos) paths.push_back(f.path);
    return std::shared_ptr<TableFunctionSource>(std::make_shared<ParquetInfoSource>(fn, std::move(paths)));
  }

  bool read_files = fn == "read_files";
  std::optional<FileFormat> format;
  if (fn == "read_parquet")
    format = FileFormat::kParquet;
  else if (fn == "read_csv" || fn == "read_csv_auto")
    format = FileFormat::kCsv;
  else if (fn == "read_json" || fn == "read_json_auto" || fn == "read_ndjson")
    format = FileFormat::kJson;
  else if (!read_files)
    return Status::Internal("not a file table function: " + fn);

  FileScanOptions options;
  if (fn == "read_ndjson") options.json.format = JsonFormat::kNewlineDelimited;
  for (const auto& [name, value] : in.named_args) {
    if (read_files && name == "format") {
      ALOPEX_ASSIGN_OR_RETURN(std::string f, OptionReader(fn).String(name, value));
      f = AsciiLower(f);
      if (f == "parquet")
        format = FileFormat::kParquet;
      else if (f == "csv" || f == "tsv" || f == "text")
        format = FileFormat::kCsv;
      else if (f == "json" || f == "ndjson" || f == "jsonl")
        format = FileFormat::kJson;
      else
        return OptionReader(fn).Error(name, "must be 'parquet', 'csv' or 'json', got '" + f + "'");
      if (f == "ndjson" || f == "jsonl") options.json.format = JsonFormat::kNewlineDelimited;
      continue;
    }
    ALOPEX_RETURN_IF_ERROR(ApplyOption(fn, name, value, read_files, &options));
  }

  ALOPEX_ASSIGN_OR_RETURN(auto infos, ExpandPaths(in));
  if (!format) {
    format = FormatFromExtension(infos[0].path);
    if (!format)
      return Status::InvalidArgument(fn + ": cannot tell the format of " + infos[0].path +
                                     " from its extension; give format => 'parquet', 'csv' or 'json'");
  }
  for (const auto& [name, formats] : options.format_specific)
    if (std::find(formats.begin(), formats.end(), *format) == formats.end())
      return Status::InvalidArgument(fn + ": option \"" + name + "\" does not apply to " + FormatName(*format) +
                                     " files");
  options.format = *format;

  std::vector<ScanFile> files;
  for (auto& info : infos) {
    ScanFile f;
    f.path = std::move(info.path);
    f.size = info.size;
    files.push_back(std::move(f));
  }
  std::vector<std::string> hive_keys;
  std::vector<LogicalType> hive_types;
  ALOPEX_RETURN_IF_ERROR(DetectHive(fn, options.hive_partitioning, &files, &hive_keys, &hive_types));

  auto source = std::make_shared<FileScanSource>(fn, *format, std::move(options), std::move(files),
                                                 std::move(hive_keys), std::move(hive_types));
  ALOPEX_RETURN_IF_ERROR(source->BindSchema());
  return std::shared_ptr<TableFunctionSource>(std::move(source));
}

void RegisterFileTableFunctions(std::map<std::string, TableFunctionBinder>* registry) {
  for (const char* name : {"read_parquet", "read_csv", "read_csv_auto", "read_json", "read_json_auto", "read_ndjson",
                           "read_files", "parquet_metadata", "parquet_schema"}) {
    (*registry)[name] = [](const TableFunctionInput& in) { return BindFileScan(in); };
  }
  (*registry)["read_delta"] = [](const TableFunctionInput& in) { return BindReadDelta(in); };
  (*registry)["delta_scan"] = [](const TableFunctionInput& in) { return BindReadDelta(in); };  // DuckDB's name
}

}  // namespace alopex
