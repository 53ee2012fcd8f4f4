// The `alopex` shell: runs SQL and dot commands from the command line, a file,
// standard input or an interactive prompt, and prints results.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "alopex/database.h"
#include "alopex/status.h"
#include "cli/output_format.h"

namespace alopex::cli {

class ProgressBar;

// The whole program: parses `argv`, opens the database, runs; returns the
// process exit code (0, or 1 after an error outside the interactive prompt).
int RunShell(int argc, char** argv);

class Shell {
 public:
  // Runs statements on a connection to `db`, printing results to `out`.
  Shell(std::shared_ptr<Database> db, std::ostream& out, std::ostream& err);
  ~Shell();

  void set_format(OutputFormat format) { format_ = format; }
  // Shows a progress bar on stderr for statements running longer than a second.
  void EnableProgressBar();

  // Runs one -c argument as a script: SQL of one or more statements and dot
  // commands on lines of their own. Stops at the first failing statement and
  // returns its error (not printed).
  Status RunCommand(const std::string& text);
  // Runs a script: statements end with ';', dot commands stand on their own
  // line. Stops at the first error and returns it (not printed).
  Status RunScript(std::istream& in);
  Status RunFile(const std::string& path);
  // The prompt loop: reads until Ctrl-D or .quit; errors are printed and the
  // loop goes on.
  void RunInteractive();

  // True after .quit / .exit.
  bool quit_requested() const { return quit_; }
  // Prints "Error: <status>" to the error stream.
  void ReportError(const Status& status);

 private:
  Status ExecuteSql(const std::string& sql);
  Status ExecuteStatement(const std::string& sql);
  Status RunDotCommand(const std::string& line);
  Status ListTables();
  Status PrintSchema(const std::string& table);
  Result<std::vector<std::string>> TableNames();
  FormatOptions OutputOptions() const;

  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
  std::ostream& out_;
  std::ostream& err_;
  OutputFormat format_ = OutputFormat::kTable;
  bool timer_ = false;
  bool quit_ = false;
  std::shared_ptr<ProgressBar> progress_;
};

}  // namespace alopex::cli
