// Interactive line input with editing and a persistent history, over libedit.
#pragma once

#include <memory>
#include <string>

#include "alopex/status.h"

namespace alopex::cli {

class LineEditor {
 public:
  enum class ReadStatus { kLine, kInterrupted, kEndOfInput };

  // Edits lines on the terminal at stdin/stdout, loading and saving history at
  // `history_path` (no history file when empty). A missing file is not an error.
  explicit LineEditor(std::string history_path);
  ~LineEditor();  // saves the history
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Shows `prompt` and reads one line (without its newline) into `*line`.
  // kInterrupted: SIGINT arrived while reading (the caller's handler must be
  // installed without SA_RESTART and call NotifyInterrupt); the partial line is
  // discarded. kEndOfInput: Ctrl-D on an empty line or a closed terminal.
  ReadStatus ReadLine(const std::string& prompt, std::string* line);

  // Adds an entry to the history (and the file, when the editor is destroyed).
  void AddHistory(const std::string& entry);

  // Async-signal-safe: tells a ReadLine in progress that SIGINT arrived.
  static void NotifyInterrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ~/.alopex_history, or "" when HOME is not set.
std::string DefaultHistoryPath();

}  // namespace alopex::cli
