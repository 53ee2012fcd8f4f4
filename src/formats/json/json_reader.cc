#include "formats/json/json_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "common/cast.h"
#include "formats/json/json_schema_inference.h"
#include "formats/text_value_parsers.h"
#include "io/gzip_file.h"
#include "io/memory_file_system.h"

namespace alopex {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t kHeadBytes = 1024 * 1024;
constexpr size_t kSampleBytes = 8 * 1024 * 1024;
constexpr size_t kBoundaryWindow = 64 * 1024;
// Bytes of a rejected record's text passed to on_rejected_record.
constexpr size_t kRawTextBytes = 200;
// Lines after an unparsable first line that decide, when bad lines are
// skipped, whether the file is still newline-delimited.
constexpr int kDetectLines = 8;

// A buffer with the zeroed padding simdjson reads past the end of its input.
struct PaddedBuffer {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  explicit PaddedBuffer(size_t n) : data(new char[n + simdjson::SIMDJSON_PADDING]), size(n) {
    std::memset(data.get() + n, 0, simdjson::SIMDJSON_PADDING);
  }
};

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The line [b, e) without surrounding whitespace.
void TrimLine(const char*& b, const char*& e) {
  while (b < e && IsJsonSpace(*b)) b++;
  while (e > b && IsJsonSpace(e[-1])) e--;
}

// Length of the valid UTF-8 sequence at s[0, n), 0 when it is not one.
size_t Utf8SequenceLength(const unsigned char* s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++)
    if ((s[k] & 0xC0) != 0x80) return 0;
  return len;
}

// `text` cut to at most kRawTextBytes at a character boundary ("..." marks a
// cut) with bytes that are not UTF-8 replaced by '?': a bad line may hold
// anything, and it ends up in a VARCHAR column.
std::string RawExcerpt(std::string_view text) {
  std::string out;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    size_t len = Utf8SequenceLength(s + i, text.size() - i);
    if (out.size() + std::max<size_t>(len, 1) > kRawTextBytes) {
      out += "...";
      break;
    }
    if (len == 0) {
      out += '?';
      i++;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
  return out;
}

std::string Excerpt(const element& v) {
  std::string s = simdjson::minify(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

const char* KindName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// Appended to a syntax error that on_rejected_record asked to skip but that
// cannot be: past it, the reader cannot tell where the next record begins.
std::string CannotSkipNote(JsonFormat format) {
  return format == JsonFormat::kArray
             ? " (a syntax error inside a JSON array cannot be skipped; only bad lines of newline-delimited JSON "
               "can)"
             : " (a syntax error in JSON values spanning lines cannot be skipped; only bad lines of "
               "newline-delimited JSON can)";
}

// Writes `v` into row `row` of `col`; false (with `*why`) when it does not convert.
bool WriteJsonValue(const element& v, Column* col, size_t row, std::string* why) {
  element_type t = v.type();
  if (t == element_type::NULL_VALUE) {
    col->SetNull(row);
    return true;
  }
  if (col->MayHaveNulls()) col->SetNull(row, false);
  const LogicalType& type = col->type();
  auto fail = [&]() {
    *why = "could not convert " + Excerpt(v) + " to " + type.ToString();
    return false;
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      if (t != element_type::BOOL) break;
      col->data<uint8_t>()[row] = JsonGet(v.get_bool());
      return true;
    case TypeId::kBigInt:
      if (t == element_type::INT64) {
        col->data<int64_t>()[row] = JsonGet(v.get_int64());
        return true;
      }
      if (t == element_type::UINT64) return fail();
      break;
    case TypeId::kDouble:
    case TypeId::kFloat: {
      double d;
      if (t == element_type::INT64)
        d = double(JsonGet(v.get_int64()));
      else if (t == element_type::UINT64)
        d = double(JsonGet(v.get_uint64()));
      else if (t == element_type::DOUBLE)
        d = JsonGet(v.get_double());
      else
        break;
      if (type.id() == TypeId::kFloat)
        col->data<float>()[row] = float(d);
      else
        col->data<double>()[row] = d;
      return true;
    }
    case TypeId::kVarchar: {
      if (t == element_type::STRING) {
        col->SetString(row, JsonGet(v.get_string()));
      } else {
        col->SetString(row, simdjson::minify(v));
      }
      return true;
    }
    case TypeId::kJson:
      col->SetString(row, simdjson::minify(v));
      return true;
    case TypeId::kDate:
      if (t == element_type::STRING) {
        std::string_view s = JsonGet(v.get_string());
        if (text_parse::ParseDate(s.data(), s.size(), col->data<int32_t>() + row)) return true;
        return fail();
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      if (t == element_type::STRING) {
        std::string_view s = JsonGet(v.get_string());
        if (text_parse::ParseTimestamp(s.data(), s.size(), col->data<int64_t>() + row)) return true;
        return fail();
      }
      break;
    case TypeId::kStruct: {
      if (t != element_type::OBJECT) return fail();
      auto obj = JsonGet(v.get_object());
      const auto& fields = type.fields();
      for (size_t f = 0; f < fields.size(); f++) {
        element child;
        if (obj.at_key(fields[f].name).get(child) == simdjson::SUCCESS) {
          if (!WriteJsonValue(child, &col->child(f), row, why)) {
            *why = "field \"" + fields[f].name + "\": " + *why;
            return false;
          }
        } else {
          col->child(f).SetNull(row);
        }
      }
      return true;
    }
    case TypeId::kList: {
      if (t != element_type::ARRAY) return fail();
      auto arr = JsonGet(v.get_array());
      Column& child = col->child();
      size_t offset = child.size();
      size_t n = arr.size();
      child.Resize(offset + n);
      size_t k = offset;
      for (element e : arr) {
        if (!WriteJsonValue(e, &child, k++, why)) return false;
      }
      col->list_entries()[row] = {offset, n};
      return true;
    }
    case TypeId::kVector: {
      if (t != element_type::ARRAY) return fail();
      auto arr = JsonGet(v.get_array());
      size_t dim = size_t(type.dimension());
      if (arr.size() != dim) {
        *why = "expected " + std::to_string(dim) + " values for " + type.ToString() + ", found " +
               std::to_string(arr.size());
        return false;
      }
      float* out = col->vector_row(row);
      for (element e : arr) {
        double d;
        if (e.get_double().get(d) != simdjson::SUCCESS) return fail();
        *out++ = float(d);
      }
      return true;
    }
    default:
      break;
  }
  // Everything else goes through the text cast (INTEGER, DECIMAL, UUID, strings of numbers...).
  std::string text = t == element_type::STRING ? std::string(JsonGet(v.get_string())) : simdjson::minify(v);
  auto cast = CastValue(Value::Varchar(text), type);
  if (!cast.ok()) return fail();
  col->SetValue(row, *cast);
  return true;
}

}  // namespace

JsonReader::JsonReader() = default;
JsonReader::~JsonReader() = default;

Result<std::unique_ptr<JsonReader>> JsonReader::Open(const std::string& path, const JsonReadOptions& options,
                                                     FileSystem* fs) {
  std::unique_ptr<JsonReader> r(new JsonReader());
  r->path_ = path;
  r->options_ = options;
  r->display_name_ = options.filename.empty() ? path : options.filename;
  if (r->options_.split_bytes == 0) r->options_.split_bytes = 8 * 1024 * 1024;
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  // Compressed files are read whole and parsed from memory.
  ALOPEX_ASSIGN_OR_RETURN(r->file_, OpenMaybeGzip(fs, path, r->display_name_));
  r->file_size_ = r->file_->size();
  ALOPEX_RETURN_IF_ERROR(r->DetectAndInfer());
  ALOPEX_RETURN_IF_ERROR(r->PlanSplits());
  return r;
}

Result<uint64_t> JsonReader::LineAt(uint64_t offset) {
  uint64_t line = 1;
  std::string buf;
  for (uint64_t pos = 0; pos < offset;) {
    size_t len = size_t(std::min<uint64_t>(16 << 20, offset - pos));
    buf.resize(len);
    ALOPEX_RETURN_IF_ERROR(file_->ReadAt(pos, len, reinterpret_cast<uint8_t*>(buf.data())));
    line += size_t(std::count(buf.begin(), buf.end(), '\n'));
    pos += len;
  }
  return line;
}

Status JsonReader::DetectAndInfer() {
  // The head of the file decides the format.
  size_t head_len = size_t(std::min<uint64_t>(file_size_, kSampleBytes));
  PaddedBuffer head(head_len);
  if (head_len) ALOPEX_RETURN_IF_ERROR(file_->ReadAt(0, head_len, reinterpret_cast<uint8_t*>(head.data.get())));
  const char* begin = head.data.get();
  const char* end = begin + head_len;
  if (head_len >= 3 && uint8_t(begin[0]) == 0xEF && uint8_t(begin[1]) == 0xBB && uint8_t(begin[2]) == 0xBF) {
    data_begin_ = 3;
    begin += 3;
  }
  const char* first = begin;
  while (first < end && IsJsonSpace(*first)) first++;
  bool whole = head_len == file_size_;
  if (first == end && whole) {
    format_ = options_.format == JsonFormat::kAuto ? JsonFormat::kNewlineDelimited : options_.format;
    if (options_.columns.empty()) return Status::InvalidArgument(display_name_ + ": the file is empty; give the columns explicitly");
  }

  simdjson::dom::parser parser;
  auto line_parses = [&](const char* b, const char** next) {
    const char* e = static_cast<const char*>(std::memchr(b, '\n', size_t(end - b)));
    if (!e) e = end;
    *next = e < end ? e + 1 : end;
    const char* lb = b;
    const char* le = e;
    TrimLine(lb, le);
    if (lb == le) return false;
    element doc;
    return parser.parse(lb, size_t(le - lb), false).get(doc) == simdjson::SUCCESS;
  };
  format_ = options_.format;
  if (format_ == JsonFormat::kAuto && first < end) {
    const char* next;
    bool first_line_ok = line_parses(first, &next);
    if (*first == '[') {
      // An array of records, unless each line is an array of its own.
      const char* second = next;
      while (second < end && IsJsonSpace(*second)) second++;
      const char* after;
      format_ = first_line_ok && second < end && line_parses(second, &after) ? JsonFormat::kNewlineDelimited
                                                                             : JsonFormat::kArray;
    } else {
      format_ = first_line_ok ? JsonFormat::kNewlineDelimited : JsonFormat::kUnstructured;
      if (!first_line_ok && options_.on_rejected_record) {
        // A bad first line of a newline-delimited file is one more line to
        // skip: the file is newline-delimited when the lines after it parse on
        // their own (no line of pretty-printed objects does).
        int parsed = 0;
        bool all = true;
        for (const char* p = next; p < end && all && parsed < kDetectLines;) {
          while (p < end && IsJsonSpace(*p)) p++;
          if (p == end) break;
          if (!whole && !std::memchr(p, '\n', size_t(end - p))) break;  // a cut line
          all = line_parses(p, &p);
          parsed += all;
        }
        if (all && parsed > 0) format_ = JsonFormat::kNewlineDelimited;
      }
    }
  }
  if (format_ == JsonFormat::kAuto) format_ = JsonFormat::kNewlineDelimited;

  if (!options_.columns.empty()) {
    for (const auto& [n, t] : options_.columns) {
      names_.push_back(n);
      types_.push_back(t);
    }
    objects_ = true;
    return Status::OK();
  }

  // Infer over a sample of records.
  JsonShape shape;
  size_t records = 0;
  // Lines that on_rejected_record skips are left out: bad ones, and values
  // that are not objects among objects (kept apart in case there is no object).
  bool skipping = bool(options_.on_rejected_record);
  JsonShape not_objects;
  size_t objects = 0;
  if (format_ == JsonFormat::kNewlineDelimited) {
    const char* p = begin;
    uint64_t line = 1;
    while (p < end && records < options_.sample_size) {
      const char* e = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
      if (!e && !whole) break;  // a cut line
      if (!e) e = end;
      const char* lb = p;
      const char* le = e;
      TrimLine(lb, le);
      if (lb < le) {
        element doc;
        auto err = parser.parse(lb, size_t(le - lb), false).get(doc);
        if (err) {
          if (!options_.ignore_errors && !skipping) {
            return Status::InvalidArgument(display_name_ + ": line " + std::to_string(line) + " (byte offset " +
                                           std::to_string(uint64_t(p - head.data.get())) +
                                           "): malformed JSON: " + simdjson::error_message(err));
          }
        } else if (skipping && doc.type() != element_type::OBJECT) {
          not_objects.Add(doc, options_.infer_dates);
          records++;
        } else {
          shape.Add(doc, options_.infer_dates);
          objects += doc.type() == element_type::OBJECT;
          records++;
        }
      }
      p = e + 1;
      line++;
    }
  } else {
    // Arrays and unstructured files are parsed whole.
    PaddedBuffer all(file_size_ - data_begin_);
    if (all.size) ALOPEX_RETURN_IF_ERROR(file_->ReadAt(data_begin_, all.size, reinterpret_cast<uint8_t*>(all.data.get())));
    if (format_ == JsonFormat::kArray) {
      element doc;
      auto err = parser.parse(all.data.get(), all.size, false).get(doc);
      if (err)
        return Status::InvalidArgument(display_name_ + ": malformed JSON: " + simdjson::error_message(err) +
                                       (skipping ? CannotSkipNote(format_) : ""));
      if (doc.type() != element_type::ARRAY)
        return Status::InvalidArgument(display_name_ + ": expected a top-level JSON array");
      for (element rec : JsonGet(doc.get_array())) {
        if (records++ >= options_.sample_size) break;
        if (skipping && rec.type() != element_type::OBJECT) {
          not_objects.Add(rec, options_.infer_dates);
        } else {
          shape.Add(rec, options_.infer_dates);
          objects++;
        }
      }
    } else {
      simdjson::dom::document_stream stream;
      auto err = parser.parse_many(all.data.get(), all.size, std::max<size_t>(all.size, 1 << 20)).get(stream);
      if (err)
        return Status::InvalidArgument(display_name_ + ": malformed JSON: " + simdjson::error_message(err) +
                                       (skipping ? CannotSkipNote(format_) : ""));
      for (auto it = stream.begin(); it != stream.end() && records < options_.sample_size; ++it) {
        element rec;
        auto e2 = (*it).get(rec);
        if (e2) {
          uint64_t off = data_begin_ + it.current_index();
          auto line = LineAt(off);
          return Status::InvalidArgument(display_name_ + ": line " + std::to_string(line.ok() ? *line : 0) +
                                         " (byte offset " + std::to_string(off) + "): malformed JSON: " +
                                         simdjson::error_message(e2) + (skipping ? CannotSkipNote(format_) : ""));
        }
        if (skipping && rec.type() != element_type::OBJECT) {
          not_objects.Add(rec, options_.infer_dates);
        } else {
          shape.Add(rec, options_.infer_dates);
          objects++;
        }
        records++;
      }
    }
  }
  if (records == 0) return Status::InvalidArgument(display_name_ + ": no JSON records to infer the columns from");
  if (skipping && objects == 0) shape = std::move(not_objects);
  if (shape.is_object() && !shape.fields().empty()) {
    objects_ = true;
    for (const auto& [name, s] : shape.fields()) {
      names_.push_back(name);
      types_.push_back(s->Type());
    }
  } else {
    objects_ = false;
    names_ = {"json"};
    types_ = {shape.Type()};
  }
  return Status::OK();
}

Status JsonReader::PlanSplits() {
  splits_.clear();
  uint64_t step = options_.split_bytes;
  if (format_ != JsonFormat::kNewlineDelimited || file_size_ - data_begin_ <= step + step / 2) {
    splits_.push_back({data_begin_, file_size_});
  } else {
    ALOPEX_RETURN_IF_ERROR(PlanLineSplits());
  }
  split_lines_.reset(new std::atomic<int64_t>[splits_.size()]);
  for (size_t i = 0; i < splits_.size(); i++) split_lines_[i].store(-1);
  return Status::OK();
}

Status JsonReader::PlanLineSplits() {
  uint64_t step = options_.split_bytes;
  // A newline always ends a record: JSON strings cannot hold raw newlines.
  std::vector<uint64_t> starts = {data_begin_};
  std::string buf;
  for (uint64_t nominal = data_begin_ + step; nominal + step / 2 < file_size_;) {
    uint64_t pos = nominal;
    bool found = false;
    while (pos < file_size_ && !found) {
      size_t len = size_t(std::min<uint64_t>(kBoundaryWindow, file_size_ - pos));
      buf.resize(len);
      ALOPEX_RETURN_IF_ERROR(file_->ReadAt(pos, len, reinterpret_cast<uint8_t*>(buf.data())));
      const char* nl = static_cast<const char*>(std::memchr(buf.data(), '\n', len));
      if (nl) {
        uint64_t start = pos + uint64_t(nl - buf.data()) + 1;
        if (start < file_size_) starts.push_back(start);
        found = true;
        nominal = start + step;
      } else {
        pos += len;
      }
    }
    if (!found) break;
  }
  for (size_t i = 0; i < starts.size(); i++)
    splits_.push_back({starts[i], i + 1 < starts.size() ? starts[i + 1] : file_size_});
  return Status::OK();
}

Result<uint64_t> JsonReader::SplitFirstLine(size_t i) {
  uint64_t line = 1;
  for (size_t k = 0; k < i; k++) {
    int64_t n = split_lines_[k].load();
    if (n < 0) return LineAt(splits_[i].begin);
    line += uint64_t(n);
  }
  return line;
}

Status JsonReader::ReadAll(const std::vector<int>& projection, const BatchSink& sink) {
  for (size_t i = 0; i < splits_.size(); i++) ALOPEX_RETURN_IF_ERROR(ReadSplit(i, projection, sink));
  return Status::OK();
}

Status JsonReader::ReadSplit(size_t i, const std::vector<int>& projection, const BatchSink& sink) {
  if (i >= splits_.size())
    return Status::OutOfRange(display_name_ + ": split " + std::to_string(i) + " of " + std::to_string(splits_.size()));
  std::vector<int> proj = projection;
  if (proj.empty())
    for (size_t c = 0; c < names_.size(); c++) proj.push_back(int(c));
  for (int c : proj)
    if (c < 0 || size_t(c) >= names_.size())
      return Status::InvalidArgument(display_name_ + ": projected column " + std::to_string(c) + " out of range");
  std::vector<int> slot(names_.size(), -1);
  for (size_t k = 0; k < proj.size(); k++) slot[size_t(proj[k])] = int(k);
  std::unordered_map<std::string_view, size_t> column_of;
  for (size_t c = 0; c < names_.size(); c++) column_of.emplace(names_[c], c);

  std::vector<LogicalType> out_types;
  for (int c : proj) out_types.push_back(types_[size_t(c)]);
  Batch batch;
  auto new_batch = [&]() {
    batch = Batch(out_types, kBatchSize);
    batch.SetRows(kBatchSize);
  };
  new_batch();
  size_t row = 0;
  std::vector<uint8_t> touched(proj.size());
  auto flush = [&]() -> Status {
    if (row == 0) return Status::OK();
    batch.SetRows(row);
    ALOPEX_RETURN_IF_ERROR(sink(std::move(batch)));
    row = 0;
    new_batch();
    return Status::OK();
  };

  // Converts one record into row `row`; false with *why when it does not fit.
  std::string why;
  auto add_record = [&](const element& rec) -> bool {
    if (!objects_) {
      if (slot[0] < 0) return true;
      return WriteJsonValue(rec, &batch.columns[size_t(slot[0])], row, &why);
    }
    if (rec.type() != element_type::OBJECT) {
      why = "expected a JSON object, found " + std::string(KindName(rec.type()));
      return false;
    }
    std::fill(touched.begin(), touched.end(), 0);
    for (simdjson::dom::key_value_pair field : JsonGet(rec.get_object())) {
      auto it = column_of.find(field.key);
      if (it == column_of.end()) continue;
      int k = slot[it->second];
      if (k < 0) continue;
      if (!WriteJsonValue(field.value, &batch.columns[size_t(k)], row, &why)) {
        why = "column \"" + names_[it->second] + "\": " + why;
        return false;
      }
      touched[size_t(k)] = 1;
    }
    for (size_t k = 0; k < touched.size(); k++)
      if (!touched[k]) batch.columns[k].SetNull(row);
    return true;
  };

  simdjson::dom::parser parser;
  const Split& s = splits_[i];
  PaddedBuffer buf(size_t(s.end - s.begin));
  if (buf.size) ALOPEX_RETURN_IF_ERROR(file_->ReadAt(s.begin, buf.size, reinterpret_cast<uint8_t*>(buf.data.get())));
  const char* begin = buf.data.get();
  const char* end = begin + buf.size;

  auto line_error = [&](uint64_t line, uint64_t offset, const std::string& what) {
    return Status::InvalidArgument(display_name_ + ": line " + std::to_string(line) + " (byte offset " +
                                   std::to_string(offset) + "): " + what);
  };
  const auto& on_rejected = options_.on_rejected_record;

  if (format_ == JsonFormat::kNewlineDelimited) {
    // Lines are counted within the split; where the split starts in the file
    // is looked up only for a bad line.
    uint64_t line_in_split = 0;
    std::optional<uint64_t> first_line;
    const char* p = begin;
    while (p < end) {
      const char* e = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
      if (!e) e = end;
      line_in_split++;
      const char* lb = p;
      const char* le = e;
      TrimLine(lb, le);
      uint64_t offset = s.begin + uint64_t(p - begin);
      p = e + 1;
      if (lb == le) continue;
      element rec;
      auto err = parser.parse(lb, size_t(le - lb), false).get(rec);
      bool parsed = !err;
      if (parsed && add_record(rec)) {
        if (++row == kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
        continue;
      }
      if (options_.ignore_errors && !on_rejected) continue;
      if (!first_line) {
        ALOPEX_ASSIGN_OR_RETURN(first_line, SplitFirstLine(i));
      }
      uint64_t line = *first_line + line_in_split - 1;
      Status error = parsed ? Status::ConversionError(line_error(line, offset, why).message())
                            : line_error(line, offset, std::string("malformed JSON: ") + simdjson::error_message(err));
      if (!on_rejected) return error;
      on_rejected(line, error, RawExcerpt({lb, size_t(le - lb)}));
    }
    // Every line of a split but the file's last ends in a newline.
    bool last_unterminated = buf.size && end[-1] != '\n';
    split_lines_[i].store(int64_t(line_in_split) - int64_t(last_unterminated));
  } else if (format_ == JsonFormat::kArray) {
    element doc;
    auto err = parser.parse(begin, buf.size, false).get(doc);
    if (err)
      return Status::InvalidArgument(display_name_ + ": malformed JSON: " + simdjson::error_message(err) +
                                     (on_rejected ? CannotSkipNote(format_) : ""));
    if (doc.type() != element_type::ARRAY)
      return Status::InvalidArgument(display_name_ + ": expected a top-level JSON array");
    size_t index = 0;
    for (element rec : JsonGet(doc.get_array())) {
      index++;
      if (!add_record(rec)) {
        if (options_.ignore_errors && !on_rejected) continue;
        Status error = Status::ConversionError(display_name_ + ": array element " + std::to_string(index) + ": " + why);
        if (!on_rejected) return error;
        // An element's line is not known: the DOM keeps no positions.
        on_rejected(0, error, RawExcerpt(simdjson::minify(rec)));
        continue;
      }
      if (++row == kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
    }
  } else {
    simdjson::dom::document_stream stream;
    auto err = parser.parse_many(begin, buf.size, std::max<size_t>(buf.size, 1 << 20)).get(stream);
    if (err)
      return Status::InvalidArgument(display_name_ + ": malformed JSON: " + simdjson::error_message(err) +
                                     (on_rejected ? CannotSkipNote(format_) : ""));
    // The line of a record's first byte, counted on from the previous one.
    uint64_t counted_to = 0;
    uint64_t counted_line = 0;
    auto line_at = [&](size_t index) -> Result<uint64_t> {
      if (counted_line == 0) {
        ALOPEX_ASSIGN_OR_RETURN(counted_line, LineAt(s.begin));
      }
      counted_line += uint64_t(std::count(begin + counted_to, begin + index, '\n'));
      counted_to = index;
      return counted_line;
    };
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      element rec;
      size_t index = it.current_index();
      uint64_t offset = s.begin + index;
      auto e2 = (*it).get(rec);
      if (e2) {
        ALOPEX_ASSIGN_OR_RETURN(uint64_t line, line_at(index));
        return line_error(line, offset,
                          std::string("malformed JSON: ") + simdjson::error_message(e2) +
                              (on_rejected ? CannotSkipNote(format_) : ""));
      }
      if (!add_record(rec)) {
        if (options_.ignore_errors && !on_rejected) continue;
        ALOPEX_ASSIGN_OR_RETURN(uint64_t line, line_at(index));
        Status error = Status::ConversionError(line_error(line, offset, why).message());
        if (!on_rejected) return error;
        on_rejected(line, error, RawExcerpt(simdjson::minify(rec)));
        continue;
      }
      if (++row == kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
    }
  }
  return flush();
}

}  // namespace alopex
