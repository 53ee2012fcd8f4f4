#include "formats/csv/csv_sniffer.h"

#include <algorithm>
#include <map>
#include <set>

#include "formats/csv/csv_reader.h"
#include "formats/text_value_parsers.h"

namespace alopex {

namespace {

// Rows tokenized per dialect candidate.
constexpr size_t kDialectSampleRows = 1000;

bool IsNumberText(std::string_view s, bool integer_only) {
  s = text_parse::TrimSpaces(s);
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  // Leading zeros (zip codes, ids) keep a column textual, as "0" and "0.5" do not.
  if (i + 1 < s.size() && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9') return false;
  if (integer_only) {
    int64_t v;
    return text_parse::ParseInt64(s.data(), s.size(), &v);
  }
  // No inf / nan words: they are text to a sniffer.
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
  double d;
  return text_parse::ParseDouble(s.data(), s.size(), &d);
}

bool HasTimeZone(std::string_view s) {
  s = text_parse::TrimSpaces(s);
  if (s.size() <= 10) return false;
  if (s.back() == 'Z' || s.back() == 'z') return true;
  if (s.size() > 4 && s.substr(s.size() - 4) == " UTC") return true;
  std::string_view time = s.substr(11);
  return time.find_first_of("+-") != std::string_view::npos;
}

bool IsSniffableTimestamp(std::string_view s) {
  // A timestamp needs a time part: bare dates are dates.
  s = text_parse::TrimSpaces(s);
  return s.size() >= 16 && (s[10] == ' ' || s[10] == 'T');
}

struct CandidateScore {
  CsvDialect dialect;
  size_t columns = 0;
  size_t consistent = 0;
  size_t rows = 0;
  bool error = false;
};

CandidateScore ScoreDialect(const CsvDialect& d, std::string_view sample, bool whole_file) {
  CandidateScore s;
  s.dialect = d;
  CsvTokenizer tok(d);
  const char* p = sample.data();
  const char* end = p + sample.size();
  std::map<size_t, size_t> counts;
  std::vector<size_t> per_row;
  while (p < end && per_row.size() < kDialectSampleRows) {
    size_t nf = 0, nl = 0;
    bool blank = false;
    const char* row_start = p;
    CsvRowStatus st = tok.ParseRow(
        p, end, whole_file, [&](size_t i, const CsvField& f) { blank = i == 0 && f.size == 0 && !f.quoted; }, &nf, &nl);
    if (st == CsvRowStatus::kIncomplete) break;
    if (st != CsvRowStatus::kRow) {
      s.error = true;
      break;
    }
    if (nf == 1 && blank && p - row_start <= 2) continue;  // blank line
    per_row.push_back(nf);
    counts[nf]++;
  }
  s.rows = per_row.size();
  for (auto& [cols, n] : counts) {
    if (n > s.consistent || (n == s.consistent && cols > s.columns)) {
      s.consistent = n;
      s.columns = cols;
    }
  }
  return s;
}

std::string GeneratedName(size_t i, size_t n) {
  size_t width = std::to_string(n == 0 ? 0 : n - 1).size();
  std::string digits = std::to_string(i);
  return "column" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

}  // namespace

// ---------------------------------------------------------------- CsvTypeGuesser

void CsvTypeGuesser::Add(std::string_view v) {
  saw_value_ = true;
  if (can_bool_) {
    std::string_view t = text_parse::TrimSpaces(v);
    auto ieq = [&](std::string_view w) {
      if (t.size() != w.size()) return false;
      for (size_t i = 0; i < w.size(); i++)
        if ((t[i] | 0x20) != w[i]) return false;
      return true;
    };
    can_bool_ = ieq("true") || ieq("false");
  }
  if (can_int_) can_int_ = IsNumberText(v, true);
  if (can_double_ && !can_int_) can_double_ = IsNumberText(v, false);
  if (can_date_) {
    int32_t d;
    if (dateformat_) {
      auto r = Strptime(v, *dateformat_);
      can_date_ = r.ok();
    } else {
      std::string_view t = text_parse::TrimSpaces(v);
      can_date_ = t.size() >= 8 && t.size() <= 10 && text_parse::ParseDate(t.data(), t.size(), &d);
    }
  }
  if (can_ts_) {
    int64_t ts;
    if (timestampformat_) {
      can_ts_ = Strptime(v, *timestampformat_).ok();
    } else {
      bool date_like = false;
      int32_t d;
      std::string_view t = text_parse::TrimSpaces(v);
      date_like = t.size() >= 8 && t.size() <= 10 && text_parse::ParseDate(t.data(), t.size(), &d);
      can_ts_ = date_like || (IsSniffableTimestamp(v) && text_parse::ParseTimestamp(v.data(), v.size(), &ts));
      if (can_ts_ && !date_like && HasTimeZone(v)) saw_tz_ = true;
    }
  }
}

LogicalType CsvTypeGuesser::Type() const {
  if (!saw_value_) return TypeId::kVarchar;
  if (can_bool_) return TypeId::kBoolean;
  if (can_int_) return TypeId::kBigInt;
  if (can_double_) return TypeId::kDouble;
  if (can_date_) return TypeId::kDate;
  if (can_ts_) return saw_tz_ ? TypeId::kTimestampTz : TypeId::kTimestamp;
  return TypeId::kVarchar;
}

bool CsvTypeGuesser::Fits(std::string_view value, const LogicalType& type) const {
  CsvTypeGuesser g(dateformat_, timestampformat_);
  g.Add(value);
  switch (type.id()) {
    case TypeId::kBoolean: return g.can_bool_;
    case TypeId::kBigInt: return g.can_int_;
    case TypeId::kDouble: return g.can_int_ || g.can_double_;
    case TypeId::kDate: return g.can_date_;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return g.can_ts_;
    default: return true;
  }
}

// ---------------------------------------------------------------- SniffCsv

Result<CsvSniffResult> SniffCsv(std::string_view sample, bool whole_file, const CsvReadOptions& options,
                                const std::string& name) {
  CsvSniffResult result;

  // 1. Dialect.
  std::vector<char> delimiters = options.delimiter ? std::vector<char>{*options.delimiter}
                                                   : std::vector<char>{',', '|', ';', '\t'};
  std::vector<char> quotes = options.quote ? std::vector<char>{*options.quote} : std::vector<char>{'"', '\''};
  CandidateScore best;
  bool have_best = false;
  auto better = [](const CandidateScore& a, const CandidateScore& b) {
    // Dialects that split rows into several columns that mostly agree win; among
    // them more agreeing rows, then more columns. One column always "agrees", so
    // it only wins when nothing else does. Earlier candidates win ties.
    auto qualified = [](const CandidateScore& s) { return s.columns > 1 && s.consistent * 2 >= s.rows; };
    if (qualified(a) != qualified(b)) return qualified(a);
    if (a.error != b.error) return !a.error;
    if (a.consistent != b.consistent) return a.consistent > b.consistent;
    return a.columns > b.columns;
  };
  for (char delim : delimiters) {
    for (char quote : quotes) {
      std::vector<char> escapes;
      if (options.escape) {
        escapes = {*options.escape};
      } else {
        escapes = {quote};
        if (quote != '\0') escapes.push_back('\\');
      }
      for (char escape : escapes) {
        CsvDialect d;
        d.delimiter = delim;
        d.quote = quote;
        d.escape = escape;
        CandidateScore s = ScoreDialect(d, sample, whole_file);
        if (!have_best || better(s, best)) {
          best = s;
          have_best = true;
        }
      }
    }
  }
  result.dialect = best.dialect;
  result.dialect.skip_rows = options.skip_rows;
  if (best.error && best.rows == 0 && !sample.empty()) {
    return Status::InvalidArgument(name + ": could not detect the CSV dialect: no delimiter and quote give well-formed "
                                   "rows; give delimiter, quote and escape explicitly");
  }

  // 2. Rows of the sample.
  CsvTokenizer tok(result.dialect);
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> row_end_offsets;
  std::vector<size_t> row_lines;
  std::vector<std::vector<bool>> row_quoted;
  const char* begin = sample.data();
  const char* p = begin;
  const char* end = p + sample.size();
  size_t max_rows = std::max<size_t>(options.sample_size, 1) + 1;
  while (p < end && rows.size() < max_rows) {
    std::vector<std::string> fields;
    std::vector<bool> quoted;
    size_t nf = 0, nl = 0;
    bool blank = false;
    const char* row_start = p;
    CsvRowStatus st = tok.ParseRow(
        p, end, whole_file,
        [&](size_t i, const CsvField& f) {
          blank = i == 0 && f.size == 0 && !f.quoted;
          fields.push_back(f.escaped ? tok.Unescape(f) : std::string(f.view()));
          quoted.push_back(f.quoted);
          if (f.quoted && std::memchr(f.data, '\n', f.size)) result.quoted_newlines = true;
        },
        &nf, &nl);
    if (st != CsvRowStatus::kRow) break;  // the reader reports malformed rows with their line
    if (nf == 1 && blank && p - row_start <= 2) {
      if (rows.empty()) {  // blank lines before the first row belong to the header
        result.header_bytes = size_t(p - begin);
        result.header_lines += nl;
      }
      continue;
    }
    rows.push_back(std::move(fields));
    row_quoted.push_back(std::move(quoted));
    row_end_offsets.push_back(size_t(p - begin));
    row_lines.push_back(nl);
  }
  size_t leading_blank_bytes = result.header_bytes, leading_blank_lines = result.header_lines;

  // 3. Columns.
  size_t ncols = best.columns;
  if (!options.column_types.empty()) ncols = options.column_types.size();
  if (!options.column_names.empty()) ncols = options.column_names.size();
  if (!options.column_types.empty() && !options.column_names.empty() &&
      options.column_types.size() != options.column_names.size()) {
    return Status::InvalidArgument(name + ": " + std::to_string(options.column_names.size()) + " column names but " +
                                   std::to_string(options.column_types.size()) + " column types");
  }
  if (ncols == 0 && rows.empty()) {
    result.empty = true;
    if (options.column_names.empty() && options.column_types.empty())
      return Status::InvalidArgument(name + ": the file is empty; give the columns explicitly");
  }
  if (ncols == 0) ncols = rows.empty() ? 0 : rows[0].size();

  auto is_null = [&](const std::string& v, bool quoted) {
    for (const auto& n : options.null_strings)
      if (v == n) return true;
    return false;
  };
  const std::string* dfmt = options.dateformat ? &*options.dateformat : nullptr;
  const std::string* tfmt = options.timestampformat ? &*options.timestampformat : nullptr;
  std::vector<CsvTypeGuesser> guessers(ncols, CsvTypeGuesser(dfmt, tfmt));
  for (size_t r = 1; r < rows.size(); r++) {
    if (rows[r].size() != ncols) continue;
    for (size_t c = 0; c < ncols; c++)
      if (!is_null(rows[r][c], row_quoted[r][c])) guessers[c].Add(rows[r][c]);
  }
  std::vector<LogicalType> guessed(ncols);
  for (size_t c = 0; c < ncols; c++) guessed[c] = guessers[c].Type();

  // 4. Header.
  bool header = false;
  if (options.header) {
    header = *options.header;
  } else if (!rows.empty()) {
    const auto& first = rows[0];
    bool all_varchar = true, consistent = true, has_null = false;
    for (size_t c = 0; c < ncols; c++) {
      if (c >= first.size()) {
        has_null = true;
        continue;
      }
      if (is_null(first[c], row_quoted[0][c])) {
        has_null = true;
        continue;
      }
      const LogicalType& t = options.column_types.empty() ? guessed[c] : options.column_types[c];
      if (t.id() == TypeId::kVarchar) continue;
      all_varchar = false;
      if (!guessers[c].Fits(first[c], t)) consistent = false;
    }
    if (!consistent)
      header = true;
    else if (all_varchar)
      header = !has_null;
  }
  result.dialect.header = header;
  if (header && !rows.empty()) {
    result.header_bytes = row_end_offsets[0];
    result.header_lines = leading_blank_lines + row_lines[0];
  } else {
    result.header_bytes = leading_blank_bytes;
    result.header_lines = leading_blank_lines;
    if (!rows.empty() && rows[0].size() == ncols) {
      for (size_t c = 0; c < ncols; c++)
        if (!is_null(rows[0][c], row_quoted[0][c])) guessers[c].Add(rows[0][c]);
      for (size_t c = 0; c < ncols; c++) guessed[c] = guessers[c].Type();
    }
  }

  // 5. Names.
  if (!options.column_names.empty()) {
    result.names = options.column_names;
  } else {
    std::set<std::string> used;
    for (size_t c = 0; c < ncols; c++) {
      std::string n;
      if (header && c < rows[0].size()) n = rows[0][c];
      if (n.empty()) n = GeneratedName(c, ncols);
      std::string unique = n;
      for (int k = 1; used.count(unique); k++) unique = n + "_" + std::to_string(k);
      used.insert(unique);
      result.names.push_back(unique);
    }
  }

  // 6. Types.
  if (!options.column_types.empty()) {
    result.types = options.column_types;
  } else if (options.all_varchar) {
    result.types.assign(ncols, LogicalType(TypeId::kVarchar));
  } else {
    result.types = guessed;
  }
  for (const auto& [col, type] : options.column_type_overrides) {
    auto it = std::find(result.names.begin(), result.names.end(), col);
    if (it == result.names.end())
      return Status::InvalidArgument(name + ": option types names column \"" + col + "\", which the file does not have");
    result.types[size_t(it - result.names.begin())] = type;
  }
  return result;
}

}  // namespace alopex
