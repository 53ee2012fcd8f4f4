// The table output format: a DuckDB-style box of names, types and rows.
//
//   ┌────────┬─────────┐
//   │ answer │  name   │
//   │ integer│ varchar │
//   ├────────┼─────────┤
//   │     42 │ alopex  │
//   └────────┴─────────┘
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "cli/output_format.h"
#include "cli/text_width.h"

namespace alopex::cli {
namespace {

// Narrowest a column is squeezed to before columns are hidden instead.
constexpr size_t kMinColumnWidth = 8;
// Widest a column is when some columns are hidden anyway.
constexpr size_t kHiddenModeColumnWidth = 20;
// Marks the "…" column that stands for hidden columns.
constexpr size_t kHiddenColumns = static_cast<size_t>(-1);

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; i++) out += s;
  return out;
}

std::string Pad(const std::string& text, size_t width, char align) {
  size_t w = DisplayWidth(text);
  size_t pad = width > w ? width - w : 0;
  if (align == 'r') return std::string(pad, ' ') + text;
  if (align == 'c') return std::string(pad / 2, ' ') + text + std::string(pad - pad / 2, ' ');
  return text + std::string(pad, ' ');
}

std::string TypeLabel(const LogicalType& type) {
  std::string s = type.ToString();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Total line width of columns of the given widths: "│ a │ b │".
size_t LineWidth(const std::vector<size_t>& widths) {
  size_t total = 1;
  for (size_t w : widths) total += w + 3;
  return total;
}

}  // namespace

void WriteTable(const ResultView& result, const FormatOptions& options, std::ostream& out) {
  const size_t nrows = result.num_rows();
  const size_t ncols = result.num_columns();
  if (ncols == 0) return;

  // Which rows to show: all, or the first and last halves of max_rows.
  std::vector<size_t> rows;
  bool rows_elided = options.max_rows > 0 && nrows > options.max_rows;
  size_t head = rows_elided ? (options.max_rows + 1) / 2 : nrows;
  for (size_t r = 0; r < head; r++) rows.push_back(r);
  if (rows_elided) {
    for (size_t r = nrows - options.max_rows / 2; r < nrows; r++) rows.push_back(r);
  }

  std::vector<std::string> names(ncols), types(ncols);
  std::vector<std::vector<std::string>> cells(rows.size(), std::vector<std::string>(ncols));
  std::vector<size_t> natural(ncols);
  for (size_t c = 0; c < ncols; c++) {
    names[c] = EscapeControlCharacters(result.name(c));
    types[c] = TypeLabel(result.type(c));
    natural[c] = std::max(DisplayWidth(names[c]), DisplayWidth(types[c]));
  }
  for (size_t i = 0; i < rows.size(); i++) {
    for (size_t c = 0; c < ncols; c++) {
      cells[i][c] = result.IsNull(rows[i], c) ? "NULL" : EscapeControlCharacters(result.GetString(rows[i], c));
      natural[c] = std::max(natural[c], DisplayWidth(cells[i][c]));
    }
  }

  // Fit the terminal: first cap every column at one common width, then, if even
  // narrow columns do not fit, hide middle columns behind a "…" column.
  std::vector<size_t> shown;  // column indexes, kHiddenColumns for the "…" column
  std::vector<size_t> widths;
  auto capped = [&](size_t cap) {
    std::vector<size_t> w(ncols);
    for (size_t c = 0; c < ncols; c++) w[c] = std::min(natural[c], cap);
    return w;
  };
  if (options.max_width == 0 || LineWidth(natural) <= options.max_width) {
    for (size_t c = 0; c < ncols; c++) shown.push_back(c);
    widths = natural;
  } else if (LineWidth(capped(kMinColumnWidth)) <= options.max_width) {
    size_t lo = kMinColumnWidth, hi = *std::max_element(natural.begin(), natural.end());
    while (lo < hi) {  // the widest cap that fits
      size_t mid = (lo + hi + 1) / 2;
      if (LineWidth(capped(mid)) <= options.max_width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    for (size_t c = 0; c < ncols; c++) shown.push_back(c);
    widths = capped(lo);
  } else {
    std::vector<size_t> w = capped(kHiddenModeColumnWidth);
    size_t used = 1 + 4;  // left border and the "…" column
    std::vector<size_t> left, right;
    size_t l = 0, r = ncols;
    bool take_left = true;
    while (l < r) {
      size_t c = take_left ? l : r - 1;
      if (used + w[c] + 3 > options.max_width) break;
      used += w[c] + 3;
      if (take_left) {
        left.push_back(l++);
      } else {
        right.insert(right.begin(), --r);
      }
      take_left = !take_left;
    }
    if (left.empty() && !right.empty()) {
      left.push_back(right.front());
      right.erase(right.begin());
    }
    shown = left;
    shown.push_back(kHiddenColumns);
    shown.insert(shown.end(), right.begin(), right.end());
    for (size_t c : shown) widths.push_back(c == kHiddenColumns ? 1 : w[c]);
  }
  size_t hidden_columns = ncols - size_t(std::count_if(shown.begin(), shown.end(),
                                                      [](size_t c) { return c != kHiddenColumns; }));

  // The footer names the row count when rows were elided or none came back, and
  // the column count when columns were hidden. When it does not fit on one line
  // each part gets its own, split further at " (" if needed.
  std::vector<std::string> footer;
  if (nrows == 0) {
    footer.push_back("0 rows");
  } else if (rows_elided) {
    footer.push_back(std::to_string(nrows) + " rows (" + std::to_string(rows.size()) + " shown)");
  } else if (hidden_columns > 0) {
    footer.push_back(std::to_string(nrows) + (nrows == 1 ? " row" : " rows"));
  }
  if (hidden_columns > 0)
    footer.push_back(std::to_string(ncols) + " columns (" + std::to_string(ncols - hidden_columns) + " shown)");
  std::vector<std::string> footer_lines;  // each line: left part, then right part after a run of spaces
  if (!footer.empty()) {
    size_t inner = LineWidth(widths) - 4;
    size_t one_line = footer[0].size() + (footer.size() > 1 ? 2 + footer[1].size() : 0);
    if (one_line <= inner) {
      footer_lines.push_back(footer.size() > 1
                                 ? footer[0] + std::string(inner - one_line + 2, ' ') + footer[1]
                                 : footer[0]);
    } else {
      for (const std::string& part : footer) {
        size_t split = part.find(" (");
        if (part.size() > inner && split != std::string::npos) {
          footer_lines.push_back(part.substr(0, split));
          footer_lines.push_back(part.substr(split + 1));
        } else {
          footer_lines.push_back(part);
        }
      }
    }
    size_t need = 0;
    for (const std::string& l : footer_lines) need = std::max(need, l.size());
    if (need > inner) widths.back() += need - inner;
  }

  auto rule = [&](std::string_view left, std::string_view mid, std::string_view right) {
    std::string s(left);
    for (size_t i = 0; i < widths.size(); i++) {
      if (i) s += mid;
      s += Repeat("─", widths[i] + 2);
    }
    s += right;
    out << s << '\n';
  };
  auto line = [&](auto&& text_of, auto&& align_of) {
    std::string s = "│";
    for (size_t i = 0; i < shown.size(); i++) {
      std::string text = shown[i] == kHiddenColumns ? "…" : TruncateToWidth(text_of(shown[i]), widths[i]);
      s += ' ';
      s += Pad(text, widths[i], shown[i] == kHiddenColumns ? 'c' : align_of(shown[i]));
      s += " │";
    }
    out << s << '\n';
  };
  auto centered = [](size_t) { return 'c'; };
  auto by_type = [&](size_t c) { return result.type(c).IsNumeric() ? 'r' : 'l'; };

  rule("┌", "┬", "┐");
  line([&](size_t c) { return names[c]; }, centered);
  line([&](size_t c) { return types[c]; }, centered);
  rule("├", rows.empty() && !footer_lines.empty() ? "┴" : "┼", "┤");
  for (size_t i = 0; i < rows.size(); i++) {
    line([&](size_t c) { return cells[i][c]; }, by_type);
    if (rows_elided && i + 1 == head) {
      for (int k = 0; k < 3; k++) line([](size_t) { return std::string("·"); }, centered);
    }
  }
  if (!footer_lines.empty()) {
    if (!rows.empty()) rule("├", "┴", "┤");
    size_t inner = LineWidth(widths) - 4;
    for (const std::string& l : footer_lines) out << "│ " << Pad(l, inner, 'l') << " │\n";
    out << "└" << Repeat("─", inner + 2) << "┘\n";
  } else {
    rule("└", "┴", "┘");
  }
}

}  // namespace alopex::cli
