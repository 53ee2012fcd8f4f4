// CsvTokenizer: splits CSV text into rows and fields for one dialect. Shared by
// the sniffer and the reader's hot loop, so it is header-only and inlined.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace alopex {

// How a CSV file is spelled. quote == '\0' means no quoting.
struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';  // == quote: a doubled quote stands for one
  bool header = true;
  size_t skip_rows = 0;  // physical lines skipped before the header
};

// One field as it appears in the text. A quoted field's bytes exclude the
// quotes; `escaped` says the bytes still contain escape sequences.
struct CsvField {
  const char* data;
  uint32_t size;
  bool quoted;
  bool escaped;
  std::string_view view() const { return {data, size}; }
};

enum class CsvRowStatus : uint8_t {
  kRow,         // a complete row was parsed
  kIncomplete,  // the text ended inside the row (not at the end of the file)
  kBadQuote,    // a closing quote followed by something other than a delimiter or line end
  kUnterminatedQuote,  // the file ended inside a quoted field
};

class CsvTokenizer {
 public:
  explicit CsvTokenizer(const CsvDialect& d)
      : d_(d),
        delim_mask_(0x0101010101010101ULL * uint8_t(d.delimiter)),
        nl_mask_(0x0101010101010101ULL * uint8_t('\n')),
        cr_mask_(0x0101010101010101ULL * uint8_t('\r')) {
    std::memset(special_, 0, sizeof(special_));
    special_[uint8_t(d.delimiter)] = 1;
    special_[uint8_t('\n')] = 1;
    special_[uint8_t('\r')] = 1;
  }

  const CsvDialect& dialect() const { return d_; }

  // Parses the row at `p` (< end), calling on_field(index, field) for each field,
  // and advances `p` past the row terminator (\n, \r\n or \r). `*fields` gets the
  // field count, `*lines` the physical lines consumed (newlines inside quotes count).
  // With at_eof, the end of the text ends the last row; otherwise a row that
  // reaches `end` is kIncomplete and `p` is unchanged.
  template <typename OnField>
  inline CsvRowStatus ParseRow(const char*& p, const char* end, bool at_eof, OnField&& on_field, size_t* fields,
                               size_t* lines) const {
    const char* q = p;
    size_t n = 0;
    size_t nl = 0;
    const char quote = d_.quote;
    for (;;) {
      if (quote != '\0' && q < end && *q == quote) {
        // Quoted field.
        const char* start = ++q;
        bool escaped = false;
        for (;;) {
          const char* hit;
          if (d_.escape == quote || d_.escape == '\0') {
            hit = static_cast<const char*>(std::memchr(q, quote, size_t(end - q)));
          } else {
            hit = q;
            while (hit < end && *hit != quote && *hit != d_.escape) hit++;
            if (hit == end) hit = nullptr;
          }
          if (!hit) {
            if (!at_eof) return CsvRowStatus::kIncomplete;
            return CsvRowStatus::kUnterminatedQuote;
          }
          if (*hit != quote) {  // escape character (distinct from quote)
            if (hit + 1 >= end) {
              if (!at_eof) return CsvRowStatus::kIncomplete;
              return CsvRowStatus::kUnterminatedQuote;
            }
            escaped = true;
            q = hit + 2;
            continue;
          }
          if (d_.escape == quote && hit + 1 < end && hit[1] == quote) {  // doubled quote
            escaped = true;
            q = hit + 2;
            continue;
          }
          if (d_.escape == quote && hit + 1 == end && !at_eof) return CsvRowStatus::kIncomplete;
          nl += CountNewlines(start, hit);
          on_field(n, CsvField{start, uint32_t(hit - start), true, escaped});
          n++;
          q = hit + 1;
          break;
        }
        if (q == end) {
          if (!at_eof) return CsvRowStatus::kIncomplete;
          break;
        }
        char c = *q;
        if (c == d_.delimiter) {
          q++;
          if (q == end) {
            if (!at_eof) return CsvRowStatus::kIncomplete;
            on_field(n, CsvField{q, 0, false, false});
            n++;
            break;
          }
          continue;
        }
        if (c == '\n' || c == '\r') {
          q = EndLine(q, end);
          nl++;
          break;
        }
        return CsvRowStatus::kBadQuote;
      }
      // Unquoted field.
      const char* start = q;
      q = ScanUnquoted(q, end);
      if (q == end) {
        if (!at_eof) return CsvRowStatus::kIncomplete;
        on_field(n, CsvField{start, uint32_t(q - start), false, false});
        n++;
        break;
      }
      on_field(n, CsvField{start, uint32_t(q - start), false, false});
      n++;
      if (*q == d_.delimiter) {
        q++;
        if (q == end) {
          if (!at_eof) return CsvRowStatus::kIncomplete;
          on_field(n, CsvField{q, 0, false, false});
          n++;
          break;
        }
        continue;
      }
      if (*q == '\r' && q + 1 == end && !at_eof) return CsvRowStatus::kIncomplete;
      q = EndLine(q, end);
      nl++;
      break;
    }
    p = q;
    *fields = n;
    *lines = nl;
    return CsvRowStatus::kRow;
  }

  // The unescaped text of a field whose `escaped` is set.
  std::string Unescape(const CsvField& f) const {
    std::string out;
    out.reserve(f.size);
    for (uint32_t i = 0; i < f.size; i++) {
      char c = f.data[i];
      if ((c == d_.escape || c == d_.quote) && i + 1 < f.size) {
        out += f.data[++i];
      } else {
        out += c;
      }
    }
    return out;
  }

  static size_t CountNewlines(const char* a, const char* b) {
    size_t n = 0;
    while ((a = static_cast<const char*>(std::memchr(a, '\n', size_t(b - a))))) {
      n++;
      a++;
    }
    return n;
  }

 private:
  // The first delimiter, '\n' or '\r' at or after q, or end; eight bytes at a time.
  inline const char* ScanUnquoted(const char* q, const char* end) const {
    constexpr uint64_t kLow = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    while (end - q >= 8) {
      uint64_t w;
      std::memcpy(&w, q, 8);
      uint64_t a = w ^ delim_mask_, b = w ^ nl_mask_, c = w ^ cr_mask_;
      // A zero byte in a, b or c marks a special character; the lowest flag is exact.
      uint64_t hit = ((a - kLow) & ~a) | ((b - kLow) & ~b) | ((c - kLow) & ~c);
      hit &= kHigh;
      if (hit) return q + (__builtin_ctzll(hit) >> 3);
      q += 8;
    }
    while (q < end && !special_[uint8_t(*q)]) q++;
    return q;
  }

  // `q` is at '\n' or '\r'; returns the position after the line terminator.
  static const char* EndLine(const char* q, const char* end) {
    if (*q == '\r' && q + 1 < end && q[1] == '\n') return q + 2;
    return q + 1;
  }

  CsvDialect d_;
  uint64_t delim_mask_, nl_mask_, cr_mask_;
  uint8_t special_[256];
};

}  // namespace alopex
