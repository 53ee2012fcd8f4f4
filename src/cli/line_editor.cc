#include "cli/line_editor.h"

#include <histedit.h>

#include <atomic>
#include <clocale>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace alopex::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

}  // namespace

struct LineEditor::Impl {
  EditLine* el = nullptr;
  History* history = nullptr;
  std::string history_path;
  std::string prompt;

  static char* PromptOf(EditLine* el) {
    Impl* self = nullptr;
    el_get(el, EL_CLIENTDATA, &self);
    return self ? self->prompt.data() : const_cast<char*>("");
  }
};

LineEditor::LineEditor(std::string history_path) : impl_(std::make_unique<Impl>()) {
  impl_->history_path = std::move(history_path);
  impl_->history = history_init();
  HistEvent ev;
  history(impl_->history, &ev, H_SETSIZE, 10000);
  history(impl_->history, &ev, H_SETUNIQUE, 1);
  if (!impl_->history_path.empty()) history(impl_->history, &ev, H_LOAD, impl_->history_path.c_str());

  // libedit decodes typed characters by the locale's encoding; in the default
  // "C" locale it drops every non-ASCII byte.
  const char* ctype = std::setlocale(LC_CTYPE, "");
  if (ctype == nullptr || std::string(ctype) == "C" || std::string(ctype) == "POSIX")
    std::setlocale(LC_CTYPE, "C.UTF-8");
  impl_->el = el_init("alopex", stdin, stdout, stderr);
  el_set(impl_->el, EL_CLIENTDATA, impl_.get());
  el_set(impl_->el, EL_PROMPT, &Impl::PromptOf);
  el_set(impl_->el, EL_EDITOR, "emacs");
  el_set(impl_->el, EL_HIST, history, impl_->history);
  // The shell owns SIGINT; libedit must not install handlers of its own.
  el_set(impl_->el, EL_SIGNAL, 0);
  el_source(impl_->el, nullptr);  // ~/.editrc, if any
}

LineEditor::~LineEditor() {
  HistEvent ev;
  if (!impl_->history_path.empty()) history(impl_->history, &ev, H_SAVE, impl_->history_path.c_str());
  el_end(impl_->el);
  history_end(impl_->history);
}

LineEditor::ReadStatus LineEditor::ReadLine(const std::string& prompt, std::string* line) {
  impl_->prompt = prompt;
  g_interrupted = 0;
  int count = 0;
  errno = 0;
  const char* text = el_gets(impl_->el, &count);
  if (g_interrupted) {
    g_interrupted = 0;
    // Forget whatever was typed so the next prompt starts clean.
    el_reset(impl_->el);
    return ReadStatus::kInterrupted;
  }
  if (text == nullptr || count <= 0) return ReadStatus::kEndOfInput;
  line->assign(text, size_t(count));
  while (!line->empty() && (line->back() == '\n' || line->back() == '\r')) line->pop_back();
  return ReadStatus::kLine;
}

void LineEditor::AddHistory(const std::string& entry) {
  if (entry.empty()) return;
  HistEvent ev;
  history(impl_->history, &ev, H_ENTER, entry.c_str());
}

void LineEditor::NotifyInterrupt() { g_interrupted = 1; }

std::string DefaultHistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.alopex_history";
}

}  // namespace alopex::cli
