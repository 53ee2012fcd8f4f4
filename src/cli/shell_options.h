// The `alopex` command line: what to open, what to run, how to print.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "cli/output_format.h"

namespace alopex::cli {

// One -c or -f argument; they run in the order given.
struct ShellCommand {
  enum class Kind { kSql, kFile };
  Kind kind = Kind::kSql;
  std::string text;  // SQL (or a dot command) for kSql, a path for kFile
};

struct ShellOptions {
  std::string database = ":memory:";
  std::vector<ShellCommand> commands;
  std::optional<OutputFormat> format;  // unset: table
  std::string catalog;
  int threads = 0;
  bool read_only = false;
  bool help = false;
  bool version = false;
};

// Parses argv[1..]: options may come before or after -c/-f and the database;
// "--name=value" and "--name value" are both accepted. An error names the
// argument at fault.
Result<ShellOptions> ParseShellOptions(const std::vector<std::string>& args);

// The --help text.
std::string ShellUsage();

}  // namespace alopex::cli
