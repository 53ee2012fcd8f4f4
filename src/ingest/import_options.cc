#include "ingest/import_options.h"

#include <algorithm>
#include <cctype>

#include "common/cast.h"
#include "common/text.h"

namespace alopex {

namespace {

class OptionValues {
 public:
  OptionValues(const std::string& statement, const std::string& name, const Value& v)
      : statement_(statement), name_(name), v_(v) {}

  Status Error(const std::string& what) const {
    return Status::InvalidArgument(statement_ + ": option \"" + name_ + "\" " + what);
  }
  Result<bool> Bool() const {
    auto b = CastValue(v_, TypeId::kBoolean);
    if (v_.is_null() || v_.type().IsNested() || !b.ok())
      return Error("must be true or false, got " + v_.ToSqlLiteral());
    return b->GetBool();
  }
  Result<int64_t> Int(int64_t min, int64_t max, const std::string& what) const {
    auto i = CastValue(v_, TypeId::kBigInt);
    bool integral = !v_.is_null() && !v_.type().IsNested() && i.ok();
    if (integral && v_.type().IsFloating()) integral = v_.GetDouble() == double(i->GetInt64());
    if (!integral || i->GetInt64() < min || i->GetInt64() > max)
      return Error("must be " + what + ", got " + v_.ToSqlLiteral());
    return i->GetInt64();
  }
  Result<std::string> String() const {
    if (v_.is_null() || v_.type().IsNested()) return Error("must be a string, got " + v_.ToSqlLiteral());
    return v_.type().id() == TypeId::kVarchar ? v_.GetString() : v_.ToString();
  }
  Result<std::string> OneOf(const std::vector<std::string>& allowed) const {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, String());
    std::string l = AsciiLower(s);
    if (std::find(allowed.begin(), allowed.end(), l) != allowed.end()) return l;
    std::string list;
    for (size_t i = 0; i < allowed.size(); i++)
      list += (i ? (i + 1 == allowed.size() ? " or '" : ", '") : "'") + allowed[i] + "'";
    return Error("must be " + list + ", got '" + s + "'");
  }
  // ['a', 'b'], ('a', 'b') or 'a' (also 'a, b').
  Result<std::vector<std::string>> Names() const {
    std::vector<std::string> out;
    auto add = [&](const Value& item) -> Status {
      if (item.is_null() || item.type().IsNested())
        return Error("must be a list of column names, as ['id'], got " + v_.ToSqlLiteral());
      std::string s = item.type().id() == TypeId::kVarchar ? item.GetString() : item.ToString();
      size_t start = 0;
      while (start <= s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        std::string part = s.substr(start, comma - start);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
        size_t b = 0;
        while (b < part.size() && std::isspace(static_cast<unsigned char>(part[b]))) b++;
        part = part.substr(b);
        if (part.empty()) return Error("has an empty column name in " + v_.ToSqlLiteral());
        out.push_back(part);
        start = comma + 1;
      }
      return Status::OK();
    };
    if (!v_.is_null() && v_.type().id() == TypeId::kList) {
      for (const Value& item : v_.children()) ALOPEX_RETURN_IF_ERROR(add(item));
    } else {
      ALOPEX_RETURN_IF_ERROR(add(v_));
    }
    if (out.empty()) return Error("must name at least one column");
    return out;
  }
  // One character; '\t' spelled with a backslash is a tab.
  Result<char> Char() const {
    ALOPEX_ASSIGN_OR_RETURN(std::string s, String());
    if (s == "\\t") return '\t';
    if (s.empty()) return '\0';
    if (s.size() != 1) return Error("must be a single character, got '" + s + "'");
    return s[0];
  }

 private:
  const std::string& statement_;
  const std::string& name_;
  const Value& v_;
};

const std::vector<std::string>& KnownOptions(OptionSet set) {
  static const std::vector<std::string> kCopyFrom = {"format",
                                                     "mode",
                                                     "key_columns",
                                                     "partition_columns",
                                                     "partition_filter",
                                                     "parallel_workers",
                                                     "batch_size",
                                                     "build_indexes",
                                                     "index_type",
                                                     "hnsw_m",
                                                     "hnsw_ef_construction",
                                                     "on_error",
                                                     "error_table",
                                                     "max_errors",
                                                     "preserve_sort",
                                                     "region",
                                                     "credentials",
                                                     "endpoint",
                                                     "header",
                                                     "delimiter",
                                                     "delim",
                                                     "sep",
                                                     "quote",
                                                     "escape",
                                                     "nullstr",
                                                     "null",
                                                     "skip",
                                                     "dateformat",
                                                     "date_format",
                                                     "timestampformat",
                                                     "timestamp_format",
                                                     "all_varchar",
                                                     "sample_size",
                                                     "json_format",
                                                     "compression"};
  static const std::vector<std::string> kFormat = {
      "header",      "delimiter",   "delim",     "sep",         "quote",       "escape",          "nullvalue",
      "nullstr",     "null",        "skip",      "dateformat",  "date_format", "timestampformat", "timestamp_format",
      "inferschema", "mergeschema", "multiline", "compression", "sample_size", "all_varchar"};
  static const std::vector<std::string> kCopy = {"force", "mergeschema"};
  switch (set) {
    case OptionSet::kCopyFrom:
      return kCopyFrom;
    case OptionSet::kCopyIntoFormat:
      return kFormat;
    case OptionSet::kCopyIntoCopy:
      return kCopy;
  }
  return kCopyFrom;
}

Status UnknownOption(const std::string& statement, const std::string& name, OptionSet set) {
  std::string msg = statement + ": unknown option \"" + name + "\"";
  std::string best = ClosestName(name, KnownOptions(set), 2);
  if (!best.empty()) msg += "\nDid you mean \"" + best + "\"?";
  return Status::InvalidArgument(msg);
}

}  // namespace

const char* ImportFormatName(ImportFormat f) {
  switch (f) {
    case ImportFormat::kParquet:
      return "parquet";
    case ImportFormat::kCsv:
      return "csv";
    case ImportFormat::kJson:
      return "json";
  }
  return "?";
}

std::optional<ImportFormat> ImportFormatFromPath(const std::string& path) {
  std::string p = AsciiLower(path);
  for (const char* z : {".gz", ".gzip", ".zst"})
    if (p.ends_with(z)) p.resize(p.size() - std::string(z).size());
  if (p.ends_with(".parquet") || p.ends_with(".parq")) return ImportFormat::kParquet;
  if (p.ends_with(".csv") || p.ends_with(".tsv") || p.ends_with(".txt")) return ImportFormat::kCsv;
  if (p.ends_with(".json") || p.ends_with(".jsonl") || p.ends_with(".ndjson")) return ImportFormat::kJson;
  return std::nullopt;
}

Status ParseImportOptions(const std::vector<std::pair<std::string, Value>>& options, OptionSet set,
                          const std::string& statement, ImportOptions* o) {
  const auto& known = KnownOptions(set);
  for (const auto& [raw, v] : options) {
    std::string name = AsciiLower(raw);
    if (std::find(known.begin(), known.end(), name) == known.end()) return UnknownOption(statement, raw, set);
    OptionValues r(statement, raw, v);
    auto csv_only = [&] { o->format_specific.emplace_back(raw, ImportFormat::kCsv); };
    if (name == "format") {
      ALOPEX_ASSIGN_OR_RETURN(std::string f, r.OneOf({"parquet", "csv", "tsv", "json", "ndjson", "jsonl"}));
      if (f == "parquet")
        o->format = ImportFormat::kParquet;
      else if (f == "csv" || f == "tsv")
        o->format = ImportFormat::kCsv;
      else
        o->format = ImportFormat::kJson;
      if (f == "ndjson" || f == "jsonl") o->json.format = JsonFormat::kNewlineDelimited;
      if (f == "tsv" && !o->csv.delimiter) o->csv.delimiter = '\t';
    } else if (name == "mode") {
      ALOPEX_ASSIGN_OR_RETURN(std::string m, r.OneOf({"append", "upsert", "update"}));
      o->mode = m == "append" ? ImportMode::kAppend : m == "upsert" ? ImportMode::kUpsert : ImportMode::kUpdate;
    } else if (name == "key_columns") {
      ALOPEX_ASSIGN_OR_RETURN(o->key_columns, r.Names());
    } else if (name == "partition_columns") {
      ALOPEX_ASSIGN_OR_RETURN(o->partition_columns, r.Names());
    } else if (name == "partition_filter") {
      ALOPEX_ASSIGN_OR_RETURN(o->partition_filter, r.String());
      if (o->partition_filter.find_first_not_of(" \t\n") == std::string::npos)
        return r.Error("must be a condition on the partition columns, as 'year = 2024'");
    } else if (name == "parallel_workers") {
      ALOPEX_ASSIGN_OR_RETURN(int64_t n, r.Int(1, 1024, "a positive integer (at most 1024)"));
      o->parallel_workers = int(n);
    } else if (name == "batch_size") {
      ALOPEX_ASSIGN_OR_RETURN(o->batch_size, r.Int(1, 100'000'000, "a positive number of rows"));
    } else if (name == "preserve_sort") {
      ALOPEX_ASSIGN_OR_RETURN(o->preserve_sort, r.Bool());
    } else if (name == "build_indexes") {
      ALOPEX_ASSIGN_OR_RETURN(o->build_indexes, r.Bool());
    } else if (name == "index_type") {
      ALOPEX_ASSIGN_OR_RETURN(o->index_type, r.OneOf({"hnsw", "flat"}));
    } else if (name == "hnsw_m") {
      ALOPEX_ASSIGN_OR_RETURN(o->hnsw_m, r.Int(2, 256, "an integer between 2 and 256"));
    } else if (name == "hnsw_ef_construction") {
      ALOPEX_ASSIGN_OR_RETURN(o->hnsw_ef_construction, r.Int(1, 100000, "a positive integer"));
    } else if (name == "on_error") {
      ALOPEX_ASSIGN_OR_RETURN(std::string m, r.OneOf({"abort", "continue"}));
      o->on_error = m == "abort" ? OnError::kAbort : OnError::kContinue;
    } else if (name == "error_table") {
      ALOPEX_ASSIGN_OR_RETURN(o->error_table, r.String());
      if (o->error_table.empty()) return r.Error("must name a table");
    } else if (name == "max_errors") {
      ALOPEX_ASSIGN_OR_RETURN(o->max_errors, r.Int(0, INT64_MAX, "a non-negative integer"));
    } else if (name == "region") {
      ALOPEX_ASSIGN_OR_RETURN(o->region, r.String());
    } else if (name == "credentials") {
      ALOPEX_ASSIGN_OR_RETURN(o->credentials, r.String());
    } else if (name == "endpoint") {
      ALOPEX_ASSIGN_OR_RETURN(o->endpoint, r.String());
    } else if (name == "header") {
      ALOPEX_ASSIGN_OR_RETURN(bool b, r.Bool());
      o->csv.header = b;
      csv_only();
    } else if (name == "delimiter" || name == "delim" || name == "sep") {
      ALOPEX_ASSIGN_OR_RETURN(char c, r.Char());
      if (c == '\0') return r.Error("must not be empty");
      o->csv.delimiter = c;
      csv_only();
    } else if (name == "quote") {
      ALOPEX_ASSIGN_OR_RETURN(o->csv.quote, r.Char());
      csv_only();
    } else if (name == "escape") {
      ALOPEX_ASSIGN_OR_RETURN(o->csv.escape, r.Char());
      csv_only();
    } else if (name == "nullstr" || name == "null" || name == "nullvalue") {
      o->csv.null_strings.clear();
      if (!v.is_null() && v.type().id() == TypeId::kList) {
        for (const Value& item : v.children()) {
          ALOPEX_ASSIGN_OR_RETURN(std::string s, OptionValues(statement, raw, item).String());
          o->csv.null_strings.push_back(std::move(s));
        }
      } else {
        ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String());
        o->csv.null_strings.push_back(std::move(s));
      }
      csv_only();
    } else if (name == "skip") {
      ALOPEX_ASSIGN_OR_RETURN(int64_t n, r.Int(0, INT64_MAX, "a non-negative number of lines"));
      o->csv.skip_rows = size_t(n);
      csv_only();
    } else if (name == "dateformat" || name == "date_format") {
      ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String());
      o->csv.dateformat = s;
      csv_only();
    } else if (name == "timestampformat" || name == "timestamp_format") {
      ALOPEX_ASSIGN_OR_RETURN(std::string s, r.String());
      o->csv.timestampformat = s;
      csv_only();
    } else if (name == "all_varchar") {
      ALOPEX_ASSIGN_OR_RETURN(o->csv.all_varchar, r.Bool());
      csv_only();
    } else if (name == "sample_size") {
      ALOPEX_ASSIGN_OR_RETURN(int64_t n, r.Int(-1, INT64_MAX, "a positive number of rows, or -1 for the whole file"));
      if (n == 0) return r.Error("must be a positive number of rows, or -1 for the whole file");
      size_t rows = n == -1 ? SIZE_MAX / 2 : size_t(n);
      o->csv.sample_size = rows;
      o->json.sample_size = rows;
    } else if (name == "json_format") {
      ALOPEX_ASSIGN_OR_RETURN(std::string f, r.OneOf({"auto", "newline_delimited", "array", "unstructured"}));
      o->json.format = f == "auto"           ? JsonFormat::kAuto
                       : f == "array"        ? JsonFormat::kArray
                       : f == "unstructured" ? JsonFormat::kUnstructured
                                             : JsonFormat::kNewlineDelimited;
      o->format_specific.emplace_back(raw, ImportFormat::kJson);
    } else if (name == "multiline") {
      // Databricks: JSON records spanning lines; the reader detects them anyway.
      ALOPEX_RETURN_IF_ERROR(r.Bool().status());
    } else if (name == "compression") {
      // The readers recognise gzip by its magic bytes; Parquet names its codecs inside.
      ALOPEX_RETURN_IF_ERROR(r.OneOf({"auto", "gzip", "none", "uncompressed", "snappy", "zstd"}).status());
    } else if (name == "inferschema") {
      ALOPEX_RETURN_IF_ERROR(r.Bool().status());  // types are always inferred
    } else if (name == "force") {
      ALOPEX_ASSIGN_OR_RETURN(o->force, r.Bool());
    } else if (name == "mergeschema") {
      ALOPEX_ASSIGN_OR_RETURN(bool b, r.Bool());
      o->merge_schema = o->merge_schema || b;
    }
  }
  return Status::OK();
}

Status ValidateImportOptions(const ImportOptions& o, ImportFormat format, const std::string& statement) {
  for (const auto& [name, f] : o.format_specific)
    if (f != format)
      return Status::InvalidArgument(statement + ": option \"" + name + "\" applies to " + ImportFormatName(f) +
                                     " files, not " + ImportFormatName(format));
  if (o.mode != ImportMode::kAppend && o.key_columns.empty())
    return Status::InvalidArgument(statement + ": mode '" + (o.mode == ImportMode::kUpsert ? "upsert" : "update") +
                                   "' needs key_columns, as key_columns = ['id']");
  if (o.mode == ImportMode::kAppend && !o.key_columns.empty())
    return Status::InvalidArgument(statement +
                                   ": option \"key_columns\" applies to mode 'upsert' or 'update', not 'append'");
  if (o.on_error == OnError::kAbort && (!o.error_table.empty() || o.max_errors >= 0))
    return Status::InvalidArgument(statement + ": option \"" + (o.error_table.empty() ? "max_errors" : "error_table") +
                                   "\" needs on_error = 'continue'");
  return Status::OK();
}

}  // namespace alopex
