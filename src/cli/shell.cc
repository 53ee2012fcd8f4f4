#include "cli/shell.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/line_editor.h"
#include "cli/progress_bar.h"
#include "alopex/version.h"
#include "cli/query_result_view.h"
#include "cli/shell_options.h"
#include "common/progress.h"
#include "sql/parser.h"

namespace alopex::cli {
namespace {


constexpr const char* kPrompt = "alopex> ";
constexpr const char* kContinuationPrompt = "   ...> ";
// Rows the table format shows on a terminal before eliding the middle.
constexpr size_t kTerminalMaxRows = 40;

// ---------------------------------------------------------------- SIGINT
//
// Ctrl-C cancels the running statement (Connection::Interrupt is signal-safe),
// clears the line at the prompt, and otherwise ends a non-interactive run.
std::atomic<Connection*> g_running{nullptr};
std::atomic<bool> g_reading_line{false};
std::atomic<bool> g_exit_when_idle{true};

extern "C" void OnSigint(int) {
  if (Connection* con = g_running.load()) {
    con->Interrupt();
  } else if (g_reading_line.load()) {
    LineEditor::NotifyInterrupt();
  } else if (g_exit_when_idle.load()) {
    _exit(130);
  }
}

// While reading a line the handler must interrupt read() (no SA_RESTART) so the
// editor returns; elsewhere system calls restart, so engine I/O never sees EINTR.
void InstallSigintHandler(bool restart_system_calls) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = restart_system_calls ? SA_RESTART : 0;
  sigaction(SIGINT, &sa, nullptr);
}

// ---------------------------------------------------------------- helpers

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "name" as a SQL identifier: bare when it is a plain lower-case name.
std::string QuoteIdentifier(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

size_t TerminalColumns(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::optional<size_t> ColumnIndex(const QueryResult& result, std::initializer_list<const char*> names) {
  for (const char* want : names)
    for (size_t c = 0; c < result.num_columns(); c++)
      if (result.name(c) == want) return c;
  return std::nullopt;
}

constexpr const char* kDotHelp =
    ".exit, .quit         leave the shell\n"
    ".format FORMAT       output format: table, csv, tsv, json, jsonl, markdown (alias .mode)\n"
    ".help                show this help\n"
    ".read FILE           run the SQL script FILE\n"
    ".schema [TABLE]      show CREATE TABLE statements\n"
    ".tables              list tables\n"
    ".timer on|off        print each statement's run time\n";

}  // namespace

// ---------------------------------------------------------------- Shell

Shell::Shell(std::shared_ptr<Database> db, std::ostream& out, std::ostream& err)
    : db_(std::move(db)), con_(std::make_unique<Connection>(*db_)), out_(out), err_(err) {}

Shell::~Shell() {
  if (progress_) con_->SetProgressListener(nullptr);
}

void Shell::EnableProgressBar() {
  progress_ = std::make_shared<ProgressBar>(stderr);
  con_->SetProgressListener(progress_);
}

void Shell::ReportError(const Status& status) {
  out_.flush();
  err_ << "Error: " << status.ToString() << std::endl;
}

FormatOptions Shell::OutputOptions() const {
  FormatOptions options;
  if (&out_ == &std::cout && isatty(STDOUT_FILENO)) {
    options.max_width = TerminalColumns(STDOUT_FILENO);
    options.max_rows = kTerminalMaxRows;
  }
  return options;
}

Status Shell::RunCommand(const std::string& text) {
  // A script of its own, so "-c '.mode csv\nSELECT 1'" works like a file would.
  std::istringstream in(text);
  return RunScript(in);
}

Status Shell::ExecuteSql(const std::string& sql) {
  // Split into statements so each one's result is printed (and timed) on its own.
  auto parsed = sql::ParseSql(sql);
  if (!parsed.ok()) return parsed.status();
  for (const auto& statement : *parsed) {
    ALOPEX_RETURN_IF_ERROR(ExecuteStatement(statement->text));
    if (quit_) break;
  }
  return Status::OK();
}

Status Shell::ExecuteStatement(const std::string& sql) {
  auto start = std::chrono::steady_clock::now();
  if (progress_) progress_->Begin();
  g_running.store(con_.get());
  Result<QueryResult> result = con_->Query(sql);
  g_running.store(nullptr);
  if (progress_) progress_->End();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.ok()) WriteResult(QueryResultView(*result), format_, OutputOptions(), out_);
  if (timer_) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "Run Time: real %.3f s\n", seconds);
    out_ << buf << std::flush;
  }
  return result.status();
}

Status Shell::RunScript(std::istream& in) {
  std::string buffer;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (IsBlank(buffer) && !Trim(line).empty() && Trim(line)[0] == '.') {
      buffer.clear();
      ALOPEX_RETURN_IF_ERROR(RunDotCommand(Trim(line)));
      if (quit_) return Status::OK();
      continue;
    }
    if (!buffer.empty()) buffer += '\n';
    buffer += line;
    if (sql::IsCompleteStatement(buffer)) {
      ALOPEX_RETURN_IF_ERROR(ExecuteSql(buffer));
      buffer.clear();
      if (quit_) return Status::OK();
    }
  }
  // A last statement may omit its ';'.
  if (!IsBlank(buffer)) ALOPEX_RETURN_IF_ERROR(ExecuteSql(buffer));
  return Status::OK();
}

Status Shell::RunFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot open \"" + path + "\": " + std::strerror(errno));
  return RunScript(in);
}

void Shell::RunInteractive() {
  g_exit_when_idle.store(false);
  out_ << "alopex " << kVersion << "\n"
       << "Enter \".help\" for usage hints.\n";
  if (db_->path().empty() || db_->path() == ":memory:") out_ << "Connected to a transient in-memory database.\n";
  out_ << std::flush;

  LineEditor editor(DefaultHistoryPath());
  std::string buffer;
  while (!quit_) {
    std::string line;
    g_reading_line.store(true);
    InstallSigintHandler(/*restart_system_calls=*/false);
    LineEditor::ReadStatus status = editor.ReadLine(buffer.empty() ? kPrompt : kContinuationPrompt, &line);
    InstallSigintHandler(/*restart_system_calls=*/true);
    g_reading_line.store(false);

    if (status == LineEditor::ReadStatus::kEndOfInput) {
      out_ << std::endl;
      break;
    }
    if (status == LineEditor::ReadStatus::kInterrupted) {
      out_ << "^C" << std::endl;
      buffer.clear();
      continue;
    }
    if (buffer.empty() && !Trim(line).empty() && Trim(line)[0] == '.') {
      editor.AddHistory(Trim(line));
      Status st = RunDotCommand(Trim(line));
      if (!st.ok()) ReportError(st);
      continue;
    }
    if (!buffer.empty()) buffer += '\n';
    buffer += line;
    if (IsBlank(buffer)) {
      buffer.clear();
      continue;
    }
    if (!sql::IsCompleteStatement(buffer)) continue;
    // History keeps a statement on one line, so recalling it edits it whole.
    std::string entry = buffer;
    for (char& c : entry)
      if (c == '\n') c = ' ';
    editor.AddHistory(Trim(entry));
    Status st = ExecuteSql(buffer);
    buffer.clear();
    if (!st.ok()) ReportError(st);
  }
}

// ---------------------------------------------------------------- dot commands

Status Shell::RunDotCommand(const std::string& line) {
  std::vector<std::string> words = SplitWords(line);
  const std::string& cmd = words.at(0);
  auto arg = [&](size_t i) { return i < words.size() ? words[i] : std::string(); };

  if (cmd == ".quit" || cmd == ".exit" || cmd == ".q") {
    quit_ = true;
    return Status::OK();
  }
  if (cmd == ".help") {
    out_ << kDotHelp << std::flush;
    return Status::OK();
  }
  if (cmd == ".timer") {
    if (arg(1) == "on") {
      timer_ = true;
    } else if (arg(1) == "off") {
      timer_ = false;
    } else {
      return Status::InvalidArgument(".timer expects on or off");
    }
    return Status::OK();
  }
  if (cmd == ".format" || cmd == ".mode") {
    if (words.size() < 2) {
      out_ << OutputFormatName(format_) << std::endl;
      return Status::OK();
    }
    ALOPEX_ASSIGN_OR_RETURN(format_, ParseOutputFormat(arg(1)));
    return Status::OK();
  }
  if (cmd == ".read") {
    if (words.size() < 2) return Status::InvalidArgument(".read expects a file name");
    // The rest of the line, so a path may contain spaces.
    std::string path = Trim(line.substr(line.find(cmd) + cmd.size()));
    if (path.size() >= 2 && (path.front() == '\'' || path.front() == '"') && path.back() == path.front())
      path = path.substr(1, path.size() - 2);
    return RunFile(path);
  }
  if (cmd == ".tables") return ListTables();
  if (cmd == ".schema") return PrintSchema(arg(1));
  return Status::InvalidArgument("unknown command " + cmd + " (see .help)");
}

Result<std::vector<std::string>> Shell::TableNames() {
  ALOPEX_ASSIGN_OR_RETURN(QueryResult result, con_->Query("SHOW TABLES"));
  std::vector<std::string> names;
  if (result.num_columns() == 0) return names;
  size_t col = ColumnIndex(result, {"name", "table_name"}).value_or(0);
  for (size_t row = 0; row < result.num_rows(); row++) names.push_back(result.GetString(row, col));
  return names;
}

Status Shell::ListTables() {
  ALOPEX_ASSIGN_OR_RETURN(std::vector<std::string> names, TableNames());
  if (names.empty()) return Status::OK();
  // Column-major in as many columns as the terminal holds, like sqlite3.
  size_t width = 0;
  for (const auto& n : names) width = std::max(width, n.size());
  size_t screen = &out_ == &std::cout && isatty(STDOUT_FILENO) ? TerminalColumns(STDOUT_FILENO) : 80;
  size_t columns = std::max<size_t>(1, screen / (width + 2));
  size_t rows = (names.size() + columns - 1) / columns;
  for (size_t r = 0; r < rows; r++) {
    std::string line;
    for (size_t c = 0; c < columns; c++) {
      size_t i = c * rows + r;
      if (i >= names.size()) break;
      if (!line.empty()) line += "  ";
      line += names[i];
      if ((c + 1) * rows + r < names.size()) line.append(width - names[i].size(), ' ');
    }
    out_ << line << '\n';
  }
  out_ << std::flush;
  return Status::OK();
}

Status Shell::PrintSchema(const std::string& table) {
  std::vector<std::string> tables;
  if (!table.empty()) {
    tables.push_back(table);  // as the user wrote it: may be qualified or quoted
  } else {
    ALOPEX_ASSIGN_OR_RETURN(std::vector<std::string> names, TableNames());
    for (const auto& n : names) tables.push_back(QuoteIdentifier(n));
  }
  for (const std::string& t : tables) {
    ALOPEX_ASSIGN_OR_RETURN(QueryResult d, con_->Query("DESCRIBE " + t));
    size_t name_col = ColumnIndex(d, {"column_name", "name"}).value_or(0);
    size_t type_col = ColumnIndex(d, {"column_type", "type"}).value_or(1);
    std::optional<size_t> null_col = ColumnIndex(d, {"null", "nullable"});
    if (d.num_columns() <= std::max(name_col, type_col))
      return Status::Internal("DESCRIBE " + t + " returned no column_name/column_type columns");
    std::string sql = "CREATE TABLE " + t + "(";
    for (size_t row = 0; row < d.num_rows(); row++) {
      if (row) sql += ", ";
      sql += QuoteIdentifier(d.GetString(row, name_col)) + " " + d.GetString(row, type_col);
      if (null_col && !d.IsNull(row, *null_col) && d.GetString(row, *null_col) == "NO") sql += " NOT NULL";
    }
    out_ << sql << ");\n";
  }
  out_ << std::flush;
  return Status::OK();
}

// ---------------------------------------------------------------- main

int RunShell(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  Result<ShellOptions> parsed = ParseShellOptions(args);
  if (!parsed.ok()) {
    std::cerr << "Error: " << parsed.status().message() << std::endl;
    return 1;
  }
  ShellOptions& options = *parsed;
  if (options.help) {
    std::cout << ShellUsage();
    return 0;
  }
  if (options.version) {
    std::cout << "alopex " << kVersion << std::endl;
    return 0;
  }

  DatabaseOptions db_options;
  db_options.threads = options.threads;
  db_options.catalog = options.catalog;
  db_options.read_only = options.read_only;
  Result<std::shared_ptr<Database>> db = Database::Open(options.database, db_options);
  if (!db.ok()) {
    std::cerr << "Error: " << db.status().ToString() << std::endl;
    return 1;
  }

  InstallSigintHandler(/*restart_system_calls=*/true);
  Shell shell(*db, std::cout, std::cerr);
  if (options.format) shell.set_format(*options.format);
  if (isatty(STDERR_FILENO)) shell.EnableProgressBar();

  bool interactive = options.commands.empty() && isatty(STDIN_FILENO);
  if (interactive) {
    shell.RunInteractive();
    return 0;
  }
  Status status;
  if (!options.commands.empty()) {
    for (const ShellCommand& command : options.commands) {
      status = command.kind == ShellCommand::Kind::kSql ? shell.RunCommand(command.text)
                                                        : shell.RunFile(command.text);
      if (!status.ok() || shell.quit_requested()) break;
    }
  } else {
    status = shell.RunScript(std::cin);
  }
  if (!status.ok()) {
    shell.ReportError(status);
    return 1;
  }
  return 0;
}

}  // namespace alopex::cli
