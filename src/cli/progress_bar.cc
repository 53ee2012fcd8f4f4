#include "cli/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <utility>
#include <vector>

#include "cli/text_width.h"

namespace alopex::cli {

std::string WithThousandsSeparators(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); i++) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e8) seconds = 0;
  auto total = static_cast<uint64_t>(seconds);
  uint64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[32];
  if (h > 0) {
    std::snprintf(buf, sizeof(buf), "%llu:%02llu:%02llu", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(m), static_cast<unsigned long long>(s));
  } else {
    std::snprintf(buf, sizeof(buf), "%llu:%02llu", static_cast<unsigned long long>(m),
                  static_cast<unsigned long long>(s));
  }
  return buf;
}

std::string RenderProgressLine(const ProgressSnapshot& snapshot, double elapsed_seconds, size_t width) {
  double percent = snapshot.percent();
  bool known = percent >= 0;
  if (percent > 100) percent = 100;
  // Parts in display order, each with a rank: when the line is too wide the
  // highest rank is dropped first.
  std::vector<std::pair<std::string, int>> parts;
  if (known) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%3d%%", static_cast<int>(percent));
    parts.emplace_back(buf, 0);
  } else if (!snapshot.operation.empty()) {
    parts.emplace_back(snapshot.operation, 0);
  }
  if (snapshot.rows_done > 0) parts.emplace_back(WithThousandsSeparators(snapshot.rows_done) + " rows", 1);
  if (snapshot.rows_done > 0 && elapsed_seconds > 0)
    parts.emplace_back(WithThousandsSeparators(static_cast<uint64_t>(snapshot.rows_done / elapsed_seconds)) +
                           " rows/s",
                       4);
  parts.emplace_back(FormatDuration(elapsed_seconds) + " elapsed", 2);
  if (known && percent > 0 && percent < 100)
    parts.emplace_back(FormatDuration(elapsed_seconds * (100 - percent) / percent) + " left", 3);

  // A known percentage keeps room for a bar of at least kMinBar cells.
  constexpr size_t kMinBar = 10, kMaxBar = 40, kBarFrame = 3;  // "▕" + cells + "▏ "
  size_t text_width = known && width > kMinBar + kBarFrame + 4 ? width - kMinBar - kBarFrame : width;
  std::string line;
  for (;;) {
    line.clear();
    for (const auto& part : parts) line += (line.empty() ? "" : " │ ") + part.first;
    if (DisplayWidth(line) <= text_width || parts.size() <= 1) break;
    auto worst = parts.begin();
    for (auto it = parts.begin(); it != parts.end(); ++it)
      if (it->second > worst->second) worst = it;
    parts.erase(worst);
  }
  if (known) {
    // The bar takes what is left, between kMinBar and kMaxBar cells.
    size_t used = DisplayWidth(line);
    size_t room = width > used + kBarFrame ? width - used - kBarFrame : 0;
    size_t cells = room < kMaxBar ? room : kMaxBar;
    if (cells >= kMinBar) {
      auto filled = static_cast<size_t>(std::lround(percent / 100.0 * double(cells)));
      std::string bar = "▕";
      for (size_t i = 0; i < cells; i++) bar += i < filled ? "█" : "░";
      bar += "▏ ";
      line = bar + line;
    }
  }
  return TruncateToWidth(line, width);
}

ProgressBar::ProgressBar(FILE* out, std::chrono::milliseconds delay) : out_(out), delay_(delay) {}

ProgressBar::~ProgressBar() { End(); }

void ProgressBar::Begin() {
  End();
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = ProgressSnapshot();
  start_ = std::chrono::steady_clock::now();
  running_ = true;
  drawn_ = false;
  thread_ = std::thread([this] { Run(); });
}

void ProgressBar::End() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  cv_.notify_all();
  thread_.join();
  if (drawn_) {
    std::fputs("\r\x1b[2K", out_);  // erase the line, leave the cursor at its start
    std::fflush(out_);
    drawn_ = false;
  }
}

void ProgressBar::OnStart(const std::string& operation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (snapshot_.operation.empty()) snapshot_.operation = operation;
}

void ProgressBar::OnUpdate(const ProgressSnapshot& snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = snapshot;
}

size_t ProgressBar::TerminalWidth() const {
  winsize ws{};
  if (ioctl(fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

void ProgressBar::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, delay_, [this] { return !running_; })) return;
  while (running_) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // Leave the last column free so the terminal never wraps.
    std::string line = RenderProgressLine(snapshot_, elapsed, TerminalWidth() - 1);
    std::fprintf(out_, "\r\x1b[2K%s", line.c_str());
    std::fflush(out_);
    drawn_ = true;
    cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return !running_; });
  }
}

}  // namespace alopex::cli
